"""The typed record that flows parser -> pipelines -> storage.

Plain dataclass, no Scrapy import: parsers build it, Scrapy's itemadapter
understands dataclasses, and storage reads its attributes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

KINDS = ("recap", "review", "recap+review", "ending-explained", "preview", "other")
# Kinds that describe one or more specific, already aired episodes.
EPISODE_KINDS = frozenset({"recap", "review", "recap+review", "ending-explained"})


@dataclass(slots=True)
class RecapRecord:
    """Everything extracted from one page, before normalisation and storage."""

    url: str
    canonical_url: str | None = None
    site: str | None = None  # host of the page, without "www."
    headline: str | None = None
    is_episode_recap: bool = False
    kind: str = "other"  # one of KINDS
    show: str | None = None
    show_aliases: list[str] = field(default_factory=list)  # other names the page gives it
    season: int | None = None  # as stated on the page; None when never stated
    episodes: list[int] = field(default_factory=list)
    episode_title: str | None = None
    finale: bool = False
    premiere: bool = False
    part: int | None = None
    platform: str | None = None  # canonical streaming service name
    network: str | None = None  # broadcaster / channel
    published_at: datetime | None = None  # time-zone aware, in the page's own zone
    modified_at: datetime | None = None
    release_dates: list[date] = field(default_factory=list)
    # weekly release slot: {"weekdays": [0-6, Monday 0], "time": "HH:MM", "tz": IANA name,
    # "utc": {"weekdays": [...], "time": "HH:MM"}}; None when the page states none
    schedule: dict | None = None
    author: str | None = None
    language: str | None = None  # ISO 639-1
    word_count: int = 0
    body: str = ""
    tags: list[str] = field(default_factory=list)
    fetched_at: datetime | None = None
    redirect_urls: list[str] = field(default_factory=list)  # addresses that redirected here
    reason: str | None = None  # why the page is not an episode recap
    # what this fetch found, for incremental crawls (recapscraper/incremental.py); not output
    fetch_state: dict | None = None
    # MinHash of the body when a parser process computed it (recapscraper/parsepool.py),
    # so the store's writer need not; not output
    minhash: bytes | None = None

    def to_json(self) -> dict:
        """JSON-ready dict: dates as ISO 8601 strings."""
        out = asdict(self)
        out.pop("fetch_state", None)
        out.pop("minhash", None)
        for key in ("published_at", "modified_at", "fetched_at"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        out["release_dates"] = [d.isoformat() for d in self.release_dates]
        return out
