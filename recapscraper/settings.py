"""Scrapy settings for recapscraper: polite by default, our own keys are RECAPS_*.

Override any of them with `recapscraper crawl -s NAME=VALUE` or `scrapy crawl -s`.
"""

BOT_NAME = "recapscraper"
SPIDER_MODULES = ["recapscraper.spiders"]
NEWSPIDER_MODULE = "recapscraper.spiders"

# Who we are, and where site owners can reach us (set RECAPS_CONTACT_URL for your deployment).
RECAPS_CONTACT_URL = "https://github.com/recapscraper/recapscraper"
USER_AGENT = f"recapscraper/0.1 (+{RECAPS_CONTACT_URL})"

# Obey robots.txt rules.
ROBOTSTXT_OBEY = True

# Per-domain politeness: few parallel requests per site, a small delay, adaptive throttling.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Give up on slow servers and huge pages instead of stalling the crawl.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Retry transient failures (429 and 5xx) a few times.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Items processed in parallel per response. An article yields one item; Scrapy starts
# this many asyncio workers for every callback output, so the default (100) costs CPU.
CONCURRENT_ITEMS = 8

# Stay on recap sites: listings are shallow.
DEPTH_LIMIT = 6
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Item flow: normalize -> validate -> deduplicate -> store.
ITEM_PIPELINES = {
    "recapscraper.pipelines.NormalizePipeline": 100,
    "recapscraper.pipelines.ValidatePipeline": 200,
    "recapscraper.pipelines.DedupPipeline": 300,
    "recapscraper.pipelines.StorePipeline": 400,
}

EXTENSIONS = {
    "recapscraper.extensions.CrawlProgress": 500,
}

# Where recaps are stored (--db on the command line, or RECAPS_DB_URL in the environment).
RECAPS_DB_URL = None
# Items written per transaction, and the longest an item waits in a batch (seconds).
RECAPS_BATCH_SIZE = 500
RECAPS_FLUSH_INTERVAL = 5.0
# Print a progress line this often (seconds); 0 turns it off.
RECAPS_PROGRESS_INTERVAL = 2.0

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Route every request through this HTTP proxy (the demo points it at its local server).
RECAPS_PROXY = None
DOWNLOADER_MIDDLEWARES = {
    "recapscraper.middlewares.FixedProxyMiddleware": 740,
    # retries that honour Retry-After and back off, in place of Scrapy's own
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "recapscraper.middlewares.BackoffRetryMiddleware": 550,
    # conditional requests from what the last crawl found (recapscraper/incremental.py)
    "recapscraper.incremental.IncrementalMiddleware": 580,
}
# Re-crawls skip articles whose sitemap lastmod is unchanged, send If-None-Match /
# If-Modified-Since, and parse only pages whose body changed. False: no page state at all.
RECAPS_INCREMENTAL = True
# Fetch and parse every article again (still recording page states); `crawl --full`.
RECAPS_FULL = False
# First retry pause (doubled each attempt) and the longest pause a server may ask for.
RECAPS_RETRY_BACKOFF = 1.0
RECAPS_RETRY_MAX_DELAY = 120.0

# Pages dropped as not-recaps are counted in stats; log them only at DEBUG.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# Processes that parse pages beside the crawl loop; unset: one fewer than the cores (max 4),
# 0: parse in the crawl process.
RECAPS_PARSE_WORKERS = None

# Distributed crawling (`recapscraper worker`, recapscraper/distributed.py). A request a
# worker takes is leased this long (renewed while it works); a killed worker's requests go
# back to the queue when their lease expires.
RECAPS_LEASE_SECONDS = 60
# Seen-URL filter in Redis, forgotten after a while: article pages are not fetched again
# within RECAPS_SEEN_TTL; sitemaps, feeds and listings within RECAPS_SEEN_PAGE_TTL (keep it
# below the interval at which you run `recapscraper enqueue`).
RECAPS_SEEN_TTL = 7 * 86400
RECAPS_SEEN_PAGE_TTL = 1800
# Requests a worker takes from Redis in one round-trip.
RECAPS_REDIS_PREFETCH = 8
# How long a worker retries a lost Redis connection before it stops with an error (seconds).
RECAPS_REDIS_RETRY_SECONDS = 30
# A worker stops after the shared queue has been empty (nothing queued or in flight) this
# long (seconds); unset: it waits for work.
RECAPS_IDLE_EXIT = None
