"""The commands of a distributed crawl: `worker`, `enqueue`, `queue` (see cli.py)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

QUEUE_COLUMNS = ("queued", "in_flight", "requeued_stale", "seen_articles", "seen_pages",
                 "workers", "crawl")


def _redis(parser) -> None:
    from recapscraper.distributed import DEFAULT_PREFIX, DEFAULT_REDIS_URL

    parser.add_argument("--redis", metavar="URL",
                        default=os.environ.get("RECAPS_REDIS_URL", DEFAULT_REDIS_URL),
                        help="Redis URL (default: $RECAPS_REDIS_URL or %(default)s)")
    parser.add_argument("--prefix", default=DEFAULT_PREFIX,
                        help="key prefix in Redis: one per crawl (default: %(default)s)")


def add_parsers(subs, sub, db, fmt) -> None:
    p = sub(subs, "worker", "take requests from the shared Redis queue and crawl them "
            "(run any number, on any number of machines)",
            "recapscraper worker --redis redis://queue:6379/0 "
            "--db postgresql+psycopg://crawler@db:5432/recaps")
    _redis(p)
    p.add_argument("--sites-dir", type=Path, help="folder of site files (default: built-in)")
    p.add_argument("--idle-exit", type=float, metavar="SECONDS",
                   help="stop once the queue has been empty this long (default: wait for work)")
    p.add_argument("--lease", type=float, metavar="SECONDS",
                   help="lease on a taken request; a killed worker's requests are requeued "
                        "after it (default: RECAPS_LEASE_SECONDS, 60)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", dest="overrides",
                   help="override a Scrapy setting (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="show Scrapy's log")
    db(p)

    p = sub(subs, "enqueue", "seed the shared Redis queue with the start requests of sites",
            "recapscraper enqueue --all --redis redis://queue:6379/0")
    p.add_argument("sites", nargs="*", metavar="NAME", help="site names from the registry")
    p.add_argument("--all", action="store_true", help="every registered site")
    p.add_argument("--sites-dir", type=Path, help="folder of site files (default: built-in)")
    p.add_argument("--force", action="store_true",
                   help="queue them even if they were fetched within RECAPS_SEEN_PAGE_TTL")
    _redis(p)

    p = sub(subs, "queue", "the shared Redis queue: queued, in flight, seen, live workers",
            "recapscraper queue --redis redis://queue:6379/0 --format json")
    _redis(p)
    fmt(p)


def _check_redis(url: str) -> None:
    from recapscraper.distributed import check_redis

    try:
        check_redis(url)
    except ConnectionError as exc:
        raise CliError(str(exc)) from None


def _prepare_store(db: str | None, attempts: int = 5) -> None:
    """Bring the schema up to date; workers starting together on an empty database race
    to create it, and the losers try again once the winner is done."""
    import time

    from storage.db import StoreError, open_store

    for attempt in range(attempts):
        try:
            open_store(db).dispose()
            return
        except StoreError:
            if attempt == attempts - 1:
                raise
            time.sleep(1 + attempt)


def cmd_worker(args) -> int:
    from recapscraper.cli import _crawl_result_code, _crawl_summary
    from recapscraper.distributed import worker_settings
    from recapscraper.registry import SITES_DIR
    from recapscraper.runner import parse_overrides, project_settings, quiet_logging, run_crawl

    _check_redis(args.redis)
    _prepare_store(args.db)
    overrides = {**worker_settings(args.redis, args.prefix, args.idle_exit, args.lease),
                 **quiet_logging(args.verbose), **parse_overrides(args.overrides)}
    print(f"worker: taking requests from {args.redis} ({args.prefix}:requests)",
          file=sys.stderr)
    result = run_crawl({"worker": "1", "sites_dir": str(args.sites_dir or SITES_DIR)},
                       project_settings(overrides, args.db))
    print(_crawl_summary(result.stats))
    # the Redis failure may come while the worker is already closing (idle): its stat tells
    if (result.finish_reason or "").startswith("redis_") or result.stats.get("recaps/redis_error"):
        print(f"error: {result.stats.get('recaps/redis_error', result.finish_reason)}",
              file=sys.stderr)
        return 1
    return _crawl_result_code(result)


def cmd_enqueue(args) -> int:
    import redis

    from recapscraper.distributed import enqueue_sites

    if not (args.sites or args.all):
        raise CliError("name one or more sites, or give --all (`recapscraper sites` lists them)")
    _check_redis(args.redis)
    try:
        counts = enqueue_sites(args.redis, args.sites, args.all, args.sites_dir, args.prefix,
                               args.force)
    except redis.RedisError as exc:
        raise CliError(f"Redis at {args.redis}: {exc}") from None
    print(f"queued {counts['queued']} start requests for {counts['sites']} sites"
          + (f" ({counts['already_seen']} fetched within RECAPS_SEEN_PAGE_TTL: skipped; "
             "--force queues them)" if counts["already_seen"] else ""))
    return 0


def cmd_queue(args) -> int:
    import redis

    from recapscraper import formats
    from recapscraper.distributed import queue_status

    _check_redis(args.redis)
    try:
        status = queue_status(args.redis, args.prefix)
    except redis.RedisError as exc:
        raise CliError(f"Redis at {args.redis}: {exc}") from None
    formats.write([status], args.format, QUEUE_COLUMNS)
    return 0


class CliError(Exception):
    """Replaced by cli.py's own (``commands``): under ``python -m recapscraper.cli`` that
    module is ``__main__``, and its CliError is not ``recapscraper.cli.CliError``."""


def commands(error_cls: type[Exception]) -> dict:
    global CliError
    CliError = error_cls
    return {"worker": cmd_worker, "enqueue": cmd_enqueue, "queue": cmd_queue}
