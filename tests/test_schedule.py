"""Scheduling: schedule files, job locks across threads and processes, no overlap."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from recapscraper.schedule import Job, ScheduleError, load_schedule, run_job
from storage import jobs
from storage.db import open_store
from storage.models import utcnow

GOOD = '''db = "sqlite:///x.db"
jitter = 30
[[jobs]]
name = "recaps"
cron = "0 * * * *"
sites = ["a", "b"]
settings = ["DOWNLOAD_DELAY=2"]
check = true
webhook = "http://127.0.0.1:9/hook"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.toml"
    path.write_text(text)
    return path


def test_schedule_file_and_job_command(tmp_path):
    schedule = load_schedule(write(tmp_path, GOOD))
    assert schedule.jitter == 30 and schedule.db == "sqlite:///x.db"
    [job] = schedule.jobs
    cmd = job.command("sqlite:///y.db")
    assert cmd[1:] == ["-m", "recapscraper.cli", "crawl", "a", "b", "--db", "sqlite:///y.db",
                       "-s", "DOWNLOAD_DELAY=2", "--check", "--webhook",
                       "http://127.0.0.1:9/hook"]
    weekly = load_schedule(write(tmp_path, '[[jobs]]\nname = "w"\ncron = "0 3 * * 0"\n'
                                           'all = true\nfull = true\n')).jobs[0]
    assert weekly.command("sqlite:///y.db")[4:] == ["--db", "sqlite:///y.db", "--all", "--full"]


@pytest.mark.parametrize("text, message", [
    ("", "has no \\[\\[jobs\\]\\]"),
    ('[[jobs]]\nname = "x"\ncron = "61 * * * *"\nsites = ["a"]\n', "cron"),
    ('[[jobs]]\nname = "x"\ncron = "0 * * * *"\n', "names no sites"),
    ('[[jobs]]\nname = "x"\ncron = "0 * * * *"\nall = true\n[[jobs]]\nname = "x"\n'
     'cron = "0 * * * *"\nall = true\n', "unique"),
    ('[[jobs]]\nname = "x"\ncron = "0 * * * *"\nall = true\ncolour = 1\n', "colour"),
])
def test_bad_schedule_files(tmp_path, text, message):
    with pytest.raises(ScheduleError, match=message):
        load_schedule(write(tmp_path, text))


def test_locks_exclude_take_over_when_stale_and_release(db_url):
    engine = open_store(db_url)
    assert jobs.acquire_lock(engine, "j", "a", ttl_seconds=60)
    assert not jobs.acquire_lock(engine, "j", "b", ttl_seconds=60)
    assert jobs.renew_lock(engine, "j", "a") and not jobs.renew_lock(engine, "j", "b")
    later = utcnow() + timedelta(seconds=120)  # a's heartbeat is now stale
    assert jobs.acquire_lock(engine, "j", "b", ttl_seconds=60, now=later)
    jobs.release_lock(engine, "j", "a")  # not a's any more: no effect
    assert not jobs.acquire_lock(engine, "j", "c", ttl_seconds=60)
    jobs.release_lock(engine, "j", "b")
    assert jobs.acquire_lock(engine, "j", "c", ttl_seconds=60)
    engine.dispose()


def test_overlapping_triggers_run_the_job_once(sqlite_url):
    job = Job(name="slow", cron="* * * * *", all=True)
    started = []

    results = []

    def runner(cmd):
        started.append(cmd)
        deadline = time.monotonic() + 60
        while len(results) < 2 and time.monotonic() < deadline:  # the others try meanwhile
            time.sleep(0.05)
        return 0

    threads = [threading.Thread(target=lambda: results.append(run_job(job, sqlite_url, runner)))
               for _ in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [0, None, None] and len(started) == 1
    assert run_job(job, sqlite_url, lambda cmd: 5) == 5  # released: the next trigger runs


HOLD = """
import sys, time
from storage import jobs
from storage.db import open_store
engine = open_store(sys.argv[1])
ok = jobs.acquire_lock(engine, "cross", sys.argv[2], ttl_seconds=60)
print("got" if ok else "busy", flush=True)
time.sleep(float(sys.argv[3]))
"""


def test_a_second_process_cannot_take_a_held_lock(db_url):
    open_store(db_url).dispose()
    first = subprocess.Popen([sys.executable, "-c", HOLD, db_url, "p1", "3"],
                             stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline().strip() == "got"
    second = subprocess.run([sys.executable, "-c", HOLD, db_url, "p2", "0"],
                            capture_output=True, text=True, timeout=60)
    assert second.stdout.strip() == "busy"
    first.wait(30)


def test_run_once_cli_skips_a_job_held_elsewhere(tmp_path, sqlite_url):
    path = write(tmp_path, '[[jobs]]\nname = "held"\ncron = "0 * * * *"\nall = true\n')
    engine = open_store(sqlite_url)
    assert jobs.acquire_lock(engine, "held", "someone-else", ttl_seconds=600)
    out = subprocess.run([sys.executable, "-m", "recapscraper.cli", "schedule", "--config",
                          str(path), "--run-once", "held", "--db", sqlite_url],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "skipped" in out.stdout
    out = subprocess.run([sys.executable, "-m", "recapscraper.cli", "schedule", "--config",
                          str(path), "--run-once", "nope", "--db", sqlite_url],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "no job 'nope'" in out.stderr
    engine.dispose()
