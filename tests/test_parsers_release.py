"""Release dates and weekly schedules (recapscraper.parsers.release)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from types import SimpleNamespace

import pytest

from recapscraper.parsers.release import Schedule, parse_schedule, release_dates, split_sentences


@pytest.mark.parametrize("text,language,expected", [
    ("new episodes every Wednesday at 1.30 PM IST", "en", Schedule((2,), time(13, 30), "Asia/Kolkata")),
    ("It airs Saturdays and Sundays at 9:20 p.m. KST on tvN.", "en",
     Schedule((5, 6), time(21, 20), "Asia/Seoul")),
    ("매주 토요일과 일요일 밤 9시 20분 tvN에서 방송된다.", "ko", Schedule((5, 6), time(21, 20), "Asia/Seoul")),
    ("Neue Folgen laufen jeden Mittwoch um 20.15 Uhr.", "de", Schedule((2,), time(20, 15), "Europe/Berlin")),
    ("Se emite todos los jueves a las 21:00.", "es", Schedule((3,), time(21, 0), None)),
    ("SNL airs live at 11:30 p.m. ET on NBC on Saturdays.", "en",
     Schedule((5,), time(23, 30), "America/New_York")),
    ("tvN airs new episodes Saturday and Sunday nights in Korea.", "en", Schedule((5, 6), None, None)),
    ("The season premiered on Thursday, July 6.", "en", None),
    ("Episode 5 airs at 11 p.m.", "en", None),
    ("", None, None),
])
def test_parse_schedule(text, language, expected):
    assert parse_schedule(text, language) == expected


def test_schedule_in_utc_shifts_day_and_time_with_the_zone_in_force():
    ist = Schedule((2,), time(1, 30), "Asia/Kolkata")
    assert ist.in_utc(date(2024, 3, 1)) == Schedule((1,), time(20, 0), "UTC")
    et = Schedule((6,), time(21, 0), "America/New_York")
    assert et.in_utc(date(2024, 1, 10)) == Schedule((0,), time(2, 0), "UTC")  # EST, -5
    assert et.in_utc(date(2024, 7, 10)) == Schedule((0,), time(1, 0), "UTC")  # EDT, -4
    assert et.occurrence(date(2024, 7, 10)) == datetime(2024, 7, 14, 21, 0, tzinfo=et.occurrence(
        date(2024, 7, 10)).tzinfo)
    assert Schedule((6,)).in_utc(date(2024, 1, 1)) is None


def test_parse_schedule_never_raises_on_junk():
    for junk in ("every " * 500, "every Monday at 99:99 PM XYZ", "매주 " + "월요일과 " * 50, "\u202e every Friday"):
        parse_schedule(junk, "en")


def test_split_sentences_keeps_german_ordinal_days_and_abbreviated_months():
    assert split_sentences("In den USA lief sie am 23. April bei FX. Danach kam nichts.") == [
        "In den USA lief sie am 23. April bei FX.", "Danach kam nichts."]
    assert split_sentences("It wrapped up Wednesday, Dec. 18, on CBS. Spoilers ahead.") == [
        "It wrapped up Wednesday, Dec. 18, on CBS.", "Spoilers ahead."]
    assert len(split_sentences("Part 1 arrived on November 16. Part 2 premieres December 14.")) == 2


def _record(published: str, recap: bool, episodes=()):
    return SimpleNamespace(published_at=datetime.fromisoformat(published), is_episode_recap=recap,
                           episodes=list(episodes))


def test_release_dates_recap_resolves_year_and_skips_schedule_sentences():
    paragraphs = ["Quick housekeeping: tvN airs new episodes Saturday and Sunday nights in Korea.",
                  "The show returned on Sunday, June 16, on HBO and Max."]
    got = release_dates(paragraphs, _record("2024-06-17T01:00:00+00:00", True, [1]), "en")
    assert got == [date(2024, 6, 16)]
    only_slot = ["tvN airs new episodes Saturday and Sunday nights in Korea."]
    assert release_dates(only_slot, _record("2024-03-31T09:00:00+00:00", True, [7, 8]), "en") == []


def test_release_dates_guide_prefers_the_coming_release_and_reads_tables():
    refresher = ["Part 1 arrived on Netflix on November 16. Part 2 premieres on Netflix on December 14, 2023."]
    assert release_dates(refresher, _record("2023-12-07T12:00:00+00:00", False), "en") == [date(2023, 12, 14)]
    table = ["Schedule", "Episode 1", "March 5, 2024", "Episode 2", "March 12, 2024", "Episode 3",
             "March 19, 2024"]
    assert release_dates(table, _record("2024-03-10T12:00:00+00:00", False), "en") == [
        date(2024, 3, 5), date(2024, 3, 12), date(2024, 3, 19)]


def test_release_dates_without_publish_date_is_empty():
    assert release_dates(["It premiered on May 1, 2024."], SimpleNamespace(published_at=None), "en") == []
