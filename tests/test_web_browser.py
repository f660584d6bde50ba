"""End to end in real headless Chromium: read a story the way an editor would.

Four seeds are ingested into a temporary store, the server runs on a free loopback port,
and the fifth seed is uploaded through the browser's form. Screenshots go to the test's
tmp_path and to test-output/ in the repository (git-ignored).
"""

from __future__ import annotations

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
        pytest.skip("headless Chromium is missing: apt-get install -y chromium chromium-driver "
                    "(needs /usr/bin/chromium and /usr/bin/chromedriver)")
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


@pytest.fixture(scope="module")
def browser(tmp_path_factory, server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(180)
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
