"""The JSON API on SQLite and PostgreSQL: resources, filters, keyset pages, search,
errors, limits, read-only store, hostile input through every parameter."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

from recapscraper.web.app import create_app
from webdata import XSS, fill


@pytest.fixture
def client(db_url):
    fill(db_url)
    app = create_app(db_url)
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def show_id(client, title: str) -> int:
    [show] = client.get("/api/shows", params={"q": title}).json()["items"]
    return show["id"]


def test_shows_search_and_guide(client):
    items = client.get("/api/shows").json()["items"]
    assert [s["title"] for s in items] == ["<b>Evil</b> & Show", "Harbor Lights", "Soundtrack #2"]
    assert client.get("/api/shows", params={"q": "soundtrack 2"}).json()["items"][0]["recaps"] == 4
    assert [s["title"] for s in client.get("/api/shows", params={"platform": "hulu"})
            .json()["items"]] == ["Soundtrack #2"]
    assert client.get("/api/shows", params={"network": "FX"}).json()["items"][0]["title"] \
        == "Soundtrack #2"
    guide = client.get(f"/api/shows/{show_id(client, 'harbor')}").json()
    assert guide["title"] == "Harbor Lights" and guide["episodes"] == 3 and guide["recaps"] == 12
    [season] = guide["seasons"]
    assert [(e["episode"], e["recaps"], e["release_date"]) for e in season["episodes"]] == [
        (1, 4, "2025-03-01"), (2, 4, "2025-03-02"), (3, 4, "2025-03-03")]
    assert guide["platforms"] == [{"name": "Netflix", "recaps": 12,
                                   "sites": ["couchnotes.example", "tvrecapdaily.example"]}]


def test_episode_has_recaps_from_both_sites(client):
    sid = show_id(client, "harbor")
    ep = client.get(f"/api/shows/{sid}/episodes/1/2").json()
    assert ep["sites"] == ["couchnotes.example", "tvrecapdaily.example"]
    assert len(ep["recaps"]) == 4 and ep["previous"] == {"season": 1, "episode": 1}
    assert ep["next"] == {"season": 1, "episode": 3} and ep["platforms"] == ["Netflix"]
    first = ep["recaps"][0]
    assert first["published_at"].endswith("-07:00") and first["excerpt"].startswith("Recap number")
    dates = [r["published_at"] for r in ep["recaps"]]
    assert dates == sorted(dates, reverse=True)
    assert client.get(f"/api/shows/{sid}/episodes/1/9").status_code == 404


def test_recap_filters(client):
    def ids(**params):
        return [r["id"] for r in client.get("/api/recaps", params=params).json()["items"]]

    assert len(ids(limit=100)) == 17
    assert len(ids(platform="NETFLIX", limit=100)) == 12
    assert len(ids(site="www.tvrecapdaily.example", limit=100)) == 7
    assert len(ids(kind="review")) == 1 and len(ids(network="fx")) == 4
    assert len(ids(show="Harbor Lights", season=1, episode=3)) == 4
    assert len(ids(show="soundtrack", limit=100)) == 4
    assert ids(show="no such show") == [] and ids(site="nowhere.example") == []
    assert len(ids(since="2025-03-05", until="2025-03-08", limit=100)) == 3
    assert len(ids(since="2025-03-05T04:00:00+00:00", limit=100)) == 9


def test_keyset_pages_cover_everything_once_in_order(client):
    seen, cursor = [], None
    while True:
        body = client.get("/api/recaps", params={"limit": 3, **({"cursor": cursor} if cursor
                                                                else {})}).json()
        seen += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 17 and len({r["id"] for r in seen}) == 17
    dated = [r["published_at"] for r in seen if r["published_at"]]
    assert seen[-1]["published_at"] is None  # undated recaps come last
    from datetime import datetime
    assert [datetime.fromisoformat(d) for d in dated] == sorted(
        (datetime.fromisoformat(d) for d in dated), reverse=True)


def test_full_text_search(client):
    body = client.get("/api/search", params={"q": "Melody ORCHESTRA"}).json()
    assert len(body["items"]) == 4
    assert all("melody" in r["snippet"].lower() for r in body["items"])
    assert "\x02" not in str(body)
    assert [r["id"] for r in client.get("/api/search", params={"q": "unique5"}).json()["items"]]
    headline_first = client.get("/api/search", params={"q": "harbor"}).json()["items"]
    assert headline_first and all(r["show"] == "Harbor Lights" for r in headline_first[:5])
    assert client.get("/api/search", params={"q": "the and of"}).json()["items"] == []
    pages, cursor = [], None
    while True:
        params = {"q": "lighthouse", "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/search", params=params).json()
        pages += [r["id"] for r in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(pages) == len(set(pages)) > 2


def test_sites(client):
    sites = client.get("/api/sites").json()
    assert [(s["domain"], s["recaps"]) for s in sites] == [("couchnotes.example", 10),
                                                            ("tvrecapdaily.example", 7)]


def test_errors_are_json_with_status(client):
    for path, status in [("/api/shows/999", 404), ("/api/recaps?cursor=bogus", 400),
                         ("/api/recaps?since=yesterday", 400), ("/api/recaps?limit=101", 422),
                         ("/api/recaps?limit=0", 422), ("/api/search", 422),
                         ("/api/search?q=" + "x" * 201, 422), ("/api/shows/abc", 422),
                         ("/api/recaps?since=0001-01-01T00:00:00%2B05:00", 400),
                         ("/api/nothing", 404)]:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.json()["error"]["status"] == status, path
    cursor = client.get("/api/shows", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/api/recaps", params={"cursor": cursor}).status_code == 400


INJECTIONS = ["' OR 1=1 --", "\"; DROP TABLE recaps; --", "%", "_", "\\", "\x00", "' UNION SELECT "
              "password FROM users --", XSS, "NEAR(a b)", "a\" OR \"b", "*", "^harbor", "-foo",
              "ünïcödé", "😀" * 50]


def test_hostile_parameters_do_no_harm(client):
    for value in INJECTIONS:
        for path, name in [("/api/shows", "q"), ("/api/shows", "platform"),
                           ("/api/shows", "network"), ("/api/recaps", "show"),
                           ("/api/recaps", "platform"), ("/api/recaps", "network"),
                           ("/api/recaps", "site"), ("/api/recaps", "kind"),
                           ("/api/recaps", "since"), ("/api/recaps", "cursor"),
                           ("/api/search", "q"), ("/api/search", "cursor"),
                           ("/search", "q"), ("/shows", "q"), ("/recaps", "platform")]:
            params = {name: value}
            if path == "/api/search" and name == "cursor":
                params["q"] = "harbor"
            response = client.get(path, params=params)
            assert response.status_code in (200, 400, 422), (path, name, value)
            if response.status_code == 200 and path.startswith("/api/"):
                assert XSS not in str(response.json().get("items", [])) or value == XSS \
                    or "Evil" in str(response.json())
    assert len(client.get("/api/recaps", params={"limit": 100}).json()["items"]) == 17


def test_the_store_is_read_only(client, db_url):
    engine = client.app.state.engine
    with pytest.raises(DBAPIError) as failure:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM recaps"))
    assert "read" in str(failure.value).lower()
    assert len(client.get("/api/recaps", params={"limit": 100}).json()["items"]) == 17


def test_openapi_lists_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/shows", "/api/shows/{show_id}", "/api/shows/{show_id}/episodes/{season}/"
            "{episode}", "/api/recaps", "/api/search", "/api/sites"} <= set(schema["paths"])
    assert not any(p.startswith(("/shows", "/search")) for p in schema["paths"])
