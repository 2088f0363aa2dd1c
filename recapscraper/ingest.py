"""Saved pages (manifests of HTML files, WARC archives) through the crawl's pipelines.

A manifest line is ``{"id", "file", "url", "fetched_at"}`` with ``file`` relative to
the manifest (``.html`` or ``.html.gz``); other keys are ignored. One bad record is
reported with its id and the rest are still processed.
"""
from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from scrapy.exceptions import DropItem

from recapscraper.items import RecapRecord
from recapscraper.parsepool import ParserPool
from recapscraper.parsers.page import parse_page
from recapscraper.pipelines import (
    DedupPipeline,
    NormalizePipeline,
    StorePipeline,
    ValidatePipeline,
    _Stats,
)

# Pages larger than this are refused, as the crawler's DOWNLOAD_MAXSIZE does.
MAX_PAGE_BYTES = 10 * 1024 * 1024


class BadRecord(ValueError):
    """One manifest line or WARC record that cannot be read."""

    def __init__(self, ident: str, message: str):
        super().__init__(f"{ident}: {message}")
        self.ident = ident


@dataclass(slots=True)
class SavedPage:
    ident: str
    url: str
    body: bytes
    fetched_at: datetime | None
    content_type: str | None = None


@dataclass
class IngestReport:
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def parse_fetched_at(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"fetched_at {value!r} is not an ISO date") from None


def read_page_file(path: Path) -> bytes:
    if not path.is_file():
        raise FileNotFoundError(f"file not found: {path}")
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise ValueError(f"{path} is {size} bytes, over the {MAX_PAGE_BYTES} byte limit")
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(MAX_PAGE_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path} is not valid gzip: {exc}") from None
        if len(data) > MAX_PAGE_BYTES:
            raise ValueError(f"{path} unpacks to over {MAX_PAGE_BYTES} bytes")
    return data


def iter_manifest(manifest: Path) -> Iterator[SavedPage | BadRecord]:
    """Pages of a manifest in order; a bad line yields a BadRecord instead."""
    base = manifest.parent
    with manifest.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            ident = f"line {lineno}"
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError("not a JSON object")
                ident = str(entry.get("id") or ident)
                if not entry.get("file"):
                    raise ValueError("no 'file'")
                body = read_page_file(base / entry["file"])
                url = entry.get("url") or (base / entry["file"]).resolve().as_uri()
                yield SavedPage(ident, url, body, parse_fetched_at(entry.get("fetched_at")))
            except (ValueError, OSError) as exc:
                yield BadRecord(ident, str(exc))


def iter_warc(path: Path) -> Iterator[SavedPage | BadRecord]:
    """HTML responses of a WARC file; other records are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
                yield BadRecord(f"{path.name} offset {records.offset}", f"unreadable WARC: {exc}")
                return
            if record.rec_type not in ("response", "resource"):
                continue
            ident = record.rec_headers.get_header("WARC-Record-ID") or "?"
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            ctype = record.http_headers.get_header("Content-Type") if record.http_headers \
                else record.rec_headers.get_header("Content-Type")
            if ctype and "html" not in ctype.lower():
                continue
            try:
                body = record.content_stream().read(MAX_PAGE_BYTES + 1)
                if len(body) > MAX_PAGE_BYTES:
                    raise ValueError(f"over {MAX_PAGE_BYTES} bytes")
                fetched = parse_fetched_at(record.rec_headers.get_header("WARC-Date"))
            except (ValueError, OSError, EOFError) as exc:
                yield BadRecord(ident, str(exc))
                continue
            yield SavedPage(ident, url, body, fetched, ctype)


def parse_saved(page: SavedPage) -> RecapRecord:
    return _fetched(page, parse_page(page.url, page.body, page.fetched_at,
                                     content_type=page.content_type))


def _fetched(page: SavedPage, record: RecapRecord) -> RecapRecord:
    if record.fetched_at is None:
        record.fetched_at = page.fetched_at or datetime.now(timezone.utc)
    return record


def _parsed(pages: Iterator[SavedPage | BadRecord], workers: int, on_bad
            ) -> Iterator[tuple[SavedPage, RecapRecord]]:
    """Each page with its record, in order, parsed by ``workers`` processes (0: here);
    bad records go to ``on_bad`` as they are met."""
    def readable() -> Iterator[SavedPage]:
        for page in pages:
            if isinstance(page, BadRecord):
                on_bad(page)
            else:
                yield page

    if workers == 0:
        for page in readable():
            yield page, parse_saved(page)
        return
    pool = ParserPool(workers)
    try:
        jobs = ((p.url, p.body, p.fetched_at, p.content_type, p) for p in readable())
        for job, record in pool.parse_many(jobs):
            yield job[4], _fetched(job[4], record)
    finally:
        pool.close()


def ingest(pages: Iterator[SavedPage | BadRecord], db_url: str | None,
           batch_size: int = 500, on_error=None, on_progress=None,
           workers: int = 0) -> IngestReport:
    """Parse and store saved pages with the crawl's pipelines; ``workers`` parser
    processes (as a crawl's ``RECAPS_PARSE_WORKERS``; 0: parse in this process)."""
    stats = _Stats()
    stages = [NormalizePipeline(stats), ValidatePipeline(stats), DedupPipeline(stats)]
    store = StorePipeline(db_url, batch_size=batch_size, flush_interval=0, stats=stats,
                          spider_name="ingest")
    store.open_spider()
    report = IngestReport()

    def bad(record: BadRecord) -> None:
        report.errors.append(str(record))
        if on_error:
            on_error(str(record))

    try:
        for _page, item in _parsed(pages, workers, bad):
            report.pages += 1
            stats.inc("recaps/pages/article")
            try:
                for stage in stages:
                    item = stage.process_item(item)
            except DropItem:
                pass
            else:
                store.process_item(item)
            if on_progress:
                on_progress(report.pages, stats.counter)
    finally:
        store.finish()
    report.stats = dict(stats.counter)
    return report
