"""Four processes ingest the same 2,000 pages at once: the store ends with exactly the
expected rows (PostgreSQL, and one SQLite file)."""
from __future__ import annotations

import multiprocessing
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recapscraper.dedup import band_hashes
from recapscraper.demo.synthetic import article_html, articles
from storage.db import open_store
from storage.models import (
    Episode,
    Recap,
    RecapBand,
    RecapBandRecent,
    RecapCopy,
    RecapEpisode,
    Show,
)

PAGES = 2000
WORKERS = 4
FETCHED = datetime(2025, 6, 1, tzinfo=timezone.utc)


def _ingest(db_url: str, offset: int) -> None:
    from recapscraper.ingest import SavedPage, ingest

    arts = articles(PAGES)
    order = arts[offset:] + arts[:offset]  # each process in its own order
    pages = (SavedPage(str(a.index), f"http://synthetic.example{a.path}",
                       article_html("synthetic.example", a).encode(), FETCHED) for a in order)
    report = ingest(pages, db_url, batch_size=50)
    assert not report.errors


def test_four_writers_store_every_page_once(db_url, monkeypatch):
    # small enough that the writers merge recent LSH bands into recap_bands many times
    monkeypatch.setenv("RECAPS_BANDS_MERGE_AT", "3000")
    open_store(db_url).dispose()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_ingest, args=(db_url, k * PAGES // WORKERS))
             for k in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
        assert p.exitcode == 0
    arts = [a for a in articles(PAGES) if a.is_recap]
    engine = open_store(db_url)
    with Session(engine) as s:
        def n(model):
            return s.scalar(select(func.count()).select_from(model))
        assert n(Recap) == len(arts)
        assert n(RecapCopy) == 0
        assert n(Show) == len({a.show for a in arts})
        assert n(Episode) == len({(a.show, a.season, a.episode) for a in arts})
        assert n(RecapEpisode) == len(arts)
        stored = set(s.scalars(select(Recap.url)))
        # every recap's bands once, in one of the two band tables: none lost in a merge
        bands = [(b, r) for model in (RecapBand, RecapBandRecent)
                 for b, r in s.execute(select(model.band_hash, model.recap_id))]
        expected = {(band, rid) for rid, sig in s.execute(select(Recap.id, Recap.minhash))
                    if sig for band in band_hashes(sig)}
        merged = n(RecapBand)
    engine.dispose()
    assert len(bands) == len(set(bands)) and set(bands) == expected
    assert merged > len(expected) // 2  # merges happened
    assert stored == {f"http://synthetic.example{a.path}" for a in arts}
