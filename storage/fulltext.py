"""Full-text search over recap headlines and bodies, one API on both backends.

SQLite uses the FTS5 table ``recaps_fts`` (porter stemming, diacritics folded);
PostgreSQL the generated ``recaps.search_vector`` (english configuration), both
made by migration 0002. A query's words are ANDed; common English words are
ignored on both. Results are ranked by relevance (a headline match weighs more
than a body match) among the newest ``SEARCH_WINDOW`` matches, so a word found in
half the store costs no more than a rare one; ties break on id. Cursor: (score, id).
"""
from __future__ import annotations

import re

from sqlalchemy import Engine, bindparam, text

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

SEARCH_WINDOW = 5000  # newest matches ranked per query
MAX_TERMS = 12
MARK_START, MARK_END = "\x02", "\x03"  # around matched words in marked text
_WORD_RE = re.compile(r"[^\W_]+")
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

_SQLITE_CANDIDATES = text("""
SELECT id, score FROM (
  SELECT rowid AS id, bm25(recaps_fts, 4.0, 1.0) AS score FROM recaps_fts
  WHERE recaps_fts MATCH :match ORDER BY rowid DESC LIMIT :window
) WHERE score > :score OR (score = :score AND id > :last_id)
ORDER BY score, id LIMIT :n""")
_SQLITE_MARKS = text("""
SELECT rowid, highlight(recaps_fts, 0, :a, :b), snippet(recaps_fts, 1, :a, :b, '…', 28)
FROM recaps_fts WHERE recaps_fts MATCH :match AND rowid IN :ids""").bindparams(
    bindparam("ids", expanding=True))
_PG_CANDIDATES = text("""
SELECT id, score FROM (
  SELECT c.id, -ts_rank(c.search_vector, plainto_tsquery('english', :terms))::float8 AS score
  FROM (SELECT id, search_vector FROM recaps
        WHERE search_vector @@ plainto_tsquery('english', :terms)
        ORDER BY id DESC LIMIT :window) AS c
) AS ranked WHERE score > :score OR (score = :score AND id > :last_id)
ORDER BY score, id LIMIT :n""")
_PG_MARKS = text("""
SELECT id,
  ts_headline('english', headline, plainto_tsquery('english', :terms),
              'HighlightAll=true, StartSel="' || :a || '", StopSel="' || :b || '"'),
  ts_headline('english', body, plainto_tsquery('english', :terms),
              'MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … ", '
              || 'StartSel="' || :a || '", StopSel="' || :b || '"')
FROM recaps WHERE id IN :ids""").bindparams(bindparam("ids", expanding=True))


def search_terms(query: str | None) -> list[str]:
    """The words a query searches for: letters and digits, no stop words, at most
    MAX_TERMS, each once."""
    words = _WORD_RE.findall((query or "").casefold())
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS))[:MAX_TERMS]


def unmark(text_: str | None) -> str:
    return (text_ or "").replace(MARK_START, "").replace(MARK_END, "")


def search(engine: Engine, query: str, limit: int | None = None,
           cursor: str | None = None) -> Page:
    """Recaps matching every word of ``query``, best first. Each item is a recap
    (as in listings) plus ``snippet``; ``marked_headline`` and ``marked_snippet``
    hold MARK_START/MARK_END around the matched words (raw text: escape it)."""
    limit = _limit(limit)
    score, last_id = float("-inf"), 0
    if cursor:
        score, last_id = decode_cursor(cursor, (int, float), int)
    terms = search_terms(query)
    if not terms:
        return Page([])
    sqlite = engine.dialect.name == "sqlite"
    params = {"window": SEARCH_WINDOW, "score": float(score), "last_id": last_id,
              "n": limit + 1, "a": MARK_START, "b": MARK_END}
    if sqlite:
        params["match"] = " ".join(f'"{t}"' for t in terms)
    else:
        params["terms"] = " ".join(terms)
    with engine.connect() as conn:
        found = conn.execute(_SQLITE_CANDIDATES if sqlite else _PG_CANDIDATES, params).all()
        more, found = len(found) > limit, found[:limit]
        ids = [i for i, _ in found]
        if not ids:
            return Page([])
        rows = {r.id: r for r in conn.execute(_recap_select().where(Recap.id.in_(ids)))}
        marks = {i: (h, s) for i, h, s in conn.execute(
            _SQLITE_MARKS if sqlite else _PG_MARKS, {**params, "ids": ids})}
        items = recap_dicts(conn, [rows[i] for i in ids if i in rows])
    for item in items:
        headline, snippet = marks.get(item["id"], (item["headline"], item["excerpt"]))
        item["marked_headline"] = headline or item["headline"]
        item["marked_snippet"] = snippet or ""
        item["snippet"] = unmark(snippet)
    next_cursor = encode_cursor(found[-1][1], found[-1][0]) if more else None
    return Page(items, next_cursor)


__all__ = ["CursorError", "MARK_END", "MARK_START", "search", "search_terms", "unmark"]
