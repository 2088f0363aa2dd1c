"""When a page was published: metadata timestamps reconciled with the visible byline.

The published date is the one in the page's own zone, the zone of its visible local
timestamps: "April 23, 2024 11:05pm PT" beats ``article:published_time`` 2024-04-24T06:05Z.
Cascade: visible byline date (checked against metadata), metadata timestamp (checked
against a dated URL), relative byline date against ``fetched_at``, URL date.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from lxml import etree

from .dates import find_dates, find_relative, local_date_in, parse_machine, zone
from .metadata import PageMeta, text_value
from .index import PageIndex
from .text import node_text

# Metadata names of the publication timestamp, most reliable first.
PUBLISHED_META = ("article:published_time", "og:article:published_time", "published_at",
                  "article.published", "datepublished", "parsely-pub-date", "sailthru.date",
                  "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
                  "dcterms.date", "dc.date", "date", "og:published_time", "article_date_original",
                  "cxenseparse:recs:publishtime", "dcterms.created")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                 "last-modified", "dcterms.modified")
# Zones to try when a UTC timestamp must be shown on the date a page displays.
ZONES_BY_LANG = {
    "en": ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
           "Europe/London", "Asia/Kolkata", "Australia/Sydney", "Asia/Manila"],
    "de": ["Europe/Berlin"], "fr": ["Europe/Paris", "America/Montreal"], "it": ["Europe/Rome"],
    "es": ["Europe/Madrid", "America/Mexico_City", "America/Santiago", "America/Bogota"],
    "pt": ["America/Sao_Paulo", "Europe/Lisbon"], "ko": ["Asia/Seoul"], "ja": ["Asia/Tokyo"],
    "tl": ["Asia/Manila"], "fil": ["Asia/Manila"], "nl": ["Europe/Amsterdam"],
}
ALL_ZONES = [z for zones in ZONES_BY_LANG.values() for z in zones]
_UPDATED = re.compile(r"(?:updated|modified|aktualisiert|actualizado|actualisé|mis à jour|"
                      r"aggiornato|atualizado|수정|更新|last edited|edited)\b[^0-9]{0,25}$", re.I)
_NOT_PUBLISH = re.compile(r"(?:release date|released|premieres?|airs?|aired|dvd|blu-ray|"
                          r"copyright|©|event|expires?)\s*:?\s*[^0-9]{0,12}$", re.I)
_PUBLISHED_LABEL = re.compile(r"(?:posted|published|publié|publicado|veröffentlicht|pubblicato|"
                              r"publicada|date)\b\s*(?:on|am|le|el|il)?\s*:?\s*$", re.I)
# Words in the class/id/itemprop/rel of elements that hold a byline date (lowercase: see
# PageIndex.matching_words).
_DATE_WORDS = ("date", "time", "publish", "posted", "byline", "dateline", "meta", "timestamp")
# Text nodes read after the headline (XPath: following::text()[normalize-space()][position() <= 40]).
_MAX_FOLLOWING = 40
_XML_SPACE = " \t\n\r"
# Date-ish elements looked at, in document order.
_MAX_CANDIDATES = 150
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_URL_DATE_PACKED = re.compile(r"[/-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/-]|$)")


def meta_timestamp(page: PageMeta, names: tuple[str, ...], jsonld_key: str):
    for node in page.articles():
        value = parse_machine(text_value(node.get(jsonld_key)))
        if value is not None:
            yield value
    for name in names:
        for raw in page.meta.get(name, ()):
            value = parse_machine(raw)
            if value is not None:
                yield value


def _first(iterable):
    for item in iterable:
        return item
    return None


def byline_texts(root, headline_el, index: PageIndex) -> list[tuple[str, str | None]]:
    """(visible text, machine datetime attribute) of date-ish elements near the headline.

    index: text.attr_index(root).
    """
    return list(byline_zone(root, headline_el, index))


class BylineZone:
    """byline_texts(), read as far as a reader goes: the date-ish elements' texts at once,
    the short texts after the headline (a walk of the page from the headline on) the first
    time an iteration reaches them. Most pages date themselves, and name their author,
    before that. Iterating it any number of times gives byline_texts()."""

    __slots__ = ("_headline_el", "_index", "_items")

    def __init__(self, items: list[tuple[str, str | None]], headline_el, index: PageIndex):
        self._items = items
        self._headline_el = headline_el  # None once its texts are in _items
        self._index = index

    def __iter__(self):
        items, i = self._items, 0
        while True:
            while i < len(items):
                yield items[i]
                i += 1
            if self._headline_el is None:
                return
            headline_el, self._headline_el = self._headline_el, None
            items.extend(_after_headline(headline_el, self._index))

    def extend(self, more) -> None:
        """Add texts after all the others."""
        for _ in self:  # reads the texts after the headline first
            pass
        self._items.extend(more)


def byline_zone(root, headline_el, index: PageIndex) -> BylineZone:
    """byline_texts() as a BylineZone: the texts after the headline are read on demand."""
    return BylineZone(_candidate_texts(root, index), headline_el, index)


def _candidate_texts(root, index: PageIndex) -> list[tuple[str, str | None]]:
    """(visible text, machine datetime attribute) of the date-ish elements, in document order."""
    out: list[tuple[str, str | None]] = []
    seen = set()
    candidates = _date_candidates(root, index)
    for el in candidates[:_MAX_CANDIDATES]:
        if el.getparent() is None or index.is_noisy(el):
            continue
        if el.tag != "time" and len(el) > 12:
            continue
        text = node_text(el)
        if not text or len(text) > 200 or text in seen:
            continue
        seen.add(text)
        out.append((text, el.get("datetime") if el.tag == "time" else None))
    return out


def _date_candidates(root, index: PageIndex) -> list:
    """Elements whose class/id/itemprop/rel says date, and <time> elements, in document
    order; <time> elements with none of those attributes come last."""
    dated = index.matching_words(_DATE_WORDS, limit=_MAX_CANDIDATES)
    times = list(root.iter("time"))
    if not times:
        return dated
    plain = [t for t in times if not any(t.get(a) is not None for a in _INDEXED)]
    attributed = [t for t in times if t.get("class") is not None or t.get("id") is not None
                  or t.get("itemprop") is not None or t.get("rel") is not None]
    merged = dated
    known = set(dated)
    extra = [t for t in attributed if t not in known]
    if extra:
        order = {el: i for i, el in enumerate(root.iter())}
        merged = sorted({*dated, *extra}, key=lambda el: order.get(el, 0))
    return merged + plain


_INDEXED = ("class", "id", "itemprop", "rel")


def _following_texts(el, nonblank: bool = False):
    """(text, owner) for the text nodes after el in document order (XPath following::text()),
    owner being the element whose text or tail it is. A generator: the XPath builds the
    node-set of the whole rest of the page, the byline zone needs its first few nodes.
    nonblank: skip the texts that are only XML white space (following::text()[normalize-space()]).
    """
    node = el
    while node is not None:
        tail = node.tail
        if tail is not None and (not nonblank or tail.strip(_XML_SPACE)):
            yield tail, node
        for sibling in node.itersiblings():
            for event, sub in etree.iterwalk(sibling, events=("start", "end")):
                if event == "start":
                    text = sub.text
                    if (text is not None and (not nonblank or text.strip(_XML_SPACE))
                            and isinstance(sub.tag, str)):
                        yield text, sub
                else:
                    tail = sub.tail
                    if tail is not None and (not nonblank or tail.strip(_XML_SPACE)):
                        yield tail, sub
        node = node.getparent()


def _after_headline(headline_el, index: PageIndex) -> list[tuple[str, None]]:
    """The short texts right after the headline (dek, byline, dateline), up to the prose."""
    chunks = []
    seen = total = 0
    for text, parent in _following_texts(headline_el, nonblank=True):
        seen += 1
        if seen > _MAX_FOLLOWING:
            break
        if parent.tag in ("script", "style") or index.is_noisy(parent):
            continue
        chunk = text.strip()
        if len(chunk) > 150:  # article prose has started
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > 400:
            break
    joined = " ".join(chunks)
    return [(joined, None)] if joined else []


def _visible(texts, default_year: int | None, fetched_at: datetime | None):
    """First absolute visible date not labelled "updated"; else first relative date.

    Within one text, a date labelled "posted"/"published" wins over an unlabelled one
    before it ("A&E Video // $99.95 // January 25, 2005 ... posted January 30, 2005").
    """
    relative = None
    for text, _machine in texts:
        first = None
        for found, start, _end, has_year in find_dates(text, default_year):
            prefix = text[max(0, start - 40):start]
            if _UPDATED.search(prefix) or _NOT_PUBLISH.search(prefix):
                continue
            if not has_year and default_year is None:
                continue
            if _PUBLISHED_LABEL.search(prefix):
                return found, None
            first = first or found
        if first is not None:
            return first, None
        if relative is None and len(text) < 120:
            relative = find_relative(text, fetched_at)
    return None, relative


def url_date(url: str | None) -> date | None:
    for pattern in (_URL_DATE, _URL_DATE_PACKED):
        match = pattern.search(url or "")
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def _aware(value, fallback_tz=timezone.utc) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=fallback_tz)
    return datetime.combine(value, time(0), fallback_tz)


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def published(page: PageMeta, zone_texts, url: str, fetched_at: datetime | None,
              lang: str | None) -> tuple[datetime | None, datetime | None]:
    """(published_at, modified_at), both aware. zone_texts: byline_texts() (or byline_zone())
    of the page."""
    meta = _first(meta_timestamp(page, PUBLISHED_META, "datePublished"))
    modified = _first(meta_timestamp(page, MODIFIED_META, "dateModified"))
    if fetched_at is not None and fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    default_year = (meta.year if meta else None) or (url_date(url).year if url_date(url) else None)
    if default_year is None and fetched_at is not None:
        default_year = fetched_at.year
    visible, relative = _visible(zone_texts, default_year, fetched_at)
    zones = ZONES_BY_LANG.get((lang or "")[:2], []) + ALL_ZONES
    result = None
    if visible is not None and meta is not None and abs((_day(visible) - _day(meta)).days) > 1:
        visible = None  # the byline date belongs to something else
    if visible is not None:
        result = _from_visible(visible, meta, zones)
    elif meta is not None:
        result = _aware(meta)
        wanted = url_date(url)
        utc = (isinstance(meta, datetime) and meta.tzinfo is not None
               and meta.utcoffset() == timedelta(0))
        if utc and wanted and abs((wanted - meta.date()).days) == 1:
            result = local_date_in(meta, zones, wanted) or result
        elif utc and not wanted and _us_english(page):
            result = meta.astimezone(zone("America/New_York"))  # US sites live on US time
    elif relative is not None:
        result = relative
    elif url_date(url):
        result = _aware(url_date(url))
    return result, _aware(modified)


def _from_visible(visible, meta, zones) -> datetime | None:
    if isinstance(visible, datetime) and visible.tzinfo is not None:
        return visible
    if isinstance(visible, datetime):
        if isinstance(meta, datetime) and meta.tzinfo is not None:
            utc = meta.astimezone(timezone.utc).replace(tzinfo=None)
            offset = visible - utc
            minutes = round(offset.total_seconds() / 900) * 15
            if abs(minutes) <= 14 * 60:
                return visible.replace(tzinfo=timezone(timedelta(minutes=minutes)))
        return visible.replace(tzinfo=meta.tzinfo if isinstance(meta, datetime) and meta.tzinfo
                               else timezone.utc)
    # A date without a clock.
    if isinstance(meta, datetime):
        if meta.tzinfo is None:
            meta = meta.replace(tzinfo=timezone.utc)
        if meta.date() == visible:
            return meta
        local = local_date_in(meta, zones, visible)
        if local is not None:
            return local
        return datetime.combine(visible, meta.timetz())
    return datetime.combine(visible, time(0), timezone.utc)


def _us_english(page: PageMeta) -> bool:
    lang = (page.lang or page.first("og:locale") or "").lower().replace("_", "-")
    return lang == "en-us"
