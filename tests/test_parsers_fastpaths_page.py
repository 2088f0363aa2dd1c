"""Page-level fast paths (parse, attribute index, headline, body, byline zone), each checked
against the plain code it replaces, on generated pages.

(tests/test_parsers_speed.py and tests/test_parsers_fastpaths.py hold the others.) Each
plain form below is the code the parser ran before; the fast one must answer the same.
"""
from __future__ import annotations

import html
import re
from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from recapscraper.parsers import dates, page, text, timestamps
from recapscraper.parsers.index import PageIndex
from recapscraper.parsers.metadata import text_byline
from recapscraper.parsers.text import is_boilerplate, node_text, parse_tree, raw_text

# --- generated pages ----------------------------------------------------------------

TAGS = ["div", "p", "span", "h1", "h2", "h3", "td", "b", "strong", "font", "figcaption", "article",
        "main", "aside", "nav", "section", "time", "a", "li", "img", "header", "script"]
ATTR_NAMES = ["class", "id", "itemprop", "rel", "role", "href"]
ATTR_WORDS = ["title", "Title", "entry-title", "headline", "post-heading", "credit", "photo-Credit",
              "byline", "date", "dateline", "timestamp", "sidebar", "related", "entry-content",
              "article-body", "post-content", "content-body", "rich-text", "body-text", "logo", "x",
              "meta", "author", "tag", "Tag", "articleBody", "/", "İ", "a\nb"]
TEXTS = ["", " ", "\n  ", "By Ann Lee", "April 23, 2024", "Show Recap: Title | TV",
         "A long paragraph of article prose that runs on. " * 4, "x", "Photo: Getty",
         "Twenty-six characters long", "A paragraph of some forty characters, ok"]


def _attrs(pairs) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in pairs)


def _pages(words: list[str]):
    def element(children):
        return st.builds(
            lambda tag, pairs, head, kids, tail: f"<{tag}{_attrs(pairs)}>{html.escape(head)}"
                                                 f"{''.join(kids)}</{tag}>{html.escape(tail)}",
            st.sampled_from(TAGS),
            st.lists(st.tuples(st.sampled_from(ATTR_NAMES),
                               st.lists(st.sampled_from(words), min_size=1, max_size=3).map(" ".join)),
                     max_size=3),
            st.sampled_from(TEXTS), st.lists(children, max_size=4), st.sampled_from(TEXTS))

    fragments = st.recursive(st.sampled_from(TEXTS).map(html.escape), element, max_leaves=25)
    return st.lists(fragments, min_size=1, max_size=4).map(
        lambda parts: f"<html><head><title>Show Recap: Title | TV</title></head><body>{''.join(parts)}"
                      "</body></html>")


PAGES = _pages(ATTR_WORDS)
# No body class: find_body() falls back to the parent of the most paragraph text.
PLAIN_PAGES = _pages(["sidebar", "related", "nav-menu", "x", "credit", "Title", "byline"])


def _elements(root):
    return [el for el in root.iter() if isinstance(el.tag, str)]


# --- parse_html: the parse log stands for a decode --------------------------------------

def _plain_parse_html(data: bytes):
    """parse_html() as it was: decode to learn whether the bytes are UTF-8, then parse."""
    if (data[:3] != b"\xef\xbb\xbf" and data[:2] not in (b"\xff\xfe", b"\xfe\xff")
            and data.lstrip()[:5].lower() != b"<?xml"):
        if data.isascii():
            return text._parse_utf8(data, False)
        try:
            decoded = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text._parse_utf8(data, "\ufffe" in decoded or "\uffff" in decoded)
    return text.parse_tree(text.decode_html(data))


BYTE_PIECES = [b"<p>", b"</p>", b"<div class='a'>", b"</div>", b"caf\xc3\xa9", b"\xe9", b"\xc3", b"\x80",
               b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xef\xbf\xbd", b"\xef\xbb\xbf", b"\x01", b"\x0c", b" ",
               b"\n", b"<?xml version='1.0'?>", b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"\xf4\x90\x80\x80",
               b"text", b"\xff\xfe", b"<html><body>", b"\xe2\x80\x99", b"&#233;", b"<!-- c -->",
               b"<script>x</script>", b"<meta charset='windows-1252'>", b"\xc1\xbf", b"\xe0\x80\x80"]


def _serialized(root):
    return None if root is None else etree.tostring(root, encoding=str)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(BYTE_PIECES), max_size=12).map(b"".join))
def test_parse_html_trusting_a_clean_parse_log_parses_like_decoding_first(data):
    assert _serialized(text.parse_html(data)) == _serialized(_plain_parse_html(data))


def test_parse_html_still_reads_cp1252_and_drops_nonchars():
    cp1252 = "<html><body><p>análisis «x» – é</p></body></html>".encode("cp1252")
    assert node_text(text.parse_html(cp1252).find(".//p")) == "análisis «x» – é"
    nonchars = "<html><body><p>a\ufffeb\uffffc é</p></body></html>".encode("utf-8")
    assert node_text(text.parse_html(nonchars).find(".//p")) == "abc é"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 1100), st.sampled_from([b" ", b"\n", b"\t\r", b"\x0b\x0c"]),
       st.sampled_from([b"", b"<", b"<?x", b"<?xml ", b"<html>", b" \t\n<?XML"]))
def test_opening_is_the_stripped_head(count, space, rest):
    data = space * count + rest
    assert text._opening(data) == data.lstrip()[:5]


# --- PageIndex: gates, NUL separators, containing() -----------------------------------

WORD_SETS = [(word_set, bound) for word_set, bound in text._BODY_CLASSES] + [
    (timestamps._DATE_WORDS, None), (("byline", "author", "writer", "contributor", "autor"), None),
    (("title", "headline", "heading"), None), (("content", "text", "contentx"), "token"),
    (("date", "dateline", "update"), "word")]


@settings(max_examples=300, deadline=None)
@given(PAGES, st.sampled_from(WORD_SETS), st.sampled_from([None, ("rel",), ("class", "itemprop")]),
       st.sampled_from([1, 3, 100_000]))
def test_gated_matching_words_find_what_the_trie_regex_finds(source, words_bound, names, limit):
    index = PageIndex(parse_tree(source))
    words, bound = words_bound
    want = index.matching(re.compile(dates.word_trie(words)), bound, names, limit)
    assert index.matching_words(words, bound, names, limit) == want


def test_values_with_new_lines_and_lengthening_capitals_map_to_their_elements():
    root = parse_tree("<html><body><div class='İİ\nentry-content\nİ'><p class='a\nbyline'>x</p></div>"
                      "<span id='İ byline'>y</span><p class='entry-content'>z</p></body></html>")
    index = PageIndex(root)
    assert [el.tag for el in index.matching_words(("entry-content",), "token")] == ["div", "p"]
    assert [el.tag for el in index.matching_words(("byline",), "word")] == ["p", "span"]


CONDITIONS = [page._STYLED_CLASSES, page._CAPTION_CLASSES, (("id", ("Title", "x")), ("rel", ("tag",)))]


def _plain_containing(root, conditions):
    predicate = " or ".join(f"contains(@{name}, '{word}')" for name, group in conditions for word in group)
    return root.xpath(f"//*[{predicate}]")


@settings(max_examples=300, deadline=None)
@given(PAGES, st.sampled_from(CONDITIONS))
def test_containing_finds_what_the_xpath_contains_finds(source, conditions):
    root = parse_tree(source)
    assert PageIndex(root).containing(*conditions) == _plain_containing(root, conditions)


# --- headline and caption candidates, body fallback ----------------------------------

@settings(max_examples=300, deadline=None)
@given(PAGES)
def test_styled_headline_and_caption_candidates_match_their_xpath(source):
    root = parse_tree(source)
    index = PageIndex(root)
    styled = page._STYLED_WITH(root, classed=index.containing(*page._STYLED_CLASSES))
    assert styled == page._STYLED_CANDIDATES(root)
    for el in _elements(root):
        assert page._captions(el, index) == page._CAPTIONS(el)
        assert (next(el.iterdescendants("img"), None) is not None) == (el.find(".//img") is not None)


HEAD_TEXTS = ["Show Recap: Title", "Show  Recap:\n Title ", "Show\u200b Recap: Title", "\u200bShow Recap: Title",
              "Show Recap:\xa0Title", "Show Re\u0301cap: Title", "Show Récap: Title", "Show \u200b Recap: Title",
              "Show Recap: Title x", "Show", "", " \u200b "]


def _plain_strip_section_suffix(root, headline: str) -> str:
    if " | " not in headline:
        return headline
    head = headline.rsplit(" | ", 1)[0].strip()
    for el in page._SECTION_REPEATS(root)[:3000]:
        if len(el) <= 2 and node_text(el) == head:
            return head
    return headline


@settings(max_examples=300, deadline=None)
@given(PAGES, st.lists(st.tuples(st.sampled_from(["div", "span", "p", "h2"]), st.sampled_from(HEAD_TEXTS)),
                       max_size=3),
       st.sampled_from(["Show Recap: Title | TV", "Show Récap: Title | TV", "Show | TV", "a b | c | TV"]))
def test_section_suffix_skips_long_texts_without_changing_the_answer(source, repeats, headline):
    extra = "".join(f"<{tag}>{html.escape(t)}</{tag}>" for tag, t in repeats)
    root = parse_tree(source.replace("<body>", "<body>" + extra, 1))
    assert page._strip_section_suffix(root, headline) == _plain_strip_section_suffix(root, headline)
    for el in _elements(root)[:20]:
        for count in (0, 1, 3, 4):
            assert text.more_words_than(el, count) == (len(node_text(el).split()) > count)


def _plain_styled_headline(root, refs, index):
    best, best_score = None, 0.6
    for el in page._STYLED_CANDIDATES(root)[:400]:
        heading = node_text(el)
        if not heading or len(heading) > 300 or el.tag in ("title", "head", "meta"):
            continue
        score = max(page._similarity(heading, r) for r in refs)
        if is_boilerplate(el, index):
            score -= 0.5
        if score > best_score + 0.05:
            best, best_score = el, score
    return best


@settings(max_examples=300, deadline=None)
@given(PAGES, st.lists(st.sampled_from(["Show Recap: Title", "Title", "By Ann Lee", "x y z", "Photo"]),
                       min_size=1, max_size=3))
def test_styled_headline_asks_about_boilerplate_only_when_it_matters(source, refs):
    root = parse_tree(source)
    want = _plain_styled_headline(root, refs, PageIndex(root))
    assert page._styled_headline(root, refs, PageIndex(root)) is want


def _plain_find_body(root, index):
    """find_body() as it was: every scored parent checked for boilerplate, then max()."""
    for words, bound in text._BODY_CLASSES:
        found = [el for el in index.matching_words(words, bound)
                 if not is_boilerplate(el.getparent(), index)]
        if found:
            scored = [(text._score_container(el), el) for el in found]
            best_score = max(score for score, _ in scored)
            if best_score > 0:
                return next(el for score, el in scored if score == best_score)
    scores: dict = {}
    for p in islice(root.iter("p"), 5000):
        parent = p.getparent()
        size = len(raw_text(p))
        if parent is None or size < 25:
            continue
        scores[parent] = scores.get(parent, 0) + size
    candidates = [(score, el) for el, score in scores.items() if not is_boilerplate(el, index)]
    if not candidates:
        articles = root.xpath("//article|//main")
        return articles[0] if articles else root.find("body")
    return max(candidates, key=lambda pair: pair[0])[1]


@settings(max_examples=400, deadline=None)
@given(PAGES | PLAIN_PAGES)
def test_find_body_checks_the_best_parents_first_and_picks_the_same(source):
    root = parse_tree(source)
    assert text.find_body(root, PageIndex(root)) is _plain_find_body(root, PageIndex(root))


def test_find_body_among_equal_parents_keeps_the_first():
    prose = "<p>" + "A long paragraph of article prose that runs on. " * 3 + "</p>"
    root = parse_tree(f"<html><body><div class='sidebar'>{prose}{prose}</div><div id='a'>{prose}</div>"
                      f"<div id='b'>{prose}</div><div id='c'>{prose}</div></body></html>")
    for _ in range(3):  # whatever order the proxies were made in
        found = text.find_body(root, PageIndex(root))
        assert found is _plain_find_body(root, PageIndex(root)) and found.get("id") == "a"


# --- byline zone: the texts after the headline read on demand -------------------------

def _plain_byline_texts(root, headline_el, index):
    out = timestamps._candidate_texts(root, index)
    if headline_el is not None:
        out.extend(timestamps._after_headline(headline_el, index))
    return out


@settings(max_examples=300, deadline=None)
@given(PAGES, st.integers(0, 6))
def test_byline_zone_reads_like_the_eager_list(source, first):
    root = parse_tree(source)
    headline_el = root.find(".//h1")
    want = _plain_byline_texts(root, headline_el, PageIndex(root))
    index = PageIndex(root)
    zone = timestamps.byline_zone(root, headline_el, index)
    assert list(islice(zone, first)) == want[:first]  # a reader that stops early
    assert list(zone) == want and list(zone) == want
    assert timestamps.byline_texts(root, headline_el, index) == want
    texts = [t for t, _ in want]
    assert text_byline(t for t, _ in zone) == text_byline(texts)
    zone.extend([("By Ann Lee", None)])
    assert list(zone) == want + [("By Ann Lee", None)]


@settings(max_examples=200, deadline=None)
@given(PAGES)
def test_nonblank_following_texts_are_the_xpath_ones(source):
    root = parse_tree(source)
    xpath = etree.XPath("following::text()[normalize-space()]")
    for el in _elements(root)[:12]:
        want = [(str(t), t.getparent()) for t in xpath(el)]
        assert list(timestamps._following_texts(el, nonblank=True)) == want
