"""The static HTML and the Markdown: one renderer with the web page, self-contained, untrusted text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from rashomon.render.html import render_html, render_index, static_view, story_body
from rashomon.render.markdown import render_markdown, text
from rashomon.render.view import brief_view

from .invented import HOSTILE_TITLE, invented_brief


class Page(HTMLParser):
    """Tags, ids, hrefs and the text of one section of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.text: dict[str, list[str]] = {}
        self._section: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "section":
            self._section.append(attrs.get("id") or "")

    def handle_endtag(self, tag):
        if tag == "section" and self._section:
            self._section.pop()

    def handle_data(self, data):
        if self._section:
            self.text.setdefault(self._section[-1], []).append(data)

    def section(self, sid: str) -> str:
        return " ".join("".join(self.text.get(sid, [])).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_static_html_is_self_contained_and_every_citation_lands():
    html = render_html([invented_brief()], title="Ferry")
    page = parse(html)
    assert not [a for t, a in page.tags if t == "link" or (t == "script" and a.get("src")) or (t == "img")]
    assert "<style>" in html and "[data-pager" not in html.split("<style>")[1].split("</style>")[0]
    cites = [a["href"] for t, a in page.tags if t == "a" and "cite" in (a.get("class") or "")]
    assert cites and all(h.startswith("#") and h[1:] in page.ids for h in cites)
    for tag, attrs in page.tags:
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            assert attrs["href"][1:] in page.ids, attrs["href"]
    for sid in ("summary", "timeline", "statements", "claims", "coverage", "entities", "framing", "articles"):
        assert sid in page.ids


def test_untrusted_text_stays_text_in_html():
    html = render_html([invented_brief()])
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Ferry &lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; vote" in html
    page = parse(html)
    assert [a for t, a in page.tags if t == "script"] == [{}]  # the page's own inline filtering script, only
    assert not [t for t, a in page.tags if t == "img" or any(k.startswith("on") for k in a)]


def test_the_web_body_and_the_static_body_show_the_same_content():
    brief = invented_brief(claims=5)
    web = parse(story_body(brief_view(brief)))
    static = parse(story_body(static_view(brief)))
    for sid in ("summary", "timeline", "statements", "claims", "coverage", "entities", "framing"):
        assert web.section(sid) == static.section(sid), sid
    # the static file adds the articles' texts; the web page links to the article pages instead
    assert static.section("articles").startswith(web.section("articles"))
    assert len(static.section("articles")) > len(web.section("articles")) + 300


def test_timeline_and_heatmap_are_in_the_static_file_with_text_alternatives():
    page = parse(render_html([invented_brief()]))
    svg = [a for t, a in page.tags if t == "svg"]
    assert svg and svg[0].get("role") == "group" and svg[0].get("aria-labelledby") in page.ids
    markers = [a for t, a in page.tags if t == "a" and "marker" in (a.get("class") or "")]
    assert [m["href"] for m in markers] == ["#ev-vote", "#ev-start"]
    titles = re.findall(r'<a class="marker[^>]*><circle[^>]*></circle><title>([^<]+)</title></a>', render_html([invented_brief()]))
    assert len(titles) == 2 and titles[0].startswith("Tue 14 Oct 2031: The harbour board votes on the ferry")
    cells = [a for t, a in page.tags if t == "td" and "cell" in (a.get("class") or "")]
    assert len(cells) == 9
    assert {a["class"] for a in cells} == {"cell cell-reports", "cell cell-contradicts", "cell cell-silent"}
    groups = [a for t, a in page.tags if t == "th" and a.get("class") == "origin-group"]
    assert [g["colspan"] for g in groups] == ["2", "1"]


def test_filtered_static_state_renders_hidden_rows():
    from rashomon.render.view import ViewState

    view = static_view(invented_brief(), ViewState(status="conflicting"))
    html = str(story_body(view))
    rows = re.findall(r'<tr id="(c\w+)" class="claim[^"]*"[^>]*?( hidden)?>', html)
    assert rows == [("cvote", " hidden"), ("ccross", ""), ("cimg", " hidden")]


def test_contents_page_links_each_story_file():
    briefs = [invented_brief(), invented_brief(claims=2)]
    index = render_index(briefs, lambda b: f"{b.id}.html")
    page = parse(index)
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert hrefs == ["s-ferry.html", "s-ferry.html"]
    assert "1 disputed" in index and "<script" not in index
    both = render_html(briefs)
    assert both.count('class="story-row"') == 2 and both.count('<article class="story"') == 2


def test_markdown_escapes_html_and_markdown():
    md = render_markdown(invented_brief())
    assert "<script" not in md and "<img" not in md
    assert "Ferry &lt;script&gt;alert('owned')&lt;/script&gt; vote" in md
    assert text("[click](javascript:alert(1)) `x` | y") == "\\[click\\](javascript:alert(1)) \\`x\\` \\| y"
    assert text("a\n\nb  c") == "a b c"


def test_markdown_renders_to_no_raw_html():
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(render_markdown(invented_brief()))
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "alert('owned')" in html.replace("&#39;", "'")
    assert html.count("<tr>") >= 3 + 1 + 3 + 1  # the claims table and the coverage table


def test_markdown_shows_the_view_model():
    md = render_markdown(invented_brief())
    assert "1 agreed · 1 disputed · 1 one outlet" in md
    assert "| **disputed** | The board approved 12 crossings a week. |" in md
    assert "12 vs 14 crossings" in md and "Harbour Gazette, Wire Agency" in md
    assert "| claim | Bay Times (Wire Agency) | Coast Post (Wire Agency) |" in md
    assert "2031-10-15 (inferred: the day after article a1's 'Tuesday')" in md
    assert "### Mira Tollan (person)" in md and "via Wire Agency" in md
    assert "None" not in md
