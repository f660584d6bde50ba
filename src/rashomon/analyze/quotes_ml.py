"""Direct quotes in languages other than English, without a parser.

``extract_quotes_ml(article)`` finds what an article in Russian, German, French or Spanish
(any language with a lexicon in ``data/speech/``) quotes, and who said it:

1. the quoted words: text between quotation marks (« », „ “, “ ”, ‚ ‘, » «, ‹ ›, " ")
   of at least :data:`MIN_QUOTE_WORDS` words, and, where the language writes speech that
   way, a paragraph opened by a dash ("— …, — заявил он");
2. the cue: a speech verb or "according to" phrase of the language's lexicon in the
   clause around the quote (after the closing mark up to the sentence's end, or from the
   sentence's start to the opening mark), the nearest to the quote;
3. the speaker: the capitalised word run (a name) next to the cue — titles before it become
   a description, function words are dropped; a lone surname or an inflected form joins the
   fullest name of the article with its transliteration key (Ушакова → Юрий Ушаков); a pronoun
   takes the person named last before the clause; a title alone is a description;
4. relays: a capitalised run after a relay cue ("передает ТАСС", "berichtete dpa").

Every quote, speaker and mention keeps its span in ``article.text``. The speaker's name stays
in the article's script; :func:`latin_name` gives it in Latin letters and :func:`name_key` the
key that Ушаков, Ushakov and Uschakow share.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Article, Mention, Quote, Sentence, Span

QUOTE_MARKS: tuple[tuple[str, str], ...] = (
    ("«", "»"), ("„", "“"), ("„", "”"), ("“", "”"), ("‚", "‘"), ("»", "«"), ("‹", "›"), ('"', '"'),
)
"""Opening and closing marks, outer marks first (Russian nests „ “ inside « »)."""
MIN_QUOTE_WORDS = 3
"""Fewer words between marks are a name or a scare quote («Газпром», „Deal“), not speech.
A general bound, the same as the English rules' contained-quote minimum; not fitted."""
MAX_QUOTE_CHARS = 1500
"""A 'quote' longer than this is an unclosed mark swallowing the article."""
MAX_CLAUSE_WORDS = 12
"""The attribution clause around a quote is read up to this many words from the mark."""

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|-)*[^\W\d_]|[^\W\d_]", re.UNICODE)
"""A word: letters, inner hyphens (пресс-секретарь); an apostrophe splits (l'AFP → l, AFP)."""


@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    """One language's speech words (``data/speech/<lang>.json``)."""

    language: str
    speech_verbs: tuple[tuple[str, ...], ...]
    according_to: tuple[tuple[str, ...], ...]
    after_quote_cues: tuple[tuple[str, ...], ...]
    relay_cues: tuple[tuple[str, ...], ...]
    titles: tuple[str, ...]
    pronouns: frozenset[str]
    name_particles: frozenset[str]
    dash_speech: bool
    romanisation: tuple[tuple[str, str], ...]
    function_words: frozenset[str]
    max_name_words: int | None = None
    """Longest name the language writes without a patronymic (None: no bound)."""
    long_name_middle_suffixes: tuple[str, ...] = ()
    """Endings of the middle word that make a name one word longer (patronymics)."""
    cue_words: frozenset[str] = frozenset()
    """Every word of a cue or relay phrase: never part of a name ("Laut Varga")."""


def _phrases(words: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_WORD.findall(w.lower())) for w in words)


def _function_words(language: str) -> frozenset[str]:
    """spaCy's maintained stop words of the language (none when spaCy has no list). The list's
    file is read alone: importing its language package costs about two seconds."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("spacy.lang")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / language / "stop_words.py"
        if path.is_file():
            module_spec = importlib.util.spec_from_file_location(f"_rashomon_stop_words_{language}", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            return frozenset(module.STOP_WORDS)
    return frozenset()


@lru_cache(maxsize=None)
def lexicon(language: str | None) -> SpeechLexicon | None:
    """The speech lexicon of ``language`` (ISO 639-1), or None when there is none."""
    if not language or not re.fullmatch(r"[a-z]{2,3}", language):
        return None
    path = resources.files("rashomon") / "data" / "speech" / f"{language}.json"
    if not path.is_file():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    return SpeechLexicon(
        language=d["language"], speech_verbs=_phrases(d["speech_verbs"]), according_to=_phrases(d["according_to"]),
        after_quote_cues=_phrases(d["after_quote_cues"]), relay_cues=_phrases(d["relay_cues"]),
        titles=tuple(t.lower() for t in d["titles"]), pronouns=frozenset(d["pronouns"]),
        name_particles=frozenset(d["name_particles"]), dash_speech=bool(d["dash_speech"]),
        romanisation=tuple((a, b) for a, b in d["romanisation"]), function_words=_function_words(language),
        max_name_words=d.get("max_name_words"), long_name_middle_suffixes=tuple(d.get("long_name_middle_suffixes", ())),
        cue_words=frozenset(w for key in ("speech_verbs", "according_to", "after_quote_cues", "relay_cues")
                            for p in _phrases(d[key]) for w in p),
    )


def languages() -> tuple[str, ...]:
    """Languages with a speech lexicon."""
    folder = resources.files("rashomon") / "data" / "speech"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json")))


# ----------------------------------------------------------------------------- names


def latin_name(name: str) -> str:
    """A name in Latin letters (``anyascii``): Марта Коваленко → Marta Kovalenko."""
    from anyascii import anyascii  # ISC licence; transliterates every script to ASCII

    return anyascii(name).replace("'", "")


def name_key(word: str, language: str | None = None) -> str:
    """The transliteration key of one name word, after the language's own respellings of
    foreign names (German Uschakow → ushakov): Ушаков, Ushakov and Uschakow share it."""
    from ..reconcile.names import translit_key

    lex = lexicon(language)
    if lex is not None and lex.romanisation:
        from anyascii import anyascii

        word = anyascii(word).lower()
        table = dict(lex.romanisation)
        pattern = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
        word = re.sub(pattern, lambda m: table[m.group(0)], word)  # one pass: no respelling is respelled
    return translit_key(word)


def initial_key(word: str, language: str | None = None) -> str:
    """A first name's initial as romanisations agree on it: a vowel, й, j or y at the start is
    one class (Юрий: Yuri, Iouri, Juri; Евгений: Yevgeny, Evgeni, Jewgeni)."""
    key = name_key(word, language)[:1]
    return "v" if key in ("a", "e", "i", "o", "u", "y", "j") else key


# ----------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capital(self) -> bool:
        return self.text[0].isupper()


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    return [_Token(m.group(0), start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»“”']?\s+(?=[\"«„“—–-]?\s*[^\W\d_])|\n+")


def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences by punctuation and line breaks (no parser): for the analysis record."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            out.append(Sentence(start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append(Sentence(start, len(text.rstrip())))
    return tuple(out)


def _quoted(text: str) -> list[tuple[int, int, int, int]]:
    """(open mark, content start, content end, close mark end) of every quotation, outer first."""
    found: list[tuple[int, int, int, int]] = []
    taken: list[tuple[int, int]] = []
    for open_, close in QUOTE_MARKS:
        pattern = re.compile(re.escape(open_) + r"([^" + re.escape(close) + r"\n]{1,%d})" % MAX_QUOTE_CHARS + re.escape(close))
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            body_s, body_e = _strip(text, m.start(1), m.end(1))
            if len(_WORD.findall(text[body_s:body_e])) < MIN_QUOTE_WORDS:
                continue
            taken.append((s, e))
            found.append((s, body_s, body_e, e))
    return sorted(found)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    return s, e


_DASH_LINE = re.compile(r"(?m)^[—–]\s*(?P<q>[^\n]+?)(?:[,!?…])?\s+[—–]\s+(?P<c>[^\n]+)$")


def _dashed(text: str) -> list[tuple[int, int, int, int]]:
    """Dash-introduced speech: a paragraph "— words, — said X." (the words, then the clause)."""
    out = []
    for m in _DASH_LINE.finditer(text):
        s, e = _strip(text, m.start("q"), m.end("q"))
        if len(_WORD.findall(text[s:e])) >= MIN_QUOTE_WORDS:
            out.append((m.start(), s, e, m.start("c")))
    return out


def _clause_after(text: str, at: int) -> tuple[int, int]:
    m = re.compile(r"[.!?…\n«„“]").search(text, at)
    return at, (m.start() if m else len(text))


def _clause_before(text: str, at: int) -> tuple[int, int]:
    cut = max(text.rfind(ch, 0, at) for ch in ".!?…\n»“”")
    return cut + 1, at


# ----------------------------------------------------------------------------- cues and names


def _find_phrase(tokens: list[_Token], phrases, *, nearest_first: bool) -> tuple[int, int] | None:
    """(first, last+1) token index of the phrase nearest the quote."""
    order = range(len(tokens)) if nearest_first else range(len(tokens) - 1, -1, -1)
    for i in order:
        for p in phrases:
            if p and i + len(p) <= len(tokens) and all(tokens[i + k].lower == p[k] for k in range(len(p))):
                return i, i + len(p)
    return None


def _is_title(word: str, lex: SpeechLexicon) -> bool:
    w = word.lower()
    return any(w == t or (len(t) >= 4 and w.endswith(t)) for t in lex.titles)


def _runs(tokens: list[_Token], lex: SpeechLexicon, text: str) -> list[tuple[int, int]]:
    """Capitalised word runs (names), particles allowed inside; function words and titles
    at a run's edges are not part of the name. (first, last+1) token indexes."""
    runs, i = [], 0
    while i < len(tokens):
        if not _name_word(tokens[i], lex):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and text[tokens[j - 1].end:tokens[j].start].strip() in ("", "-", "'", "’"):
            if _name_word(tokens[j], lex):
                j += 1
            elif tokens[j].lower in lex.name_particles and j + 1 < len(tokens) and _name_word(tokens[j + 1], lex):
                j += 2
            else:
                break
        a, b = i, j
        while b - a > 1 and tokens[a].text.isupper() and len(tokens[a].text) > 1:
            a += 1  # an acronym before a name is an organisation (МЧС Олег Сорокин), not a name word
        if lex.max_name_words and b - a > lex.max_name_words:
            longer = tokens[b - 2].lower.endswith(lex.long_name_middle_suffixes) if lex.long_name_middle_suffixes else False
            a = b - lex.max_name_words - (1 if longer else 0)
        runs.append((a, b))
        i = j
    return runs


def _name_word(t: _Token, lex: SpeechLexicon) -> bool:
    return (t.capital and t.lower not in lex.function_words and t.lower not in lex.pronouns
            and t.lower not in lex.cue_words and not _is_title(t.text, lex))


@dataclass(frozen=True, slots=True)
class _Speaker:
    span: Span
    name: str | None
    kind: str


def _speaker(tokens: list[_Token], cue: tuple[int, int], after: bool, lex: SpeechLexicon, article: Article,
             previous: str | None) -> _Speaker | None:
    """The name next to the cue: after it ("— заявил Ушаков", "sagte Varga"), else before it
    ("Ушаков заявил"); a pronoun next to the cue takes the person named last before; a title alone
    is a description."""
    text = article.text
    runs = _runs(tokens, lex, text)
    after_cue = [r for r in runs if r[0] >= cue[1]]
    before_cue = [r for r in runs if r[1] <= cue[0]]
    pick = (after_cue[0] if after_cue else None) if after else (before_cue[-1] if before_cue else None)
    if pick is None:
        pick = (before_cue[-1] if before_cue else None) if after else (after_cue[0] if after_cue else None)
    near = tokens[cue[1]:cue[1] + 2] + tokens[max(0, cue[0] - 2):cue[0]]
    pronoun = next((t for t in near if t.lower.rsplit("-", 1)[-1] in lex.pronouns), None)  # a-t-elle
    if pick is not None and (pronoun is None or _distance(pick, cue) <= 2):
        s, e = tokens[pick[0]].start, tokens[pick[1] - 1].end
        return _Speaker(Span.of(article.id, text, s, e), text[s:e], "person")
    if pronoun is not None:
        return _Speaker(Span.of(article.id, text, pronoun.start, pronoun.end), previous,
                        "person" if previous else "unknown")
    titles = [t for t in tokens if _is_title(t.text, lex)]
    if titles:
        t = min(titles, key=lambda t: min(abs(t.start - tokens[cue[0]].start), abs(t.end - tokens[cue[1] - 1].end)))
        return _Speaker(Span.of(article.id, text, t.start, t.end), None, "description")
    return None


def _distance(run: tuple[int, int], cue: tuple[int, int]) -> int:
    return run[0] - cue[1] if run[0] >= cue[1] else cue[0] - run[1]


def _relays(tokens: list[_Token], lex: SpeechLexicon, text: str, speaker: Span | None) -> tuple[str, ...]:
    found = []
    for i in range(len(tokens)):
        for p in lex.relay_cues:
            if p and i + len(p) <= len(tokens) and all(tokens[i + k].lower == p[k] for k in range(len(p))):
                for a, b in _runs(tokens[i + len(p):], lex, text)[:1]:
                    first, last = tokens[i + len(p) + a], tokens[i + len(p) + b - 1]
                    if speaker is None or not (first.start < speaker.end and speaker.start < last.end):
                        found.append(text[first.start:last.end])
    return tuple(dict.fromkeys(found))


# ----------------------------------------------------------------------------- the step


@dataclass(frozen=True, slots=True)
class QuotesML:
    """What the step adds: the quotes and a mention for every named speaker."""

    quotes: tuple[Quote, ...]
    mentions: tuple[Mention, ...]


def extract_quotes_ml(article: Article) -> QuotesML:
    """Direct quotes of a non-English article with a speech lexicon (empty without one)."""
    lex = lexicon(article.language)
    if lex is None:
        return QuotesML((), ())
    text = article.text
    found = [(q, False) for q in _quoted(text)] + ([(q, True) for q in _dashed(text)] if lex.dash_speech else [])
    found = sorted((q for q in found if not any(o[0][0] < q[0][0] < o[0][3] for o in found if o is not q)),
                   key=lambda x: x[0][0])
    names, named = _article_names(text, lex)
    quotes, mentions = [], []
    for (open_at, s, e, close_end), dashed in found:
        attribution = _attribution(text, open_at, close_end, dashed, lex)
        if attribution is None:
            continue
        tokens, cue, after = attribution
        earlier = [name for end, name in named if end <= tokens[0].start]
        speaker = _speaker(tokens, cue, after, lex, article, earlier[-1] if earlier else None)
        name = speaker.name if speaker is not None else None
        if name is not None and speaker is not None and speaker.span.text == name:
            name = names.get(_run_key(name, lex), name)
            mentions.append(Mention(speaker.span, "PERSON", name))
        cue_text = text[tokens[cue[0]].start:tokens[cue[1] - 1].end]
        quotes.append(Quote(
            span=Span.of(article.id, text, s, e), kind="direct", cue=cue_text,
            relays=_relays(tokens, lex, text, speaker.span if speaker else None),
            speaker_name=name, speaker_span=speaker.span if speaker else None,
            speaker_type="PERSON" if name else None, speaker_kind=speaker.kind if speaker else None,
        ))
    return QuotesML(tuple(quotes), tuple(mentions))


def _attribution(text: str, open_at: int, close_end: int, dashed: bool, lex: SpeechLexicon):
    """(clause tokens, cue token range, cue is after the quote) or None when no cue is near."""
    a_s, a_e = (close_end, text.find("\n", close_end) if "\n" in text[close_end:] else len(text)) if dashed \
        else _clause_after(text, close_end)
    after = _tokens(text, a_s, a_e)[:MAX_CLAUSE_WORDS]
    if after:
        first = after[:1]
        cue = _find_phrase(after, lex.speech_verbs + lex.according_to, nearest_first=True)
        if cue is None and lex.after_quote_cues and text[close_end:first[0].start].strip() == ",":
            cue = _find_phrase(first, lex.after_quote_cues, nearest_first=True)
        if cue is not None:
            return after, cue, True
    if dashed:
        return None
    b_s, b_e = _clause_before(text, open_at)
    before = _tokens(text, b_s, b_e)[-MAX_CLAUSE_WORDS:]
    cue = _find_phrase(before, lex.speech_verbs + lex.according_to, nearest_first=False)
    return (before, cue, False) if cue is not None else None


def _run_key(name: str, lex: SpeechLexicon) -> tuple[str, str]:
    words = _WORD.findall(name)
    return (initial_key(words[0], lex.language) if len(words) > 1 else "", name_key(words[-1], lex.language))


def _article_names(text: str, lex: SpeechLexicon) -> tuple[dict[tuple[str, str], str], list[tuple[int, str]]]:
    """(first initial key, surname key) → the article's fullest name with that surname: a lone
    surname (("", key)) or an inflected full name meets the first full form; and every place a
    known person is named ((end offset, name), in order) for the pronouns."""
    full: dict[str, list[str]] = {}
    runs: list[tuple[int, str]] = []
    for para_s, para_e in ((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)):
        tokens = _tokens(text, para_s, para_e)
        for a, b in _runs(tokens, lex, text):
            name = text[tokens[a].start:tokens[b - 1].end]
            runs.append((tokens[b - 1].end, name))
            if b - a >= 2:
                full.setdefault(name_key(tokens[b - 1].text, lex.language), []).append(name)
    out: dict[tuple[str, str], str] = {}
    for surname, forms in full.items():
        for form in forms:
            out.setdefault(_run_key(form, lex), form)
        if len({_run_key(f, lex)[0] for f in forms}) == 1:  # one person with this surname
            out[("", surname)] = forms[0]
    named = [(end, out[_run_key(name, lex)]) for end, name in runs if _run_key(name, lex) in out]
    return out, named
