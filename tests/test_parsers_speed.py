"""The fast paths of the parsers give the answers of the plain code they replace.

- headline.Gated: a substring gate plus a lowercase pattern stands for a re.I regex;
- dates.word_trie: a trie alternation prefers the same (longest) word as a flat one;
- index.PageIndex: one scan over all attribute values finds the elements a per-element
  regex would;
- platforms.pick: one scan over the joined texts scores what a scan per text would.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recapscraper.parsers import headline, platforms
from recapscraper.parsers.dates import MONTHS, word_trie
from recapscraper.parsers.index import PageIndex
from recapscraper.parsers.text import parse_tree

SAMPLES = [
    "‘The Bear’ Season 2, Episode 6 Recap: Fishes", "SHŌGUN SEASON FINALE REVIEW", "S02E04 recap",
    "Stranger Things 4 Volume II ending explained", "Staffel 1, Folge 10: Zusammenfassung",
    "La temporada 2, episodio 2: reseña y análisis", "Part III of the Mid-Season Finale",
    "When does Severance season 2 return? Release date, cast, trailer", "10 Best Episodes, Ranked",
    "The Prestige Pod, Episode 38", "Q&A: the showrunner in conversation", "Everything we know so far",
    "What to watch this weekend and more", "눈물의 여왕 7~8회 리뷰", "The pilot episode premiere",
    "Chapter Ten: The Season-Ender", "3x11 preview: what to expect", "Episode 201 recap", "",
    "ÉPISODE 5 — CRITIQUE", "series closer: the final episode", "Kapitel 4", "Pt. 2",
]
GATED = [(name, value) for name, value in vars(headline).items() if isinstance(value, headline.Gated)]
GATED += [(f"NEGATIVES[{k}]", v) for k, v in headline.NEGATIVES.items() if isinstance(v, headline.Gated)]


def _spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("name,gated", GATED, ids=[n for n, _ in GATED])
def test_gated_patterns_match_like_their_regex(name, gated):
    for text in SAMPLES:
        assert _spans(gated, text) == _spans(gated.pattern, text), (name, text)
        assert bool(gated.search(text)) == bool(gated.pattern.search(text)), (name, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SAMPLES) | st.text(max_size=20), max_size=6))
def test_gated_patterns_on_random_text(parts):
    text = " ".join(parts)
    for name, gated in GATED:
        assert _spans(gated, text) == _spans(gated.pattern, text), (name, text)


def test_gated_pattern_literals_are_lowercase():
    for name, gated in GATED:
        assert not re.findall(r"(?<!\\)[A-Z]", gated.pattern.pattern), name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdejmnorstuvyz ,.01239", max_size=40))
def test_word_trie_prefers_the_longest_word_like_a_flat_alternation(text):
    flat = re.compile("(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?\s+\d")
    trie = re.compile("(?:" + word_trie(MONTHS) + r")\.?\s+\d")
    assert _spans(trie, text) == _spans(flat, text)


def test_page_index_finds_what_a_per_element_regex_finds():
    html = """<html><body>
      <div class="Entry-Content x" id="main"><p itemprop="articleBody">x</p></div>
      <span class="byline"><a rel="author" href="/a">A B</a></span>
      <div class="entry-contents"></div><div class="entry-content">y</div>
      <time class="pub-date" datetime="2024-01-01">Jan 1</time><p class="tag-list">z</p>
    </body></html>"""
    root = parse_tree(html)
    index = PageIndex(root)
    for pattern in (r"date|time", r"byline|author", r"articlebody"):
        want = [el for el in root.iter() if isinstance(el.tag, str) and re.search(
            pattern, " ".join(el.get(a) or "" for a in ("class", "id", "itemprop", "rel")), re.I)]
        assert index.matching(re.compile(pattern)) == want, pattern
    tokens = index.matching(re.compile("entry-content"), "token")
    assert [el.get("class") for el in tokens] == ["Entry-Content x", "entry-content"]
    assert index.matching(re.compile(r"date|time"), limit=1) == [root.find(".//time")]


def test_page_index_boilerplate_and_noise_walks():
    root = parse_tree("""<html><body><article class="post tag-sidebar" id="x"><p id="a">x</p>
      <div class="related-list"><p id="b">y</p></div></article>
      <div class="card"><p id="c">z</p></div></body></html>""")
    index = PageIndex(root)
    by_id = {el.get("id"): el for el in root.iter("p")}
    assert not index.is_boilerplate(by_id["a"])
    assert index.is_boilerplate(by_id["b"])
    assert not index.is_boilerplate(by_id["c"])
    # "tag-sidebar" is a page class to the boilerplate rule (tokens), a sidebar to the noise rule
    assert index.is_noisy(by_id["c"]) and index.is_noisy(by_id["b"]) and index.is_noisy(by_id["a"])
    assert not index.is_noisy(root.find(".//body"))


@pytest.mark.parametrize("texts", [
    [("Watch it on Hulu.", 3.0), ("FX on Hulu and Disney+ in Germany", 1.0)],
    [("It airs on NBC", 1.0), ("", 1.0), ("streaming on Peacock (NBC)", 2.0), ("xHBO Max", 1.0)],
    [("the series is on Max", 1.0), ("Max and Paramount+ / BBC One", 0.5)],
])
def test_pick_over_joined_texts_equals_a_scan_per_text(texts):
    scores: dict = {}
    for text, weight in texts:
        for entry, strength in platforms.mentions(text):
            scores[(entry.kind, entry.name)] = scores.get((entry.kind, entry.name), 0) + weight * strength
    platform, network = platforms.pick(texts)
    best = {kind: max((s, n) for (k, n), s in scores.items() if k == kind)[1]
            for kind in ("platform", "network") if any(k == kind for k, _ in scores)}
    assert (platform, network) == (best.get("platform"), best.get("network"))
