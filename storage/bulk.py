"""A write batch's statements: what :mod:`storage.upserts` decides, written in bulk.

Deciding a row (new, unchanged, a copy, a revision) reads only what the batch
already knows (:class:`storage.upserts.BatchLookup`); the writes it implies are
gathered in a :class:`BatchWrites` and sent in a few ``executemany`` statements
per batch: sites, shows and aliases, episodes, recaps, their episode links, facts
and near-duplicate bands, copies and revisions. Every insert is ``ON CONFLICT``
safe or runs in a savepoint, so concurrent writers still produce one row per key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import dialect_insert as _insert
from storage.fulltext import index_new_recaps
from storage.identity import resolve_shows, split_season_number
from storage.models import (
    Episode,
    EpisodeFact,
    Recap,
    RecapCopy,
    RecapEpisode,
    RecapRevision,
    Show,
    ShowFact,
    Site,
    utcnow,
)

if TYPE_CHECKING:
    from storage.upserts import BatchLookup, RecapRow

CHUNK = 500  # ids or keys per IN (...) list


def chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass(slots=True)
class RecapState:
    """What a revision keeps of a stored recap, as the batch last wrote or read it."""

    fingerprint: str
    headline: str
    body_length: int
    url: str
    modified_at: datetime | None


class BatchWrites:
    """Writes decided for one batch, sent by :meth:`flush` (and by the inserts, which
    need ids at once). Copies and revisions keep their order; a recap replaced twice
    in a batch is updated twice, and ends with the links, facts and bands of its
    last content."""

    def __init__(self, conn: Connection, known: BatchLookup):
        self.conn, self.known = conn, known
        self.copies: list[dict] = []
        self.revisions: list[dict] = []
        self.replaces: list[tuple[int, RecapRow, bool]] = []  # recap id, content, from_copy

    # -- decisions -------------------------------------------------------------
    def copy(self, url: str, recap_id: int, reason: str) -> None:
        self.copies.append({"url": url, "recap_id": recap_id, "reason": reason,
                            "seen_at": utcnow()})

    def revision(self, recap_id: int, row: RecapRow) -> None:
        """Keep the stored version of ``recap_id`` before ``row`` replaces it."""
        old = self.known.state_of(self.conn, recap_id)
        self.revisions.append({
            "recap_id": recap_id, "revised_at": utcnow(), "old_fingerprint": old.fingerprint,
            "new_fingerprint": row.fingerprint, "old_headline": old.headline,
            "new_headline": row.headline, "old_body_length": old.body_length or 0,
            "new_body_length": len(row.body), "old_url": old.url,
            "old_modified_at": old.modified_at})

    def replace(self, recap_id: int, row: RecapRow, keep_as_copy: str | None = None,
                from_copy: bool = False) -> None:
        """Put ``row``'s content in recap ``recap_id``; its previous address becomes a copy."""
        previous_url = self.known.state_of(self.conn, recap_id).url
        if row.show and row.episodes and row.season is None:
            # its season is inferred from the stored episodes: write what came before
            self.flush()
            self.replaces.append((recap_id, row, from_copy))
            self.flush()
        else:
            self.replaces.append((recap_id, row, from_copy))
        if keep_as_copy and previous_url and previous_url != row.url:
            self.copy(previous_url, recap_id, keep_as_copy)
        self.known.remember(recap_id, row, from_copy)

    # -- inserts ---------------------------------------------------------------
    def insert_fresh(self, rows: list[RecapRow]) -> bool:
        """Insert plainly new recaps in bulk; False (no recap written) if another writer
        stored one of them first, so that the caller decides them one by one."""
        values = self.values(rows)
        now = utcnow()
        try:
            with self.conn.begin_nested():
                self.conn.execute(_insert(self.conn, Recap), [
                    {**v, "first_seen_at": now, "updated_at": now, "from_copy": False}
                    for v in values])
        except IntegrityError:
            return False
        ids: dict[str, int] = {}
        for chunk in chunks([row.canonical_url for row in rows]):
            ids.update(self.conn.execute(select(Recap.canonical_url, Recap.id)
                                         .where(Recap.canonical_url.in_(chunk))).all())
        index_new_recaps(self.conn, list(ids.values()))
        items = [(ids[row.canonical_url], row, v["show_id"]) for row, v in zip(rows, values)]
        self._attach(items)
        for recap_id, row, _ in items:
            self.known.remember(recap_id, row, False)
        return True

    def insert_one(self, row: RecapRow, from_original: bool) -> int | None:
        """Insert one new recap; None if another writer stored it (its URL or its
        fingerprint) meanwhile."""
        self.flush()  # what it conflicts with must be in the store
        [values] = self.values([row])
        now = utcnow()
        # No conflict target: a clash on the URL *or* the fingerprint inserts nothing.
        recap_id = self.conn.execute(
            _insert(self.conn, Recap).values(**values, first_seen_at=now, updated_at=now,
                                             from_copy=not from_original)
            .on_conflict_do_nothing().returning(Recap.id)).scalar()
        if recap_id is not None:
            index_new_recaps(self.conn, [recap_id])
            self._attach([(recap_id, row, values["show_id"])])
            self.known.remember(recap_id, row, not from_original)
        return recap_id

    def _attach(self, items: list[tuple[int, RecapRow, int | None]]) -> None:
        """Episode links, facts and bands of newly inserted recaps."""
        prefetch_episodes(self.conn, [(row, show) for _, row, show in items], self.known)
        links, bands, episode_facts, show_facts = [], [], [], []
        for recap_id, row, show in items:
            episode_ids = episode_ids_of(self.conn, row, show, self.known)
            links.extend({"recap_id": recap_id, "episode_id": e} for e in episode_ids)
            bands.extend((b, recap_id) for b in set(row.bands))
            ep_facts, sh_facts = facts_of(recap_id, show, episode_ids, row, self.known)
            episode_facts += ep_facts
            show_facts += sh_facts
        self._insert_links(links, bands, episode_facts, show_facts)

    def _insert_links(self, links: list[dict], bands: list[tuple[int, int]],
                      episode_facts: list[dict], show_facts: list[dict]) -> None:
        conn = self.conn
        write_facts(conn, episode_facts, show_facts)
        write_bands(conn, "insert", bands)  # in index order: each page visited once
        if links:
            conn.execute(_insert(conn, RecapEpisode).on_conflict_do_nothing(), links)

    # -- values of a recap row ---------------------------------------------------
    def values(self, rows: list[RecapRow]) -> list[dict[str, Any]]:
        """Column values of ``rows``; their sites and shows are found or created first."""
        sites = self.site_ids(rows)
        shows = self.show_ids(rows)
        return [recap_values(row, site, show) for row, site, show in zip(rows, sites, shows)]

    def site_ids(self, rows: list[RecapRow]) -> list[int]:
        known, conn = self.known.sites, self.conn
        missing: dict[str, str | None] = {}  # domain -> name of the first row naming it
        for row in rows:
            if row.site not in known and row.site not in missing:
                missing[row.site] = row.site_name

        def load(domains: list[str]) -> None:
            for chunk in chunks(domains):
                known.update(conn.execute(select(Site.domain, Site.id)
                                          .where(Site.domain.in_(chunk))).all())
        if missing:
            load(list(missing))
            new = [d for d in missing if d not in known]
            if new:
                now = utcnow()
                conn.execute(_insert(conn, Site).on_conflict_do_nothing(index_elements=["domain"]),
                             [{"domain": d, "name": missing[d], "created_at": now} for d in new])
                load(new)
        return [known[row.site] for row in rows]

    def show_ids(self, rows: list[RecapRow]) -> list[int | None]:
        named = [(i, split_season_number(row.show, row.season), row)
                 for i, row in enumerate(rows) if row.show]
        ids = resolve_shows(self.conn, [
            (title, list(row.show_aliases) + ([row.show] if title != row.show else []))
            for _, title, row in named], self.known.shows)
        out: list[int | None] = [None] * len(rows)
        for (i, _, _), show in zip(named, ids):
            out[i] = show
        return out

    # -- flush -------------------------------------------------------------------
    def flush(self) -> None:
        conn = self.conn
        if self.replaces:
            ops, self.replaces = self.replaces, []
            self._write_replaces(ops)
        if self.copies:
            conn.execute(_insert(conn, RecapCopy).on_conflict_do_nothing(index_elements=["url"]),
                         self.copies)
            self.copies = []
        if self.revisions:
            conn.execute(_insert(conn, RecapRevision), self.revisions)
            self.revisions = []

    def _write_replaces(self, ops: list[tuple[int, RecapRow, bool]]) -> None:
        conn, known = self.conn, self.known
        values = self.values([row for _, row, _ in ops])
        now = utcnow()
        last = {recap_id: i for i, (recap_id, _, _) in enumerate(ops)}
        ids = sorted(last)
        delete_bands(conn, ids)  # while the stored signatures are the old ones
        conn.execute(update(Recap).where(Recap.id == bindparam("recap_id")),
                     [{**v, "recap_id": recap_id, "updated_at": now, "from_copy": from_copy}
                      for (recap_id, _, from_copy), v in zip(ops, values)])
        for model in (RecapEpisode, EpisodeFact, ShowFact):
            for chunk in chunks(ids):
                conn.execute(delete(model).where(model.recap_id.in_(chunk)))
        prefetch_episodes(conn, [(row, v["show_id"]) for (_, row, _), v in zip(ops, values)],
                          known)
        links, bands, episode_facts, show_facts = [], [], [], []
        for i, ((recap_id, row, _), v) in enumerate(zip(ops, values)):
            # every content creates its episodes and touches its facts' subjects; the
            # recap keeps the links, facts and bands of its last content
            episode_ids = episode_ids_of(conn, row, v["show_id"], known)
            ep_facts, sh_facts = facts_of(recap_id, v["show_id"], episode_ids, row, known)
            if last[recap_id] != i:
                continue
            links.extend({"recap_id": recap_id, "episode_id": e} for e in episode_ids)
            bands.extend((b, recap_id) for b in set(row.bands))
            episode_facts += ep_facts
            show_facts += sh_facts
        self._insert_links(links, bands, episode_facts, show_facts)


# recap_bands is keyed (band_hash, recap_id) only, without an index on recap_id (one
# b-tree less for ~21 rows a recap, migration 0007): bands are deleted by their keys,
# computed again from the stored signature. New bands go to the small
# recap_bands_recent first and are moved into recap_bands in one sorted statement
# when it holds MERGE_BANDS_AT rows (a log-structured merge: a batch's random keys
# dirty the small table's cached pages, not one page each of the big one). Rows go as
# plain values, not through SQLAlchemy's per-row parameter handling (~3 us a row):
# SQLite takes an executemany, PostgreSQL one statement over two arrays (an
# executemany there is a statement a row).
MERGE_BANDS_AT = 200_000  # rows in recap_bands_recent (~10,000 recaps); env RECAPS_BANDS_MERGE_AT
_MERGE_CHECK_EVERY = 0.25  # count the recent table after a quarter of that many inserts
BANDS_OF = ("SELECT band_hash, recap_id FROM recap_bands WHERE band_hash IN ({values}) "
            "UNION ALL SELECT band_hash, recap_id FROM recap_bands_recent "
            "WHERE band_hash IN ({values})")
_BANDS_SQLITE = {
    "insert": ["INSERT INTO recap_bands_recent (band_hash, recap_id) VALUES (?, ?) "
               "ON CONFLICT DO NOTHING"],
    "delete": ["DELETE FROM recap_bands WHERE band_hash = ? AND recap_id = ?",
               "DELETE FROM recap_bands_recent WHERE band_hash = ? AND recap_id = ?"],
}
_BANDS_PG = {
    "insert": ["INSERT INTO recap_bands_recent (band_hash, recap_id) SELECT * FROM "
               "unnest(%s::bigint[], %s::integer[]) ON CONFLICT DO NOTHING"],
    "delete": [f"DELETE FROM {table} WHERE (band_hash, recap_id) IN "
               "(SELECT * FROM unnest(%s::bigint[], %s::integer[]))"
               for table in ("recap_bands", "recap_bands_recent")],
}
_MERGE_SQLITE = [  # one writer at a time: the two statements see the same rows
    "INSERT INTO recap_bands (band_hash, recap_id) SELECT band_hash, recap_id "
    "FROM recap_bands_recent WHERE true ORDER BY band_hash, recap_id ON CONFLICT DO NOTHING",
    "DELETE FROM recap_bands_recent",
]
_MERGE_PG = [  # one statement: exactly the rows it deletes are moved
    "WITH moved AS (DELETE FROM recap_bands_recent RETURNING band_hash, recap_id) "
    "INSERT INTO recap_bands (band_hash, recap_id) SELECT band_hash, recap_id FROM moved "
    "ORDER BY band_hash, recap_id ON CONFLICT DO NOTHING",
]


def merge_at() -> int:
    return int(os.environ.get("RECAPS_BANDS_MERGE_AT", MERGE_BANDS_AT))


def write_bands(conn: Connection, action: str, keys: list[tuple[int, int]]) -> None:
    """Insert (into the recent table) or delete (from both) (band hash, recap id) rows,
    in key order; after enough inserts, merge the recent table if it is full."""
    if not keys:
        return
    keys = sorted(keys)
    postgres = conn.dialect.name == "postgresql"
    for sql in (_BANDS_PG if postgres else _BANDS_SQLITE)[action]:
        if postgres:
            conn.exec_driver_sql(sql, ([k[0] for k in keys], [k[1] for k in keys]))
        else:
            conn.exec_driver_sql(sql, keys)
    if action == "insert":
        # counted per database connection (conn.info lives as long as it does)
        conn.info["bands_inserted"] = conn.info.get("bands_inserted", 0) + len(keys)
        if conn.info["bands_inserted"] >= merge_at() * _MERGE_CHECK_EVERY:
            conn.info["bands_inserted"] = 0
            if conn.exec_driver_sql("SELECT count(*) FROM recap_bands_recent").scalar() \
                    >= merge_at():
                merge_bands(conn)


def merge_bands(conn: Connection) -> None:
    """Move every row of recap_bands_recent into recap_bands."""
    for sql in _MERGE_PG if conn.dialect.name == "postgresql" else _MERGE_SQLITE:
        conn.exec_driver_sql(sql)


def delete_bands(conn: Connection, recap_ids: list[int]) -> None:
    """Remove the LSH bands of recaps, before their content is replaced."""
    from recapscraper.dedup import band_hashes

    keys = []
    for chunk in chunks(recap_ids):
        for recap_id, signature in conn.execute(select(Recap.id, Recap.minhash)
                                                .where(Recap.id.in_(chunk))):
            if signature:
                keys.extend((band, recap_id) for band in set(band_hashes(signature)))
    write_bands(conn, "delete", keys)


def recap_values(row: RecapRow, site: int, show: int | None) -> dict[str, Any]:
    published = row.published_at
    offset = None
    if published is not None and published.utcoffset() is not None:
        offset = int(published.utcoffset().total_seconds() // 60)
    return {
        "url": row.url, "canonical_url": row.canonical_url, "site_id": site, "show_id": show,
        "headline": row.headline, "kind": row.kind, "show_title": row.show,
        "season": row.season, "episodes": sorted(set(row.episodes)),
        "episode_title": row.episode_title, "finale": row.finale, "part": row.part,
        "platform": row.platform, "network": row.network, "author": row.author,
        "language": row.language, "published_at": published, "published_offset": offset,
        "modified_at": row.modified_at,
        "release_dates": [d.isoformat() for d in row.release_dates],
        "word_count": row.word_count,
        "body": row.body, "fingerprint": row.fingerprint, "fetched_at": row.fetched_at,
        "minhash": row.minhash, "schedule": row.schedule,
    }


# -- episodes ----------------------------------------------------------------------
def infer_season(conn: Connection, show: int, row: RecapRow) -> int:
    """The season a page means when it states none.

    None known yet: 1. One known: that one. Several: the one holding this episode
    number whose recaps were published nearest to this page; else the latest.
    """
    seasons = sorted(s for (s,) in conn.execute(
        select(Episode.season).where(Episode.show_id == show).distinct()))
    if len(seasons) <= 1:
        return seasons[0] if seasons else 1
    if row.published_at is not None and row.episodes:
        nearest = conn.execute(
            select(Episode.season, func.min(Recap.published_at), func.max(Recap.published_at))
            .join(RecapEpisode, RecapEpisode.episode_id == Episode.id)
            .join(Recap, Recap.id == RecapEpisode.recap_id)
            .where(Episode.show_id == show, Episode.number == min(row.episodes))
            .group_by(Episode.season)).all()
        dated = [(abs((lo - row.published_at).total_seconds()), s)
                 for s, lo, _hi in nearest if lo is not None]
        if dated:
            return min(dated)[1]
    return seasons[-1]


def episode_id(conn: Connection, show: int, season: int, number: int, known: BatchLookup,
               title: str | None = None, release: date | None = None,
               finale: bool = False) -> int:
    ident = (show, season, number)
    current = known.episodes.get(ident)
    if current is None:
        new_id = conn.execute(_insert(conn, Episode).values(
            show_id=show, season=season, number=number, title=title, release_date=release,
            finale=finale).on_conflict_do_nothing().returning(Episode.id)).scalar()
        if new_id is not None:
            known.episodes[ident] = (new_id, title, release, finale)
            return new_id
        cols = (Episode.id, Episode.title, Episode.release_date, Episode.finale)
        current = tuple(conn.execute(select(*cols).where(
            Episode.show_id == show, Episode.season == season,
            Episode.number == number)).one())
    ep_id, known_title, known_release, known_finale = current
    fill: dict[str, Any] = {}  # what earlier recaps did not know; never overwrite
    if title and not known_title:
        fill["title"] = title
    if finale and not known_finale:
        fill["finale"] = True
    if fill:
        conn.execute(update(Episode).where(Episode.id == ep_id).values(**fill))
    known.episodes[ident] = (ep_id, known_title or title, known_release, known_finale or finale)
    return ep_id


def prefetch_episodes(conn: Connection, rows: list[tuple[RecapRow, int | None]],
                      known: BatchLookup) -> None:
    """Read the batch's episodes and create the missing ones, in one statement each."""
    wanted = set()
    for row, show in rows:
        if show is not None and row.episodes and row.season is not None:
            wanted.update((show, row.season, n) for n in row.episodes)
    wanted -= set(known.episodes)
    if not wanted:
        return
    cols = (Episode.id, Episode.show_id, Episode.season, Episode.number, Episode.title,
            Episode.release_date, Episode.finale)

    def load(keys: list[tuple[int, int, int]]) -> None:
        # IN lists on the three columns of the unique index: index searches (a row-value
        # IN would scan the whole table); only the wanted combinations are kept
        for chunk in chunks(keys):
            query = select(*cols).where(Episode.show_id.in_(sorted({k[0] for k in chunk})),
                                        Episode.season.in_(sorted({k[1] for k in chunk})),
                                        Episode.number.in_(sorted({k[2] for k in chunk})))
            for ep_id, show, season, number, title, release, finale in conn.execute(query):
                if (show, season, number) in wanted:
                    known.episodes[(show, season, number)] = (ep_id, title, release, finale)

    load(sorted(wanted))
    missing = sorted(wanted - set(known.episodes))
    if missing:
        conn.execute(_insert(conn, Episode).on_conflict_do_nothing(),
                     [{"show_id": sh, "season": se, "number": n, "finale": False}
                      for sh, se, n in missing])
        load(missing)


def episode_ids_of(conn: Connection, row: RecapRow, show: int | None,
                   known: BatchLookup) -> list[int]:
    if show is None or not row.episodes:
        return []
    season = row.season if row.season is not None else infer_season(conn, show, row)
    single = len(row.episodes) == 1
    return [episode_id(conn, show, season, number, known,
                       title=row.episode_title if single else None,
                       finale=row.finale and number == max(row.episodes))
            for number in sorted(set(row.episodes))]


# -- facts with provenance --------------------------------------------------------
SHOW_FACTS = ("platform", "network", "schedule")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def facts_of(recap_id: int, show: int | None, episode_ids: list[int], row: RecapRow,
             known: BatchLookup) -> tuple[list[dict], list[dict]]:
    """(episode facts, show facts) the recap states; marks their subjects touched."""
    episode_facts, show_facts = [], []
    if len(episode_ids) == 1 and len(row.release_dates) == 1:
        episode_facts.append({"episode_id": episode_ids[0], "field": "release_date",
                              "value": row.release_dates[0].isoformat(), "recap_id": recap_id,
                              "published_at": row.published_at})
        known.touched_episodes.add(episode_ids[0])
    if show is not None:
        stated = {"platform": row.platform, "network": row.network,
                  "schedule": schedule_label(row.schedule)}
        show_facts = [{"show_id": show, "field": field, "value": value,
                       "recap_id": recap_id, "published_at": row.published_at}
                      for field, value in stated.items() if value]
        if show_facts:
            known.touched_shows.add(show)
    return episode_facts, show_facts


def schedule_label(schedule: dict | None) -> str | None:
    """"Wed 08:00 UTC" from a record's schedule (its UTC form), or None."""
    utc = (schedule or {}).get("utc")
    if not utc or not utc.get("weekdays") or not utc.get("time"):
        return None
    days = ",".join(WEEKDAYS[d] for d in utc["weekdays"] if 0 <= d < 7)
    return f"{days} {utc['time']} UTC"


def write_facts(conn: Connection, episode_facts: list[dict], show_facts: list[dict]) -> None:
    if episode_facts:
        conn.execute(_insert(conn, EpisodeFact).on_conflict_do_nothing(), episode_facts)
    if show_facts:
        conn.execute(_insert(conn, ShowFact).on_conflict_do_nothing(), show_facts)


def _winners(conn: Connection, model, subject_col, subjects: set[int],
             fields: tuple[str, ...]) -> dict[tuple[int, str], str]:
    """Per (subject, field), the value with the most sources, then the earliest
    published source."""
    ranked: dict[tuple[int, str], tuple] = {}
    for chunk in chunks(sorted(subjects)):
        for subject, field, value, n, first in conn.execute(
                select(subject_col, model.field, model.value, func.count(),
                       func.min(model.published_at))
                .where(subject_col.in_(chunk), model.field.in_(fields))
                .group_by(subject_col, model.field, model.value)):
            rank = (-n, first is None, first.timestamp() if first else 0.0, value)
            if (subject, field) not in ranked or rank < ranked[subject, field][0]:
                ranked[subject, field] = (rank, value)
    return {key: value for key, (_rank, value) in ranked.items()}


def settle_facts(conn: Connection, known: BatchLookup) -> None:
    """Release dates of touched episodes, platform and network of touched shows (only
    the values that change are written)."""
    if known.touched_episodes:
        episodes = sorted(known.touched_episodes)
        won = _winners(conn, EpisodeFact, EpisodeFact.episode_id, known.touched_episodes,
                       ("release_date",))
        current = _current(conn, Episode, [Episode.release_date], episodes)
        changed = []
        for e in episodes:
            release = won.get((e, "release_date"))
            release = date.fromisoformat(release) if release is not None else None
            if current.get(e, (release,))[0] != release:
                changed.append({"ep": e, "release": release})
        if changed:
            conn.execute(update(Episode).where(Episode.id == bindparam("ep")).values(
                release_date=bindparam("release")), changed)
    if known.touched_shows:
        shows = sorted(known.touched_shows)
        won = _winners(conn, ShowFact, ShowFact.show_id, known.touched_shows, SHOW_FACTS)
        current = _current(conn, Show, [getattr(Show, f) for f in SHOW_FACTS], shows)
        for i, field in enumerate(SHOW_FACTS):
            values = [{"sid": sid, "value": won[sid, field]} for sid in shows
                      if (sid, field) in won and current.get(sid, (None,) * 3)[i] != won[sid, field]]
            if values:
                conn.execute(update(Show).where(Show.id == bindparam("sid")).values(
                    {field: bindparam("value")}), values)
    known.touched_episodes.clear()
    known.touched_shows.clear()


def _current(conn: Connection, model, columns: list, ids: list[int]) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    for chunk in chunks(ids):
        for row_id, *values in conn.execute(select(model.id, *columns)
                                            .where(model.id.in_(chunk))):
            out[row_id] = tuple(values)
    return out
