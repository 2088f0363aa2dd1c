"""Queries of the recap store, crawl-run records, and the write path's entry points.

Writes live in :mod:`storage.upserts` (one recap per article) and show identity in
:mod:`storage.identity`; both are re-exported here so callers need one module.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.db import writer
from storage.identity import IdentityError, merge_shows, show_key, split_show
from storage.models import (
    CrawlRun,
    Episode,
    Recap,
    RecapCopy,
    RecapEpisode,
    RecapRevision,
    Show,
    ShowAlias,
    Site,
    utcnow,
)
from storage.upserts import (
    DUPLICATE,
    NEW,
    UNCHANGED,
    UPDATED,
    BatchLookup,
    RecapRow,
    store_batch,
    upsert_recap,
)

__all__ = ["DUPLICATE", "NEW", "UNCHANGED", "UPDATED", "BatchLookup", "IdentityError",
           "RecapRow", "merge_shows", "show_key", "split_show", "store_batch", "upsert_recap"]


def find_show(session: Session, title: str) -> Show | None:
    key = show_key(title)
    show_id = session.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))
    return session.get(Show, show_id) if show_id else None


def correct_shows(engine: Engine, action: str, first: str, second: str) -> str:
    """`shows merge KEEP OTHER` / `shows split SHOW ALIAS`; returns a one-line report."""
    with writer(engine).begin() as conn:
        if action == "merge":
            keep, _ = merge_shows(conn, first, second)
            return f"merged {second!r} into {first!r} (show {keep})"
        new = split_show(conn, first, second)
        return f"split {second!r} from {first!r} into show {new}"


# -- crawl runs ---------------------------------------------------------------
def start_run(engine: Engine, spider: str, sites: list[str]) -> int:
    with Session(writer(engine)) as session, session.begin():
        run = CrawlRun(spider=spider, sites=sites, started_at=utcnow(), status="running",
                       stats={})
        session.add(run)
        session.flush()
        return run.id


def finish_run(engine: Engine, run_id: int, status: str, stats: dict) -> None:
    with Session(writer(engine)) as session, session.begin():
        run = session.get(CrawlRun, run_id)
        if run is not None:
            run.finished_at = utcnow()
            run.status = status
            run.stats = stats


# -- queries --------------------------------------------------------------------
def totals(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            "shows": session.scalar(select(func.count()).select_from(Show)) or 0,
            "episodes": session.scalar(select(func.count()).select_from(Episode)) or 0,
            "recaps": session.scalar(select(func.count()).select_from(Recap)) or 0,
            "copies": session.scalar(select(func.count()).select_from(RecapCopy)) or 0,
            "revisions": session.scalar(select(func.count()).select_from(RecapRevision)) or 0,
            "sites": session.scalar(select(func.count()).select_from(Site)) or 0,
        }


def list_shows(engine: Engine, search: str | None = None) -> list[dict]:
    recaps = (select(Recap.show_id, func.count().label("n")).group_by(Recap.show_id)
              .subquery())
    episodes = (select(Episode.show_id, func.count().label("n")).group_by(Episode.show_id)
                .subquery())
    stmt = (select(Show.id, Show.title, func.coalesce(episodes.c.n, 0),
                   func.coalesce(recaps.c.n, 0))
            .outerjoin(episodes, episodes.c.show_id == Show.id)
            .outerjoin(recaps, recaps.c.show_id == Show.id)
            .order_by(Show.title, Show.id))
    if search:
        key = f"%{show_key(search)}%"
        stmt = stmt.where(Show.id.in_(select(ShowAlias.show_id).where(ShowAlias.key.like(key))))
    with Session(engine) as session:
        rows = session.execute(stmt).all()
        aliases: dict[int, list[str]] = {}
        for show_id, alias in session.execute(select(ShowAlias.show_id, ShowAlias.alias)
                                              .order_by(ShowAlias.id)):
            aliases.setdefault(show_id, []).append(alias)
    return [{"id": i, "title": t, "episodes": e, "recaps": r,
             "aliases": [a for a in aliases.get(i, []) if a != t]}
            for i, t, e, r in rows]


def resolve_show(engine: Engine, name: str) -> dict | None:
    """A show by id, exact key/alias, or a unique substring match."""
    with Session(engine) as session:
        if name.isdigit():
            show = session.get(Show, int(name))
        else:
            show = find_show(session, name)
        if show is None:
            matches = session.scalars(select(Show).where(Show.id.in_(
                select(ShowAlias.show_id).where(ShowAlias.key.like(f"%{show_key(name)}%")))))
            matches = list(matches)
            show = matches[0] if len(matches) == 1 else None
        return {"id": show.id, "title": show.title} if show else None


def list_episodes(engine: Engine, show_id: int) -> list[dict]:
    counts = (select(RecapEpisode.episode_id, func.count().label("n"))
              .group_by(RecapEpisode.episode_id).subquery())
    stmt = (select(Episode, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.episode_id == Episode.id)
            .where(Episode.show_id == show_id)
            .order_by(Episode.season, Episode.number))
    with Session(engine) as session:
        return [{"season": ep.season, "episode": ep.number, "title": ep.title,
                 "release_date": ep.release_date.isoformat() if ep.release_date else None,
                 "finale": ep.finale, "recaps": n}
                for ep, n in session.execute(stmt)]


@dataclass(slots=True)
class RecapFilter:
    show_id: int | None = None
    season: int | None = None
    episode: int | None = None
    platform: str | None = None
    site: str | None = None
    since: datetime | None = None
    limit: int | None = None


def list_recaps(engine: Engine, flt: RecapFilter) -> list[dict]:
    stmt = (select(Recap, Site.domain, Show.title)
            .join(Site, Site.id == Recap.site_id)
            .outerjoin(Show, Show.id == Recap.show_id))
    if flt.show_id is not None:
        stmt = stmt.where(Recap.show_id == flt.show_id)
    if flt.season is not None or flt.episode is not None:
        linked = select(RecapEpisode.recap_id).join(Episode, Episode.id == RecapEpisode.episode_id)
        if flt.season is not None:
            linked = linked.where(Episode.season == flt.season)
        if flt.episode is not None:
            linked = linked.where(Episode.number == flt.episode)
        stmt = stmt.where(Recap.id.in_(linked))
    if flt.platform:
        stmt = stmt.where(func.lower(Recap.platform) == flt.platform.lower())
    if flt.site:
        stmt = stmt.where(Site.domain == flt.site.lower().removeprefix("www."))
    if flt.since:
        since = flt.since if flt.since.tzinfo else flt.since.replace(tzinfo=timezone.utc)
        stmt = stmt.where(Recap.published_at >= since)
    stmt = stmt.order_by(Recap.published_at.desc(), Recap.id.desc())
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    with Session(engine) as session:
        rows = session.execute(stmt).all()
        ids = [r.Recap.id for r in rows]
        links: dict[int, list[tuple[int, int]]] = {}
        if ids:
            for recap_id, season, number in session.execute(
                    select(RecapEpisode.recap_id, Episode.season, Episode.number)
                    .join(Episode, Episode.id == RecapEpisode.episode_id)
                    .where(RecapEpisode.recap_id.in_(ids))):
                links.setdefault(recap_id, []).append((season, number))
    out = []
    for recap, domain, title in rows:
        linked = sorted(links.get(recap.id, []))
        out.append({
            "url": recap.url, "site": domain, "headline": recap.headline, "kind": recap.kind,
            "show": title, "show_id": recap.show_id,
            "season": linked[0][0] if linked else recap.season,
            "episodes": [n for _, n in linked],
            "platform": recap.platform, "network": recap.network,
            "published_at": _local_iso(recap.published_at, recap.published_offset),
            "author": recap.author,
        })
    return out


def _local_iso(value: datetime | None, offset: int | None) -> str | None:
    if value is None:
        return None
    if offset is not None:
        from datetime import timedelta

        value = value.astimezone(timezone(timedelta(minutes=offset)))
    return value.isoformat()


def busiest_episode(engine: Engine) -> dict | None:
    """The episode with the most recaps (ties: lowest id): a good first query to show."""
    stmt = (select(Show.title, Episode.season, Episode.number, func.count().label("n"))
            .join(Episode, Episode.show_id == Show.id)
            .join(RecapEpisode, RecapEpisode.episode_id == Episode.id)
            .group_by(Episode.id, Show.title, Episode.season, Episode.number)
            .order_by(func.count().desc(), Episode.id).limit(1))
    with Session(engine) as session:
        row = session.execute(stmt).first()
    return {"show": row[0], "season": row[1], "episode": row[2], "recaps": row[3]} if row else None
