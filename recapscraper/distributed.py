"""Crawl with many workers on many machines: scrapy-redis queue, PostgreSQL store.

Distribution is configuration: ``recapscraper worker`` runs the same spider,
parsers and pipelines with :func:`worker_settings` laid over the project settings.
The request queue is scrapy-redis's priority queue (a sorted set of pickled
requests, ``PREFIX:requests``); on top of it this module adds what a crawl that
must not lose pages needs (see ``recapscraper/leases.py`` for the worker side):

- **Leases.** Taking a request moves it, atomically (one Lua script), from the
  queue into ``PREFIX:inflight`` (lease id -> deadline) and ``PREFIX:inflight:data``.
  The worker renews its leases while it works and acks a lease only once the
  request is finished: its callback has run, the requests it yielded are in the
  queue and the recap it produced is committed to the store. A lease whose
  deadline passes (its worker was SIGKILLed, or lost its network) goes back to the
  queue the next time any worker takes requests, or when ``recapscraper queue``
  runs. Work is therefore done at least once; the store's unique constraints make
  doing it twice harmless.
- **A seen-URL filter that forgets.** Fingerprints live in time-bucketed sets
  (``PREFIX:seen:KIND:BUCKET``) that expire: article pages are remembered for
  ``RECAPS_SEEN_TTL`` (default 7 days: not fetched again within it), sitemaps,
  feeds and listings for ``RECAPS_SEEN_PAGE_TTL`` (default 30 minutes: an hourly
  ``enqueue`` crawls them again). Memory is bounded by what was seen within the TTL.
- **Few round-trips.** Requests are pushed in batches (dupefilter check and push in
  one script call) and taken several at a time; acks, renewals and the worker
  heartbeat share one call a second. Stock scrapy-redis costs two synchronous
  round-trips per yielded request and one per taken one.
- **Redis losing its memory is an error, not a quiet end.** The first ``enqueue`` or
  worker writes a crawl marker (``PREFIX:epoch``); a worker that saw it and finds it
  gone or replaced (Redis restarted without persistence, or was flushed) stops with a
  clear error. A lost connection is retried for ``RECAPS_REDIS_RETRY_SECONDS``.
"""
from __future__ import annotations

import logging
import os
import pickle
import socket
import time
import uuid
from dataclasses import dataclass

from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

logger = logging.getLogger(__name__)
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "recapscraper"
# The request meta key that carries a request's lease id inside a worker (never queued).
LEASE_META = "recaps_lease"
# Meta keys that belong to one worker's handling of a request, never queued.
LOCAL_META = frozenset({LEASE_META, "_auth_proxy", "download_latency"})
# Callbacks whose pages are articles: remembered for RECAPS_SEEN_TTL, not the page TTL.
ARTICLE_CALLBACKS = frozenset({"parse_article"})
# A TTL is split into this many buckets; a fingerprint is forgotten 3/4 to 1 TTL later.
BUCKETS_PER_TTL = 4
# Stale leases moved back to the queue per script call.
STALE_BATCH = 200


class RedisStateLost(RuntimeError):
    """Redis no longer holds the crawl it held before (restarted empty, or flushed)."""


@dataclass(frozen=True)
class Keys:
    prefix: str = DEFAULT_PREFIX

    @property
    def requests(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def inflight(self) -> str:
        return f"{self.prefix}:inflight"

    @property
    def inflight_data(self) -> str:
        return f"{self.prefix}:inflight:data"

    @property
    def epoch(self) -> str:
        return f"{self.prefix}:epoch"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    def seen(self, kind: str, bucket: int | str) -> str:
        return f"{self.prefix}:seen:{kind}:{bucket}"


def redis_client(url: str, retry_seconds: float = 30.0):
    """A client that retries a lost connection for about ``retry_seconds``, then raises."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    class LoggedRetry(Retry):
        def call_with_retry(self, do, fail, *args, **kwargs):
            def failed(error, *rest):
                if retry_seconds > 0 and (not rest or rest[0] == 1):
                    logger.warning("lost the connection to Redis at %s (%s): retrying for "
                                   "up to %.0f s", url, error, retry_seconds)
                return fail(error, *rest)
            return super().call_with_retry(do, failed, *args, **kwargs)

    retry = LoggedRetry(ExponentialBackoff(cap=1.0, base=0.05), max(0, int(retry_seconds)))
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=15,
                                health_check_interval=10, retry=retry,
                                retry_on_error=[redis.ConnectionError, redis.TimeoutError])


def check_redis(url: str) -> None:
    """Raise ``ConnectionError`` with a one-line reason when Redis does not answer."""
    import redis

    try:
        redis_client(url, retry_seconds=0).ping()
    except (redis.RedisError, ValueError) as exc:
        raise ConnectionError(f"cannot connect to Redis at {url}: {exc}") from None


def worker_settings(redis_url: str, prefix: str = DEFAULT_PREFIX,
                    idle_exit: float | None = None, lease_seconds: float | None = None
                    ) -> dict:
    """The settings overlay that turns a crawl into a worker of a shared crawl."""
    from recapscraper import settings as project

    pipelines = dict(project.ITEM_PIPELINES)
    order = pipelines.pop("recapscraper.pipelines.StorePipeline")
    pipelines["recapscraper.leases.LeasedStorePipeline"] = order
    overlay = {
        "SCHEDULER": "recapscraper.leases.RedisScheduler",
        "SCHEDULER_QUEUE_CLASS": "recapscraper.distributed.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": Keys(prefix).requests,
        "DUPEFILTER_CLASS": "recapscraper.distributed.ExpiringDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:seen",
        # Several workers share one queue: never flush it when one of them stops.
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "RECAPS_REDIS_PREFIX": prefix,
        "ITEM_PIPELINES": pipelines,
        "SPIDER_MIDDLEWARES": {"recapscraper.leases.LeaseMiddleware": 10},
    }
    if idle_exit is not None:
        overlay["RECAPS_IDLE_EXIT"] = idle_exit
    if lease_seconds is not None:
        overlay["RECAPS_LEASE_SECONDS"] = lease_seconds
    return overlay


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


# -- the seen-URL filter ------------------------------------------------------------
class ExpiringDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint filter, kept in expiring time buckets per kind."""

    def __init__(self, server, key, debug=False, ttl: float = 7 * 86400,
                 page_ttl: float = 1800):
        super().__init__(server, key, debug)
        self.ttls = {"article": float(ttl), "page": float(page_ttl)}

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        df.ttls = {"article": spider.settings.getfloat("RECAPS_SEEN_TTL", 7 * 86400),
                   "page": spider.settings.getfloat("RECAPS_SEEN_PAGE_TTL", 1800)}
        return df

    def request_fingerprint(self, request) -> bytes:
        return bytes.fromhex(super().request_fingerprint(request))[:16]

    @staticmethod
    def kind(request) -> str:
        callback = getattr(request.callback, "__name__", request.callback)
        return "article" if callback in ARTICLE_CALLBACKS else "page"

    def bucket_keys(self, kind: str, now: float | None = None) -> tuple[list[str], int]:
        """The keys to look in (current bucket first) and when the current one expires."""
        ttl = self.ttls[kind]
        width = max(1.0, ttl / BUCKETS_PER_TTL)
        current = int((now or time.time()) // width)
        keys = [f"{self.key}:{kind}:{current - i}" for i in range(BUCKETS_PER_TTL)]
        return keys, int((current + BUCKETS_PER_TTL) * width) + 1

    def request_seen(self, request) -> bool:
        """One request at a time (the scheduler batches through :meth:`LeasedQueue.push_many`)."""
        keys, expire_at = self.bucket_keys(self.kind(request))
        pushed, _ = self.server.eval(PUSH_SCRIPT, 1 + len(keys), "", *keys, expire_at,
                                     self.request_fingerprint(request), 0, "")
        return pushed == 0

    def close(self, reason=""):
        """Shared state: never cleared when one worker stops."""


# -- the queue ----------------------------------------------------------------------
# Push requests not seen within the TTL. KEYS: queue ("" = only mark seen), the current
# bucket, older buckets. ARGV: current bucket's expiry, then (fingerprint, score, data)
# triples; an empty fingerprint is never filtered (dont_filter), empty data is not pushed.
PUSH_SCRIPT = """
local pushed, filtered = 0, 0
for i = 2, #ARGV, 3 do
  local fp, new = ARGV[i], true
  if fp ~= '' then
    for k = 3, #KEYS do
      if redis.call('SISMEMBER', KEYS[k], fp) == 1 then new = false; break end
    end
    if new then new = redis.call('SADD', KEYS[2], fp) == 1 end
  end
  if new then
    if ARGV[i + 2] ~= '' and KEYS[1] ~= '' then
      redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i + 2])
    end
    pushed = pushed + 1
  else
    filtered = filtered + 1
  end
end
if #ARGV > 1 then redis.call('EXPIREAT', KEYS[2], ARGV[1]) end
return {pushed, filtered}
"""

# Take requests under lease. KEYS: queue, inflight (id -> deadline), inflight data.
# ARGV: now, deadline, how many to take, how many ids to give back, those ids, then the
# new lease ids. Stale leases (deadline passed) and the given ids go back to the queue
# first. Returns {stale requeued, queue length, {id, data, id, data, ...}}.
POP_SCRIPT = """
local function requeue(id)
  local data = redis.call('HGET', KEYS[3], id)
  if data then
    redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[3], id .. ':s') or 0, data)
  end
  redis.call('HDEL', KEYS[3], id, id .. ':s')
  return redis.call('ZREM', KEYS[2], id)
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, %d)
for _, id in ipairs(stale) do requeue(id) end
local given = tonumber(ARGV[4])
for i = 5, 4 + given do requeue(ARGV[i]) end
local out = {}
local n = tonumber(ARGV[3])
if n > 0 then
  local items = redis.call('ZRANGE', KEYS[1], 0, n - 1, 'WITHSCORES')
  if #items > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #items / 2 - 1) end
  for j = 1, #items, 2 do
    local id = ARGV[4 + given + (j + 1) / 2]
    redis.call('ZADD', KEYS[2], ARGV[2], id)
    redis.call('HSET', KEYS[3], id, items[j], id .. ':s', items[j + 1])
    out[#out + 1] = id
    out[#out + 1] = items[j]
  end
end
return {#stale, redis.call('ZCARD', KEYS[1]), out}
""" % STALE_BATCH


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, taken from under lease and pushed in batches.

    A queued request carries its site by name (``meta["site"]``); the site object
    the callbacks receive is looked up in the registry when the request is taken,
    so any worker can handle a request of any site.
    """

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.keys = Keys(self.key.rsplit(":", 1)[0])
        settings = getattr(spider, "settings", None)
        self.local_proxy = settings.get("RECAPS_PROXY") if settings is not None else None

    # -- encoding --------------------------------------------------------------
    def encode(self, request) -> bytes:
        # Request.to_dict(spider=) finds callback names with inspect.getmembers: slow.
        d = {"url": request.url, "callback": self._method_name(request.callback),
             "errback": self._method_name(request.errback), "headers": dict(request.headers)}
        for attr in request.attributes:
            d.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            d["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        d["meta"] = {k: v for k, v in request.meta.items() if k not in LOCAL_META}
        if d["meta"].get("proxy") and d["meta"]["proxy"] == self.local_proxy:
            del d["meta"]["proxy"]  # this worker's RECAPS_PROXY: each worker sets its own
        if "site" in d["meta"]:
            d["cb_kwargs"] = {k: v for k, v in d["cb_kwargs"].items() if k != "site"}
        return self.serializer.dumps(d)

    def _method_name(self, method) -> str | None:
        if method is None or isinstance(method, str):
            return method
        name = getattr(method, "__name__", None)
        bound = getattr(self.spider, name, None) if name else None
        if getattr(bound, "__func__", None) is not getattr(method, "__func__", method):
            raise ValueError(f"{method!r} is not a method of the spider: it cannot be queued")
        return name

    def _encode_request(self, request) -> bytes:
        return self.encode(request)

    def _decode_request(self, encoded_request):
        request = request_from_dict(self.serializer.loads(encoded_request), spider=self.spider)
        site = request.meta.get("site")
        if site and "site" not in request.cb_kwargs and hasattr(self.spider, "site_named"):
            request.cb_kwargs["site"] = self.spider.site_named(site)
        return request

    # -- batches ---------------------------------------------------------------
    def push_many(self, pipe, df, entries: list[tuple[object, bytes]]) -> int:
        """Queue the push of ``(request, data)`` pairs on ``pipe``; returns script calls."""
        by_kind: dict[str, list] = {}
        for request, data in entries:
            fp = b"" if request.dont_filter else df.request_fingerprint(request)
            by_kind.setdefault(df.kind(request), []).extend((fp, -request.priority, data))
        for kind, args in by_kind.items():
            keys, expire_at = df.bucket_keys(kind)
            # EVAL, not EVALSHA: Redis caches the script, and a pipeline holding a
            # registered script costs one more round-trip (SCRIPT EXISTS) on every call.
            pipe.eval(PUSH_SCRIPT, 1 + len(keys), self.key, *keys, expire_at, *args)
        return len(by_kind)

    def take(self, pipe, count: int, lease_ids: list[str], lease_seconds: float,
             give_back: list[str] = ()) -> None:
        """Queue the lease-taking script on ``pipe`` (see :meth:`taken`)."""
        now = time.time()
        pipe.eval(POP_SCRIPT, 3, self.key, self.keys.inflight, self.keys.inflight_data,
                  now, now + lease_seconds, count, len(give_back), *give_back,
                  *lease_ids[:count])

    def taken(self, reply, on_error) -> tuple[int, int, list[tuple[str, object]]]:
        """(stale leases requeued, queue length, [(lease id, request)]) from the reply;
        ``on_error(lease, exc)`` is told of a request that cannot be read."""
        stale, length, flat = reply
        out = []
        for i in range(0, len(flat), 2):
            lease = flat[i].decode() if isinstance(flat[i], bytes) else flat[i]
            try:
                request = self._decode_request(flat[i + 1])
            except Exception as exc:  # noqa: BLE001 - a poison request must not stop a worker
                on_error(lease, exc)
                continue
            request.meta[LEASE_META] = lease
            out.append((lease, request))
        return int(stale), int(length), out

    def pop(self, timeout=0):
        raise NotImplementedError("take requests under lease with LeasedQueue.take")


# -- commands: enqueue, queue -----------------------------------------------------
def enqueue_sites(redis_url: str, site_names: list[str], all_sites: bool = False,
                  sites_dir=None, prefix: str = DEFAULT_PREFIX, force: bool = False) -> dict:
    """Push the start requests of registered sites; returns counts."""
    from scrapy.settings import Settings

    from recapscraper.spiders.recaps import RecapSpider

    kwargs = {"sites_dir": str(sites_dir) if sites_dir else None}
    if site_names:
        kwargs["site"] = ",".join(site_names)
    if all_sites:
        kwargs["all"] = "1"
    spider = RecapSpider(**kwargs)
    spider.settings = Settings()
    client = redis_client(redis_url, retry_seconds=5)
    keys = Keys(prefix)
    queue = LeasedQueue(client, spider, keys.requests, serializer=pickle)
    df = ExpiringDupeFilter(client, f"{prefix}:seen")
    requests = list(spider.start_requests_for_sites())
    if force:
        requests = [r.replace(dont_filter=True) for r in requests]
    pipe = client.pipeline(transaction=False)
    pipe.set(keys.epoch, uuid.uuid4().hex, nx=True)
    queue.push_many(pipe, df, [(r, queue.encode(r)) for r in requests])
    replies = pipe.execute()
    pushed = sum(r[0] for r in replies[1:])
    return {"sites": len(spider.sites), "requests": len(requests), "queued": pushed,
            "already_seen": len(requests) - pushed}


def queue_status(redis_url: str, prefix: str = DEFAULT_PREFIX, stale_after: float = 15.0
                 ) -> dict:
    """Queue length, leases in flight (stale ones are requeued first), seen counts."""
    client = redis_client(redis_url, retry_seconds=5)
    keys = Keys(prefix)
    now = time.time()
    stale, length, _ = client.eval(POP_SCRIPT, 3, keys.requests, keys.inflight,
                                   keys.inflight_data, now, now, 0, 0)
    seen: dict[str, int] = {"article": 0, "page": 0}
    for key in client.scan_iter(match=keys.seen("*", "*"), count=1000):
        kind = key.decode().rsplit(":", 2)[-2]
        seen[kind] = seen.get(kind, 0) + client.scard(key)
    pipe = client.pipeline(transaction=False)
    pipe.zcard(keys.inflight)
    pipe.zcount(keys.workers, now - stale_after, "+inf")
    pipe.get(keys.epoch)
    in_flight, workers, epoch = pipe.execute()
    return {"queued": int(length), "in_flight": int(in_flight), "requeued_stale": int(stale),
            "seen_articles": seen.get("article", 0), "seen_pages": seen.get("page", 0),
            "workers": int(workers), "crawl": (epoch or b"").decode()[:8] or None}
