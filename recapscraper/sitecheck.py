"""`recapscraper sites check NAME`: does a site file still work?

Runs the real spider on the site with a small article budget and nothing stored,
then reports what it could discover (robots.txt, sitemaps, feeds, listings) and
how many of the parsed pages carry each field.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from recapscraper.items import RecapRecord

FIELDS = ("show", "season", "episodes", "published_at", "author", "platform", "network")


class CollectPipeline:
    """Keeps every parsed page of a check in memory and stores nothing."""

    collected: list[RecapRecord] = []

    def process_item(self, item: RecapRecord) -> RecapRecord:
        CollectPipeline.collected.append(item)
        return item  # counted as scraped, so CLOSESPIDER_ITEMCOUNT ends the check


@dataclass
class CheckReport:
    site: str
    base_url: str
    stats: dict
    records: list[RecapRecord] = field(default_factory=list)

    @property
    def recaps(self) -> list[RecapRecord]:
        return [r for r in self.records if r.is_episode_recap]

    @property
    def ok(self) -> bool:
        return bool(self.recaps)

    def lines(self) -> list[str]:
        s = self.stats
        robots = [k.rsplit("/", 1)[1] for k in s if k.startswith("robotstxt/response_status")]
        out = [f"site {self.site} ({self.base_url})",
               f"  robots.txt: {', '.join(robots) or 'not fetched'}",
               f"  read: {s.get('recaps/pages/sitemap', 0)} sitemaps, "
               f"{s.get('recaps/pages/feed', 0)} feeds, "
               f"{s.get('recaps/pages/listing', 0)} listing pages",
               f"  parsed: {len(self.records)} article pages, {len(self.recaps)} episode recaps",
               f"  errors: {sum(v for k, v in s.items() if k.startswith('recaps/errors/'))}"]
        if self.recaps:
            cover = ", ".join(f"{name} {sum(1 for r in self.recaps if getattr(r, name))}"
                              f"/{len(self.recaps)}" for name in FIELDS)
            out.append(f"  fields on recaps: {cover}")
        for record in self.records[:5]:
            what = (f"{record.show} S{record.season or '?'}E"
                    f"{','.join(map(str, record.episodes)) or '?'} ({record.kind})"
                    if record.is_episode_recap else f"not a recap: {record.reason}")
            out.append(f"  - {record.headline or record.url} -> {what}")
        if not self.ok:
            out.append("  PROBLEM: no episode recap found; check the site file's URLs and "
                       "patterns")
        return out


def check_site(name: str, sites_dir, articles: int = 5,
               overrides: dict | None = None) -> CheckReport:
    from recapscraper.registry import get_site
    from recapscraper.runner import project_settings, run_crawl

    site = get_site(name, sites_dir)
    CollectPipeline.collected = []
    settings = project_settings({
        "ITEM_PIPELINES": {"recapscraper.pipelines.NormalizePipeline": 100,
                           "recapscraper.sitecheck.CollectPipeline": 200},
        "CLOSESPIDER_ITEMCOUNT": articles, "RECAPS_PROGRESS_INTERVAL": 0,
        "RECAPS_INCREMENTAL": False,  # a check reads and writes no store
        **(overrides or {})})
    result = run_crawl({"site": name, "sites_dir": str(sites_dir)}, settings, check_store=False)
    return CheckReport(site.name, site.base_url, result.stats, list(CollectPipeline.collected))
