"""Run a crawl in this process with the project's settings, and the demo around it."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from scrapy.settings import Settings

from recapscraper.resources import package_path
from storage.db import open_store, resolve_url

DEMO_SITES_DIR = package_path("recapscraper", "demo", "sites")
# The demo talks to its own local server only: no delay, no throttling needed.
DEMO_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 15,
    "RECAPS_PROGRESS_INTERVAL": 1.0,
}


class SettingError(ValueError):
    """A ``-s NAME=VALUE`` override is malformed."""


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise SettingError(f"-s expects NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def project_settings(overrides: dict | None = None, db_url: str | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("recapscraper.settings", priority="project")
    settings.set("RECAPS_DB_URL", resolve_url(db_url), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


@dataclass
class CrawlResult:
    stats: dict = field(default_factory=dict)
    finish_reason: str | None = None

    def get(self, key: str, default: int = 0):
        return self.stats.get(key, default)

    @property
    def unsaved(self) -> bool:
        return bool(self.stats.get("recaps/store_errors"))


def run_crawl(spider_kwargs: dict, settings: Settings, check_store: bool = True) -> CrawlResult:
    """Crawl with the recap spider; blocks until done. The store is checked first."""
    from scrapy.crawler import CrawlerProcess

    from recapscraper.spiders.recaps import RecapSpider

    if check_store:
        open_store(settings.get("RECAPS_DB_URL")).dispose()  # clear error before any fetching
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(RecapSpider)
    process.crawl(crawler, **spider_kwargs)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(stats=stats, finish_reason=stats.get("finish_reason"))


def run_demo(db_url: str | None = None, overrides: dict | None = None) -> tuple[CrawlResult, str]:
    """Serve the bundled demo sites locally and crawl all of them; returns (result, server url)."""
    from recapscraper.demo.server import SiteServer, demo_root

    with SiteServer(demo_root()) as server:
        settings = project_settings({**DEMO_SETTINGS, "RECAPS_PROXY": server.url,
                                     **(overrides or {})}, db_url)
        logging.getLogger(__name__).info("demo sites served at %s", server.url)
        result = run_crawl({"all": "1", "sites_dir": str(DEMO_SITES_DIR)}, settings)
        return result, server.url


def quiet_logging(verbose: bool) -> dict:
    """Settings that keep Scrapy's log to warnings unless --verbose."""
    if verbose:
        return {"LOG_LEVEL": "INFO"}
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    return {"LOG_LEVEL": "WARNING"}
