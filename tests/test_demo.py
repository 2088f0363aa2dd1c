"""`recapscraper demo`: the real main job over the bundled sample sites, twice."""
from __future__ import annotations

import json
import re
import subprocess
import sys


def demo(db: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", "demo", "--db", db],
                          capture_output=True, text=True, timeout=300)


def number(label: str, text: str) -> int:
    return int(re.search(rf"{label}:\s+(\d+)", text).group(1))


def test_demo_crawls_the_sample_sites_and_is_idempotent(sqlite_url):
    first = demo(sqlite_url)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert number("pages fetched", out) >= 40
    new = int(re.search(r"recaps stored this run:\s+(\d+) new", out).group(1))
    assert new >= 20
    assert number("duplicates dropped", out) >= 1      # the syndicated copy
    assert number("rejected as not recaps", out) >= 8   # the look-alikes
    assert "recapscraper recaps --show" in out
    assert "[" in first.stderr and "pages" in first.stderr  # progress lines
    second = demo(sqlite_url)
    assert second.returncode == 0, second.stderr
    # incremental: every article answers 304 or has an unchanged sitemap lastmod
    assert re.search(r"0 new, 0 updated, 0 unchanged", second.stdout)
    assert number("unchanged, not parsed", second.stdout) >= new + 8
    assert f"{new} recaps" in second.stdout
    recaps = json.loads(subprocess.run(
        [sys.executable, "-m", "recapscraper.cli", "recaps", "--db", sqlite_url, "--format",
         "json"], capture_output=True, text=True, timeout=60).stdout)
    assert len(recaps) == new
    assert len({r["site"] for r in recaps}) == 3
    by_episode: dict = {}
    for r in recaps:
        for e in r["episodes"]:
            by_episode.setdefault((r["show"], r["season"], e), set()).add(r["site"])
    assert max(len(s) for s in by_episode.values()) >= 2  # one episode, several sites
