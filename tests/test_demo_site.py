"""The bundled offline demo sites: served through the proxy, every link resolves, counts hold."""
from __future__ import annotations

import difflib
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

import recapscraper
from recapscraper.demo.server import SiteServer, demo_root
from recapscraper.registry import load_sites

SITES_DIR = Path(recapscraper.__file__).parent / "demo" / "sites"
HOSTS = {"tvrecapdaily.example", "couchnotes.example", "screenweekly.example"}
DEAD_LINK = "http://tvrecapdaily.example/2025/03/station-9-season-3-episode-6-recap/"
ROBOTS_BLOCKED = "http://tvrecapdaily.example/2025/03/station-9-season-3-episode-8-recap/"
CP1252_PAGE = "http://couchnotes.example/posts/ashfall-finale-review/"
SYNDICATED = "http://screenweekly.example/tv/recaps/the-lanternkeepers-s2e4-recap-4188/"
SYNDICATED_ORIGINAL = ("http://tvrecapdaily.example/2025/02/"
                       "the-lanternkeepers-season-2-episode-4-recap/")
NEAR_COPY = "http://screenweekly.example/tv/recaps/the-quiet-orbit-s1e2-recap-4560/"
NEAR_COPY_ORIGINAL = "http://tvrecapdaily.example/2025/06/the-quiet-orbit-season-1-episode-2-recap/"
# Namespaces and identifiers that appear in served text but are never fetched.
ALLOWED_FOREIGN = {"schema.org", "www.sitemaps.org", "www.w3.org", "purl.org"}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.canonical: str | None = None
        self.charset: str | None = None
        self.paragraphs: list[str] = []
        self._in_p = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name])
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        if tag == "meta" and a.get("charset"):
            self.charset = a["charset"]
        if tag == "p":
            self._in_p = True
            self.paragraphs.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_p = False

    def handle_data(self, data):
        if self._in_p:
            self.paragraphs[-1] += data


def _parse(body: bytes, charset: str = "utf-8") -> _Links:
    head = body[:1024].decode("ascii", "replace")
    m = re.search(r'<meta charset="([^"]+)"', head)
    parser = _Links()
    parser.feed(body.decode(m.group(1) if m else charset, "replace"))
    return parser


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


@pytest.fixture(scope="module")
def sites():
    return load_sites(SITES_DIR)


@pytest.fixture(scope="module")
def server():
    srv = SiteServer(demo_root()).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def fetch(server):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.url}))
    cache: dict[str, tuple[int, str, bytes]] = {}

    def get(url: str) -> tuple[int, str, bytes]:
        url = _clean(url)
        if url not in cache:
            try:
                with opener.open(url, timeout=10) as resp:
                    cache[url] = (resp.status, resp.headers.get("Content-Type", ""), resp.read())
            except urllib.error.HTTPError as exc:
                cache[url] = (exc.code, exc.headers.get("Content-Type", ""), exc.read())
        return cache[url]

    return get


@pytest.fixture(scope="module")
def crawl(sites, fetch):
    """Follow every link on every demo page from each site's entry points."""
    queue: deque[tuple[str, str]] = deque()
    for site in sites.values():
        for url in ["/", *site.start_urls, *site.sitemap_urls, *site.feed_urls]:
            queue.append((site.absolute(url), "entry"))
    seen: dict[str, int] = {}
    referrers: dict[str, str] = {}
    foreign: list[tuple[str, str]] = []
    while queue:
        url, ref = queue.popleft()
        key = _clean(url)
        if key in seen:
            continue
        status, ctype, body = fetch(key)
        seen[key] = status
        referrers[key] = ref
        if status != 200:
            continue
        text = body.decode("latin-1")
        for found in re.findall(r"https?://[A-Za-z0-9.\-]+", text):
            if urlsplit(found).hostname not in HOSTS | ALLOWED_FOREIGN:
                foreign.append((key, found))
        targets: list[str] = []
        if "html" in ctype:
            targets = _parse(body).links
        elif "xml" in ctype:
            targets = re.findall(r"<(?:loc|link)>([^<]+)</", body.decode("utf-8"))
        for target in targets:
            absolute = urljoin(key, target.replace("&amp;", "&"))
            if urlsplit(absolute).hostname in HOSTS:
                queue.append((absolute, key))
    return seen, referrers, foreign


def test_three_site_files_load(sites):
    assert set(sites) == {"tvrecapdaily", "couchnotes", "screenweekly"}
    for site in sites.values():
        assert urlsplit(site.base_url).hostname in HOSTS
        assert site.source is not None and site.source.parent == SITES_DIR


def test_unknown_host_is_refused(fetch):
    status, _, _ = fetch("http://not-a-demo-host.example/")
    assert status == 502


def test_robots_txt(fetch):
    status, ctype, body = fetch("http://tvrecapdaily.example/robots.txt")
    text = body.decode()
    assert status == 200 and ctype.startswith("text/plain")
    assert "Disallow: /wp-admin/" in text
    assert f"Disallow: {urlsplit(ROBOTS_BLOCKED).path}" in text
    assert "Sitemap: http://tvrecapdaily.example/sitemap_index.xml" in text
    assert "{{site:" not in text
    for host in ("couchnotes.example", "screenweekly.example"):
        assert fetch(f"http://{host}/robots.txt")[0] == 200
    # The disallowed page exists and is linked, so only robots.txt keeps a crawler out.
    home = _parse(fetch("http://tvrecapdaily.example/")[2])
    assert ROBOTS_BLOCKED in home.links
    assert fetch(ROBOTS_BLOCKED)[0] == 200


def test_sitemaps(sites, fetch):
    site = sites["tvrecapdaily"]
    status, _, body = fetch(site.absolute("/sitemap_index.xml"))
    assert status == 200
    index = ET.fromstring(body)
    children = [s.findtext(f"{SM}loc") for s in index.iter(f"{SM}sitemap")]
    assert "http://tvrecapdaily.example/post-sitemap.xml" in children
    posts = []
    for child in children:
        status, _, body = fetch(child)
        assert status == 200
        for url in ET.fromstring(body).iter(f"{SM}url"):
            assert url.findtext(f"{SM}lastmod")
            posts.append(url.findtext(f"{SM}loc"))
    articles = [u for u in posts if site.is_article(u)]
    assert len(articles) == 13
    assert ROBOTS_BLOCKED not in posts
    for url in articles:
        status, _, body = fetch(url)
        assert status == 200
        ld = re.search(rb'<script type="application/ld\+json"[^>]*>(.*?)</script>', body, re.S)
        graph = json.loads(ld.group(1))["@graph"]
        article = next(n for n in graph if n["@type"] in ("Article", "NewsArticle"))
        assert re.search(r"[+-]\d\d:\d\d$", article["datePublished"])
        assert article["author"]["name"] and article["headline"]
        assert {"WebPage", "BreadcrumbList", "Person"} <= {n["@type"] for n in graph}
        assert "{{site:" not in body.decode()


def test_feed(sites, fetch):
    site = sites["couchnotes"]
    status, ctype, body = fetch(site.absolute("/feed.xml"))
    assert status == 200 and "xml" in ctype
    items = ET.fromstring(body).find("channel").findall("item")
    assert len(items) == 10
    links = [item.findtext("link") for item in items]
    assert any("utm_source=rss" in link and "utm_medium=feed" in link for link in links)
    for item in items:
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert site.is_article(item.findtext("link"))
        assert fetch(item.findtext("link"))[0] == 200
    home = fetch(site.absolute("/"))[2].decode()
    assert 'type="application/rss+xml"' in home


def test_paginated_listings(sites, fetch):
    sw = sites["screenweekly"]
    url, pages, articles = sw.absolute("/tv/recaps/"), 0, set()
    while url:
        status, _, body = fetch(url)
        assert status == 200 and sw.is_listing(url)
        pages += 1
        page = _parse(body)
        articles |= {urljoin(url, h) for h in page.links if sw.is_article(urljoin(url, h))}
        nxt = re.search(r'<a rel="next" href="([^"]+)"', body.decode())
        url = urljoin(url, nxt.group(1)) if nxt else None
    assert pages == 3
    assert len(articles) >= 9
    trd = sites["tvrecapdaily"]
    assert fetch(trd.absolute("/category/recaps/page/2/"))[0] == 200
    assert trd.is_listing(trd.absolute("/category/recaps/page/2/"))


def test_every_link_resolves(crawl):
    seen, referrers, foreign = crawl
    broken = {url: referrers[url] for url, status in seen.items() if status != 200}
    assert broken == {DEAD_LINK: referrers[DEAD_LINK]}
    assert foreign == []


def test_article_counts(sites, crawl):
    seen, _, _ = crawl
    per_site: dict[str, set[str]] = {}
    for url, status in seen.items():
        if status != 200 or url == ROBOTS_BLOCKED:
            continue
        for name, site in sites.items():
            if site.is_article(url):
                parts = urlsplit(url)
                per_site.setdefault(name, set()).add(parts.path)
    assert {k: len(v) for k, v in per_site.items()} == {
        "tvrecapdaily": 13, "couchnotes": 10, "screenweekly": 12}
    assert sum(len(v) for v in per_site.values()) >= 30


def test_windows_1252_page(fetch):
    status, _, body = fetch(CP1252_PAGE)
    assert status == 200
    assert b'<meta charset="windows-1252">' in body[:400]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1252")
    assert "Renée" in text and "café" in text and "\u2019" in text


def test_windows_1252_page_header_does_not_contradict_meta(fetch):
    _, ctype, _ = fetch(CP1252_PAGE)
    assert "utf-8" not in ctype.lower()


def test_syndicated_and_near_copies(fetch):
    copy = _parse(fetch(SYNDICATED)[2])
    original = _parse(fetch(SYNDICATED_ORIGINAL)[2])
    assert copy.canonical == SYNDICATED_ORIGINAL
    assert original.canonical == SYNDICATED_ORIGINAL
    body = [p for p in original.paragraphs if len(p) > 80]
    assert body and all(p in copy.paragraphs for p in body)

    near = _parse(fetch(NEAR_COPY)[2])
    source = _parse(fetch(NEAR_COPY_ORIGINAL)[2])
    assert near.canonical is None
    near_body = " ".join(p for p in near.paragraphs if len(p) > 80)
    source_body = " ".join(p for p in source.paragraphs if len(p) > 80)
    assert near_body != source_body
    assert difflib.SequenceMatcher(None, near_body, source_body).ratio() > 0.8
