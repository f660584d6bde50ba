"""Independent origins: copies, articles crediting one wire and quotes relayed through one agency
count once; agreement is decided on origins, not outlets. Every article here is invented."""

from __future__ import annotations

from rashomon.model import Article, QuoteVariant, Span, Statement
from rashomon.reconcile.origins import Origins

BODIES = {
    "Harbour Times": "Dock workers at Kessel walked out on Monday over pay, halting the ferry terminal for the day. "
                     "The union said 400 members joined the strike. Shipping lines diverted three cargo vessels "
                     "to the port of Brannock.",
    "Valley Post": "The union said 400 members joined the strike at Kessel on Monday. Traders near the terminal said "
                   "the quays were silent all morning, and a queue of lorries formed on the coast road.",
    "Daily Meridian": "Kessel's ferry terminal stood idle on Monday as the union said 400 members joined the strike. "
                      "Port officials said talks with the union would resume on Wednesday in Brannock.",
    "Norpress": "The union said 400 members joined the strike at Kessel on Monday, according to a statement sent "
                "to Norpress. The port authority said it regretted the walkout and hoped for a quick agreement.",
}


def article(outlet: str, origin: str | None, n: int) -> Article:
    return Article(id=f"a{n}", source=f"{outlet}.txt", text=BODIES[outlet], title=f"Kessel dock strike ({outlet})",
                   outlet=outlet, outlet_basis="stated", origin=origin, published="2025-06-02",
                   published_basis="stated")


def test_three_outlets_repeating_one_wire_are_one_origin():
    arts = [article("Harbour Times", "AP", 1), article("Valley Post", "AP", 2), article("Daily Meridian", "AP", 3),
            article("Norpress", None, 4)]
    origins = Origins(arts)
    assert origins.count(["a1", "a2", "a3"]) == 1
    assert origins.of_articles(["a1", "a2", "a3"]) == ("AP",)
    assert origins.of_articles(["a3", "a4", "a1"]) == ("AP", "Norpress")
    assert origins.summary(["a1", "a2", "a3", "a4"]) == "4 articles · 2 independent origins (AP, Norpress)"


def test_a_copy_counts_as_its_original():
    original = article("Harbour Times", None, 1)
    copy = Article(id="a2", source="copy.txt", text=BODIES["Harbour Times"], outlet="Valley Post",
                   duplicate_of="a1")
    unknown = Article(id="a3", source="x.txt", text=BODIES["Daily Meridian"])
    origins = Origins([original, copy, unknown])
    assert origins.count(["a1", "a2"]) == 1
    assert origins.of_articles(["a1", "a2", "a3"]) == ("Harbour Times", "article 3")


def test_quotes_relayed_through_one_agency_count_once():
    arts = [article("Harbour Times", None, 1), article("Valley Post", None, 2), article("Daily Meridian", None, 3)]
    origins = Origins(arts)

    def variant(aid: str, relays: tuple[str, ...]) -> QuoteVariant:
        return QuoteVariant(Span(aid, 0, 4, "Dock"), "direct", "said", relays, None)

    relayed = Statement("s1", None, "Eva Lind", "We will not go back", (
        variant("a1", ("Norpress",)), variant("a2", ("Norpress",)), variant("a3", ())))
    assert origins.of_statement(relayed) == ("Norpress", "Daily Meridian")


def test_articles_of_one_wire_make_single_source_claims(tmp_path):
    """Three outlets running one AP report agree with nothing but AP: their shared claims are
    single-source, and each names AP as its one origin."""
    from rashomon.analyze.article import analyze_articles
    from rashomon.reconcile.brief import build_brief

    arts = [article("Harbour Times", "AP", 1), article("Valley Post", "AP", 2), article("Daily Meridian", "AP", 3)]
    brief = build_brief("s", analyze_articles(arts))
    strike = [c for c in brief.claims if "400 members" in c.text]
    assert strike and all(c.origins == ("AP",) for c in strike)
    assert all(c.status == "single_source" for c in strike), [(c.status, c.articles) for c in strike]
    assert any(len(c.articles) >= 2 for c in strike)  # aligned across outlets, still one origin
    assert brief.coverage["origins"] == ["AP", "AP", "AP"]


def test_independent_outlets_agree(tmp_path):
    from rashomon.analyze.article import analyze_articles
    from rashomon.reconcile.brief import build_brief

    arts = [article("Harbour Times", None, 1), article("Valley Post", None, 2), article("Daily Meridian", "AP", 3)]
    brief = build_brief("s", analyze_articles(arts))
    strike = [c for c in brief.claims if "400 members" in c.text]
    assert any(c.status == "agreed" and len(c.origins) >= 2 for c in strike), \
        [(c.status, c.origins, c.text) for c in brief.claims]
