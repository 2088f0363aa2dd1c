"""Show and episode identity: one show however spelled, guarded fuzzy matching,
user corrections that survive re-crawls, episode rows shared across sites."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import repository
from storage.db import open_store
from storage.identity import show_key, split_season_number
from storage.models import Episode, EpisodeFact, Show, ShowCorrection
from storage.repository import RecapFilter, RecapRow

T0 = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
_n = iter(range(10**6))


def row(show: str, season: int | None = 1, episodes=(1,), site: str = "a.example",
        published: datetime = T0, **kw) -> RecapRow:
    n = next(_n)
    url = kw.pop("url", f"https://{site}/recap-{n}")
    return RecapRow(url=url, canonical_url=url, site=site, headline=f"{show} recap {n}",
                    kind="recap", fingerprint=kw.pop("fingerprint", f"fp-{n}"), body="b",
                    show=show, season=season, episodes=list(episodes), published_at=published,
                    **kw)


def store(url: str, *rows: RecapRow):
    engine = open_store(url)
    try:
        return repository.store_batch(engine, [(r, r.canonical_url) for r in rows])
    finally:
        engine.dispose()


def shows(url: str) -> dict[str, int]:
    engine = open_store(url)
    out = {s["title"]: s["recaps"] for s in repository.list_shows(engine)}
    engine.dispose()
    return out


@pytest.mark.parametrize("a, b", [
    ("Shōgun", "Shogun"), ("Soundtrack #2", "Soundtrack 2"), ("‘The Bear’", "The Bear"),
    ("Grey’s Anatomy", "Greys Anatomy"), ("Law & Order", "Law and Order"),
])
def test_spellings_of_one_show_share_a_key(a, b):
    assert show_key(a) == show_key(b)


def test_trailing_season_number_is_not_part_of_the_show():
    assert split_season_number("Survivor 47", 47) == "Survivor"
    assert split_season_number("Stranger Things 4", 4) == "Stranger Things"
    assert split_season_number("Soundtrack #2", 2) == "Soundtrack #2"
    assert split_season_number("Station 9", 3) == "Station 9"


def test_spellings_resolve_to_one_show_and_numbers_never_merge(db_url):
    store(db_url, row("Shōgun"), row("Shogun", site="b.example"),
          row("Soundtrack #1"), row("Soundtrack #2"), row("Soundtrack 2", site="b.example"),
          row("Survivor 46", season=46), row("Survivor 47", season=47),
          row("The Walking Dead"), row("Walking Dead"),
          row("The Handmaid's Tale"), row("The Handmaids Tail", site="c.example"))
    got = shows(db_url)
    assert got["Shōgun"] == 2
    assert got["Soundtrack #1"] == 1 and got["Soundtrack #2"] == 2
    assert got["Survivor"] == 2 and "Survivor 47" not in got
    assert "The Walking Dead" in got and "Walking Dead" in got  # no evidence: kept apart
    assert got["The Handmaid's Tale"] == 2  # a near-identical spelling, numbers agree
    engine = open_store(db_url)
    survivor = repository.resolve_show(engine, "Survivor")
    seasons = {e["season"] for e in repository.list_episodes(engine, survivor["id"])}
    assert seasons == {46, 47}
    aliases = next(s["aliases"] for s in repository.list_shows(engine) if s["title"] == "Survivor")
    assert "Survivor 47" in aliases
    engine.dispose()


def test_a_page_giving_two_names_links_them(db_url):
    store(db_url, row("Queen of Tears", show_aliases=["눈물의 여왕"]))
    store(db_url, row("눈물의 여왕", site="k.example"))
    assert shows(db_url) == {"Queen of Tears": 2}


def test_recaps_of_one_episode_from_many_sites_share_the_episode_row(db_url):
    store(db_url, row("Andor", 1, [10], site="a.example"), row("Andor", 1, [10], site="b.example"),
          row("Queen of Tears", None, [1, 2], site="c.example"))
    engine = open_store(db_url)
    with Session(engine) as s:
        assert s.scalars(select(Episode.number).join(Show).where(Show.title == "Andor")).all() == [10]
    qot = repository.resolve_show(engine, "queen of tears")
    assert [(e["season"], e["episode"]) for e in repository.list_episodes(engine, qot["id"])] == \
        [(1, 1), (1, 2)]
    both = repository.list_recaps(engine, RecapFilter(show_id=qot["id"], episode=2))
    assert len(both) == 1 and both[0]["episodes"] == [1, 2]
    engine.dispose()


def test_page_without_season_joins_the_known_season(db_url):
    store(db_url, row("Severance", 2, [1], published=T0))
    store(db_url, row("Severance", None, [1], site="b.example", published=T0 + timedelta(days=1)))
    engine = open_store(db_url)
    sev = repository.resolve_show(engine, "Severance")
    assert [(e["season"], e["recaps"]) for e in repository.list_episodes(engine, sev["id"])] == [(2, 2)]
    # with two known seasons, the one whose recaps were published nearest wins
    store(db_url, row("Severance", 1, [1], site="c.example", published=T0 - timedelta(days=900)))
    store(db_url, row("Severance", None, [1], site="d.example",
                      published=T0 - timedelta(days=899)))
    eps = {(e["season"], e["episode"]): e["recaps"] for e in repository.list_episodes(engine, sev["id"])}
    assert eps == {(1, 1): 2, (2, 1): 2}
    engine.dispose()


def test_release_dates_and_platform_aggregate_with_provenance(db_url):
    d1, d2 = date(2024, 4, 23), date(2024, 4, 24)
    store(db_url,
          row("Shōgun", 1, [10], site="a.example", release_dates=[d1], platform="Hulu",
              network="FX", published=T0),
          row("Shōgun", 1, [10], site="b.example", release_dates=[d2], platform="Disney+",
              published=T0 - timedelta(hours=1)),
          row("Shōgun", 1, [10], site="c.example", release_dates=[d1], platform="Hulu",
              published=T0 + timedelta(hours=1)))
    engine = open_store(db_url)
    show = repository.resolve_show(engine, "Shogun")
    [ep] = repository.list_episodes(engine, show["id"])
    assert ep["release_date"] == "2024-04-23"  # two sources beat one earlier source
    with Session(engine) as s:
        sh = s.get(Show, show["id"])
        assert (sh.platform, sh.network) == ("Hulu", "FX")
        assert len(s.scalars(select(EpisodeFact)).all()) == 3  # one per recap: provenance
    engine.dispose()
    store(db_url, row("Shogun", 1, [10], site="d.example", release_dates=[d2],
                      published=T0 - timedelta(hours=2)))
    engine = open_store(db_url)
    [ep] = repository.list_episodes(engine, show["id"])
    assert ep["release_date"] == "2024-04-24"  # 2 sources each: the earliest published wins
    engine.dispose()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", *args], capture_output=True,
                          text=True, timeout=60)


def test_merge_and_split_survive_recrawls(db_url):
    walking = [row("The Walking Dead", url="https://a.example/twd-1"),
               row("Walking Dead", site="b.example", url="https://b.example/wd-1")]
    store(db_url, *walking)
    out = cli("shows", "merge", "The Walking Dead", "Walking Dead", "--db", db_url)
    assert out.returncode == 0, out.stderr
    assert shows(db_url) == {"The Walking Dead": 2}
    store(db_url, *walking, row("Walking Dead", site="c.example"))  # a re-crawl, and a new page
    assert shows(db_url) == {"The Walking Dead": 3}

    store(db_url, row("Soundtrack", url="https://a.example/st-1"),
          row("Soundtrack", show_aliases=["Soundtrack #2"], url="https://a.example/st2-1"))
    store(db_url, row("Soundtrack #2", url="https://b.example/st2-2", site="b.example"))
    assert shows(db_url)["Soundtrack"] == 3  # a page wrongly linked the two names
    out = cli("shows", "split", "Soundtrack", "Soundtrack #2", "--db", db_url)
    assert out.returncode == 0, out.stderr
    assert shows(db_url)["Soundtrack #2"] == 1 and shows(db_url)["Soundtrack"] == 2
    store(db_url, row("Soundtrack #2", url="https://b.example/st2-2", site="b.example"),
          row("Soundtrack #2", site="c.example"))
    assert shows(db_url)["Soundtrack #2"] == 2
    engine = open_store(db_url)
    with Session(engine) as s:
        assert [c.action for c in s.scalars(select(ShowCorrection).order_by(ShowCorrection.id))] \
            == ["merge", "split"]
    engine.dispose()


def test_bad_corrections_are_clear_errors(sqlite_url):
    store(sqlite_url, row("Andor"))
    out = cli("shows", "merge", "Andor", "Nope", "--db", sqlite_url)
    assert out.returncode == 1 and "no show named 'Nope'" in out.stderr
    out = cli("shows", "merge", "Andor", "andor", "--db", sqlite_url)
    assert out.returncode == 1 and "already one show" in out.stderr
    out = cli("shows", "split", "Andor", "Andor", "--db", sqlite_url)
    assert out.returncode == 1 and "only name" in out.stderr
    out = cli("shows", "merge", "Andor", "--db", sqlite_url)
    assert out.returncode == 1 and "two names" in out.stderr


def test_show_schedule_is_the_most_stated_slot(db_url):
    slot = {"weekdays": [2], "time": "13:30", "tz": "Asia/Kolkata",
            "utc": {"weekdays": [2], "time": "08:00"}}
    store(db_url, row("Harbor Lights", schedule=slot), row("Harbor Lights", site="b.example",
                                                            schedule=slot),
          row("Harbor Lights", site="c.example", schedule={"weekdays": [3], "time": "09:00",
                                                           "tz": "UTC", "utc": {"weekdays": [3],
                                                                                "time": "09:00"}}))
    engine = open_store(db_url)
    with Session(engine) as s:
        assert s.scalar(select(Show.schedule)) == "Wed 08:00 UTC"
    engine.dispose()
