"""In headless Chromium: a story whose brief is still being built shows a "building" page
with its progress, and becomes the story by itself (no reload by hand).

Two invented articles are ingested into a temporary store; the app starts without briefs,
and its background worker is held at the start of the brief until the browser has seen the
building page, then let go. The browser is never told to reload or navigate again.
"""

from __future__ import annotations

import threading
import time

import pytest

from .test_web_browser import CHROMEDRIVER, CHROMIUM, chrome, free_port, shoot, wait

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INVENTED = [
    ("Brackwater bridge closes for repairs after storm damage",
     "The Brackwater river bridge closed on Monday after storm damage to its eastern pier, the county roads office "
     "said. \"The bridge is not safe for traffic until the pier is repaired,\" engineer Tomas Veld told the "
     "Brackwater Courier. Repairs will take six weeks and cost 2.1 million crowns, the office said."),
    ("Storm-damaged Brackwater bridge to stay shut for six weeks",
     "Brackwater's river bridge will stay closed for six weeks while its storm-damaged eastern pier is repaired, "
     "county engineer Tomas Veld said on Monday. \"Nobody crosses until the pier is safe,\" Veld said. The county "
     "put the cost of the work at 2.1 million crowns."),
]


@pytest.fixture(scope="module")
def held_server(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("headless Chromium is missing: apt-get install -y chromium chromium-driver")
    pytest.importorskip("selenium")
    import uvicorn

    from rashomon import Store
    from rashomon.ingest.files import article_from_text
    from rashomon.pipeline import ingest_items, quiet_libraries
    from rashomon.web.app import create_app

    quiet_libraries()
    db = tmp_path_factory.mktemp("building") / "web.db"
    with Store(db) as store:
        ingest_items([article_from_text(f"{title}\n\n{text}\n", source=f"invented-{n}.txt")
                      for n, (title, text) in enumerate(INVENTED)], store)
        stories = store.stories()
    story_id = max(stories, key=lambda s: len(stories[s]))
    app = create_app(str(db))
    worker = app.state.library.worker
    gate, started = threading.Event(), threading.Event()
    original = worker.brief_for

    def held(sid):
        started.set()
        gate.wait(120)
        return original(sid)

    worker.brief_for = held
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not uv.started:
        if time.time() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start within 30 s")
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "story": story_id, "articles": len(stories[story_id]),
           "gate": gate, "started": started}
    gate.set()
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory, held_server):
    driver = chrome(tmp_path_factory.mktemp("chromium-profile-building"), width=1200, height=900)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def test_a_building_story_completes_without_a_reload(held_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    url = f"{held_server['base']}/stories/{held_server['story']}"
    browser.get(url)
    building = browser.find_element(By.ID, "building")
    assert building.is_displayed()
    assert "brief" in browser.find_element(By.TAG_NAME, "h1").text.lower()
    assert browser.find_elements(By.TAG_NAME, "progress")
    stage = building.get_attribute("data-stage")
    assert stage in ("queued", "loading"), stage
    assert held_server["started"].wait(30), "the worker never started on the brief"
    assert not browser.find_elements(By.CSS_SELECTOR, "article.story")
    shoot(browser, tmp_path, "web_building.png")

    held_server["gate"].set()  # let the worker build; the browser is left alone
    story = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.story") or False, 120)[0]
    assert story.get_attribute("data-story") == held_server["story"]
    assert int(story.get_attribute("data-articles")) == held_server["articles"]
    assert browser.current_url == url
    assert not browser.find_elements(By.ID, "building")
    shoot(browser, tmp_path, "web_built.png")


def test_a_cross_site_form_post_is_refused_in_the_browser(held_server, browser, tmp_path):
    """A page on another origin (another port) posts a file to /upload: refused, nothing stored."""
    import functools
    import http.server

    from selenium.webdriver.common.by import By

    attacker = tmp_path / "attacker"
    attacker.mkdir()
    (attacker / "index.html").write_text(
        '<!DOCTYPE html><html><body><form id="f" method="post" enctype="multipart/form-data" '
        f'action="{held_server["base"]}/upload"><input type="file" name="file"><button type="submit">go</button>'
        "</form></body></html>", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Cross-site note\n\nAn invented note posted from another site about the Brackwater bridge.\n",
                    encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(attacker))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        import httpx

        before = len(httpx.get(held_server["base"] + "/api/stories").json()["stories"])
        browser.get(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(note))
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        error = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "section.error") or False, 30)[0]
        assert error.get_attribute("data-code") == "cross_site_request"
        assert error.get_attribute("data-status") == "403"
        found = httpx.get(held_server["base"] + "/api/search", params={"q": "Cross-site note"}).json()["results"]
        assert not found
        assert len(httpx.get(held_server["base"] + "/api/stories").json()["stories"]) == before
        shoot(browser, tmp_path, "web_cross_site.png")
    finally:
        httpd.shutdown()
