"""The worker side of a distributed crawl: a Redis scheduler whose requests are leased.

:class:`RedisScheduler` is scrapy-redis's scheduler with batched pushes and takes,
and with leases (``recapscraper/distributed.py`` describes the keys). A lease is
acked only when everything its request led to is safe: the callback finished
(the scraper is done with the response or failure), the requests it yielded were
pushed to Redis, and the recap it produced was committed by
:class:`LeasedStorePipeline`. :class:`LeaseMiddleware` ties each item to the lease
of the response it came from. A retried or redirected request is pushed back to
the queue, and its lease acked after that push.

Enabled by :func:`recapscraper.distributed.worker_settings`; nothing here runs in
a single-machine crawl.
"""
from __future__ import annotations

import itertools
import logging
import pickle
import threading
import time
import uuid
from collections import deque

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy_redis.scheduler import Scheduler

from recapscraper.distributed import (
    LEASE_META,
    ExpiringDupeFilter,
    Keys,
    redis_client,
    worker_id,
)
from recapscraper.pipelines import StorePipeline

logger = logging.getLogger(__name__)
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)
# Requests buffered before they are pushed in one call (also pushed every tick).
OUTBOX_MAX = 256
# After finding the queue empty, wait this long before asking again (seconds).
EMPTY_BACKOFF = 0.5
# Housekeeping (pushes, acks, lease renewal, heartbeat, crawl marker) and idle wake-ups.
TICK_SECONDS = 1.0


class LeaseBook:
    """What this worker holds: per lease, the count of things not yet safe."""

    def __init__(self) -> None:
        self.holds: dict[str, int] = {}
        self.requests: set[str] = set()  # leases whose request is not finished
        self.items: dict[int, str] = {}  # id(item) -> lease, until the store has it
        self.done: list[str] = []  # leases to ack

    def open(self, lease: str) -> None:
        self.holds[lease] = 1
        self.requests.add(lease)

    def release(self, lease: str) -> None:
        count = self.holds.get(lease)
        if count is None:
            return
        if count <= 1:
            del self.holds[lease]
            self.done.append(lease)
        else:
            self.holds[lease] = count - 1

    def release_many(self, leases) -> None:
        for lease in leases:
            self.release(lease)

    def release_request(self, lease: str) -> None:
        if lease in self.requests:
            self.requests.discard(lease)
            self.release(lease)

    def tag_item(self, item, lease: str) -> None:
        if lease in self.holds:
            self.holds[lease] += 1
            self.items[id(item)] = lease

    def take_item(self, item) -> str | None:
        return self.items.pop(id(item), None)

    def item_finished(self, item) -> None:
        lease = self.items.pop(id(item), None)
        if lease is not None:
            self.release(lease)

    def take_done(self) -> list[str]:
        done, self.done = self.done, []
        return done


def lease_book(crawler) -> LeaseBook | None:
    return getattr(crawler, "recaps_leases", None)


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler, leased and batched (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        server = redis_client(s.get("REDIS_URL"), s.getfloat("RECAPS_REDIS_RETRY_SECONDS", 30))
        server.ping()
        scheduler = cls(server=server, persist=True, queue_key=s.get("SCHEDULER_QUEUE_KEY"),
                        queue_cls=s.get("SCHEDULER_QUEUE_CLASS"),
                        dupefilter=ExpiringDupeFilter(
                            server, s.get("SCHEDULER_DUPEFILTER_KEY"),
                            ttl=s.getfloat("RECAPS_SEEN_TTL", 7 * 86400),
                            page_ttl=s.getfloat("RECAPS_SEEN_PAGE_TTL", 1800)),
                        serializer=pickle)
        scheduler.setup(crawler)
        return scheduler

    def setup(self, crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = s.get("REDIS_URL")
        self.keys = Keys(s.get("RECAPS_REDIS_PREFIX"))
        self.lease_seconds = s.getfloat("RECAPS_LEASE_SECONDS", 60)
        self.prefetch = max(1, s.getint("RECAPS_REDIS_PREFETCH", 8))
        idle = s.get("RECAPS_IDLE_EXIT")
        self.idle_exit = None if idle in (None, "") else float(idle)
        self.book = crawler.recaps_leases = LeaseBook()
        self.worker = worker_id()
        self._ids = itertools.count(1)
        self.local: deque = deque()  # taken under lease, not yet handed to the engine
        self.outbox: list = []  # (request, data) to push
        self.continued: list[str] = []  # leases acked once the outbox is pushed
        self.remote_len = 0
        self.empty_until = 0.0
        self.renewed = 0.0
        self.epoch: bytes | None = None
        self.failed: str | None = None
        self.idle_since: float | None = None
        self._loop = None
        self._wake_call = None
        for handler, signal in ((self._opened, signals.spider_opened),
                                (self._idle, signals.spider_idle),
                                (self._item_finished, signals.item_scraped),
                                (self._item_finished, signals.item_dropped),
                                (self._item_finished, signals.item_error)):
            crawler.signals.connect(handler, signal=signal)

    # -- the scheduler interface ----------------------------------------------
    def open(self, spider):
        from scrapy.utils.misc import load_object
        from twisted.internet import task

        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                 key=self.queue_key, serializer=self.serializer)
        queued = len(self.queue)
        if queued:
            logger.info("%d requests queued in Redis (%s)", queued, self.queue_key)

        self._loop = task.LoopingCall(self.tick)
        self._loop.start(TICK_SECONDS, now=True)

    def enqueue_request(self, request) -> bool:
        lease = request.meta.pop(LEASE_META, None)  # a retry or redirect of a taken request
        self.outbox.append((request, self.queue.encode(request)))
        if lease is not None:
            self.continued.append(lease)
        self.stats.inc_value("scheduler/enqueued/redis")
        if len(self.outbox) >= OUTBOX_MAX:
            self.exchange(0)
        return True

    def next_request(self):
        if not self.local and not self.failed and (
                self.outbox or time.monotonic() >= self.empty_until):
            self.exchange(self.prefetch)
        if not self.local:
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        return self.local.popleft()

    def has_pending_requests(self) -> bool:
        return bool(self.local or self.outbox) or (self.remote_len > 0 and not self.failed)

    def __len__(self) -> int:
        return len(self.local) + len(self.outbox) + self.remote_len

    def close(self, reason):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._wake_call is not None and self._wake_call.active():
            self._wake_call.cancel()
        held = list(self.book.holds)
        if getattr(self, "queue", None) is None:
            return  # never opened
        if self.failed == "redis_unavailable":
            logger.error("%d requests were under lease here: if Redis kept them they go back "
                         "to the queue when their lease expires", len(held))
            return
        try:
            pipe = self._pipeline_with_outbox()
            self._queue_acks(pipe, self.book.take_done())
            self.queue.take(pipe, 0, [], self.lease_seconds, give_back=held)
            pipe.zrem(self.keys.workers, self.worker)
            pipe.execute()
        except REDIS_ERRORS as exc:
            logger.error("could not return %d leased requests to Redis (%s): they go back to "
                         "the queue when their lease expires", len(held), exc)
            return
        if held:
            logger.info("returned %d unfinished requests to the queue", len(held))

    # -- round-trips ----------------------------------------------------------
    def _pipeline_with_outbox(self):
        pipe = self.server.pipeline(transaction=False)
        self._sent = (self.outbox, self.continued)
        self.outbox, self.continued = [], []
        self._push_calls = self.queue.push_many(pipe, self.df, self._sent[0]) \
            if self._sent[0] else 0
        return pipe

    def _execute(self, pipe) -> list | None:
        """Run a pipeline; on a lost connection keep what was to be pushed and stop."""
        self.stats.inc_value("recaps/redis/roundtrips")
        try:
            replies = pipe.execute()
        except REDIS_ERRORS as exc:
            self.outbox[:0], self.continued[:0] = self._sent
            self.fail("redis_unavailable",
                      f"lost the connection to Redis at {self.url} and could not get it back "
                      f"({exc}); stopping this worker")
            return None
        pushed = replies[:self._push_calls]
        self.stats.inc_value("recaps/redis/pushed", sum(int(p[0]) for p in pushed))
        self.stats.inc_value("dupefilter/filtered", sum(int(p[1]) for p in pushed))
        for lease in self._sent[1]:
            self.book.release_request(lease)
        return replies[self._push_calls:]

    def exchange(self, take: int) -> None:
        """Push the outbox and take up to ``take`` requests, in one round-trip."""
        pipe = self._pipeline_with_outbox()
        ids = [f"{self.worker}:{next(self._ids)}" for _ in range(take)]
        if take:
            self.queue.take(pipe, take, ids, self.lease_seconds)
        replies = self._execute(pipe)
        if replies is None or not take:
            return
        stale, self.remote_len, taken = self.queue.taken(replies[0], self._unreadable)
        if stale:
            self.stats.inc_value("recaps/leases/requeued_stale", stale)
            logger.warning("%d requests of a stopped worker went back to the queue", stale)
        for lease, request in taken:
            self.book.open(lease)
            self.local.append(request)
        if not taken:
            self.empty_until = time.monotonic() + EMPTY_BACKOFF

    def _unreadable(self, lease: str, exc: Exception) -> None:
        self.stats.inc_value("recaps/errors/unreadable_request")
        logger.error("dropped a queued request that cannot be read: %s", exc)
        self.book.done.append(lease)

    def _queue_acks(self, pipe, acks: list[str]) -> None:
        if acks:
            pipe.zrem(self.keys.inflight, *acks)
            pipe.hdel(self.keys.inflight_data, *acks, *(f"{a}:s" for a in acks))
            self.stats.inc_value("recaps/leases/acked", len(acks))

    def tick(self) -> None:
        """Push, ack, renew leases, beat, and check that Redis still holds the crawl."""
        if self.failed:
            return
        now = time.time()
        pipe = self._pipeline_with_outbox()
        self._queue_acks(pipe, self.book.take_done())
        if self.book.holds and now - self.renewed >= self.lease_seconds / 3:
            deadline = now + self.lease_seconds
            pipe.zadd(self.keys.inflight, {lease: deadline for lease in self.book.holds},
                      xx=True)
            self.renewed = now
        pipe.zadd(self.keys.workers, {self.worker: now})
        pipe.zremrangebyscore(self.keys.workers, 0, now - 3600)
        pipe.set(self.keys.epoch, uuid.uuid4().hex, nx=True)  # marks the crawl's state
        pipe.get(self.keys.epoch)
        replies = self._execute(pipe)
        if replies is not None:
            self._check_epoch(replies[-1])

    def _check_epoch(self, epoch: bytes | None) -> None:
        if self.epoch is None:
            self.epoch = epoch
        elif epoch != self.epoch:
            self.fail("redis_state_lost",
                      f"Redis at {self.url} no longer holds this crawl (it restarted without "
                      "persistence, or was flushed): the queue and the requests in flight are "
                      "gone. Stopping; seed it again with `recapscraper enqueue` (pages already "
                      "stored are stored again unchanged), and run Redis with appendonly yes")

    def fail(self, reason: str, message: str) -> None:
        if self.failed:
            return
        self.failed = reason
        logger.error(message)
        self.stats.set_value("recaps/redis_error", message)
        from twisted.internet import reactor

        from scrapy.utils.defer import deferred_from_coro

        reactor.callLater(0, lambda: deferred_from_coro(
            self.crawler.engine.close_spider_async(reason=reason)))

    # -- signals --------------------------------------------------------------
    def _opened(self, spider) -> None:
        """Release a request's lease when the scraper is done with its response."""
        scraper = self.crawler.engine.scraper
        original = scraper.enqueue_scrape

        def enqueue_scrape(result, request):
            d = original(result, request)
            d.addBoth(self._scraped, request)
            return d

        scraper.enqueue_scrape = enqueue_scrape

    def _scraped(self, result, request):
        lease = request.meta.get(LEASE_META)
        if lease is not None:
            self.book.release_request(lease)
        return result

    def _item_finished(self, item, **kwargs) -> None:
        self.book.item_finished(item)  # dropped, failed, or not taken by the store

    def _idle(self, spider) -> None:
        """Wait for work; with RECAPS_IDLE_EXIT, stop once the whole crawl is done."""
        if self.failed:
            return
        store = getattr(self.crawler, "recaps_store", None)
        if self.book.holds and store is not None:
            store.flush_soon()  # recaps waiting for the flush timer keep their leases
        self.tick()
        if self.failed:
            return
        busy = True
        if self.idle_exit is not None:
            try:
                queued, in_flight = (self.server.pipeline(transaction=False)
                                     .zcard(self.keys.requests).zcard(self.keys.inflight)
                                     .execute())
            except REDIS_ERRORS as exc:
                self.fail("redis_unavailable", f"Redis at {self.url} is unreachable: {exc}")
                return
            busy = bool(queued or in_flight or self.book.holds or self.local or self.outbox)
        if busy:
            self.idle_since = None
        else:
            self.idle_since = self.idle_since or time.monotonic()
            if time.monotonic() - self.idle_since >= self.idle_exit:
                return  # the engine closes the spider: finished
        self._wake_soon()
        raise DontCloseSpider

    def _wake_soon(self) -> None:
        """Look at the queue again in a second, not at the engine's 5 s heartbeat."""
        if self._wake_call is not None and self._wake_call.active():
            return
        from twisted.internet import reactor

        def wake():
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and not self.failed:
                self.empty_until = 0.0
                slot.nextcall.schedule()

        self._wake_call = reactor.callLater(TICK_SECONDS, wake)


class LeaseMiddleware(BaseSpiderMiddleware):
    """Tie each item a callback yields to the lease of its response."""

    def get_processed_item(self, item, response):
        book = lease_book(self.crawler)
        request = getattr(response, "request", None) if response is not None else None
        lease = request.meta.get(LEASE_META) if request is not None else None
        if book is not None and lease is not None:
            book.tag_item(item, lease)
        return item


class LeasedStorePipeline(StorePipeline):
    """The store pipeline, acking a recap's lease once its batch is committed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._leases: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def open_spider(self, spider=None) -> None:
        super().open_spider(spider)
        if self.stats.crawler is not None:
            self.stats.crawler.recaps_store = self

    def flush_soon(self) -> None:
        """Write what is pending now (in the writer thread), not at the next timer."""
        if self.threaded:
            self._flush_in_thread()

    def process_item(self, item):
        crawler = self.stats.crawler
        book = lease_book(crawler) if crawler is not None else None
        lease = book.take_item(item) if book is not None else None
        if lease is not None:
            with self._lock:
                self._leases.setdefault(item.url, []).append(lease)
        return super().process_item(item)

    def _write(self, batch):
        counts = super()._write(batch)
        if counts is not None:
            with self._lock:
                leases = [self._leases[row.url].pop(0) for row, _ in batch
                          if self._leases.get(row.url)]
                for row, _ in batch:
                    if row.url in self._leases and not self._leases[row.url]:
                        del self._leases[row.url]
            if leases:
                self._release(leases)
        return counts

    def _release(self, leases: list[str]) -> None:
        from twisted.internet import reactor
        from twisted.python import threadable

        book = lease_book(self.stats.crawler)
        if book is None:
            return
        if threadable.isInIOThread():
            book.release_many(leases)
        else:
            reactor.callFromThread(book.release_many, leases)
