"""Bad input gets a clear message and loses nothing: pages, manifests, WARCs, databases."""
from __future__ import annotations

import gzip
import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recapscraper.demo.server import SiteServer
from storage.db import open_store
from storage.models import Recap

GOOD_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbor Lights Season 1 Episode {n} Recap: The Tide | Bad Example</title>
<meta property="article:published_time" content="2025-03-0{n}T10:00:00+00:00">
</head><body><nav><a href="/">Home</a></nav><article>
<h1>Harbor Lights Season 1 Episode {n} Recap: The Tide Turns</h1>
<p class="byline">By Nora Quill · March {n}, 2025</p>
<p>This recap contains spoilers for Harbor Lights Season 1, Episode {n}, now streaming on Netflix.</p>
{body}
</article></body></html>"""
PARAGRAPH = ("<p>Mara finally reads the harbor master's letters, and the town's quiet pact "
             "comes apart in one long, patient scene at the lighthouse while the storm rolls "
             "in and every secret the pilot planted comes back to collect its debt.</p>")


WORDS = ("harbor lantern storm letter mother pact tide secret rival kitchen choir ferry "
         "ledger quarrel dawn orchard signal winter brother promise engine chapel").split()


def good_page(n: int) -> str:
    """A recap page; each n gets its own body, so pages are not near-duplicates."""
    rng = random.Random(n)
    extra = "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(80)) + ".</p>"
                    for _ in range(6))
    return GOOD_PAGE.format(n=n, body=PARAGRAPH + extra)


def cli(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recapscraper.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def recap_count(url: str) -> int:
    engine = open_store(url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(Recap))
    engine.dispose()
    return n


@pytest.fixture
def bad_site(tmp_path):
    www = tmp_path / "www" / "bad.example"
    (www / "recaps" / "good-one-recap-1").mkdir(parents=True)
    (www / "recaps" / "good-one-recap-1" / "index.html").write_text(good_page(1))
    links = ["good-one-recap-1", "huge-page-recap-2", "binary-file-recap-3", "broken-html-recap-4",
             "latin-no-charset-recap-5", "slow-server-recap-6", "server-error-recap-7"]
    (www / "recaps" / "index.html").write_text(
        "<html><body>" + "".join(f'<a href="/recaps/{p}/">{p}</a>' for p in links)
        + "</body></html>")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "bad.toml").write_text('name = "bad"\nbase_url = "http://bad.example"\n'
                                    'start_urls = ["/recaps/"]\n'
                                    "article_patterns = ['^/recaps/[a-z0-9-]+/$']\n")
    server = SiteServer(tmp_path / "www")
    html = {"Content-Type": "text/html"}
    server.add_route("bad.example", "/recaps/huge-page-recap-2/",
                     lambda q, h: (200, html, b"<div>" * 600_000))
    server.add_route("bad.example", "/recaps/binary-file-recap-3/",
                     lambda q, h: (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n" + bytes(5000)))
    server.add_route("bad.example", "/recaps/broken-html-recap-4/",
                     lambda q, h: (200, html, good_page(4).encode()[:900]))
    latin = good_page(5).replace('<meta charset="utf-8">', "").replace("Tide Turns", "Tide Turns — Café Noël")
    server.add_route("bad.example", "/recaps/latin-no-charset-recap-5/",
                     lambda q, h: (200, html, latin.encode("cp1252")))

    def slow(q, h):
        time.sleep(4)
        return 200, html, good_page(6).encode()

    server.add_route("bad.example", "/recaps/slow-server-recap-6/", slow)
    server.add_route("bad.example", "/recaps/server-error-recap-7/",
                     lambda q, h: (500, html, b"<h1>oops</h1>"))
    with server:
        yield sites, server


def test_crawl_survives_bad_pages_and_keeps_the_good_ones(bad_site, sqlite_url):
    sites, server = bad_site
    out = cli("crawl", "bad", "--sites-dir", str(sites), "--db", sqlite_url,
              "-s", f"RECAPS_PROXY={server.url}", "-s", "AUTOTHROTTLE_ENABLED=False",
              "-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_MAXSIZE=1000000",
              "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    engine = open_store(sqlite_url)
    with Session(engine) as s:
        headlines = sorted(s.scalars(select(Recap.headline)))
    engine.dispose()
    # the good page, the truncated page (its headline survived) and the undeclared
    # windows-1252 page are stored; huge, binary, slow and failing pages are not
    assert "Harbor Lights Season 1 Episode 1 Recap: The Tide Turns" in headlines
    assert "Harbor Lights Season 1 Episode 5 Recap: The Tide Turns — Café Noël" in headlines, \
        out.stdout + out.stderr
    assert not any("Episode 6" in h for h in headlines)
    assert "not an HTML page" in out.stderr or "rejected" in out.stdout


def write_manifest(tmp_path: Path, lines: list) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "a.html.gz").write_bytes(gzip.compress(good_page(1).encode()))
    (pages / "b.html").write_text(good_page(2))
    (pages / "bad.html.gz").write_bytes(b"not gzip at all")
    manifest = pages / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(x) if not isinstance(x, str) else x
                                  for x in lines) + "\n")
    return manifest


MANIFEST = [
    {"id": "a", "file": "a.html.gz", "url": "https://bad.example/recaps/a/",
     "fetched_at": "2025-03-02T10:00:00Z", "extra": "ignored"},
    {"id": "missing", "file": "nope.html", "url": "https://bad.example/x/"},
    {"id": "corrupt", "file": "bad.html.gz", "url": "https://bad.example/y/"},
    "{not json",
    {"id": "b", "file": "b.html", "url": "https://bad.example/recaps/b/", "fetched_at": None},
]


def test_ingest_reports_bad_records_and_stores_the_rest(tmp_path, db_url):
    manifest = write_manifest(tmp_path, MANIFEST)
    out = cli("ingest", str(manifest), "--db", db_url)
    assert out.returncode == 1
    assert "error: missing: file not found" in out.stderr
    assert "error: corrupt:" in out.stderr and "not valid gzip" in out.stderr
    assert "error: line 4:" in out.stderr
    assert "ingested 2 pages: 2 new" in out.stdout and "3 bad records" in out.stdout
    assert recap_count(db_url) == 2
    again = cli("ingest", str(manifest), "--db", db_url)
    assert "0 new" in again.stdout and "2 unchanged" in again.stdout
    assert recap_count(db_url) == 2


def test_parse_manifest_prints_one_line_per_good_record(tmp_path):
    manifest = write_manifest(tmp_path, MANIFEST)
    out = cli("parse", "--manifest", str(manifest), "--no-body")
    assert out.returncode == 1
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["show"] == "Harbor Lights" and lines[0]["episodes"] == [1]
    assert {"id", "url", "canonical_url", "site", "headline", "is_episode_recap", "kind", "show",
            "season", "episodes", "episode_title", "finale", "part", "platform", "network",
            "published_at", "modified_at", "release_dates", "author", "language",
            "word_count"} <= set(lines[0])
    assert "missing" in out.stderr


def test_parse_single_files(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(good_page(3))
    out = cli("parse", "--url", "https://bad.example/recaps/p/", "--fetched-at",
              "2025-03-04T00:00:00+00:00", str(page))
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["is_episode_recap"] is True and record["body"]
    binary = tmp_path / "x.html"
    binary.write_bytes(bytes(range(256)) * 100)
    out = cli("parse", str(binary))
    assert out.returncode == 0 and json.loads(out.stdout)["is_episode_recap"] is False
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    out = cli("parse", str(huge))
    assert out.returncode == 1 and "byte limit" in out.stderr and "Traceback" not in out.stderr
    out = cli("parse", str(tmp_path / "absent.html"))
    assert out.returncode == 1 and "file not found" in out.stderr
    out = cli("parse", str(page), "--fetched-at", "yesterday")
    assert out.returncode == 1 and "not an ISO date" in out.stderr


def test_ingest_warc(tmp_path, sqlite_url):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, ctype in ((1, "text/html; charset=utf-8"), (2, "image/png"), (3, "text/html")):
            body = good_page(n).encode() if "html" in ctype else b"\x89PNG"
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://warc.example/recaps/{n}/", "response",
                                               payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
    out = cli("ingest", str(path), "--db", sqlite_url)
    assert out.returncode == 0, out.stderr
    assert "ingested 2 pages: 2 new" in out.stdout
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(path.read_bytes()[:-200])
    out = cli("ingest", str(truncated), "--db", sqlite_url)
    assert "Traceback" not in out.stderr


def test_query_commands_with_a_bad_database(tmp_path):
    out = cli("shows", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert out.returncode == 1 and out.stderr.startswith("error: cannot connect")
    out = cli("recaps", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert out.returncode == 1 and "no recap tables yet" in out.stderr
    out = cli("recaps", "--since", "last week", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert out.returncode == 1


def test_store_keeps_a_failed_batch_and_retries(monkeypatch, sqlite_url):
    from sqlalchemy.exc import OperationalError

    from recapscraper.ingest import SavedPage, ingest
    from storage import repository

    real = repository.store_batch
    calls = {"n": 0}

    def flaky(engine, rows):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("INSERT", {}, Exception("database is gone"))
        return real(engine, rows)

    monkeypatch.setattr(repository, "store_batch", flaky)
    pages = [SavedPage(str(n), f"https://bad.example/recaps/{n}/", good_page(n).encode(), None)
             for n in range(1, 5)]
    report = ingest(iter(pages), sqlite_url, batch_size=2)
    assert report.stats["recaps/store_errors"] == 1
    assert report.stats["recaps/new"] == 4  # the failed batch went with the next one
    assert recap_count(sqlite_url) == 4


def test_ingest_with_a_parser_process_reports_the_same(tmp_path, sqlite_url):
    manifest = write_manifest(tmp_path, MANIFEST)
    out = cli("ingest", str(manifest), "--db", sqlite_url, "--workers", "1")
    assert out.returncode == 1, out.stderr
    assert "ingested 2 pages: 2 new" in out.stdout and "3 bad records" in out.stdout
    assert recap_count(sqlite_url) == 2
    bad = cli("ingest", str(manifest), "--db", sqlite_url, "--workers", "-1")
    assert bad.returncode != 0 and "--workers must be 0 or more" in bad.stderr
