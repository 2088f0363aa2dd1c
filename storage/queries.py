"""Read queries of the web API, the pages, the feeds and the CLI's query commands.

Everything here only reads, on an engine from ``open_reader(url)`` (storage.readonly:
the store opened read-only). Statements are built once, with bound parameters: every
value from outside reaches SQL as a parameter. Listings use keyset pagination over
a stable order; a cursor is an opaque token naming the last row of a page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache

from sqlalchemy import Engine, bindparam, func, literal, select, tuple_

from storage.models import Episode, Recap, RecapEpisode, Show, ShowAlias, Site, UTCDateTime
from storage.readonly import (  # noqa: F401  (re-exported for the web layer and the CLI)
    EXCERPT_CHARS,
    CursorError,
    Page,
    _at,
    clean_text,
    decode_cursor,
    encode_cursor,
    excerpt,
    local_iso,
    open_reader,
)
from storage.repository import show_key

DEFAULT_LIMIT = 20
MAX_LIMIT = 100  # rows per page
MAX_QUERY_CHARS = 200  # search text
MAX_EPISODE_RECAPS = 500  # recaps shown for one episode
UTC_TYPE = UTCDateTime()


def _limit(limit: int | None) -> int:
    return max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))


# -- recaps ------------------------------------------------------------------------------
RECAP_COLUMNS = (Recap.id, Recap.url, Recap.canonical_url, Recap.headline, Recap.kind,
                 Recap.show_id, Show.title.label("show"), Recap.season, Recap.episode_title, Recap.platform,
                 Recap.network, Recap.author, Recap.published_at, Recap.published_offset,
                 Recap.first_seen_at, Site.domain.label("site"), Site.name.label("site_name"),
                 func.substr(Recap.body, 1, EXCERPT_CHARS + 40).label("body_start"))


def _recap_select():
    return (select(*RECAP_COLUMNS).join(Site, Site.id == Recap.site_id)
            .outerjoin(Show, Show.id == Recap.show_id))


_LINKS = (select(RecapEpisode.recap_id, Episode.season, Episode.number)
          .join(Episode, Episode.id == RecapEpisode.episode_id)
          .where(RecapEpisode.recap_id.in_(bindparam("ids", expanding=True))))


def _episode_links(conn, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    links: dict[int, list[tuple[int, int]]] = {}
    if ids:
        for recap_id, season, number in conn.execute(_LINKS, {"ids": ids}):
            links.setdefault(recap_id, []).append((season, number))
    return links


def recap_dicts(conn, rows) -> list[dict]:
    links = _episode_links(conn, [r.id for r in rows])
    out = []
    for r in rows:
        linked = sorted(links.get(r.id, []))
        out.append({
            "id": r.id, "url": r.url, "canonical_url": r.canonical_url, "site": r.site, "site_name": r.site_name,
            "headline": r.headline, "kind": r.kind, "show": r.show, "show_id": r.show_id,
            "season": linked[0][0] if linked else r.season,
            "episodes": [n for _, n in linked], "episode_title": r.episode_title,
            "platform": r.platform, "network": r.network, "author": r.author,
            "published_at": local_iso(r.published_at, r.published_offset),
            "first_seen_at": _iso(r.first_seen_at), "excerpt": excerpt(r.body_start),
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


_SITE_ID = select(Site.id).where(Site.domain == bindparam("domain"))


def _filter_params(conn, q: RecapQuery) -> dict | None:
    """Bound values of the filters ``q`` sets; None when no recap can match."""
    params: dict = {name: value for name, value in (
        ("show_id", q.show_id), ("season", q.season), ("episode", q.episode)) if value is not None}
    for name in ("platform", "network", "kind"):
        if clean_text(getattr(q, name)):
            params[name] = clean_text(getattr(q, name)).lower()
    if clean_text(q.site):
        domain = clean_text(q.site).lower().removeprefix("www.")
        params["site_id"] = conn.scalar(_SITE_ID, {"domain": domain})
        if params["site_id"] is None:
            return None
    for name in ("since", "until"):
        if getattr(q, name) is not None:
            params[name] = day_start(getattr(q, name))
    return params


@lru_cache(maxsize=512)
def _listing(filters: frozenset[str], dated: bool, after: bool):
    """The recap listing statement for one combination of filters (values bound)."""
    conds = []
    if "show_id" in filters:
        conds.append(Recap.show_id == bindparam("show_id"))
    if "season" in filters or "episode" in filters:
        linked = select(RecapEpisode.recap_id).join(Episode, Episode.id == RecapEpisode.episode_id)
        for name, column in (("show_id", Episode.show_id), ("season", Episode.season),
                             ("episode", Episode.number)):
            if name in filters:
                linked = linked.where(column == bindparam(name))
        conds.append(Recap.id.in_(linked))
    for name, expr in (("platform", func.lower(Recap.platform)),
                       ("network", func.lower(Recap.network)), ("kind", Recap.kind),
                       ("site_id", Recap.site_id)):
        if name in filters:
            conds.append(expr == bindparam(name))
    if "since" in filters:
        conds.append(Recap.published_at >= bindparam("since", type_=UTC_TYPE))
    if "until" in filters:
        conds.append(Recap.published_at < bindparam("until", type_=UTC_TYPE))
    stmt = _recap_select().where(*conds)
    if dated:
        stmt = stmt.where(Recap.published_at.is_not(None))
        if after:
            stmt = stmt.where(tuple_(Recap.published_at, Recap.id)
                              < tuple_(bindparam("at", type_=UTC_TYPE), bindparam("last_id")))
        order = (Recap.published_at.desc(), Recap.id.desc())
    else:
        stmt = stmt.where(Recap.published_at.is_(None))
        if after:
            stmt = stmt.where(Recap.id < bindparam("last_id"))
        order = (Recap.id.desc(),)
    return stmt.order_by(*order).limit(bindparam("n"))


def list_recaps(engine: Engine, q: RecapQuery) -> Page:
    """Recaps newest first (dated ones by published_at, then undated by id)."""
    limit = _limit(q.limit)
    phase, at, last_id = "d", None, None
    if q.cursor:
        phase, at, last_id = decode_cursor(q.cursor, str, (str, type(None)), int)
        if phase not in ("d", "u") or (phase == "d") != (at is not None):
            raise CursorError("not a cursor from this listing")
    with engine.connect() as conn:
        params = _filter_params(conn, q)
        if params is None:
            return Page([])
        filters = frozenset(params)
        rows = []
        if phase == "d":
            stmt = _listing(filters, True, at is not None)
            rows = list(conn.execute(stmt, {**params, "n": limit + 1, "last_id": last_id,
                                            "at": _at(at) if at else None}))
        if len(rows) <= limit and q.since is None and q.until is None:
            stmt = _listing(filters, False, phase == "u")
            rows += list(conn.execute(stmt, {**params, "n": limit + 1 - len(rows),
                                             "last_id": last_id}))
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


_IDS = bindparam("ids", expanding=True)
_SHOW = select(Show.id, Show.title).where(Show.id == bindparam("show_id"))
_ALIASES = (select(ShowAlias.alias).where(ShowAlias.show_id == bindparam("show_id"))
            .order_by(ShowAlias.id))
_EPISODE_TOTALS = (select(Episode.show_id, func.count()).where(Episode.show_id.in_(_IDS))
                   .group_by(Episode.show_id))
_RECAP_TOTALS = (select(Recap.show_id, func.count(), func.max(Recap.published_at))
                 .where(Recap.show_id.in_(_IDS)).group_by(Recap.show_id))
_FACTS = (select(Recap.show_id, Recap.platform, Recap.network, Site.domain, func.count())
          .join(Site, Site.id == Recap.site_id).where(Recap.show_id.in_(_IDS))
          .group_by(Recap.show_id, Recap.platform, Recap.network, Site.domain))
_EPISODES = (select(Episode.id, Episode.season, Episode.number, Episode.title,
                    Episode.release_date, Episode.finale)
             .where(Episode.show_id == bindparam("show_id"))
             .order_by(Episode.season, Episode.number))
_COUNTS = (select(RecapEpisode.episode_id, func.count().label("n"))
           .join(Episode, Episode.id == RecapEpisode.episode_id)
           .where(Episode.show_id == bindparam("show_id"))
           .group_by(RecapEpisode.episode_id))
_EPISODE_RECAPS = (_recap_select().join(RecapEpisode, RecapEpisode.recap_id == Recap.id)
                   .where(RecapEpisode.episode_id == bindparam("episode_id"))
                   .order_by(Recap.published_at.is_(None), Recap.published_at.desc(),
                             Recap.id.desc())
                   .limit(MAX_EPISODE_RECAPS))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _facts(conn, show_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """Per show: each platform and network its recaps stated, how often, by which sites."""
    found: dict[int, dict[str, dict[str, dict]]] = {}
    for show_id, platform, network, domain, n in conn.execute(_FACTS, {"ids": show_ids}):
        for kind, value in (("platforms", platform), ("networks", network)):
            if value:
                fact = (found.setdefault(show_id, {}).setdefault(kind, {})
                        .setdefault(value, {"name": value, "recaps": 0, "sites": set()}))
                fact["recaps"] += n
                fact["sites"].add(domain)
    return {show_id: {kind: sorted(({**f, "sites": sorted(f["sites"])} for f in facts.values()),
                                   key=lambda f: (-f["recaps"], f["name"]))
                      for kind, facts in kinds.items()}
            for show_id, kinds in found.items()}


def show_summaries(conn, shows: list[tuple[int, str]], facts: dict | None = None) -> list[dict]:
    ids = [i for i, _ in shows]
    if not ids:
        return []
    episodes = dict(conn.execute(_EPISODE_TOTALS, {"ids": ids}).all())
    recaps = {show_id: (n, latest) for show_id, n, latest in conn.execute(_RECAP_TOTALS,
                                                                            {"ids": ids})}
    facts = facts if facts is not None else _facts(conn, ids)
    return [{"id": i, "title": t, "episodes": episodes.get(i, 0),
             "recaps": recaps.get(i, (0, None))[0],
             "latest_recap_at": _iso(recaps.get(i, (0, None))[1]),
             "platforms": [p["name"] for p in facts.get(i, {}).get("platforms", [])]}
            for i, t in shows]


def get_show(engine: Engine, show_id: int) -> dict | None:
    """A show with its aliases, platforms and networks (with the sites that stated
    them) and its episode guide by season, with recap counts."""
    params = {"show_id": show_id}
    with engine.connect() as conn:
        show = conn.execute(_SHOW, params).first()
        if show is None:
            return None
        aliases = conn.scalars(_ALIASES, params).all()
        counts = dict(conn.execute(_COUNTS, params).all())
        episodes = conn.execute(_EPISODES, params).all()
        facts = _facts(conn, [show_id])
        summary = show_summaries(conn, [(show.id, show.title)], facts)[0]
    seasons: dict[int, list[dict]] = {}
    for ep_id, season, number, title, release, finale in episodes:
        seasons.setdefault(season, []).append({
            "season": season, "episode": number, "title": title,
            "release_date": release.isoformat() if release else None,
            "finale": bool(finale), "recaps": counts.get(ep_id, 0)})
    return {**summary, "aliases": [a for a in aliases if a != show.title],
            "platforms": facts.get(show_id, {}).get("platforms", []),
            "networks": facts.get(show_id, {}).get("networks", []),
            "seasons": [{"season": s, "episodes": eps} for s, eps in sorted(seasons.items())]}


def get_episode(engine: Engine, show_id: int, season: int, number: int) -> dict | None:
    """One episode with every recap of it (newest first) and its neighbours."""
    with engine.connect() as conn:
        show = conn.execute(_SHOW, {"show_id": show_id}).first()
        episodes = conn.execute(_EPISODES, {"show_id": show_id}).all() if show else []
        at = next((i for i, e in enumerate(episodes) if (e.season, e.number) == (season, number)),
                  None)
        if at is None:
            return None
        ep = episodes[at]
        recaps = recap_dicts(conn, list(conn.execute(_EPISODE_RECAPS, {"episode_id": ep.id})))

    def ref(i: int):
        ok = 0 <= i < len(episodes)
        return {"season": episodes[i].season, "episode": episodes[i].number} if ok else None

    return {"show_id": show_id, "show": show.title, "season": season, "episode": number,
            "title": ep.title, "finale": bool(ep.finale),
            "release_date": ep.release_date.isoformat() if ep.release_date else None,
            "platforms": sorted({r["platform"] for r in recaps if r["platform"]}),
            "sites": sorted({r["site"] for r in recaps}),
            "previous": ref(at - 1), "next": ref(at + 1), "recaps": recaps}


def find_show_id(engine: Engine, name: str) -> int | None:
    """A show by id, by exact title or alias (normalised), or by a unique partial match."""
    name = clean_text(name) or ""
    if name.isdigit():
        return int(name) if int(name) < 2**31 else None
    key = show_key(name) or name.casefold()
    with engine.connect() as conn:
        found = conn.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))
        if found is None:
            matches = conn.scalars(select(ShowAlias.show_id).distinct()
                                   .where(ShowAlias.key.contains(key, autoescape=True))
                                   .limit(2)).all()
            found = matches[0] if len(matches) == 1 else None
    return found


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

