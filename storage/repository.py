"""Every query and upsert of the recap store.

Writes are idempotent and safe with several writers: uniqueness lives in the
database (unique constraints + ``INSERT ... ON CONFLICT``), and a record that
loses a race is re-read instead of written twice.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import writer
from storage.models import (
    CrawlRun,
    Episode,
    Recap,
    RecapCopy,
    RecapEpisode,
    Show,
    ShowAlias,
    Site,
    utcnow,
)

NEW, UPDATED, UNCHANGED, DUPLICATE = "new", "updated", "unchanged", "duplicate"
_PUNCT_RE = re.compile(r"[^\w\s]|_", re.UNICODE)


def show_key(title: str) -> str:
    """Normalised show title: case, accents, quotes and punctuation folded.

    "Shōgun" and "Shogun" share a key; so do "Soundtrack #2" and "Soundtrack 2".
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    return " ".join(_PUNCT_RE.sub(" ", text).split())


@dataclass(slots=True)
class RecapRow:
    """What the pipelines hand to storage: one normalised, validated recap."""

    url: str
    canonical_url: str
    site: str
    headline: str
    kind: str
    fingerprint: str
    body: str = ""
    show: str | None = None
    season: int | None = None
    episodes: Sequence[int] = ()
    episode_title: str | None = None
    finale: bool = False
    part: int | None = None
    platform: str | None = None
    network: str | None = None
    author: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    release_dates: Sequence[date] = ()
    word_count: int = 0
    fetched_at: datetime | None = None
    site_name: str | None = None


def _insert(conn: Connection, model):
    dialect = conn.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


# -- sites, shows, episodes -------------------------------------------------
class BatchLookup:
    """What one write batch already knows: ids of sites, shows and episodes, and the
    recaps stored under the batch's canonical URLs and fingerprints (two queries
    for the whole batch instead of several per recap). Rows written by another
    process meanwhile are caught by the unique constraints and re-read."""

    def __init__(self, conn: Connection, rows: Sequence[RecapRow] = ()):
        self.sites: dict[str, int] = {}
        self.shows: dict[str, int] = {}
        self.episodes: dict[tuple[int, int, int], tuple] = {}  # -> id, title, release, finale
        self.by_url: dict[str, tuple] = {}
        self.by_fingerprint: dict[str, int] = {}
        urls = list({r.canonical_url for r in rows})
        fingerprints = list({r.fingerprint for r in rows})
        for chunk in _chunks(urls):
            for rec in conn.execute(select(Recap.id, Recap.fingerprint, Recap.url,
                                              Recap.from_copy, Recap.canonical_url)
                                       .where(Recap.canonical_url.in_(chunk))):
                self.by_url[rec.canonical_url] = tuple(rec)[:4]
        for chunk in _chunks(fingerprints):
            for rec_id, fp in conn.execute(select(Recap.id, Recap.fingerprint)
                                              .where(Recap.fingerprint.in_(chunk))):
                self.by_fingerprint[fp] = rec_id


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def get_or_create_site(conn: Connection, domain: str, name: str | None = None,
                       known: BatchLookup | None = None) -> int:
    if known and domain in known.sites:
        return known.sites[domain]
    site_id = conn.scalar(select(Site.id).where(Site.domain == domain))
    if site_id is None:
        stmt = _insert(conn, Site).values(domain=domain, name=name, created_at=utcnow())
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["domain"]))
        site_id = conn.scalar(select(Site.id).where(Site.domain == domain))
    if known:
        known.sites[domain] = site_id
    return site_id


def find_show(session: Session, title: str) -> Show | None:
    key = show_key(title)
    show_id = session.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))
    return session.get(Show, show_id) if show_id else None


def get_or_create_show(conn: Connection, title: str, known: BatchLookup | None = None) -> int:
    """The show a title names, by normalised key of its title or any alias."""
    key = show_key(title) or title.casefold()
    if known and key in known.shows:
        return known.shows[key]
    show_id = conn.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))
    if show_id is None:
        conn.execute(_insert(conn, Show).values(title=title, key=key, created_at=utcnow())
                     .on_conflict_do_nothing(index_elements=["key"]))
        new_id = conn.scalar(select(Show.id).where(Show.key == key))
        conn.execute(_insert(conn, ShowAlias).values(show_id=new_id, alias=title, key=key)
                     .on_conflict_do_nothing(index_elements=["key"]))
        show_id = conn.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))
    if known:
        known.shows[key] = show_id
    return show_id


def get_or_create_episode(conn: Connection, show_id: int, season: int, number: int,
                          title: str | None = None, release: date | None = None,
                          finale: bool = False, known: BatchLookup | None = None) -> int:
    ident = (show_id, season, number)
    current = known.episodes.get(ident) if known else None
    if current is None:
        where = (Episode.show_id == show_id, Episode.season == season, Episode.number == number)
        columns = (Episode.id, Episode.title, Episode.release_date, Episode.finale)
        new_id = conn.execute(_insert(conn, Episode).values(
            show_id=show_id, season=season, number=number, title=title, release_date=release,
            finale=finale).on_conflict_do_nothing().returning(Episode.id)).scalar()
        if new_id is not None:  # created with what this recap knows: nothing to fill
            if known:
                known.episodes[ident] = (new_id, title, release, finale)
            return new_id
        current = tuple(conn.execute(select(*columns).where(*where)).one())
    episode_id, known_title, known_release, known_finale = current
    # Fill what earlier recaps did not know; never overwrite a known value.
    fill = {}
    if title and not known_title:
        fill["title"] = title
    if release and not known_release:
        fill["release_date"] = release
    if finale and not known_finale:
        fill["finale"] = True
    if fill:
        conn.execute(update(Episode).where(Episode.id == episode_id).values(**fill))
    if known:
        known.episodes[ident] = (episode_id, known_title or title, known_release or release,
                                 known_finale or finale)
    return episode_id


def _link_episodes(conn: Connection, recap_id: int, row: RecapRow, known: BatchLookup | None,
                   fresh: bool = False) -> None:
    if not fresh:
        conn.execute(delete(RecapEpisode).where(RecapEpisode.recap_id == recap_id))
    if not row.show or not row.episodes:
        return
    show_id = get_or_create_show(conn, row.show, known)
    season = row.season or 1  # a page that states no season joins season 1
    release = row.release_dates[0] if len(row.release_dates) == 1 else None
    single = len(row.episodes) == 1
    links = []
    for number in sorted(set(row.episodes)):
        episode_id = get_or_create_episode(
            conn, show_id, season, number,
            title=row.episode_title if single else None,
            release=release if single else None,
            finale=row.finale and number == max(row.episodes), known=known)
        links.append({"recap_id": recap_id, "episode_id": episode_id})
    conn.execute(_insert(conn, RecapEpisode).values(links).on_conflict_do_nothing())


# -- recaps -------------------------------------------------------------------
def _recap_values(conn: Connection, row: RecapRow, known: BatchLookup | None) -> dict[str, Any]:
    published = row.published_at
    offset = None
    if published is not None and published.utcoffset() is not None:
        offset = int(published.utcoffset().total_seconds() // 60)
    site_id = get_or_create_site(conn, row.site, row.site_name, known)
    show_id = get_or_create_show(conn, row.show, known) if row.show else None
    return dict(
        url=row.url, canonical_url=row.canonical_url, site_id=site_id, show_id=show_id,
        headline=row.headline, kind=row.kind, show_title=row.show, season=row.season,
        episodes=sorted(set(row.episodes)), episode_title=row.episode_title,
        finale=row.finale, part=row.part, platform=row.platform, network=row.network,
        author=row.author, language=row.language, published_at=published,
        published_offset=offset, modified_at=row.modified_at,
        release_dates=[d.isoformat() for d in row.release_dates], word_count=row.word_count,
        body=row.body, fingerprint=row.fingerprint, fetched_at=row.fetched_at,
    )


def _add_copy(conn: Connection, url: str, recap_id: int, reason: str) -> None:
    conn.execute(_insert(conn, RecapCopy)
                    .values(url=url, recap_id=recap_id, reason=reason, seen_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["url"]))


def _existing(conn: Connection, row: RecapRow, known: BatchLookup | None) -> tuple | None:
    if known is not None:
        return known.by_url.get(row.canonical_url)
    found = conn.execute(select(Recap.id, Recap.fingerprint, Recap.url, Recap.from_copy)
                            .where(Recap.canonical_url == row.canonical_url)).first()
    return tuple(found) if found else None


def _twin(conn: Connection, fingerprint: str, known: BatchLookup | None) -> int | None:
    if known is not None:
        return known.by_fingerprint.get(fingerprint)
    return conn.scalar(select(Recap.id).where(Recap.fingerprint == fingerprint))


def upsert_recap(conn: Connection, row: RecapRow, *, url_key: str | None = None,
                 known: BatchLookup | None = None) -> str:
    """Store one recap; returns NEW, UPDATED, UNCHANGED or DUPLICATE.

    ``url_key`` is the canonical form of the address the page was fetched from;
    when it differs from ``row.canonical_url`` the page is another address of
    the canonical article (a copy, an AMP page, a URL variant).
    """
    from_original = url_key is None or url_key == row.canonical_url
    existing = _existing(conn, row, known)
    if existing is None:
        twin = _twin(conn, row.fingerprint, known)
        if twin is not None:
            _add_copy(conn, row.url, twin, "fingerprint")
            return DUPLICATE
        values = _recap_values(conn, row, known)
        now = utcnow()
        # No conflict target: a clash on the URL *or* the fingerprint inserts nothing.
        recap_id = conn.execute(
            _insert(conn, Recap).values(**values, first_seen_at=now, updated_at=now,
                                           from_copy=not from_original)
            .on_conflict_do_nothing().returning(Recap.id)).scalar()
        if recap_id is None:  # another writer stored it meanwhile: read what it stored
            if known is None:
                raise RuntimeError(f"recap {row.canonical_url} conflicts but cannot be found")
            return upsert_recap(conn, row, url_key=url_key, known=None)
        _link_episodes(conn, recap_id, row, known, fresh=True)
        if known is not None:
            known.by_url[row.canonical_url] = (recap_id, row.fingerprint, row.url,
                                               not from_original)
            known.by_fingerprint[row.fingerprint] = recap_id
        return NEW

    recap_id, fingerprint, stored_url, from_copy = existing
    stored_is_original = not from_copy
    if fingerprint == row.fingerprint and (not from_original or stored_is_original):
        if not from_original:
            _add_copy(conn, row.url, recap_id, "canonical-url")
            return DUPLICATE
        return UNCHANGED
    if not from_original and stored_is_original:
        _add_copy(conn, row.url, recap_id, "canonical-url")
        return DUPLICATE
    twin = _twin(conn, row.fingerprint, None)
    if twin is not None and twin != recap_id:  # now identical to another stored recap
        _add_copy(conn, row.url, twin, "fingerprint")
        return DUPLICATE
    # Changed content of the same article, or the original replacing its copy.
    with conn.begin_nested():
        values = _recap_values(conn, row, known)
        values.pop("canonical_url")
        conn.execute(update(Recap).where(Recap.id == recap_id).values(
            **values, updated_at=utcnow(), from_copy=not from_original))
        _link_episodes(conn, recap_id, row, known)
        if not stored_is_original and stored_url and stored_url != row.url:
            _add_copy(conn, stored_url, recap_id, "canonical-url")
    if known is not None:
        known.by_url[row.canonical_url] = (recap_id, row.fingerprint, row.url,
                                           not from_original)
        known.by_fingerprint[row.fingerprint] = recap_id
    return UPDATED


def store_batch(engine: Engine, rows: Iterable[tuple[RecapRow, str | None]]) -> Counter:
    """Write a batch in one transaction; returns counts by outcome."""
    rows = list(rows)
    counts: Counter = Counter()
    with writer(engine).begin() as conn:
        known = BatchLookup(conn, [r for r, _ in rows])
        for row, url_key in rows:
            counts[upsert_recap(conn, row, url_key=url_key, known=known)] += 1
    return counts


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
