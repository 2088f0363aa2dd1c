"""The write path: one recap per article, whatever its address, copies and revisions.

Writes are idempotent and safe with several writers: uniqueness lives in the
database (unique constraints + ``INSERT ... ON CONFLICT``), and a record that
loses a race is re-read instead of written twice. A batch is one transaction;
what a batch needs to know (stored recaps under its URLs, fingerprints and
near-duplicate bands; ids of sites, shows, episodes) is read once per batch, and
what it decides is written in a few bulk statements (:mod:`storage.bulk`).

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

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.bulk import BANDS_OF, BatchWrites, RecapState, chunks, settle_facts
from storage.db import select_in, writer
from storage.models import Recap
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


class BatchLookup:
    """What one write batch already knows (read in a few queries for the batch), and
    what it has decided since: the write path reads the store through this."""

    def __init__(self, conn: Connection, rows: Sequence[RecapRow] = ()):
        self.sites: dict[str, int] = {}
        self.shows: dict[str, int] = {}
        self.episodes: dict[tuple[int, int, int], tuple] = {}  # -> id, title, release, finale
        self.by_url: dict[str, tuple] = {}  # canonical -> id, fingerprint, url, from_copy
        self.by_fingerprint: dict[str, int] = {}
        self.by_band: dict[int, set[int]] = {}
        self.signatures: dict[int, tuple[bytes, datetime | None]] = {}
        self.published: dict[int, datetime | None] = {}  # recap id -> published_at
        self.states: dict[int, RecapState] = {}  # what a revision keeps, by recap id
        self.rechecked: dict[str, int] = {}  # fingerprint -> recap id, read again for updates
        self.touched_episodes: set[int] = set()  # facts changed: settle at batch end
        self.touched_shows: set[int] = set()
        self.bands_wanted: set[int] | None = None  # bands later lookups may ask (None: all)
        self._read(conn, rows)

    def _read(self, conn: Connection, rows: Sequence[RecapRow]) -> None:
        cols = (Recap.id, Recap.fingerprint, Recap.url, Recap.from_copy, Recap.canonical_url,
                Recap.published_at)
        for chunk in chunks(list({r.canonical_url for r in rows})):
            for rec in conn.execute(select(*cols).where(Recap.canonical_url.in_(chunk))):
                self.by_url[rec.canonical_url] = tuple(rec)[:4]
                self.published[rec.id] = rec.published_at
        self.read_fingerprints(conn, list({r.fingerprint for r in rows}))
        # a row found by its URL or fingerprint never asks for near-duplicates
        bands = list({b for r in rows if r.canonical_url not in self.by_url
                      and r.fingerprint not in self.by_fingerprint for b in r.bands})
        for band, rec_id in select_in(conn, BANDS_OF, bands):
            self.by_band.setdefault(band, set()).add(rec_id)
        candidates = list({i for ids in self.by_band.values() for i in ids} - set(self.signatures))
        for chunk in chunks(candidates):
            for rec_id, sig, published in conn.execute(
                    select(Recap.id, Recap.minhash, Recap.published_at)
                    .where(Recap.id.in_(chunk))):
                self.signatures[rec_id] = (sig, published)
                self.published[rec_id] = published

    def read_fingerprints(self, conn: Connection, fingerprints: list[str],
                          into: dict[str, int] | None = None) -> None:
        for chunk in chunks(fingerprints):
            for rec_id, fp, published in conn.execute(
                    select(Recap.id, Recap.fingerprint, Recap.published_at)
                    .where(Recap.fingerprint.in_(chunk))):
                (self.by_fingerprint if into is None else into)[fp] = rec_id
                self.published[rec_id] = published

    def reread(self, conn: Connection, row: RecapRow) -> bool:
        """Read again what the store holds for ``row`` (another writer stored it
        meanwhile); True if it is there now."""
        self._read(conn, [row])
        return row.canonical_url in self.by_url or row.fingerprint in self.by_fingerprint

    def read_states(self, conn: Connection, ids: Iterable[int]) -> None:
        cols = (Recap.id, Recap.fingerprint, Recap.headline, func.length(Recap.body), Recap.url,
                Recap.modified_at)
        for chunk in chunks(sorted(set(ids) - set(self.states))):
            for rec_id, *state in conn.execute(select(*cols).where(Recap.id.in_(chunk))):
                self.states[rec_id] = RecapState(*state)

    def state_of(self, conn: Connection, recap_id: int) -> RecapState:
        if recap_id not in self.states:
            self.read_states(conn, [recap_id])
        return self.states[recap_id]

    def published_of(self, conn: Connection, recap_id: int) -> datetime | None:
        if recap_id in self.signatures:
            return self.signatures[recap_id][1]
        if recap_id not in self.published:
            self.published[recap_id] = conn.scalar(select(Recap.published_at)
                                                   .where(Recap.id == recap_id))
        return self.published[recap_id]

    def remember(self, recap_id: int, row: RecapRow, from_copy: bool) -> None:
        self.by_url[row.canonical_url] = (recap_id, row.fingerprint, row.url, from_copy)
        self.by_fingerprint[row.fingerprint] = recap_id
        wanted = self.bands_wanted
        for band in row.bands if wanted is None else wanted.intersection(row.bands):
            self.by_band.setdefault(band, set()).add(recap_id)
        if row.minhash:
            self.signatures[recap_id] = (row.minhash, row.published_at)
        self.published[recap_id] = row.published_at
        self.states[recap_id] = RecapState(row.fingerprint, row.headline, len(row.body),
                                           row.url, row.modified_at)


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
                 known: BatchLookup | None = None, writes: BatchWrites | None = None) -> str:
    """Store one recap; returns NEW, UPDATED, UNCHANGED or DUPLICATE.

    ``url_key`` is the canonical form of the address the page was fetched from;
    when it differs from ``row.canonical_url`` the page is another address of
    the canonical article (a copy, an AMP page, a URL variant). Without ``writes``
    the decision is written at once.
    """
    if writes is None:  # a single write: its own lookup, facts settled at once
        single = known is None
        known = known if known is not None else BatchLookup(conn, [row])
        writes = BatchWrites(conn, known)
        outcome = _decide(conn, row, url_key, known, writes)
        writes.flush()
        if single:
            settle_facts(conn, known)
        return outcome
    return _decide(conn, row, url_key, known or writes.known, writes)


def _decide(conn: Connection, row: RecapRow, url_key: str | None, known: BatchLookup,
            writes: BatchWrites) -> str:
    from_original = url_key is None or url_key == row.canonical_url
    existing = known.by_url.get(row.canonical_url)
    if existing is not None:
        return _upsert_existing(row, existing, from_original, known, writes)
    for reason in ("fingerprint", "near-duplicate"):
        twin = (known.by_fingerprint.get(row.fingerprint) if reason == "fingerprint"
                else _near_duplicate(row, known))
        if twin is None:
            continue
        if not _is_earlier(row, known.published_of(conn, twin)):
            writes.copy(row.url, twin, reason)
            return DUPLICATE
        writes.replace(twin, row, keep_as_copy=reason,  # the original came second
                       from_copy=not from_original)
        return DUPLICATE  # the row stays one recap; the stored page turned out a copy
    if writes.insert_one(row, from_original) is None:
        # another writer stored it meanwhile: read what it stored
        if not known.reread(conn, row):
            raise RuntimeError(f"recap {row.canonical_url} conflicts but cannot be found")
        return _decide(conn, row, url_key, known, writes)
    return NEW


def _upsert_existing(row: RecapRow, existing: tuple, from_original: bool,
                     known: BatchLookup, writes: BatchWrites) -> str:
    recap_id, fingerprint, stored_url, from_copy = existing
    stored_is_original = not from_copy
    if fingerprint == row.fingerprint and (not from_original or stored_is_original):
        if not from_original:
            writes.copy(row.url, recap_id, "canonical-url")
            return DUPLICATE
        return UNCHANGED  # no write at all
    if not from_original and stored_is_original:
        writes.copy(row.url, recap_id, "canonical-url")
        return DUPLICATE
    twin = known.by_fingerprint.get(row.fingerprint)
    if twin is None:  # another writer may have stored it since (see _prepare_rest)
        twin = known.rechecked.get(row.fingerprint)
    if twin is not None and twin != recap_id:  # now identical to another stored recap
        writes.copy(row.url, twin, "fingerprint")
        return DUPLICATE
    if stored_is_original:  # the article changed at its own address: keep the old version
        writes.revision(recap_id, row)
    writes.replace(recap_id, row,
                   keep_as_copy="canonical-url" if from_copy and stored_url != row.url else None,
                   from_copy=not from_original)
    # a stored copy replaced by its original is a duplicate found, not a revision
    return DUPLICATE if from_copy and from_original else UPDATED


def store_batch(engine: Engine, rows: Iterable[tuple[RecapRow, str | None]],
                retries: int = 3) -> Counter:
    """Write a batch in one transaction; returns counts by outcome.

    Rows that are plainly new (no stored or earlier-in-batch recap under their URL,
    fingerprint or near-duplicate bands) are inserted in bulk; the others (copies,
    revisions, races) are decided one by one after them and written in bulk too.
    Rows are taken in canonical-URL order, so concurrent writers take locks in one
    order; a deadlock the database still reports, or a row another writer stored
    after this batch read the store, makes the batch run again.
    """
    rows = sorted(rows, key=lambda pair: (pair[0].canonical_url, pair[0].url))
    for attempt in range(retries + 1):
        counts: Counter = Counter()
        try:
            with writer(engine).begin() as conn:
                known = BatchLookup(conn, [r for r, _ in rows])
                writes = BatchWrites(conn, known)
                fresh, rest = _split_fresh(rows, known)
                # near-duplicates are looked up for the other rows only
                known.bands_wanted = {b for r, _ in rest for b in r.bands}
                if fresh and not writes.insert_fresh([r for r, _ in fresh]):
                    rest = sorted(fresh + rest, key=lambda p: (p[0].canonical_url, p[0].url))
                    fresh = []
                    known.bands_wanted = None  # every row is decided one by one
                counts[NEW] += len(fresh)
                _prepare_rest(conn, [r for r, _ in rest], known)
                for row, url_key in rest:
                    counts[_decide(conn, row, url_key, known, writes)] += 1
                _add_redirects([r for r, _ in rows if r.other_urls], known, writes)
                writes.flush()
                settle_facts(conn, known)
                # With the recaps, so that a crawl that dies never skips a page it lost.
                save_states(conn, [r.fetch_state for r, _ in rows if r.fetch_state])
            return +counts
        except (OperationalError, IntegrityError) as exc:
            if attempt == retries or not _is_transient(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _prepare_rest(conn: Connection, rows: list[RecapRow], known: BatchLookup) -> None:
    """Before the one-by-one decisions, in a few queries: the stored versions that
    revisions may keep and, for rows that may update their stored recap, whether
    another writer stored their new content since the batch read the store."""
    if not rows:
        return
    stored = [r for r in rows if r.canonical_url in known.by_url]
    known.read_fingerprints(conn, sorted({r.fingerprint for r in stored}
                                         - set(known.by_fingerprint)), into=known.rechecked)
    ids = {known.by_url[r.canonical_url][0] for r in stored}
    ids |= {known.by_fingerprint[r.fingerprint] for r in rows
            if r.fingerprint in known.by_fingerprint}
    known.read_states(conn, ids | set(known.signatures))


def _add_redirects(rows: list[RecapRow], known: BatchLookup, writes: BatchWrites) -> None:
    """Addresses that redirected to a stored recap are copies of it."""
    for row in rows:
        stored = known.by_url.get(row.canonical_url)
        recap_id = stored[0] if stored else known.by_fingerprint.get(row.fingerprint)
        for url in row.other_urls:
            if recap_id is not None and url != row.url:
                writes.copy(url, recap_id, "redirect")


def _split_fresh(rows: list[tuple[RecapRow, str | None]], known: BatchLookup):
    """(plainly new rows, rows that need the one-by-one decisions)."""
    fresh, rest = [], []
    urls, fingerprints = set(), set()
    bands: dict[int, list[bytes]] = {}  # band -> signatures of the batch's fresh rows
    for pair in rows:
        row, url_key = pair
        if (row.canonical_url in known.by_url or row.canonical_url in urls
                or row.fingerprint in known.by_fingerprint or row.fingerprint in fingerprints
                or (url_key is not None and url_key != row.canonical_url)
                or _near_any(row, known, bands)):
            rest.append(pair)
            continue
        fresh.append(pair)
        urls.add(row.canonical_url)
        fingerprints.add(row.fingerprint)
        for band in row.bands:
            bands.setdefault(band, []).append(row.minhash)
    return fresh, rest


def _near_any(row: RecapRow, known: BatchLookup, batch_bands: dict[int, list[bytes]]) -> bool:
    """Whether a stored or fresh-in-batch body is nearly ``row``'s."""
    if row.minhash is None:
        return False
    from recapscraper.dedup import similarity

    for band in row.bands:
        stored, fresh = known.by_band.get(band), batch_bands.get(band)
        if not stored and not fresh:
            continue
        signatures = [known.signatures.get(i, (None,))[0] for i in stored or ()] + (fresh or [])
        if any(sig and similarity(row.minhash, sig) >= row.near_threshold
               for sig in signatures):
            return True
    return False


def _is_transient(exc: OperationalError | IntegrityError) -> bool:
    """Deadlocks, serialization failures, and a unique key another writer took after
    this batch read the store: the same batch succeeds when run again."""
    if isinstance(exc, IntegrityError):  # (SQLite: one writer at a time, never a race)
        return getattr(exc.orig, "sqlstate", None) == "23505"
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40P01", "40001") or "database is locked" in str(exc.orig)
