"""The Scrapyd deploy path, end to end: a real `scrapyd` on 127.0.0.1, the project
deployed with `scrapyd-deploy` as README.md shows, a crawl scheduled through its
HTTP API against a local site, twice (the second one incremental)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recapscraper.demo.server import SiteServer
from recapscraper.demo.synthetic import build_site, site_toml
from storage.db import open_store
from storage.models import CrawlRun, Recap

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT_FILES = ("recapscraper", "storage", "setup.py", "pyproject.toml", "scrapy.cfg",
                 "README.md")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, path: str, data: dict | list | None = None) -> dict:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    with urllib.request.urlopen(base + path, data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    port = _free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\nmax_proc = 2\npoll_interval = 0.5\n")
    env = {**os.environ, "RECAPS_CACHE_DIR": str(home / "cache")}  # where the egg unpacks
    server = subprocess.Popen([str(BIN / "scrapyd"), "--nodaemon"], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            assert _api(base, "daemonstatus.json")["status"] == "ok"
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"scrapyd did not start on port {port}")
            time.sleep(0.2)
    yield base, home
    server.terminate()
    server.wait(timeout=30)


def _deploy(tmp_path: Path, base: str) -> dict:
    """`scrapyd-deploy local` from a copy of the project, pointed at the test server."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, copy / name)
    cfg = (copy / "scrapy.cfg").read_text()
    assert "[deploy:local]" in cfg
    (copy / "scrapy.cfg").write_text(cfg.replace("http://127.0.0.1:6800/", base))
    done = subprocess.run([str(BIN / "scrapyd-deploy"), "local", "-p", "recapscraper",
                           "--version", "t1"], cwd=copy, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else
                      done.stderr[done.stderr.index("{"):])


def _wait_finished(base: str, job: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = _api(base, "listjobs.json?project=recapscraper")
        if any(j["id"] == job for j in jobs["finished"]):
            return
        time.sleep(0.5)
    pytest.fail(f"scrapyd job {job} did not finish in {timeout}s")


def test_deploy_to_scrapyd_and_crawl_twice(tmp_path, scrapyd):
    base, home = scrapyd
    answer = _deploy(tmp_path, base)
    assert answer["status"] == "ok" and answer["spiders"] == 1
    assert _api(base, "listspiders.json?project=recapscraper")["spiders"] == ["recaps"]
    arts = build_site(tmp_path / "www", 30)
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "synthetic.toml").write_text(site_toml())
    db_url = f"sqlite:///{tmp_path / 'recaps.db'}"
    with SiteServer(tmp_path / "www") as site:
        # the spider takes the same arguments as `scrapy crawl recaps -a ...`
        request = [("project", "recapscraper"), ("spider", "recaps"), ("site", "synthetic"),
                   ("sites_dir", str(tmp_path / "sites"))] + [
            ("setting", f"{k}={v}") for k, v in {
                "RECAPS_DB_URL": db_url, "RECAPS_PROXY": site.url,
                "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}.items()]
        for _ in range(2):
            job = _api(base, "schedule.json", request)
            assert job["status"] == "ok"
            _wait_finished(base, job["jobid"])
    log = (home / "logs" / "recapscraper" / "recaps" / f"{job['jobid']}.log").read_text()
    assert "Traceback" not in log and " ERROR: " not in log, log[-3000:]
    engine = open_store(db_url)
    with Session(engine) as s:
        recaps = s.scalar(select(func.count()).select_from(Recap))
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    engine.dispose()
    assert recaps == sum(a.is_recap for a in arts)
    assert [r.status for r in runs] == ["finished", "finished"]
    assert runs[0].stats["recaps/new"] == recaps
    assert "recaps/pages/parsed" not in runs[1].stats  # the second run was incremental
    # the job ran the deployed egg: its migrations were unpacked from it
    assert list((home / "cache").glob("recapscraper-*/storage/migrations/versions/0006_*.py"))


def test_package_folders_are_unpacked_from_a_zipped_egg(tmp_path, monkeypatch):
    import zipfile

    from recapscraper.resources import package_path

    egg = tmp_path / "zpkg-1.egg"
    with zipfile.ZipFile(egg, "w") as zf:
        zf.writestr("zpkg/__init__.py", "")
        zf.writestr("zpkg/data/a.toml", "name = 'a'\n")
        zf.writestr("zpkg/data/sub/b.toml", "name = 'b'\n")
    monkeypatch.setenv("RECAPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(egg))
    folder = package_path("zpkg", "data")
    assert folder.is_dir() and (folder / "sub" / "b.toml").read_text() == "name = 'b'\n"
    assert package_path("zpkg", "data") == folder  # unpacked once
    assert package_path("json") == Path(__import__("json").__file__).parent  # on disk: as is
