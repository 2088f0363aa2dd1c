"""`recapscraper`: a thin command layer over the parsers, the crawler and the store.

Errors become one clear line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path

from recapscraper import cli_distributed, formats

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
RECAP_COLUMNS = ("published_at", "site", "show", "season", "episodes", "kind", "headline",
                 "author", "platform", "network", "url", "show_id")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL",
                        help="database URL (default: $RECAPS_DB_URL or sqlite:///recaps.db)")


def _fmt(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument("--format", choices=formats.FORMATS, default=default,
                        help=f"output format (default: {default})")


def _sub(subs, name: str, help_text: str, example: str) -> argparse.ArgumentParser:
    return subs.add_parser(name, help=help_text, description=help_text,
                           epilog=f"example: {example}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recapscraper",
        description="Collect TV episode recaps from the web and query them.",
        epilog="example: recapscraper demo && recapscraper recaps --show 'Harbor Lights'")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")
    subs.required = True

    p = _sub(subs, "demo", "serve the bundled sample sites locally and crawl them into the store",
             "recapscraper demo --db sqlite:///demo.db")
    _db(p)
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", dest="overrides",
                   help="override a Scrapy setting (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="show Scrapy's log")

    p = _sub(subs, "crawl", "crawl sites from the registry, or discover one from a URL",
             "recapscraper crawl tvrecapdaily -s DOWNLOAD_DELAY=2")
    p.add_argument("sites", nargs="*", metavar="NAME", help="site names from the registry")
    p.add_argument("--all", action="store_true", help="crawl every registered site")
    p.add_argument("--url", help="discover and crawl the site at this URL")
    p.add_argument("--sites-dir", type=Path, help="folder of site files (default: built-in)")
    p.add_argument("--full", action="store_true",
                   help="fetch and parse every article again (default: only what changed "
                        "since the last crawl)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", dest="overrides",
                   help="override a Scrapy setting (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="show Scrapy's log")
    p.add_argument("--check", action="store_true",
                   help="after the crawl, compare it with earlier runs; exit 3 on findings")
    p.add_argument("--webhook", metavar="URL", help="with --check: POST findings here")
    _db(p)

    p = _sub(subs, "schedule", "run the crawl jobs of a schedule file on their cron times",
             "recapscraper schedule --config schedule.toml; "
             "recapscraper schedule --config schedule.toml --run-once recap-sites")
    p.add_argument("--config", type=Path, required=True, help="schedule file (TOML)")
    p.add_argument("--run-once", metavar="JOB",
                   help="run this job now (skipped if it is running anywhere) and exit")
    p.add_argument("-v", "--verbose", action="store_true")
    _db(p)

    p = _sub(subs, "runs", "crawl-run history, one run per site, or check a run against "
             "earlier ones", "recapscraper runs --limit 10; recapscraper runs show 12; "
             "recapscraper runs check --webhook https://hooks/x")
    p.add_argument("action", nargs="?", choices=("list", "show", "check"), default="list")
    p.add_argument("run_id", nargs="?", type=int,
                   help="with show/check: the run (default: newest)")
    p.add_argument("--site", help="only runs that crawled this site name")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--webhook", metavar="URL", help="with check: POST findings here")
    _db(p)
    _fmt(p)

    p = _sub(subs, "parse", "extract the recap record of saved pages as JSON",
             "recapscraper parse --url https://site/x/ page.html")
    p.add_argument("file", nargs="?", type=Path, help="an .html or .html.gz file")
    p.add_argument("--url", help="the address the page was fetched from")
    p.add_argument("--fetched-at", help="when it was fetched (ISO 8601)")
    p.add_argument("--manifest", type=Path, help="JSONL manifest: one JSON line out per line in")
    p.add_argument("--no-body", action="store_true", help="leave the body text out")

    p = _sub(subs, "ingest", "run saved pages (manifest or WARC) through the pipelines into the store",
             "recapscraper ingest pages/manifest.jsonl")
    p.add_argument("source", type=Path, help="MANIFEST.jsonl or FILE.warc(.gz)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="parser processes (default: one fewer than the cores, at most 4, "
                        "when that is 2 or more; 0 parses in this process)")
    _db(p)

    p = _sub(subs, "db", "manage the database schema", "recapscraper db upgrade")
    p.add_argument("action", choices=("upgrade", "current"))
    _db(p)

    p = _sub(subs, "sites", "list the registered sites, or check that one still works",
             "recapscraper sites --format json; recapscraper sites check dramabeans")
    p.add_argument("action", nargs="?", choices=("list", "check"), default="list")
    p.add_argument("name", nargs="?", help="with check: the site to check")
    p.add_argument("--articles", type=int, default=5, help="with check: article pages to parse")
    p.add_argument("--sites-dir", type=Path, help="folder of site files (default: built-in)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", dest="overrides",
                   help="with check: override a Scrapy setting (repeatable)")
    _fmt(p)

    p = _sub(subs, "shows", "list shows; merge two shows into one, or split a name off a show",
             "recapscraper shows --search harbor; recapscraper shows merge 'Walking Dead' "
             "'The Walking Dead'; recapscraper shows split 'Soundtrack' 'Soundtrack #2'")
    p.add_argument("action", nargs="?", choices=("list", "merge", "split"), default="list",
                   help="merge KEEP OTHER: OTHER's names, episodes and recaps join KEEP; "
                        "split SHOW NAME: NAME becomes a show of its own")
    p.add_argument("names", nargs="*", metavar="SHOW", help="two shows (merge) or show + name")
    p.add_argument("--search", help="only shows whose title or alias contains this")
    _db(p)
    _fmt(p)

    p = _sub(subs, "episodes", "list the episodes of one show",
             "recapscraper episodes 'Harbor Lights'")
    p.add_argument("show", help="show title, alias or id")
    _db(p)
    _fmt(p)

    p = _sub(subs, "recaps", "list recaps, newest first",
             "recapscraper recaps --show 'Harbor Lights' --season 2 --episode 4")
    p.add_argument("--show", help="show title, alias or id")
    p.add_argument("--season", type=int)
    p.add_argument("--episode", type=int)
    p.add_argument("--platform")
    p.add_argument("--site", help="site domain, e.g. tvrecapdaily.example")
    p.add_argument("--since", help="published on or after this date (ISO 8601)")
    p.add_argument("--limit", type=int, default=None)
    _db(p)
    _fmt(p)

    p = _sub(subs, "serve", "serve the web pages, Atom feeds and JSON API over the store "
             "(read-only)", "recapscraper serve --port 8080")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _db(p)

    p = _sub(subs, "search", "full-text search over recap headlines and bodies, best first",
             "recapscraper search 'lighthouse storm' --format json")
    p.add_argument("query", help="words to find (all of them)")
    p.add_argument("--limit", type=int, default=20, help="at most this many (1-100)")
    _db(p)
    _fmt(p)

    p = _sub(subs, "episode", "every recap of one episode, side by side",
             "recapscraper episode 'Harbor Lights' S2E4")
    p.add_argument("show", help="show title, alias or id")
    p.add_argument("code", metavar="SxE", help="season and episode: S2E4, s02e04 or 2x4")
    _db(p)
    _fmt(p)
    cli_distributed.add_parsers(subs, _sub, _db, _fmt)
    return parser


# -- commands -------------------------------------------------------------------
def cmd_parse(args) -> int:
    from recapscraper.ingest import BadRecord, iter_manifest, parse_fetched_at, parse_saved
    from recapscraper.ingest import SavedPage, read_page_file

    def emit(ident, record) -> None:
        data = {"id": ident, **record.to_json()}
        if args.no_body:
            data.pop("body", None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")

    if args.manifest:
        if not args.manifest.is_file():
            raise CliError(f"manifest not found: {args.manifest}")
        failures = 0
        for page in iter_manifest(args.manifest):
            if isinstance(page, BadRecord):
                failures += 1
                print(f"error: {page}", file=sys.stderr)
                continue
            emit(page.ident, parse_saved(page))
        return EXIT_FAIL if failures else EXIT_OK
    if not args.file:
        raise CliError("give a FILE or --manifest MANIFEST.jsonl")
    try:
        body = read_page_file(args.file)
        fetched = parse_fetched_at(args.fetched_at)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from None
    url = args.url or args.file.resolve().as_uri()
    emit(args.file.name, parse_saved(SavedPage(args.file.name, url, body, fetched)))
    return EXIT_OK


def cmd_ingest(args) -> int:
    from recapscraper.ingest import ingest, iter_manifest, iter_warc

    source: Path = args.source
    if not source.is_file():
        raise CliError(f"not found: {source}")
    name = source.name.lower()
    pages = iter_warc(source) if name.endswith((".warc", ".warc.gz")) else iter_manifest(source)

    def progress(n, counter) -> None:
        if n % 50 == 0:
            print(f"  {n} pages, {counter.get('recaps/new', 0)} new recaps so far",
                  file=sys.stderr)

    from recapscraper.parsepool import auto_workers

    if args.workers is not None and args.workers < 0:
        raise CliError("--workers must be 0 or more")
    # One parser process buys nothing here (measured on 2 cores: 654 real pages at 176
    # pages/s in-process, 151 with one worker, 174 with two): by default the pool is
    # used from two workers up, i.e. on machines with three cores or more.
    workers = args.workers
    if workers is None:
        workers = auto_workers() if auto_workers() >= 2 else 0
    report = ingest(pages, args.db, on_error=lambda m: print(f"error: {m}", file=sys.stderr),
                    on_progress=progress, workers=workers)
    s = report.stats
    print(f"ingested {report.pages} pages: {s.get('recaps/new', 0)} new, "
          f"{s.get('recaps/updated', 0)} updated, {s.get('recaps/unchanged', 0)} unchanged, "
          f"{s.get('recaps/duplicate', 0)} duplicates, {s.get('recaps/rejected', 0)} not recaps, "
          f"{len(report.errors)} bad records")
    if s.get("recaps/store_errors"):
        raise CliError("some recaps could not be stored; see the errors above")
    return EXIT_FAIL if report.errors else EXIT_OK


def _crawl_result_code(result) -> int:
    if result.unsaved:
        print("error: some recaps could not be stored (see above); crawl again to recover them",
              file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_crawl(args) -> int:
    from recapscraper.registry import SITES_DIR, get_site
    from recapscraper.runner import parse_overrides, project_settings, quiet_logging, run_crawl

    if not (args.sites or args.all or args.url):
        raise CliError("name one or more sites, or give --all or --url URL "
                       "(`recapscraper sites` lists them)")
    directory = args.sites_dir or SITES_DIR
    for name in args.sites:
        get_site(name, directory)  # unknown names fail before anything starts
    kwargs = {"sites_dir": str(directory)}
    if args.sites:
        kwargs["site"] = ",".join(args.sites)
    if args.all:
        kwargs["all"] = "1"
    if args.url:
        kwargs["url"] = args.url
    if args.full:
        kwargs["full"] = "1"
    overrides = {**quiet_logging(args.verbose), **parse_overrides(args.overrides)}
    result = run_crawl(kwargs, project_settings(overrides, args.db))
    print(_crawl_summary(result.stats))
    code = _crawl_result_code(result)
    if args.check and result.stats.get("recaps/run_id"):
        code = max(code, _check_run(args.db, result.stats["recaps/run_id"], args.webhook))
    return code


EXIT_MONITOR = 3


def _check_run(db: str | None, run_id: int | None, webhook: str | None) -> int:
    """Print one line per monitor finding; EXIT_MONITOR when there is any."""
    from recapscraper.monitors import check_run, post_webhook
    from storage import jobs
    from storage.db import open_store

    engine = open_store(db)
    runs = jobs.list_runs(engine, limit=1000)
    if run_id is None:
        if not runs:
            raise CliError("no crawl runs recorded yet")
        run_id = runs[0]["id"]
    current = next((r for r in runs if r["id"] == run_id), None)
    if current is None:
        raise CliError(f"no crawl run {run_id}")
    sites = set(filter(None, current["sites"].split(",")))
    earlier = [jobs.run_stats(engine, r["id"]) for r in runs
               if r["id"] < run_id and r["status"] != "running"
               and sites & set(filter(None, r["sites"].split(",")))][:5]
    findings = check_run(jobs.run_stats(engine, run_id), earlier)
    engine.dispose()
    for line in findings:
        print(f"monitor: {line}")
    if findings and webhook:
        print(post_webhook(webhook, run_id, findings))
    if not findings:
        print(f"monitor: run {run_id} looks normal")
    return EXIT_MONITOR if findings else EXIT_OK


def cmd_schedule(args) -> int:
    import logging

    from recapscraper.schedule import ScheduleError, load_schedule, run_job, serve
    from storage.db import resolve_url

    logging.basicConfig(level=logging.INFO if args.verbose or not args.run_once
                        else logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    try:
        schedule = load_schedule(args.config)
    except ScheduleError as exc:
        raise CliError(str(exc)) from None
    if args.run_once:
        job = next((j for j in schedule.jobs if j.name == args.run_once), None)
        if job is None:
            raise CliError(f"no job {args.run_once!r} in {args.config}")
        code = run_job(job, resolve_url(args.db or schedule.db))
        if code is None:
            print(f"job {job.name} is running elsewhere: skipped")
            return EXIT_OK
        return code
    print(f"scheduling {len(schedule.jobs)} jobs from {args.config}; Ctrl-C stops",
          file=sys.stderr)
    serve(schedule, args.db)
    return EXIT_OK


def cmd_runs(args) -> int:
    from storage import jobs

    if args.action == "check":
        return _check_run(args.db, args.run_id, args.webhook)
    if args.action == "show":
        return _show_run(args)
    rows = jobs.list_runs(_store(args), site=args.site, limit=args.limit)
    formats.write(rows, args.format, ("id", "started_at", "status", "sites", "pages",
                                      "not_modified", "unchanged", "new", "updated", "duplicates",
                                      "rejected", "errors"))
    return EXIT_OK


def _show_run(args) -> int:
    """One run, per site: pages parsed and unchanged, recaps, field coverage; then
    errors by kind."""
    from recapscraper.monitors import site_report
    from storage import jobs

    found = jobs.get_run(_store(args), args.run_id)
    if found is None:
        raise CliError("no crawl runs recorded yet" if args.run_id is None
                       else f"no crawl run {args.run_id}")
    run, stats = found
    rows = site_report(stats)
    if args.format in ("json", "jsonl"):
        formats.write([{**run, "per_site": rows, "errors_by_kind": _errors(stats)}],
                      args.format, None)
        return EXIT_OK
    if args.format == "csv":
        formats.write(rows, "csv", None)
        return EXIT_OK
    print(f"run {run['id']} ({run['status']}) started {run['started_at']}, finished "
          f"{run['finished_at'] or '-'}: {_crawl_summary(stats)}")
    formats.write(rows, "table", None)
    for kind, n in _errors(stats).items():
        print(f"errors: {n} {kind}")
    return EXIT_OK


def _errors(stats: dict) -> dict[str, int]:
    return {k.removeprefix("recaps/errors/"): v for k, v in sorted(stats.items())
            if k.startswith("recaps/errors/")}


def _crawl_summary(stats: dict) -> str:
    return (f"fetched {stats.get('response_received_count', 0)} pages: "
            f"{stats.get('recaps/new', 0)} new recaps, {stats.get('recaps/updated', 0)} updated, "
            f"{stats.get('recaps/unchanged', 0)} unchanged, "
            f"{stats.get('recaps/duplicate', 0)} duplicates dropped, "
            f"{stats.get('recaps/rejected', 0)} pages rejected as not recaps"
            + _unchanged_summary(stats))


def _unchanged_summary(stats: dict) -> str:
    """'; 40 articles unchanged since the last crawl (...)' for an incremental crawl."""
    from recapscraper.incremental import UNCHANGED_HOW, unchanged_counts

    parts = {UNCHANGED_HOW[how]: n for how, n in unchanged_counts(stats).items()}
    total = sum(parts.values())
    if not total:
        return ""
    how = ", ".join(f"{n} by {name}" for name, n in parts.items() if n)
    return f"; {total} articles unchanged since the last crawl, not parsed ({how})"


def cmd_demo(args) -> int:
    from recapscraper.incremental import SKIPPED_KEYS
    from recapscraper.runner import parse_overrides, quiet_logging, run_demo
    from storage import repository
    from storage.db import describe, open_store, resolve_url

    db_url = resolve_url(args.db)
    print(f"recapscraper demo: crawling the bundled sample sites into {describe(db_url)}",
          file=sys.stderr)
    overrides = {**quiet_logging(args.verbose), **parse_overrides(args.overrides)}
    result, server = run_demo(db_url, overrides)
    engine = open_store(db_url)
    totals = repository.totals(engine)
    busiest = repository.busiest_episode(engine) or {"show": "SHOW", "season": 1, "episode": 1}
    engine.dispose()
    stats = result.stats
    db_flag = "" if args.db is None else f" --db {db_url}"
    show = busiest["show"].replace('"', '\\"')
    print(f"""
Demo crawl finished ({server}, 3 sample sites)
  pages fetched:              {stats.get('response_received_count', 0)}
  recaps stored this run:     {stats.get('recaps/new', 0)} new, {stats.get('recaps/updated', 0)} updated, {stats.get('recaps/unchanged', 0)} unchanged
  duplicates dropped:         {stats.get('recaps/duplicate', 0)}
  rejected as not recaps:     {stats.get('recaps/rejected', 0)}
  unchanged, not parsed:      {sum(stats.get(k, 0) for k in SKIPPED_KEYS)} (pages as they were at the last crawl)
  errors:                     {sum(v for k, v in stats.items() if k.startswith('recaps/errors/'))}
In the store now: {totals['shows']} shows, {totals['episodes']} episodes, {totals['recaps']} recaps, {totals['copies']} known copies

Query it:
  recapscraper shows{db_flag}
  recapscraper episodes "{show}"{db_flag}
  recapscraper recaps --show "{show}" --season {busiest['season']} --episode {busiest['episode']}{db_flag}
  recapscraper recaps --site couchnotes.example --format json{db_flag}""")
    return _crawl_result_code(result)


def cmd_db(args) -> int:
    from storage.db import create_store_engine, current_revision, describe, head_revision
    from storage.db import check_connection, upgrade

    engine = create_store_engine(args.db)
    check_connection(engine)
    if args.action == "upgrade":
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        print(f"{describe(engine.url)}: schema at {after}"
              + ("" if before == after else f" (was {before or 'empty'})"))
    else:
        print(f"{describe(engine.url)}: {current_revision(engine) or 'empty'} "
              f"(newest {head_revision()})")
    engine.dispose()
    return EXIT_OK


def cmd_sites(args) -> int:
    from recapscraper.registry import SITES_DIR, load_sites

    if args.action == "check":
        from recapscraper.runner import parse_overrides, quiet_logging
        from recapscraper.sitecheck import check_site

        if not args.name:
            raise CliError("sites check needs a site name (`recapscraper sites` lists them)")
        report = check_site(args.name, args.sites_dir or SITES_DIR, args.articles,
                            {**quiet_logging(False), **parse_overrides(args.overrides)})
        print("\n".join(report.lines()))
        return EXIT_OK if report.ok else EXIT_FAIL

    rows = [{"name": s.name, "title": s.title, "base_url": s.base_url,
             "sitemaps": len(s.sitemap_urls), "feeds": len(s.feed_urls),
             "listings": len(s.start_urls)}
            for s in load_sites(args.sites_dir or SITES_DIR).values()]
    formats.write(rows, args.format, ("name", "title", "base_url", "sitemaps", "feeds",
                                      "listings"))
    return EXIT_OK


def _store(args):
    from storage.db import open_store

    return open_store(args.db, migrate=False)


def cmd_shows(args) -> int:
    from storage import repository

    if args.action != "list":
        if len(args.names) != 2:
            raise CliError(f"shows {args.action} takes two names")
        try:
            print(repository.correct_shows(_store(args), args.action, *args.names))
        except repository.IdentityError as exc:
            raise CliError(str(exc)) from None
        return EXIT_OK
    rows = repository.list_shows(_store(args), args.search)
    formats.write(rows, args.format, ("id", "title", "episodes", "recaps", "aliases"))
    return EXIT_OK


def _show(engine, name: str) -> dict:
    from storage import repository

    show = repository.resolve_show(engine, name)
    if show is None:
        raise CliError(f"no show matches {name!r} (try `recapscraper shows --search ...`)")
    return show


def cmd_episodes(args) -> int:
    from storage import repository

    engine = _store(args)
    show = _show(engine, args.show)
    rows = [{"show": show["title"], **row} for row in repository.list_episodes(engine, show["id"])]
    formats.write(rows, args.format, ("show", "season", "episode", "title", "release_date",
                                      "finale", "recaps"))
    return EXIT_OK


def cmd_recaps(args) -> int:
    from storage import repository

    engine = _store(args)
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise CliError(f"--since {args.since!r} is not an ISO date (YYYY-MM-DD)") from None
    flt = repository.RecapFilter(
        show_id=_show(engine, args.show)["id"] if args.show else None, season=args.season,
        episode=args.episode, platform=args.platform, site=args.site, since=since,
        limit=args.limit)
    formats.write(repository.list_recaps(engine, flt), args.format, RECAP_COLUMNS)
    return EXIT_OK


def cmd_serve(args) -> int:
    import uvicorn

    from recapscraper.web.app import create_app
    from storage.db import describe, resolve_url

    app = create_app(args.db)
    print(f"serving {describe(resolve_url(args.db))} read-only at http://{args.host}:{args.port}/"
          " (JSON API under /api/, schema at /openapi.json)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _reader(args):
    from storage.queries import open_reader

    return open_reader(args.db)


def cmd_search(args) -> int:
    from storage.fulltext import search
    from storage.queries import MAX_LIMIT, MAX_QUERY_CHARS

    if len(args.query) > MAX_QUERY_CHARS or not 1 <= args.limit <= MAX_LIMIT:
        raise CliError(f"the query takes at most {MAX_QUERY_CHARS} characters and --limit "
                       f"1 to {MAX_LIMIT}")
    rows = [{k: v for k, v in r.items() if not k.startswith("marked_")}
            for r in search(_reader(args), args.query, args.limit).items]
    formats.write(rows, args.format, SEARCH_COLUMNS)
    return EXIT_OK


def cmd_episode(args) -> int:
    from storage import queries

    code = EPISODE_CODE_RE.match(args.code)
    if not code:
        raise CliError(f"{args.code!r} is not an episode code like S2E4, s02e04 or 2x4")
    season, number = int(code[1]), int(code[2])
    engine = _reader(args)
    show_id = queries.find_show_id(engine, args.show)
    episode = queries.get_episode(engine, show_id, season, number) if show_id else None
    if episode is None:
        raise CliError(f"no episode S{season}E{number} of a show matching {args.show!r} "
                       "(try `recapscraper episodes SHOW`)")
    print(f"{episode['show']} S{season:02d}E{number:02d}: {len(episode['recaps'])} recaps "
          f"from {len(episode['sites'])} sites", file=sys.stderr)
    formats.write(episode["recaps"], args.format, EPISODE_COLUMNS)
    return EXIT_OK


SEARCH_COLUMNS = ("published_at", "site", "show", "season", "episodes", "kind", "headline",
                  "snippet", "url")
EPISODE_COLUMNS = ("site", "author", "published_at", "kind", "headline", "excerpt", "url")
EPISODE_CODE_RE = re.compile(r"^\s*s?(\d{1,4})\s*[ex:]\s*(\d{1,5})\s*$", re.IGNORECASE)


COMMANDS = {
    "demo": cmd_demo, "crawl": cmd_crawl, "parse": cmd_parse, "ingest": cmd_ingest,
    "db": cmd_db, "sites": cmd_sites, "shows": cmd_shows, "episodes": cmd_episodes,
    "recaps": cmd_recaps, "runs": cmd_runs, "schedule": cmd_schedule,
    "serve": cmd_serve, "search": cmd_search, "episode": cmd_episode,
}
COMMANDS.update(cli_distributed.commands(CliError))  # worker, enqueue, queue


def main(argv: list[str] | None = None) -> int:
    from recapscraper.registry import SiteConfigError
    from recapscraper.runner import SettingError
    from storage.db import StoreError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (CliError, StoreError, SiteConfigError, SettingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
