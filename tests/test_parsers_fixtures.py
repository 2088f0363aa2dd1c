"""Every fixture under fixtures/parsers/<case>/ parses to the fields in its expected.json.

A fixture is page.html (bytes as served), expected.json (only the fields that matter) and an
optional meta.json ({"url", "fetched_at", "content_type"}). A failure names the field.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from recapscraper.parsers.page import parse_page

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "page.html").exists())


def _got(record, field: str):
    if field == "published":
        return record.published_at.date().isoformat() if record.published_at else None
    if field == "release_dates":
        return [d.isoformat() for d in record.release_dates]
    return getattr(record, field)


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str) -> None:
    folder = FIXTURES / case
    meta = json.loads((folder / "meta.json").read_text()) if (folder / "meta.json").exists() else {}
    fetched = datetime.fromisoformat(meta["fetched_at"]) if meta.get("fetched_at") else None
    record = parse_page(meta.get("url", f"https://example.com/{case}/"),
                        (folder / "page.html").read_bytes(), fetched,
                        content_type=meta.get("content_type"))
    expected = json.loads((folder / "expected.json").read_text())
    wrong = {field: (want, _got(record, field)) for field, want in expected.items()
             if _got(record, field) != want}
    assert not wrong, "fields differ (expected, got): " + "; ".join(
        f"{field}: {pair[0]!r} != {pair[1]!r}" for field, pair in wrong.items())
