"""Canonical URLs and content fingerprints."""
import pytest

from recapscraper.dedup import (
    canonical_url,
    choose_canonical,
    content_fingerprint,
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
