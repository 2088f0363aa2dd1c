"""A small store for the web tests: two shows, recaps from two sites, hostile content."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text

from storage import repository
from storage.db import open_store
from storage.repository import RecapRow

PT = timezone(timedelta(hours=-7))
XSS = "<script>alert(1)</script>"
WORDS = ("lighthouse keeper storm harbor ferry captain island secret letter rescue fog "
         "bell wreck tide village council festival").split()


RAW_RECAP = text(
    "INSERT INTO recaps (id, url, canonical_url, site_id, headline, kind, episodes, finale, "
    "release_dates, word_count, body, fingerprint, from_copy, first_seen_at, updated_at) "
    "VALUES (:id, :url, :url, 1, :headline, 'recap', :episodes, false, '[]', 3, :body, :fp, "
    "false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


def store_at_revision(db_url: str, revision: str, domain: str):
    """An engine on a store migrated only to ``revision``, holding site 1 (``domain``)."""
    from storage.db import create_store_engine, upgrade

    engine = create_store_engine(db_url)
    upgrade(engine, revision)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sites (id, domain, created_at) "
                          "VALUES (1, :domain, CURRENT_TIMESTAMP)"), {"domain": domain})
    return engine


def insert_raw_recap(conn, recap_id: int, url: str, headline: str, body: str, fp: str,
                     episodes: str = "[]") -> None:
    """A recap written with plain SQL, as an older schema revision held it (site 1)."""
    conn.execute(RAW_RECAP, {"id": recap_id, "url": url, "headline": headline, "body": body,
                             "fp": fp, "episodes": episodes})


def body(i: int, extra: str = "") -> str:
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(40)]
    return f"Recap number {i}. " + " ".join(words) + f" {extra} unique{i}"


def rows() -> list[RecapRow]:
    out = []
    for i in range(12):  # Harbor Lights S1E1-E3 from two sites, Netflix
        site = "tvrecapdaily.example" if i % 2 else "couchnotes.example"
        ep = i % 3 + 1
        url = f"https://{site}/harbor-lights-s1e{ep}-recap-{i}/"
        out.append(RecapRow(
            url=url, canonical_url=url, site=site, headline=f"Harbor Lights S1E{ep} Recap: Take {i}",
            kind="review" if i == 4 else "recap", fingerprint=f"fp-h{i}", body=body(i),
            show="Harbor Lights", season=1, episodes=[ep], platform="Netflix",
            author=f"Writer {i % 4}", site_name=site.split(".")[0].title(),
            published_at=datetime(2025, 3, 1, 21, 0, tzinfo=PT) + timedelta(days=i),
            release_dates=[date(2025, 3, ep)]))
    for i in range(4):  # Soundtrack #2 on Hulu, one undated
        url = f"https://couchnotes.example/soundtrack-2-s2e{i + 1}/"
        out.append(RecapRow(
            url=url, canonical_url=url, site="couchnotes.example",
            headline=f"Soundtrack #2 Season 2 Episode {i + 1} recap", kind="recap",
            fingerprint=f"fp-s{i}", body=body(100 + i, "melody orchestra"), show="Soundtrack #2",
            season=2, episodes=[i + 1], platform="Hulu", network="FX", author="Ann Lee",
            published_at=None if i == 3 else datetime(2025, 2, 1, 12, tzinfo=timezone.utc)
            + timedelta(days=i)))
    url = "https://tvrecapdaily.example/evil/"
    out.append(RecapRow(  # everything a hostile page could put in
        url="javascript:alert(2)", canonical_url=url, site="tvrecapdaily.example",
        headline=XSS + " Evil Show S1E1 recap", kind="recap", fingerprint="fp-evil",
        body=f"</textarea>{XSS}<img src=x onerror=alert(3)> villain plot twist",
        show="<b>Evil</b> & Show", season=1, episodes=[1], platform="<i>Evil+</i>",
        author='"><svg onload=alert(4)>', published_at=datetime(2025, 1, 1, tzinfo=timezone.utc)))
    return out


def fill(url: str) -> None:
    engine = open_store(url)
    try:
        repository.store_batch(engine, [(r, r.canonical_url) for r in rows()])
    finally:
        engine.dispose()
