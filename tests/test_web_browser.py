"""End to end in real headless Chromium: read a story the way an editor would.

Four seeds are ingested into a temporary store, the server runs on a free loopback port,
and the fifth seed is uploaded through the browser's form. The story page's features are
each used as an editor would (filter, fold, timeline, heatmap, exports, the static file),
and the page is checked with axe-core. Screenshots go to the test's tmp_path and to
test-output/ in the repository (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, need, seed_file

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OUTPUT = ROOT / "test-output"
HOSTILE = ("Harbour board meets over the ferry timetable\n\n"
           "The harbour board of Eastwick met on Tuesday to discuss the winter ferry timetable. "
           "A reader wrote <script>document.title='owned'</script> into the comment box, and "
           "<img src=x onerror=\"document.title='owned'\"> as well, said chair Mira Tollan.\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        message = ("headless Chromium is missing: apt-get install -y chromium chromium-driver "
                   "(needs /usr/bin/chromium and /usr/bin/chromedriver)")
        if os.environ.get("CI"):  # .ci/run installs them: a skip there would hide the browser tests
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pytest.importorskip("selenium")
    import uvicorn

    from rashomon import Store
    from rashomon.ingest.files import article_from_text
    from rashomon.pipeline import ingest, ingest_items, quiet_libraries
    from rashomon.web.app import create_app

    quiet_libraries()
    need(ROOT.parent / "shared" / "seeds")
    folder = tmp_path_factory.mktemp("web")
    held_back = seed_file("002")
    seeds = [str(p) for p in sorted(held_back.parent.glob("*.txt")) if p != held_back]
    db = folder / "web.db"
    with Store(db) as store:
        ingest(seeds, store)
        ingest_items([article_from_text(HOSTILE, source="hostile.txt")], store)
    port = free_port()
    config = uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not uv.started:
        if time.time() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start within 30 s")
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "held_back": held_back}
    uv.should_exit = True
    thread.join(timeout=10)


def chrome(profile, *, width: int, height: int, logs: bool = False):
    """Headless Debian Chromium through chromedriver, with the flags a closed network needs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory, server):
    driver = chrome(tmp_path_factory.mktemp("chromium-profile"), width=1400, height=1000, logs=True)
    driver.set_page_load_timeout(180)
    downloads = tmp_path_factory.mktemp("downloads")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def shoot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    driver.save_screenshot(str(path))
    OUTPUT.mkdir(exist_ok=True)
    shutil.copy(path, OUTPUT / name)
    return path


def wait(driver, condition, seconds: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_read_a_story_and_follow_a_citation(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server["base"] + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, ".story-row")
    assert rows, "the story list is empty"
    biggest = max(rows, key=lambda r: int(r.get_attribute("data-articles")))
    biggest.find_element(By.CSS_SELECTOR, "a.story-title").click()

    timeline = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#timeline table.timeline"))
    assert timeline.is_displayed() and len(timeline.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 3

    ushakov = [g for g in browser.find_elements(By.CSS_SELECTOR, ".speaker")
               if "Ushakov" in g.find_element(By.TAG_NAME, "h3").text]
    assert ushakov, "no statements grouped under Ushakov"
    relays = [r for g in ushakov for r in g.find_elements(By.CSS_SELECTOR, ".relay-chain")]
    assert relays, "no Ushakov quote shows the agency that relayed it"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", relays[0])
    assert relays[0].is_displayed()
    assert any(agency in " ".join(r.text for r in relays) for agency in ("TASS", "Interfax", "RIA Novosti"))
    shoot(browser, tmp_path, "web_statements.png")

    browser.execute_script("window.scrollTo(0, 0)")
    cite = browser.find_element(By.CSS_SELECTOR, "#summary a.cite")
    article_id, span = cite.get_attribute("data-article"), cite.get_attribute("data-span")
    start, end = (int(x) for x in span.split("-"))
    cite.click()
    marks = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#panel mark.hl") or False, 30)
    import httpx

    text = httpx.get(f"{server['base']}/api/articles/{article_id}").json()["article"]["text"]
    assert "".join(m.text for m in marks).split() == text[start:end].split()
    assert marks[0].is_displayed()
    assert marks[0].value_of_css_property("background-color") == "rgba(255, 224, 102, 1)"
    shoot(browser, tmp_path, "web_story.png")
    assert not csp_violations(browser)


def test_upload_joins_its_story(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server["base"] + "/")
    before = max(int(r.get_attribute("data-articles")) for r in browser.find_elements(By.CSS_SELECTOR, ".story-row"))
    browser.find_element(By.CSS_SELECTOR, "form.upload input[type=file]").send_keys(str(server["held_back"]))
    browser.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click()
    notice = wait(browser, lambda d: d.find_element(By.ID, "added"), 240)
    assert "added" in notice.text
    story = browser.find_element(By.CSS_SELECTOR, "article.story")
    assert int(story.get_attribute("data-articles")) == before + 1, "the upload did not join the seeds' story"
    shoot(browser, tmp_path, "web_uploaded.png")


def test_article_text_with_markup_renders_as_text(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server["base"] + "/search?q=ferry+timetable")
    browser.find_element(By.CSS_SELECTOR, ".hit-article a").click()
    body = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".article-text"))
    assert "<script>document.title='owned'</script>" in body.text
    assert "<img src=x onerror=" in body.text
    assert browser.title != "owned"
    assert not browser.find_elements(By.CSS_SELECTOR, ".article-text script, .article-text img")
    shoot(browser, tmp_path, "web_hostile.png")
    assert not csp_violations(browser)


# ----------------------------------------------------------------------------- the story page (issue 19)


def story_url(server, browser) -> str:
    """The seeds' story (the biggest on the list)."""
    from selenium.webdriver.common.by import By

    browser.get(server["base"] + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, ".story-row")
    biggest = max(rows, key=lambda r: int(r.get_attribute("data-articles")))
    return biggest.find_element(By.CSS_SELECTOR, "a.story-title").get_attribute("href")


def visible_claims(browser) -> list:
    from selenium.webdriver.common.by import By

    return [r for r in browser.find_elements(By.CSS_SELECTOR, "#claims tr.claim") if r.is_displayed()]


def query_of(browser) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query).items()}


def test_filter_claims_by_status_and_outlet(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url = story_url(server, browser)
    browser.get(url)
    everything = visible_claims(browser)
    assert len(everything) >= 5
    status = Select(browser.find_element(By.CSS_SELECTOR, "#claims select[name=status]"))
    status.select_by_value("single_source")
    rows = visible_claims(browser)
    assert rows and len(rows) < len(everything)
    assert {r.get_attribute("data-status") for r in rows} == {"single_source"}
    assert query_of(browser)["status"] == "single_source"
    outlets = [o.get_attribute("value") for o in
               browser.find_elements(By.CSS_SELECTOR, "#claims select[name=outlet] option") if o.get_attribute("value")]
    outlet = outlets[0]
    Select(browser.find_element(By.CSS_SELECTOR, "#claims select[name=outlet]")).select_by_value(outlet)
    both = visible_claims(browser)
    assert all(f"|{outlet}|" in r.get_attribute("data-outlets") for r in both)
    assert all(r.get_attribute("data-status") == "single_source" for r in both)
    assert query_of(browser) == {"status": "single_source", "outlet": outlet}
    browser.execute_script("document.getElementById('claims').scrollIntoView()")
    shoot(browser, tmp_path, "story_filtered.png")
    # the URL is the view: opened afresh (the server applies it), it shows the same rows
    shared, ids = browser.current_url, [r.get_attribute("id") for r in both]
    browser.get(shared)
    assert [r.get_attribute("id") for r in visible_claims(browser)] == ids
    assert Select(browser.find_element(By.CSS_SELECTOR, "#claims select[name=status]")).first_selected_option \
        .get_attribute("value") == "single_source"
    Select(browser.find_element(By.CSS_SELECTOR, "#claims select[name=status]")).select_by_value("")
    Select(browser.find_element(By.CSS_SELECTOR, "#claims select[name=outlet]")).select_by_value("")
    assert len(visible_claims(browser)) == len(everything) and "status" not in query_of(browser)
    assert not csp_violations(browser)


def test_fold_and_unfold_sections(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(story_url(server, browser))
    summary = browser.find_element(By.CSS_SELECTOR, "#timeline > details > summary")
    table = browser.find_element(By.CSS_SELECTOR, "#timeline table.timeline")
    count = summary.find_element(By.CSS_SELECTOR, ".count").text
    assert int(count) == len(browser.find_elements(By.CSS_SELECTOR, "#timeline tr.event"))
    assert table.is_displayed()
    summary.click()
    wait(browser, lambda d: not table.is_displayed(), 10)
    wait(browser, lambda d: query_of(d).get("fold") == "timeline", 10)
    shoot(browser, tmp_path, "story_folded.png")
    browser.get(browser.current_url)  # the fold is in the URL: it survives a reload
    assert not browser.find_element(By.CSS_SELECTOR, "#timeline table.timeline").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#timeline > details > summary").click()
    assert browser.find_element(By.CSS_SELECTOR, "#timeline table.timeline").is_displayed()
    wait(browser, lambda d: "fold" not in query_of(d), 10)


def test_timeline_event_leads_to_its_evidence(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(story_url(server, browser))
    markers = browser.find_elements(By.CSS_SELECTOR, "svg.timeline-strip a.marker")
    assert len(markers) >= 3
    assert browser.find_element(By.CSS_SELECTOR, "svg.timeline-strip title").get_attribute("textContent")
    marker = markers[-1]
    event_id = marker.get_attribute("data-event")
    assert marker.find_element(By.TAG_NAME, "title").get_attribute("textContent")  # its accessible name
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marker)
    marker.click()
    wait(browser, lambda d: d.execute_script("return location.hash") == "#" + event_id, 10)
    row = browser.find_element(By.ID, event_id)
    assert row.is_displayed() and row.find_elements(By.CSS_SELECTOR, "td.evidence a.cite")
    assert row.find_element(By.CSS_SELECTOR, "td.evidence .quote").text.startswith("“")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", row)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    shoot(browser, tmp_path, "story_timeline_event.png")
    # keyboard: the dots are links in the tab order
    browser.execute_script("arguments[0].focus()", markers[0])
    assert browser.switch_to.active_element.get_attribute("data-event") == markers[0].get_attribute("data-event")


def test_heatmap_cell_leads_to_the_claim_even_when_filtered_out(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(story_url(server, browser) + "?status=conflicting")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.heatmap thead th.outlet")]
    assert heads and not any(h.strip().isdigit() for h in heads), heads  # outlets, not "1 2 3 4"
    cell = browser.find_element(By.CSS_SELECTOR, "table.heatmap tbody tr td.cell-reports a")
    claim_id = cell.get_attribute("href").split("#", 1)[1]
    target = browser.find_element(By.ID, claim_id)
    if target.get_attribute("data-status") != "conflicting":
        assert not target.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    wait(browser, lambda d: d.find_element(By.ID, claim_id).is_displayed(), 10)
    assert browser.execute_script("return location.hash") == "#" + claim_id
    shoot(browser, tmp_path, "story_heatmap_claim.png")
    browser.get(story_url(server, browser))
    browser.find_element(By.ID, "coverage").location_once_scrolled_into_view
    shoot(browser, tmp_path, "story_heatmap.png")


def test_exports_download(server, browser, tmp_path):
    import json

    from selenium.webdriver.common.by import By

    browser.get(story_url(server, browser))
    story_id = browser.find_element(By.CSS_SELECTOR, "article.story").get_attribute("data-story")
    folder: Path = browser.downloads
    expected = {f"{story_id}.md", f"{story_id}.html", f"{story_id}.json", f"{story_id}-articles.jsonl"}
    for link in browser.find_elements(By.CSS_SELECTOR, ".exports a[download]"):
        link.click()
    wait(browser, lambda d: expected <= {p.name for p in folder.iterdir()}, 60)
    time.sleep(0.5)
    md = (folder / f"{story_id}.md").read_text(encoding="utf-8")
    assert md.startswith("# ") and "## Claims" in md
    doc = json.loads((folder / f"{story_id}.json").read_text(encoding="utf-8"))
    assert doc["format"] == "rashomon.brief/1" and doc["id"] == story_id
    lines = (folder / f"{story_id}-articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == int(browser.find_element(By.CSS_SELECTOR, "article.story").get_attribute("data-articles"))
    assert "<style>" in (folder / f"{story_id}.html").read_text(encoding="utf-8")


SAME_SECTIONS = ("summary", "timeline", "statements", "claims", "coverage", "entities", "framing")


def test_static_html_is_the_served_page(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    url = story_url(server, browser)
    story_id = url.rstrip("/").rsplit("/", 1)[1]
    static = tmp_path / f"{story_id}.html"
    import httpx

    static.write_bytes(httpx.get(f"{server['base']}/stories/{story_id}/brief.html", timeout=120).content)
    everything = "?claims=100000&speakers=100000"

    def read(address: str) -> dict[str, str]:
        browser.get(address)
        return {sid: browser.find_element(By.ID, sid).get_attribute("innerText") for sid in SAME_SECTIONS}

    served = read(url + everything)
    written = read(static.as_uri() + everything)
    for sid in SAME_SECTIONS:
        assert served[sid] == written[sid], sid
    # in the file, a citation lands on its marked words in the same page
    cite = browser.find_element(By.CSS_SELECTOR, "#summary a.cite")
    target = cite.get_attribute("href").split("#", 1)[1]
    cite.click()
    mark = browser.find_element(By.ID, target)
    assert mark.tag_name == "mark" and mark.is_displayed()
    assert mark.value_of_css_property("background-color") == "rgba(255, 224, 102, 1)"
    shoot(browser, tmp_path, "static_citation.png")
    # and the file's filters work from its URL, with no server
    browser.get(static.as_uri() + "?status=agreed")
    rows = visible_claims(browser)
    assert rows and {r.get_attribute("data-status") for r in rows} == {"agreed"}
    shoot(browser, tmp_path, "static_filtered.png")


def test_article_page_matches_the_story_and_shows_cited_words_below_the_header(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(story_url(server, browser))
    cite = browser.find_elements(By.CSS_SELECTOR, "#claims a.cite")[-1]
    href = cite.get_attribute("href")
    article_id = cite.get_attribute("data-article")
    row = browser.find_element(By.ID, f"article-{article_id}")
    story_title = row.find_element(By.CSS_SELECTOR, "a.article-title").text
    story_date = row.find_element(By.CSS_SELECTOR, ".meta").text
    browser.get(href)
    mark = wait(browser, lambda d: d.find_element(By.ID, "hl"))
    assert browser.find_element(By.CSS_SELECTOR, "main .article-title").text == story_title
    assert "(no title)" not in browser.page_source
    meta = browser.find_element(By.CSS_SELECTOR, "main .article-view .meta").text
    date = meta.split(" · ")[1]
    assert date in story_date, (date, story_date)
    note = browser.find_element(By.CSS_SELECTOR, ".cited-note").text
    assert "paragraph" in note and "sentence" in note and "–" not in note
    header = browser.execute_script("return document.querySelector('header.top').getBoundingClientRect().bottom")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", mark)
    assert header < top < browser.execute_script("return window.innerHeight"), (header, top)
    shoot(browser, tmp_path, "article_cited.png")


def test_stories_list_sorts_filters_and_counts(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    story_url(server, browser)  # builds the story's brief, so its claims are counted
    browser.get(server["base"] + "/?sort=size")
    rows = browser.find_elements(By.CSS_SELECTOR, ".story-row")
    sizes = [int(r.get_attribute("data-articles")) for r in rows]
    assert sizes == sorted(sizes, reverse=True)
    pills = rows[0].find_elements(By.CSS_SELECTOR, ".counts .pill")
    assert [p.text.split(" ", 1)[1] for p in pills] == ["agreed", "disputed", "one outlet"]
    outlets = [o.get_attribute("value") for o in
               browser.find_elements(By.CSS_SELECTOR, "form.stories-filter select[name=outlet] option")][1:]
    assert outlets
    browser.get(server["base"] + f"/?outlet={outlets[0]}")
    assert all(outlets[0] in r.text for r in browser.find_elements(By.CSS_SELECTOR, ".story-row"))
    browser.get(server["base"] + "/?disputes=1")
    disputed = browser.find_elements(By.CSS_SELECTOR, ".story-row")
    assert all(int(r.get_attribute("data-disputes")) > 0 for r in disputed)
    count = browser.find_element(By.ID, "story-count").text
    assert count.startswith(f"{len(disputed)} of {len(rows)} ")
    if not disputed:
        assert "No story matches" in browser.find_element(By.ID, "no-match").text
    shoot(browser, tmp_path, "stories_list.png")


def test_search_filters_and_sentence_snippets(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    story_url(server, browser)
    browser.get(server["base"] + "/search?q=Ushakov")
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit")
    assert hits
    for snippet in browser.find_elements(By.CSS_SELECTOR, ".hit-article .snippet"):
        marks = snippet.find_elements(By.TAG_NAME, "mark")
        assert marks and "\n" not in snippet.text
        assert marks[0].value_of_css_property("background-color") == "rgba(255, 224, 102, 1)"
    outlets = [o.get_attribute("value") for o in
               browser.find_elements(By.CSS_SELECTOR, ".search-filters select[name=outlet] option")][1:]
    assert outlets
    browser.get(server["base"] + f"/search?q=Putin&outlet={outlets[0]}")
    filtered = browser.find_elements(By.CSS_SELECTOR, ".hit")
    assert filtered and all("hit-article" in h.get_attribute("class") for h in filtered)
    shoot(browser, tmp_path, "search_filtered.png")


def axe_source() -> str:
    import os

    candidates = [os.environ.get("RASHOMON_AXE", ""), str(ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return Path(candidate).read_text(encoding="utf-8")
    message = "axe-core is missing: npm install --prefix .ci/node axe-core@4 (or set RASHOMON_AXE to axe.min.js)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.parametrize("path", ["story", "static", "stories", "article"])
def test_accessibility_has_no_serious_violations(server, browser, tmp_path, path):
    import httpx
    from selenium.webdriver.common.by import By

    source = axe_source()
    url = story_url(server, browser)
    if path == "static":
        story_id = url.rstrip("/").rsplit("/", 1)[1]
        static = tmp_path / "static.html"
        static.write_bytes(httpx.get(f"{server['base']}/stories/{story_id}/brief.html", timeout=120).content)
        url = static.as_uri()
    elif path == "stories":
        url = server["base"] + "/"
    elif path == "article":
        browser.get(url)
        url = browser.find_element(By.CSS_SELECTOR, "#summary a.cite").get_attribute("href")
    browser.get(url)
    browser.execute_script(source)  # run through the driver: the page's CSP does not apply to it
    browser.set_script_timeout(120)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, "
        "first: v.nodes[0] && v.nodes[0].html.slice(0, 200)})))).catch(e => done([{id: 'error', impact: 'critical', "
        "help: String(e), nodes: 0}]));")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    (OUTPUT / f"axe_{path}.txt").parent.mkdir(exist_ok=True)
    (OUTPUT / f"axe_{path}.txt").write_text("\n".join(f"{v['impact']} {v['id']} ×{v['nodes']}: {v['help']} :: {v['first']}"
                                                       for v in result) + "\n", encoding="utf-8")
    assert not serious, serious


def test_long_lists_page_in_the_static_file(browser, tmp_path):
    from selenium.webdriver.common.by import By

    from rashomon.render.html import render_html
    from rashomon.render.view import CLAIMS_PAGE

    from .invented import invented_brief

    page = tmp_path / "long.html"
    page.write_text(render_html([invented_brief(claims=70)], title="Long"), encoding="utf-8")
    browser.get(page.as_uri())
    assert len(visible_claims(browser)) == CLAIMS_PAGE
    pager = browser.find_element(By.CSS_SELECTOR, '[data-pager="claims"]')
    assert pager.find_element(By.CSS_SELECTOR, ".pager-count").text == f"Showing {CLAIMS_PAGE} of 73 matching claims."
    more = pager.find_element(By.CSS_SELECTOR, "a.more")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", more)
    more.click()
    assert len(visible_claims(browser)) == 73 and not more.is_displayed()
    assert query_of(browser).get("claims") == str(2 * CLAIMS_PAGE)
    # filtering pages what matches: 71 one-outlet claims, the first 50 shown
    browser.get(page.as_uri() + "?status=single_source")
    assert len(visible_claims(browser)) == CLAIMS_PAGE
    assert "of 71 matching" in browser.find_element(By.CSS_SELECTOR, '[data-pager="claims"] .pager-count').text
    # the hostile title stays text
    assert browser.title == "Long" and "<script>alert('owned')</script>" in browser.find_element(By.ID, "articles").text
    shoot(browser, tmp_path, "static_paged.png")
