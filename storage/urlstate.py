"""Per-address fetch state for incremental crawls (the ``url_states`` table).

A state is a plain dict with the keys of :class:`storage.models.UrlState`. Two
kinds of write:

* a *full* state (the page was downloaded: status 200) replaces the validators
  (ETag, Last-Modified), the content hash and the sitemap lastmod;
* a *touch* (status 304: not modified) records the fetch time and a newer sitemap
  lastmod, and keeps the validators, content hash and outcome it already has.

A stored recap's state goes into the recap's own write transaction
(:func:`storage.upserts.store_batch`); other pages' states (rejected, not
modified, unchanged body) are written by :func:`write_states`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import Connection, Engine, case, func, select

from storage.db import dialect_insert, writer
from storage.models import UrlState, utcnow

# Columns a 304 updates; everything else of a state stays as the last 200 left it.
TOUCH_COLUMNS = ("status", "fetched_at")


class KnownState(NamedTuple):
    """What a crawl needs of a stored state to decide whether to fetch and parse."""

    etag: str | None
    last_modified: str | None
    sitemap_lastmod: str | None
    content_hash: str | None
    outcome: str | None = None


def load_states(engine: Engine, sites: Iterable[str] | None = None,
                chunk: int = 500) -> dict[str, KnownState]:
    """States by canonical URL, of the given site hosts (all when ``sites`` is None)."""
    cols = (UrlState.url, UrlState.etag, UrlState.last_modified, UrlState.sitemap_lastmod,
            UrlState.content_hash, UrlState.outcome)
    out: dict[str, KnownState] = {}
    with engine.connect() as conn:
        if sites is None:
            batches: list = [select(*cols)]
        else:
            hosts = sorted(set(sites))
            batches = [select(*cols).where(UrlState.site.in_(hosts[i:i + chunk]))
                       for i in range(0, len(hosts), chunk)]
        for query in batches:
            for url, *rest in conn.execute(query):
                out[url] = KnownState(*rest)
    return out


def _last_per_url(states: Iterable[dict]) -> list[dict]:
    """One state per URL (PostgreSQL refuses an upsert batch that holds a key twice)."""
    by_url: dict[str, dict] = {}
    for state in states:
        by_url[state["url"]] = state
    return [by_url[u] for u in sorted(by_url)]  # one lock order for every writer


def save_states(conn: Connection, states: Sequence[dict]) -> int:
    """Upsert states inside the caller's transaction; returns how many were written."""
    if not states:
        return 0
    now = utcnow()
    full, touch = [], []
    for state in _last_per_url(states):
        row = {"etag": None, "last_modified": None, "sitemap_lastmod": None,
               "content_hash": None, "outcome": "fetched", "fetched_at": now,
               "changed_at": now, **state}
        (full if row["status"] != 304 else touch).append(row)
    table = UrlState.__table__
    if full:
        stmt = dialect_insert(conn, UrlState)
        new = stmt.excluded
        conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_={
            "site": new.site, "etag": new.etag, "last_modified": new.last_modified,
            "sitemap_lastmod": func.coalesce(new.sitemap_lastmod, table.c.sitemap_lastmod),
            "content_hash": new.content_hash, "status": new.status, "outcome": new.outcome,
            "fetched_at": new.fetched_at,
            "changed_at": case((table.c.content_hash == new.content_hash, table.c.changed_at),
                               else_=new.changed_at),
        }), full)
    if touch:
        stmt = dialect_insert(conn, UrlState)
        new = stmt.excluded
        conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_={
            **{name: getattr(new, name) for name in TOUCH_COLUMNS},
            "sitemap_lastmod": func.coalesce(new.sitemap_lastmod, table.c.sitemap_lastmod),
        }), touch)
    return len(full) + len(touch)


def write_states(engine: Engine, states: Sequence[dict]) -> int:
    """Upsert states in a transaction of their own."""
    if not states:
        return 0
    with writer(engine).begin() as conn:
        return save_states(conn, states)

