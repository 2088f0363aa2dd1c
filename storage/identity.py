"""Show identity: one show however it is spelled, and user corrections that stick.

A title resolves through its normalised key (case, accents, quotes, punctuation
folded: "Shōgun" = "Shogun", "Soundtrack #2" = "Soundtrack 2"), then through the
aliases pages and users gave, and only then through a guarded fuzzy match
(rapidfuzz): numbers must agree ("Soundtrack #1" is not "Soundtrack #2") and the
titles must be nearly the same string. A merge or split by a user writes aliases
with source "user", which later crawls resolve through first, so corrections
survive re-crawls.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sqlalchemy import Connection, delete, func, select, update

from storage.db import dialect_insert as _insert
from storage.models import (
    Episode,
    EpisodeFact,
    Recap,
    RecapEpisode,
    Show,
    ShowAlias,
    ShowCorrection,
    ShowFact,
    utcnow,
)

_PUNCT_RE = re.compile(r"[^\w\s]|_", re.UNICODE)
_APOSTROPHES = str.maketrans("", "", "'’ʼ‘`´")
_DIGITS_RE = re.compile(r"\d+")
# A trailing season number written into the title: "Survivor 47", "Stranger Things 4".
_TRAILING_NUMBER_RE = re.compile(r"^(?P<title>.*\D)\s+(?P<n>\d{1,3})$")
FUZZY_MIN_RATIO = 94  # rapidfuzz ratio (0-100) on keys for a guarded fuzzy match
FUZZY_MIN_LENGTH = 8  # short titles never match fuzzily
FUZZY_MAX_CANDIDATES = 2000  # titles compared per lookup, at most


class IdentityError(ValueError):
    """A merge or split that cannot be done (unknown show, same show, last alias)."""


@lru_cache(maxsize=65536)  # a batch asks for the same few titles' keys many times
def show_key(title: str) -> str:
    """Normalised show title: case, accents, quotes and punctuation folded."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").translate(_APOSTROPHES)
    return " ".join(_PUNCT_RE.sub(" ", text).split())


def split_season_number(title: str, season: int | None) -> str:
    """"Survivor 47" with season 47 is the show "Survivor"; "Soundtrack #2" stays."""
    match = _TRAILING_NUMBER_RE.match(title.strip())
    if match and season is not None and int(match["n"]) == season and "#" not in title:
        return match["title"].strip(" :-–")
    return title


def alias_show_id(conn: Connection, key: str) -> int | None:
    return conn.scalar(select(ShowAlias.show_id).where(ShowAlias.key == key))


def add_alias(conn: Connection, show_id: int, alias: str, source: str = "page") -> None:
    key = show_key(alias)
    if key:
        conn.execute(_insert(conn, ShowAlias).values(show_id=show_id, alias=alias, key=key,
                                                     source=source)
                     .on_conflict_do_nothing(index_elements=["key"]))


def fuzzy_show_id(conn: Connection, key: str) -> int | None:
    """A show whose key is nearly ``key`` and has the same numbers, or None."""
    return FuzzyIndex(conn, [key]).match(key)


class FuzzyIndex:
    """The stored aliases that some keys may fuzzily match, read once for a batch.

    Candidates share the key's first letter, have a similar length and contain every
    number of the key (numbers must agree anyway), and are few: a bounded scan, not
    the whole table. Aliases the batch adds join with :meth:`add`.
    """

    def __init__(self, conn: Connection, keys: Iterable[str]):
        self.conn = conn
        self.wanted: dict[str, set[int]] = {}  # first letter -> lengths the keys may match
        for key in keys:
            if len(key) >= FUZZY_MIN_LENGTH:
                self.wanted.setdefault(key[:1], set()).update(range(len(key) - 2, len(key) + 3))
        self.read: dict[str, set[int]] = {}  # first letter -> lengths read
        self.show_of: dict[str, int] = {}  # alias key -> show id
        self.by_length: dict[tuple[str, int], list[str]] = {}
        self.by_digits: dict[str, set[str]] = {}  # every digit string a key contains

    def add(self, key: str, show_id: int) -> None:
        if not key or key in self.show_of:
            return
        self.show_of[key] = show_id
        self.by_length.setdefault((key[:1], len(key)), []).append(key)
        for run in _DIGITS_RE.findall(key):
            for i in range(len(run)):
                for j in range(i + 1, len(run) + 1):
                    self.by_digits.setdefault(run[i:j], set()).add(key)

    def _read(self, first: str, lengths: set[int]) -> None:
        lengths = (lengths | self.wanted.get(first, set())) - self.read.get(first, set())
        if not lengths:
            return
        self.read.setdefault(first, set()).update(lengths)
        query = select(ShowAlias.key, ShowAlias.show_id).where(
            ShowAlias.key.like(first + "%"), func.length(ShowAlias.key).in_(sorted(lengths)))
        if self.conn.dialect.name == "sqlite":  # keys sort by code point there: the
            # prefix as a range reads the key index, not the whole table (LIKE cannot)
            query = query.where(ShowAlias.key >= first, ShowAlias.key < chr(ord(first) + 1))
        for key, show_id in self.conn.execute(query):
            self.add(key, show_id)

    def match(self, key: str) -> int | None:
        """A show whose key is nearly ``key`` and has the same numbers, or None."""
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        from rapidfuzz import fuzz, process

        first, lengths = key[:1], set(range(len(key) - 2, len(key) + 3))
        self._read(first, lengths)
        numbers = _DIGITS_RE.findall(key)
        if numbers:
            having = [self.by_digits.get(n, set()) for n in set(numbers)]
            candidates = [k for k in min(having, key=len) if k[:1] == first
                          and len(k) in lengths and all(k in h for h in having)]
        else:
            candidates = [k for n in sorted(lengths) for k in self.by_length.get((first, n), ())]
        best = process.extractOne(key, candidates[:FUZZY_MAX_CANDIDATES], scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_MIN_RATIO)
        if best is None or _DIGITS_RE.findall(best[0]) != numbers:
            return None
        return self.show_of[best[0]]


def resolve_show(conn: Connection, title: str, aliases: Sequence[str] = (),
                 cache: dict[str, int] | None = None) -> int:
    """The id of the show ``title`` names, creating it (with its aliases) if new.

    Order: the title's key, then the keys of the page's other names for it, then a
    guarded fuzzy match; the page's names become aliases of the show found.
    """
    return resolve_shows(conn, [(title, aliases)], cache)[0]


def resolve_shows(conn: Connection, names: Sequence[tuple[str, Sequence[str]]],
                  cache: dict[str, int] | None = None) -> list[int]:
    """:func:`resolve_show` for many (title, aliases), in order, in a few statements.

    Each name is decided as if the ones before it were already written (a show the
    batch creates is found by the names after it); new shows and aliases are then
    written together, and a concurrent writer that stored a name first wins it.
    """
    cache = cache if cache is not None else {}
    keys = {show_key(t) or t.casefold() for t, _ in names}
    keys |= {show_key(a) for _, aliases in names for a in aliases}
    owner: dict[str, int] = {}  # alias key -> show id: stored, then decided here
    _load_owners(conn, sorted(keys - {""}), owner)
    fuzzy = FuzzyIndex(conn, {show_key(t) or t.casefold() for t, _ in names} - set(cache)
                       - set(owner))
    plan = _ShowPlan(owner, fuzzy)
    decided: list[tuple[str, int, bool]] = []  # key, show id (or placeholder), was new
    for title, aliases in names:
        key = show_key(title) or title.casefold()
        show_id = cache.get(key) or owner.get(key)
        if show_id is not None:  # a known name: only new aliases to add
            cache[key] = show_id
            for alias in aliases:
                if show_key(alias) not in cache:
                    plan.alias(show_id, alias, "page")
                    cache[show_key(alias)] = owner.get(show_key(alias)) or show_id
            decided.append((key, show_id, False))
            continue
        show_id = next((owner[k] for k in map(show_key, aliases) if k in owner), None)
        source = "page"
        if show_id is None:
            show_id = fuzzy.match(key)
            source = "fuzzy"
        if show_id is None:
            show_id, source = plan.show(title, key), "page"
        plan.alias(show_id, title, source)
        for alias in aliases:
            plan.alias(show_id, alias, "page")
        show_id = owner.get(key) or show_id
        cache[key] = show_id
        decided.append((key, show_id, True))
    real = plan.write(conn)
    for key, show_id in list(cache.items()):
        if show_id < 0:
            cache[key] = real[show_id]
    stored: dict[str, int] = {}  # a concurrent writer may have won a new name
    _load_owners(conn, sorted({k for k, _, new in decided if new}), stored)
    out = []
    for key, show_id, new in decided:
        show_id = real.get(show_id, show_id)
        if new:
            show_id = cache[key] = stored.get(key) or show_id
        out.append(show_id)
    return out


def _load_owners(conn: Connection, keys: Sequence[str], into: dict[str, int]) -> None:
    for i in range(0, len(keys), 500):
        into.update(conn.execute(select(ShowAlias.key, ShowAlias.show_id)
                                 .where(ShowAlias.key.in_(keys[i:i + 500]))).all())


class _ShowPlan:
    """New shows and aliases decided for a batch; shows get placeholder ids (< 0)
    until written."""

    def __init__(self, owner: dict[str, int], fuzzy: FuzzyIndex):
        self.owner = owner  # stored aliases, updated with the planned ones
        self.fuzzy = fuzzy
        self.aliases: list[dict] = []
        self.shows: dict[str, tuple[int, str]] = {}  # key -> placeholder, title

    def show(self, title: str, key: str) -> int:
        if key not in self.shows:
            self.shows[key] = (-1 - len(self.shows), title)
        return self.shows[key][0]

    def alias(self, show_id: int, alias: str, source: str) -> None:
        key = show_key(alias)
        if key and key not in self.owner:  # ON CONFLICT DO NOTHING: the first name wins
            self.owner[key] = show_id
            self.fuzzy.add(key, show_id)
            self.aliases.append({"show_id": show_id, "alias": alias, "key": key,
                                 "source": source})

    def write(self, conn: Connection) -> dict[int, int]:
        """Write the plan; returns placeholder -> show id."""
        real: dict[int, int] = {}
        if self.shows:
            now = utcnow()
            conn.execute(_insert(conn, Show).on_conflict_do_nothing(index_elements=["key"]),
                         [{"title": title, "key": key, "created_at": now}
                          for key, (_, title) in self.shows.items()])
            keys = list(self.shows)
            for i in range(0, len(keys), 500):
                for show_id, key in conn.execute(select(Show.id, Show.key)
                                                 .where(Show.key.in_(keys[i:i + 500]))):
                    real[self.shows[key][0]] = show_id
        if self.aliases:
            conn.execute(_insert(conn, ShowAlias).on_conflict_do_nothing(index_elements=["key"]),
                         [{**a, "show_id": real.get(a["show_id"], a["show_id"])}
                          for a in self.aliases])
        return real


# -- user corrections ------------------------------------------------------------
def _show(conn: Connection, name: str) -> int:
    if name.isdigit() and conn.scalar(select(Show.id).where(Show.id == int(name))):
        return int(name)
    show_id = alias_show_id(conn, show_key(name))
    if show_id is None:
        raise IdentityError(f"no show named {name!r}")
    return show_id


def merge_shows(conn: Connection, keep: str, other: str) -> tuple[int, int]:
    """Fold show ``other`` into ``keep``: aliases, episodes, recaps and facts move."""
    keep_id, other_id = _show(conn, keep), _show(conn, other)
    if keep_id == other_id:
        raise IdentityError(f"{keep!r} and {other!r} are already one show")
    other_title = conn.scalar(select(Show.title).where(Show.id == other_id))
    for ep_id, season, number in conn.execute(
            select(Episode.id, Episode.season, Episode.number).where(Episode.show_id == other_id)):
        twin = conn.scalar(select(Episode.id).where(
            Episode.show_id == keep_id, Episode.season == season, Episode.number == number))
        if twin is None:
            conn.execute(update(Episode).where(Episode.id == ep_id).values(show_id=keep_id))
            continue
        for (recap_id,) in conn.execute(select(RecapEpisode.recap_id)
                                        .where(RecapEpisode.episode_id == ep_id)):
            conn.execute(_insert(conn, RecapEpisode).values(recap_id=recap_id, episode_id=twin)
                         .on_conflict_do_nothing())
        conn.execute(update(EpisodeFact).where(EpisodeFact.episode_id == ep_id)
                     .values(episode_id=twin))
        conn.execute(delete(Episode).where(Episode.id == ep_id))
    conn.execute(update(Recap).where(Recap.show_id == other_id).values(show_id=keep_id))
    conn.execute(update(ShowFact).where(ShowFact.show_id == other_id).values(show_id=keep_id))
    conn.execute(update(ShowAlias).where(ShowAlias.show_id == other_id)
                 .values(show_id=keep_id, source="user"))
    conn.execute(delete(Show).where(Show.id == other_id))
    conn.execute(_insert(conn, ShowCorrection).values(action="merge", show_id=keep_id,
                                                      other=other_title, created_at=utcnow()))
    return keep_id, other_id


def split_show(conn: Connection, show: str, alias: str) -> int:
    """Make ``alias`` of ``show`` a show of its own; recaps that used that name move."""
    show_id = _show(conn, show)
    key = show_key(alias)
    owner = alias_show_id(conn, key)
    if owner != show_id:
        raise IdentityError(f"{alias!r} is not a name of show {show!r}")
    if conn.scalar(select(func.count()).select_from(ShowAlias)
                   .where(ShowAlias.show_id == show_id)) <= 1:
        raise IdentityError(f"{alias!r} is the only name of {show!r}: nothing to split")
    conn.execute(delete(ShowAlias).where(ShowAlias.key == key))
    new_key = key
    if conn.scalar(select(Show.id).where(Show.key == new_key)) is not None:
        new_key = f"{key} ({utcnow().timestamp():.0f})"  # the old show keeps its own key
    conn.execute(_insert(conn, Show).values(title=alias, key=new_key, created_at=utcnow()))
    new_id = conn.scalar(select(Show.id).where(Show.key == new_key))
    add_alias(conn, new_id, alias, "user")
    moved = [rid for (rid, title) in conn.execute(
        select(Recap.id, Recap.show_title).where(Recap.show_id == show_id))
        if title and show_key(title) == key]
    if moved:
        conn.execute(update(Recap).where(Recap.id.in_(moved)).values(show_id=new_id))
        conn.execute(update(ShowFact).where(ShowFact.recap_id.in_(moved))
                     .values(show_id=new_id))
        _move_episode_links(conn, moved, show_id, new_id)
    conn.execute(_insert(conn, ShowCorrection).values(action="split", show_id=show_id,
                                                      other=alias, created_at=utcnow()))
    return new_id


def _move_episode_links(conn: Connection, recap_ids: list[int], old_show: int,
                        new_show: int) -> None:
    links = conn.execute(select(RecapEpisode.recap_id, Episode.id, Episode.season,
                                Episode.number)
                         .join(Episode, Episode.id == RecapEpisode.episode_id)
                         .where(RecapEpisode.recap_id.in_(recap_ids),
                                Episode.show_id == old_show)).all()
    for recap_id, ep_id, season, number in links:
        conn.execute(_insert(conn, Episode).values(show_id=new_show, season=season,
                                                   number=number, finale=False)
                     .on_conflict_do_nothing())
        new_ep = conn.scalar(select(Episode.id).where(
            Episode.show_id == new_show, Episode.season == season, Episode.number == number))
        conn.execute(delete(RecapEpisode).where(RecapEpisode.recap_id == recap_id,
                                                RecapEpisode.episode_id == ep_id))
        conn.execute(_insert(conn, RecapEpisode).values(recap_id=recap_id, episode_id=new_ep)
                     .on_conflict_do_nothing())
    # episodes of the old show that no recap links to any more are gone
    conn.execute(delete(Episode).where(
        Episode.show_id == old_show,
        ~Episode.id.in_(select(RecapEpisode.episode_id))))
