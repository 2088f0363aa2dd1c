"""Incremental crawls against a local server: what changed is fetched and parsed, the
rest is not; a crawl killed with SIGKILL resumes with nothing lost or stored twice."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recapscraper.dedup import canonical_url
from recapscraper.demo.server import SiteServer
from recapscraper.demo.synthetic import build_site, site_toml
from recapscraper.incremental import CrawlState
from storage.db import open_store
from storage.models import CrawlRun, Recap, RecapCopy, RecapRevision, UrlState
from storage.urlstate import load_states, save_states, write_states

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "RECAPS_PROGRESS_INTERVAL=0",
        "-s", "RECAPS_BATCH_SIZE=10", "-s", "RECAPS_PARSE_WORKERS=0"]
# A site with no sitemap: articles are found through its feed and listing only.
NO_SITEMAP_TOML = site_toml().replace('sitemap_urls = ["/sitemap_index.xml"]\n', "")


def crawl(root, server, db_url, *extra: str, timeout: int = 180) -> dict:
    """Run ``recapscraper crawl synthetic``; returns the stats of the run it recorded."""
    done = subprocess.run(
        [sys.executable, "-m", "recapscraper.cli", "crawl", "synthetic", "--sites-dir",
         str(root / "sites"), "--db", db_url, "-s", f"RECAPS_PROXY={server.url}", *FAST, *extra],
        capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return last_run(db_url)


def last_run(db_url: str) -> dict:
    engine = open_store(db_url)
    with Session(engine) as s:
        stats = s.scalars(select(CrawlRun.stats).order_by(CrawlRun.id.desc())).first()
    engine.dispose()
    return stats


def count(db_url: str, model, *where) -> int:
    engine = open_store(db_url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(model).where(*where))
    engine.dispose()
    return n


def article_hits(server: SiteServer) -> int:
    return sum(n for k, n in server.hits.items()
               if "/recaps/" in k and ("-recap-" in k or "-review-" in k))


def make_site(tmp_path, count_: int, toml: str | None = None):
    arts = build_site(tmp_path / "www", count_)
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "synthetic.toml").write_text(toml or site_toml())
    return arts


def skipped(stats: dict) -> int:
    return sum(stats.get(f"recaps/incremental/{k}", 0)
               for k in ("skipped_lastmod", "not_modified", "unchanged_body"))


def test_nothing_changed_nothing_parsed_and_an_edit_becomes_a_revision(tmp_path, db_url):
    arts = make_site(tmp_path, 40)
    recaps = sum(a.is_recap for a in arts)
    with SiteServer(tmp_path / "www") as server:
        first = crawl(tmp_path, server, db_url)
        assert first["recaps/new"] == recaps and first["recaps/pages/parsed"] == len(arts)
        # every article has a state; the look-alikes are remembered as rejected
        assert count(db_url, UrlState) == len(arts)
        assert count(db_url, UrlState, UrlState.outcome == "rejected") == len(arts) - recaps
        before = article_hits(server)
        second = crawl(tmp_path, server, db_url)
        assert "recaps/pages/parsed" not in second and "recaps/new" not in second
        assert skipped(second) == len(arts)
        # whatever a sitemap lastmod did not settle was asked conditionally and got a 304
        assert article_hits(server) - before == second.get("recaps/incremental/not_modified", 0)
        assert server.hits.get("304", 0) == second.get("recaps/incremental/not_modified", 0)
        # two articles are edited: new text and a newer sitemap lastmod
        build_site(tmp_path / "www", 40, revisions={3: 1, 5: 1})
        third = crawl(tmp_path, server, db_url)
    assert third["recaps/pages/parsed"] == 2 and third["recaps/updated"] == 2
    assert skipped(third) == len(arts) - 2
    assert count(db_url, RecapRevision) == 2 and count(db_url, Recap) == recaps
    # the newest lastmod is remembered: a fourth crawl would skip those two as well
    engine = open_store(db_url)
    known = load_states(engine, ["synthetic.example"])
    engine.dispose()
    edited = [a for a in arts if a.index in (3, 5)]
    assert [known[canonical_url(f"http://synthetic.example{a.path}")].sitemap_lastmod for a in edited] == \
        [(a.published + timedelta(days=1)).isoformat() for a in edited]


def test_conditional_requests_get_304_and_are_not_parsed(tmp_path, sqlite_url):
    arts = make_site(tmp_path, 30, NO_SITEMAP_TOML)
    with SiteServer(tmp_path / "www") as server:
        crawl(tmp_path, server, sqlite_url)
        second = crawl(tmp_path, server, sqlite_url)
        full = crawl(tmp_path, server, sqlite_url, "--full")
    assert second["recaps/incremental/not_modified"] == len(arts)
    assert server.hits["304"] == len(arts)
    assert "recaps/pages/parsed" not in second
    # --full sends no validators and parses everything; the store still changes nothing
    assert full["recaps/pages/parsed"] == len(arts) and skipped(full) == 0
    assert full["recaps/unchanged"] == sum(a.is_recap for a in arts)


def test_a_server_without_validators_still_costs_no_parsing(tmp_path, sqlite_url):
    arts = make_site(tmp_path, 30, NO_SITEMAP_TOML)
    with SiteServer(tmp_path / "www", validators=False) as server:
        crawl(tmp_path, server, sqlite_url)
        second = crawl(tmp_path, server, sqlite_url)
        build_site(tmp_path / "www", 30, revisions={4: 1})
        third = crawl(tmp_path, server, sqlite_url)
    assert "304" not in server.hits
    assert second["recaps/incremental/unchanged_body"] == len(arts)
    assert "recaps/pages/parsed" not in second
    assert third["recaps/pages/parsed"] == 1 and third["recaps/updated"] == 1


def test_monitors_see_an_unchanged_site_as_alive(tmp_path, sqlite_url):
    make_site(tmp_path, 30)
    with SiteServer(tmp_path / "www") as server:
        crawl(tmp_path, server, sqlite_url)
        done = subprocess.run(
            [sys.executable, "-m", "recapscraper.cli", "crawl", "synthetic", "--sites-dir",
             str(tmp_path / "sites"), "--db", sqlite_url, "--check",
             "-s", f"RECAPS_PROXY={server.url}", *FAST],
            capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "looks normal" in done.stdout
    shown = subprocess.run([sys.executable, "-m", "recapscraper.cli", "runs", "show", "--db",
                            sqlite_url, "--format", "json"], capture_output=True, text=True,
                           timeout=60)
    [run] = json.loads(shown.stdout)
    assert run["unchanged"] == 30 and run["errors_by_kind"] == {}
    assert run["per_site"] == [{"site": "synthetic.example", "parsed": 0, "unchanged": 30,
                                "recaps": 0, "show": "-", "episodes": "-",
                                "published_at": "-", "author": "-", "platform": "-"}]
    first = subprocess.run([sys.executable, "-m", "recapscraper.cli", "runs", "show", "1",
                            "--db", sqlite_url], capture_output=True, text=True, timeout=60)
    assert "synthetic.example" in first.stdout and "100%" in first.stdout


def _recaps_now(db_url: str) -> int:
    try:
        return count(db_url, Recap)
    except Exception:  # noqa: BLE001 - the store may be mid-creation
        return 0


def test_a_crawl_killed_with_sigkill_resumes_without_loss_or_doubles(tmp_path, sqlite_url):
    arts = make_site(tmp_path, 240)
    recaps = sum(a.is_recap for a in arts)
    slow = ["-s", "CONCURRENT_REQUESTS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "-s", "DOWNLOAD_DELAY=0.02", "-s", "RECAPS_BATCH_SIZE=5",
            "-s", "RECAPS_FLUSH_INTERVAL=0.2"]
    with SiteServer(tmp_path / "www") as server:
        args = [sys.executable, "-m", "recapscraper.cli", "crawl", "synthetic", "--sites-dir",
                str(tmp_path / "sites"), "--db", sqlite_url, "-s",
                f"RECAPS_PROXY={server.url}", *FAST, *slow]
        victim = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        deadline = time.monotonic() + 120
        while _recaps_now(sqlite_url) < 40 and time.monotonic() < deadline:
            assert victim.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.1)
        os.killpg(victim.pid, signal.SIGKILL)  # the crawler and its parser processes
        victim.wait(timeout=30)
        stored = _recaps_now(sqlite_url)
        assert 40 <= stored < recaps
        resumed = crawl(tmp_path, server, sqlite_url)
    db_url = sqlite_url
    assert count(db_url, Recap) == recaps  # nothing lost
    assert count(db_url, RecapCopy) == 0 and count(db_url, RecapRevision) == 0  # no doubles
    assert resumed["recaps/new"] == recaps - stored
    # what the killed crawl stored is not parsed again
    assert resumed["recaps/pages/parsed"] <= len(arts) - stored
    killed = count(db_url, CrawlRun, CrawlRun.status == "running")
    assert killed == 1  # the killed run stays visible in `recapscraper runs`


# -- the state table and the in-crawl state ---------------------------------------------
def _state(url: str, status: int = 200, **kw) -> dict:
    return {"url": url, "site": "a.example", "status": status, "outcome": "stored",
            "fetched_at": datetime(2026, 1, 1, tzinfo=timezone.utc), **kw}


def test_a_304_keeps_the_validators_and_a_new_body_moves_changed_at(db_url):
    engine = open_store(db_url)
    url = "http://a.example/x/"
    write_states(engine, [_state(url, etag='"v1"', last_modified="Mon, 05 Jan 2026 10:00:00 GMT",
                                 content_hash="h1", sitemap_lastmod="2026-01-05")])
    later = datetime(2026, 2, 1, tzinfo=timezone.utc)
    # twice in one batch: the last one wins (PostgreSQL refuses a key twice)
    write_states(engine, [_state(url, 304, fetched_at=later, sitemap_lastmod="2026-01-09"),
                          _state(url, 304, fetched_at=later, sitemap_lastmod="2026-01-10")])
    with Session(engine) as s:
        row = s.get(UrlState, url)
        assert (row.etag, row.content_hash, row.status, row.outcome) == ('"v1"', "h1", 304,
                                                                          "stored")
        assert row.sitemap_lastmod == "2026-01-10" and row.fetched_at == later
        first_change = row.changed_at
    write_states(engine, [_state(url, content_hash="h1", fetched_at=later)])
    with Session(engine) as s:
        assert s.get(UrlState, url).changed_at == first_change  # same body: not a change
    with engine.begin() as conn:
        save_states(conn, [_state(url, content_hash="h2", outcome="rejected",
                                  changed_at=later, fetched_at=later)])
    with Session(engine) as s:
        row = s.get(UrlState, url)
        assert (row.content_hash, row.outcome, row.etag) == ("h2", "rejected", None)
        assert row.changed_at == later
        assert row.sitemap_lastmod == "2026-01-10"  # a page fetched from a feed keeps it
    assert set(load_states(engine, ["a.example"])) == {url}
    assert load_states(engine, ["b.example"]) == {}
    engine.dispose()


def test_crawl_state_answers_from_what_it_knows():
    from storage.urlstate import KnownState

    known = {canonical_url("http://a.example/x/"): KnownState('"e"', "Mon, 05 Jan 2026 10:00:00 GMT",
                                               "2026-01-05", "h1", "stored")}
    state = CrawlState(None, known)
    # www., tracking parameters and fragments are the same address
    assert state.unchanged_lastmod("http://www.a.example/x/?utm_source=rss", "2026-01-05")
    assert not state.unchanged_lastmod("http://a.example/x/", "2026-01-06")
    assert not state.unchanged_lastmod("http://a.example/new/", "2026-01-05")
    assert state.conditional_headers("http://a.example/x/") == {
        "If-None-Match": '"e"', "If-Modified-Since": "Mon, 05 Jan 2026 10:00:00 GMT"}
    assert state.in_sitemap("http://a.example/x/") and state.unchanged_body("http://a.example/x/",
                                                                              "h1")
    full = CrawlState(None, known, full=True)
    assert not full.unchanged_lastmod("http://a.example/x/", "2026-01-05")
    assert full.conditional_headers("http://a.example/x/") == {}
    assert not full.unchanged_body("http://a.example/x/", "h1")


def test_page_states_survive_a_store_that_goes_away(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    state = CrawlState(engine, {})
    state.record(_state("http://a.example/1/", content_hash="h"))
    engine.dispose()
    (tmp_path / "gone.db").unlink()
    (tmp_path / "gone.db").mkdir()  # the path is no longer a database
    assert state.flush() == 0 and state.failed == 1
    assert len(state.pending) == 1  # kept for the next flush


@pytest.mark.parametrize("setting", ["RECAPS_INCREMENTAL=False"])
def test_incremental_can_be_switched_off(tmp_path, sqlite_url, setting):
    arts = make_site(tmp_path, 20)
    with SiteServer(tmp_path / "www") as server:
        crawl(tmp_path, server, sqlite_url, "-s", setting)
        second = crawl(tmp_path, server, sqlite_url, "-s", setting)
    assert count(sqlite_url, UrlState) == 0
    assert second["recaps/pages/parsed"] == len(arts) and skipped(second) == 0
