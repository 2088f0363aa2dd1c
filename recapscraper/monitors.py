"""Monitors: compare a crawl run with the site's previous runs and say what looks wrong.

Sites change layout and crawls silently return nothing; these checks turn that
into a non-zero exit and one line per finding (and, optionally, a webhook post):

- a site that had recaps in earlier runs has none now, or returns no pages at all;
- a site's recap count fell below ``drop_ratio`` of its median over earlier runs;
- a watched field is present on fewer than ``min_coverage`` of a site's recaps;
- errors are more than ``max_error_rate`` of the pages fetched.

They read the per-site counters the pipelines keep in the run's stats
(``recaps/site/<host>/pages|recaps|field/<name>``). In an incremental crawl the
articles found unchanged (``unchanged``, ``unchanged_recaps``: not parsed again)
count as present: an unchanged site is not a dead one. Field coverage is measured
on the recaps parsed in the run.
"""
from __future__ import annotations

import json
import logging
import statistics
import urllib.error
import urllib.request
from dataclasses import dataclass

from recapscraper.pipelines import COVERAGE_FIELDS

logger = logging.getLogger(__name__)
# Fields a recap must usually carry; a layout change shows up here first.
WATCHED_FIELDS = ("show", "episodes", "published_at")


@dataclass(frozen=True, slots=True)
class Thresholds:
    drop_ratio: float = 0.5
    min_coverage: float = 0.8
    max_error_rate: float = 0.2
    min_recaps_for_coverage: int = 5  # too few recaps say nothing about coverage
    history: int = 5  # earlier runs compared


def site_counts(stats: dict) -> dict[str, dict[str, int]]:
    """Per host: pages, recaps and field counts from a run's stats."""
    sites: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if not key.startswith("recaps/site/") or not isinstance(value, int):
            continue
        host, _, metric = key[len("recaps/site/"):].partition("/")
        sites.setdefault(host, {})[metric] = value
    return sites


def site_report(stats: dict) -> list[dict]:
    """Per site of a run: pages parsed, articles unchanged, recaps, and the share of the
    parsed recaps carrying each watched field (``recapscraper runs show``)."""
    rows = []
    for host, counts in sorted(site_counts(stats).items()):
        recaps = counts.get("recaps", 0)
        row = {"site": host, "parsed": counts.get("pages", 0),
               "unchanged": counts.get("unchanged", 0), "recaps": recaps}
        for name in COVERAGE_FIELDS:
            row[name] = (f"{counts.get(f'field/{name}', 0) / recaps:.0%}" if recaps else "-")
        rows.append(row)
    return rows


def check_run(stats: dict, previous: list[dict], expected_sites: list[str] | None = None,
              limits: Thresholds = Thresholds()) -> list[str]:
    """Findings for one run (``stats``) against earlier runs' stats, newest first."""
    findings: list[str] = []
    now = site_counts(stats)
    before = [site_counts(p) for p in previous[: limits.history]]
    hosts = set(now) | {h for b in before for h in b} | set(expected_sites or [])
    for host in sorted(hosts):
        counts = now.get(host, {})
        parsed = counts.get("recaps", 0)
        recaps = _present(counts)
        history = [_present(b[host]) for b in before if host in b]
        pages = counts.get("pages", 0) + counts.get("unchanged", 0)
        if pages == 0 and (history or host in (expected_sites or [])):
            findings.append(f"{host}: no article pages were fetched or parsed this run")
            continue
        if recaps == 0 and any(history):
            findings.append(f"{host}: no recaps this run (earlier runs: "
                            f"{', '.join(map(str, history))})")
            continue
        if history and recaps < limits.drop_ratio * statistics.median(history):
            findings.append(f"{host}: {recaps} recaps, below {limits.drop_ratio:.0%} of the "
                            f"median of earlier runs ({statistics.median(history):g})")
        elif (share := _recap_share(counts, limits)) is not None:
            # incremental crawls parse few pages: a layout change shows as a falling share
            earlier = [s for b in before if host in b
                       if (s := _recap_share(b[host], limits)) is not None]
            if earlier and share < limits.drop_ratio * statistics.median(earlier):
                findings.append(f"{host}: {counts.get('recaps', 0)} recaps among "
                                f"{counts['pages']} pages parsed ({share:.0%}; earlier runs: "
                                f"{statistics.median(earlier):.0%})")
        if parsed >= limits.min_recaps_for_coverage:
            for name in WATCHED_FIELDS:
                share = counts.get(f"field/{name}", 0) / parsed
                if share < limits.min_coverage:
                    findings.append(f"{host}: {name} found on {share:.0%} of {parsed} recaps "
                                    f"(minimum {limits.min_coverage:.0%})")
    pages = stats.get("response_received_count", 0)
    errors = sum(v for k, v in stats.items() if k.startswith("recaps/errors/")
                 and isinstance(v, int))
    if pages + errors and errors / (pages + errors) > limits.max_error_rate:
        findings.append(f"errors on {errors} of {pages + errors} requests "
                        f"(maximum {limits.max_error_rate:.0%})")
    return findings


def _recap_share(counts: dict[str, int], limits: Thresholds) -> float | None:
    """Share of the pages parsed on a site that were recaps (None: too few parsed)."""
    pages = counts.get("pages", 0)
    return counts.get("recaps", 0) / pages if pages >= limits.min_recaps_for_coverage else None


def _present(counts: dict[str, int]) -> int:
    """Recaps a run found on a site: parsed now, or unchanged since the last crawl."""
    return counts.get("recaps", 0) + counts.get("unchanged_recaps", 0)


def post_webhook(url: str, run_id: int | None, findings: list[str], timeout: float = 10) -> str:
    """POST the findings as JSON; returns a one-line outcome (never raises)."""
    body = json.dumps({"run": run_id, "findings": findings,
                       "text": "\n".join(findings)}).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return f"webhook answered {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        logger.error("webhook %s failed: %s", url, exc)
        return f"webhook failed: {exc}"


__all__ = ["COVERAGE_FIELDS", "Thresholds", "check_run", "post_webhook", "site_counts",
           "site_report"]
