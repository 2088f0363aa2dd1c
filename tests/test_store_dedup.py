"""One row per recap: URL variants, syndicated and near-duplicate copies, revisions."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from recapscraper.ingest import SavedPage, ingest
from storage import repository
from storage.db import open_store
from storage.models import Recap, RecapBand, RecapBandRecent, RecapCopy, RecapRevision

T0 = datetime(2025, 2, 21, 11, 30, tzinfo=timezone.utc)
WORDS = ("lantern fog bell keeper harbor storm letter mother brother pact tide secret rival "
         "kitchen choir ferry ledger quarrel dawn orchard signal winter promise engine").split()


def body(seed: int, n: int = 320) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(WORDS) for _ in range(n)]


def page(words: list[str], canonical: str | None = None, published: datetime = T0,
         headline: str = "The Lanternkeepers Season 2 Episode 4 Recap: The Fog Bell") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join("<p>" + " ".join(words[i:i + 40]) + ".</p>" for i in range(0, len(words), 40))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{link}
<title>{headline}</title>
<meta property="article:published_time" content="{published.isoformat()}"></head>
<body><article><h1>{headline}</h1><p class="byline">By Marisol Reyes</p>
<p>This recap contains spoilers for The Lanternkeepers Season 2, Episode 4, now streaming on Apple TV+.</p>
{paras}</article></body></html>""".encode()


def run(db_url: str, *pages: tuple[str, bytes]) -> dict:
    report = ingest(iter(SavedPage(str(i), url, html, None) for i, (url, html) in enumerate(pages)),
                    db_url)
    return {k.split("/", 1)[1]: v for k, v in report.stats.items()
            if k in ("recaps/new", "recaps/updated", "recaps/unchanged", "recaps/duplicate")}


def rows(db_url: str, model) -> list:
    engine = open_store(db_url)
    with Session(engine) as s:
        out = s.scalars(select(model)).all()
    engine.dispose()
    return out


ORIGINAL = "https://www.recapdaily.example/2025/02/lanternkeepers-s2e4/"
VARIANTS = [
    "http://recapdaily.example/2025/02/lanternkeepers-s2e4",
    "https://recapdaily.example/2025/02/lanternkeepers-s2e4/?utm_source=rss&utm_medium=feed",
    "https://recapdaily.example/2025/02/lanternkeepers-s2e4/amp/",
    "https://amp.recapdaily.example/2025/02/lanternkeepers-s2e4/",
    "https://RECAPDAILY.example:443/2025/02/lanternkeepers-s2e4/#comments",
]


def test_url_variants_are_one_recap(db_url):
    words = body(1)
    first = run(db_url, (ORIGINAL, page(words)))
    assert first == {"new": 1}
    # variants that declare the canonical, and variants that only differ in spelling
    again = run(db_url, *[(u, page(words, canonical=ORIGINAL)) for u in VARIANTS[:2]],
                *[(u, page(words)) for u in VARIANTS[2:]])
    assert again.get("new", 0) == 0
    assert len(rows(db_url, Recap)) == 1


def test_syndicated_copies_with_and_without_canonical(db_url):
    words = body(2)
    copy_with = ("https://aggregator.example/tv/lantern-fog-bell", page(words, canonical=ORIGINAL))
    edited = words[:]
    for i in range(0, len(edited), 25):
        edited[i] = "changed"
    copy_without = ("https://otherdomain.example/news/lanternkeepers-recap",
                    page(edited, published=T0 + timedelta(hours=5)))
    # the copies arrive before the original
    assert run(db_url, copy_with, copy_without)["new"] == 1
    assert run(db_url, (ORIGINAL, page(words))) == {"duplicate": 1}
    [recap] = rows(db_url, Recap)
    assert recap.url == ORIGINAL and recap.from_copy is False
    copies = {c.url: c.reason for c in rows(db_url, RecapCopy)}
    assert copies == {"https://aggregator.example/tv/lantern-fog-bell": "canonical-url",
                      "https://otherdomain.example/news/lanternkeepers-recap": "near-duplicate"}
    assert run(db_url, (ORIGINAL, page(words)), copy_with, copy_without) == \
        {"unchanged": 1, "duplicate": 2}


def test_bands_merged_into_the_big_table_still_find_copies_and_go_with_revisions(
        db_url, monkeypatch):
    """Bands wait in recap_bands_recent until it is full, then move to recap_bands in
    one statement; lookups and deletions read both tables."""
    from recapscraper.dedup import band_hashes

    monkeypatch.setenv("RECAPS_BANDS_MERGE_AT", "60")  # three recaps (21 bands each) fill it
    originals = [(f"https://recapdaily.example/2025/02/lk-{k}/", body(20 + k)) for k in range(3)]
    assert run(db_url, *[(url, page(words)) for url, words in originals[:2]]) == {"new": 2}
    assert rows(db_url, RecapBand) == [] and len(rows(db_url, RecapBandRecent)) == 42
    assert run(db_url, (originals[2][0], page(originals[2][1]))) == {"new": 1}
    merged = {(b.band_hash, b.recap_id) for b in rows(db_url, RecapBand)}
    waiting = {(b.band_hash, b.recap_id) for b in rows(db_url, RecapBandRecent)}
    recaps = {r.url: r for r in rows(db_url, Recap)}
    expected = {(band, r.id) for r in recaps.values() for band in band_hashes(r.minhash)}
    assert merged | waiting == expected and len(merged) == 63 and not waiting
    # an edited copy of a merged original is found through recap_bands
    edited = originals[0][1][:]
    for i in range(0, len(edited), 25):
        edited[i] = "changed"
    assert run(db_url, ("https://otherdomain.example/lk-0", page(
        edited, published=T0 + timedelta(hours=5)))) == {"duplicate": 1}
    # a revision of a merged recap deletes its old bands from recap_bands
    first = recaps[originals[0][0]]
    assert run(db_url, (first.url, page(originals[0][1] + ["epilogue"] * 30))) == {"updated": 1}
    [revised] = [r for r in rows(db_url, Recap) if r.id == first.id]
    stored = {(b.band_hash, b.recap_id) for b in rows(db_url, RecapBand)
              + rows(db_url, RecapBandRecent) if b.recap_id == first.id}
    assert stored == {(band, first.id) for band in band_hashes(revised.minhash)}


def test_a_different_recap_of_the_same_episode_is_not_a_copy(db_url):
    assert run(db_url, (ORIGINAL, page(body(3))),
               ("https://couchnotes.example/posts/lk-s2e4/", page(body(4)))) == {"new": 2}


def test_revisions_keep_the_previous_version_and_unchanged_is_a_no_op(db_url):
    words = body(5)
    run(db_url, (ORIGINAL, page(words)))
    [before] = rows(db_url, Recap)
    assert run(db_url, (ORIGINAL, page(words))) == {"unchanged": 1}
    [same] = rows(db_url, Recap)
    assert same.updated_at == before.updated_at and rows(db_url, RecapRevision) == []
    revised = words + ["update", "the", "finale", "date", "moved"] * 4
    assert run(db_url, (ORIGINAL, page(revised, headline="The Lanternkeepers Season 2 Episode 4 "
                                                 "Recap: The Fog Bell (Updated)"))) == {"updated": 1}
    [rev] = rows(db_url, RecapRevision)
    assert rev.old_fingerprint == before.fingerprint and rev.new_fingerprint != rev.old_fingerprint
    assert rev.old_headline.endswith("The Fog Bell") and rev.new_headline.endswith("(Updated)")
    assert rev.new_body_length > rev.old_body_length
    [after] = rows(db_url, Recap)
    assert after.headline.endswith("(Updated)") and after.id == before.id
    bands = rows(db_url, RecapBand) + rows(db_url, RecapBandRecent)
    assert bands and all(b.recap_id == after.id for b in bands)
    # exactly the new content's bands: the old ones were deleted by their keys
    from recapscraper.dedup import band_hashes

    assert {b.band_hash for b in bands} == set(band_hashes(after.minhash))
    assert before.minhash != after.minhash


def test_near_duplicate_lookup_uses_the_band_index(db_url):
    engine = open_store(db_url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT recap_id FROM recap_bands WHERE band_hash IN (1, 2)"))
            # the primary key (band_hash, recap_id) of the WITHOUT ROWID table
            assert "SEARCH" in plan and "USING PRIMARY KEY" in plan, plan
        else:
            plan = " ".join(r[0] for r in conn.exec_driver_sql(
                "EXPLAIN SELECT recap_id FROM recap_bands WHERE band_hash IN (1, 2)"))
            assert "Index" in plan or "Bitmap" in plan or "Seq Scan" in plan  # tiny table
    engine.dispose()


def test_redirected_addresses_become_copies(db_url):
    from recapscraper.items import RecapRecord
    from recapscraper.pipelines import NormalizePipeline, to_row

    words = body(6)
    record = RecapRecord(url=ORIGINAL, headline="Lanternkeepers recap", is_episode_recap=True,
                         kind="recap", show="The Lanternkeepers", season=2, episodes=[4],
                         body=" ".join(words), published_at=T0,
                         redirect_urls=["http://recapdaily.example/?p=1234"])
    row = to_row(NormalizePipeline().process_item(record))
    engine = open_store(db_url)
    assert repository.store_batch(engine, [(row, row.canonical_url)]) == {"new": 1}
    assert repository.store_batch(engine, [(row, row.canonical_url)]) == {"unchanged": 1}
    engine.dispose()
    assert {(c.url, c.reason) for c in rows(db_url, RecapCopy)} == \
        {("http://recapdaily.example/?p=1234", "redirect")}


def test_rows_another_writer_stored_meanwhile_are_decided_one_by_one(db_url, monkeypatch):
    """The bulk insert of a batch's new rows fails when another writer stored one of
    them after the batch read the store: the batch then decides each row again and
    stores nothing twice (simulated: the batch's first read of the store sees nothing)."""
    from recapscraper.dedup import band_hashes, content_fingerprint, minhash_signature
    from storage import upserts

    def recap(url: str, words: list[str], published: datetime = T0) -> repository.RecapRow:
        text = " ".join(words)
        signature = minhash_signature(text)
        return repository.RecapRow(
            url=url, canonical_url=url, site=url.split("/")[2], headline="Lanternkeepers recap",
            kind="recap", fingerprint=content_fingerprint(text, url), body=text,
            show="The Lanternkeepers", season=2, episodes=[4], published_at=published,
            minhash=signature, bands=band_hashes(signature))

    stored = recap("https://a.example/stored", body(11))
    engine = open_store(db_url)
    assert repository.store_batch(engine, [(stored, stored.canonical_url)]) == {"new": 1}
    edited = body(12)
    for i in range(0, len(edited), 25):
        edited[i] = "changed"
    batch = [stored, recap("https://b.example/new", body(12)),
             recap("https://c.example/near-copy", edited, published=T0 + timedelta(hours=1))]
    real_read, calls = upserts.BatchLookup._read, []

    def first_read_sees_nothing(self, conn, rows):
        calls.append(len(rows))
        if len(calls) > 1:
            real_read(self, conn, rows)

    monkeypatch.setattr(upserts.BatchLookup, "_read", first_read_sees_nothing)
    counts = repository.store_batch(engine, [(r, r.canonical_url) for r in batch])
    engine.dispose()
    assert counts == {"unchanged": 1, "new": 1, "duplicate": 1}
    assert sorted(r.url for r in rows(db_url, Recap)) == ["https://a.example/stored",
                                                          "https://b.example/new"]
    assert {(c.url, c.reason) for c in rows(db_url, RecapCopy)} == \
        {("https://c.example/near-copy", "near-duplicate")}
