"""parse_page and the grammar never raise, whatever they are fed; bad input gets a reason."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recapscraper.parsers.headline import parse_headline, parse_slug
from recapscraper.parsers.page import parse_page

FETCHED = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
HTML_BITS = st.sampled_from([
    "<h1>", "</h1>", "<div>", "</div>", "<p>", "<script type='application/ld+json'>", "</script>",
    "{\"@type\":[\"Article\"],\"headline\":", "\"datePublished\":\"2024-13-45T99:99\"", ",}", "]",
    "Season 2 Episode 5 Recap", "S2E4", "3x11", "Episode 99999999999", "‘", "’", "«", "»", "\u202e",
    "مرحبا", "\x00", "\x0b", "&#8216;", "&#0;", "&#x110000;", "<meta property='og:title' content='",
    "<time datetime='yesterday'>", "2 days ago", "vor 3 Minuten", "<html lang='zz-ZZ'>", "<",
    "streaming on Max", "Netflix", "(Disney+)", "<meta charset='klingon'>", "<?xml version='1.0' encoding='utf-8'?>",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HTML_BITS | st.text(max_size=30), max_size=60), st.booleans())
def test_parse_page_never_raises_on_markup_soup(parts, as_bytes):
    html = "".join(parts)
    record = parse_page("https://example.com/a-b-season-2-episode-3/",
                        html.encode("utf-8", "surrogatepass") if as_bytes else html, FETCHED)
    assert isinstance(record.is_episode_recap, bool)
    assert record.reason is None or isinstance(record.reason, str)
    assert all(0 < e <= 1500 for e in record.episodes)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_page_never_raises_on_bytes(data):
    record = parse_page("not a url", data, None, content_type="text/html; charset=utf-16")
    assert isinstance(record.word_count, int)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_headline_grammar_never_raises(text):
    info = parse_headline(text)
    assert info.season is None or 0 < info.season <= 80
    assert all(0 < e <= 1500 for e in info.episodes)
    parse_slug("https://x.example/" + text)


def test_empty_and_garbage_pages_have_a_reason():
    for html in ("", b"", "   ", b"\x00\xff\xfe\x00", "<html></html>", "<!-- only a comment -->"):
        record = parse_page("https://example.com/x", html, FETCHED)
        assert record.is_episode_recap is False
        assert record.reason


def test_ten_megabytes_of_divs_is_fast_and_safe():
    start = time.perf_counter()
    record = parse_page("https://example.com/x", "<div>" * 2_000_000, FETCHED)
    assert record.is_episode_recap is False
    assert time.perf_counter() - start < 10


def test_deeply_nested_and_rtl_headline():
    html = ("<html><body>" + "<div>" * 300 + "<h1>\u202eSeason 2 Episode 3 Recap\u202c "
            "‘«“nested”»’</h1>" + "</div>" * 300 + "</body></html>")
    record = parse_page("https://example.com/x", html, FETCHED)
    assert isinstance(record.episodes, list)


def test_broken_jsonld_does_not_hide_the_page():
    html = ("<html><head><script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
            "\"headline\": \"He said \"hi\"\", \"datePublished\": \"2024-02-03T10:00:00-05:00\",}"
            "</script></head><body><h1>Loki Season 2 Episode 3 Recap: 1893</h1>"
            "<div class='entry-content'><p>Loki, streaming on Disney+, goes back in time.</p></div></body></html>")
    record = parse_page("https://example.com/loki-s2e3", html, FETCHED)
    assert record.is_episode_recap and record.show == "Loki" and record.episodes == [3]
    assert record.published_at.isoformat() == "2024-02-03T10:00:00-05:00"
    assert record.platform == "Disney+"
