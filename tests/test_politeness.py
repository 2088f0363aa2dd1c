"""Politeness and resilience: Retry-After, backoff, robots.txt, the User-Agent."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from recapscraper.demo.server import SiteServer
from recapscraper.middlewares import retry_after_seconds
from recapscraper.settings import USER_AGENT

from test_bad_input import good_page, recap_count


def test_retry_after_values():
    assert retry_after_seconds(b"7") == 7.0
    soon = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(soon.encode()) <= 31
    assert retry_after_seconds(b"not a date") is None and retry_after_seconds(None) is None


def test_429_with_retry_after_is_retried_after_the_pause(tmp_path, sqlite_url):
    www = tmp_path / "www" / "busy.example"
    (www / "recaps").mkdir(parents=True)
    (www / "recaps" / "index.html").write_text('<a href="/recaps/one-recap-1/">1</a>'
                                               '<a href="/recaps/never-recap-2/">2</a>')
    (www / "robots.txt").write_text("User-agent: *\nDisallow: /recaps/never-recap-2/\n")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "busy.toml").write_text(
        'name = "busy"\nbase_url = "http://busy.example"\nstart_urls = ["/recaps/"]\n'
        "article_patterns = ['^/recaps/[a-z0-9-]+/$']\n")
    calls: list[tuple[float, str]] = []

    def busy(query, headers):
        calls.append((time.monotonic(), headers.get("User-Agent", "")))
        if len(calls) == 1:
            return 429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, good_page(1).encode()

    with SiteServer(tmp_path / "www") as server:
        server.add_route("busy.example", "/recaps/one-recap-1/", busy)
        out = subprocess.run(
            [sys.executable, "-m", "recapscraper.cli", "crawl", "busy", "--sites-dir",
             str(tmp_path / "sites"), "--db", sqlite_url, "-s", f"RECAPS_PROXY={server.url}",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
            capture_output=True, text=True, timeout=120)
        hits = dict(server.hits)
    assert out.returncode == 0, out.stderr
    assert len(calls) == 2 and calls[1][0] - calls[0][0] >= 1.9  # waited as asked
    assert calls[0][1] == USER_AGENT and "+http" in USER_AGENT  # says who we are
    assert recap_count(sqlite_url) == 1
    assert "busy.example/recaps/never-recap-2/" not in hits  # robots.txt honoured
