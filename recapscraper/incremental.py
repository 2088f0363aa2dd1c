"""Incremental crawling: fetch, parse and write again only what changed.

Per article address the store keeps what its last fetch found (``url_states``,
see storage/urlstate.py). On a re-crawl:

1. a sitemap entry whose ``lastmod`` equals the stored one is not requested at all,
   and listings and feeds leave an article that a sitemap listed before to the sitemap;
2. other article requests carry ``If-None-Match`` / ``If-Modified-Since``; a 304
   answer is recorded and not parsed;
3. a 200 answer whose body hashes to the stored hash is not parsed;
4. anything else is parsed; a stored recap's new state is written in the same
   transaction as the recap (the item carries it), so a crawl killed at any point
   never skips a page it did not store. Other pages' states (not recaps, 304s,
   same body) are written here, in batches, from a thread.

Listing pages, feeds, sitemaps and robots.txt are always fetched. ``--full``
(``RECAPS_FULL``, or the spider argument ``full=1``) fetches and parses everything
and still records the states. ``RECAPS_INCREMENTAL = False`` switches all of this off.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from datetime import datetime, timezone

from recapscraper.dedup import canonical_url, site_of
from storage.urlstate import KnownState, load_states, write_states

logger = logging.getLogger(__name__)
# Pending states written in one transaction.
STATE_BATCH = 200
# Outcomes of a fetch, as stored in url_states.outcome.
STORED, REJECTED, DUPLICATE = "stored", "rejected", "duplicate"
# Articles found unchanged and not parsed, counted in the stats "recaps/incremental/<how>"
# (the only stats under that prefix), with how the crawl summary names each way.
STATS_PREFIX = "recaps/incremental/"
UNCHANGED_HOW = {"skipped_lastmod": "lastmod", "not_modified": "304",
                 "unchanged_body": "same body"}
SKIPPED_KEYS = tuple(STATS_PREFIX + how for how in UNCHANGED_HOW)


def unchanged_counts(stats: dict) -> dict[str, int]:
    """How many articles a run found unchanged, by way (keys of UNCHANGED_HOW)."""
    return {how: stats.get(STATS_PREFIX + how, 0) for how in UNCHANGED_HOW}


def body_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _header(headers, name: str) -> str | None:
    value = headers.get(name) if headers is not None else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value.strip()[:500] or None if value else None


class CrawlState:
    """What the store knows of the articles of one crawl, and what this crawl learns.

    No Scrapy import: the spider and the middleware below ask it questions and hand
    it states; it reads and writes through storage/urlstate.py.
    """

    def __init__(self, engine=None, known: dict[str, KnownState] | None = None,
                 full: bool = False):
        self.engine = engine
        self.known = known or {}
        self.full = full
        self.pending: list[dict] = []
        self.failed = 0
        # called (without arguments) when a batch of states is ready to be written
        self.on_batch = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, engine, sites: Iterable[str] | None, full: bool = False) -> CrawlState:
        return cls(engine, load_states(engine, sites), full)

    # -- questions ------------------------------------------------------------
    def lookup(self, url: str) -> KnownState | None:
        return self.known.get(canonical_url(url))

    def unchanged_lastmod(self, url: str, lastmod: str | None) -> bool:
        """The sitemap says this page has not changed since we last fetched it."""
        if self.full or not lastmod:
            return False
        known = self.lookup(url)
        return bool(known and known.content_hash and known.sitemap_lastmod == lastmod.strip())

    def in_sitemap(self, url: str) -> bool:
        """A sitemap listed this page before (so a sitemap will say when it changes)."""
        if self.full:
            return False
        known = self.lookup(url)
        return bool(known and known.content_hash and known.sitemap_lastmod)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` from the last fetch (none in full mode)."""
        known = None if self.full else self.lookup(url)
        if not known or not known.content_hash:
            return {}
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def unchanged_body(self, url: str, digest: str) -> bool:
        if self.full:
            return False
        known = self.lookup(url)
        return bool(known and known.content_hash == digest)

    def was_recap(self, url: str) -> bool:
        known = self.lookup(url)
        return bool(known and known.outcome == STORED)

    # -- states -----------------------------------------------------------------
    @staticmethod
    def state(url: str, status: int, headers=None, lastmod: str | None = None,
              digest: str | None = None, outcome: str = STORED,
              fetched_at: datetime | None = None) -> dict:
        """A state row for ``url`` (see storage/urlstate.py for what 304 keeps)."""
        key = canonical_url(url)
        return {"url": key, "site": site_of(key) or "", "status": status,
                "etag": _header(headers, "ETag"),
                "last_modified": _header(headers, "Last-Modified"),
                "sitemap_lastmod": lastmod.strip()[:100] if lastmod else None,
                "content_hash": digest, "outcome": outcome,
                "fetched_at": fetched_at or datetime.now(timezone.utc)}

    def record(self, state: dict) -> None:
        """Queue a state for a write of its own (``on_batch`` or :meth:`flush` writes it)."""
        with self._lock:
            self.pending.append(state)
            ready = len(self.pending) >= STATE_BATCH
        if ready and self.on_batch is not None:
            self.on_batch()

    def flush(self) -> int:
        """Write what is pending (in the calling thread); failures are kept for retry."""
        with self._lock:
            batch, self.pending = self.pending, []
        if not batch or self.engine is None:
            return 0
        try:
            return write_states(self.engine, batch)
        except Exception as exc:  # noqa: BLE001 - a lost state only costs a re-fetch
            with self._lock:
                self.pending[:0] = batch
            self.failed += 1
            logger.warning("could not save %d page states (kept for retry): %s",
                           len(batch), str(exc).splitlines()[0] if str(exc) else exc)
            return 0


class IncrementalMiddleware:
    """Downloader middleware: gives the spider its :class:`CrawlState` and adds
    conditional headers to article requests; records states of dropped pages."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.state: CrawlState | None = None
        self._inflight = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("RECAPS_INCREMENTAL", True):
            raise NotConfigured
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider) -> None:
        from storage.db import StoreError, open_store

        full = self.crawler.settings.getbool("RECAPS_FULL") or getattr(spider, "full", False)
        hosts = {site_of(f"http://{d}/") for d in getattr(spider, "allowed_domains", [])}
        try:
            engine = open_store(self.crawler.settings.get("RECAPS_DB_URL"))
            self.state = CrawlState.load(engine, None if not hosts else hosts, full)
        except StoreError as exc:
            logger.error("incremental crawling is off for this run: %s", exc)
            return
        self.state.on_batch = self._flush_in_thread
        spider.crawl_state = self.state
        logger.info("%s crawl: %d known article addresses",
                    "full" if full else "incremental", len(self.state.known))

    def process_request(self, request) -> None:
        if self.state is None or not request.meta.get("article"):
            return
        for name, value in self.state.conditional_headers(request.url).items():
            request.headers.setdefault(name, value)

    def item_dropped(self, item, response, exception, spider=None) -> None:
        state = getattr(item, "fetch_state", None)
        if self.state is None or not state:
            return
        outcome = DUPLICATE if "duplicate" in str(exception) else REJECTED
        self.state.record({**state, "outcome": outcome})

    def _flush_in_thread(self) -> None:
        """Write the pending states in a thread, one batch at a time."""
        if self._inflight is None:
            from twisted.internet.threads import deferToThread

            self._inflight = deferToThread(self.state.flush)
            self._inflight.addBoth(self._written)

    def _written(self, _result) -> None:  # flush() never raises: nothing to propagate
        self._inflight = None

    async def spider_closed(self, spider, reason=None) -> None:
        if self.state is None:
            return
        from scrapy.utils.defer import maybe_deferred_to_future

        if self._inflight is not None:
            await maybe_deferred_to_future(self._inflight)
        self.state.flush()
        if self.state.pending:
            logger.warning("%d page states were not saved: the next crawl fetches those "
                           "pages again", len(self.state.pending))
        self.state.engine.dispose()
