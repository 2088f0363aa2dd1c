"""End-to-end crawls through the real CLI against a local server: no internet."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recapscraper.demo.server import SiteServer
from recapscraper.demo.synthetic import build_site, site_toml
from storage.db import open_store
from storage.models import CrawlRun, Recap

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "RECAPS_PROGRESS_INTERVAL=0.5",
        "-s", "RECAPS_BATCH_SIZE=4"]  # many batches: the threaded writes are exercised


def cli(*args: str, timeout: int = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    arts = build_site(root / "www", 60)
    (root / "sites").mkdir()
    (root / "sites" / "synthetic.toml").write_text(site_toml())
    with SiteServer(root / "www") as server:
        yield root, server, arts


def count(url: str, model) -> int:
    engine = open_store(url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return n


def test_crawl_stores_every_recap_once_and_again_changes_nothing(synthetic, db_url):
    root, server, arts = synthetic
    recaps = sum(a.is_recap for a in arts)
    args = ["crawl", "synthetic", "--sites-dir", str(root / "sites"), "--db", db_url,
            "-s", f"RECAPS_PROXY={server.url}", *FAST]
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    assert f"{recaps} new recaps" in first.stdout
    assert f"{len(arts) - recaps} pages rejected as not recaps" in first.stdout
    assert "pages" in first.stderr and "new" in first.stderr  # progress lines
    assert count(db_url, Recap) == recaps
    second = cli(*args)  # incremental: nothing changed, nothing parsed
    assert second.returncode == 0, second.stderr
    assert "0 new recaps, 0 updated, 0 unchanged" in second.stdout
    assert f"{len(arts)} articles unchanged since the last crawl, not parsed" in second.stdout
    assert count(db_url, Recap) == recaps
    full = cli(*args, "--full")  # everything parsed again: the store still changes nothing
    assert full.returncode == 0, full.stderr
    assert f"0 new recaps, 0 updated, {recaps} unchanged" in full.stdout
    assert "articles unchanged since the last crawl" not in full.stdout
    assert count(db_url, Recap) == recaps
    assert count(db_url, CrawlRun) == 3
    # robots.txt forbids /private/, linked from every page footer
    assert not any(k.endswith("/private/admin/") for k in server.hits)


def test_query_commands_read_what_was_crawled(synthetic, sqlite_url):
    root, server, arts = synthetic
    done = cli("crawl", "synthetic", "--sites-dir", str(root / "sites"), "--db", sqlite_url,
               "-s", f"RECAPS_PROXY={server.url}", *FAST)
    assert done.returncode == 0, done.stderr
    shows = json.loads(cli("shows", "--db", sqlite_url, "--format", "json").stdout)
    assert {s["title"] for s in shows} == {a.show for a in arts if a.is_recap}
    first = next(a for a in arts if a.is_recap)
    eps = cli("episodes", first.show, "--db", sqlite_url, "--format", "csv").stdout.splitlines()
    assert eps[0] == "show,season,episode,title,release_date,finale,recaps"
    out = cli("recaps", "--show", first.show, "--season", str(first.season), "--episode",
              str(first.episode), "--db", sqlite_url, "--format", "jsonl").stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and all(r["show"] == first.show and r["episodes"] == [first.episode]
                         for r in lines)
    assert {"url", "site", "headline", "kind", "show", "show_id", "season", "episodes",
            "platform", "network", "published_at", "author"} <= set(lines[0])
    table = cli("recaps", "--site", "synthetic.example", "--limit", "3", "--db", sqlite_url)
    assert table.returncode == 0 and len(table.stdout.splitlines()) == 5


def test_crawl_with_an_unreachable_database_fails_clearly(synthetic):
    root, server, _ = synthetic
    out = cli("crawl", "synthetic", "--sites-dir", str(root / "sites"),
              "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert out.returncode == 1
    assert out.stderr.strip().startswith("error: cannot connect to postgresql")
    assert "Traceback" not in out.stderr


def test_crawl_unknown_site_and_bad_setting():
    out = cli("crawl", "nope")
    assert out.returncode == 1 and "unknown site 'nope'" in out.stderr
    out = cli("crawl", "--url", "http://x.example/", "-s", "NOEQUALS")
    assert out.returncode == 1 and "NAME=VALUE" in out.stderr


def test_discovery_from_a_url_finds_sitemap_in_robots(synthetic, sqlite_url):
    root, server, arts = synthetic
    out = cli("crawl", "--url", "http://synthetic.example/", "--db", sqlite_url,
              "-s", f"RECAPS_PROXY={server.url}", *FAST)
    assert out.returncode == 0, out.stderr
    assert count(sqlite_url, Recap) == sum(a.is_recap for a in arts)


def test_scrapy_crawl_command_uses_the_same_spider(synthetic, sqlite_url):
    root, server, arts = synthetic
    project = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "recaps", "-a", "site=synthetic",
         "-a", f"sites_dir={root / 'sites'}", "-s", f"RECAPS_PROXY={server.url}",
         "-s", "LOG_LEVEL=WARNING", *FAST],
        cwd=project, capture_output=True, text=True, timeout=180,
        env={**os.environ, "RECAPS_DB_URL": sqlite_url})
    assert out.returncode == 0, out.stderr
    assert count(sqlite_url, Recap) == sum(a.is_recap for a in arts)
