"""Pages and Atom feeds: links between pages, crawled content escaped everywhere,
valid Atom, phone-friendly markup; the CLI's search and episode commands."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import quote, urlsplit

import pytest
from starlette.testclient import TestClient

from recapscraper import cli
from recapscraper.web.app import create_app
from webdata import XSS, fill

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [XSS, "<img src=x onerror", "<svg onload", "<b>Evil</b>", "<i>Evil+</i>",
           "</textarea>"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'recaps.db'}"
    fill(url)
    return url


@pytest.fixture(scope="module")
def client(store):
    app = create_app(store)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def ids(client):
    shows = {s["title"]: s["id"] for s in client.get("/api/shows").json()["items"]}
    return shows["Harbor Lights"], shows["<b>Evil</b> & Show"]


def pages(client) -> list[str]:
    harbor, evil = ids(client)
    return ["/", "/shows", f"/shows/{harbor}", f"/shows/{evil}", f"/shows/{evil}/episodes/1/1",
            f"/shows/{harbor}/episodes/1/2", "/recaps", "/platforms/Netflix",
            "/platforms/" + quote("<i>Evil+</i>", safe=""), "/search?q=villain",
            "/search?q=" + quote(XSS), "/search?q=harbor", "/sites", "/shows?q=evil"]


def test_pages_link_to_each_other(client):
    harbor, _ = ids(client)
    home = client.get("/").text
    assert 'name="viewport"' in home and 'action="/search"' in home
    assert f'href="/shows/{harbor}"' in home and f'href="/shows/{harbor}/episodes/1/3"' in home
    assert 'rel="alternate" type="application/atom+xml"' in home
    show = client.get(f"/shows/{harbor}").text
    assert f'href="/shows/{harbor}/feed.atom"' in show and "Episode guide" in show
    assert all(f'href="/shows/{harbor}/episodes/1/{n}"' in show for n in (1, 2, 3))
    assert "2025-03-02" in show and "Netflix" in show
    episode = client.get(f"/shows/{harbor}/episodes/1/2").text
    assert episode.count('class="recap"') == 4
    assert "couchnotes.example" in episode and "tvrecapdaily.example" in episode
    assert 'href="https://tvrecapdaily.example/harbor-lights-s1e2-recap-1/"' in episode
    assert 'rel="prev"' in episode and 'rel="next"' in episode
    search = client.get("/search", params={"q": "harbor"}).text
    assert f'href="/shows/{harbor}"' in search and "<mark>" in search


@pytest.mark.parametrize("path_index", range(14))
def test_crawled_content_is_escaped(client, path_index):
    path = pages(client)[path_index]
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.text
    for raw in HOSTILE:
        assert raw not in html, (path, raw)
    assert "javascript:" not in html
    assert "script-src" not in response.headers["content-security-policy"]  # none allowed
    if "evil" in path.lower() or "villain" in path or "/shows/" in path and path.endswith("/1/1"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;" in html


def test_error_pages_are_html_and_escaped(client):
    response = client.get("/shows/999999")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    response = client.get("/search", params={"q": "x" * 300})
    assert response.status_code == 422 and "<script" not in response.text


def check_atom(body: bytes) -> ET.Element:
    """RFC 4287 essentials: feed id/title/updated/author/self link; each entry's
    id (absolute IRI), title, updated (RFC 3339), author name; text, not markup."""
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"

    def one(parent, tag):
        found = parent.findall(f"{ATOM}{tag}")
        assert len(found) == 1, tag
        return found[0]

    for tag in ("id", "title", "updated"):
        assert one(feed, tag).text
    datetime.fromisoformat(one(feed, "updated").text)
    assert one(one(feed, "author"), "name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"].startswith("http") and links["alternate"].startswith("http")
    for entry in feed.findall(f"{ATOM}entry"):
        assert urlsplit(one(entry, "id").text).scheme in ("http", "https")
        assert one(entry, "title").get("type") == "text"
        assert datetime.fromisoformat(one(entry, "updated").text).tzinfo is not None
        assert one(one(entry, "author"), "name").text
        for link in entry.findall(f"{ATOM}link"):
            assert urlsplit(link.get("href")).scheme in ("http", "https")
        assert one(entry, "summary").get("type") == "text"
    return feed


def test_atom_feeds(client):
    harbor, evil = ids(client)
    response = client.get(f"/shows/{harbor}/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = check_atom(response.content)
    assert len(feed.findall(f"{ATOM}entry")) == 12
    assert feed.find(f"{ATOM}title").text == "New recaps of Harbor Lights"
    assert len(check_atom(client.get("/platforms/hulu/feed.atom").content)
               .findall(f"{ATOM}entry")) == 4
    evil_feed = client.get(f"/shows/{evil}/feed.atom")
    assert b"<script>" not in evil_feed.content and b"<b>Evil" not in evil_feed.content
    feed = check_atom(evil_feed.content)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.startswith(XSS)  # the text itself survives
    assert entry.find(f"{ATOM}link[@rel='alternate']") is None  # javascript: is no link
    platform = "/platforms/" + quote("<i>Evil+</i>", safe="") + "/feed.atom"
    assert len(check_atom(client.get(platform).content).findall(f"{ATOM}entry")) == 1
    assert client.get("/shows/999999/feed.atom").status_code == 404


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_episode_and_search(store, capsys):
    code, out, err = run_cli(capsys, "episode", "harbor lights", "S01E02", "--db", store,
                             "--format", "json")
    recaps = json.loads(out)
    assert code == 0 and len(recaps) == 4 and "4 recaps from 2 sites" in err
    assert {r["site"] for r in recaps} == {"couchnotes.example", "tvrecapdaily.example"}
    code, out, _ = run_cli(capsys, "episode", "Harbor Lights", "1x3", "--db", store,
                           "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "site,author,published_at,kind,headline,excerpt,url"
    code, out, _ = run_cli(capsys, "search", "melody orchestra", "--db", store, "--format",
                           "jsonl")
    assert code == 0 and len(out.splitlines()) == 4
    assert all("\x02" not in json.loads(line)["snippet"] for line in out.splitlines())
    code, out, _ = run_cli(capsys, "search", "villain", "--db", store)
    assert code == 0 and re.search(r"Evil Show S1E1", out)
    for argv in (["episode", "harbor lights", "S9"], ["episode", "nothing", "1x1"],
                 ["search", "x" * 201], ["search", "x", "--limit", "0"]):
        code, _, err = run_cli(capsys, *argv, "--db", store)
        assert code == 1 and err.startswith("error: ") and err.count("\n") == 1, argv


def test_cli_serve_arguments():
    args = cli.build_parser().parse_args(["serve", "--port", "9000", "--host", "0.0.0.0",
                                          "--db", "sqlite:///x.db"])
    assert (args.port, args.host, args.db) == (9000, "0.0.0.0", "sqlite:///x.db")
    assert cli.COMMANDS["serve"] is cli.cmd_serve
