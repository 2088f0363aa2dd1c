"""Migration 0002 (full text, listing indexes) on SQLite and PostgreSQL: from empty,
from 0001 with data, the index kept in sync by writes, and back down."""
from __future__ import annotations

from sqlalchemy import inspect, text

from storage import repository
from storage.db import create_store_engine, current_revision, head_revision, open_store, upgrade
from storage.fulltext import search
from storage.queries import open_reader
from webdata import fill, insert_raw_recap, rows, store_at_revision

LISTING_INDEXES = {"ix_recaps_platform_published", "ix_recaps_network_published",
                   "ix_recaps_site_published", "ix_recaps_kind_published",
                   "ix_recaps_show_published"}


def hits(url: str, words: str) -> list[str]:
    engine = open_reader(url)
    try:
        return [r["headline"] for r in search(engine, words, limit=100).items]
    finally:
        engine.dispose()


def test_from_empty_to_head(db_url):
    engine = open_store(db_url)
    assert current_revision(engine) == head_revision()
    names = {ix["name"] for ix in inspect(engine).get_indexes("recaps")}
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            # inserts are indexed by the writer (0007); updates and deletes by triggers
            assert set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type='trigger' "
                                         "AND name LIKE 'recaps_fts_%'"))) == {
                "recaps_fts_ad", "recaps_fts_au"}
            names |= set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type='index'")))
    else:
        assert "search_vector" in {c["name"] for c in inspect(engine).get_columns("recaps")}
        with engine.connect() as conn:
            names |= set(conn.scalars(text("SELECT indexname FROM pg_indexes "
                                           "WHERE tablename = 'recaps'")))
        assert "ix_recaps_search_vector" in names
    assert LISTING_INDEXES <= names
    engine.dispose()


def test_from_0001_with_data(db_url):
    engine = store_at_revision(db_url, "0001", "old.example")
    with engine.begin() as conn:
        insert_raw_recap(conn, 1, "https://old.example/a", "Crawled before the upgrade",
                         "an albatross appears", "fp-old")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert hits(db_url, "albatross") == ["Crawled before the upgrade"]
    assert hits(db_url, "albatrosses upgrade") == ["Crawled before the upgrade"]  # stemmed


def test_writes_keep_the_index_in_sync(db_url):
    fill(db_url)
    assert len(hits(db_url, "melody")) == 4 and len(hits(db_url, "unique101")) == 1
    engine = open_store(db_url)
    changed = rows()[12]
    changed.headline, changed.body, changed.fingerprint = "Retitled", "a kazoo solo", "fp-new"
    repository.store_batch(engine, [(changed, changed.canonical_url)])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM recaps WHERE canonical_url LIKE '%s2e2/'"))
    engine.dispose()
    assert hits(db_url, "kazoo") == ["Retitled"]
    assert len(hits(db_url, "melody")) == 2
    assert hits(db_url, "unique101") == []  # the deleted one


def test_downgrade_to_0001_and_up_again(db_url):
    fill(db_url)
    engine = create_store_engine(db_url)
    from alembic import command

    from storage.db import alembic_config

    command.downgrade(alembic_config(engine), "0001")
    names = {ix["name"] for ix in inspect(engine).get_indexes("recaps")}
    assert not LISTING_INDEXES & names
    assert "recaps_fts" not in inspect(engine).get_table_names()
    upgrade(engine)
    engine.dispose()
    assert len(hits(db_url, "melody")) == 4
