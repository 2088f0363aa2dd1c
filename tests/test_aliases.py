"""Other names of a show found on pages, and one show in the store however it is written."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from recapscraper.ingest import SavedPage, ingest
from recapscraper.parsers.aliases import show_aliases
from recapscraper.parsers.page import parse_page
from storage.db import open_store
from storage.models import Show, ShowAlias

FETCHED = datetime(2023, 12, 8, tzinfo=timezone.utc)


def page(title: str, lead: str, lang: str = "en", jsonld: str = "") -> str:
    filler = " ".join(["The episode spends its time with the two leads and their old songs."] * 25)
    return (f'<html lang="{lang}"><head><title>{title}</title>{jsonld}'
            '<meta property="article:published_time" content="2023-12-07T10:00:00+09:00">'
            f'</head><body><article><h1>{title}</h1><p class="byline">By Jane Doe</p>'
            f"<p>{lead}</p><p>{filler}</p></article></body></html>")


@pytest.mark.parametrize("show, texts, expected", [
    ("Soundtrack #2", ["Soundtrack #2 (사운드트랙#2) Episode 1 Recap"], ["사운드트랙#2"]),
    ("Lovely Runner", ["The K-drama Lovely Runner (Korean: 선재 업고 튀어; lit. Run with "
                       "Sun-jae on Your Back) is on Viki."], ["선재 업고 튀어"]),
    ("Money Heist", ["Money Heist, also known as La Casa de Papel, returns."],
     ["La Casa de Papel"]),
    ("Squid Game", ["Squid Game (오징어 게임 / Ojing-eo Geim) is back."],
     ["오징어 게임", "Ojing-eo Geim"]),
    # not names: a year, a platform, a network, a season, a country, a remark
    ("The Bear", ["The Bear (2022) is on Hulu. The Bear (FX on Hulu) is great. "
                  "The Bear (season 2) continues. The Bear (US) and The Bear (spoilers ahead)."],
     []),
    ("Ghosts", ["Ghosts (CBS) Season 3 Episode 2 Recap", "ghosts (Netflix)"], []),
    ("La La Land", ["La La Land (which opens in theaters on December 9th) is a musical."], []),
    # the name must stand right after the show's own name, as a whole word
    ("Lost", ["Lostwithiel (Cornwall) is a town.", "A lost dog (Rex) came home."], []),
    ("Shōgun", ["SHŌGUN (Shōgun) Episode 9"], []),  # its own name is not an alias
    ("Shōgun", ["Shōgun (Shogun) Episode 9"], ["Shogun"]),
])
def test_aliases_next_to_the_show_name(show, texts, expected):
    assert show_aliases(show, texts) == expected


def test_aliases_from_series_json_ld_and_never_raises_on_odd_nodes():
    ld = [{"@graph": [{"@type": "NewsArticle", "about": {
        "@type": ["TVSeries"], "name": "Lovely Runner",
        "alternateName": ["선재 업고 튀어", "Lovely Runner", 7, None]}}]},
        {"@type": "TVSeries", "name": "Another Show", "alternateName": "Other"},
        {"@type": "TVSeries", "about": [[[]]] * 3}, "not a dict"]
    assert show_aliases("Lovely Runner", [], ld) == ["선재 업고 튀어"]


def test_the_page_records_the_original_title_and_keeps_the_show_clean():
    record = parse_page("https://recaps.example/soundtrack-2-episode-1/",
                        page("Soundtrack #2 (사운드트랙#2) Episode 1 Recap and Review",
                             "Soundtrack #2 is streaming on Disney+."), FETCHED)
    assert (record.show, record.episodes, record.platform) == ("Soundtrack #2", [1], "Disney+")
    assert record.show_aliases == ["사운드트랙#2"]


@pytest.mark.parametrize("korean_first", [True, False])
def test_a_korean_page_and_an_english_page_make_one_show(db_url, korean_first):
    english = SavedPage("en", "https://recaps.example/soundtrack-2-episode-1/", page(
        "Soundtrack #2 Episode 1 Recap and Review",
        "Soundtrack #2 (Korean: 사운드트랙#2) is a Disney+ original.").encode(), FETCHED)
    korean = SavedPage("ko", "https://drama.example.kr/review/101", page(
        "사운드트랙#2 1회 리뷰", "디즈니+ 오리지널 사운드트랙#2 1회는 이별로 시작한다.",
        lang="ko").encode(), FETCHED)
    pages = [korean, english] if korean_first else [english, korean]
    for one in pages:  # separate batches: the second page finds what the first stored
        report = ingest(iter([one]), db_url)
        assert report.stats.get("recaps/new") == 1, report.stats
    engine = open_store(db_url)
    with Session(engine) as s:
        shows = s.scalars(select(Show.title)).all()
        aliases = set(s.scalars(select(ShowAlias.alias)).all())
    engine.dispose()
    assert len(shows) == 1, shows
    assert {"Soundtrack #2", "사운드트랙#2"} <= aliases | set(shows)
