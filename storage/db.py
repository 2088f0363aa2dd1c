"""Engine and session factory, SQLite pragmas, migrations, and one error type.

``open_store(url)`` is the one way in: it checks the URL, connects, brings the
schema to the newest Alembic revision (unless told not to) and returns an engine.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from recapscraper.resources import package_path

DEFAULT_DB_URL = "sqlite:///recaps.db"
ENV_DB_URL = "RECAPS_DB_URL"
MIGRATIONS_DIR = package_path("storage", "migrations")  # a real folder, also in an egg


class StoreError(RuntimeError):
    """The store cannot be used: bad URL, unreachable server, failed migration."""


def resolve_url(url: str | None) -> str:
    """``--db`` wins, then ``RECAPS_DB_URL``, then ``./recaps.db``."""
    return url or os.environ.get(ENV_DB_URL) or DEFAULT_DB_URL


def describe(url) -> str:
    """The URL (a string or a URL object) without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: the next pragma may have to wait
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # A write batch touches thousands of index pages: keep them cached (64 MB) and let the
    # WAL grow to ~80 MB before a checkpoint, instead of rewriting them every few batches.
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA wal_autocheckpoint=20000")
    cur.close()


def _sqlite_begin(conn) -> None:
    # A writer takes the write lock up front: a read transaction that later
    # writes would fail with "database is locked" when another writer got in.
    immediate = conn.get_execution_options().get("recaps_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def dialect_insert(bind, model):
    """``INSERT`` with this database's ``ON CONFLICT`` support (SQLite or PostgreSQL);
    ``bind`` is an Engine or a Connection."""
    return (postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert)(model)


def select_in(conn, sql: str, values: list) -> list[tuple]:
    """Rows of ``sql`` (driver SQL with ``{values}`` slots, as in ``x IN ({values})``)
    for any number of plain values, in one statement: SQLite reads them from one JSON
    parameter (``json_each``), PostgreSQL from one array (``unnest``). For wide
    lookups such as 10,000 LSH bands a batch, where an expanded ``IN`` list costs a
    statement per 500 values and per-value parameter handling."""
    if not values:
        return []
    slots = sql.count("{values}")  # the same list, as often as the statement names it
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql(sql.format(values="SELECT value FROM json_each(?)"),
                                    (json.dumps(values),) * slots).fetchall()
    return conn.exec_driver_sql(sql.format(values="SELECT unnest(%s)"),
                                (values,) * slots).fetchall()


def writer(engine: Engine) -> Engine:
    """The engine for write transactions (SQLite: BEGIN IMMEDIATE)."""
    return engine.execution_options(recaps_write=True)


def create_store_engine(url: str | None = None) -> Engine:
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (try sqlite:///recaps.db or "
                         "postgresql+psycopg://user@host/db)") from None
    backend = parsed.get_backend_name()
    kwargs: dict = {}
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreError(f"cannot open {describe(url)}: folder {folder} does not exist")
        kwargs["connect_args"] = {"timeout": 30}
    elif backend == "postgresql":
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 10}
    else:
        raise StoreError(f"unsupported database {backend!r}: use sqlite or postgresql")
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use {describe(url)}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot connect to {describe(engine.url)}"
                         f": {reason}") from None


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


# Alembic's migration context is process-global: one upgrade at a time per process
# (other processes wait on the database lock taken in migrations/env.py).
_UPGRADE_LOCK = threading.Lock()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: newest)."""
    from alembic import command

    try:
        with _UPGRADE_LOCK:
            command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise StoreError(f"migration failed on {describe(engine.url)}: "
                         f"{str(exc.orig).strip().splitlines()[0]}") from None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return script.get_current_head()


def open_store(url: str | None = None, *, migrate: bool = True) -> Engine:
    """Connect, and upgrade the schema when it is behind. Raises StoreError."""
    engine = create_store_engine(url)
    check_connection(engine)
    try:
        if migrate and current_revision(engine) != head_revision():
            _upgrade_when_free(engine)
        elif not migrate and "recaps" not in inspect(engine).get_table_names():
            raise StoreError(f"{describe(engine.url)} has no recap "
                             "tables yet: run `recapscraper db upgrade` or a crawl first")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot prepare {describe(engine.url)}: "
                         f"{exc}") from None
    return engine


def _upgrade_when_free(engine: Engine, attempts: int = 5) -> None:
    """Upgrade; a new SQLite file that another process is migrating right now can
    answer "database is locked" before its busy timeout applies: wait and retry."""
    import time

    for attempt in range(attempts):
        try:
            upgrade(engine)
            return
        except (StoreError, OperationalError) as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
