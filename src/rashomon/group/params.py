"""Thresholds and weights of story grouping, as data.

Round of issue 16 (stories are events, not topics). An article is now scored against each
candidate story AS A WHOLE (``centroid_weight`` 1): meaning = cosine of the lede embedding
with the story's centroid after both are centred on the mean of the articles held (on a feed
about one topic the mean is the topic, so the topic no longer makes reports alike); words =
cosine of the title-and-lede words, the lede's event predicates ("file>claim") and the
article's names ("@maren logistics"), each weighed by its rarity among the articles held
(running IDF); the date term compares the event's day read from the lede (``event_date_days``)
when there is one. The capped entity overlap is off (``weight_entities`` 0): names enter the
rarity-weighted words instead, because on a one-topic feed every article shares the topic's
names and a capped overlap counts that as agreement (streamgold, see docs/bench/streamgold.md:
weights 0.6 / 0.2 / 0.2 with the capped overlap reach B-cubed F1 0.47 there at the ECB+
threshold, 0.67 with names as rare words; 0.695 with ``centre_min_stories``). The score with a story is the lower of the
whole-story score and the median score with its members the index finds
(``member_agreement``): no chaining through one member. How the numbers were set:
weights meaning / entities / words tried on ECB+ topics 1-20 (all documents mixed, best
threshold each; before ``member_agreement``): 0.6/0/0.4 F1 0.858, 0.5/0/0.5 0.852,
0.7/0/0.3 0.869, 0.6/0.2/0.2 (capped overlap) 0.871, 0.5/0.15/0.35 -, plain cosine 0.855;
0.7/0/0.3 kept (best of the family without the capped overlap). ``join_threshold`` is
re-fitted per held-out fold by ``benchmarks/ecbplus_stories.py`` (figures in
docs/bench/stories.md). Streamgold was never used to fit: it is reported as unseen data.
The earlier design's notes follow.

Every number says how it was tuned and on which set. ``benchmarks/ecbplus_stories.py``
re-fits the join threshold by cross-validation over ECB+ topic folds and prints the
fitted and held-out figures; ``benchmarks/semeval_similarity.py`` checks the similarity
against human judgements (SemEval-2022 Task 8). Change a number here, re-run both.

Both benchmarks build their features as the pipeline does (analyze.article, then
group.grouping.group_item: MiniLM of title + lede, spaCy mentions). With those, ECB+
topics 1-20 give B-cubed F1 0.876 fitted (threshold 0.42) / 0.861 held out; the earlier
figures 0.882 / 0.864 came from embedding the whole text and raw spaCy entities.

Tried and not adopted (ECB+ held-out F1 over 5 topic folds, fitted F1, SemEval English
-r; baseline 0.861 / 0.876 / 0.802, or 0.863 / 0.875 on the coarser 0.04 grid marked *):
entities weighted by rarity (running document frequency over the articles held, smoothed
IDF) 0.860 / 0.877 / 0.808; entity Jaccard instead of capped overlap 0.844 / 0.851 / 0.827;
both 0.838 / 0.847 / 0.830; content words of the lede (rarity-weighted Jaccard) at weight
0.2: 0.860 / 0.872 / 0.798, with rarity-Jaccard entities 0.835-0.848 / 0.847 / 0.816-0.823;
shared figures and years (Jaccard of lede numbers + years of explicit time expressions)*
at weight 0.15 / 0.3 / 0.5: 0.859 / 0.865 / 0.864 held out, SemEval 0.791 / 0.772 / 0.742;
years alone* 0.852 (SemEval 0.758); numbers alone* 0.867 / 0.881 (within noise of the
baseline, and a developing story's tolls change from report to report). Pairwise, these
features do separate the two events of an ECB+ topic better (within-topic AUC: cosine +
overlap 0.866, + words, numbers and years 0.936), but the clustering does not follow: the
remaining errors are whole ECB+ events merged with the other event of the same topic (in
topics 5, 7 and 12, say, the dated ecbplus reports come first in batch order and the
undated ecb reports of the other event then join their story).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GroupParams:
    """Everything the grouper decides with."""

    # --- similarity (rashomon.group.similarity) -------------------------------------
    weight_meaning: float = 0.7
    """Weight of the (centred) embedding cosine; with ``weight_terms`` 0.3, see the module
    docstring (earlier design: 0.5 / 0.65 / 0.8 gave ECB+ F1 0.881 / 0.880 / 0.862)."""
    weight_entities: float = 0.0
    """Weight of entity overlap (who and where); the rest of the grid above."""
    weight_terms: float = 0.3
    """Weight of the rarity-weighted cosine of title-and-lede words and event predicates
    (``similarity.lede_terms``, IDF over the articles held). See the module docstring."""
    centre_vectors: bool = True
    """Compare embeddings after subtracting the mean vector of the articles held (what the
    whole window shares: on a one-topic feed, the topic)."""
    centre_min_stories: int = 3
    """...and once they belong to at least this many stories: the mean of a window that holds
    one story and a stray article is that story, and centring on it would push its own next
    report away (a store of four reports of one event and one unrelated page). By hand."""
    centre_min_articles: int = 5
    """Centring starts once this many articles are held (before, the mean is mostly the
    articles themselves). Set by hand, not fitted; a shrunk mean (sum / (n + 5)) was tried
    and left two events of one topic merged in a ten-article feed."""
    entity_cap: int = 8
    """Overlap is divided by min(|A|, |B|, cap): a long article with many names is not
    penalised for names the other never mentions. Tried 5/8/12 on ECB+ dev; 8 best."""
    date_same_days: int = 2
    """Dates this close (days) count as the same news cycle: no penalty."""
    date_penalty_per_day: float = 0.02
    """Penalty per day beyond ``date_same_days``, capped by ``date_penalty_max``.
    On ECB+ dev (dateline dates found in 146 of 413 docs) no penalty gives F1 0.845 at
    0.52 vs 0.880 with it; a stronger one (0.05/day, cap 0.6) gives 0.864."""
    event_date_days: int = 3
    """A day the lede gives counts as the event's day when it is at most this many days
    before publication ("on Sunday" in a Wednesday report); older days are background."""
    date_penalty_max: float = 0.35
    """Two dates far apart all but rule a pair out (0.35 of a similarity ~0.6-0.9)."""
    story_top_members: int = 3
    """Article-to-story similarity: mean of the best ``story_top_members`` pairwise
    similarities with members of the story (average-link over the nearest few; less
    chaining than single-link). Tried 1/3/5 on ECB+ dev; 3 best."""

    centroid_weight: float = 1.0
    """Article-to-story score = (1 - w) * best-members mean + w * similarity to the story
    as a whole (centroid, core entities, date range). Tried 0 / 0.3 / 0.6 / 1.0 on ECB+
    dev: best F1 0.875 / 0.882 / 0.876 / 0.875."""

    member_agreement: bool = True
    """With ``centroid_weight`` 1: an article's score with a story is the lower of its score
    with the story as a whole and the median of its scores with the story's members found
    by the index, so one member (a roundup naming two events) cannot pull it in."""

    # --- across languages (rashomon.group.crosslingual) ------------------------------
    cross_weight_meaning: float = 1.0
    """When an article and a story member are not both English: weight of the cosine of their
    title-and-lede vectors in the multilingual space (USE m3). Fitted with the two below on
    SemEval-2022 T8 training pairs not both English (1,115), 5 folds by pair id
    (``benchmarks/semeval_similarity.py``, docs/bench/multilingual.md): the best F1 at telling
    Overall <= 2 took names weight 0.0 on four folds and 0.1 on one, threshold 0.50 on all
    five (held-out F1 0.768; fit on all folds 0.779)."""
    cross_weight_names: float = 0.0
    """...and of the shared name keys (transliterated capitalised words, ``crosslingual.
    name_keys``; left out when either side has none). 0 by the fit above: on those pairs the
    names alone correlate -0.45 with Overall against -0.71 for the cosine, and adding them
    (0.1 / 0.2 / 0.3; as Jaccard too) lowered F1 (0.778 / 0.763 / 0.747). Kept as data so a
    set of short reports can refit it."""
    cross_join_threshold: float = 0.50
    """The cross-language score at which an article joins a story; it is moved onto the
    English scale (``crosslingual.on_join_scale``) so ``join_threshold``, ``merge_threshold``
    and ``topic_threshold`` keep one meaning across the two paths. Fitted as above."""

    # --- incremental grouping (rashomon.group.stories) ------------------------------
    join_threshold: float = 0.25
    """Join the best story at or above this similarity, else start a new story.
    Issue 16 design (centred, rarity-weighted, whole-story): ECB+ topics 1-20 all mixed give
    F1 0.869 at 0.25 (curve flat 0.25-0.45: 0.853-0.869); folds: docs/bench/stories.md.
    The notes below are for the earlier design (raw cosine + capped entity overlap).
    ECB+ topics 1-20 with whole-text embeddings: best on all topics at 0.44 (B-cubed F1
    0.882); 5-fold topic cross-validation picked 0.56, 0.44, 0.44, 0.44, 0.42 (held-out F1
    0.864). With the pipeline's own features (title + lede embedding, mentions): 0.44 gives
    0.875, the best 0.42 gives 0.876, folds pick 0.54, 0.42, 0.54, 0.38, 0.54 (held out
    0.861); kept at 0.44. SemEval-2022 T8 English pairs would pick 0.46 (0.54 with the
    whole-text features; see docs/bench/stories.md). With the lede cut to 600 characters
    (analyze.article.EMBED_CHARS, for speed): 0.44 gives 0.868, the best 0.52 gives 0.881,
    folds pick 0.52, 0.52, 0.52, 0.32, 0.52 (held out 0.867); SemEval English pairs now
    pick 0.40 (F1 0.830; 0.812 at 0.44). Kept at 0.44, between the two sets' choices."""
    merge_threshold: float = 0.37
    """(join_threshold + 0.12, as before.) Two stories merge when the centroid-to-centroid similarity (same formula, story
    level) reaches this; higher than ``join_threshold`` so merges are conservative.
    Set at join_threshold + 0.10 by hand; disabling merges changes ECB+ dev F1 by < 0.01."""
    topic_threshold: float = 0.15
    """An article's story and another candidate story it scores at or above this are one
    topic thread (related events: "Harbour strike: 6 stories"). Below ``join_threshold``.
    Set by hand, not fitted (no topic-thread gold exists): on streamgold (one topic) it links
    30 stories into one thread (run of docs/bench/streamgold.md); the invented feed of tests/test_grouping.py keeps
    unrelated stories out of the harbour thread."""
    neighbours: int = 32
    """Nearest articles fetched from the index per new article; their stories are the
    candidates. Not tuned (ECB+ has ~12 documents per story)."""
    window_days: int | None = 7
    """Articles are compared with stories whose articles fall within this many days of
    theirs (undated articles: of the latest date seen). None = no window (one corpus,
    e.g. ECB+, which has no publication dates)."""
    retain_days: int | None = 14
    """Vectors and MinHashes older than this (before the latest date seen) leave memory;
    their assignments stay. Must be >= window_days. None = keep everything."""

    # --- near-duplicates (rashomon.group.duplicates) --------------------------------
    duplicate_jaccard: float = 0.8
    """Word 5-shingle Jaccard at or above which an article is a copy of an earlier one.
    Syndicated wire copies with a changed headline or a few edited words score 0.85-1.0;
    two different reports of one event score < 0.2 on ECB+ and the seeds."""
    lsh_threshold: float = 0.6
    """LSH banding is tuned for this lower Jaccard, then each candidate is checked against
    ``duplicate_jaccard``: banding at 0.8 itself (9 bands x 13 rows) misses ~18% of pairs
    at Jaccard 0.875; at 0.6 (18 bands x 7 rows) it is 1.5% at 0.8 and 0.01% at 0.875."""
    shingle_words: int = 5
    num_perm: int = 128
    """MinHash permutations: Jaccard error ~ 1/sqrt(128) ~ 0.09 worst case; the exact
    Jaccard of the candidate's shingles is not kept, so the estimate decides."""
    min_shingles: int = 20
    """Texts shorter than this many shingles are never called copies (too little text)."""


DEFAULT_PARAMS = GroupParams()
