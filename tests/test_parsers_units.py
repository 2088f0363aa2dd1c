"""Unit tests for decoding, JSON-LD leniency, bylines, dates and platforms."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from recapscraper.parsers import platforms
from recapscraper.parsers.dates import find_dates, find_relative, parse_machine
from recapscraper.parsers.metadata import clean_author, load_json_lenient, text_byline
from recapscraper.parsers.text import decode_html

BASE = datetime(2024, 4, 2, 9, 30, tzinfo=timezone.utc)


def test_decode_prefers_valid_utf8_over_declared_cp1252():
    page = '<meta charset="windows-1252"><p>«Tatort» Schönfeld</p>'.encode("utf-8")
    assert "«Tatort» Schönfeld" in decode_html(page)


def test_decode_real_cp1252_and_http_header_and_bom():
    page = '<meta charset="windows-1252"><p>análisis «x»</p>'.encode("cp1252")
    assert "análisis «x»" in decode_html(page)
    assert "é" in decode_html("<p>é</p>".encode("latin-1"), "text/html; charset=ISO-8859-1")
    assert decode_html("\ufeff<p>ō</p>".encode("utf-8")) == "<p>ō</p>"


@pytest.mark.parametrize("raw", [
    '{"@type":"Article","headline":"x",}',
    '{"@type":"Article","headline":"line\nbreak"}',
    '{"@type":"Article","headline":"He said "hi" twice","author":"A"}',
    '<!-- {"@type":"Article"} -->',
    '<![CDATA[ {"@type":"NewsArticle","author":{"name":"A B"}} ]]>',
    '//<![CDATA[\n{"@type":"Article"}\n//]]>',
    '/*<![CDATA[*/{"@type":"Article"}/*]]>*/',
])
def test_lenient_json(raw):
    assert isinstance(load_json_lenient(raw), dict)


@pytest.mark.parametrize("raw,name", [
    ("By DAVID LIEBERMAN, Executive Editor", "David Lieberman"),
    ("Von Britta Schultejans, dpa", "Britta Schultejans"),
    ("김서연 기자", "김서연"),
    ("Streaming Sherpa Staff", None),
    ("TVT-Redaktion", None),
    ("https://www.facebook.com/someone", None),
    ("dramaqueen88", None),
    ("@handle", None),
    ("Juan Carlos Muñoz C.", "Juan Carlos Muñoz C."),
    ("Lisa de Moraes", "Lisa de Moraes"),
    ("Jane Doe Jane Doe", "Jane Doe"),  # a byline that repeats the name
])
def test_clean_author(raw, name):
    assert clean_author(raw) == name


@pytest.mark.parametrize("texts,name", [
    (["By Lisa de Moraes Lisa de Moraes TV Columnist More Stories By Lisa Other Story Headline"],
     "Lisa de Moraes"),
    (["By Rafael van der Vaart | May 2, 2024"], "Rafael van der Vaart"),
    (["By Ann Lee Updated May 2, 2024"], "Ann Lee"),
])
def test_text_byline_keeps_name_particles(texts, name):
    assert text_byline(texts) == name


@pytest.mark.parametrize("text,expected", [
    ("Posted 2 days ago", BASE - timedelta(days=2)),
    ("19 hours ago", BASE - timedelta(hours=19)),
    ("vor 23 Minuten", BASE - timedelta(minutes=23)),
    ("hace 4 horas", BASE - timedelta(hours=4)),
    ("3시간 전", BASE - timedelta(hours=3)),
    ("yesterday", BASE - timedelta(days=1)),
])
def test_relative_dates(text, expected):
    assert find_relative(text, BASE) == expected


def test_visible_dates_with_zones_and_languages():
    found = find_dates("April 23, 2024 11:05pm PT")[0][0]
    assert found.isoformat() == "2024-04-23T23:05:00-07:00"
    assert find_dates("Publicado el 21 de abril de 2025")[0][0] == date(2025, 4, 21)
    assert find_dates("승인 2024.04.16 10:00")[0][0] == datetime(2024, 4, 16, 10, 0)
    assert find_dates("2024년 3월 11일")[0][0] == date(2024, 3, 11)
    assert find_dates("Sunday 5 February", default_year=2023)[0][0] == date(2023, 2, 5)
    # "ist" is a German word, not India Standard Time.
    assert find_dates("am 9. Oktober 2019 um 20:15 Uhr ist")[0][0].tzinfo is None


@pytest.mark.parametrize("raw,iso", [
    ("2020-11-02T19:29:35+0000", "2020-11-02T19:29:35+00:00"),
    ("2014-12-29 19:13:00 UTC", "2014-12-29T19:13:00+00:00"),
    ("2018-11-28CET11:59:00+0100", "2018-11-28T11:59:00+01:00"),
    ("14-12-28", "2014-12-28"),
    ("2024-03-11", "2024-03-11"),
])
def test_machine_timestamps(raw, iso):
    assert parse_machine(raw).isoformat() == iso


@pytest.mark.parametrize("texts,when,platform,network", [
    ([("It aired Tuesday on FX and is streaming on Hulu.", 1)], None, "Hulu", "FX"),
    ([("The premiere debuted April 13 on HBO and Max.", 1)], date(2025, 4, 14), "HBO Max", "HBO"),
    ([("It debuted on HBO and Max.", 1)], date(2020, 1, 1), None, "HBO"),
    ([("The song that saved Max is back.", 1)], date(2024, 1, 1), None, None),
    ([("Andor (Disney+) Recap", 1)], None, "Disney+", None),
    ([("tvN에서 방송되며, 넷플릭스를 통해서도 공개된다.", 1)], None, "Netflix", "tvN"),
    ([("Watch it on NOW and Sky Atlantic.", 1)], None, "NOW", "Sky Atlantic"),
    ([("NBC News reported the ratings.", 1)], None, None, None),
])
def test_platform_pick(texts, when, platform, network):
    assert platforms.pick(texts, when) == (platform, network)


def test_canonical_aliases():
    assert platforms.canonical("Disney Plus") == "Disney+"
    assert platforms.canonical("Amazon Prime Video") == "Prime Video"
    assert platforms.canonical("FX on Hulu") == "Hulu"
    assert platforms.canonical("HBO", "platform") is None


def test_attribute_index_maps_matches_after_a_value_that_lengthens_when_lowercased():
    from recapscraper.parsers.index import PageIndex
    from recapscraper.parsers.text import parse_html

    # "İ".lower() is two characters: the offsets of everything after it move
    root = parse_html("<html><body><div class='" + "İ" * 40 + "'><p class='x'>a</p></div>"
                      "<span class='author-name'>Jane Doe</span>"
                      + "<p class='zz'>b</p>" * 20 + "</body></html>")
    found = PageIndex(root).matching_words(("author",))
    assert [(el.tag, el.get("class")) for el in found] == [("span", "author-name")]
