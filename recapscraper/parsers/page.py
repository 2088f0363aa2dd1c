"""The cascade that assembles one :class:`RecapRecord` from a fetched page.

``parse_page(url, html, fetched_at)`` is a pure function: one lxml parse, then metadata,
headline, body, dates, byline, TV fields. It never raises; a page that yields nothing
comes back with ``is_episode_recap`` False and ``reason`` set.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from lxml import etree

from ..items import EPISODE_KINDS, RecapRecord
from . import platforms
from .headline import FINALE, PART, PREMIERE, HeadlineInfo, parse_headline, parse_slug, slug_text
from .metadata import (PageMeta, clean_author, iter_byline_authors, jsonld_authors, jsonld_headlines,
                       node_types, page_tags, read_meta, site_of, text_byline, title_without_site)
from .aliases import show_aliases
from .release import may_name_a_day, parse_schedule, release_dates
from .timestamps import byline_zone, published
from .text import attr_index, body_paragraphs, clean_text, find_body, fold, is_boilerplate, \
    more_words_than, node_text, parse_html, word_count, words
from .tvfields import TvFields, resolve_tv_fields

_LISTING_URL = re.compile(r"/(?:category|categories|tag|tags|topic|topics|author|authors|archives?|"
                          r"section|search)/[^/]+/?(?:page/\d+/?)?$|/page/\d+/?$|[?&](?:s|page|paged)=",
                          re.I)
# Compiled once: Element.xpath(str) compiles its expression on every call.
_STYLED_CANDIDATES = etree.XPath(
    "//h2|//h3|//*[contains(@class, 'title') or contains(@class, 'headline') "
    "or contains(@class, 'heading') or contains(@itemprop, 'headline')]|//td/b|//td/font/b|//td/strong")
# The same, with the contains() part (a predicate run on every element) found by the
# PageIndex and passed in: XPath returns the union in document order.
_STYLED_CLASSES = (("class", ("title", "headline", "heading")), ("itemprop", ("headline",)))
_STYLED_WITH = etree.XPath("//h2|//h3|$classed|//td/b|//td/font/b|//td/strong")
_SECTION_REPEATS = etree.XPath("//h2|//h3|//div|//p|//span")
_CAPTIONS = etree.XPath(".//figcaption|.//*[contains(@class, 'credit')]")
_CAPTION_CLASSES = (("class", ("credit",)),)
_CAPTIONS_WITH = etree.XPath(".//figcaption|$credits")


def parse_page(url: str, html: str | bytes, fetched_at: datetime | None = None,
               *, content_type: str | None = None) -> RecapRecord:
    """Extract every field of one page. Never raises."""
    record = RecapRecord(url=url or "", fetched_at=fetched_at)
    try:
        _fill(record, url or "", html, fetched_at, content_type)
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - contract: never raise
        record.is_episode_recap = False
        record.reason = f"parser error: {type(exc).__name__}"
    return record


def _fill(record: RecapRecord, url: str, html, fetched_at, content_type) -> None:
    record.site = site_of(url)
    root = parse_html(html, content_type)
    if root is None:
        record.reason = "empty page"
        record.canonical_url = url or None
        return
    page = read_meta(root, url)
    record.canonical_url = page.canonical or url or None
    record.site = record.site or site_of(record.canonical_url)
    site_name = page.first("og:site_name", "application-name")

    index = attr_index(root)
    headline, headline_el = find_headline(root, page, site_name, index)
    record.headline = headline
    body_el = find_body(root, index)
    paragraphs = body_paragraphs(body_el, index)
    record.body = "\n\n".join(paragraphs)
    record.word_count = word_count(record.body)
    record.language = _language(page, record.body)
    record.tags = page_tags(root, page, index)
    zone = byline_zone(root, headline_el, index)  # read as far as dates and author need
    if headline_el is None:  # old pages without markup: the date opens the text
        zone.extend([(p, None) for p in paragraphs[:2] if len(p) < 400])
    record.published_at, record.modified_at = published(page, zone, url, fetched_at, record.language)
    record.author = _author(page, index, (t for t, _ in zone), site_name)

    listing = _is_listing(root, page, url, headline, headline_el) or (
        not _has_article_dates(page) and record.word_count < MAX_LISTING_WORDS
        and _teaser_listing(root, index, paragraphs, record.canonical_url or url))
    if listing:
        record.reason = "listing page"
        record.published_at = None if not _has_article_dates(page) else record.published_at
        record.author = None
        return
    if not headline:
        record.reason = "no headline"
        return

    titles = [t for t in (page.first("og:title", "twitter:title"), title_without_site(page, site_name),
                          *jsonld_headlines(page)) if t and fold(t) != fold(headline)]
    head = parse_headline(headline)
    tv = resolve_tv_fields(
        headline=head,
        titles=[] if _titles_add_nothing(head, titles) else [parse_headline(t) for t in titles],
        slug=HeadlineInfo() if _slug_adds_nothing(head, url) else parse_slug(url),
        jsonld=page.jsonld,
        lead=paragraphs[:4],
        tags=record.tags,
        headline_text=headline,
    )
    _apply_tv(record, tv)
    if record.show:
        record.show_aliases = show_aliases(record.show, [headline, *titles, *paragraphs[:3]],
                                           page.jsonld)
    if record.show:
        when = record.published_at.date() if record.published_at else None
        texts = _platform_texts(headline, paragraphs, root, body_el, record.tags, index)
        record.platform, record.network = platforms.pick(texts, when)
    if record.show and record.published_at is not None:
        record.release_dates = release_dates(paragraphs, record, record.language)
    if record.show:
        record.schedule = _schedule(paragraphs, record)


def _titles_add_nothing(head: HeadlineInfo, titles: list[str]) -> bool:
    """The titles cannot change resolve_tv_fields(): the headline states show, season,
    episodes, kind and episode title (what titles only fill in), and no title can add a
    finale, premiere or part (their markers' gates find nothing). Parsing them is skipped."""
    if not (head.show and head.season and head.episodes and head.kind and head.episode_title) \
            or head.season_from_title:
        return False
    return not any(_may_add_flags(clean_text(fold(t))[:400]) for t in titles)


def _slug_adds_nothing(head: HeadlineInfo, url: str) -> bool:
    """The URL slug cannot change resolve_tv_fields(): the headline states season, episodes
    and kind, and the slug can state no finale or premiere."""
    if not (head.season and head.episodes and head.kind) or head.season_from_title:
        return False
    text = clean_text(fold(slug_text(url)))[:400]
    return not (FINALE.may_match(text) or PREMIERE.may_match(text))


def _may_add_flags(text: str) -> bool:
    return FINALE.may_match(text) or PREMIERE.may_match(text) or PART.may_match(text)


# Paragraphs read for a weekly slot ("new episodes every Friday at 9 PM ET").
SCHEDULE_PARAGRAPHS = 12


def _schedule(paragraphs: list[str], record: RecapRecord) -> dict | None:
    """The weekly release slot the page states, local and in UTC, or None."""
    texts = [text[:2000] for text in paragraphs[:SCHEDULE_PARAGRAPHS]]
    if not may_name_a_day("\n".join(texts)):  # one scan: most leads name no weekday at all
        return None
    for text in texts:
        slot = parse_schedule(text, record.language)
        if slot is None or not slot.weekdays:
            continue
        out = {"weekdays": list(slot.weekdays),
               "time": slot.time.strftime("%H:%M") if slot.time else None, "tz": slot.tz}
        reference = (record.published_at or record.fetched_at)
        utc = slot.in_utc(reference.date()) if reference else None
        if utc is not None:
            out["utc"] = {"weekdays": list(utc.weekdays), "time": utc.time.strftime("%H:%M")}
        return out
    return None


def _apply_tv(record: RecapRecord, tv: TvFields) -> None:
    record.show = tv.show
    record.season = tv.season
    record.kind = tv.kind
    record.finale = tv.finale
    record.premiere = tv.premiere
    record.episode_title = tv.episode_title
    record.episodes = tv.episodes
    record.part = tv.part
    record.is_episode_recap = tv.kind in EPISODE_KINDS and tv.reason is None
    record.reason = tv.reason
    if not record.is_episode_recap:
        if not (tv.keep_episodes and tv.episodes):  # news about specific episodes keeps their part
            record.part = None
        if tv.kind not in ("preview",) and not tv.keep_episodes:
            record.episodes = []


# --- headline ---------------------------------------------------------------------

@lru_cache(maxsize=256)  # the page's reference titles are compared with every candidate
def _tokens(text: str) -> frozenset[str]:
    return frozenset(words(fold(text).lower()))


def _similarity(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb)) * min(1.0, 2 * len(ta) / (len(ta) + len(tb)) + 0.3)


def _is_logo(el, site_name: str | None, text: str | None = None) -> bool:
    """text: node_text(el), when the caller has it."""
    attrs = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if any(w in attrs for w in ("logo", "site-title", "site-name", "brand", "masthead")):
        return True
    text = (node_text(el) if text is None else text).lower()
    if site_name and text == site_name.lower():
        return True
    for link in el.iter("a"):
        if (link.get("href") or "").rstrip("/") in ("", "/") or link.get("rel") == "home":
            return True
    return next(el.iterdescendants("img"), None) is not None and len(text) < 30  # .//img


def find_headline(root, page: PageMeta, site_name: str | None, index=None):
    """(headline text, element): the article's h1 as the reader sees it."""
    refs = [r for r in (page.first("og:title"), page.first("twitter:title"),
                        *jsonld_headlines(page)[:3], title_without_site(page, site_name),
                        clean_text(page.title)) if r]
    best, best_score, best_text = None, -1.0, None
    for el in root.iter("h1"):
        text = node_text(el)
        if not text or len(text) > 400:
            continue
        score = max((_similarity(text, r) for r in refs), default=0.3)
        if _is_logo(el, site_name, text):
            score -= 1.0
        if is_boilerplate(el, index):
            score -= 0.6
        style = (el.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or el.get("hidden") is not None:
            score -= 0.8
        if any(a.tag in ("article", "main") for a in el.iterancestors()):
            score += 0.2
        if score > best_score:
            best, best_score, best_text = el, score, text
    if best is None or best_score < 0.35:
        alt = _styled_headline(root, refs, index)
        if alt is not None:
            best, best_score, best_text = alt, 1.0, None
    if best is not None and best_score > -0.2:
        text = node_text(best) if best_text is None else best_text
        return _strip_section_suffix(root, text), best
    for ref in refs:
        return ref, None
    return None, None


def _styled_headline(root, refs, index=None):
    """A headline in an h2/h3/div when the only h1 is a logo (or there is none)."""
    if not refs:
        return None
    # Old table layouts set the headline in bold: <td><b>Title</b></td>.
    candidates = (_STYLED_CANDIDATES(root) if index is None
                  else _STYLED_WITH(root, classed=index.containing(*_STYLED_CLASSES)))
    best, best_score = None, 0.6
    for el in candidates[:400]:
        text = node_text(el)
        if not text or len(text) > 300 or el.tag in ("title", "head", "meta"):
            continue
        score = max(_similarity(text, r) for r in refs)
        if score <= best_score + 0.05:
            continue  # boilerplate only lowers a score: asked only of one that would win
        if is_boilerplate(el, index):
            score -= 0.5
        if score > best_score + 0.05:
            best, best_score = el, score
    return best


def _strip_section_suffix(root, text: str) -> str:
    """"Headline | Entertainment" when the page repeats "Headline" on its own elsewhere."""
    if " | " not in text:
        return text
    head = text.rsplit(" | ", 1)[0].strip()
    words = len(head.split())  # a wrapper of the whole page is not collapsed to learn it is long
    for el in _SECTION_REPEATS(root)[:3000]:
        if len(el) <= 2 and not more_words_than(el, words) and node_text(el) == head:
            return head
    return text


# --- dates, author, language, listing ---------------------------------------------

def _has_article_dates(page: PageMeta) -> bool:
    return bool(page.first("article:published_time")) or any(
        n.get("datePublished") for n in page.articles() if not node_types(n) & {"webpage",
                                                                                 "collectionpage"})


def _author(page: PageMeta, index, zone, site_name: str | None) -> str | None:
    """zone: the byline zone's texts (an iterable, read only if no better source names one)."""
    for raw in jsonld_authors(page):
        name = clean_author(raw, site_name)
        if name:
            return name
    for text in iter_byline_authors(index):
        name = clean_author(text, site_name)
        if name:
            return name
    name = text_byline(zone)
    if name:
        return name
    for key in ("author", "article:author", "parsely-author", "author_name", "sailthru.author", "dc.creator",
                "byl", "nydn_byline", "twitter:data1"):
        for value in page.meta.get(key, ()):
            if key == "twitter:data1" and (page.first("twitter:label1") or "").lower() != "written by":
                continue
            name = clean_author(value, site_name)
            if name:
                return name
    return None


_LANG_OK = re.compile(r"^[a-z]{2,3}$")
# Characters of body text handed to py3langid when the page does not state its language.
LANGID_SAMPLE = 400


def _language(page: PageMeta, body: str) -> str | None:
    lang = page.lang.split("-")[0].split("_")[0].lower()
    if _LANG_OK.match(lang) and lang != "x":
        return lang[:2] if len(lang) == 2 else lang
    locale = (page.first("og:locale") or "").split("_")[0].lower()
    if _LANG_OK.match(locale):
        return locale
    # langid costs about 0.8 µs a character (0.77 ms for 1000); 400 characters (some 70
    # words) name the language as well on our pages, for 0.3 ms
    sample = body[:LANGID_SAMPLE]
    if len(sample) < 40:
        return None
    try:
        import py3langid  # noqa: PLC0415 - model load is slow; only when the page does not say
        code, _ = py3langid.classify(sample)
        return code
    except Exception:  # noqa: BLE001
        return None


def _is_listing(root, page: PageMeta, url: str, headline: str | None, headline_el) -> bool:
    if page.nodes("collectionpage", "searchresultspage", "profilepage"):
        if not page.nodes("article", "newsarticle", "blogposting", "review"):
            return True
    if headline and re.match(r"^(?:category|tag|tags|archives?|author|topic|search results?)\s*:|"
                             r"^posts tagged\b|^all posts\b", fold(headline), re.I):
        return True
    if _LISTING_URL.search(url or "") and not page.first("article:published_time"):
        return True
    return False


# A section or index page: no article date in its metadata, little body text, at least
# MIN_TEASERS teaser headings (h2-h4 whose text is a link to another page) outside
# sidebars, and fewer long paragraphs than half as many.
MIN_TEASERS = 4
LONG_PARAGRAPH = 200
MAX_LISTING_WORDS = 200


def _teaser_listing(root, index, paragraphs: list[str], url: str) -> bool:
    """A page made of article teasers (linked headings, short deks) and no article text."""
    long_paragraphs = sum(1 for p in paragraphs if len(p) >= LONG_PARAGRAPH)
    if long_paragraphs >= 8:
        return False
    own = (url or "").split("#")[0].rstrip("/")
    targets = set()
    for el in root.iter("h2", "h3", "h4"):
        link = el.find(".//a[@href]")
        if link is None or is_boilerplate(el, index):
            continue
        href = (link.get("href") or "").split("#")[0].rstrip("/")
        text, link_text = node_text(el), node_text(link)
        if not href or href == own or len(link_text.split()) < 3 or len(link_text) < 0.6 * len(text):
            continue
        targets.add(href)
        if len(targets) >= 40:
            break
    return len(targets) >= MIN_TEASERS and long_paragraphs * 2 < len(targets)


def _platform_texts(headline, paragraphs, root, body_el, tags,
                    index=None) -> list[tuple[str, float]]:
    texts: list[tuple[str, float]] = [(headline, 3.0)]
    for i, text in enumerate(paragraphs[:60]):
        texts.append((text, 3.0 if i < 3 else 1.0))
    if body_el is not None:
        for el in _captions(body_el, index)[:20]:
            texts.append((node_text(el), 0.5))
    texts.append((", ".join(tags), 0.7))
    return texts


def _captions(body_el, index=None) -> list:
    """_CAPTIONS(body_el): figcaptions and credit lines inside the body, in document order."""
    if index is None:
        return _CAPTIONS(body_el)
    credits = [el for el in index.containing(*_CAPTION_CLASSES)
               if any(a is body_el for a in el.iterancestors())]
    return _CAPTIONS_WITH(body_el, credits=credits)


__all__ = ["parse_page", "find_headline", "clean_text"]
