"""The store on SQLite and PostgreSQL: migrations, idempotent upserts, copies, queries."""
from __future__ import annotations

import multiprocessing
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from storage import repository
from storage.db import StoreError, current_revision, head_revision, open_store
from storage.models import Episode, Recap, RecapCopy, RecapEpisode, Show, ShowAlias
from storage.repository import RecapFilter, RecapRow

PT = timezone(timedelta(hours=-7))
BODY = " ".join(f"w{i}" for i in range(100))


def row(url="https://a.example/s1e1", **kw) -> RecapRow:
    base = dict(url=url, canonical_url=url, site="a.example", headline="Show S1E1 recap",
                kind="recap", fingerprint=f"fp-{url}", body=BODY, show="Shōgun", season=1,
                episodes=[1], platform="Hulu", author="Ann Lee",
                published_at=datetime(2024, 4, 23, 23, 5, tzinfo=PT),
                release_dates=[date(2024, 4, 23)])
    base.update(kw)
    return RecapRow(**base)


def store(url, *rows_and_keys):
    engine = open_store(url)
    try:
        return repository.store_batch(engine, list(rows_and_keys))
    finally:
        engine.dispose()


def count(engine, model) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_migrates_from_empty_to_head(db_url):
    engine = open_store(db_url)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"sites", "shows", "show_aliases", "episodes", "recaps", "recap_episodes",
            "recap_copies", "crawl_runs", "alembic_version"} <= tables
    open_store(db_url).dispose()  # a second open is a no-op
    engine.dispose()


def test_storing_twice_leaves_the_same_rows(db_url):
    r = row()
    assert store(db_url, (r, r.canonical_url)) == {"new": 1}
    assert store(db_url, (r, r.canonical_url)) == {"unchanged": 1}
    engine = open_store(db_url)
    assert count(engine, Recap) == 1 and count(engine, Episode) == 1
    assert count(engine, RecapEpisode) == 1 and count(engine, Show) == 1
    engine.dispose()


def test_dates_keep_their_offset_and_instant(db_url):
    store(db_url, (row(), "https://a.example/s1e1"))
    engine = open_store(db_url)
    [rec] = repository.list_recaps(engine, RecapFilter())
    assert rec["published_at"] == "2024-04-23T23:05:00-07:00"
    with Session(engine) as s:
        stored = s.scalar(select(Recap.published_at))
    assert stored == datetime(2024, 4, 24, 6, 5, tzinfo=timezone.utc)
    engine.dispose()


def test_changed_content_updates_in_place(db_url):
    store(db_url, (row(), "https://a.example/s1e1"))
    changed = row(headline="Show S1E1 recap (updated)", fingerprint="fp-new")
    assert store(db_url, (changed, changed.canonical_url)) == {"updated": 1}
    engine = open_store(db_url)
    with Session(engine) as s:
        assert s.scalar(select(Recap.headline)) == "Show S1E1 recap (updated)"
    assert count(engine, Recap) == 1
    engine.dispose()


def test_same_body_elsewhere_is_a_copy(db_url):
    original = row()
    copy = row(url="https://b.example/syndicated", site="b.example",
               fingerprint=original.fingerprint)
    counts = store(db_url, (original, original.canonical_url), (copy, copy.canonical_url))
    assert counts == {"new": 1, "duplicate": 1}
    engine = open_store(db_url)
    assert count(engine, Recap) == 1
    with Session(engine) as s:
        assert s.execute(select(RecapCopy.url, RecapCopy.reason)).all() == \
            [("https://b.example/syndicated", "fingerprint")]
    engine.dispose()


def test_copy_declaring_the_original_converges_whichever_comes_first(db_url):
    original = row()
    copy = row(url="https://b.example/syndicated", canonical_url=original.canonical_url,
               site="a.example", fingerprint="fp-copy", headline="Copy headline")
    # The copy (keyed on the original's canonical URL) arrives first...
    assert store(db_url, (copy, "https://b.example/syndicated")) == {"new": 1}
    # ...then the original replaces its content and the copy is recorded as a copy.
    assert store(db_url, (original, original.canonical_url)) == {"duplicate": 1}
    assert store(db_url, (copy, "https://b.example/syndicated")) == {"duplicate": 1}
    engine = open_store(db_url)
    with Session(engine) as s:
        assert s.execute(select(Recap.url, Recap.headline, Recap.from_copy)).all() == \
            [("https://a.example/s1e1", "Show S1E1 recap", False)]
        assert s.scalars(select(RecapCopy.url)).all() == ["https://b.example/syndicated"]
    engine.dispose()


def test_one_show_however_spelled_and_two_episode_recaps(db_url):
    store(db_url,
          (row(), "https://a.example/s1e1"),
          (row(url="https://b.example/x", site="b.example", show="Shogun", season=None,
               episodes=[1, 2], fingerprint="fp-b"), "https://b.example/x"))
    engine = open_store(db_url)
    shows = repository.list_shows(engine)
    assert [(s["title"], s["episodes"], s["recaps"]) for s in shows] == [("Shōgun", 2, 2)]
    assert repository.resolve_show(engine, "shogun")["title"] == "Shōgun"
    episodes = repository.list_episodes(engine, shows[0]["id"])
    assert [(e["season"], e["episode"], e["recaps"]) for e in episodes] == [(1, 1, 2), (1, 2, 1)]
    assert episodes[0]["release_date"] == "2024-04-23"
    both = repository.list_recaps(engine, RecapFilter(show_id=shows[0]["id"], season=1,
                                                       episode=1))
    assert sorted(r["site"] for r in both) == ["a.example", "b.example"]
    two = repository.list_recaps(engine, RecapFilter(site="b.example"))
    assert two[0]["episodes"] == [1, 2] and two[0]["season"] == 1
    assert repository.list_recaps(engine, RecapFilter(platform="hulu", limit=1))[0]["show"] == "Shōgun"
    assert repository.list_recaps(engine, RecapFilter(
        since=datetime(2030, 1, 1, tzinfo=timezone.utc))) == []
    engine.dispose()


def test_unreachable_database_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot connect to postgresql"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("definitely not a url")
    with pytest.raises(StoreError, match="does not exist"):
        open_store("sqlite:////no/such/folder/recaps.db")


def _writer(url: str, start: int) -> None:
    rows = [row(url=f"https://a.example/e{i}", episodes=[i % 7 + 1], fingerprint=f"fp{i}")
            for i in range(40)]
    rows = rows[start:] + rows[:start]  # every writer in another order
    engine = open_store(url)
    for i in range(0, len(rows), 5):
        repository.store_batch(engine, [(r, r.canonical_url) for r in rows[i:i + 5]])
    engine.dispose()


def test_concurrent_writers_store_each_recap_once(db_url):
    open_store(db_url).dispose()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db_url, k * 13)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    engine = open_store(db_url)
    assert count(engine, Recap) == 40
    assert count(engine, Episode) == 7
    assert count(engine, Show) == 1 and count(engine, ShowAlias) == 1
    assert count(engine, RecapEpisode) == 40
    engine.dispose()
