"""Declarative site definitions: one TOML file per site, no Python needed to add one.

A site file looks like::

    name = "tvrecapdaily"                       # unique, used by `crawl NAME`
    title = "TV Recap Daily"
    base_url = "https://tvrecapdaily.example"   # relative URLs below are joined to it
    start_urls = ["/category/recaps/"]          # listing pages to read first
    sitemap_urls = ["/sitemap_index.xml"]       # sitemap or sitemap index
    feed_urls = ["/feed/"]                      # RSS or Atom feeds
    article_patterns = ['^/\\d{4}/\\d{2}/[\\w-]+/$']   # regexes on path (+ "?query")
    listing_patterns = ['^/category/recaps/(page/\\d+/)?$']
    deny_patterns = ['/tag/']                   # never fetched
    allowed_domains = []                        # default: the host of base_url

Patterns are matched with ``re.search`` against the URL path, plus ``?query`` when
there is one. With no ``article_patterns`` every same-site link that is not a
listing is a candidate article (the parser then decides whether it is a recap).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from recapscraper.resources import package_path

SITES_DIR = package_path("recapscraper", "sites")  # a real folder, also in a Scrapyd egg


class SiteConfigError(ValueError):
    """A site file is missing, unreadable or invalid."""


@dataclass(slots=True)
class SiteConfig:
    name: str
    base_url: str
    title: str = ""
    start_urls: list[str] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    feed_urls: list[str] = field(default_factory=list)
    article_patterns: list[str] = field(default_factory=list)
    listing_patterns: list[str] = field(default_factory=list)
    deny_patterns: list[str] = field(default_factory=list)
    allowed_domains: list[str] = field(default_factory=list)
    discover: bool = False  # also look for sitemaps in robots.txt and feeds on the home page
    source: Path | None = None
    _article_re: list[re.Pattern] = field(default_factory=list, repr=False)
    _listing_re: list[re.Pattern] = field(default_factory=list, repr=False)
    _deny_re: list[re.Pattern] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.name or not re.fullmatch(r"[A-Za-z0-9_.-]+", self.name):
            raise SiteConfigError(f"site name {self.name!r}: use letters, digits, - _ .")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SiteConfigError(f"site {self.name}: base_url {self.base_url!r} is not an "
                                  "http(s) URL")
        if not self.allowed_domains:
            self.allowed_domains = [parts.hostname]
        try:
            self._article_re = [re.compile(p) for p in self.article_patterns]
            self._listing_re = [re.compile(p) for p in self.listing_patterns]
            self._deny_re = [re.compile(p) for p in self.deny_patterns]
        except re.error as exc:
            raise SiteConfigError(f"site {self.name}: bad pattern: {exc}") from None

    # -- URL rules -------------------------------------------------------
    def absolute(self, url: str) -> str:
        return urljoin(self.base_url if self.base_url.endswith("/") else self.base_url + "/",
                       url)

    @staticmethod
    def _subject(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def on_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def is_denied(self, url: str) -> bool:
        subject = self._subject(url)
        return any(p.search(subject) for p in self._deny_re)

    def is_listing(self, url: str) -> bool:
        subject = self._subject(url)
        return any(p.search(subject) for p in self._listing_re)

    def is_article(self, url: str) -> bool:
        """Article rules win over listing rules when a URL matches both."""
        if not self.on_site(url) or self.is_denied(url):
            return False
        if self._article_re:
            subject = self._subject(url)
            return any(p.search(subject) for p in self._article_re)
        return not self.is_listing(url)

    @classmethod
    def for_url(cls, url: str) -> "SiteConfig":
        """An ad-hoc site for ``crawl --url``: discover everything from the root."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SiteConfigError(f"{url!r} is not an http(s) URL")
        host = parts.hostname.lower()
        root = f"{parts.scheme}://{parts.netloc}"
        name = re.sub(r"[^A-Za-z0-9_.-]", "-", host.removeprefix("www."))
        domain = host.removeprefix("www.")
        return cls(name=name, base_url=root, start_urls=[url], discover=True,
                   allowed_domains=[domain],
                   # an article's last path segment is a slug ("show-s1e2-recap") or a page
                   article_patterns=[r"/[^/?#]*-[^/?#]*-[^/?#]+/?$", r"\.html?$"],
                   listing_patterns=[r"^/(category|categories|tag|tags|section|tv|recaps?|"
                                     r"reviews?|news)(/[\w-]+)*/?$", r"/page/\d+/?$",
                                     r"[?&]page=\d+"],
                   deny_patterns=[r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp[34]|css|js)$",
                                  r"/(wp-admin|wp-login|login|signin|cart|account)\b",
                                  r"/(feed|comments)/?$"])


def load_site(path: Path) -> SiteConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteConfigError(f"cannot read site file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"site file {path}: {exc}") from None
    known = set(SiteConfig.__dataclass_fields__) - {"source", "_article_re", "_listing_re",
                                                    "_deny_re"}
    unknown = set(data) - known
    if unknown:
        raise SiteConfigError(f"site file {path}: unknown keys {sorted(unknown)}")
    for key in ("name", "base_url"):
        if key not in data:
            raise SiteConfigError(f"site file {path}: missing {key!r}")
    return SiteConfig(**data, source=path)


def load_sites(directory: Path = SITES_DIR) -> dict[str, SiteConfig]:
    sites: dict[str, SiteConfig] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        site = load_site(path)
        if site.name in sites:
            raise SiteConfigError(f"site {site.name!r} is defined twice ({path})")
        sites[site.name] = site
    return sites


def get_site(name: str, directory: Path = SITES_DIR) -> SiteConfig:
    sites = load_sites(directory)
    try:
        return sites[name]
    except KeyError:
        known = ", ".join(sorted(sites)) or "none"
        raise SiteConfigError(f"unknown site {name!r} (known: {known})") from None
