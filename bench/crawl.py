"""Crawl throughput: the full recapscraper crawl against a bare Scrapy spider.

Both crawl the same generated site of N article pages (default 2,000) served by a
local server in its own process, with the same concurrency and no delays; the
bare spider only yields each page's <title> (with Scrapy's defaults, and once more
with the project's CONCURRENT_ITEMS), the full crawl parses (in its parser
process), validates, deduplicates and stores into SQLite. Each crawl runs in a fresh process. Prints
pages/s for each and their ratio (target: full >= 0.6 x bare).

    python bench/crawl.py [--pages 2000] [--repeat 1]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "WARNING", "RECAPS_PROGRESS_INTERVAL": 0,
    "ROBOTSTXT_OBEY": True, "RETRY_ENABLED": False,
}


def child_bare(proxy: str, concurrent_items: str = "") -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.sitemap import Sitemap

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            yield scrapy.Request("http://synthetic.example/sitemap_index.xml", self.parse_map)

        def parse_map(self, response):
            for entry in Sitemap(response.body):
                callback = self.parse_map if entry["loc"].endswith(".xml") else self.parse_page
                yield scrapy.Request(entry["loc"], callback)

        def parse_page(self, response):
            yield {"title": response.xpath("//title/text()").get()}

    settings = {**SETTINGS, "RECAPS_PROXY": proxy, "ITEM_PIPELINES": {},
                **({"CONCURRENT_ITEMS": int(concurrent_items)} if concurrent_items else {}),
                "DOWNLOADER_MIDDLEWARES": {"recapscraper.middlewares.FixedProxyMiddleware": 740}}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    return dict(crawler.stats.get_stats())


def child_full(proxy: str, sites_dir: str, db: str) -> dict:
    from recapscraper.runner import project_settings, run_crawl

    settings = project_settings({**SETTINGS, "RECAPS_PROXY": proxy}, db)
    return run_crawl({"site": "synthetic", "sites_dir": sites_dir}, settings).stats


def run_child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        sys.exit(f"benchmark child failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rate(stats: dict) -> tuple[int, float, float]:
    pages = stats.get("response_received_count", 0)
    elapsed = float(stats.get("elapsed_time_seconds") or 0)
    return pages, elapsed, pages / elapsed if elapsed else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="alternate runs of each kind")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        stats = child_bare(*rest) if kind == "bare" else child_full(*rest)
        print(json.dumps({k: v for k, v in stats.items() if isinstance(v, (int, float, str))}))
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from recapscraper.demo.synthetic import build_site, site_toml

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        arts = build_site(root / "www", args.pages)
        (root / "sites").mkdir()
        (root / "sites" / "synthetic.toml").write_text(site_toml())
        print(f"generated {len(arts)} articles in {time.perf_counter() - t0:.1f}s")
        server = subprocess.Popen([sys.executable, "-m", "recapscraper.demo.server", "--root",
                                   str(root / "www")], stdout=subprocess.PIPE, text=True)
        try:
            proxy = server.stdout.readline().strip()
            results: dict[str, list] = {"bare": [], "bare-tuned": [], "full": []}
            for i in range(args.repeat):
                results["bare"].append(rate(run_child(["--child", "bare", proxy])))
                results["bare-tuned"].append(rate(run_child(["--child", "bare", proxy, "8"])))
                db = f"sqlite:///{root / f'bench{i}.db'}"
                full = run_child(["--child", "full", proxy, str(root / "sites"), db])
                results["full"].append(rate(full))
                print(f"run {i + 1}: stored {full.get('recaps/new', 0)} recaps, rejected "
                      f"{full.get('recaps/rejected', 0)}, errors "
                      f"{full.get('log_count/ERROR', 0)}")
        finally:
            server.terminate()
    best = {k: max(v, key=lambda r: r[2]) for k, v in results.items()}
    for kind, (pages, elapsed, pps) in best.items():
        print(f"{kind:10s} spider: {pages} pages in {elapsed:.1f}s = {pps:.1f} pages/s")
    ratio = best["full"][2] / best["bare"][2] if best["bare"][2] else 0
    tuned = best["full"][2] / best["bare-tuned"][2] if best["bare-tuned"][2] else 0
    print(f"ratio full/bare: {ratio:.2f} (target >= 0.60)")
    print(f"ratio full/bare-tuned (bare with the project's CONCURRENT_ITEMS=8): {tuned:.2f}")


if __name__ == "__main__":
    main()
