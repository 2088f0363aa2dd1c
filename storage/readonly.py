"""The read-only engine, pagination cursors and text helpers of storage.queries.

``open_reader(url)`` opens the store read-only (SQLite: a ``mode=ro`` URI plus
``query_only``; PostgreSQL: ``default_transaction_read_only``) and checks that the
schema is at the newest revision, so full-text search and its indexes exist.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import StoreError, check_connection, current_revision, describe
from storage.db import head_revision, resolve_url

EXCERPT_CHARS = 280


class CursorError(ValueError):
    """A pagination cursor that this listing did not hand out."""


@dataclass(slots=True)
class Page:
    items: list[dict]
    next_cursor: str | None = None


# -- the read-only engine ----------------------------------------------------------
def _sqlite_reader_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-32000")
    cur.execute("PRAGMA mmap_size=268435456")
    cur.close()


def reader_url(url: str | None) -> URL:
    """The read-only form of a store URL (raises StoreError for a bad one)."""
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError("the read-only store needs a database file, not :memory:")
        path = Path(parsed.database).expanduser().resolve()
        if not path.is_file():
            raise StoreError(f"no database at {path}: crawl first (`recapscraper demo`)")
        return URL.create("sqlite+pysqlite", database=f"file:{path.as_posix()}",
                          query={"mode": "ro", "uri": "true"})
    if backend == "postgresql":
        options = " ".join(filter(None, [parsed.query.get("options"),
                                         "-c default_transaction_read_only=on"]))
        return parsed.update_query_dict({"options": options})
    raise StoreError(f"unsupported database {backend!r}: use sqlite or postgresql")


def open_reader(url: str | None = None) -> Engine:
    """A read-only engine on a store whose schema is at the newest revision."""
    target = reader_url(url)
    if target.get_backend_name() == "sqlite":
        engine = create_engine(target, connect_args={"timeout": 10, "check_same_thread": False},
                               pool_size=8, max_overflow=8)
        event.listen(engine, "connect", _sqlite_reader_pragmas)
    else:
        engine = create_engine(target, pool_pre_ping=True, pool_size=8, max_overflow=8,
                               connect_args={"connect_timeout": 10})
    check_connection(engine)
    try:
        revision, head = current_revision(engine), head_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read {describe(engine.url)}: {exc}") from None
    if revision != head:
        engine.dispose()
        raise StoreError(f"{describe(resolve_url(url))} has schema {revision or 'none'}, "
                         f"this version reads {head}: run `recapscraper db upgrade`")
    return engine


# -- cursors and small helpers ---------------------------------------------------------
def encode_cursor(*values) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *kinds: type | tuple) -> list:
    """The values of ``cursor``, each checked against its kind, or CursorError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeError):
        raise CursorError("not a cursor from this listing") from None
    if (not isinstance(values, list) or len(values) != len(kinds)
            or any(isinstance(v, bool) or not isinstance(v, k) for v, k in zip(values, kinds))):
        raise CursorError("not a cursor from this listing")
    return values


def _at(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CursorError("not a cursor from this listing") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def clean_text(value: str | None) -> str | None:
    """User text for SQL: no NUL characters, no outer spaces; None when empty."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def local_iso(value: datetime | None, offset: int | None) -> str | None:
    """A stored UTC time in the page's own UTC offset, ISO 8601."""
    if value is None:
        return None
    if offset is not None and -1440 < offset < 1440:
        value = value.astimezone(timezone(timedelta(minutes=offset)))
    return value.isoformat()


def excerpt(text: str | None, size: int = EXCERPT_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text[:size].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
