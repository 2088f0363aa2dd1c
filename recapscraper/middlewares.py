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
