"""Alembic: every revision upgrades from empty and from the one before, on both databases."""
from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import MIGRATIONS_DIR, create_store_engine, current_revision, head_revision, upgrade

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
        conn.execute(text(
            "INSERT INTO recaps (id, url, canonical_url, site_id, headline, kind, episodes, "
            "finale, release_dates, word_count, body, fingerprint, from_copy, first_seen_at, "
            "updated_at) VALUES (1, 'https://a.example/r', 'https://a.example/r', 1, "
            "'Andor Season 1 Episode 10 Recap', 'recap', '[10]', false, '[]', 3, "
            "'one two three', 'fp1', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
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
