"""More fast paths of the parsers, each checked against the plain code it replaces.

(tests/test_parsers_speed.py holds the first ones.) Each test states the plain form:
the regex or loop the parser used before, and asserts the fast one answers the same.
"""
from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from recapscraper.parsers import dates, headline, platforms, release, timestamps, tvfields
from recapscraper.parsers.index import PageIndex
from recapscraper.parsers.text import QUOTE_FOLD, fold, parse_tree, word_count, words


def _words(vocabulary: list[str], max_size: int = 8):
    """Texts made of words that the patterns care about, glued or spaced."""
    return st.builds(lambda parts, sep: sep.join(parts),
                     st.lists(st.sampled_from(vocabulary) | st.text(max_size=3), max_size=max_size),
                     st.sampled_from(["", " ", "-", "\n"]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab `’“—–\xa0\u200bﬁＡé", max_size=30) | st.text(max_size=30))
def test_fold_replaces_like_translate(text):
    assert fold(text) == unicodedata.normalize("NFKC", text).translate(QUOTE_FOLD)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab _1-'’“”—\n\t\xa0•·.,ΩŞ\x1f\x0b\x1cé필", max_size=40) | st.text(max_size=40))
def test_word_count_and_words_like_findall(text):
    assert word_count(text) == len(re.findall(r"\w+", text))
    assert words(text) == re.findall(r"\w+", text)


CONTEXT_WORDS = ["on", "via", "to", "the", "a través de", "streaming", "streams", "stream", "(", ")",
                 "both", "Hulu", "and", "&", "/", "or", "+", "aired", "Diffusé", "diffusion", "hit",
                 "white", ".", "!", "?", "exclusively", "now", "watch it", "available", "ON",
                 "läuft", "LÄUFT", "Prime+", "x", "1", "_", "ı", "ſ", "İ", "K"]


@settings(max_examples=500, deadline=None)
@given(_words(CONTEXT_WORDS, 10))
def test_reversed_context_patterns_answer_like_the_end_anchored_ones(text):
    before = text[-60:]
    expected = (bool(platforms._STRONG_BEFORE.search(before)),
                bool(platforms._CONTEXT_BEFORE.search(before)))
    assert platforms._context_before(before) == expected


# The plain forms: an alternation of \b-led words, case-insensitive.
OTHER_EPISODE = re.compile(r"\bnext\b|\bupcoming\b|\bwill\b|\bremain|\bprevious\b|\blast week\b|"
                           r"\bcatch up\b|\bread (?:our|more)\b|\bnächste\b|\bpróximo\b|\bcoming\b", re.IGNORECASE)
PAST_FINALE = re.compile(r"\b(?:season|series)\s+(?:\d+\s+)?finale\b.*\b(?:was|will)\b", re.IGNORECASE)
RELEASE_OTHER = re.compile(r"\bnext\b|\bupcoming\b|\bprevious\b|\blast week\b|"
                           r"\bfollowing (?:week|episode|installment|chapter|day)|\bnächste|"
                           r"\bpróximo|\bsiguiente|\btercer\b|다음|오는|\bremaining\b|\bfinale (?:is|will)\b")
SENTENCE_WORDS = ["next", "NEXT", "upcoming", "will", "Will", "remain", "remaining", "previous", "last",
                  "week", "following", "episode", "day", "nächste", "NÄCHSTE", "próximo", "tercer",
                  "finale", "FINALE", "is", "was", "season", "Series", "2", "catch up", "read", "our",
                  "more", "coming", "다음", "오는", "the", ",", ".", "ı", "ſ", "İ"]


@settings(max_examples=500, deadline=None)
@given(_words(SENTENCE_WORDS))
def test_trie_sentence_patterns_match_like_flat_alternations(text):
    assert bool(tvfields._search_lower(tvfields._OTHER_EPISODE, text)) == bool(OTHER_EPISODE.search(text))
    assert bool(tvfields._search_lower(tvfields._PAST_FINALE, text, "finale")) == bool(
        PAST_FINALE.search(text))
    low = text.lower()
    assert [m.span() for m in release._OTHER.finditer(low)] == [m.span() for m in
                                                                 RELEASE_OTHER.finditer(low)]


def _plain_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", fold(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ _-'.:!\x1c\x1f\t\n1é’ōﬁ", max_size=20) | st.text(max_size=20))
def test_title_key_ascii_path(text):
    assert tvfields._key(text) == _plain_key(text)


# The plain sentence gap: a lookbehind on the stop (release._SENTENCE leads with the stop).
SENTENCE_GAP = re.compile(r"(?<=[.!?。])\s+(?=[^\da-z])")


def _plain_split(text: str) -> list[str]:
    out: list[str] = []
    for piece in SENTENCE_GAP.split(text):
        if out and release._ORDINAL_END.search(out[-1]) and release._MONTH_START.match(piece):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


@settings(max_examples=300, deadline=None)
@given(_words(["am", "23.", "April", "Mai", "x.", "The", "a", "1.", "12.", "123.", "Dec.", "18", "!",
               "?", "。", "Z", "aired", "a1.", "März", "ok."], 10))
def test_lazy_sentences_split_like_the_list(text):
    assert release.split_sentences(text) == _plain_split(text)
    assert [m.span(1) for m in release._SENTENCE.finditer(text)] == [
        m.span() for m in SENTENCE_GAP.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=".!?。 \t\n\xa0\u2003aZ1é\"(", max_size=30))
def test_sentence_gaps_led_by_the_stop_are_the_lookbehind_gaps(text):
    assert [m.span(1) for m in release._SENTENCE.finditer(text)] == [
        m.span() for m in SENTENCE_GAP.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(_words(["every", "Monday", "mondays", "Mittwoch", "jeden", "at", "9", "p.m.", "ET", "매주",
               "토요일", "Ｍｏｎｄａｙ", "Mon\u200bday", "Sunday nights", "airs", "FRİDAY"]))
def test_schedule_gate_never_drops_a_slot(text):
    assert release.parse_schedule(text, "en") == release._parse_schedule(fold(text), "en")


@settings(max_examples=200, deadline=None)
@given(_words(["2024", "-", "/", ".", "03", "11", "년", "월", "일", "年", "月", "日", "April", "23,",
               "at", "9:30", "pm", "ET"]))
def test_date_patterns_skipped_by_their_literal_find_nothing(text):
    fast = dates.find_dates(text, 2024)
    saved = dates._NEEDS
    dates._NEEDS = ("",) * len(saved)
    try:
        assert dates.find_dates(text, 2024) == fast
    finally:
        dates._NEEDS = saved


PAGE = """<html><body><header><nav class="menu"><a href="/">Home</a></nav>
  <h1 class="title">Show Recap: Title</h1><p class="dek">A dek <b>bold</b> tail</p></header>
  <div class="byline">By <a rel="author">Ann Lee</a> <!-- c --> <time datetime="2024-01-01">Jan 1</time></div>
  <article><p>First <i>para</i> text.</p> between <p>Second</p><aside class="related-card">
  <p>Other</p></aside><script>var x = 1;</script>  \n </article><footer id="site-footer">F</footer>
  </body></html>"""


def test_following_texts_walk_like_the_xpath():
    root = parse_tree(PAGE)
    xpath = etree.XPath("following::text()[normalize-space()][position() <= 40]")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        want = [(str(t), t.getparent()) for t in xpath(el)]
        got = [(t, owner) for t, owner in timestamps._following_texts(el) if t.strip(" \t\n\r")][:40]
        assert got == want, el.tag


@pytest.mark.parametrize("text", ["‘The Bear’ Season 2, Episode 6 Recap: Fishes", "S02E04 recap", ""])
def test_parse_headline_copies_every_field(text):
    cached = headline._parse_cached(text, False)
    copy = headline.parse_headline(text)
    assert copy == cached and copy is not cached
    assert copy.episodes is not cached.episodes and copy.flags is not cached.flags


ALIAS_WORDS = ["Netflix", "Hulu", "HBO", "HBO Max", "Maxx", "Max", "iPlayer", "iPlayers", "BBC iPlayer",
               "tvN", "tvNx", "xtvN", "discovery+", "discovery+x", "iQIYI", "iQiyi.", "iQiyi.com",
               "Disney+", "Disney Plus", "on", "+", "&", ".", "a", "_"]


@settings(max_examples=500, deadline=None)
@given(_words(ALIAS_WORDS, 10))
def test_split_alias_scan_finds_what_the_one_trie_finds(text):
    pattern, _ = platforms._table()
    want = [(m.start(), m.end(), m.group(0)) for m in platforms._matches(pattern, text)]
    assert list(platforms._alias_hits(text)) == want


ATTR_WORDS = ["date", "dateline", "time", "timestamp", "meta", "entry-content", "entry-contentx",
              "articlebody", "article-body", "tag", "x", "-", "_", " ", "Date", "aa", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["class", "id", "rel", "itemprop"]), _words(ATTR_WORDS, 4)),
                max_size=12),
       st.sampled_from([(("date", "time", "dateline", "timestamp", "meta"), None),
                        (("entry-content",), "token"), (("articlebody",), "word"),
                        (("a", "aa", "tag"), "word")]),
       st.sampled_from([None, ("rel",), ("class", "id")]), st.sampled_from([1, 3, 100_000]))
def test_matching_words_finds_what_the_trie_regex_finds(attrs, words_bound, names, limit):
    body = "".join(f'<span {name}="{html.escape(value.strip() or "v")}">t</span>' for name, value in attrs)
    index = PageIndex(parse_tree(f"<html><body><div>{body}</div></body></html>"))
    words, bound = words_bound
    want = index.matching(re.compile(dates.word_trie(words)), bound, names, limit)
    assert index.matching_words(words, bound, names, limit) == want


TITLE_SAMPLES = [
    "‘The Bear’ Season 2, Episode 6 Recap: Fishes", "The Bear Season 2 Episode 6 Recap: Fishes | Site",
    "Severance S2E4 recap: “Woe’s Hollow” takes MDR into the woods", "Severance Season 2 Finale Recap",
    "Severance Season 2 Episode 4 Recap: Woe's Hollow - TV Watch Post", "Stranger Things 4 Volume 2 Recap",
    "Shōgun Premiere Review: Episodes 1 & 2 'Anjin'", "Andor Season 1 Episode 10 Recap: One Way Out",
    "Stranger Things 4 Episode 9 recap: The Piggyback", "The Crown Season 6 Part 2 Episode 7 Recap: Ritz",
    "10 Best Episodes of The Bear, Ranked", "Happy Valley Series 3 Episode 6 Recap: The Finale",
]
SLUGS = ["https://x.example/tv/severance-season-2-finale-recap/", "https://x.example/the-bear-s2e6-recap",
         "https://x.example/shogun-premiere-review-episodes-1-2/", "https://x.example/2024/05/01/ok/"]


def _resolve(headline_text: str, titles: list[str], url: str, skip: bool):
    from recapscraper.parsers import page

    head = headline.parse_headline(headline_text)
    parsed = [] if skip and page._titles_add_nothing(head, titles) else [
        headline.parse_headline(t) for t in titles]
    slug = headline.HeadlineInfo() if skip and page._slug_adds_nothing(head, url) else headline.parse_slug(url)
    return tvfields.resolve_tv_fields(headline=head, titles=parsed, slug=slug, jsonld=[],
                                      lead=["Spoilers ahead."], tags=[], headline_text=headline_text)


@pytest.mark.parametrize("headline_text", TITLE_SAMPLES)
def test_skipped_title_and_slug_parses_change_nothing(headline_text):
    for title in TITLE_SAMPLES:
        for url in SLUGS:
            skipped = _resolve(headline_text, [title], url, skip=True)
            assert skipped == _resolve(headline_text, [title], url, skip=False), (title, url)


def _flatten_recursive(data, out, depth=0):
    if depth > 12 or len(out) > 500:
        return
    if isinstance(data, list):
        for item in data:
            _flatten_recursive(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data or "@id" in data:
            out.append(data)
        for key, value in data.items():
            if key == "@graph" or isinstance(value, (dict, list)):
                _flatten_recursive(value, out, depth + 1)


JSON_TREES = st.recursive(
    st.none() | st.integers() | st.sampled_from(["x", "Article"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "@id", "@graph", "name", "author", "about"]), inner, max_size=4),
    max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(JSON_TREES)
def test_flatten_skipping_scalars_visits_like_the_plain_recursion(tree):
    from recapscraper.parsers.metadata import _flatten

    want, got = [], []
    _flatten_recursive(tree, want)
    _flatten(tree, got)
    assert [id(n) for n in got] == [id(n) for n in want]
