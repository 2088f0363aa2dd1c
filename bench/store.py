"""Store throughput and deduplication at scale.

Generates N recap records (default 100,000): originals plus 10% exact duplicates
(same body at another address), 5% near-duplicate copies (lightly edited body on
another site) and 5% revisions (same address, changed body), in a shuffled order
where a copy never precedes its original. Each record goes the way a crawled one
goes: its body's MinHash is computed in a parser process (``--sign-workers``,
default: as many as a crawl's parse pool, see recapscraper/parsepool.py; 0 computes
it here), then, in this process, the content fingerprint and LSH bands, then
`store_batch` in batches. Prints records/s (end to end, and the store alone), CPU
time and load average (the machine is shared: compare runs by their ratios), peak
memory, the counts found against the counts generated, and the near-duplicate
lookup time at 10% of the store against the full store.

    python bench/store.py [--records 100000] [--db sqlite|postgresql|both] [--batch 500]
                          [--sign-workers N]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recapscraper.dedup import (
    NEAR_DUPLICATE_JACCARD,
    band_hashes,
    content_fingerprint,
    minhash_signature,
)
from storage import repository
from storage.db import open_store
from storage.repository import RecapRow

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VOCAB = [hashlib.md5(str(i).encode()).hexdigest()[:7] for i in range(5000)]
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def make_body(rng: random.Random, words: int = 260) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(words))


def generate(n: int, seed: int = 11) -> tuple[list[dict], dict[str, int]]:
    """Record specs in arrival order, and what the store must end up with."""
    rng = random.Random(seed)
    originals = int(n * 0.80)
    specs = []
    for i in range(originals):
        show = f"Show {i % 4000:04d}"
        specs.append({"kind": "original", "i": i, "url": f"https://site{i % 50}.example/r/{i}",
                      "site": f"site{i % 50}.example", "show": show, "season": 1 + i % 3,
                      "episode": 1 + (i // 4000) % 20, "body": make_body(rng),
                      "published": T0 + timedelta(minutes=i)})
    extras = []
    for kind, share in (("exact", 0.10), ("near", 0.05), ("revision", 0.05)):
        for _ in range(int(n * share)):
            src = specs[rng.randrange(originals)]
            spec = dict(src, kind=kind, published=src["published"] + timedelta(hours=2))
            if kind in ("exact", "near"):
                spec["url"] = f"https://copies{rng.randrange(20)}.example/{uuid.uuid4().hex[:12]}"
                spec["site"] = spec["url"].split("/")[2]
            if kind == "near":
                words = src["body"].split()
                for k in rng.sample(range(len(words)), len(words) // 25):
                    words[k] = rng.choice(VOCAB)
                spec["body"] = " ".join(words)
            if kind == "revision":
                spec["body"] = src["body"] + " " + make_body(rng, 30)
            extras.append(spec)
    # copies and revisions arrive after their original: append them in a random order
    rng.shuffle(extras)
    arrival = specs + extras
    revised = {s["url"] for s in extras if s["kind"] == "revision"}
    expect = {"recaps": originals, "copies": sum(s["kind"] != "revision" for s in extras),
              "revisions": sum(s["kind"] == "revision" for s in extras),
              "revised_urls": len(revised)}
    return arrival, expect


def sign(row: RecapRow) -> RecapRow:
    """What ``recapscraper.pipelines.sign`` does to a crawled row before it is stored
    (not imported from there: that module imports Scrapy)."""
    if row.minhash is None:
        row.minhash = minhash_signature(row.body)
    row.bands = band_hashes(row.minhash) if row.minhash else ()
    return row


def to_row(spec: dict) -> tuple[RecapRow, str]:
    """The row a crawl hands to storage: fingerprinted, then signed."""
    url = spec["url"]
    return sign(RecapRow(
        url=url, canonical_url=url, site=spec["site"],
        headline=f"{spec['show']} Season {spec['season']} Episode {spec['episode']} Recap",
        kind="recap", fingerprint=content_fingerprint(spec["body"], url), body=spec["body"],
        show=spec["show"], season=spec["season"], episodes=[spec["episode"]],
        platform="Netflix", published_at=spec["published"],
        release_dates=[date(2025, 1, 1) + timedelta(days=spec["episode"])],
        word_count=len(spec["body"].split()), minhash=spec.get("minhash"),
        near_threshold=NEAR_DUPLICATE_JACCARD)), url


def parse_worker_signatures(bodies: list[str]) -> list[bytes | None]:
    """What a crawl's parser process adds to a recap (recapscraper.parsepool)."""
    return [minhash_signature(body) for body in bodies]


def batches_of_specs(arrival: list[dict], batch: int, workers: int):
    """The record specs in write batches, each with the MinHash the parser processes
    computed (at most ``2 * workers`` batches ahead of the store, as a crawl's
    parse pool is bounded by its concurrent requests)."""
    groups = [arrival[i:i + batch] for i in range(0, len(arrival), batch)]
    if workers == 0:
        yield from groups
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        def signed(specs: list[dict], future) -> list[dict]:
            return [dict(s, minhash=m) for s, m in zip(specs, future.result())]

        ahead: deque = deque()
        for group in groups:
            ahead.append((group, pool.submit(parse_worker_signatures,
                                             [s["body"] for s in group])))
            if len(ahead) > 2 * workers:
                yield signed(*ahead.popleft())
        while ahead:
            yield signed(*ahead.popleft())


def lookup_time(engine, probes: list[RecapRow], repeat: int = 3) -> float:
    """Seconds to find near-duplicate candidates for the probes (one batch lookup; the
    best of ``repeat``, as the machine is shared)."""
    from storage.upserts import BatchLookup

    best = float("inf")
    with engine.connect() as conn:
        for _ in range(repeat):
            start = time.perf_counter()
            BatchLookup(conn, probes)
            best = min(best, time.perf_counter() - start)
    return best


FLOOR_RECAP = ("INSERT INTO recaps (url, canonical_url, site_id, headline, kind, show_title, "
               "season, episodes, finale, platform, published_at, release_dates, word_count, "
               "body, fingerprint, minhash, from_copy, first_seen_at, updated_at) VALUES "
               "(?, ?, 1, ?, 'recap', ?, ?, ?, 0, 'Netflix', ?, '[]', ?, ?, ?, ?, 0, ?, ?)")


def sqlite_floor(n: int, batch: int) -> float:
    """Seconds SQLite alone needs for the least any design with this schema writes:
    per batch, one band lookup for every record, then the new recaps' rows (with
    their indexes), their full-text entries and their bands, one transaction; no
    Python logic, no copies, revisions, shows, episodes or facts. The baseline
    store_batch is compared with, in the same run."""
    import json
    import sqlite3

    arrival, _ = generate(n)
    rows = [(s["kind"] == "original", to_row(s)[0]) for s in arrival]
    with tempfile.TemporaryDirectory() as tmp:
        open_store(f"sqlite:///{tmp}/floor.db").dispose()  # the schema, migrated
        db = sqlite3.connect(f"{tmp}/floor.db", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536",
                       "wal_autocheckpoint=20000"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("INSERT INTO sites (id, domain, created_at) VALUES (1, 'x', '2025-01-01')")
        start = time.perf_counter()
        for i in range(0, len(rows), batch):
            group = rows[i:i + batch]
            db.execute("BEGIN IMMEDIATE")
            db.execute("SELECT band_hash, recap_id FROM recap_bands WHERE band_hash IN "
                       "(SELECT value FROM json_each(?))",
                       (json.dumps([b for _, r in group for b in r.bands]),)).fetchall()
            new = [r for original, r in group if original]
            first = db.execute("SELECT coalesce(max(id), 0) FROM recaps").fetchone()[0] + 1
            stamp = "2025-01-01 00:00:00.000000"
            db.executemany(FLOOR_RECAP, [
                (r.url, r.canonical_url, r.headline, r.show, r.season, json.dumps(r.episodes),
                 r.published_at.strftime("%Y-%m-%d %H:%M:%S.%f"), r.word_count, r.body,
                 r.fingerprint, r.minhash, stamp, stamp) for r in new])
            db.execute("INSERT INTO recaps_fts(rowid, headline, body) SELECT id, headline, "
                       "body FROM recaps WHERE id >= ?", (first,))
            db.executemany("INSERT INTO recap_bands (band_hash, recap_id) VALUES (?, ?) "
                           "ON CONFLICT DO NOTHING",
                           sorted((b, first + k) for k, r in enumerate(new) for b in r.bands))
            db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed


def run(url: str, label: str, n: int, batch: int, workers: int) -> None:
    arrival, expect = generate(n)
    engine = open_store(url)
    rng = random.Random(3)
    probe_specs = [dict(s, url=f"https://probe.example/{k}", body=s["body"] + " probe")
                   for k, s in enumerate(rng.sample(arrival[: int(n * 0.08)], min(200, int(n * 0.08))))]
    probes = [to_row(s)[0] for s in probe_specs]
    counts: dict[str, int] = {}
    small_lookup = None
    load = os.getloadavg()[0]
    signing = storing = 0.0
    cpu = time.process_time()
    start = time.perf_counter()
    done = 0
    for group in batches_of_specs(arrival, batch, workers):
        t0 = time.perf_counter()
        rows = [to_row(s) for s in group]
        t1 = time.perf_counter()
        for k, v in repository.store_batch(engine, rows).items():
            counts[k] = counts.get(k, 0) + v
        signing, storing = signing + t1 - t0, storing + time.perf_counter() - t1
        done += len(group)
        if small_lookup is None and done >= n // 10:
            paused, paused_cpu = time.perf_counter(), time.process_time()
            small_lookup = lookup_time(engine, probes)
            start += time.perf_counter() - paused
            cpu += time.process_time() - paused_cpu
        if done % (batch * 40) == 0:
            rate = done / (time.perf_counter() - start)
            print(f"  {label}: {done:>7} records, {rate:,.0f}/s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    big_lookup = lookup_time(engine, probes)
    totals = repository.totals(engine)
    settings = ""
    if engine.dialect.name == "postgresql":  # without ANALYZE, lookups scan recap_bands
        with engine.connect() as conn:
            settings = f"; autovacuum {conn.exec_driver_sql('SHOW autovacuum').scalar()}"
    engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    where = (f"MinHash in {workers} parser process{'es' if workers > 1 else ''}" if workers
             else "MinHash in this process")
    print(f"{label}: {len(arrival)} records in {elapsed:.1f}s = {len(arrival) / elapsed:,.0f} "
          f"records/s (batches of {batch}; {where}); peak RSS {peak_mb:.0f} MB")
    print(f"  {'fingerprint + bands' if workers else 'fingerprint + signature'} "
          f"{signing:.1f}s ({signing / len(arrival) * 1e6:.0f} us/record"
          f"{', waiting for parser processes included' if workers else ''}), store_batch "
          f"{storing:.1f}s = "
          f"{len(arrival) / storing:,.0f} records/s; "
          f"this process's CPU {cpu:.1f}s of {elapsed:.1f}s; load average {load:.2f} -> "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores{settings}")
    if engine.dialect.name == "sqlite":
        floor = sqlite_floor(n, batch)
        print(f"  SQLite floor (the same run's new recaps, their full text and bands, written "
              f"with no Python logic): {floor:.1f}s = {n / floor:,.0f} records/s; "
              f"store_batch / floor = {storing / floor:.2f}")
    print(f"  outcomes: {dict(sorted(counts.items()))}")
    ok = (totals["recaps"] == expect["recaps"] and totals["copies"] == expect["copies"]
          and totals["revisions"] == expect["revisions"])
    print(f"  store: {totals['recaps']} recaps (expected {expect['recaps']}), "
          f"{totals['copies']} copies (expected {expect['copies']}), "
          f"{totals['revisions']} revisions (expected {expect['revisions']}) -> "
          f"{'OK: no duplicate, nothing lost' if ok else 'MISMATCH'}")
    print(f"  near-duplicate lookup of {len(probes)} probes: {small_lookup * 1000:.1f} ms at "
          f"{n // 10:,} records, {big_lookup * 1000:.1f} ms at {n:,} "
          f"(ratio {big_lookup / small_lookup:.2f}, target <= 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--sign-workers", type=int, default=None,
                        help="parser processes computing MinHash signatures (default: as "
                             "many as a crawl's parse pool; 0: in the storing process)")
    args = parser.parse_args()
    if args.sign_workers is None:
        from recapscraper.parsepool import auto_workers

        args.sign_workers = auto_workers()
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.db", "SQLite", args.records, args.batch,
                args.sign_workers)
    if args.db in ("postgresql", "both"):
        import sqlalchemy as sa

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            run(f"{PG_URL}?options=-csearch_path%3D{schema}", "PostgreSQL", args.records,
                args.batch, args.sign_workers)
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
