"""Generate a synthetic recap site of any size, for tests and benchmarks.

The site is WordPress-like: robots.txt naming a sitemap index, sitemaps of up to
1,000 URLs with ``lastmod``, an RSS feed of the newest posts, a paginated
listing, and article pages of realistic weight (navigation, sidebar, JSON-LD).
Every tenth page is a look-alike (a season review), so a crawl has something to
reject. Output is deterministic for given arguments.
"""
from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

SHOWS = ("Harbor Lights", "The Quiet Orbit", "Station 9", "Velvet Assembly", "Northbound",
         "Glass Orchard", "The Long Table", "Midnight Cartographers", "Saltwater Kings",
         "Paper Lanterns")
PLATFORMS = ("Netflix", "Hulu", "Prime Video", "Apple TV+", "Peacock", "HBO Max", "Disney+")
WORDS = ("the", "crew", "finally", "confronts", "a", "secret", "that", "has", "shaped",
         "every", "choice", "since", "pilot", "while", "old", "rivalry", "returns", "with",
         "quiet", "menace", "and", "episode", "lands", "its", "best", "scene", "in", "kitchen",
         "under", "storm", "light", "letters", "reveal", "what", "mother", "hid")
SITEMAP_CHUNK = 1000
PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Article:
    index: int
    show: str
    season: int
    episode: int
    platform: str
    published: datetime
    is_recap: bool

    @property
    def slug(self) -> str:
        show = self.show.lower().replace(" ", "-")
        if not self.is_recap:
            return f"{show}-season-{self.season}-review-{self.index}"
        return f"{show}-season-{self.season}-episode-{self.episode}-recap-{self.index}"

    @property
    def path(self) -> str:
        return f"/recaps/{self.slug}/"

    @property
    def headline(self) -> str:
        if not self.is_recap:
            return f"{self.show} Season {self.season} Review: A Whole Season Of Slow Burns"
        return f"{self.show} Season {self.season} Episode {self.episode} Recap: Night {self.index}"


def articles(count: int, seed: int = 7) -> list[Article]:
    start = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
    out = []
    for i in range(count):
        show = SHOWS[i % len(SHOWS)]
        season = 1 + (i // (len(SHOWS) * 10)) % 5
        episode = 1 + (i // len(SHOWS)) % 10
        out.append(Article(i, show, season, episode, PLATFORMS[i % len(PLATFORMS)],
                           start + timedelta(hours=3 * i), is_recap=i % 10 != 9))
    return out


def _paragraphs(rng: random.Random, n: int) -> str:
    paras = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 110))]
        paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
    return "\n".join(paras)


def _boilerplate(host: str, rng: random.Random) -> tuple[str, str]:
    nav = "".join(f'<li><a href="/category/{s.lower().replace(" ", "-")}/">{s}</a></li>'
                  for s in SHOWS)
    side = "".join(f'<li><a href="/recaps/">More {rng.choice(SHOWS)} coverage</a></li>'
                   for _ in range(30))
    return (f'<header><a href="/">{host}</a><nav><ul>{nav}</ul></nav></header>',
            f'<aside class="sidebar"><h3>Trending</h3><ul>{side}</ul></aside>'
            f'<footer><p>&copy; 2025 {host}</p><a href="/private/admin/">admin</a></footer>')


def article_html(host: str, art: Article, revision: int = 0) -> str:
    rng = random.Random(art.index * 7919 + revision)
    header, footer = _boilerplate(host, rng)
    base = f"http://{host}"
    published = art.published.isoformat()
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": art.headline, "datePublished": published,
         "dateModified": published, "author": {"@type": "Person", "name": "Robin Hale"},
         "mainEntityOfPage": base + art.path},
        {"@type": "WebPage", "@id": base + art.path, "name": art.headline}]}
    if art.is_recap:
        spoiler = (f"<p><em>This recap contains spoilers for {art.show} Season {art.season}, "
                   f"Episode {art.episode}, now streaming on {art.platform}.</em></p>")
    else:
        spoiler = (f"<p>Our verdict on the whole of {art.show} season {art.season}, "
                   f"streaming on {art.platform}.</p>")
    extra = f"<p>Update {revision}: corrected the episode notes.</p>" if revision else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(art.headline)} | {host}</title>
<link rel="canonical" href="{base}{art.path}">
<meta property="og:title" content="{html.escape(art.headline)}">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>{header}
<main><article><h1>{html.escape(art.headline)}</h1>
<p class="byline">By Robin Hale · {art.published.strftime("%B %d, %Y")}</p>
{spoiler}
{_paragraphs(rng, 8)}
{extra}
</article></main>{footer}</body></html>
"""


def build_site(root: Path, count: int, host: str = "synthetic.example",
               revisions: dict[int, int] | None = None) -> list[Article]:
    """Write the site under ``root/<host>/``; returns its articles.

    ``revisions`` maps article index to a revision number: those pages get
    changed content (an updated article) and a newer ``lastmod``.
    """
    revisions = revisions or {}
    site = Path(root) / host
    arts = articles(count)
    for art in arts:
        folder = site / art.path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(article_html(host, art, revisions.get(art.index, 0)),
                                           encoding="utf-8")
    base = f"http://{host}"
    (site / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n")
    chunks = [arts[i:i + SITEMAP_CHUNK] for i in range(0, len(arts), SITEMAP_CHUNK)]
    (site / "sitemaps").mkdir(exist_ok=True)
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for n, chunk in enumerate(chunks, 1):
        index.append(f"<sitemap><loc>{base}/sitemaps/posts-{n}.xml</loc></sitemap>")
        urls = ['<?xml version="1.0" encoding="UTF-8"?>',
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for art in chunk:
            lastmod = art.published + timedelta(days=revisions.get(art.index, 0))
            urls.append(f"<url><loc>{base}{art.path}</loc>"
                        f"<lastmod>{lastmod.isoformat()}</lastmod></url>")
        urls.append("</urlset>")
        (site / "sitemaps" / f"posts-{n}.xml").write_text("\n".join(urls), encoding="utf-8")
    index.append("</sitemapindex>")
    (site / "sitemap_index.xml").write_text("\n".join(index), encoding="utf-8")
    newest = sorted(arts, key=lambda a: a.published, reverse=True)
    items = "".join(f"<item><title>{html.escape(a.headline)}</title>"
                    f"<link>{base}{a.path}?utm_source=rss</link>"
                    f"<pubDate>{a.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                    "</item>" for a in newest[:PAGE_SIZE])
    (site / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{host}</title>'
        f"<link>{base}/</link>{items}</channel></rss>", encoding="utf-8")
    pages = max(1, -(-len(arts) // PAGE_SIZE))
    listing = site / "recaps"
    listing.mkdir(exist_ok=True)
    for p in range(1, pages + 1):
        chunk = newest[(p - 1) * PAGE_SIZE: p * PAGE_SIZE]
        links = "".join(f'<li><a href="{a.path}">{html.escape(a.headline)}</a></li>'
                        for a in chunk)
        nxt = f'<a rel="next" href="/recaps/page/{p + 1}/">Older</a>' if p < pages else ""
        body = f"<html><body><h1>Recaps, page {p}</h1><ul>{links}</ul>{nxt}</body></html>"
        target = listing if p == 1 else listing / "page" / str(p)
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(body, encoding="utf-8")
    (site / "index.html").write_text(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '</head><body><a href="/recaps/">Recaps</a></body></html>', encoding="utf-8")
    return arts


def site_toml(host: str = "synthetic.example", name: str = "synthetic") -> str:
    """A site file for the generated site."""
    return f'''name = "{name}"
title = "Synthetic recaps"
base_url = "http://{host}"
sitemap_urls = ["/sitemap_index.xml"]
feed_urls = ["/feed.xml"]
start_urls = ["/recaps/"]
article_patterns = ['^/recaps/[a-z0-9-]+-\\d+/$']
listing_patterns = ['^/recaps/(page/\\d+/)?$']
'''
