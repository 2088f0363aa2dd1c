"""Canonical URLs, content fingerprints and near-duplicate signatures."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recapscraper.dedup import (
    body_words,
    canonical_url,
    choose_canonical,
    content_fingerprint,
    minhash_signature,
    site_of,
    strip_tracking,
)

SAME_ARTICLE = [
    "https://www.example.com/tv/show-s1e1-recap/",
    "https://example.com/tv/show-s1e1-recap",
    "HTTPS://Example.COM:443/tv/show-s1e1-recap/#comments",
    "https://example.com/tv/show-s1e1-recap/?utm_source=rss&utm_medium=feed",
    "https://example.com/tv/show-s1e1-recap/?fbclid=abc123",
    "https://example.com/tv/show-s1e1-recap/amp/",
    "https://amp.example.com/tv/show-s1e1-recap/",
    "https://example.com/tv/show-s1e1-recap/?amp=1",
]


@pytest.mark.parametrize("url", SAME_ARTICLE)
def test_forms_of_one_article_share_a_canonical_url(url):
    assert canonical_url(url) == "https://example.com/tv/show-s1e1-recap"


def test_identity_parameters_are_kept_and_sorted():
    assert canonical_url("https://example.com/article?p=12&id=3&utm_campaign=x") == \
        "https://example.com/article?id=3&p=12"


def test_different_articles_stay_different():
    assert canonical_url("https://example.com/a?id=1") != canonical_url("https://example.com/a?id=2")
    assert canonical_url("https://example.com/a") != canonical_url("https://example.org/a")


def test_non_default_port_is_kept():
    assert canonical_url("http://127.0.0.1:8080/x/") == "http://127.0.0.1:8080/x"


def test_declared_canonical_wins_and_bad_one_is_ignored():
    assert choose_canonical("https://copy.example/x?utm_source=a",
                            "https://www.orig.example/x/") == "https://orig.example/x"
    assert choose_canonical("https://a.example/x/", "javascript:void(0)") == "https://a.example/x"
    assert choose_canonical("https://a.example/x/", None) == "https://a.example/x"


def test_site_of_strips_www_and_amp():
    assert site_of("https://www.TVFanatic.com/a") == "tvfanatic.com"
    assert site_of("https://amp.example.co.uk/a") == "example.co.uk"
    assert site_of("https://www.co/a") == "www.co"


def test_strip_tracking_keeps_the_rest():
    assert strip_tracking("http://a.example/x/?id=2&utm_source=rss#top") == "http://a.example/x/?id=2"


def test_fingerprint_ignores_case_spacing_and_punctuation():
    body = " ".join(f"word{i}" for i in range(60))
    assert content_fingerprint(body) == content_fingerprint("  " + body.upper().replace(" ", " ,  "))
    assert content_fingerprint(body) != content_fingerprint(body + " extra")


def test_short_bodies_do_not_collide_across_urls():
    assert content_fingerprint("Read more", "https://a.example/1") != \
        content_fingerprint("Read more", "https://a.example/2")


# -- fast paths of the signatures: equal to the plain code they replaced ----------
def _plain_words(body: str) -> list[str]:
    import re
    import unicodedata

    return re.findall(r"\w+", unicodedata.normalize("NFKC", body).casefold())


def _plain_minhash(body: str) -> bytes | None:
    """minhash_signature as first written: regex words, unique trigrams."""
    import zlib

    import numpy as np
    from datasketch import MinHash

    from recapscraper.dedup import MIN_NEAR_WORDS, NUM_PERM

    words = _plain_words(body)
    if len(words) < MIN_NEAR_WORDS:
        return None
    ids = np.array([zlib.crc32(w.encode()) for w in words], dtype=np.uint64)
    trigrams = (ids[:-2] * np.uint64(0x9E3779B1) + ids[1:-1] * np.uint64(0x85EBCA77)
                + ids[2:]) & np.uint64(0xFFFFFFFF)
    mh = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=int)
    mh.update_batch(np.unique(trigrams).tolist())
    return mh.hashvalues.astype("<u4").tobytes()


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
_ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, _ASCII))
def test_body_words_equal_the_regular_expression(body):
    assert body_words(body) == _plain_words(body)


_WORDS = st.lists(st.sampled_from(["Fog", "bell", "keeper's", "Ōshima", "ﬁnale", "S2E4",
                                   "naïve", "—", "2,000", "tide", "STORM", "_x_", "déjà"]),
                  min_size=40, max_size=120)


@settings(max_examples=60, deadline=None)
@given(_WORDS, st.sampled_from([" ", "\n", ", ", " -- "]))
def test_minhash_signature_equals_the_plain_computation(words, sep):
    body = sep.join(words)
    assert minhash_signature(body) == _plain_minhash(body)
