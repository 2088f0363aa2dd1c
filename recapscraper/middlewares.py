"""Downloader middlewares of our own."""
from __future__ import annotations

from scrapy.exceptions import NotConfigured


class FixedProxyMiddleware:
    """Send every request through the proxy in RECAPS_PROXY (e.g. the demo's local
    server, or a corporate proxy), unless a request names its own ``proxy``."""

    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        proxy = crawler.settings.get("RECAPS_PROXY")
        if not proxy:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request):
        request.meta.setdefault("proxy", self.proxy)
        return None


class BackoffRetryMiddleware:
    """Retries 429 and 5xx answers after a pause: the server's ``Retry-After`` when it
    gives one (seconds or an HTTP date), else exponential backoff
    (RECAPS_RETRY_BACKOFF x 2^attempt, with jitter). A ``Retry-After`` longer than
    RECAPS_RETRY_MAX_DELAY gives up instead. The site's download slot is slowed to
    the pause too, so the other requests to that host wait as well.

    Replaces Scrapy's RetryMiddleware, which retries at once and ignores Retry-After.
    """

    def __init__(self, crawler):
        from scrapy.downloadermiddlewares.retry import RetryMiddleware

        self.crawler = crawler
        self.retry = RetryMiddleware.from_crawler(crawler)
        s = crawler.settings
        self.base = s.getfloat("RECAPS_RETRY_BACKOFF", 1.0)
        self.max_delay = s.getfloat("RECAPS_RETRY_MAX_DELAY", 120.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_exception(self, request, exception):
        return self.retry.process_exception(request, exception)

    async def process_response(self, request, response):
        import asyncio
        import random

        if request.meta.get("dont_retry") or response.status not in self.retry.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        stats = self.crawler.stats
        if delay is not None:
            stats.inc_value("recaps/retry_after")
            if delay > self.max_delay:
                stats.inc_value("recaps/retry_after_too_long")
                return response  # the server asks for more patience than we have
        else:
            delay = min(self.max_delay, self.base * 2 ** attempt) * random.uniform(0.8, 1.2)
        retry = self.retry._retry(request, f"{response.status} after {delay:.1f}s")
        if retry is None:
            return response
        self._slow_down(request, delay)
        await asyncio.sleep(delay)
        return retry

    def _slow_down(self, request, delay: float) -> None:
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return
        key = downloader.get_slot_key(request) if hasattr(downloader, "get_slot_key") else None
        slot = downloader.slots.get(key) if key is not None else None
        if slot is not None:
            slot.delay = max(slot.delay, min(delay, self.max_delay))


def retry_after_seconds(value) -> float | None:
    """Seconds from a Retry-After header value (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    text = text.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
