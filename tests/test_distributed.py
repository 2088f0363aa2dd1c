"""Distributed crawling: workers share a Redis queue and a PostgreSQL store.

Real Redis (127.0.0.1:6379, database 13, a key prefix per test) and PostgreSQL; the
Redis-restart tests run a private redis-server of their own on a free port.
"""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from recapscraper.demo.server import SiteServer
from recapscraper.demo.synthetic import build_site, site_toml
from conftest import REQUIRE_SERVICES

PAGES = 200
# Each worker: 4 requests at a time against a server that answers in ~30 ms.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        "-s", "RECAPS_PROGRESS_INTERVAL=0", "-s", "RECAPS_PARSE_WORKERS=0",
        "-s", "RECAPS_BATCH_SIZE=10", "-s", "RECAPS_FLUSH_INTERVAL=1"]


class SlowServer(SiteServer):
    """The site server, answering every request after a pause (a remote site)."""

    latency = 0.03

    def count(self, key: str) -> None:
        super().count(key)
        time.sleep(self.latency)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("distributed")
    arts = build_site(root / "www", PAGES)
    (root / "sites").mkdir()
    (root / "sites" / "synthetic.toml").write_text(site_toml())
    return root, arts


@pytest.fixture
def server(site):
    with SlowServer(site[0] / "www") as s:
        yield s


def cli(*args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", *args],
                          capture_output=True, text=True, timeout=timeout)


def enqueue(redis_url: str, prefix: str, root: Path) -> None:
    out = cli("enqueue", "synthetic", "--sites-dir", str(root / "sites"), "--redis", redis_url,
              "--prefix", prefix)
    assert out.returncode == 0, out.stderr
    assert "queued 3 start requests for 1 sites" in out.stdout


def worker(redis_url: str, prefix: str, db: str, root: Path, server, *extra: str
           ) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "recapscraper.cli", "worker", "--redis", redis_url,
         "--prefix", prefix, "--db", db, "--sites-dir", str(root / "sites"),
         "-s", f"RECAPS_PROXY={server.url}", *FAST, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(workers: list[subprocess.Popen], timeout: float = 90) -> list[tuple[int, str]]:
    deadline = time.monotonic() + timeout
    out = []
    for w in workers:
        try:
            _, err = w.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            w.kill()
            _, err = w.communicate()
            pytest.fail(f"worker {w.pid} did not finish: {err[-2000:]}")
        out.append((w.returncode, err))
    return out


def stored(db: str) -> tuple[int, int]:
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        total, distinct = conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT canonical_url) FROM recaps")).one()
    engine.dispose()
    return total, distinct


def article_hits(server, arts) -> list[int]:
    return [server.hits.get(f"synthetic.example{a.path}", 0) for a in arts]


def wait_for(condition, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_three_workers_store_every_article_once(site, server, redis_prefix, pg_url):
    root, arts = site
    redis_url, prefix = redis_prefix
    recaps = sum(a.is_recap for a in arts)
    enqueue(redis_url, prefix, root)
    workers = [worker(redis_url, prefix, pg_url, root, server, "--idle-exit", "2")
               for _ in range(3)]
    results = finish(workers)
    assert all(code == 0 for code, _ in results), [err[-1500:] for _, err in results]
    assert stored(pg_url) == (recaps, recaps)
    assert article_hits(server, arts) == [1] * len(arts)  # every page fetched exactly once
    assert server.hits["synthetic.example/sitemaps/posts-1.xml"] == 1
    status = json.loads(cli("queue", "--redis", redis_url, "--prefix", prefix,
                            "--format", "json").stdout)[0]
    assert status["queued"] == 0 and status["in_flight"] == 0
    assert status["seen_articles"] == len(arts)


def test_sigkilled_worker_loses_nothing(site, server, redis_prefix, pg_url):
    import redis

    root, arts = site
    redis_url, prefix = redis_prefix
    recaps = sum(a.is_recap for a in arts)
    enqueue(redis_url, prefix, root)
    workers = [worker(redis_url, prefix, pg_url, root, server, "--idle-exit", "2",
                      "--lease", "3") for _ in range(3)]
    victim = workers[0]
    client = redis.Redis.from_url(redis_url)
    mine = f":{victim.pid}:".encode()

    def victim_holds_leases() -> bool:
        return sum(article_hits(server, arts)) > 30 and any(
            mine in lease for lease in client.zrange(f"{prefix}:inflight", 0, -1))

    wait_for(victim_holds_leases, what="the victim to hold leases mid-crawl")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    held = sum(mine in lease for lease in client.zrange(f"{prefix}:inflight", 0, -1))
    results = finish(workers[1:])
    assert all(code == 0 for code, _ in results), [err[-1500:] for _, err in results]
    assert held > 0
    assert any("went back to the queue" in err for _, err in results)
    assert stored(pg_url) == (recaps, recaps)  # nothing missing, nothing twice
    hits = article_hits(server, arts)
    assert min(hits) >= 1
    assert sum(hits) - len(arts) <= held  # only the victim's requests were fetched again
    assert client.zcard(f"{prefix}:inflight") == 0 and client.zcard(f"{prefix}:requests") == 0
    client.close()


def test_the_seen_filter_forgets_pages_after_their_ttl(redis_prefix):
    import redis
    import scrapy

    from recapscraper.distributed import BUCKETS_PER_TTL, ExpiringDupeFilter

    redis_url, prefix = redis_prefix
    client = redis.Redis.from_url(redis_url)
    df = ExpiringDupeFilter(client, f"{prefix}:seen", ttl=3600, page_ttl=4)
    listing = scrapy.Request("http://synthetic.example/recaps/")
    article = scrapy.Request("http://synthetic.example/recaps/a-1/")
    article.callback = "parse_article"
    assert df.request_seen(listing) is False and df.request_seen(listing) is True
    assert df.request_seen(article) is False and df.request_seen(article) is True
    keys = list(client.scan_iter(match=f"{prefix}:seen:*"))
    assert keys and all(0 < client.ttl(k) <= 3600 + 3600 / BUCKETS_PER_TTL + 1 for k in keys)
    time.sleep(4.2)
    assert df.request_seen(listing) is False  # listings are crawled again on schedule
    assert df.request_seen(article) is True  # articles are not, within their TTL
    assert len(df.request_fingerprint(article)) == 16  # bytes, not 40 hex characters
    client.close()


def test_enqueue_twice_skips_what_was_just_queued(site, redis_prefix):
    root, _ = site
    redis_url, prefix = redis_prefix
    enqueue(redis_url, prefix, root)
    again = cli("enqueue", "synthetic", "--sites-dir", str(root / "sites"), "--redis",
                redis_url, "--prefix", prefix)
    assert "queued 0 start requests" in again.stdout and "--force" in again.stdout
    forced = cli("enqueue", "synthetic", "--sites-dir", str(root / "sites"), "--redis",
                 redis_url, "--prefix", prefix, "--force")
    assert "queued 3 start requests" in forced.stdout
    table = cli("queue", "--redis", redis_url, "--prefix", prefix)
    assert table.returncode == 0 and table.stdout.split("\n")[0].split()[:2] == [
        "queued", "in_flight"]
    bad = cli("queue", "--redis", "redis://127.0.0.1:1/0")
    assert bad.returncode == 1 and bad.stderr.startswith("error: cannot connect to Redis")
    assert "Traceback" not in bad.stderr


# -- Redis restarted mid-crawl ------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def private_redis(folder: Path, persistent: bool):
    """A redis-server of this test's own, which it can restart."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--dir", str(folder), "--appendonly", "yes" if persistent else "no",
            "--appendfsync", "always"]
    procs = []

    def start() -> None:
        procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL))
        wait_for(lambda: _answers(port), 10, "redis-server")

    def restart() -> None:
        procs[-1].terminate()  # a clean shutdown: with appendonly, everything is on disk
        procs[-1].wait(10)
        time.sleep(1.0)
        start()

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", restart
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def _answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.2).ping())
    except redis.RedisError:
        return False


def test_redis_restart_with_persistence_is_retried(site, server, pg_url, tmp_path):
    root, arts = site
    recaps = sum(a.is_recap for a in arts)
    with private_redis(tmp_path, persistent=True) as (redis_url, restart):
        enqueue(redis_url, "crawl", root)
        workers = [worker(redis_url, "crawl", pg_url, root, server, "--idle-exit", "2",
                          "--lease", "5")
                   for _ in range(2)]
        wait_for(lambda: sum(article_hits(server, arts)) > 40, what="the crawl to start")
        restart()
        assert sum(article_hits(server, arts)) < len(arts)  # mid-crawl
        results = finish(workers)
    for code, err in results:
        assert code == 0 and "ERROR" not in err, err[-1500:]
    assert any("lost the connection to Redis" in err for _, err in results)
    assert stored(pg_url) == (recaps, recaps)


def test_redis_restart_that_loses_the_queue_is_a_clear_error(site, server, pg_url, tmp_path):
    root, arts = site
    recaps = sum(a.is_recap for a in arts)
    with private_redis(tmp_path, persistent=False) as (redis_url, restart):
        enqueue(redis_url, "crawl", root)
        workers = [worker(redis_url, "crawl", pg_url, root, server, "--idle-exit", "2",
                          "--lease", "5")
                   for _ in range(2)]
        wait_for(lambda: sum(article_hits(server, arts)) > 40, what="the crawl to start")
        restart()
        results = finish(workers)
        for code, err in results:
            assert code == 1, err[-1500:]
            assert "no longer holds this crawl" in err and "recapscraper enqueue" in err
            assert "Traceback" not in err
        assert stored(pg_url)[0] < recaps
        # The remedy the error names: seed again; what is stored is stored again unchanged.
        enqueue(redis_url, "crawl", root)
        results = finish([worker(redis_url, "crawl", pg_url, root, server,
                                 "--idle-exit", "2", "--lease", "5")])
    assert results[0][0] == 0, results[0][1][-1500:]
    assert stored(pg_url) == (recaps, recaps)


def test_sigterm_returns_unfinished_requests_and_another_worker_finishes(
        site, server, redis_prefix, pg_url):
    import redis

    root, arts = site
    redis_url, prefix = redis_prefix
    recaps = sum(a.is_recap for a in arts)
    enqueue(redis_url, prefix, root)
    first = worker(redis_url, prefix, pg_url, root, server)  # waits for work: no --idle-exit
    client = redis.Redis.from_url(redis_url)
    wait_for(lambda: sum(article_hits(server, arts)) > 30
             and client.zcard(f"{prefix}:inflight") > 0, what="leases mid-crawl")
    first.send_signal(signal.SIGTERM)
    (code, err), = finish([first], timeout=40)
    assert code == 0, err[-1500:]
    assert client.zcard(f"{prefix}:inflight") == 0  # nothing left under its lease
    assert client.zcard(f"{prefix}:requests") > 0
    (code, err), = finish([worker(redis_url, prefix, pg_url, root, server, "--idle-exit", "2")])
    assert code == 0, err[-1500:]
    assert stored(pg_url) == (recaps, recaps)
    assert sum(article_hits(server, arts)) == len(arts)
    client.close()
