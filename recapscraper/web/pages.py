"""Server-rendered pages: home, shows, a show's episode guide, an episode's recaps side
by side, recap listings (by platform), search and sites. Jinja2 with autoescaping:
everything that came from a crawled page is text, and links out must be http(s)."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from recapscraper.web.app import HERE
from storage import queries
from storage.fulltext import MARK_END, MARK_START, search as fulltext_search

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
_MARKED_RE = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PathNumber = Annotated[int, Path(ge=0, le=100_000)]
Name = Annotated[str | None, Query(max_length=100)]
Text = Annotated[str | None, Query(max_length=queries.MAX_QUERY_CHARS)]
Cursor = Annotated[str | None, Query(max_length=500)]


# -- template helpers ------------------------------------------------------------------
def href(url: str | None) -> str | None:
    """``url`` when it is an http(s) address (no javascript: or data: links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def marked(text: str | None) -> Markup:
    """Escaped text with the search's matched words in <mark>."""
    out, pos = [], 0
    text = text or ""
    for m in _MARKED_RE.finditer(text):
        out.append(escape(text[pos:m.start()].replace(MARK_START, "").replace(MARK_END, "")))
        out.append(Markup("<mark>%s</mark>") % m.group(1).replace(MARK_START, ""))
        pos = m.end()
    out.append(escape(text[pos:].replace(MARK_START, "").replace(MARK_END, "")))
    return Markup("").join(out)


def day(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%-d %b %Y")
    except ValueError:
        return iso


def epcode(season: int | None, episodes) -> str:
    if isinstance(episodes, int):
        episodes = [episodes]
    if season is None or not episodes:
        return ""
    return f"S{season:02d}" + "".join(f"E{n:02d}" for n in episodes)


def template_env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(href=href, marked=marked, day=day,
                       q=lambda v: quote(str(v), safe=""))
    env.globals.update(epcode=epcode)
    return env


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    template = request.app.state.templates.get_template(name)
    return HTMLResponse(template.render(request=request, **context), status_code=status)


def _engine(request: Request):
    return request.app.state.engine


# -- pages ------------------------------------------------------------------------------
@router.get("/")
def home(request: Request):
    latest = queries.list_recaps(_engine(request), queries.RecapQuery(limit=20))
    shows = queries.shows_with_new_episodes(_engine(request))
    platforms = sorted({r["platform"] for r in latest.items if r["platform"]})
    return render(request, "home.html", {"recaps": latest.items, "more": latest.next_cursor,
                                         "shows": shows, "platforms": platforms})


@router.get("/shows")
def shows(request: Request, q: Text = None, cursor: Cursor = None):
    page = queries.list_shows(_engine(request), q, limit=50, cursor=cursor)
    return render(request, "shows.html", {"shows": page.items, "more": page.next_cursor,
                                          "q": q or ""})


@router.get("/shows/{show_id}")
def show(request: Request, show_id: PathId):
    found = queries.get_show(_engine(request), show_id)
    if found is None:
        raise HTTPException(404, "no such show")
    recent = queries.list_recaps(_engine(request), queries.RecapQuery(show_id=show_id, limit=10))
    return render(request, "show.html", {"show": found, "recaps": recent.items})


@router.get("/shows/{show_id}/episodes/{season}/{episode}")
def episode(request: Request, show_id: PathId, season: PathNumber, episode: PathNumber):
    found = queries.get_episode(_engine(request), show_id, season, episode)
    if found is None:
        raise HTTPException(404, "no such episode")
    return render(request, "episode.html", {"ep": found})


@router.get("/recaps")
def recaps(request: Request, platform: Name = None, site: Name = None, kind: Name = None,
           cursor: Cursor = None):
    return _recap_list(request, platform, site, kind, cursor)


@router.get("/platforms/{platform:path}")
def platform(request: Request, platform: Annotated[str, Path(max_length=100)],
             cursor: Cursor = None):
    return _recap_list(request, platform, None, None, cursor)


def _recap_list(request: Request, platform, site, kind, cursor):
    page = queries.list_recaps(_engine(request), queries.RecapQuery(
        platform=platform, site=site, kind=kind, limit=50, cursor=cursor))
    return render(request, "recaps.html", {"recaps": page.items, "more": page.next_cursor,
                                           "platform": queries.clean_text(platform),
                                           "site": site, "kind": kind})


@router.get("/search")
def search(request: Request, q: Text = None, cursor: Cursor = None):
    q = queries.clean_text(q)
    shows, hits = [], queries.Page([])
    if q:
        if not cursor:
            shows = queries.list_shows(_engine(request), q, limit=10).items
        hits = fulltext_search(_engine(request), q, limit=20, cursor=cursor)
    return render(request, "search.html", {"q": q or "", "shows": shows, "hits": hits.items,
                                           "more": hits.next_cursor})


@router.get("/sites")
def sites(request: Request):
    return render(request, "sites.html",
                  {"sites": queries.list_sites(_engine(request), request.app.state.site_names)})
