"""Parse pages in worker processes, so extraction runs beside the crawl loop, not in it.

Scrapy runs downloads, scheduling and pipelines on one core; parsing a page is
pure CPU work, so it goes to a small process pool (``RECAPS_PARSE_WORKERS``;
default: one fewer than the machine's cores, at most 4; 0 parses in the crawl
process). A worker that dies (a page that exhausts memory, a segfault in a C
library) costs only that page, which is reported as unparsed; the pool is rebuilt.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from recapscraper.dedup import minhash_signature
from recapscraper.items import RecapRecord
from recapscraper.parsers.page import parse_page

logger = logging.getLogger(__name__)
MAX_AUTO_WORKERS = 4
# Pool failures in a row, without one parsed page, before parsing moves in-process.
MAX_BREAKS = 3


def auto_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min(MAX_AUTO_WORKERS, (cores or 1) - 1))


def parse_and_sign(url: str, body: bytes, fetched_at: datetime | None,
                   content_type: str | None = None) -> RecapRecord:
    """What a worker runs: parse the page and, for a recap, compute its body's MinHash
    signature here too (CPU work the store's writer would otherwise do)."""
    record = parse_page(url, body, fetched_at, content_type=content_type)
    if record.is_episode_recap and record.body:
        record.minhash = minhash_signature(record.body)
    return record


def _warm_up() -> None:
    """Runs once in each worker: import and exercise the parsers before real pages."""
    parse_page("http://warm.up/", b"<html><head><title>x</title></head><body></body></html>")
    minhash_signature("warm up " * 60)  # imports numpy and datasketch, draws permutations


class ParserPool:
    def __init__(self, workers: int | None = None):
        self.workers = auto_workers() if workers is None else max(0, workers)
        self._executor: ProcessPoolExecutor | None = None
        self._breaks = 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # forkserver: workers never inherit the crawler's reactor, sockets or threads
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context,
                                                 initializer=_warm_up)
        return self._executor

    async def parse(self, url: str, body: bytes, fetched_at: datetime | None,
                    content_type: str | None = None) -> RecapRecord:
        for _attempt in range(2):  # a page is retried once in a fresh pool
            if self.workers == 0:
                return parse_page(url, body, fetched_at, content_type=content_type)
            try:
                future = self._pool().submit(parse_and_sign, url, body, fetched_at,
                                             content_type=content_type)
                record = await asyncio.wrap_future(future)
                self._breaks = 0
                return record
            except BrokenProcessPool:
                self._breaks += 1
                self.close()
                if self._breaks >= MAX_BREAKS:  # workers cannot start here at all
                    logger.error("parser processes keep failing; parsing in the crawl process")
                    self.workers = 0
                else:
                    logger.error("a parser process died on %s; restarting the pool", url)
        return RecapRecord(url=url, fetched_at=fetched_at, reason="parser crashed")

    def parse_many(self, pages: Iterable[tuple], ahead: int | None = None
                   ) -> Iterator[tuple[tuple, RecapRecord]]:
        """(page, record) for each ``page`` = (url, body, fetched_at, content_type, ...),
        in order, with at most ``ahead`` pages in the workers (default: 4 per worker).
        Synchronous, for `recapscraper ingest`. As with :meth:`parse`, a page whose
        worker dies is tried once more in a fresh pool, then reported as unparsed, and
        a pool that keeps failing gives way to parsing in this process."""
        ahead = ahead or 4 * max(1, self.workers)
        waiting: deque = deque()
        for page in pages:
            waiting.append((page, self._submit(page)))
            if len(waiting) >= ahead:
                yield self._result(*waiting.popleft(), waiting)
        while waiting:
            yield self._result(*waiting.popleft(), waiting)

    def _submit(self, page: tuple) -> Future:
        if self.workers == 0:  # in this process: a future that is already done
            future: Future = Future()
            future.set_result(parse_page(page[0], page[1], page[2], content_type=page[3]))
            return future
        try:
            return self._pool().submit(parse_and_sign, page[0], page[1], page[2],
                                       content_type=page[3])
        except BrokenProcessPool as exc:
            future = Future()
            future.set_exception(exc)
            return future

    def _result(self, page: tuple, future: Future, waiting: deque
                ) -> tuple[tuple, RecapRecord]:
        try:
            record = future.result()
            self._breaks = 0
            return page, record
        except BrokenProcessPool:
            pass
        # the pool is gone with every page in it: this page is tried once more alone,
        # then the others are sent again
        self._broken()
        record = self._submit(page)
        if record.exception() is None:
            record = record.result()
        else:
            self._broken()
            logger.error("a parser process died on %s; it is not parsed", page[0])
            record = RecapRecord(url=page[0], fetched_at=page[2], reason="parser crashed")
        for k, (other, _) in enumerate(waiting):
            waiting[k] = (other, self._submit(other))
        return page, record

    def _broken(self) -> None:
        self._breaks += 1
        self.close()
        if self._breaks >= MAX_BREAKS and self.workers:
            logger.error("parser processes keep failing; parsing in this process")
            self.workers = 0

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
