"""`recapscraper schedule`: run crawl jobs on cron expressions in one long-running process.

A schedule file (TOML)::

    db = "postgresql+psycopg://crawler@db/recaps"   # optional; else --db / RECAPS_DB_URL
    jitter = 120                                    # seconds of random delay, all jobs

    [[jobs]]
    name = "recap-sites"          # unique; also the lock name
    cron = "0 * * * *"            # minute hour day month weekday, in UTC
    sites = ["tvrecapdaily"]      # or: all = true
    settings = ["DOWNLOAD_DELAY=1"]  # -s overrides
    # sites_dir = "/etc/recapscraper/sites"   # site files other than the built-in ones
    check = true                  # run the monitors after each crawl
    webhook = "https://hooks.example/recaps"

    [[jobs]]
    name = "weekly-full"          # crawls are incremental; this one re-reads everything
    cron = "0 3 * * 0"
    all = true
    full = true

Every job runs `recapscraper crawl ...` in its own process (a crawl needs a fresh
Twisted reactor). A job never overlaps itself: APScheduler runs one instance at a
time in this process, and a lock in the store (``job_locks``, renewed while the
crawl runs) keeps a second scheduler, on this machine or another, from starting
it too.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storage import jobs
from storage.db import open_store, resolve_url

logger = logging.getLogger(__name__)
LOCK_TTL = 300  # seconds; the crawl's lock is renewed every LOCK_TTL / 3


class ScheduleError(ValueError):
    """The schedule file is missing or invalid."""


@dataclass(slots=True)
class Job:
    name: str
    cron: str
    sites: list[str] = field(default_factory=list)
    all: bool = False
    settings: list[str] = field(default_factory=list)
    check: bool = False
    webhook: str | None = None
    sites_dir: str | None = None  # a folder of site files other than the built-in one
    full: bool = False  # fetch and parse everything, not only what changed


    def command(self, db: str) -> list[str]:
        cmd = [sys.executable, "-m", "recapscraper.cli", "crawl", *self.sites, "--db", db]
        if self.sites_dir:
            cmd += ["--sites-dir", self.sites_dir]
        if self.all:
            cmd.append("--all")
        if self.full:
            cmd.append("--full")
        for pair in self.settings:
            cmd += ["-s", pair]
        if self.check:
            cmd.append("--check")
            if self.webhook:
                cmd += ["--webhook", self.webhook]
        return cmd


@dataclass(slots=True)
class Schedule:
    jobs: list[Job]
    db: str | None = None
    jitter: int = 0


def load_schedule(path: Path) -> Schedule:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScheduleError(f"cannot read schedule {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"schedule {path}: {exc}") from None
    from apscheduler.triggers.cron import CronTrigger

    jobs_ = []
    for i, raw in enumerate(data.get("jobs", []), 1):
        try:
            job = Job(**raw)
        except TypeError as exc:
            raise ScheduleError(f"schedule {path}: job {i}: {exc}") from None
        if not (job.sites or job.all):
            raise ScheduleError(f"schedule {path}: job {job.name!r} names no sites")
        try:
            CronTrigger.from_crontab(job.cron)
        except ValueError as exc:
            raise ScheduleError(f"schedule {path}: job {job.name!r}: cron {job.cron!r}: "
                                f"{exc}") from None
        jobs_.append(job)
    if not jobs_:
        raise ScheduleError(f"schedule {path} has no [[jobs]]")
    names = [j.name for j in jobs_]
    if len(set(names)) != len(names):
        raise ScheduleError(f"schedule {path}: job names must be unique")
    return Schedule(jobs=jobs_, db=data.get("db"), jitter=int(data.get("jitter", 0)))


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def run_job(job: Job, db: str, runner: Callable[[Sequence[str]], int] | None = None,
            ttl: int = LOCK_TTL) -> int | None:
    """Run one job now unless it is running somewhere; its exit code, or None if skipped."""
    engine = open_store(db)
    holder = holder_name()
    if not jobs.acquire_lock(engine, job.name, holder, ttl):
        logger.warning("job %s is still running elsewhere: skipped this time", job.name)
        engine.dispose()
        return None
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(ttl / 3):
            jobs.renew_lock(engine, job.name, holder)

    beat = threading.Thread(target=heartbeat, name=f"lock-{job.name}", daemon=True)
    beat.start()
    try:
        logger.info("job %s starting", job.name)
        code = (runner or _subprocess)(job.command(db))
        logger.info("job %s finished with exit code %s", job.name, code)
        return code
    finally:
        stop.set()
        beat.join(5)
        jobs.release_lock(engine, job.name, holder)
        engine.dispose()


def _subprocess(cmd: Sequence[str]) -> int:
    return subprocess.run(list(cmd), check=False).returncode


def serve(schedule: Schedule, db: str | None = None) -> None:
    """Block, running the jobs on their cron expressions until interrupted."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    url = resolve_url(db or schedule.db)
    open_store(url).dispose()  # a clear error now rather than at the first run
    scheduler = BlockingScheduler(timezone="UTC")
    for job in schedule.jobs:
        trigger = CronTrigger.from_crontab(job.cron, timezone="UTC")
        trigger.jitter = schedule.jitter or None
        scheduler.add_job(run_job, trigger, args=[job, url], id=job.name, name=job.name,
                          max_instances=1, coalesce=True, misfire_grace_time=600)
        logger.info("scheduled %s: %s (UTC)", job.name, job.cron)
    scheduler.start()
