"""The write path: one recap per article, whatever its address, copies and revisions.

Writes are idempotent and safe with several writers: uniqueness lives in the
database (unique constraints + ``INSERT ... ON CONFLICT``), and a record that
loses a race is re-read instead of written twice. A batch is one transaction;
what a batch needs to know (stored recaps under its URLs, fingerprints and
near-duplicate bands; ids of sites, shows, episodes) is read once per batch.

Decisions for one incoming page, in order:
1. its canonical URL is stored: same content -> unchanged (no write), or a copy
   when the page is another address of it; changed content -> updated, with the
   previous version kept in ``recap_revisions``;
2. its exact body is stored under another URL -> a copy (``fingerprint``);
3. a near-identical body is stored (MinHash LSH bands in ``recap_bands``) -> a
   copy (``near-duplicate``);
   (a copy counts as a duplicate whichever of the two arrived first: when the
   original comes second it takes over the row and the stored page becomes the copy)
4. otherwise a new recap, linked to its show and episode(s), with the release
   date, platform and network it states recorded as facts with provenance.
In 2 and 3 the earlier-published page is the original: a copy that arrived first
is replaced by its original and kept as a copy.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import dialect_insert as _insert
from storage.db import writer
from storage.identity import prefetch_shows, resolve_show, split_season_number
from storage.models import (
    Episode,
    EpisodeFact,
    Recap,
    RecapBand,
    RecapCopy,
    RecapEpisode,
    RecapRevision,
    Show,
    ShowFact,
    Site,
    utcnow,
)
from storage.urlstate import save_states

NEW, UPDATED, UNCHANGED, DUPLICATE = "new", "updated", "unchanged", "duplicate"


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
    show_aliases: Sequence[str] = ()
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
    schedule: dict | None = None
    word_count: int = 0
    fetched_at: datetime | None = None
    site_name: str | None = None
    other_urls: Sequence[str] = ()  # addresses that redirected to this page
    minhash: bytes | None = None  # MinHash signature of the body (see recapscraper.dedup)
    bands: Sequence[int] = ()  # its LSH band hashes
    near_threshold: float = 0.5  # estimated Jaccard that makes a near-duplicate
    fetch_state: dict | None = None  # its URL's fetch state (storage/urlstate.py), if crawled


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class BatchLookup:
    """What one write batch already knows (read in a few queries for the batch)."""

    def __init__(self, conn: Connection, rows: Sequence[RecapRow] = ()):
        self.sites: dict[str, int] = {}
        self.shows: dict[str, int] = {}
        self.episodes: dict[tuple[int, int, int], tuple] = {}  # -> id, title, release, finale
        self.by_url: dict[str, tuple] = {}  # canonical -> id, fingerprint, url, from_copy
        self.by_fingerprint: dict[str, int] = {}
        self.by_band: dict[int, set[int]] = {}
        self.signatures: dict[int, tuple[bytes, datetime | None]] = {}
        self.touched_episodes: set[int] = set()  # facts changed: settle at batch end
        self.touched_shows: set[int] = set()
        cols = (Recap.id, Recap.fingerprint, Recap.url, Recap.from_copy, Recap.canonical_url)
        for chunk in _chunks(list({r.canonical_url for r in rows})):
            for rec in conn.execute(select(*cols).where(Recap.canonical_url.in_(chunk))):
                self.by_url[rec.canonical_url] = tuple(rec)[:4]
        for chunk in _chunks(list({r.fingerprint for r in rows})):
            for rec_id, fp in conn.execute(select(Recap.id, Recap.fingerprint)
                                           .where(Recap.fingerprint.in_(chunk))):
                self.by_fingerprint[fp] = rec_id
        bands = list({b for r in rows for b in r.bands})
        for chunk in _chunks(bands):
            for band, rec_id in conn.execute(select(RecapBand.band_hash, RecapBand.recap_id)
                                             .where(RecapBand.band_hash.in_(chunk))):
                self.by_band.setdefault(band, set()).add(rec_id)
        prefetch_shows(conn, [split_season_number(r.show, r.season) for r in rows if r.show],
                       self.shows)
        candidates = list({i for ids in self.by_band.values() for i in ids})
        for chunk in _chunks(candidates):
            for rec_id, sig, published in conn.execute(
                    select(Recap.id, Recap.minhash, Recap.published_at)
                    .where(Recap.id.in_(chunk))):
                self.signatures[rec_id] = (sig, published)

    def remember(self, recap_id: int, row: RecapRow, from_copy: bool) -> None:
        self.by_url[row.canonical_url] = (recap_id, row.fingerprint, row.url, from_copy)
        self.by_fingerprint[row.fingerprint] = recap_id
        for band in row.bands:
            self.by_band.setdefault(band, set()).add(recap_id)
        if row.minhash:
            self.signatures[recap_id] = (row.minhash, row.published_at)


# -- sites, episodes ------------------------------------------------------------
def site_id(conn: Connection, domain: str, name: str | None, known: BatchLookup) -> int:
    if domain in known.sites:
        return known.sites[domain]
    found = conn.scalar(select(Site.id).where(Site.domain == domain))
    if found is None:
        conn.execute(_insert(conn, Site).values(domain=domain, name=name, created_at=utcnow())
                     .on_conflict_do_nothing(index_elements=["domain"]))
        found = conn.scalar(select(Site.id).where(Site.domain == domain))
    known.sites[domain] = found
    return found


def show_id(conn: Connection, row: RecapRow, known: BatchLookup) -> int | None:
    if not row.show:
        return None
    title = split_season_number(row.show, row.season)
    aliases = list(row.show_aliases) + ([row.show] if title != row.show else [])
    return resolve_show(conn, title, aliases, known.shows)


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


# -- facts with provenance --------------------------------------------------------
def _winner(conn: Connection, model, subject_col, subject: int, field: str) -> str | None:
    """Most sources first, then the earliest published source."""
    return conn.scalar(select(model.value).where(subject_col == subject, model.field == field)
                       .group_by(model.value)
                       .order_by(func.count().desc(), func.min(model.published_at), model.value)
                       .limit(1))


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


SHOW_FACTS = ("platform", "network", "schedule")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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


def record_facts(conn: Connection, recap_id: int, show: int | None, episode_ids: list[int],
                 row: RecapRow, known: BatchLookup, fresh: bool = False) -> None:
    """Record what the recap states; the episode's and show's values are decided
    once per batch (:func:`settle_facts`)."""
    if not fresh:
        conn.execute(delete(EpisodeFact).where(EpisodeFact.recap_id == recap_id))
        conn.execute(delete(ShowFact).where(ShowFact.recap_id == recap_id))
    write_facts(conn, *facts_of(recap_id, show, episode_ids, row, known))


def _winners(conn: Connection, model, subject_col, subjects: set[int], field: str) -> dict:
    """Per subject, the value with the most sources, then the earliest published source."""
    ranked: dict[int, tuple] = {}
    for chunk in _chunks(sorted(subjects)):
        for subject, value, n, first in conn.execute(
                select(subject_col, model.value, func.count(), func.min(model.published_at))
                .where(subject_col.in_(chunk), model.field == field)
                .group_by(subject_col, model.value)):
            rank = (-n, first is None, first.timestamp() if first else 0.0, value)
            if subject not in ranked or rank < ranked[subject][0]:
                ranked[subject] = (rank, value)
    return {subject: value for subject, (_rank, value) in ranked.items()}


def settle_facts(conn: Connection, known: BatchLookup) -> None:
    """Release dates of touched episodes, platform and network of touched shows."""
    if known.touched_episodes:
        won = _winners(conn, EpisodeFact, EpisodeFact.episode_id, known.touched_episodes,
                       "release_date")
        conn.execute(update(Episode).where(Episode.id == bindparam("ep")).values(
            release_date=bindparam("release")),
            [{"ep": e, "release": date.fromisoformat(won[e]) if e in won else None}
             for e in sorted(known.touched_episodes)])
    for field in SHOW_FACTS:
        if known.touched_shows:
            won = _winners(conn, ShowFact, ShowFact.show_id, known.touched_shows, field)
            if won:
                conn.execute(update(Show).where(Show.id == bindparam("sid")).values(
                    {field: bindparam("value")}),
                    [{"sid": sid, "value": value} for sid, value in sorted(won.items())])
    known.touched_episodes.clear()
    known.touched_shows.clear()


def _prefetch_episodes(conn: Connection, rows: list[tuple[RecapRow, int | None]],
                       known: BatchLookup) -> None:
    """Create the batch's missing episodes in one statement and cache every id."""
    wanted = set()
    for row, show in rows:
        if show is not None and row.episodes and row.season is not None:
            wanted.update((show, row.season, n) for n in row.episodes)
    wanted -= set(known.episodes)
    if not wanted:
        return
    shows = sorted({w[0] for w in wanted})
    cols = (Episode.id, Episode.show_id, Episode.season, Episode.number, Episode.title,
            Episode.release_date, Episode.finale)

    def load() -> None:
        for chunk in _chunks(shows):
            for ep_id, show, season, number, title, release, finale in conn.execute(
                    select(*cols).where(Episode.show_id.in_(chunk))):
                if (show, season, number) in wanted:
                    known.episodes[(show, season, number)] = (ep_id, title, release, finale)

    load()
    missing = sorted(wanted - set(known.episodes))
    if missing:
        conn.execute(_insert(conn, Episode).on_conflict_do_nothing(),
                     [{"show_id": sh, "season": se, "number": n, "finale": False}
                      for sh, se, n in missing])
        load()


def _episode_ids(conn: Connection, row: RecapRow, show: int | None,
                 known: BatchLookup) -> list[int]:
    if show is None or not row.episodes:
        return []
    season = row.season if row.season is not None else infer_season(conn, show, row)
    single = len(row.episodes) == 1
    return [episode_id(conn, show, season, number, known,
                       title=row.episode_title if single else None,
                       finale=row.finale and number == max(row.episodes))
            for number in sorted(set(row.episodes))]


def link_episodes(conn: Connection, recap_id: int, row: RecapRow, show: int | None,
                  known: BatchLookup, fresh: bool = False) -> None:
    if not fresh:
        conn.execute(delete(RecapEpisode).where(RecapEpisode.recap_id == recap_id))
    ids = _episode_ids(conn, row, show, known)
    if ids:
        conn.execute(_insert(conn, RecapEpisode).on_conflict_do_nothing(),
                     [{"recap_id": recap_id, "episode_id": i} for i in ids])
    record_facts(conn, recap_id, show, ids, row, known, fresh)


# -- recaps ------------------------------------------------------------------------
def _values(conn: Connection, row: RecapRow, known: BatchLookup) -> dict[str, Any]:
    published = row.published_at
    offset = None
    if published is not None and published.utcoffset() is not None:
        offset = int(published.utcoffset().total_seconds() // 60)
    return dict(
        url=row.url, canonical_url=row.canonical_url,
        site_id=site_id(conn, row.site, row.site_name, known), show_id=show_id(conn, row, known),
        headline=row.headline, kind=row.kind, show_title=row.show, season=row.season,
        episodes=sorted(set(row.episodes)), episode_title=row.episode_title,
        finale=row.finale, part=row.part, platform=row.platform, network=row.network,
        author=row.author, language=row.language, published_at=published,
        published_offset=offset, modified_at=row.modified_at,
        release_dates=[d.isoformat() for d in row.release_dates], word_count=row.word_count,
        body=row.body, fingerprint=row.fingerprint, fetched_at=row.fetched_at,
        minhash=row.minhash, schedule=row.schedule,
    )


def _add_copy(conn: Connection, url: str, recap_id: int, reason: str) -> None:
    conn.execute(_insert(conn, RecapCopy)
                 .values(url=url, recap_id=recap_id, reason=reason, seen_at=utcnow())
                 .on_conflict_do_nothing(index_elements=["url"]))


def _set_bands(conn: Connection, recap_id: int, row: RecapRow, fresh: bool) -> None:
    if not fresh:
        conn.execute(delete(RecapBand).where(RecapBand.recap_id == recap_id))
    if row.bands:  # executemany: one cached statement, whatever the number of bands
        conn.execute(_insert(conn, RecapBand).on_conflict_do_nothing(),
                     [{"band_hash": b, "recap_id": recap_id} for b in set(row.bands)])


def _near_duplicate(row: RecapRow, known: BatchLookup) -> int | None:
    """The stored recap whose body is nearly this one's, or None."""
    if not row.minhash:
        return None
    from recapscraper.dedup import similarity

    best, best_score = None, row.near_threshold
    for candidate in {i for b in row.bands for i in known.by_band.get(b, ())}:
        signature = known.signatures.get(candidate, (None, None))[0]
        score = similarity(row.minhash, signature) if signature else 0.0
        if score >= best_score:
            best, best_score = candidate, score
    return best


def _is_earlier(row: RecapRow, stored_published: datetime | None) -> bool:
    return (row.published_at is not None and stored_published is not None
            and row.published_at < stored_published)


def upsert_recap(conn: Connection, row: RecapRow, *, url_key: str | None = None,
                 known: BatchLookup | None = None) -> str:
    """Store one recap; returns NEW, UPDATED, UNCHANGED or DUPLICATE.

    ``url_key`` is the canonical form of the address the page was fetched from;
    when it differs from ``row.canonical_url`` the page is another address of
    the canonical article (a copy, an AMP page, a URL variant).
    """
    if known is None:  # a single write: its own lookup, facts settled at once
        known = BatchLookup(conn, [row])
        outcome = upsert_recap(conn, row, url_key=url_key, known=known)
        settle_facts(conn, known)
        return outcome
    from_original = url_key is None or url_key == row.canonical_url
    existing = known.by_url.get(row.canonical_url)
    if existing is not None:
        return _upsert_existing(conn, row, existing, from_original, known)
    for reason, twin in (("fingerprint", known.by_fingerprint.get(row.fingerprint)),
                         ("near-duplicate", _near_duplicate(row, known))):
        if twin is None:
            continue
        twin_published = _published(conn, twin, known)
        if not _is_earlier(row, twin_published):
            _add_copy(conn, row.url, twin, reason)
            return DUPLICATE
        _replace(conn, twin, row, known, keep_as_copy=reason,  # the original came second
                 from_copy=not from_original)
        return DUPLICATE  # the row stays one recap; the stored page turned out a copy
    values = _values(conn, row, known)
    now = utcnow()
    # No conflict target: a clash on the URL *or* the fingerprint inserts nothing.
    recap_id = conn.execute(
        _insert(conn, Recap).values(**values, first_seen_at=now, updated_at=now,
                                    from_copy=not from_original)
        .on_conflict_do_nothing().returning(Recap.id)).scalar()
    if recap_id is None:  # another writer stored it meanwhile: read what it stored
        fresh = BatchLookup(conn, [row])
        if row.canonical_url not in fresh.by_url and row.fingerprint not in fresh.by_fingerprint:
            raise RuntimeError(f"recap {row.canonical_url} conflicts but cannot be found")
        return upsert_recap(conn, row, url_key=url_key, known=fresh)
    link_episodes(conn, recap_id, row, values["show_id"], known, fresh=True)
    _set_bands(conn, recap_id, row, fresh=True)
    known.remember(recap_id, row, not from_original)
    return NEW


def _published(conn: Connection, recap_id: int, known: BatchLookup) -> datetime | None:
    if recap_id in known.signatures:
        return known.signatures[recap_id][1]
    return conn.scalar(select(Recap.published_at).where(Recap.id == recap_id))


def _upsert_existing(conn: Connection, row: RecapRow, existing: tuple, from_original: bool,
                     known: BatchLookup) -> str:
    recap_id, fingerprint, stored_url, from_copy = existing
    stored_is_original = not from_copy
    if fingerprint == row.fingerprint and (not from_original or stored_is_original):
        if not from_original:
            _add_copy(conn, row.url, recap_id, "canonical-url")
            return DUPLICATE
        return UNCHANGED  # no write at all
    if not from_original and stored_is_original:
        _add_copy(conn, row.url, recap_id, "canonical-url")
        return DUPLICATE
    twin = known.by_fingerprint.get(row.fingerprint)
    if twin is None:
        twin = conn.scalar(select(Recap.id).where(Recap.fingerprint == row.fingerprint))
    if twin is not None and twin != recap_id:  # now identical to another stored recap
        _add_copy(conn, row.url, twin, "fingerprint")
        return DUPLICATE
    if stored_is_original:  # the article changed at its own address: keep the old version
        _keep_revision(conn, recap_id, row)
    _replace(conn, recap_id, row, known,
             keep_as_copy="canonical-url" if from_copy and stored_url != row.url else None,
             from_copy=not from_original)
    # a stored copy replaced by its original is a duplicate found, not a revision
    return DUPLICATE if from_copy and from_original else UPDATED


def _keep_revision(conn: Connection, recap_id: int, row: RecapRow) -> None:
    old = conn.execute(select(Recap.fingerprint, Recap.headline, func.length(Recap.body),
                              Recap.url, Recap.modified_at).where(Recap.id == recap_id)).one()
    conn.execute(_insert(conn, RecapRevision).values(
        recap_id=recap_id, revised_at=utcnow(), old_fingerprint=old[0],
        new_fingerprint=row.fingerprint, old_headline=old[1], new_headline=row.headline,
        old_body_length=old[2] or 0, new_body_length=len(row.body), old_url=old[3],
        old_modified_at=old[4]))


def _replace(conn: Connection, recap_id: int, row: RecapRow, known: BatchLookup,
             keep_as_copy: str | None = None, from_copy: bool = False) -> None:
    """Put ``row``'s content in recap ``recap_id``; its previous address becomes a copy."""
    previous_url = conn.scalar(select(Recap.url).where(Recap.id == recap_id))
    values = _values(conn, row, known)
    conn.execute(update(Recap).where(Recap.id == recap_id).values(
        **values, updated_at=utcnow(), from_copy=from_copy))
    link_episodes(conn, recap_id, row, values["show_id"], known)
    _set_bands(conn, recap_id, row, fresh=False)
    if keep_as_copy and previous_url and previous_url != row.url:
        _add_copy(conn, previous_url, recap_id, keep_as_copy)
    known.remember(recap_id, row, from_copy)


def store_batch(engine: Engine, rows: Iterable[tuple[RecapRow, str | None]],
                retries: int = 3) -> Counter:
    """Write a batch in one transaction; returns counts by outcome.

    Rows that are plainly new (no stored or earlier-in-batch recap under their URL,
    fingerprint or near-duplicate bands) are written in bulk; the others (copies,
    revisions, races) one by one after them. Rows are taken in canonical-URL order,
    so concurrent writers take locks in one order; a deadlock the database still
    reports is retried whole.
    """
    rows = sorted(rows, key=lambda pair: (pair[0].canonical_url, pair[0].url))
    for attempt in range(retries + 1):
        counts: Counter = Counter()
        try:
            with writer(engine).begin() as conn:
                known = BatchLookup(conn, [r for r, _ in rows])
                fresh, rest = _split_fresh(rows, known)
                if fresh and not _insert_fresh(conn, fresh, known):
                    rest = sorted(fresh + rest, key=lambda p: (p[0].canonical_url, p[0].url))
                    fresh = []
                counts[NEW] += len(fresh)
                for row, url_key in rest:
                    counts[upsert_recap(conn, row, url_key=url_key, known=known)] += 1
                _add_redirects(conn, [r for r, _ in rows if r.other_urls], known)
                settle_facts(conn, known)
                # With the recaps, so that a crawl that dies never skips a page it lost.
                save_states(conn, [r.fetch_state for r, _ in rows if r.fetch_state])
            return +counts
        except OperationalError as exc:
            if attempt == retries or not _is_transient(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _add_redirects(conn: Connection, rows: list[RecapRow], known: BatchLookup) -> None:
    """Addresses that redirected to a stored recap are copies of it."""
    for row in rows:
        stored = known.by_url.get(row.canonical_url)
        recap_id = stored[0] if stored else known.by_fingerprint.get(row.fingerprint)
        for url in row.other_urls:
            if recap_id is not None and url != row.url:
                _add_copy(conn, url, recap_id, "redirect")


def _split_fresh(rows: list[tuple[RecapRow, str | None]], known: BatchLookup):
    """(plainly new rows, rows that need the one-by-one decisions)."""
    from recapscraper.dedup import similarity

    fresh, rest = [], []
    urls, fingerprints = set(), set()
    bands: dict[int, list[bytes]] = {}
    for pair in rows:
        row, url_key = pair
        near = row.minhash is not None and any(
            similarity(row.minhash, sig) >= row.near_threshold
            for band in row.bands
            for sig in [known.signatures.get(i, (None,))[0] for i in known.by_band.get(band, ())]
            + bands.get(band, []) if sig)
        if (row.canonical_url in known.by_url or row.canonical_url in urls
                or row.fingerprint in known.by_fingerprint or row.fingerprint in fingerprints
                or near or (url_key is not None and url_key != row.canonical_url)):
            rest.append(pair)
            continue
        fresh.append(pair)
        urls.add(row.canonical_url)
        fingerprints.add(row.fingerprint)
        for band in row.bands:
            bands.setdefault(band, []).append(row.minhash)
    return fresh, rest


def _insert_fresh(conn: Connection, fresh: list[tuple[RecapRow, str | None]],
                  known: BatchLookup) -> bool:
    """Insert plainly new rows in bulk; False (nothing written) if another writer got
    there first, so the caller decides them one by one."""
    now = utcnow()
    values = [{**_values(conn, row, known), "first_seen_at": now, "updated_at": now,
               "from_copy": False} for row, _ in fresh]
    try:
        with conn.begin_nested():
            conn.execute(_insert(conn, Recap), values)
    except IntegrityError:
        return False
    ids = {}
    for chunk in _chunks([row.canonical_url for row, _ in fresh]):
        ids.update(conn.execute(select(Recap.canonical_url, Recap.id)
                                .where(Recap.canonical_url.in_(chunk))).all())
    _prefetch_episodes(conn, [(row, vals["show_id"]) for (row, _), vals in zip(fresh, values)],
                       known)
    bands, links, episode_facts, show_facts = [], [], [], []
    for (row, _), vals in zip(fresh, values):
        recap_id = ids[row.canonical_url]
        bands.extend({"band_hash": b, "recap_id": recap_id} for b in set(row.bands))
        episode_ids = _episode_ids(conn, row, vals["show_id"], known)
        links.extend({"recap_id": recap_id, "episode_id": e} for e in episode_ids)
        ep_facts, sh_facts = facts_of(recap_id, vals["show_id"], episode_ids, row, known)
        episode_facts += ep_facts
        show_facts += sh_facts
        known.remember(recap_id, row, False)
    write_facts(conn, episode_facts, show_facts)
    if bands:
        conn.execute(_insert(conn, RecapBand).on_conflict_do_nothing(), bands)
    if links:
        conn.execute(_insert(conn, RecapEpisode).on_conflict_do_nothing(), links)
    return True


def _is_transient(exc: OperationalError) -> bool:
    """Deadlocks and serialization failures: the same batch succeeds when retried."""
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40P01", "40001") or "database is locked" in str(exc.orig)
