"""Built-in site files, and `recapscraper sites check` against local servers."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from recapscraper.demo.server import SiteServer, demo_root
from recapscraper.registry import SITES_DIR, load_sites

DEMO_SITES = Path(__file__).resolve().parents[1] / "recapscraper" / "demo" / "sites"


def test_builtin_registry_has_twelve_sites_with_discovery_sources():
    sites = load_sites(SITES_DIR)
    assert len(sites) >= 12
    for site in sites.values():
        assert site.sitemap_urls or site.feed_urls, site.name
        assert site.start_urls and site.article_patterns, site.name
        assert site.base_url.startswith("https://"), site.name


def check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", "sites", "check", *args,
                           "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_check_reports_discovery_and_field_coverage(tmp_path):
    with SiteServer(demo_root()) as server:
        out = check("couchnotes", "--sites-dir", str(DEMO_SITES), "-s",
                    f"RECAPS_PROXY={server.url}", cwd=tmp_path)
        # the same site with article rules that match nothing: the check says so
        broken = (DEMO_SITES / "couchnotes.toml").read_text().replace(
            "article_patterns = [", "article_patterns = ['^/nothing-matches/$', ")
        broken = "\n".join(line for line in broken.splitlines()
                           if not line.startswith("article_patterns")) + \
            "\narticle_patterns = ['^/nothing-matches/$']\n"
        (tmp_path / "couchnotes.toml").write_text(broken)
        bad = check("couchnotes", "--sites-dir", str(tmp_path), "-s", f"RECAPS_PROXY={server.url}")
        stored = list(tmp_path.glob("*.db"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "robots.txt: 200" in out.stdout and "1 feeds" in out.stdout
    assert "episode recaps" in out.stdout and "fields on recaps: show" in out.stdout
    assert bad.returncode == 1 and "PROBLEM: no episode recap found" in bad.stdout
    assert not stored  # a check stores nothing


def test_check_of_an_unknown_site():
    out = check("nope")
    assert out.returncode == 1 and "unknown site 'nope'" in out.stderr
