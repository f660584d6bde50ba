"""An invented story, built directly as a Brief (no pipeline): every field the story page shows is filled.

The texts are made up for the tests; one title and one quote carry markup that must stay text.
"""

from __future__ import annotations

from rashomon.model import (Article, Brief, Claim, Conflict, Entity, Event, QuoteVariant, Span, Statement,
                            SummarySentence)

TEXTS = {
    "a1": ("The Eastwick harbour board voted on Tuesday to keep the winter ferry running twice a day.\n\n"
           "Chair Mira Tollan said the board had approved 12 crossings a week. "
           "The new timetable starts on 3 November, the board said."),
    "a2": ("(Wire Agency) - The Eastwick harbour board voted on Tuesday to keep the winter ferry running.\n\n"
           "Mira Tollan said the board approved 14 crossings a week. "
           "Ferry workers welcomed the decision, according to their union."),
    "a3": ("(Wire Agency) - Eastwick's harbour board voted on Tuesday to keep its winter ferry.\n\n"
           "A reader wrote <img src=x onerror=alert(1)> into the comment box. "
           "The board will meet again in January."),
}
HOSTILE_TITLE = "Ferry <script>alert('owned')</script> vote"


def span(article: str, words: str) -> Span:
    text = TEXTS[article]
    start = text.index(words)
    return Span.of(article, text, start, start + len(words))


def invented_brief(*, claims: int = 0) -> Brief:
    """The invented ferry story; ``claims`` more one-outlet claims pad the list (for paging)."""
    articles = (
        Article(id="a1", source="gazette.txt", text=TEXTS["a1"], title="Harbour board keeps the winter ferry",
                outlet="Harbour Gazette", outlet_basis="stated", published="2031-10-14", published_basis="stated"),
        Article(id="a2", source="post.txt", text=TEXTS["a2"], title=HOSTILE_TITLE, outlet="Coast Post",
                outlet_basis="stated", published="2031-10-15", published_basis="inferred",
                published_note="the day after article a1's 'Tuesday'", origin="Wire Agency",
                origin_span=span("a2", "Wire Agency")),
        Article(id="a3", source="times.txt", text=TEXTS["a3"], title=None, outlet="Bay Times", outlet_basis="stated",
                published=None, origin="Wire Agency", origin_span=span("a3", "Wire Agency")),
    )
    vote = [span("a1", "The Eastwick harbour board voted on Tuesday to keep the winter ferry running twice a day."),
            span("a2", "The Eastwick harbour board voted on Tuesday to keep the winter ferry running."),
            span("a3", "Eastwick's harbour board voted on Tuesday to keep its winter ferry.")]
    padding = tuple(Claim(id=f"cpad{i:03d}", text=f"Padding claim number {i} about the ferry.", status="single_source",
                          support=(vote[0],), conflicts=(), articles=("a1",), origins=("Harbour Gazette",))
                    for i in range(claims))
    brief_claims = (
        Claim(id="cvote", text="The harbour board voted on Tuesday to keep the winter ferry.", status="agreed",
              support=tuple(vote), conflicts=(), articles=("a1", "a2", "a3"),
              origins=("Harbour Gazette", "Wire Agency"), evidence={"similarity": 0.91, "matched": "vote, ferry"}),
        Claim(id="ccross", text="The board approved 12 crossings a week.", status="conflicting",
              support=(span("a1", "the board had approved 12 crossings a week"),),
              conflicts=(Conflict(span("a2", "the board approved 14 crossings a week"), "12 vs 14 crossings"),),
              articles=("a1", "a2"), origins=("Harbour Gazette", "Wire Agency")),
        Claim(id="cimg", text="A reader wrote <img src=x onerror=alert(1)> into the comment box.",
              status="single_source", support=(span("a3", "A reader wrote <img src=x onerror=alert(1)> into the comment box."),),
              conflicts=(), articles=("a3",), origins=("Wire Agency",)),
    ) + padding
    statements = (
        Statement(id="st-tollan", speaker_entity="e-tollan", speaker_name="Mira Tollan",
                  text="the board had approved 12 crossings a week",
                  variants=(QuoteVariant(span("a1", "the board had approved 12 crossings a week"), "indirect", "said", (),
                                         span("a1", "Chair Mira Tollan")),
                            QuoteVariant(span("a2", "the board approved 14 crossings a week"), "indirect", "said",
                                         ("Wire Agency",), span("a2", "Mira Tollan"))),
                  speaker_kind="person", origins=("Harbour Gazette", "Wire Agency")),
        Statement(id="st-union", speaker_entity=None, speaker_name="their union",
                  text="Ferry workers welcomed the decision",
                  variants=(QuoteVariant(span("a2", "Ferry workers welcomed the decision"), "indirect",
                                         "according to", (), span("a2", "their union")),),
                  speaker_kind="description", origins=("Wire Agency",)),
    )
    events = (
        Event(id="ev-vote", date="2031-10-14", date_basis="explicit", description="The harbour board votes on the ferry",
              actors=("Eastwick harbour board",), evidence=tuple(vote)),
        Event(id="ev-start", date="2031-11-03", date_basis="explicit", description="The new timetable starts",
              actors=(), evidence=(span("a1", "The new timetable starts on 3 November"),)),
        Event(id="ev-meet", date=None, date_basis="unknown", description="The board meets again",
              actors=(), evidence=(span("a3", "The board will meet again in January."),)),
    )
    ids = ["a1", "a2", "a3"]
    matrix = [["reports", "reports", "reports"], ["reports", "contradicts", "silent"],
              ["silent", "silent", "reports"]] + [["reports", "silent", "silent"]] * claims
    return Brief(
        id="s-ferry", title="Harbour board keeps the winter ferry", articles=articles,
        entities=(Entity("e-tollan", "Mira Tollan", "PERSON", ("Mira Tollan", "Tollan"), ("chair",),
                         (span("a1", "Chair Mira Tollan"),)),),
        statements=statements, events=events, claims=brief_claims,
        summary=(SummarySentence("The Eastwick harbour board voted to keep the winter ferry.", tuple(vote)),),
        framing=(), coverage={"articles": ids, "claims": [c.id for c in brief_claims], "matrix": matrix},
        topic="t-eastwick-ferry")
