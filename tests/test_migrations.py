"""Alembic: every revision upgrades from empty and from the one before, on both databases."""
from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import MIGRATIONS_DIR, create_store_engine, current_revision, head_revision, upgrade
from webdata import insert_raw_recap, store_at_revision

REVISIONS = [r.revision for r in reversed(list(ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()))]


def test_revisions_form_one_line():
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    assert len(script.get_heads()) == 1
    assert REVISIONS[0] == "0001" and REVISIONS[-1] == head_revision()


@pytest.mark.parametrize("start", REVISIONS[:-1])
def test_upgrade_from_each_revision_keeps_the_data(db_url, start):
    engine = create_store_engine(db_url)
    upgrade(engine, start)
    assert current_revision(engine) == start
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sites (id, domain, name, created_at) "
                          "VALUES (1, 'a.example', NULL, CURRENT_TIMESTAMP)"))
        insert_raw_recap(conn, 1, "https://a.example/r", "Andor Season 1 Episode 10 Recap",
                         "one two three", "fp1", "[10]")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT headline FROM recaps WHERE id = 1")).scalar() == \
            "Andor Season 1 Episode 10 Recap"
    tables = set(inspect(engine).get_table_names())
    assert {"recap_revisions", "recap_bands", "episode_facts", "show_facts"} <= tables
    engine.dispose()


def test_downgrade_to_empty_and_back(db_url):
    from alembic import command

    from storage.db import alembic_config

    engine = create_store_engine(db_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    assert "recaps" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def _open(url: str) -> None:
    from storage.db import open_store

    open_store(url).dispose()


def test_processes_opening_a_new_store_at_once_migrate_it_once(db_url):
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(db_url,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    engine = create_store_engine(db_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def _search(engine, words: str) -> list[str]:
    from storage.fulltext import search

    return [r["headline"] for r in search(engine, words, limit=10).items]


def _schema(engine) -> dict:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'recap_bands'"))
            triggers = set(conn.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            automerge = conn.scalar(text("SELECT v FROM recaps_fts_config "
                                         "WHERE k = 'automerge'"))
            return {"without_rowid": "WITHOUT ROWID" in sql.upper(), "triggers": triggers,
                    "automerge": automerge or 4,
                    "indexes": {ix["name"] for ix in inspect(engine).get_indexes("recap_bands")}}
        return {"indexes": {ix["name"] for ix in inspect(engine).get_indexes("recap_bands")}}


def test_0007_bands_without_recap_index_and_bulk_fulltext_keep_the_data(db_url):
    """0006 -> 0007 keeps bands and search; a recap stored afterwards is searchable and
    its bands are findable; back down to 0006 restores the index and the trigger."""
    from alembic import command

    from storage import repository
    from storage.db import alembic_config
    from storage.repository import RecapRow

    engine = store_at_revision(db_url, "0006", "a.example")
    with engine.begin() as conn:
        insert_raw_recap(conn, 1, "https://a.example/r", "Andor Season 1 Episode 10 Recap",
                         "an albatross over the prison", "fp1", "[10]")
        conn.execute(text("INSERT INTO recap_bands (band_hash, recap_id) VALUES "
                          "(-5, 1), (7, 1), (9223372036854775807, 1)"))
    before = _schema(engine)
    assert "ix_recap_bands_recap_id" in before["indexes"]
    upgrade(engine)
    after = _schema(engine)
    assert "ix_recap_bands_recap_id" not in after["indexes"]
    with engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT band_hash, recap_id FROM recap_bands"))) == [
            (-5, 1), (7, 1), (9223372036854775807, 1)]
    if engine.dialect.name == "sqlite":
        assert after["without_rowid"] and not before["without_rowid"]
        assert before["triggers"] - after["triggers"] == {"recaps_fts_ai"}
        assert (before["automerge"], after["automerge"]) == (4, 8)
    assert _search(engine, "albatross") == ["Andor Season 1 Episode 10 Recap"]
    row = RecapRow(url="https://a.example/s", canonical_url="https://a.example/s",
                   site="a.example", headline="Andor Season 1 Episode 11 Recap",
                   kind="recap", fingerprint="fp2", body="a cormorant at dawn",
                   show="Andor", season=1, episodes=[11], bands=[11, 12])
    repository.store_batch(engine, [(row, row.canonical_url)])
    assert _search(engine, "cormorant") == ["Andor Season 1 Episode 11 Recap"]
    with engine.connect() as conn:
        # new bands wait in the recent table (merged into recap_bands when it is full)
        assert conn.execute(text("SELECT count(*) FROM recap_bands_recent WHERE band_hash "
                                 "IN (11, 12)")).scalar() == 2
    command.downgrade(alembic_config(engine), "0006")
    assert _schema(engine) == before
    assert "recap_bands_recent" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM recap_bands")).scalar() == 5
    with engine.begin() as conn:  # the insert trigger is back
        insert_raw_recap(conn, 9, "https://a.example/t", "Andor Season 1 Episode 12 Recap",
                         "a pelican in the rain", "fp9", "[12]")
    assert _search(engine, "pelican") == ["Andor Season 1 Episode 12 Recap"]
    engine.dispose()
