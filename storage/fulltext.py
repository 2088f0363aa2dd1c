"""Full-text search over recap headlines and bodies, one API on both backends.

SQLite uses the FTS5 table ``recaps_fts`` (porter stemming, diacritics folded);
PostgreSQL the generated ``recaps.search_vector`` (english configuration, headline
weighted A), both made by migration 0002. On SQLite the writer indexes new recaps
(:func:`index_new_recaps`); triggers keep updates and deletes in sync. A query's words are ANDed; common English
words are ignored on both. Order: recaps whose headline has every word first, then
those where the body completes the match; newest (by id) first within each. Both
tiers stream from the index in id order and stop at the page size, so a word found in
every recap costs no more than a rare one (a relevance score such as bm25 needs the
whole match list). Cursor: (tier, id). Snippets and marks are made in Python, the
same way on both backends.
"""
from __future__ import annotations

import json
import re

from sqlalchemy import Connection, Engine, bindparam, select, text

from storage.queries import (
    CursorError,
    Page,
    _limit,
    _recap_select,
    decode_cursor,
    encode_cursor,
    recap_dicts,
)
from storage.models import Recap

MAX_TERMS = 12
SNIPPET_WORDS = 30
MARK_START, MARK_END = "\x02", "\x03"  # around matched words in marked text
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r"\S+")
# PostgreSQL's english stop words (Snowball), so both backends ignore the same words.
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before
being below between both but by can did do does doing don down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own s same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with you your yours yourself yourselves
""".split())

# tier 0: every word in the headline; tier 1: the rest of the matches
_SQLITE_TIER = {
    0: text("SELECT rowid FROM recaps_fts WHERE recaps_fts MATCH :head AND rowid < :before "
            "ORDER BY rowid DESC LIMIT :n"),
    1: text("SELECT rowid FROM recaps_fts WHERE recaps_fts MATCH :rest AND rowid < :before "
            "ORDER BY rowid DESC LIMIT :n"),
}
_PG_HEADLINE = "to_tsvector('english'::regconfig, headline) @@ to_tsquery('english', :all)"
_PG_TIER = {
    0: text(f"SELECT id FROM recaps WHERE {_PG_HEADLINE} AND id < :before "
            "ORDER BY id DESC LIMIT :n"),
    1: text("SELECT id FROM recaps WHERE search_vector @@ to_tsquery('english', :all) "
            f"AND NOT ({_PG_HEADLINE}) AND id < :before ORDER BY id DESC LIMIT :n"),
}
_BODIES = select(Recap.id, Recap.body).where(Recap.id.in_(bindparam("ids", expanding=True)))
# SQLite: the writer adds new recaps to the index, a batch in one statement (migration
# 0007 dropped the per-row insert trigger: 4x the cost); updates and deletes keep theirs.
_INDEX_NEW = ("INSERT INTO recaps_fts(rowid, headline, body) SELECT id, headline, body "
              "FROM recaps WHERE id IN (SELECT value FROM json_each(?))")


def index_new_recaps(conn: Connection, ids: list[int]) -> None:
    """Add just-inserted recaps to SQLite's full-text index, in the inserting
    transaction. (PostgreSQL's search vector is a generated column: nothing to do.)
    Every insert into ``recaps`` must call this, and only once per recap."""
    if ids and conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_INDEX_NEW, (json.dumps(sorted(ids)),))


def search_terms(query: str | None) -> list[str]:
    """The words a query searches for: letters and digits, no stop words, at most
    MAX_TERMS, each once."""
    words = _WORD_RE.findall((query or "").casefold())
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS))[:MAX_TERMS]


def _params(terms: list[str], sqlite: bool) -> dict:
    if sqlite:
        phrase = " ".join(f'"{t}"' for t in terms)
        return {"head": f"{{headline}} : ({phrase})",
                "rest": f"({phrase}) NOT {{headline}} : ({phrase})"}
    # terms are letters and digits only: safe inside to_tsquery syntax
    return {"all": " & ".join(terms)}


def unmark(text_: str | None) -> str:
    return (text_ or "").replace(MARK_START, "").replace(MARK_END, "")


def _matcher(terms: list[str]):
    """Whether a word of the text is one of the terms (a rough stem: the term's first
    letters, as the stemmers would fold "betrayal" and "betrayed")."""
    stems = tuple(t if len(t) <= 4 else t[:max(4, len(t) - 3)] for t in terms)

    def matches(token: str) -> bool:
        word = "".join(_WORD_RE.findall(token.casefold()))
        return bool(word) and word.startswith(stems)

    return matches


def mark(text_: str, matches, words: int | None = None) -> str:
    """``text_`` with MARK_START/MARK_END around matched words; with ``words``, only a
    window of that many words around the first match."""
    tokens = _TOKEN_RE.findall(text_ or "")
    hits = [i for i, tok in enumerate(tokens) if matches(tok)]
    start, end = 0, len(tokens)
    if words is not None:
        start = max(0, (hits[0] if hits else 0) - words // 4)
        end = min(len(tokens), start + words)
    out = [f"{MARK_START}{tok}{MARK_END}" if matches(tok) else tok for tok in tokens[start:end]]
    return ("… " if start else "") + " ".join(out) + (" …" if end < len(tokens) else "")


def search(engine: Engine, query: str, limit: int | None = None,
           cursor: str | None = None) -> Page:
    """Recaps matching every word of ``query``: headline matches first, newest first.
    Each item is a recap (as in listings) plus ``snippet``; ``marked_headline`` and
    ``marked_snippet`` hold MARK_START/MARK_END around the matched words (raw text:
    escape it)."""
    limit = _limit(limit)
    tier, before = 0, 2**62
    if cursor:
        tier, before = decode_cursor(cursor, int, int)
        if tier not in (0, 1):
            raise CursorError("not a cursor from this listing")
    terms = search_terms(query)
    if not terms:
        return Page([])
    sqlite = engine.dialect.name == "sqlite"
    params = _params(terms, sqlite)
    found: list[tuple[int, int]] = []
    with engine.connect() as conn:
        for t in (0, 1)[tier:]:
            stmt = (_SQLITE_TIER if sqlite else _PG_TIER)[t]
            ids = conn.scalars(stmt, {**params, "before": before if t == tier else 2**62,
                                      "n": limit + 1 - len(found)}).all()
            found += [(t, i) for i in ids]
            if len(found) > limit:
                break
        more, found = len(found) > limit, found[:limit]
        ids = [i for _, i in found]
        if not ids:
            return Page([])
        rows = {r.id: r for r in conn.execute(_recap_select().where(Recap.id.in_(ids)))}
        bodies = dict(conn.execute(_BODIES, {"ids": ids}).all())
        items = recap_dicts(conn, [rows[i] for i in ids if i in rows])
    matches = _matcher(terms)
    for item in items:
        item["marked_headline"] = mark(item["headline"], matches)
        item["marked_snippet"] = mark(bodies.get(item["id"], ""), matches, SNIPPET_WORDS)
        item["snippet"] = unmark(item["marked_snippet"])
    next_cursor = encode_cursor(*found[-1]) if more else None
    return Page(items, next_cursor)


__all__ = ["CursorError", "MARK_END", "MARK_START", "index_new_recaps", "search",
           "search_terms", "unmark"]
