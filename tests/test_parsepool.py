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


class _CrashesOn:
    """An executor whose worker "dies" (the whole pool breaks) on pages named crash."""

    def __init__(self):
        self.sent: list[str] = []

    def submit(self, fn, url, *args, **kwargs):
        from concurrent.futures import Future

        self.sent.append(url)
        future = Future()
        if "crash" in url:
            future.set_exception(BrokenProcessPool("worker died"))
        else:
            future.set_result(fn(url, *args, **kwargs))
        return future

    def shutdown(self, **kwargs):
        pass


def test_parse_many_keeps_order_and_loses_only_the_page_that_kills_a_worker(monkeypatch):
    pool = ParserPool(1)
    executor = _CrashesOn()
    monkeypatch.setattr(pool, "_pool", lambda: executor)
    urls = [f"https://a.example/{name}/" for name in ("a", "b", "crash", "c", "d", "e")]
    pages = [(url, PAGE, None, "text/html", k) for k, url in enumerate(urls)]
    out = list(pool.parse_many(iter(pages), ahead=3))
    assert [page for page, _ in out] == pages  # in order, extra fields kept
    records = {page[0]: record for page, record in out}
    assert records[urls[2]].reason == "parser crashed"
    assert all(records[u].show == "Harbor Lights" for u in urls if "crash" not in u)
    assert executor.sent.count(urls[2]) == 2  # tried once more alone, then given up


def test_ingest_with_parser_processes_stores_what_in_process_ingest_does(tmp_path):
    from datetime import datetime, timezone

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from recapscraper.demo.synthetic import article_html, articles
    from recapscraper.ingest import BadRecord, SavedPage, ingest
    from storage.db import open_store
    from storage.models import Recap

    fetched = datetime(2025, 6, 1, tzinfo=timezone.utc)
    pages = [SavedPage(str(a.index), f"http://synthetic.example{a.path}",
                       article_html("synthetic.example", a).encode(), fetched)
             for a in articles(40)]
    pages.insert(7, BadRecord("line 8", "not JSON"))
    results = {}
    for workers in (0, 1):
        url = f"sqlite:///{tmp_path}/w{workers}.db"
        errors: list[str] = []
        report = ingest(iter(pages), url, batch_size=8, workers=workers, on_error=errors.append)
        engine = open_store(url)
        with Session(engine) as s:
            stored = [(r.url, r.show_title, r.season, tuple(r.episodes), r.fingerprint,
                       r.minhash) for r in s.scalars(select(Recap).order_by(Recap.url))]
        engine.dispose()
        results[workers] = (report.pages, errors, report.stats, stored)
    assert results[1] == results[0]
    assert results[0][0] == 40 and results[0][1] == ["line 8: not JSON"]
    assert len(results[0][3]) == sum(a.is_recap for a in articles(40)) > 0


def test_parse_many_parses_here_when_the_pool_cannot_work(monkeypatch, caplog):
    pool = ParserPool(1)
    monkeypatch.setattr(pool, "_pool", lambda: _Broken())
    pages = [(f"https://a.example/{k}/", PAGE, None, "text/html") for k in range(5)]
    out = [record for _, record in pool.parse_many(iter(pages))]
    assert out[0].reason == "parser crashed"  # two breaks: given up on
    assert all(r.show == "Harbor Lights" for r in out[1:])  # the third break: in-process
    assert pool.workers == 0 and "parser processes keep failing" in caplog.text
