"""Parsing in worker processes: same records as in-process, and a dying worker costs one page."""
from __future__ import annotations

import asyncio
import os
from concurrent.futures.process import BrokenProcessPool

from recapscraper.parsepool import MAX_BREAKS, ParserPool, auto_workers
from recapscraper.parsers.page import parse_page

PAGE = (b"<html><head><title>Harbor Lights Season 2 Episode 3 Recap</title></head><body>"
        b"<h1>Harbor Lights Season 2 Episode 3 Recap: Low Tide</h1><p>By Nora Quill</p>"
        b"<p>Now streaming on Netflix.</p></body></html>")


def test_pool_gives_the_same_record_as_in_process():
    pool = ParserPool(1)
    try:
        got = asyncio.run(pool.parse("https://a.example/r/", PAGE, None, "text/html"))
    finally:
        pool.close()
    assert got == parse_page("https://a.example/r/", PAGE, None, content_type="text/html")
    assert got.show == "Harbor Lights" and got.episodes == [3]


def test_pool_signs_recaps_for_the_store():
    """A worker computes a recap's MinHash (the writer's CPU work otherwise); the
    record is otherwise the in-process one, and the signature is never output."""
    from recapscraper.dedup import band_hashes, minhash_signature
    from recapscraper.pipelines import to_row

    words = " ".join(f"harbor{i % 37} tide{i % 11} lantern{i % 7}" for i in range(40))
    page = PAGE.replace(b"<p>Now streaming", f"<p>{words}.</p><p>Now streaming".encode())
    pool = ParserPool(1)
    try:
        got = asyncio.run(pool.parse("https://a.example/r/", page, None, "text/html"))
    finally:
        pool.close()
    plain = parse_page("https://a.example/r/", page, None, content_type="text/html")
    assert plain.minhash is None and got.minhash is not None
    assert got.minhash == minhash_signature(plain.body)
    got.minhash = None
    assert got == plain
    got.minhash = minhash_signature(plain.body)
    assert "minhash" not in got.to_json()
    row = to_row(got)
    assert row.minhash == got.minhash and list(row.bands) == band_hashes(got.minhash)


def test_auto_workers_leaves_a_core_for_the_crawl():
    assert 0 <= auto_workers() <= 4
    assert auto_workers() <= max(0, (os.cpu_count() or 1) - 1)


class _Broken:
    def submit(self, *args, **kwargs):
        raise BrokenProcessPool("worker died")

    def shutdown(self, **kwargs):
        pass


def test_a_pool_that_keeps_dying_falls_back_to_in_process(monkeypatch, caplog):
    pool = ParserPool(1)
    monkeypatch.setattr(pool, "_pool", lambda: _Broken())
    first = asyncio.run(pool.parse("https://a.example/r/", PAGE, None))
    assert first.reason == "parser crashed" and not first.is_episode_recap
    second = asyncio.run(pool.parse("https://a.example/r/", PAGE, None))
    assert pool._breaks >= MAX_BREAKS and pool.workers == 0
    assert second.is_episode_recap  # parsed in-process after the pool gave up
    assert "parser processes keep failing" in caplog.text
