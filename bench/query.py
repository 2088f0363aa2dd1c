"""Read latency of the web API over HTTP, on SQLite and PostgreSQL.

Generates a store of N recaps (default 1,000,000) over N/50 shows (bench/query_data.py;
the SQLite file is cached under bench/out/ by size, so reruns reuse it), starts
`recapscraper serve` on it in its own process, and measures with 8 concurrent
keep-alive clients four endpoints: an episode with its recaps, a show's episode
guide, filtered recap listings (platform, site, network, kind + date, show + season,
second pages by cursor) and full-text search. Prints p50/p95/p99 and requests/s per
endpoint against the targets (p95 < 50 ms; full text < 200 ms). PostgreSQL runs in
a schema of its own on 127.0.0.1:5432/test, dropped afterwards.

    python bench/query.py [--recaps 1000000] [--pg-recaps N] [--requests 800] [--skip-pg]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from query_data import FIRST, LAST, NETWORKS, PLATFORMS, SITES, build_postgres  # noqa: E402
from query_data import build_sqlite  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("RECAPS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGETS = {"episode-recaps": 50, "show-guide": 50, "recap-filter": 50, "full-text": 200}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`recapscraper serve` in a child process."""

    def __init__(self, db_url: str):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "recapscraper.cli", "serve", "--db", db_url,
             "--port", str(self.port)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/api/")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {self.proc.stderr.read()}")
                time.sleep(0.2)

    def get(self, path: str) -> dict | list:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
        return json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def request_paths(server: Server, shows: int, n: int) -> dict[str, list[str]]:
    """n paths per endpoint, random but reproducible; episodes come from show guides."""
    rng = random.Random(7)
    show_ids = [rng.randint(1, shows) for _ in range(n)]
    guides = [f"/api/shows/{s}" for s in show_ids]
    episodes = []
    for sid in show_ids[: max(50, n // 8)]:
        guide = server.get(f"/api/shows/{sid}")
        for season in guide["seasons"]:
            for ep in season["episodes"]:
                episodes.append(f"/api/shows/{sid}/episodes/{ep['season']}/{ep['episode']}")
    episodes = [rng.choice(episodes) for _ in range(n)]
    filters = []
    for i in range(n):
        choice = i % 6
        if choice == 0:
            q = {"platform": rng.choice(PLATFORMS).lower()}
        elif choice == 1:
            q = {"site": rng.choice(SITES)}
        elif choice == 2:
            q = {"network": rng.choice([x for x in NETWORKS if x])}
        elif choice == 3:
            q = {"kind": "review", "since": f"2025-{rng.randint(1, 12):02d}-01"}
        elif choice == 4:
            q = {"show": rng.randint(1, shows), "season": 1}
        else:
            q = {"platform": rng.choice(PLATFORMS), "until": f"2024-{rng.randint(1, 12):02d}-15"}
        filters.append("/api/recaps?" + urlencode(q))
    # second pages: follow next_cursor of a few first pages
    for i in range(0, n, 10):
        page = server.get(filters[i])
        if page["next_cursor"]:
            filters[i] = filters[i] + "&cursor=" + quote(page["next_cursor"])
    words = ["storm", "betrayal", "wedding", "confession", "heist", "cliffhanger", "diagnosis",
             "verdict", "kidnapping", "soundtrack", "funeral", "ransom"]
    searches = []
    for i in range(n):
        choice = i % 4
        if choice == 0:  # a character: rare
            q = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        elif choice == 1:  # a show title + a plot word
            q = f"{rng.choice(['harbor', 'kingdom', 'station', 'precinct'])} {rng.choice(words)}"
        elif choice == 2:  # two plot words
            q = f"{rng.choice(words)} {rng.choice(words)}"
        else:  # one common word
            q = rng.choice(["episode", "finale", "twist", "family"])
        searches.append("/api/search?" + urlencode({"q": q}))
    return {"episode-recaps": episodes, "show-guide": guides, "recap-filter": filters,
            "full-text": searches}


def load(port: int, paths: list[str], clients: int) -> tuple[list[float], float, int]:
    """Run ``paths`` with ``clients`` concurrent keep-alive connections: latencies (ms),
    wall seconds, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = iter(paths)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            t0 = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t0) * 1000)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started, errors[0]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(label: str, db_url: str, shows: int, requests: int, clients: int) -> bool:
    server = Server(db_url)
    ok = True
    try:
        plan = request_paths(server, shows, requests)
        print(f"\n{label}: {requests} requests per endpoint, {clients} concurrent clients")
        print(f"  {'endpoint':<15} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} "
              f"{'errors':>6}  target p95")
        for name, paths in plan.items():
            load(server.port, paths[: max(clients * 4, requests // 10)], clients)  # warm-up
            latencies, seconds, errors = load(server.port, paths, clients)
            p95 = pct(latencies, 95)
            met = p95 < TARGETS[name] and not errors
            ok &= met
            print(f"  {name:<15} {pct(latencies, 50):8.1f} {p95:8.1f} {pct(latencies, 99):8.1f} "
                  f"{len(latencies) / seconds:8.0f} {errors:6d}  < {TARGETS[name]} ms "
                  f"{'ok' if met else 'MISSED'}")
    finally:
        server.stop()
    return ok


def sqlite_store(recaps: int) -> tuple[str, float | None]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"query-sqlite-{recaps}.db"
    seconds = None
    if not path.exists():
        print(f"generating {recaps:,} recaps over {recaps // 50:,} shows into {path} ...")
        seconds = build_sqlite(path, recaps)
    else:  # a cached store from before a new migration: bring it up to date
        from storage.db import open_store

        open_store(f"sqlite:///{path}").dispose()
    return f"sqlite:///{path}", seconds


def run_postgres(recaps: int, requests: int, clients: int) -> bool:
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        print(f"\ngenerating {recaps:,} recaps over {recaps // 50:,} shows in PostgreSQL "
              f"(schema {schema}) ...")
        seconds = build_postgres(url, recaps)
        print(f"  generated in {seconds:.0f} s")
        return measure(f"PostgreSQL, {recaps:,} recaps", url, recaps // 50, requests, clients)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recaps", type=int, default=1_000_000)
    parser.add_argument("--pg-recaps", type=int, help="PostgreSQL store size (default: --recaps)")
    parser.add_argument("--requests", type=int, default=800, help="per endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    url, seconds = sqlite_store(args.recaps)
    if seconds is not None:
        print(f"  generated in {seconds:.0f} s")
    else:
        print(f"reusing {url.removeprefix('sqlite:///')} ({args.recaps:,} recaps)")
    ok = measure(f"SQLite, {args.recaps:,} recaps", url, args.recaps // 50, args.requests,
                 args.clients)
    if not args.skip_pg:
        pg_recaps = args.pg_recaps or args.recaps
        if pg_recaps != args.recaps:
            print(f"\nnote: PostgreSQL runs with {pg_recaps:,} recaps (--pg-recaps), "
                  f"not {args.recaps:,}")
        ok &= run_postgres(pg_recaps, args.requests, args.clients)
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
