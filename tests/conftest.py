"""Shared fixtures: a database URL for each backend, and a local site server.

PostgreSQL tests use the server on 127.0.0.1:5432 (database ``test``), each in a
schema of its own. Where it is absent they skip with the reason, except in CI
(``CI=true`` or ``RECAPS_REQUIRE_SERVICES=1``), where a missing server fails.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

PG_URL = os.environ.get("RECAPS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_SERVICES = (os.environ.get("CI", "").lower() == "true"
                    or os.environ.get("RECAPS_REQUIRE_SERVICES") == "1")
TESTS_DIR = Path(__file__).parent
SITES_DIR = TESTS_DIR / "sites"


def _pg_problem() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return str(exc).splitlines()[0]


_PG_STATE: dict[str, str | None] = {}


def require_postgres() -> None:
    if "problem" not in _PG_STATE:
        _PG_STATE["problem"] = _pg_problem()
    problem = _PG_STATE["problem"]
    if problem:
        message = f"PostgreSQL not reachable at {PG_URL}: {problem}"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


# Redis for the distributed-crawl tests: its own database number, and a key prefix per test.
REDIS_URL = os.environ.get("RECAPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def require_redis() -> None:
    if "redis" not in _PG_STATE:
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
            _PG_STATE["redis"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not available"
            _PG_STATE["redis"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if _PG_STATE["redis"]:
        message = f"Redis not reachable at {REDIS_URL}: {_PG_STATE['redis']}"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


@pytest.fixture
def redis_prefix():
    """(Redis URL, a key prefix of this test's own); its keys are deleted afterwards."""
    import redis

    require_redis()
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    yield REDIS_URL, prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import sqlalchemy as sa

    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'recaps.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'recaps.db'}"
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def site_server():
    """The local test sites (tests/sites/<host>/) behind a proxy-capable server."""
    from recapscraper.demo.server import SiteServer

    with SiteServer(SITES_DIR / "www") as server:
        yield server
