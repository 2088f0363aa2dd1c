"""Crawl progress on the terminal: one line every few seconds, and a last one at the end."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from recapscraper.incremental import SKIPPED_KEYS

# (label, stats key or keys summed) shown in the progress line, in order.
PROGRESS_FIELDS = (
    ("pages", "response_received_count"),
    ("new", "recaps/new"),
    ("updated", "recaps/updated"),
    ("unchanged", "recaps/unchanged"),
    ("duplicates", "recaps/duplicate"),
    ("rejected", "recaps/rejected"),
    ("errors", "log_count/ERROR"),
    ("skipped unchanged", SKIPPED_KEYS),
)


class CrawlProgress:
    """Prints ``pages 120 | new 30 | ...`` to stderr every RECAPS_PROGRESS_INTERVAL s."""

    def __init__(self, stats, interval: float, stream=None):
        self.stats = stats
        self.interval = interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("RECAPS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler.stats, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _value(self, key: str | tuple[str, ...]) -> int:
        keys = (key,) if isinstance(key, str) else key
        return sum(self.stats.get_value(k, 0) for k in keys)

    def line(self) -> str:
        parts = [f"{label} {self._value(key)}" for label, key in PROGRESS_FIELDS]
        elapsed = time.monotonic() - self.started
        return f"[{elapsed:6.1f}s] " + " | ".join(parts)

    def show(self) -> None:
        print(self.line(), file=self.stream, flush=True)

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show()
