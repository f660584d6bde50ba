"""Typed records that flow through the pipeline.

ingest → :class:`Article`; analyze → :class:`Analysis`; group → story ids; reconcile →
:class:`Brief`. Every record is a frozen dataclass; every piece of text the output shows
carries a :class:`Span` into its article's ``text`` (``text[start:end] == span.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PublishedBasis = Literal["stated", "inferred", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
ClaimStatus = Literal["agreed", "conflicting", "single_source"]
DateBasis = Literal["explicit", "relative", "inferred", "unknown"]
RemovedKind = Literal["boilerplate", "caption", "link", "byline", "dateline", "other",
                      "credit", "share", "promo", "copyright", "navigation", "comment"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one article's clean text."""

    article: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article_id: str, text: str, start: int, end: int) -> Span:
        """The span ``text[start:end]`` of article ``article_id``."""
        return cls(article_id, start, end, text[start:end])


@dataclass(frozen=True, slots=True)
class Removed:
    """A block taken out of an article's text, and why."""

    kind: RemovedKind
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news report as read from a file, record or URL."""

    id: str
    """Content hash of the clean text and title (stable across runs and paths)."""
    source: str
    """Path or URL it was read from."""
    text: str
    """Clean body text; every span offset points into it."""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    """Only where the input names it; never guessed."""
    outlet_basis: Literal["stated", "inferred"] | None = None
    published: str | None = None
    """YYYY-MM-DD."""
    published_basis: PublishedBasis = "unknown"
    published_note: str | None = None
    """How an inferred date was reached (which article and expression)."""
    language: str | None = None
    duplicate_of: str | None = None
    removed: tuple[Removed, ...] = ()
    outlet_span: Span | None = None
    """The words that state the outlet (a credit, dateline or copyright line), where stated."""
    origin: str | None = None
    """The wire or agency the text credits as the report's source ("Reuters" in another
    outlet's "(Reuters) -" credit); None where it credits none. Used to count independent origins."""
    origin_span: Span | None = None
    language_basis: str | None = None
    """How ``language`` was found ("detected" by a language identifier, or "stated" by the input)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read, with the reason and the fix."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention in one article."""

    span: Span
    type: str
    """PERSON, ORG, GPE, LOC, NORP, EVENT or OTHER."""
    name: str
    """The fullest form of this referent's name in the article ("Ushakov" → "Yuri Ushakov")."""
    role: str | None = None
    """A title or role the article attaches to this mention ("Kremlin aide")."""
    role_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation or reported statement in one article."""

    span: Span
    """The content of what was said (inside the marks for a direct quote)."""
    kind: QuoteKind
    cue: str | None
    """The cue verb or phrase as written ("said", "according to")."""
    relays: tuple[str, ...]
    """Outlets, agencies or platforms named as the channel, nearest first."""
    speaker_name: str | None
    """Resolved full name where the article gives one; None when unresolved."""
    speaker_span: Span | None
    """The words that name the speaker at this quote ("the aide", "he", "Ushakov")."""
    speaker_type: str | None = None
    """PERSON, ORG, ... of the resolved speaker, where known."""
    speaker_kind: str | None = None
    """person / organisation / description / unknown; None when the text names no source."""


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression normalised to a TimeML TIMEX3 value."""

    span: Span
    type: TimeType
    value: str | None
    """TIMEX3 value (2025-08-06, 2025-W33, P3H, PRESENT_REF); None while unresolved."""
    anchored: bool = False
    """True when the value depends on the article's date (a relative expression)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A typed value inside a claim: a number, date, place or actor."""

    kind: Literal["number", "date", "place", "actor", "duration", "negation", "modality"]
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class ClaimMention:
    """An atomic factual statement in one article, with its facts."""

    span: Span
    facts: tuple[Fact, ...] = ()
    sentence: int = 0
    """Index of the sentence it came from."""
    terms: tuple[str, ...] = ()
    """Its content words as lemmas ("agreeing" → "agree"), for aligning claims across articles."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """One article analysed alone."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    claims: tuple[ClaimMention, ...] = ()
    embedding: tuple[float, ...] = field(default=(), repr=False)
    """Unit-length sentence embedding of title and lede (empty when not computed)."""
    scope: str = "full"
    """Which steps read the article: "full" (English), "grouping and quotes" (another language
    with a speech lexicon: no parse-based claims, times or mentions), "grouping" (neither)."""
    embedding_ml: tuple[float, ...] = field(default=(), repr=False)
    """Title and lede in the multilingual space (``analyze.embed.embed_multilingual``), where
    articles in different languages are compared; empty when not computed."""


# ----------------------------------------------------------------------------- brief


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world referent across a story."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """One article's rendering of a statement."""

    span: Span
    kind: QuoteKind
    cue: str | None
    relays: tuple[str, ...]
    speaker_span: Span | None


@dataclass(frozen=True, slots=True)
class Statement:
    """One thing someone said, with every article's rendering of it."""

    id: str
    speaker_entity: str | None
    speaker_name: str | None
    text: str
    variants: tuple[QuoteVariant, ...]
    speaker_kind: str | None = None
    """person / organisation / description / unknown (None: not determined)."""
    origins: tuple[str, ...] = ()
    """Independent origins of the renderings (copies and one relaying agency count once)."""


@dataclass(frozen=True, slots=True)
class Event:
    """A timeline entry: something that happened, dated, with its evidence."""

    id: str
    date: str | None
    date_basis: DateBasis
    description: str
    actors: tuple[str, ...]
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    span: Span
    note: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact as the story's articles report it, with its status."""

    id: str
    text: str
    status: ClaimStatus
    support: tuple[Span, ...]
    conflicts: tuple[Conflict, ...]
    articles: tuple[str, ...]
    wordings: tuple[str, ...] = ()
    """Distinct characterisations of the same thing ("useful and constructive" …)."""
    origins: tuple[str, ...] = ()
    """Independent origins of the support: syndicated copies and articles crediting one wire
    count once. Agreement and single-sourcing are decided on these, not on outlets."""
    evidence: dict | None = None
    """How the alignment decision was reached (scores and what matched), for display and audit."""


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Brief:
    """The reconciled account of one story."""

    id: str
    title: str
    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    statements: tuple[Statement, ...]
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    summary: tuple[SummarySentence, ...]
    framing: tuple[dict, ...] = ()
    coverage: dict | None = None
    topic: str | None = None
    """The topic thread this story belongs to (related stories share it), where one is known."""
    scopes: tuple[tuple[str, str], ...] = ()
    """(article id, analysis scope) for every article not analysed in full (see ``Analysis.scope``)."""


@dataclass(frozen=True, slots=True)
class EntityResolution:
    """Entities of a story and how each article's mention names map onto them."""

    entities: tuple[Entity, ...]
    by_name: dict[tuple[str, str], str]
    """(article id, Mention.name) → Entity.id."""
    by_id: dict[str, Entity] = field(default_factory=dict, repr=False, compare=False)
    """Entity.id → Entity (derived from ``entities`` when not given)."""

    def __post_init__(self) -> None:
        if not self.by_id:
            object.__setattr__(self, "by_id", {e.id: e for e in self.entities})

    def entity_for(self, article_id: str, name: str | None) -> Entity | None:
        """The story entity an article's mention name resolves to, or None."""
        if name is None:
            return None
        eid = self.by_name.get((article_id, name))
        return None if eid is None else self.by_id.get(eid)
