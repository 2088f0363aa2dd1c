"""The generic recap spider: navigation only, driven by declarative site files.

It discovers article URLs through sitemaps (and sitemap indexes), RSS/Atom feeds
and listing pages with pagination, and hands each article page to the pure
parser. Usage::

    scrapy crawl recaps -a site=NAME            # one or more names, comma separated
    scrapy crawl recaps -a all=1                # every site in the registry
    scrapy crawl recaps -a url=https://site/    # discover a site from its root
    scrapy crawl recaps -a worker=1             # no start requests: a distributed worker
                                                # takes them from Redis (recapscraper/distributed.py)
    scrapy crawl recaps -a site=NAME -a full=1  # fetch and parse every article again

Re-crawls are incremental (recapscraper/incremental.py): the spider skips sitemap
entries whose lastmod has not changed, and does not parse a page that answers 304
or whose body is the same as last time.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from recapscraper.dedup import canonical_url, site_of, strip_tracking
from recapscraper.incremental import STATS_PREFIX, STORED, CrawlState, body_hash
from recapscraper.parsepool import ParserPool
from recapscraper.registry import SITES_DIR, SiteConfig, SiteConfigError, get_site, load_sites

# Feed links: RSS <item><link>, Atom <entry><link href> (namespaces removed first).
FEED_LINKS_XPATH = ("//item/link/text() | //item/guid[@isPermaLink='true']/text()"
                    " | //entry/link[not(@rel) or @rel='alternate']/@href")
# Feeds announced in a page head.
FEED_ALTERNATE_XPATH = ("//link[@rel='alternate'][contains(@type, 'rss') or "
                        "contains(@type, 'atom')]/@href")
# Where to look for a sitemap when robots.txt names none.
FALLBACK_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")
SKIP_SCHEMES = re.compile(r"^(mailto|javascript|tel|data|ftp):", re.I)


class RecapSpider(scrapy.Spider):
    name = "recaps"

    def __init__(self, site: str | None = None, all: str | None = None,  # noqa: A002
                 url: str | None = None, sites_dir: str | None = None,
                 worker: str | None = None, full: str | None = None, **kwargs):
        super().__init__(**kwargs)
        directory = Path(sites_dir) if sites_dir else SITES_DIR
        self.sites_dir = directory
        # A worker starts nothing itself: it handles requests of any registered site.
        self.worker = worker not in (None, "", "0", "false")
        self.full = full not in (None, "", "0", "false")
        # set by recapscraper.incremental.IncrementalMiddleware when the crawl is incremental
        self.crawl_state: CrawlState | None = None
        # sitemap lastmod of each article address seen this crawl (canonical URL -> lastmod)
        self.lastmods: dict[str, str] = {}
        self.sites: list[SiteConfig] = []
        if url:
            self.sites.append(SiteConfig.for_url(url))
        if site:
            self.sites.extend(get_site(n.strip(), directory) for n in site.split(",")
                              if n.strip())
        if self.worker or all not in (None, "", "0", "false"):
            self.sites.extend(load_sites(directory).values())
        if not self.sites and not self.worker:
            raise SiteConfigError("nothing to crawl: give -a site=NAME, -a all=1 or -a url=URL")
        self.allowed_domains = sorted({d for s in self.sites for d in s.allowed_domains})
        self.parser = ParserPool(0)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        workers = crawler.settings.get("RECAPS_PARSE_WORKERS")
        spider.parser = ParserPool(None if workers in (None, "") else int(workers))
        crawler.signals.connect(spider.parser.close, signal=signals.spider_closed)
        return spider

    # -- entry points ---------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.worker:
            return
        for request in self.start_requests_for_sites():
            yield request

    def site_named(self, name: str) -> SiteConfig:
        """The site a queued request belongs to (its ``meta["site"]``), from the registry."""
        for site in self.sites:
            if site.name == name:
                return site
        site = get_site(name, self.sites_dir)
        self.sites.append(site)
        self.logger.warning("site %s was added after this crawler started: restart it so "
                            "that its domains are allowed", name)
        return site

    def start_requests_for_sites(self) -> Iterator[scrapy.Request]:
        for site in self.sites:
            if site.discover:
                yield self._request(site.absolute("/robots.txt"), self.parse_robots, site,
                                    dont_obey_robotstxt=True)
            for url in site.sitemap_urls:
                yield self._request(site.absolute(url), self.parse_sitemap, site)
            for url in site.feed_urls:
                yield self._request(site.absolute(url), self.parse_feed, site)
            for url in site.start_urls:
                yield self._request(site.absolute(url), self.parse_listing, site)

    def _request(self, url: str, callback, site: SiteConfig, priority: int = 0,
                 **meta) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              priority=priority, meta={"site": site.name, **meta},
                              cb_kwargs={"site": site})

    def _article(self, url: str, site: SiteConfig,
                 lastmod: str | None = None) -> scrapy.Request | None:
        """The request for an article, or None when its sitemap lastmod says it has not
        changed since the last crawl.

        A listing or feed does not request an article that a sitemap listed before: the
        sitemaps, read on every crawl, say whether it changed. New articles are requested
        wherever they are found first.
        """
        state = self.crawl_state
        if lastmod:
            self.lastmods[canonical_url(url)] = lastmod.strip()
            if state is not None and state.unchanged_lastmod(url, lastmod):
                self._unchanged(url, "skipped_lastmod")
                return None
        elif state is not None and state.in_sitemap(url):
            return None
        # Articles first: they are what a crawl is for, and they keep the queue short.
        return self._request(url, self.parse_article, site, priority=10, article=True,
                             lastmod=lastmod, handle_httpstatus_list=[304])

    def _unchanged(self, url: str, how: str) -> None:
        stats = self.crawler.stats
        stats.inc_value(STATS_PREFIX + how)
        # per site, so that the monitors do not take an unchanged site for a dead one
        prefix = f"recaps/site/{site_of(url) or 'unknown'}"
        stats.inc_value(f"{prefix}/unchanged")
        if self.crawl_state is not None and self.crawl_state.was_recap(url):
            stats.inc_value(f"{prefix}/unchanged_recaps")

    # -- discovery ----------------------------------------------------------
    def parse_robots(self, response: Response, site: SiteConfig) -> Iterator[scrapy.Request]:
        sitemaps = []
        if isinstance(response, TextResponse) and response.status == 200:
            sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        for url in sitemaps or [site.absolute(u) for u in FALLBACK_SITEMAPS]:
            yield self._request(url, self.parse_sitemap, site)

    def parse_sitemap(self, response: Response, site: SiteConfig) -> Iterator[scrapy.Request]:
        body = self._sitemap_body(response)
        if body is None:
            return
        sitemap = Sitemap(body)
        self.crawler.stats.inc_value("recaps/pages/sitemap")
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            loc = strip_tracking(response.urljoin(loc))
            if sitemap.type == "sitemapindex":
                if site.on_site(loc) and not site.is_denied(loc):
                    yield self._request(loc, self.parse_sitemap, site)
            elif site.is_article(loc):
                request = self._article(loc, site, lastmod=entry.get("lastmod"))
                if request is not None:
                    yield request

    def _sitemap_body(self, response: Response) -> bytes | None:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except OSError as exc:
                self.logger.warning("unreadable gzip sitemap %s: %s", response.url, exc)
                return None
        if b"<urlset" not in body[:2000] and b"<sitemapindex" not in body[:2000]:
            if response.status == 200:
                self.logger.info("not a sitemap: %s", response.url)
            return None
        return body

    def parse_feed(self, response: Response, site: SiteConfig) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.logger.warning("feed %s is not text (%s)", response.url,
                                response.headers.get("Content-Type"))
            return
        selector = scrapy.Selector(response, type="xml")
        selector.remove_namespaces()
        self.crawler.stats.inc_value("recaps/pages/feed")
        for link in selector.xpath(FEED_LINKS_XPATH).getall():
            url = strip_tracking(response.urljoin(link.strip()))
            if site.is_article(url) and (request := self._article(url, site)) is not None:
                yield request

    def parse_listing(self, response: Response, site: SiteConfig) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.logger.warning("listing %s is not text", response.url)
            return
        self.crawler.stats.inc_value("recaps/pages/listing")
        if site.discover:
            for href in response.xpath(FEED_ALTERNATE_XPATH).getall():
                yield self._request(response.urljoin(href), self.parse_feed, site)
        for url in self._links(response, site):
            if site.is_article(url):
                if (request := self._article(url, site)) is not None:
                    yield request
            elif site.is_listing(url):
                yield self._request(url, self.parse_listing, site)

    @staticmethod
    def _links(response: TextResponse, site: SiteConfig) -> Iterable[str]:
        seen: set[str] = set()
        for href in response.xpath("//a/@href").getall():
            href = href.strip()
            if not href or href.startswith("#") or SKIP_SCHEMES.match(href):
                continue
            url = strip_tracking(response.urljoin(href))
            if url in seen or not site.on_site(url) or site.is_denied(url):
                continue
            seen.add(url)
            yield url

    # -- articles -------------------------------------------------------------
    async def parse_article(self, response: Response, site: SiteConfig):
        stats = self.crawler.stats
        stats.inc_value("recaps/pages/article")
        fetched_at = datetime.now(timezone.utc)
        state = self.crawl_state
        # the address it was requested under (the one sitemaps and feeds give)
        url = (response.meta.get("redirect_urls") or [response.url])[0]
        lastmod = response.meta.get("lastmod") or self.lastmods.get(canonical_url(url))
        if response.status == 304:
            if state is not None:
                self._unchanged(url, "not_modified")
                state.record(state.state(url, 304, response.headers, lastmod,
                                         fetched_at=fetched_at))
            return
        if not isinstance(response, TextResponse):
            ctype = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            stats.inc_value("recaps/rejected/not_html")
            self.logger.warning("skipped %s: not an HTML page (%s)", response.url, ctype)
            return
        digest = body_hash(response.body) if state is not None else None
        if state is not None and state.unchanged_body(url, digest):
            self._unchanged(url, "unchanged_body")
            known = state.lookup(url)
            state.record(state.state(url, 200, response.headers, lastmod, digest,
                                     outcome=known.outcome or STORED, fetched_at=fetched_at))
            return
        stats.inc_value("recaps/pages/parsed")
        ctype = response.headers.get("Content-Type")
        record = await self.parser.parse(response.url, response.body, fetched_at,
                                         ctype.decode("latin-1") if ctype else None)
        record.redirect_urls = [u for u in response.meta.get("redirect_urls", [])
                                if u != response.url]
        if state is not None:
            record.fetch_state = state.state(url, 200, response.headers, lastmod, digest,
                                             fetched_at=fetched_at)
        if site.discover or not record.site:
            record.site = record.site or urlsplit(response.url).hostname
        yield record

    def on_error(self, failure) -> None:
        request = failure.request
        kind = failure.type.__name__ if failure.type else "Error"
        self.crawler.stats.inc_value(f"recaps/errors/{kind}")
        self.logger.warning("failed %s: %s: %s", request.url, kind, failure.getErrorMessage())
