"""The JSON API under /api/: shows, episode guides, episodes with their recaps,
filtered recap listings, full-text search and sites. Read-only, keyset-paginated."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from recapscraper.web import schemas
from storage import queries
from storage.fulltext import search as fulltext_search

MAX_ID = 2**31 - 1
ERRORS = {code: {"model": schemas.ErrorBody} for code in (400, 404, 422, 503)}

router = APIRouter(prefix="/api", responses=ERRORS)

Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="rows per page")]
Cursor = Annotated[str | None, Query(max_length=500, description="`next_cursor` of the "
                                                                  "previous page")]
Name = Annotated[str | None, Query(max_length=100)]
Number = Annotated[int | None, Query(ge=0, le=100_000)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PathNumber = Annotated[int, Path(ge=0, le=100_000)]
When = Annotated[str | None, Query(max_length=40, description="ISO 8601 date or date-time "
                                                              "(UTC unless it has an offset)")]


def engine(request: Request):
    return request.app.state.engine


def parse_when(text: str | None, name: str) -> datetime | None:
    """An ISO date or date-time as aware UTC; HTTP 400 when it is not one."""
    text = queries.clean_text(text)
    if text is None:
        return None
    try:
        value = queries.day_start(datetime.fromisoformat(text))
        return value.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise HTTPException(400, f"{name}={text[:40]!r} is not an ISO 8601 date "
                                 "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)") from None


@router.get("/", summary="What this API offers")
def index() -> dict:
    return {"resources": {
        "shows": "/api/shows?q=&platform=&network=",
        "show": "/api/shows/{show_id}",
        "episode": "/api/shows/{show_id}/episodes/{season}/{episode}",
        "recaps": "/api/recaps?show=&season=&episode=&platform=&network=&site=&kind="
                  "&since=&until=",
        "search": "/api/search?q=",
        "sites": "/api/sites",
    }, "openapi": "/openapi.json", "docs": "/docs"}


@router.get("/shows", response_model=schemas.ShowPage, summary="Shows by title")
def shows(request: Request,
          q: Annotated[str | None, Query(max_length=queries.MAX_QUERY_CHARS,
                                         description="part of a title or alias")] = None,
          platform: Name = None, network: Name = None, limit: Limit = queries.DEFAULT_LIMIT,
          cursor: Cursor = None):
    page = queries.list_shows(engine(request), q, platform, network, limit, cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/shows/{show_id}", response_model=schemas.ShowDetail,
            summary="A show with its episode guide, platforms and networks (with sources)")
def show(request: Request, show_id: PathId):
    found = queries.get_show(engine(request), show_id)
    if found is None:
        raise HTTPException(404, f"no show with id {show_id}")
    return found


@router.get("/shows/{show_id}/episodes/{season}/{episode}", response_model=schemas.EpisodeDetail,
            summary="One episode with every recap of it, side by side")
def episode(request: Request, show_id: PathId, season: PathNumber, episode: PathNumber):
    found = queries.get_episode(engine(request), show_id, season, episode)
    if found is None:
        raise HTTPException(404, f"show {show_id} has no season {season} episode {episode}")
    return found


@router.get("/recaps", response_model=schemas.RecapPage,
            summary="Recaps, newest first, narrowed by any of the filters")
def recaps(request: Request,
           show: Annotated[str | None, Query(max_length=300,
                                             description="show id, title or alias")] = None,
           season: Number = None, episode: Number = None, platform: Name = None,
           network: Name = None, site: Name = None, kind: Name = None,
           since: When = None, until: When = None, limit: Limit = queries.DEFAULT_LIMIT,
           cursor: Cursor = None):
    store = engine(request)
    show_id = None
    if queries.clean_text(show):
        show_id = queries.find_show_id(store, show)
        if show_id is None:
            return {"items": [], "next_cursor": None}
    page = queries.list_recaps(store, queries.RecapQuery(
        show_id=show_id, season=season, episode=episode, platform=platform, network=network,
        site=site, kind=kind, since=parse_when(since, "since"), until=parse_when(until, "until"),
        limit=limit, cursor=cursor))
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/search", response_model=schemas.SearchPage,
            summary="Full-text search over recap headlines and bodies, best match first")
def search(request: Request,
           q: Annotated[str, Query(min_length=1, max_length=queries.MAX_QUERY_CHARS,
                                   description="words to find (all of them)")],
           limit: Limit = queries.DEFAULT_LIMIT, cursor: Cursor = None):
    page = fulltext_search(engine(request), q, limit, cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/sites", response_model=list[schemas.SiteInfo],
            summary="Sites with their coverage and last crawl run")
def sites(request: Request):
    return queries.list_sites(engine(request), request.app.state.site_names)
