"""A real browser: headless Chromium (the system package, driven by Playwright) loads
the home page, searches for a show, opens an episode and sees recaps from two sites.
Screenshots go to test-output/. Skips where /usr/bin/chromium is missing, except in
CI (CI=true or RECAPS_REQUIRE_SERVICES=1), where that fails."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import REQUIRE_SERVICES
from recapscraper.web.app import create_app
from webdata import fill

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is missing: install the Debian package `chromium` "
                   "(apt-get install -y chromium) to run the browser test")
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    url = f"sqlite:///{tmp_path / 'recaps.db'}"
    fill(url)
    app = create_app(url)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.engine.dispose()


@pytest.mark.timeout(120)
def test_home_search_episode_in_chromium(server, tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1200, "height": 900})
        try:
            page = browser.new_page()
            page.goto(server + "/")
            assert "Latest recaps" in page.title()
            assert page.locator("article.recap").count() >= 10
            page.fill("header input[name=q]", "Harbor Lights")
            page.press("header input[name=q]", "Enter")
            page.wait_for_url("**/search?q=Harbor+Lights")
            page.click("ul.shows >> text=Harbor Lights")
            page.wait_for_selector("text=Episode guide")
            page.click("table.guide >> text=S01E02")
            page.wait_for_selector("div.side-by-side article.recap")
            assert "Harbor Lights S01E02" in page.inner_text("h1")
            assert len(set(page.locator("article.recap .site").all_inner_texts())) == 2
            links = page.locator("article.recap .out a").evaluate_all("els => els.map(e => e.href)")
            assert {link.split("/")[2] for link in links} == {"couchnotes.example",
                                                              "tvrecapdaily.example"}
            assert page.locator("article.recap").count() == 4
            page.screenshot(path=str(OUTPUT / "web-episode.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})  # a phone
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(OUTPUT / "web-episode-phone.png"), full_page=True)
        finally:
            browser.close()
    assert (OUTPUT / "web-episode.png").stat().st_size > 10_000
