"""Read queries of the web API, the pages, the feeds and the CLI's query commands.

Everything here only reads. ``open_reader(url)`` opens the store read-only (SQLite:
a ``mode=ro`` URI; PostgreSQL: ``default_transaction_read_only``). Every value
from outside reaches SQL as a bound parameter. Listings use keyset pagination over
a stable order; a cursor is an opaque token naming the last row of a page.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, literal, select, tuple_
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import StoreError, check_connection, current_revision, describe
from storage.db import head_revision, resolve_url
from storage.models import Episode, Recap, RecapEpisode, Show, ShowAlias, Site, UTCDateTime
from storage.repository import show_key

DEFAULT_LIMIT = 20
MAX_LIMIT = 100  # rows per page
MAX_QUERY_CHARS = 200  # search text
MAX_EPISODE_RECAPS = 500  # recaps shown for one episode
EXCERPT_CHARS = 280
UTC_TYPE = UTCDateTime()


class CursorError(ValueError):
    """A pagination cursor that this listing did not hand out."""


@dataclass(slots=True)
class Page:
    items: list[dict]
    next_cursor: str | None = None


# -- the read-only engine ----------------------------------------------------------
def _sqlite_reader_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-32000")
    cur.execute("PRAGMA mmap_size=268435456")
    cur.close()


def reader_url(url: str | None) -> URL:
    """The read-only form of a store URL (raises StoreError for a bad one)."""
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError("the read-only store needs a database file, not :memory:")
        path = Path(parsed.database).expanduser().resolve()
        if not path.is_file():
            raise StoreError(f"no database at {path}: crawl first (`recapscraper demo`)")
        return URL.create("sqlite+pysqlite", database=f"file:{path.as_posix()}",
                          query={"mode": "ro", "uri": "true"})
    if backend == "postgresql":
        options = " ".join(filter(None, [parsed.query.get("options"),
                                         "-c default_transaction_read_only=on"]))
        return parsed.update_query_dict({"options": options})
    raise StoreError(f"unsupported database {backend!r}: use sqlite or postgresql")


def open_reader(url: str | None = None) -> Engine:
    """A read-only engine on a store whose schema is at the newest revision."""
    target = reader_url(url)
    if target.get_backend_name() == "sqlite":
        engine = create_engine(target, connect_args={"timeout": 10, "check_same_thread": False},
                               pool_size=8, max_overflow=8)
        event.listen(engine, "connect", _sqlite_reader_pragmas)
    else:
        engine = create_engine(target, pool_pre_ping=True, pool_size=8, max_overflow=8,
                               connect_args={"connect_timeout": 10})
    check_connection(engine)
    try:
        revision, head = current_revision(engine), head_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read {describe(engine.url)}: {exc}") from None
    if revision != head:
        engine.dispose()
        raise StoreError(f"{describe(resolve_url(url))} has schema {revision or 'none'}, "
                         f"this version reads {head}: run `recapscraper db upgrade`")
    return engine


# -- cursors and small helpers ---------------------------------------------------------
def encode_cursor(*values) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *kinds: type | tuple) -> list:
    """The values of ``cursor``, each checked against its kind, or CursorError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeError):
        raise CursorError("not a cursor from this listing") from None
    if (not isinstance(values, list) or len(values) != len(kinds)
            or any(isinstance(v, bool) or not isinstance(v, k) for v, k in zip(values, kinds))):
        raise CursorError("not a cursor from this listing")
    return values


def _at(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CursorError("not a cursor from this listing") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def clean_text(value: str | None) -> str | None:
    """User text for SQL: no NUL characters, no outer spaces; None when empty."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def local_iso(value: datetime | None, offset: int | None) -> str | None:
    """A stored UTC time in the page's own UTC offset, ISO 8601."""
    if value is None:
        return None
    if offset is not None and -1440 < offset < 1440:
        value = value.astimezone(timezone(timedelta(minutes=offset)))
    return value.isoformat()


def excerpt(text: str | None, size: int = EXCERPT_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text[:size].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def _limit(limit: int | None) -> int:
    return max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))


# -- recaps ------------------------------------------------------------------------------
RECAP_COLUMNS = (Recap.id, Recap.url, Recap.headline, Recap.kind, Recap.show_id,
                 Show.title.label("show"), Recap.season, Recap.episode_title, Recap.platform,
                 Recap.network, Recap.author, Recap.published_at, Recap.published_offset,
                 Site.domain.label("site"), Site.name.label("site_name"),
                 func.substr(Recap.body, 1, EXCERPT_CHARS + 40).label("body_start"))


def _recap_select():
    return (select(*RECAP_COLUMNS).join(Site, Site.id == Recap.site_id)
            .outerjoin(Show, Show.id == Recap.show_id))


def _episode_links(conn, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    links: dict[int, list[tuple[int, int]]] = {}
    if ids:
        stmt = (select(RecapEpisode.recap_id, Episode.season, Episode.number)
                .join(Episode, Episode.id == RecapEpisode.episode_id)
                .where(RecapEpisode.recap_id.in_(ids)))
        for recap_id, season, number in conn.execute(stmt):
            links.setdefault(recap_id, []).append((season, number))
    return links


def recap_dicts(conn, rows) -> list[dict]:
    links = _episode_links(conn, [r.id for r in rows])
    out = []
    for r in rows:
        linked = sorted(links.get(r.id, []))
        out.append({
            "id": r.id, "url": r.url, "site": r.site, "site_name": r.site_name,
            "headline": r.headline, "kind": r.kind, "show": r.show, "show_id": r.show_id,
            "season": linked[0][0] if linked else r.season,
            "episodes": [n for _, n in linked], "episode_title": r.episode_title,
            "platform": r.platform, "network": r.network, "author": r.author,
            "published_at": local_iso(r.published_at, r.published_offset),
            "excerpt": excerpt(r.body_start),
        })
    return out


@dataclass(slots=True)
class RecapQuery:
    """Filters of a recap listing; each one given narrows it (AND)."""

    show_id: int | None = None
    season: int | None = None
    episode: int | None = None
    platform: str | None = None
    network: str | None = None
    site: str | None = None
    kind: str | None = None
    since: datetime | None = None  # published at or after
    until: datetime | None = None  # published before
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def day_start(value: date | datetime) -> datetime:
    """A datetime as UTC-aware; a date as its midnight UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _recap_filters(conn, q: RecapQuery) -> list | None:
    """WHERE conditions of ``q``; None when no recap can match (unknown site)."""
    conds = []
    if q.show_id is not None:
        conds.append(Recap.show_id == q.show_id)
    if q.season is not None or q.episode is not None:
        linked = select(RecapEpisode.recap_id).join(Episode, Episode.id == RecapEpisode.episode_id)
        if q.show_id is not None:
            linked = linked.where(Episode.show_id == q.show_id)
        if q.season is not None:
            linked = linked.where(Episode.season == q.season)
        if q.episode is not None:
            linked = linked.where(Episode.number == q.episode)
        conds.append(Recap.id.in_(linked))
    if clean_text(q.platform):
        conds.append(func.lower(Recap.platform) == clean_text(q.platform).lower())
    if clean_text(q.network):
        conds.append(func.lower(Recap.network) == clean_text(q.network).lower())
    if clean_text(q.kind):
        conds.append(Recap.kind == clean_text(q.kind).lower())
    if clean_text(q.site):
        domain = clean_text(q.site).lower().removeprefix("www.")
        site_id = conn.scalar(select(Site.id).where(Site.domain == domain))
        if site_id is None:
            return None
        conds.append(Recap.site_id == site_id)
    if q.since is not None:
        conds.append(Recap.published_at >= day_start(q.since))
    if q.until is not None:
        conds.append(Recap.published_at < day_start(q.until))
    return conds


def list_recaps(engine: Engine, q: RecapQuery) -> Page:
    """Recaps newest first (dated ones by published_at, then undated by id)."""
    limit = _limit(q.limit)
    phase, at, last_id = "d", None, None
    if q.cursor:
        phase, at, last_id = decode_cursor(q.cursor, str, (str, type(None)), int)
        if phase not in ("d", "u") or (phase == "d") != (at is not None):
            raise CursorError("not a cursor from this listing")
    with engine.connect() as conn:
        conds = _recap_filters(conn, q)
        if conds is None:
            return Page([])
        base = _recap_select().where(*conds)
        rows = []
        if phase == "d":
            stmt = base.where(Recap.published_at.is_not(None))
            if at is not None:
                stmt = stmt.where(tuple_(Recap.published_at, Recap.id)
                                  < tuple_(literal(_at(at), UTC_TYPE), literal(last_id)))
            stmt = stmt.order_by(Recap.published_at.desc(), Recap.id.desc()).limit(limit + 1)
            rows = list(conn.execute(stmt))
        if len(rows) <= limit and q.since is None and q.until is None:
            stmt = base.where(Recap.published_at.is_(None))
            if phase == "u":
                stmt = stmt.where(Recap.id < last_id)
            stmt = stmt.order_by(Recap.id.desc()).limit(limit + 1 - len(rows))
            rows += list(conn.execute(stmt))
        more, rows = len(rows) > limit, rows[:limit]
        items = recap_dicts(conn, rows)
    cursor = None
    if more:
        last = rows[-1]
        cursor = (encode_cursor("d", last.published_at.isoformat(), last.id)
                  if last.published_at else encode_cursor("u", None, last.id))
    return Page(items, cursor)


# -- shows, episodes ------------------------------------------------------------------------
def list_shows(engine: Engine, text: str | None = None, platform: str | None = None,
               network: str | None = None, limit: int | None = None,
               cursor: str | None = None) -> Page:
    """Shows by title (normalised), with episode and recap counts and platforms."""
    limit = _limit(limit)
    stmt = select(Show.id, Show.title, Show.key)
    text = clean_text(text)
    if text:
        key = show_key(text) or text.casefold()
        stmt = stmt.where(Show.id.in_(select(ShowAlias.show_id)
                                      .where(ShowAlias.key.contains(key, autoescape=True))))
    for column, value in ((Recap.platform, platform), (Recap.network, network)):
        if clean_text(value):
            stmt = stmt.where(Show.id.in_(select(Recap.show_id).where(
                func.lower(column) == clean_text(value).lower())))
    if cursor:
        key, last_id = decode_cursor(cursor, str, int)
        stmt = stmt.where(tuple_(Show.key, Show.id) > tuple_(literal(key), literal(last_id)))
    stmt = stmt.order_by(Show.key, Show.id).limit(limit + 1)
    with engine.connect() as conn:
        rows = list(conn.execute(stmt))
        more, rows = len(rows) > limit, rows[:limit]
        items = show_summaries(conn, [(r.id, r.title) for r in rows])
    next_cursor = encode_cursor(rows[-1].key, rows[-1].id) if more else None
    return Page(items, next_cursor)


def show_summaries(conn, shows: list[tuple[int, str]]) -> list[dict]:
    ids = [i for i, _ in shows]
    if not ids:
        return []
    episodes = dict(conn.execute(select(Episode.show_id, func.count()).where(
        Episode.show_id.in_(ids)).group_by(Episode.show_id)).all())
    recaps: dict[int, tuple] = {}
    for show_id, n, latest in conn.execute(
            select(Recap.show_id, func.count(), func.max(Recap.published_at))
            .where(Recap.show_id.in_(ids)).group_by(Recap.show_id)):
        recaps[show_id] = (n, latest)
    platforms = _facts(conn, Recap.platform, ids)
    return [{"id": i, "title": t, "episodes": episodes.get(i, 0),
             "recaps": recaps.get(i, (0, None))[0],
             "latest_recap_at": _iso(recaps.get(i, (0, None))[1]),
             "platforms": [p["name"] for p in platforms.get(i, [])]}
            for i, t in shows]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _facts(conn, column, show_ids: list[int]) -> dict[int, list[dict]]:
    """Per show: each platform (or network) recaps stated, how often and by which sites."""
    stmt = (select(Recap.show_id, column, Site.domain, func.count())
            .join(Site, Site.id == Recap.site_id)
            .where(Recap.show_id.in_(show_ids), column.is_not(None))
            .group_by(Recap.show_id, column, Site.domain))
    found: dict[int, dict[str, dict]] = {}
    for show_id, value, domain, n in conn.execute(stmt):
        fact = found.setdefault(show_id, {}).setdefault(value, {"name": value, "recaps": 0,
                                                                "sites": []})
        fact["recaps"] += n
        fact["sites"].append(domain)
    return {show_id: sorted(({**f, "sites": sorted(f["sites"])} for f in facts.values()),
                            key=lambda f: (-f["recaps"], f["name"]))
            for show_id, facts in found.items()}


def get_show(engine: Engine, show_id: int) -> dict | None:
    """A show with its aliases, platforms and networks (with their sources) and its
    episode guide by season."""
    with engine.connect() as conn:
        show = conn.execute(select(Show.id, Show.title).where(Show.id == show_id)).first()
        if show is None:
            return None
        aliases = conn.scalars(select(ShowAlias.alias).where(ShowAlias.show_id == show_id)
                               .order_by(ShowAlias.id)).all()
        counts = (select(RecapEpisode.episode_id, func.count().label("n"))
                  .join(Episode, Episode.id == RecapEpisode.episode_id)
                  .where(Episode.show_id == show_id)
                  .group_by(RecapEpisode.episode_id).subquery())
        episodes = conn.execute(
            select(Episode.season, Episode.number, Episode.title, Episode.release_date,
                   Episode.finale, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.episode_id == Episode.id)
            .where(Episode.show_id == show_id).order_by(Episode.season, Episode.number)).all()
        summary = show_summaries(conn, [(show.id, show.title)])[0]
        platforms = _facts(conn, Recap.platform, [show_id]).get(show_id, [])
        networks = _facts(conn, Recap.network, [show_id]).get(show_id, [])
    seasons: dict[int, list[dict]] = {}
    for season, number, title, release, finale, n in episodes:
        seasons.setdefault(season, []).append({
            "season": season, "episode": number, "title": title,
            "release_date": release.isoformat() if release else None,
            "finale": bool(finale), "recaps": n})
    return {**summary, "aliases": [a for a in aliases if a != show.title],
            "platforms": platforms, "networks": networks,
            "seasons": [{"season": s, "episodes": eps} for s, eps in sorted(seasons.items())]}


def get_episode(engine: Engine, show_id: int, season: int, number: int) -> dict | None:
    """One episode with every recap of it (newest first) and its neighbours."""
    with engine.connect() as conn:
        ep = conn.execute(
            select(Episode.id, Episode.title, Episode.release_date, Episode.finale,
                   Show.title.label("show"))
            .join(Show, Show.id == Episode.show_id)
            .where(Episode.show_id == show_id, Episode.season == season,
                   Episode.number == number)).first()
        if ep is None:
            return None
        rows = list(conn.execute(
            _recap_select().join(RecapEpisode, RecapEpisode.recap_id == Recap.id)
            .where(RecapEpisode.episode_id == ep.id)
            .order_by(Recap.published_at.is_(None), Recap.published_at.desc(), Recap.id.desc())
            .limit(MAX_EPISODE_RECAPS)))
        recaps = recap_dicts(conn, rows)
        here = tuple_(Episode.season, Episode.number)
        key = tuple_(literal(season), literal(number))
        neighbours = {}
        for name, cond, order in (("previous", here < key, (Episode.season.desc(),
                                                             Episode.number.desc())),
                                  ("next", here > key, (Episode.season, Episode.number))):
            found = conn.execute(select(Episode.season, Episode.number)
                                 .where(Episode.show_id == show_id, cond)
                                 .order_by(*order).limit(1)).first()
            neighbours[name] = ({"season": found[0], "episode": found[1]} if found else None)
    return {"show_id": show_id, "show": ep.show, "season": season, "episode": number,
            "title": ep.title, "finale": bool(ep.finale),
            "release_date": ep.release_date.isoformat() if ep.release_date else None,
            "platforms": sorted({r["platform"] for r in recaps if r["platform"]}),
            "sites": sorted({r["site"] for r in recaps}),
            **neighbours, "recaps": recaps}


# -- home page ---------------------------------------------------------------------------
def shows_with_new_episodes(engine: Engine, shows: int = 12, window: int = 400) -> list[dict]:
    """Shows of the newest recaps, each with the newest episode those recaps cover."""
    recent = (select(Recap.id, Recap.show_id, Recap.published_at)
              .where(Recap.published_at.is_not(None), Recap.show_id.is_not(None))
              .order_by(Recap.published_at.desc(), Recap.id.desc()).limit(window).subquery())
    stmt = (select(recent.c.show_id, Show.title, Episode.season, Episode.number,
                   recent.c.published_at)
            .join(Show, Show.id == recent.c.show_id)
            .join(RecapEpisode, RecapEpisode.recap_id == recent.c.id)
            .join(Episode, Episode.id == RecapEpisode.episode_id)
            .order_by(recent.c.published_at.desc(), recent.c.id.desc()))
    found: dict[int, dict] = {}
    with engine.connect() as conn:
        for show_id, title, season, number, published in conn.execute(stmt):
            entry = found.setdefault(show_id, {"show_id": show_id, "show": title, "season": season,
                                               "episode": number, "recaps": 0,
                                               "latest_recap_at": _iso(published)})
            entry["recaps"] += 1
            if (season, number) > (entry["season"], entry["episode"]):
                entry["season"], entry["episode"] = season, number
    return list(found.values())[:shows]


def list_sites(engine: Engine, names_by_domain: dict[str, str] | None = None) -> list[dict]:
    """Sites with their coverage (recaps, first and last publish date) and last crawl run."""
    from storage.models import CrawlRun

    names_by_domain = names_by_domain or {}
    with engine.connect() as conn:
        sites = conn.execute(select(Site.id, Site.domain, Site.name).order_by(Site.domain)).all()
        coverage = {site_id: (n, first, last) for site_id, n, first, last in conn.execute(
            select(Recap.site_id, func.count(), func.min(Recap.published_at),
                   func.max(Recap.published_at)).group_by(Recap.site_id))}
        runs = conn.execute(select(CrawlRun.id, CrawlRun.sites, CrawlRun.started_at,
                                   CrawlRun.finished_at, CrawlRun.status)
                            .order_by(CrawlRun.started_at.desc()).limit(500)).all()
    out = []
    for site_id, domain, name in sites:
        n, first, last = coverage.get(site_id, (0, None, None))
        names = {domain, names_by_domain.get(domain), name} - {None}
        run = next((r for r in runs if names & set(r.sites or [])), None)
        out.append({
            "domain": domain, "name": name or names_by_domain.get(domain), "recaps": n,
            "first_published_at": _iso(first), "last_published_at": _iso(last),
            "last_run": None if run is None else {
                "id": run.id, "status": run.status, "started_at": _iso(run.started_at),
                "finished_at": _iso(run.finished_at)},
        })
    return out

