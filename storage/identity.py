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
from collections.abc import Sequence

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
    if len(key) < FUZZY_MIN_LENGTH:
        return None
    from rapidfuzz import fuzz, process

    numbers = _DIGITS_RE.findall(key)
    # Candidates share the first letter, a similar length and every number of the key
    # (numbers must agree anyway), and are few: a bounded scan, not the whole table.
    query = select(ShowAlias.key, ShowAlias.show_id).where(
        ShowAlias.key.like(key[:1] + "%"),
        func.length(ShowAlias.key).between(len(key) - 2, len(key) + 2))
    for number in set(numbers):
        query = query.where(ShowAlias.key.like(f"%{number}%"))
    candidates = {k: sid for k, sid in conn.execute(query.limit(FUZZY_MAX_CANDIDATES))}
    best = process.extractOne(key, list(candidates), scorer=fuzz.ratio,
                              score_cutoff=FUZZY_MIN_RATIO)
    if best is None or _DIGITS_RE.findall(best[0]) != numbers:
        return None
    return candidates[best[0]]


def resolve_show(conn: Connection, title: str, aliases: Sequence[str] = (),
                 cache: dict[str, int] | None = None) -> int:
    """The id of the show ``title`` names, creating it (with its aliases) if new.

    Order: the title's key, then the keys of the page's other names for it, then a
    guarded fuzzy match; the page's names become aliases of the show found.
    """
    key = show_key(title) or title.casefold()
    cache = cache if cache is not None else {}
    show_id = cache.get(key) or alias_show_id(conn, key)
    if show_id is not None:  # a known name: only new aliases to add
        cache[key] = show_id
        for alias in aliases:
            if show_key(alias) not in cache:
                add_alias(conn, show_id, alias, "page")
                cache[show_key(alias)] = alias_show_id(conn, show_key(alias)) or show_id
        return show_id
    for alias in aliases:
        show_id = alias_show_id(conn, show_key(alias))
        if show_id is not None:
            break
    source = "page"
    if show_id is None:
        show_id = fuzzy_show_id(conn, key)
        source = "fuzzy"
    if show_id is None:
        conn.execute(_insert(conn, Show).values(title=title, key=key, created_at=utcnow())
                     .on_conflict_do_nothing(index_elements=["key"]))
        show_id = conn.scalar(select(Show.id).where(Show.key == key))
        source = "page"
    add_alias(conn, show_id, title, source)
    for alias in aliases:
        add_alias(conn, show_id, alias, "page")
    show_id = alias_show_id(conn, key) or show_id  # a concurrent writer may have won
    cache[key] = show_id
    return show_id


def prefetch_shows(conn: Connection, titles: Sequence[str], cache: dict[str, int]) -> None:
    """Fill ``cache`` (key -> show id) for many titles with one query."""
    keys = sorted({show_key(t) for t in titles} - set(cache) - {""})
    for i in range(0, len(keys), 500):
        cache.update(conn.execute(select(ShowAlias.key, ShowAlias.show_id)
                                  .where(ShowAlias.key.in_(keys[i:i + 500]))).all())


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
