"""Monitors: a run compared with the site's earlier runs; findings exit non-zero."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


from recapscraper.demo.server import SiteServer
from recapscraper.demo.synthetic import build_site, site_toml
from recapscraper.monitors import Thresholds, check_run


def stats(host="a.example", pages=20, recaps=18, show=18, episodes=18, published=18, **extra):
    base = {f"recaps/site/{host}/pages": pages, f"recaps/site/{host}/recaps": recaps,
            f"recaps/site/{host}/field/show": show,
            f"recaps/site/{host}/field/episodes": episodes,
            f"recaps/site/{host}/field/published_at": published,
            "response_received_count": pages}
    base.update(extra)
    return base


HISTORY = [stats(), stats(recaps=20, show=20, episodes=20, published=20), stats()]


def test_a_normal_run_has_no_findings():
    assert check_run(stats(), HISTORY) == []


def test_a_site_that_returns_nothing():
    [finding] = check_run({"response_received_count": 3}, HISTORY)
    assert finding.startswith("a.example: no article pages")


def test_a_changed_layout_means_no_recaps_or_missing_fields():
    [finding] = check_run(stats(recaps=0, show=0, episodes=0, published=0), HISTORY)
    assert "no recaps this run (earlier runs: 18, 20, 18)" in finding
    findings = check_run(stats(published=3), HISTORY)
    assert findings == ["a.example: published_at found on 17% of 18 recaps (minimum 80%)"]


def test_an_item_count_drop_and_an_error_rate():
    findings = check_run(stats(recaps=6, show=6, episodes=6, published=6,
                               **{"recaps/errors/TimeoutError": 10}), HISTORY,
                         limits=Thresholds(max_error_rate=0.2))
    assert any("below 50% of the median" in f for f in findings)
    assert any(f.startswith("errors on 10 of 30 requests") for f in findings)


class _Hook(BaseHTTPRequestHandler):
    posts: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.posts.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_crawl_check_fires_when_a_site_breaks(tmp_path, sqlite_url):
    www = tmp_path / "www"
    build_site(www, 40)
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "synthetic.toml").write_text(site_toml())
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    with SiteServer(www) as server:
        args = [sys.executable, "-m", "recapscraper.cli", "crawl", "synthetic", "--sites-dir",
                str(tmp_path / "sites"), "--db", sqlite_url, "--check", "--webhook",
                f"http://127.0.0.1:{hook.server_port}/hook", "-s", f"RECAPS_PROXY={server.url}",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
        first = subprocess.run(args, capture_output=True, text=True, timeout=180)
        assert first.returncode == 0, first.stderr
        assert "looks normal" in first.stdout
        # the site changes its layout: article pages lose their headline markup
        for page in (www / "synthetic.example" / "recaps").glob("*/index.html"):
            page.write_text("<html><body><div class='x'>Redesigned page</div></body></html>")
        # its sitemap keeps the old lastmods (a theme change does not touch posts), so the
        # incremental crawl parses only the pages it reached through the feed and listing
        # (how many depends on which source named them first): the recap count or the
        # share of recaps among parsed pages falls
        second = subprocess.run(args, capture_output=True, text=True, timeout=180)
        full = subprocess.run(args + ["--full"], capture_output=True, text=True, timeout=180)
    hook.shutdown()
    assert second.returncode == 3, second.stdout + second.stderr
    assert re.search(r"monitor: synthetic\.example: (0 recaps among \d+ pages parsed "
                     r"\(0%; earlier runs: 90%\)|\d+ recaps, below 50% of the median of "
                     r"earlier runs \(36\))", second.stdout), second.stdout
    assert full.returncode == 3, full.stdout + full.stderr
    assert "monitor: synthetic.example: no recaps this run" in full.stdout
    assert len(_Hook.posts) == 2 and "synthetic.example" in _Hook.posts[-1]["text"]
    runs = subprocess.run([sys.executable, "-m", "recapscraper.cli", "runs", "--db", sqlite_url,
                           "--format", "json"], capture_output=True, text=True, timeout=60)
    history = json.loads(runs.stdout)
    assert [r["new"] for r in history] == [0, 0, 36] and history[0]["status"] == "finished"
    assert history[1]["unchanged"] > 0 and history[0]["unchanged"] == 0
