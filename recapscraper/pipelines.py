"""Item pipelines, each one small step: normalize -> validate -> deduplicate -> store.

They work on :class:`RecapRecord` items and need no spider, so `recapscraper
ingest` runs saved pages through exactly the same objects as a crawl.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from datetime import timezone

from scrapy.exceptions import DropItem

from recapscraper.dedup import (
    NEAR_DUPLICATE_JACCARD,
    band_hashes,
    canonical_url,
    choose_canonical,
    content_fingerprint,
    minhash_signature,
    site_of,
)
from recapscraper.items import EPISODE_KINDS, RecapRecord
from storage import repository
from storage.db import StoreError, open_store, resolve_url

logger = logging.getLogger(__name__)
SPACE_RE = re.compile(r"\s+")
# Quotes a headline wraps a show title in.
QUOTES = "\"'‘’“”«»„‚「」『』"


class _Stats:
    """Crawler stats when there is a crawler; a Counter otherwise (ingest)."""

    def __init__(self, crawler=None):
        self.crawler = crawler
        self.counter: Counter = Counter()

    def inc(self, key: str, count: int = 1) -> None:
        self.counter[key] += count
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, count)


class _Stage:
    def __init__(self, stats: _Stats | None = None):
        self.stats = stats or _Stats()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(_Stats(crawler))


def tidy(text: str | None) -> str | None:
    if text is None:
        return None
    text = SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return text or None


class NormalizePipeline(_Stage):
    """Canonical URL and site, tidy text, aware UTC-comparable dates."""

    def process_item(self, item: RecapRecord) -> RecapRecord:
        item.canonical_url = choose_canonical(item.url, item.canonical_url)
        item.site = site_of(item.canonical_url) or site_of(item.url)
        item.headline = tidy(item.headline)
        show = tidy(item.show)
        item.show = show.strip(QUOTES + " ").strip() or None if show else None
        item.author = tidy(item.author)
        item.episode_title = tidy(item.episode_title)
        for name in ("published_at", "modified_at", "fetched_at"):
            value = getattr(item, name)
            if value is not None and value.tzinfo is None:
                setattr(item, name, value.replace(tzinfo=timezone.utc))
        item.episodes = sorted({n for n in item.episodes if 0 < n < 10000})
        return item


# Fields whose share among a site's recaps the monitors watch (recapscraper/monitors.py).
COVERAGE_FIELDS = ("show", "episodes", "published_at", "author", "platform")


class ValidatePipeline(_Stage):
    """Only episode recaps go on; everything else is dropped with its reason.

    Counts per site what was seen, what passed and which fields the passing recaps
    carry (``recaps/site/<host>/...``), for the monitors that compare runs.
    """

    def _count_site(self, item: RecapRecord, passed: bool) -> None:
        prefix = f"recaps/site/{item.site or 'unknown'}"
        self.stats.inc(f"{prefix}/pages")
        if passed:
            self.stats.inc(f"{prefix}/recaps")
            for name in COVERAGE_FIELDS:
                if getattr(item, name):
                    self.stats.inc(f"{prefix}/field/{name}")

    def process_item(self, item: RecapRecord) -> RecapRecord:
        reason = None
        if not item.is_episode_recap or item.kind not in EPISODE_KINDS:
            reason = item.reason or f"kind {item.kind}"
        elif not item.headline:
            reason = "no headline"
        elif not item.show:
            reason = "no show"
        self._count_site(item, passed=reason is None)
        if reason:
            slug = re.sub(r"[^a-z0-9]+", "_", reason.lower()).strip("_")[:40] or "unknown"
            self.stats.inc("recaps/rejected")
            self.stats.inc(f"recaps/rejected/{slug}")
            raise DropItem(f"not an episode recap ({reason}): {item.url}")
        return item


class DedupPipeline(_Stage):
    """Fingerprint the body; drop a page already seen at the same address in this run.

    Cross-address and cross-run duplicates are resolved by the store's unique
    constraints (canonical URL, fingerprint), which hold for every writer.
    """

    def __init__(self, stats: _Stats | None = None):
        super().__init__(stats)
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item: RecapRecord) -> RecapRecord:
        key = (canonical_url(item.url), item.canonical_url or "")
        if key in self.seen:
            self.stats.inc("recaps/duplicate")
            raise DropItem(f"duplicate in this run: {item.url}")
        self.seen.add(key)
        return item


def sign(row: repository.RecapRow) -> repository.RecapRow:
    """Give a row its near-duplicate signature and LSH bands (CPU work: the parser
    processes compute the signature; otherwise the store's writer thread does, not
    the crawl loop)."""
    if row.minhash is None and row.body:
        row.minhash = minhash_signature(row.body)
    if row.minhash and not row.bands:
        row.bands = band_hashes(row.minhash)
    return row


def to_row(item: RecapRecord, site_name: str | None = None,
           signed: bool = True) -> repository.RecapRow:
    row = repository.RecapRow(
        near_threshold=NEAR_DUPLICATE_JACCARD, show_aliases=list(item.show_aliases),
        other_urls=list(item.redirect_urls),
        url=item.url, canonical_url=item.canonical_url or canonical_url(item.url),
        site=item.site or site_of(item.url), site_name=site_name,
        headline=item.headline or "", kind=item.kind, body=item.body,
        fingerprint=content_fingerprint(item.body, item.canonical_url or item.url),
        show=item.show, season=item.season, episodes=list(item.episodes),
        episode_title=item.episode_title, finale=item.finale, part=item.part,
        platform=item.platform, network=item.network, author=item.author,
        language=item.language, published_at=item.published_at,
        modified_at=item.modified_at, release_dates=list(item.release_dates),
        schedule=item.schedule,
        word_count=item.word_count, fetched_at=item.fetched_at,
        fetch_state=item.fetch_state, minhash=item.minhash)
    return sign(row) if signed else row


class StorePipeline(_Stage):
    """Batched, idempotent writes: one transaction per batch, flushed by size, by
    time and on close. In a crawl a batch is written in a thread, so the crawl
    loop keeps downloading meanwhile; one batch is in flight at a time. A batch
    that fails goes back to the queue and is retried with the next one."""

    def __init__(self, db_url: str | None = None, batch_size: int = 500,
                 flush_interval: float = 5.0, stats: _Stats | None = None,
                 spider_name: str = "recaps"):
        super().__init__(stats)
        self.db_url = resolve_url(db_url)
        self.batch_size = max(1, batch_size)
        self.flush_interval = flush_interval
        self.spider_name = spider_name
        self.pending: list[tuple[repository.RecapRow, str]] = []
        self.engine = None
        self.run_id: int | None = None
        self.failed = 0
        self._timer = None
        self._inflight = None  # Deferred of the batch being written in a thread

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(db_url=s.get("RECAPS_DB_URL"), batch_size=s.getint("RECAPS_BATCH_SIZE"),
                   flush_interval=s.getfloat("RECAPS_FLUSH_INTERVAL"),
                   stats=_Stats(crawler), spider_name=crawler.spidercls.name)

    @property
    def threaded(self) -> bool:
        return self.stats.crawler is not None

    def open_spider(self, spider=None) -> None:
        self.engine = open_store(self.db_url)
        if spider is None and self.stats.crawler is not None:  # Scrapy >= 2.14 passes none
            spider = self.stats.crawler.spider
        sites = [s.name for s in getattr(spider, "sites", [])] if spider else []
        self.run_id = repository.start_run(self.engine, self.spider_name, sites)
        if self.stats.crawler is not None:
            self.stats.crawler.stats.set_value("recaps/run_id", self.run_id)
        if self.threaded and self.flush_interval > 0:
            from twisted.internet import task  # only inside a crawl

            self._timer = task.LoopingCall(self._flush_in_thread)
            self._timer.start(self.flush_interval, now=False)

    def process_item(self, item: RecapRecord) -> RecapRecord:
        self.pending.append((to_row(item, signed=False), canonical_url(item.url)))
        if len(self.pending) >= self.batch_size:
            if self.threaded:
                self._flush_in_thread()
            else:
                self.flush()
        return item

    def _write(self, batch) -> Counter | None:
        try:
            for row, _ in batch:
                sign(row)
            return repository.store_batch(self.engine, batch)
        except Exception as exc:  # noqa: BLE001 - keep the batch, report once
            self._store_failed(batch, exc)
            return None

    def _store_failed(self, batch, exc: BaseException) -> None:
        self.stats.inc("recaps/store_errors")
        logger.error("could not store %d recaps (kept for retry): %s", len(batch),
                     _one_line(exc))

    def _count(self, counts: Counter | None) -> None:
        for outcome, n in (counts or {}).items():
            self.stats.inc(f"recaps/{outcome}", n)

    def flush(self) -> Counter:
        """Write everything pending now, in this thread."""
        if not self.pending:
            return Counter()
        batch, self.pending = self.pending, []
        counts = self._write(batch)
        if counts is None:
            self.pending[:0] = batch
            return Counter()
        self._count(counts)
        return counts

    def _flush_in_thread(self) -> None:
        if self._inflight is not None or not self.pending:
            return
        from twisted.internet.threads import deferToThread

        batch, self.pending = self.pending[:self.batch_size], self.pending[self.batch_size:]

        def done(result) -> None:
            self._inflight = None
            if isinstance(result, Counter):
                self._count(result)
            else:
                self.pending[:0] = batch  # failed: retried with the next flush
            if len(self.pending) >= self.batch_size:
                self._flush_in_thread()

        self._inflight = deferToThread(self._write, batch)
        self._inflight.addCallback(done)

    async def close_spider(self, spider=None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        from scrapy.utils.defer import maybe_deferred_to_future

        while self._inflight is not None:  # a finished batch may start the next one
            await maybe_deferred_to_future(self._inflight)
        self.finish()

    def finish(self) -> None:
        """Final flush and the crawl-run record."""
        self.flush()
        if self.pending:
            self.failed = len(self.pending)
            logger.error("%d recaps were not stored: the database is unreachable "
                         "(%s); crawl again to recover them", self.failed, self.db_url)
        if self.engine is not None and self.run_id is not None:
            stats = dict(self.stats.crawler.stats.get_stats()) if self.stats.crawler else \
                dict(self.stats.counter)
            status = "failed" if self.failed else "finished"
            try:
                repository.finish_run(self.engine, self.run_id, status,
                                      {k: _jsonable(v) for k, v in stats.items()})
            except Exception as exc:  # noqa: BLE001
                logger.error("could not record the crawl run: %s", _one_line(exc))
            self.engine.dispose()


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _jsonable(value):
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


__all__ = ["NormalizePipeline", "ValidatePipeline", "DedupPipeline", "StorePipeline",
           "StoreError", "to_row"]
