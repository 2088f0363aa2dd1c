"""Distributed crawl: 1 worker against 3, on a site whose every answer takes 200 ms.

A generated site of N article pages (default 2,000) is served by a local server
that waits LATENCY seconds (default 0.2) before each answer: the remote site, not
this machine, is the bottleneck. `recapscraper enqueue` seeds a Redis queue, then
1 and then 3 `recapscraper worker` processes (each CONCURRENT_REQUESTS=4) crawl it
into a fresh PostgreSQL schema. Reported per run: pages/s (all fetched pages over
the time from the first fetch until every recap is in the store), whether each
page was fetched exactly once (server hit counts), duplicate rows; then the
speed-up (target >= 2.5x).

Then the cost of the Redis scheduler itself: one crawl process on the same site
with no latency (CPU-bound), parsing in its own process as usual, with the
in-memory scheduler, with stock scrapy-redis (a synchronous round-trip per
yielded and per taken request), and with recapscraper's leased, batched
scheduler. Reported: CPU of the crawl process per page (parser process not
included), pages/s and Redis round-trips per page.

    python bench/distributed.py [--pages 2000] [--latency 0.2] [--workers 3]
                                [--redis redis://127.0.0.1:6379/12] [--pg URL] [--skip-cpu]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("RECAPS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COMMON = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RETRY_ENABLED": False,
          "RECAPS_PROGRESS_INTERVAL": float(os.environ.get("BENCH_PROGRESS", 0)), "LOG_LEVEL": os.environ.get("BENCH_LOG", "WARNING")}
HOST = "synthetic.example"
PREFETCH = 8  # RECAPS_REDIS_PREFETCH's default


def slow_server(root: Path, latency: float):
    from recapscraper.demo.server import SiteServer

    class SlowServer(SiteServer):
        first_hit: float | None = None

        def count(self, key: str) -> None:
            super().count(key)
            self.first_hit = self.first_hit or time.perf_counter()
            if latency:
                time.sleep(latency)

    return SlowServer(root)


class Schema:
    """A fresh PostgreSQL schema, migrated; dropped afterwards."""

    def __init__(self, base: str):
        import sqlalchemy as sa

        self.sa, self.name = sa, f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = sa.create_engine(base)
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        self.url = f"{base}?options=-csearch_path%3D{self.name}"
        from storage.db import open_store

        open_store(self.url).dispose()

    def rows(self) -> tuple[int, int]:
        with self.admin.connect() as conn:
            return tuple(conn.execute(self.sa.text(
                f'SELECT count(*), count(DISTINCT canonical_url) FROM "{self.name}".recaps'
            )).one())

    def drop(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(self.sa.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def clear_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def cli(*args: str, **kw) -> list[str]:
    return [sys.executable, "-m", "recapscraper.cli", *args]


# -- 1 worker against N -----------------------------------------------------------
def crawl_with_workers(n: int, args, root: Path, server, recaps: int) -> dict:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    schema = Schema(args.pg)
    server.hits.clear()
    server.first_hit = None
    try:
        seed = subprocess.run(cli("enqueue", "synthetic", "--sites-dir", str(root / "sites"),
                                  "--redis", args.redis, "--prefix", prefix),
                              capture_output=True, text=True, check=False)
        if seed.returncode:
            sys.exit(f"enqueue failed: {seed.stderr}")
        settings = {**COMMON, "CONCURRENT_REQUESTS": args.concurrency,
                    "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
                    "RECAPS_PROXY": server.url}
        overrides = [x for k, v in settings.items() for x in ("-s", f"{k}={v}")]
        t0 = time.perf_counter()
        workers = [subprocess.Popen(
            cli("worker", "--redis", args.redis, "--prefix", prefix, "--db", schema.url,
                "--sites-dir", str(root / "sites"), "--idle-exit", "2", *overrides),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
        done_at = None
        while any(w.poll() is None for w in workers):
            if done_at is None and schema.rows()[0] >= recaps:
                done_at = time.perf_counter()
            time.sleep(0.1)
        done_at = done_at or time.perf_counter()
        errors = [w.stderr.read()[-2000:] for w in workers if w.returncode]
        if errors:
            sys.exit(f"a worker failed: {errors[0]}")
        rows, distinct = schema.rows()
        hits = dict(server.hits)
        articles = [k for k in hits if k.startswith(f"{HOST}/recaps/") and "/page/" not in k
                    and k != f"{HOST}/recaps/"]
        pages = sum(hits.values())
        robots = hits.get(f"{HOST}/robots.txt", 0)
        once = all(v == 1 for k, v in hits.items() if k != f"{HOST}/robots.txt")
        seconds = done_at - (server.first_hit or t0)
        return {"workers": n, "pages": pages, "seconds": seconds, "wall": done_at - t0,
                "pps": pages / seconds, "rows": rows, "duplicates": rows - distinct,
                "articles": len(articles), "once": once, "robots": robots}
    finally:
        schema.drop()
        clear_prefix(args.redis, prefix)


# -- CPU of one crawl process -------------------------------------------------------
def child(kind: str, proxy: str, sites_dir: str, db: str, redis_url: str, prefix: str) -> dict:
    """One crawl in this process; prints its stats, CPU and Redis round-trips."""
    import redis.connection

    from recapscraper.distributed import worker_settings
    from recapscraper.runner import project_settings, run_crawl

    import redis.client

    trips, waited = [0], [0.0]
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(self, *a, **kw):
        trips[0] += 1
        return send(self, *a, **kw)

    def timed(method):
        def call(*a, **kw):
            t0 = time.perf_counter()
            try:
                return method(*a, **kw)
            finally:
                waited[0] += time.perf_counter() - t0
        return call

    # Count round-trips, and time the crawl loop spends in synchronous Redis calls.
    redis.connection.AbstractConnection.send_packed_command = counted
    redis.client.Redis.execute_command = timed(redis.client.Redis.execute_command)
    redis.client.Pipeline.execute = timed(redis.client.Pipeline.execute)
    base = {**COMMON, "RECAPS_PROXY": proxy, "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "RECAPS_PARSE_WORKERS": 1}
    spider_args = {"site": "synthetic", "sites_dir": sites_dir}
    if kind == "stock":  # scrapy-redis as it comes: the spider seeds its own start requests
        base.update({"SCHEDULER": "scrapy_redis.scheduler.Scheduler", "REDIS_URL": redis_url,
                     "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
                     "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
                     "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                     "SCHEDULER_PERSIST": True})
    elif kind == "leased":
        base.update(worker_settings(redis_url, prefix, idle_exit=0))
        spider_args = {"worker": "1", "sites_dir": sites_dir}
    before = resource.getrusage(resource.RUSAGE_SELF)
    stats = run_crawl(spider_args, project_settings(base, db)).stats
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"pages": stats.get("response_received_count", 0), "cpu": cpu,
            "elapsed": float(stats.get("elapsed_time_seconds") or 0), "trips": trips[0],
            "waited": waited[0],
            "new": stats.get("recaps/new", 0), "reason": stats.get("finish_reason")}


def cpu_run(kind: str, args, root: Path, server) -> dict:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    schema = Schema(args.pg)
    try:
        if kind == "leased":
            subprocess.run(cli("enqueue", "synthetic", "--sites-dir", str(root / "sites"),
                               "--redis", args.redis, "--prefix", prefix), check=True,
                           capture_output=True)
        out = subprocess.run([sys.executable, __file__, "--child", kind, server.url,
                              str(root / "sites"), schema.url, args.redis, prefix],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            sys.exit(f"{kind} crawl failed: {out.stderr[-2000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        schema.drop()
        clear_prefix(args.redis, prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--pg", default=PG_URL)
    parser.add_argument("--skip-cpu", action="store_true")
    parser.add_argument("--cpu-repeat", type=int, default=2,
                        help="runs of each scheduler in the CPU comparison (best kept)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return

    from recapscraper.demo.synthetic import build_site, site_toml

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        arts = build_site(root / "www", args.pages)
        (root / "sites").mkdir()
        (root / "sites" / "synthetic.toml").write_text(site_toml())
        recaps = sum(a.is_recap for a in arts)
        print(f"site: {len(arts)} articles ({recaps} recaps); server latency "
              f"{args.latency * 1000:.0f} ms per response; {args.concurrency} concurrent "
              f"requests per worker; Redis {args.redis}; PostgreSQL {args.pg}")
        with slow_server(root / "www", args.latency) as server:
            runs = [crawl_with_workers(n, args, root, server, recaps)
                    for n in (1, args.workers)]
        for r in runs:
            print(f"{r['workers']} worker{'s' if r['workers'] > 1 else ' '}: {r['pages']} pages "
                  f"in {r['seconds']:.1f} s = {r['pps']:.1f} pages/s (first fetch to last recap "
                  f"stored; {r['wall']:.1f} s from the workers' start); {r['rows']} recaps stored "
                  f"(expected {recaps}), {r['duplicates']} duplicate rows; every page fetched "
                  f"once: {'yes' if r['once'] else 'NO'} (robots.txt once per worker: "
                  f"{r['robots']})")
        speedup = runs[1]["pps"] / runs[0]["pps"]
        print(f"speed-up with {args.workers} workers: {speedup:.2f}x (target >= 2.5x)")
        if args.skip_cpu:
            return
        print("\none crawl process, same site with no latency (CPU-bound), 16 concurrent "
              "requests, parsing in its own process (not counted), best of "
              f"{args.cpu_repeat}:")
        kinds = ("memory", "stock", "leased")
        cpu: dict[str, list[dict]] = {kind: [] for kind in kinds}
        with slow_server(root / "www", 0) as server:
            for _ in range(args.cpu_repeat):  # alternate, keep each kind's best
                for kind in kinds:
                    cpu[kind].append(cpu_run(kind, args, root, server))
        best = {k: min(v, key=lambda r: r["cpu"] / r["pages"]) for k, v in cpu.items()}
        base = best["memory"]["cpu"] / best["memory"]["pages"]
        labels = {"memory": "in-memory scheduler", "stock": "scrapy-redis, stock",
                  "leased": "recapscraper leased+batched"}
        for kind, r in best.items():
            per_page = r["cpu"] / r["pages"]
            print(f"  {labels[kind]:28s} {per_page * 1000:5.2f} ms CPU/page "
                  f"({per_page / base - 1:+.0%}); {r['trips'] / r['pages']:.2f} Redis "
                  f"round-trips/page, {r['waited'] / r['pages'] * 1000:.2f} ms/page blocked "
                  f"in Redis calls; {r['pages'] / r['elapsed']:5.1f} pages/s; "
                  f"{r['new']} recaps stored")
        print("  (leased+batched: yielded requests pushed in batches, one Lua call filters and "
              f"pushes each batch; {PREFETCH} requests taken per call; acks, lease renewals "
              "and the heartbeat share one call a second)")


if __name__ == "__main__":
    main()
