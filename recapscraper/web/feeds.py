"""Atom feeds (RFC 4287) of new recaps: one per show, one per platform.

Built with ElementTree, so every text from a crawled page is escaped; characters
XML cannot carry are dropped. An entry's id is the recap's canonical URL.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from recapscraper.web.pages import epcode, href
from storage import queries

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_SIZE = 50
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EPOCH = "1970-01-01T00:00:00+00:00"

router = APIRouter(include_in_schema=False)


def _text(value) -> str:
    return _NOT_XML.sub("", str(value or ""))


def _add(parent: ET.Element, tag: str, text=None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def _entry(feed: ET.Element, recap: dict, base: str) -> str:
    updated = recap["published_at"] or recap["first_seen_at"] or EPOCH
    entry = _add(feed, "entry")
    _add(entry, "id", recap["canonical_url"])
    _add(entry, "title", recap["headline"], type="text")
    _add(entry, "updated", updated)
    if recap["published_at"]:
        _add(entry, "published", recap["published_at"])
    author = _add(entry, "author")
    _add(author, "name", recap["author"] or recap["site_name"] or recap["site"])
    link = href(recap["url"])
    if link:
        _add(entry, "link", rel="alternate", type="text/html", href=link)
    if recap["show_id"] and recap["episodes"]:
        _add(entry, "link", rel="related", type="text/html",
             href=f"{base}/shows/{recap['show_id']}/episodes/{recap['season']}/"
                  f"{recap['episodes'][0]}",
             title=f"{recap['show']} {epcode(recap['season'], recap['episodes'])}")
    _add(entry, "category", term=recap["kind"])
    _add(entry, "summary", recap["excerpt"] or recap["headline"], type="text")
    return updated


def atom_feed(request: Request, title: str, page_path: str, recaps: list[dict]) -> Response:
    base = str(request.base_url).rstrip("/")
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(feed, "id", str(request.url.replace(query="")))
    _add(feed, "title", title, type="text")
    updated = _add(feed, "updated")
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=str(request.url.replace(query="")))
    _add(feed, "link", rel="alternate", type="text/html", href=base + page_path)
    _add(_add(feed, "author"), "name", "recapscraper")
    _add(feed, "generator", "recapscraper")
    stamps = [_entry(feed, r, base) for r in recaps]
    latest = max(stamps, key=lambda s: datetime.fromisoformat(s), default=None)
    updated.text = latest or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    ET.register_namespace("", ATOM_NS)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=ATOM_TYPE)


@router.get("/shows/{show_id}/feed.atom")
def show_feed(request: Request, show_id: Annotated[int, Path(ge=1, le=2**31 - 1)]):
    show = queries.get_show(request.app.state.engine, show_id)
    if show is None:
        raise HTTPException(404, "no such show")
    page = queries.list_recaps(request.app.state.engine,
                               queries.RecapQuery(show_id=show_id, limit=FEED_SIZE))
    return atom_feed(request, f"New recaps of {show['title']}", f"/shows/{show_id}", page.items)


@router.get("/platforms/{platform:path}/feed.atom")
def platform_feed(request: Request, platform: Annotated[str, Path(max_length=100)]):
    page = queries.list_recaps(request.app.state.engine,
                               queries.RecapQuery(platform=platform, limit=FEED_SIZE))
    name = queries.clean_text(platform) or platform
    if page.items and page.items[0]["platform"]:
        name = page.items[0]["platform"]
    from urllib.parse import quote

    return atom_feed(request, f"New recaps of shows on {name}",
                     f"/platforms/{quote(name, safe='')}", page.items)
