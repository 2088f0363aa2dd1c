"""Site files: loading, validation and URL rules."""
from pathlib import Path

import pytest

from recapscraper.registry import SiteConfig, SiteConfigError, get_site, load_site, load_sites

GOOD = '''name = "mysite"
base_url = "https://www.mysite.example"
start_urls = ["/recaps/"]
article_patterns = ['^/\\d{4}/\\d{2}/[\\w-]+/$']
listing_patterns = ['^/recaps/(page/\\d+/)?$']
deny_patterns = ['/tag/']
'''


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_and_match(tmp_path):
    site = load_site(write(tmp_path, "mysite", GOOD))
    assert site.allowed_domains == ["www.mysite.example"]
    assert site.absolute("/recaps/") == "https://www.mysite.example/recaps/"
    assert site.is_article("https://www.mysite.example/2025/03/show-s1e1-recap/")
    assert not site.is_article("https://www.mysite.example/recaps/page/2/")
    assert site.is_listing("https://www.mysite.example/recaps/page/2/")
    assert not site.is_article("https://other.example/2025/03/show-s1e1-recap/")
    assert site.is_denied("https://www.mysite.example/tag/2025/")


@pytest.mark.parametrize("text, message", [
    ('name = "x"\n', "missing 'base_url'"),
    ('name = "x"\nbase_url = "ftp://a"\n', r"not an http\(s\) URL"),
    ('name = "x"\nbase_url = "https://a.example"\narticle_patterns = ["("]\n', "bad pattern"),
    ('name = "x"\nbase_url = "https://a.example"\nstart = 1\n', "unknown keys"),
    ('name = "x\n', "site file"),
])
def test_bad_site_files_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(SiteConfigError, match=message):
        load_site(write(tmp_path, "x", text))


def test_duplicate_and_unknown_names(tmp_path):
    write(tmp_path, "a", GOOD)
    write(tmp_path, "b", GOOD)
    with pytest.raises(SiteConfigError, match="defined twice"):
        load_sites(tmp_path)
    (tmp_path / "b.toml").unlink()
    assert list(load_sites(tmp_path)) == ["mysite"]
    with pytest.raises(SiteConfigError, match="unknown site 'nope'.*mysite"):
        get_site("nope", tmp_path)


def test_for_url_discovers_the_whole_site():
    site = SiteConfig.for_url("https://www.example.com/tv/")
    assert site.discover and site.start_urls == ["https://www.example.com/tv/"]
    assert site.on_site("https://example.com/a-recap/")
    assert site.is_listing("https://www.example.com/category/recaps/page/2/")
    assert site.is_article("https://www.example.com/show-season-1-episode-2-recap/")
    assert not site.is_article("https://www.example.com/wp-content/a.jpg")
    with pytest.raises(SiteConfigError):
        SiteConfig.for_url("not a url")
