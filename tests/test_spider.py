"""Spider navigation on constructed responses: sitemaps, feeds, listings, robots.txt."""
from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from recapscraper.registry import SiteConfigError
from recapscraper.spiders.recaps import RecapSpider

SITE = '''name = "t"
base_url = "http://t.example"
sitemap_urls = ["/sitemap_index.xml"]
feed_urls = ["/feed.xml"]
start_urls = ["/recaps/"]
article_patterns = ['^/recaps/[a-z0-9-]+/$']
listing_patterns = ['^/recaps/$', '[?&]page=\\d+']
deny_patterns = ['/private/']
'''


@pytest.fixture
def spider(tmp_path: Path) -> RecapSpider:
    (tmp_path / "t.toml").write_text(SITE)
    crawler = get_crawler(RecapSpider)
    return RecapSpider.from_crawler(crawler, site="t", sites_dir=str(tmp_path))


def urls(requests) -> list[tuple[str, str]]:
    return [(r.url, r.callback.__name__) for r in requests]


def respond(cls, url: str, body: bytes, spider) -> Response:
    return cls(url=url, body=body, request=Request(url), encoding="utf-8")


def test_start_reads_sitemaps_feeds_and_listings(spider):
    got = list(spider.start_requests_for_sites())
    assert urls(got) == [("http://t.example/sitemap_index.xml", "parse_sitemap"),
                         ("http://t.example/feed.xml", "parse_feed"),
                         ("http://t.example/recaps/", "parse_listing")]


def test_sitemap_index_and_urlset(spider):
    site = spider.sites[0]
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>http://t.example/posts.xml.gz</loc></sitemap>
      <sitemap><loc>http://elsewhere.example/x.xml</loc></sitemap></sitemapindex>"""
    out = list(spider.parse_sitemap(respond(XmlResponse, "http://t.example/sitemap_index.xml",
                                            index, spider), site))
    assert urls(out) == [("http://t.example/posts.xml.gz", "parse_sitemap")]
    urlset = gzip.compress(b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>http://t.example/recaps/a-recap/</loc><lastmod>2025-03-01</lastmod></url>
      <url><loc>http://t.example/about/</loc></url>
      <url><loc>http://t.example/private/b-recap/</loc></url></urlset>""")
    out = list(spider.parse_sitemap(Response("http://t.example/posts.xml.gz", body=urlset,
                                             request=Request("http://t.example/p")), site))
    assert urls(out) == [("http://t.example/recaps/a-recap/", "parse_article")]
    assert out[0].meta["lastmod"] == "2025-03-01"


def test_not_a_sitemap_yields_nothing(spider):
    page = respond(HtmlResponse, "http://t.example/sitemap_index.xml", b"<html>404</html>", spider)
    assert list(spider.parse_sitemap(page, spider.sites[0])) == []


def test_rss_and_atom_feeds_drop_tracking_parameters(spider):
    rss = b"""<rss version="2.0"><channel><item><link>http://t.example/recaps/a-recap/?utm_source=rss</link></item>
      <item><link>http://other.example/recaps/x/</link></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link rel="alternate" href="http://t.example/recaps/b-recap/"/></entry></feed>"""
    site = spider.sites[0]
    got = urls(spider.parse_feed(respond(XmlResponse, "http://t.example/feed.xml", rss, spider), site))
    got += urls(spider.parse_feed(respond(XmlResponse, "http://t.example/atom", atom, spider), site))
    assert got == [("http://t.example/recaps/a-recap/", "parse_article"),
                   ("http://t.example/recaps/b-recap/", "parse_article")]


def test_listing_follows_pagination_and_articles_only(spider):
    html = b"""<html><body><a href="/recaps/one-recap/">1</a><a href="/recaps/one-recap/#c">1 again</a>
      <a href="?page=2">next</a><a href="/private/x-recap/">no</a><a href="mailto:a@b">mail</a>
      <a href="http://other.example/recaps/z/">off site</a><a href="/about/">about</a></body></html>"""
    out = spider.parse_listing(respond(HtmlResponse, "http://t.example/recaps/", html, spider),
                               spider.sites[0])
    assert urls(out) == [("http://t.example/recaps/one-recap/", "parse_article"),
                         ("http://t.example/recaps/?page=2", "parse_listing")]


def test_binary_article_is_skipped_with_a_stat(spider):
    crawler = spider.crawler
    crawler.stats.open_spider()
    resp = Response("http://t.example/recaps/a/", body=b"\x00\x01PNG",
                    headers={"Content-Type": "image/png"}, request=Request("http://t.example/"))
    async def collect():
        return [item async for item in spider.parse_article(resp, spider.sites[0])]

    assert asyncio.run(collect()) == []
    assert crawler.stats.get_value("recaps/rejected/not_html") == 1


def test_robots_sitemap_lines_or_fallbacks(tmp_path):
    crawler = get_crawler(RecapSpider)
    spider = RecapSpider.from_crawler(crawler, url="http://d.example/")
    site = spider.sites[0]
    robots = respond(TextResponse, "http://d.example/robots.txt",
                     b"User-agent: *\nSitemap: http://d.example/s.xml\n", spider)
    assert urls(spider.parse_robots(robots, site)) == [("http://d.example/s.xml", "parse_sitemap")]
    empty = respond(TextResponse, "http://d.example/robots.txt", b"User-agent: *\n", spider)
    assert [u for u, _ in urls(spider.parse_robots(empty, site))] == [
        "http://d.example/sitemap.xml", "http://d.example/sitemap_index.xml"]


def test_spider_needs_something_to_crawl():
    with pytest.raises(SiteConfigError, match="nothing to crawl"):
        RecapSpider.from_crawler(get_crawler(RecapSpider))
