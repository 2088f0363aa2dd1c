"""Job locks and crawl-run history: what the scheduler and the monitors read and write."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from storage.db import dialect_insert, writer
from storage.models import CrawlRun, JobLock, utcnow


def acquire_lock(engine: Engine, name: str, holder: str, ttl_seconds: int = 300,
                 now: datetime | None = None) -> bool:
    """Take the lock ``name`` for ``holder``; False when a live holder has it.

    A lock whose heartbeat is older than its TTL was left by a process that died,
    and is taken over.
    """
    now = now or utcnow()
    with writer(engine).begin() as conn:
        taken = conn.execute(dialect_insert(engine, JobLock).values(
            name=name, holder=holder, acquired_at=now, heartbeat_at=now,
            ttl_seconds=ttl_seconds).on_conflict_do_nothing().returning(JobLock.name)).scalar()
        if taken:
            return True
        row = conn.execute(select(JobLock.holder, JobLock.heartbeat_at, JobLock.ttl_seconds)
                           .where(JobLock.name == name)).first()
        if row is None:
            return False
        current, beat, ttl = row
        if current != holder and beat + timedelta(seconds=ttl) > now:
            return False
        result = conn.execute(update(JobLock).where(
            JobLock.name == name, JobLock.holder == current, JobLock.heartbeat_at == beat)
            .values(holder=holder, acquired_at=now, heartbeat_at=now, ttl_seconds=ttl_seconds))
        return result.rowcount == 1


def renew_lock(engine: Engine, name: str, holder: str) -> bool:
    with writer(engine).begin() as conn:
        result = conn.execute(update(JobLock).where(JobLock.name == name,
                                                    JobLock.holder == holder)
                              .values(heartbeat_at=utcnow()))
        return result.rowcount == 1


def release_lock(engine: Engine, name: str, holder: str) -> None:
    with writer(engine).begin() as conn:
        conn.execute(delete(JobLock).where(JobLock.name == name, JobLock.holder == holder))


def list_runs(engine: Engine, site: str | None = None, limit: int = 20) -> list[dict]:
    """Crawl runs, newest first; with ``site``, those that crawled it."""
    stmt = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    with Session(engine) as session:
        runs = session.scalars(stmt).all()
    out = []
    for run in runs:
        if site and site not in (run.sites or []):
            continue
        out.append(run_summary(run))
        if len(out) >= limit:
            break
    return out


def run_summary(run: CrawlRun) -> dict:
    stats = run.stats or {}
    return {
        "id": run.id, "spider": run.spider, "sites": ",".join(run.sites or []),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "status": run.status, "pages": stats.get("response_received_count", 0),
        "not_modified": stats.get("recaps/incremental/not_modified", 0),
        # articles found unchanged, all ways (recapscraper/incremental.py counts nothing else there)
        "unchanged": sum(v for k, v in stats.items()
                         if k.startswith("recaps/incremental/") and isinstance(v, int)),
        "new": stats.get("recaps/new", 0), "updated": stats.get("recaps/updated", 0),
        "duplicates": stats.get("recaps/duplicate", 0),
        "rejected": stats.get("recaps/rejected", 0),
        "errors": sum(v for k, v in stats.items() if k.startswith("recaps/errors/")
                      and isinstance(v, int)),
    }


def get_run(engine: Engine, run_id: int | None = None) -> tuple[dict, dict] | None:
    """(summary, stats) of one run, the newest when run_id is None; None if there is none."""
    stmt = select(CrawlRun)
    stmt = (stmt.where(CrawlRun.id == run_id) if run_id is not None
            else stmt.order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(1))
    with Session(engine) as session:
        run = session.scalars(stmt).first()
        return (run_summary(run), dict(run.stats or {})) if run else None


def run_stats(engine: Engine, run_id: int) -> dict:
    with Session(engine) as session:
        run = session.get(CrawlRun, run_id)
        return dict(run.stats or {}) if run else {}
