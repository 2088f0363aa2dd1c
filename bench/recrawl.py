"""Incremental crawling: what a re-crawl costs when nothing (or a little) changed.

Generates a local site of N articles (default 2,000; every tenth a look-alike that
is rejected), serves it from a local server in its own process, and crawls it
three times into one SQLite store with the real `recapscraper crawl`:

1. first crawl: everything is fetched and parsed;
2. second crawl, nothing changed: bytes downloaded and pages parsed, as ratios of
   the first crawl (targets: <= 5% of the bytes, <= 1% of the pages parsed);
3. after changing 50 recap articles (new text, newer sitemap lastmod): the store
   must hold exactly 50 new revisions.

Scenario ``sitemap`` is the generated site as it is (sitemap index with lastmod,
feed, paginated listing; ETag/Last-Modified). Scenario ``listing`` drops the
sitemap from the site file, so re-crawls rest on conditional requests (304) alone,
and its 100 listing pages (always re-read) are followed to the end (DEPTH_LIMIT=0).

    python bench/recrawl.py [--pages 2000] [--changed 50] [--scenario sitemap,listing]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "RECAPS_PROGRESS_INTERVAL": "0",
    "RETRY_ENABLED": "False",
}


def crawl(sites: Path, proxy: str, db: str, extra: dict | None = None) -> tuple[dict, float]:
    from storage import jobs
    from storage.db import open_store

    args = [sys.executable, "-m", "recapscraper.cli", "crawl", "synthetic", "--sites-dir",
            str(sites), "--db", db, "-s", f"RECAPS_PROXY={proxy}"]
    for name, value in {**SETTINGS, **(extra or {})}.items():
        args += ["-s", f"{name}={value}"]
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"crawl failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    engine = open_store(db)
    stats = jobs.run_stats(engine, jobs.list_runs(engine, limit=1)[0]["id"])
    engine.dispose()
    return stats, elapsed


def revisions(db: str) -> int:
    from sqlalchemy import func, select

    from storage.db import open_store
    from storage.models import RecapRevision

    engine = open_store(db)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(RecapRevision)).scalar_one()
    engine.dispose()
    return n


def line(label: str, stats: dict, elapsed: float) -> str:
    from recapscraper.incremental import unchanged_counts

    skipped = unchanged_counts(stats)
    return (f"  {label:18s} {stats.get('downloader/request_count', 0):5d} requests "
            f"{stats.get('downloader/response_bytes', 0) / 1e6:8.2f} MB "
            f"{stats.get('recaps/pages/parsed', 0):5d} parsed "
            f"{stats.get('recaps/new', 0):5d} new {stats.get('recaps/updated', 0):4d} updated "
            f"| unchanged: {skipped['skipped_lastmod']} by lastmod, "
            f"{skipped['not_modified']} by 304, {skipped['unchanged_body']} by body hash "
            f"| {elapsed:5.1f}s")


def scenario(name: str, pages: int, changed: int) -> bool:
    from recapscraper.demo.synthetic import build_site, site_toml

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        arts = build_site(root / "www", pages)
        toml, extra = site_toml(), {}
        if name == "listing":
            toml = toml.replace('sitemap_urls = ["/sitemap_index.xml"]\n', "")
            extra = {"DEPTH_LIMIT": "0"}  # follow all 100 listing pages
        (root / "sites").mkdir()
        (root / "sites" / "synthetic.toml").write_text(toml)
        server = subprocess.Popen([sys.executable, "-m", "recapscraper.demo.server", "--root",
                                   str(root / "www")], stdout=subprocess.PIPE, text=True,
                                  cwd=ROOT)
        db = f"sqlite:///{root / 'bench.db'}"
        try:
            proxy = server.stdout.readline().strip()
            first, t1 = crawl(root / "sites", proxy, db, extra)
            second, t2 = crawl(root / "sites", proxy, db, extra)
            picked = random.Random(5).sample([a.index for a in arts if a.is_recap], changed)
            build_site(root / "www", pages, revisions={i: 1 for i in picked})
            before = revisions(db)
            third, t3 = crawl(root / "sites", proxy, db, extra)
            new_revisions = revisions(db) - before
        finally:
            server.terminate()
    print(f"scenario {name}: {len(arts)} articles ({sum(a.is_recap for a in arts)} recaps)")
    print(line("first crawl", first, t1))
    print(line("nothing changed", second, t2))
    print(line(f"{changed} changed", third, t3))
    bytes_ratio = second.get("downloader/response_bytes", 0) / first["downloader/response_bytes"]
    parsed_ratio = second.get("recaps/pages/parsed", 0) / first["recaps/pages/parsed"]
    ok = bytes_ratio <= 0.05 and parsed_ratio <= 0.01 and new_revisions == changed
    print(f"  second/first bytes:  {bytes_ratio:.4f} (target <= 0.05)")
    print(f"  second/first parsed: {parsed_ratio:.4f} (target <= 0.01)")
    print(f"  third crawl: {new_revisions} revisions stored, "
          f"{third.get('recaps/pages/parsed', 0)} pages parsed (target: exactly {changed})")
    print(f"  {'MET' if ok else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--changed", type=int, default=50)
    parser.add_argument("--scenario", default="sitemap,listing")
    args = parser.parse_args()
    results = [scenario(name.strip(), args.pages, args.changed)
               for name in args.scenario.split(",") if name.strip()]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
