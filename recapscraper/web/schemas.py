"""Response models of the JSON API (they make the OpenAPI schema at /openapi.json)."""
from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    status: int
    message: str
    details: list[dict] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class Recap(BaseModel):
    id: int
    url: str
    canonical_url: str
    site: str
    site_name: str | None
    headline: str
    kind: str
    show: str | None
    show_id: int | None
    season: int | None = Field(description="season of the linked episode(s)")
    episodes: list[int] = Field(description="numbers of the linked episode(s)")
    episode_title: str | None
    platform: str | None
    network: str | None
    author: str | None
    published_at: str | None = Field(description="ISO 8601 in the page's own UTC offset")
    first_seen_at: str | None
    excerpt: str


class SearchHit(Recap):
    snippet: str = Field(description="passage of the body around the matched words")


class RecapPage(BaseModel):
    items: list[Recap]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; "
                                                "null on the last page")


class SearchPage(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None


class ShowSummary(BaseModel):
    id: int
    title: str
    episodes: int
    recaps: int
    latest_recap_at: str | None
    platforms: list[str]


class ShowPage(BaseModel):
    items: list[ShowSummary]
    next_cursor: str | None


class Fact(BaseModel):
    """A platform or network as recaps stated it: how many recaps, from which sites."""

    name: str
    recaps: int
    sites: list[str]


class EpisodeSummary(BaseModel):
    season: int
    episode: int
    title: str | None
    release_date: str | None
    finale: bool
    recaps: int


class Season(BaseModel):
    season: int
    episodes: list[EpisodeSummary]


class ShowDetail(BaseModel):
    id: int
    title: str
    aliases: list[str]
    episodes: int
    recaps: int
    latest_recap_at: str | None
    platforms: list[Fact]
    networks: list[Fact]
    seasons: list[Season]


class EpisodeRef(BaseModel):
    season: int
    episode: int


class EpisodeDetail(BaseModel):
    show_id: int
    show: str
    season: int
    episode: int
    title: str | None
    finale: bool
    release_date: str | None
    platforms: list[str]
    sites: list[str]
    previous: EpisodeRef | None
    next: EpisodeRef | None
    recaps: list[Recap]


class Run(BaseModel):
    id: int
    status: str
    started_at: str | None
    finished_at: str | None


class SiteInfo(BaseModel):
    domain: str
    name: str | None
    recaps: int
    first_published_at: str | None
    last_published_at: str | None
    last_run: Run | None
