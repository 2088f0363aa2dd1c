"""Headline and slug grammar: one row per headline shape."""
from __future__ import annotations

import pytest

from recapscraper.parsers.headline import parse_headline, parse_slug

# (headline, show, season, episodes, kind, finale, premiere, part)
SHAPES = [
    ("Reacher Episode 4 Recap and Review: Hit the Road", "Reacher", None, [4], "recap+review", False, False, None),
    ("Loki Season 2 Episode 3 Recap: 1893", "Loki", 2, [3], "recap", False, False, None),
    ("‘The Gilded Age’ Season 2 Episode 6 Recap: Close Enough to Touch", "The Gilded Age", 2, [6], "recap", False, False, None),
    ("“Fargo” Season 5, Episode 2 Recap", "Fargo", 5, [2], "recap", False, False, None),
    ("Yellowjackets recap: Season 3, Episode 4, 'Croak'", "Yellowjackets", 3, [4], "recap", False, False, None),
    ("Episode 1 Recap: Andor, Season 2", "Andor", 2, [1], "recap", False, False, None),
    ("Barry S4E8 recap: wow", "Barry", 4, [8], "recap", False, False, None),
    ("Dark Winds S02 E05 Review", "Dark Winds", 2, [5], "review", False, False, None),
    ("Rings of Power S2:E1 Recap", "Rings of Power", 2, [1], "recap", False, False, None),
    ("Bluey 3x11 review: Sleepytime", "Bluey", 3, [11], "review", False, False, None),
    ("Industry Review (3×11)", "Industry", 3, [11], "review", False, False, None),
    ("Poker Face 2.06 Review: A Murder in Queens", "Poker Face", 2, [6], "review", False, False, None),
    ("Silo Episode 201 Recap: The Engineer", "Silo", 2, [1], "recap", False, False, None),
    ("Lovely Runner: Episodes 1 & 2", "Lovely Runner", None, [1, 2], None, False, False, None),
    ("Lovely Runner Ep 7-8 Recap: Rain", "Lovely Runner", None, [7, 8], "recap", False, False, None),
    ("Lovely Runner Episodes 9 and 10 recap", "Lovely Runner", None, [9, 10], "recap", False, False, None),
    ("Slow Horses season two, episode four recap", "Slow Horses", 2, [4], "recap", False, False, None),
    ("'Grey's Anatomy' Season 20 Episode 4 Recap", "Grey's Anatomy", 20, [4], "recap", False, False, None),
    ("The fourth episode of Ripley, reviewed: a review", "Ripley", None, [4], "review", False, False, None),
    ("Happy Valley series three, episode two recap", "Happy Valley", 3, [2], "recap", False, False, None),
    ("The Mandalorian Chapter 17 Recap: The Apostate", "The Mandalorian", None, [], "recap", False, False, None),
    ("Abbott Elementary Season 3 Finale Recap: Party", "Abbott Elementary", 3, [], "recap", True, False, None),
    ("Fallout Series Premiere Review: The End", "Fallout", None, [], "review", False, True, None),
    ("Bridgerton Season 3 Part 2 Episode 5 Recap", "Bridgerton", 3, [5], "recap", False, False, 2),
    ("Stranger Things 4 Volume 2 Recap: Episode 8", "Stranger Things", 4, [8], "recap", False, False, 2),
    ("Survivor 46 Episode 3 Recap: Idol Frenzy", "Survivor", 46, [3], "recap", False, False, None),
    ("Soundtrack #2 Episode 3 Review", "Soundtrack #2", None, [3], "review", False, False, None),
    ("Star Wars: Ahsoka Episode 5 Review – Shadow Warrior", "Star Wars: Ahsoka", None, [5], "review", False, False, None),
    ("Dune: Prophecy Season 1 Episode 2 Recap", "Dune: Prophecy", 1, [2], "recap", False, False, None),
    ("Jujutsu Kaisen Episode 30 Recap (Season 2 Episode 6)", "Jujutsu Kaisen", 2, [6], "recap", False, False, None),
    ("Severance (Apple TV+) Recap: Hello, Ms. Cobel", "Severance", None, [], "recap", False, False, None),
    ("Shōgun Finale Ending Explained: The Dream", "Shōgun", None, [], "ending-explained", True, False, None),
    # Non-English
    ("„Dark“ Staffel 3, Folge 8: Unsere Kritik", "Dark", 3, [8], "review", False, False, None),
    ("Élite temporada 8, episodio 3: resumen", "Élite", 8, [3], "recap", False, False, None),
    ("Lupin saison 3, épisode 2 : notre critique", "Lupin", 3, [2], "review", False, False, None),
    ("[리뷰] '선재 업고 튀어' 5~6회", "선재 업고 튀어", None, [5, 6], "review", False, False, None),
    ("'무빙' 시즌 2 3회 리뷰", "무빙", 2, [3], "review", False, False, None),
    ("「葬送のフリーレン」第5話 感想", "葬送のフリーレン", None, [5], "review", False, False, None),
]


@pytest.mark.parametrize("text,show,season,episodes,kind,finale,premiere,part", SHAPES)
def test_headline_shapes(text, show, season, episodes, kind, finale, premiere, part):
    info = parse_headline(text)
    got = (info.show, info.season, info.episodes, info.kind, info.finale, info.premiere, info.part)
    assert got == (show, season, episodes, kind, finale, premiere, part)


@pytest.mark.parametrize("text,flag", [
    ("The Bear Season 3 Gets a Release Date and a Teaser", "release"),
    ("Squid Game Season 2: Release Date, Time and Where to Watch", "release"),
    ("The 10 Best Episodes of Succession, Ranked", "listicle"),
    ("The Watch Pod, Episode 41: Is The Bear Still Good?", "podcast"),
    ("A Line Cook on What The Bear Gets Right: Interview", "interview"),
    ("The Crown Season 6 Part 1 Recap: What to Remember Before Part 2", "refresher"),
    ("New on Streaming This Week: Severance, Daredevil and More", "roundup"),
    ("Category: Recaps", "listing"),
    ("Posts tagged “queen of tears”", "listing"),
])
def test_negative_shapes(text, flag):
    assert flag in parse_headline(text).flags


def test_season_review_has_no_episodes():
    info = parse_headline("Severance Season 2 Review: Even Stranger")
    assert (info.show, info.season, info.episodes, info.kind) == ("Severance", 2, [], "review")


def test_preview_kind():
    info = parse_headline("‘House of the Dragon’ Season 2, Episode 2 Preview: What to Expect")
    assert (info.show, info.season, info.episodes, info.kind) == ("House of the Dragon", 2, [2], "preview")


def test_outlet_prefix_and_quoted_show():
    assert parse_headline("HBO's 'The Last of Us' Season 2 Episode 3 Recap").show == "The Last of Us"


def test_absurd_numbers_are_not_episodes():
    info = parse_headline("Episode 99999999999 Recap: Season 123456")
    assert info.episodes == [] and info.season is None


@pytest.mark.parametrize("url,season,episodes", [
    ("https://x.example/recaps/queen-of-tears-ep-78-recap/", None, [7, 8]),
    ("https://x.example/tv/2024/5/1/1234/the-boys-season-4-episode-2-recap-life-among-septics", 4, [2]),
    ("https://x.example/fargo-s05e03-review-1234567/", 5, [3]),
])
def test_slug(url, season, episodes):
    info = parse_slug(url)
    assert (info.season, info.episodes) == (season, episodes)


# (headline, show, season, flags that must be set): show names cut at negative shapes,
# box-set words, edition years, speech quotes; plural/ranged seasons; quoted-title roundups.
SHOW_EDGES = [
    ("Harbour Lane Spoilers: Mia returns with a secret", "Harbour Lane", None, {"release"}),
    ("Island Match 2019 Spoilers: Who Is Dana Lee, Season 7 Contestant?", "Island Match", 7, {"release"}),
    ("Babylon 5: The Complete Fourth Season", "Babylon 5", 4, set()),
    ("Lighthouse Keepers - The Complete Series", "Lighthouse Keepers", None, set()),
    ("Night Ferry Episode Release Schedule: When Is the Next Episode?", "Night Ferry", None, {"release"}),
    ("10 Best The Bear Episodes Ranked (Seasons 1-2)", "The Bear", None, {"listicle"}),
    ("Jo Pennant says 'I nearly fell off my chair' as Brain Trust player names job", None, None, set()),
    ("Écrans : «Les Veilleurs», «Marée basse», «Le Dernier Quai»…", "Les Veilleurs", None, {"roundup"}),
    ("Interview: Why the Night Ferry finale had to end at sea", "Night Ferry", None, {"interview"}),
    ("The Last of Us, temporada 2, episodio 2: resumen", "The Last of Us", 2, set()),
]


@pytest.mark.parametrize("text,show,season,flags", SHOW_EDGES)
def test_show_edges(text, show, season, flags):
    info = parse_headline(text)
    assert (info.show, info.season) == (show, season)
    assert flags <= info.flags
