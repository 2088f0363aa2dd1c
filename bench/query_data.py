"""Generated recap stores for bench/query.py: N recaps over N/50 shows, 40 sites.

Rows are written in bulk below the ORM: the schema is brought to revision 0001,
rows go in with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL), then the
remaining migrations run, so 0002 builds the full-text index and the listing
indexes over the loaded table, as it would on an existing store. The same seed
gives the same data on both backends.
"""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from storage.db import create_store_engine, upgrade

SEED = 20261125
RECAPS_PER_SHOW = 50
SITES = [f"{name}.example" for name in (
    "tvrecapdaily couchnotes vulturine screenrant-like avclubish decider-like tvline-ish "
    "previously pajiba bingebeat recapland episodic spoilerzone thewatch nightcap streamwise "
    "plotholes finalecheck cliffhangers seasonpass bingeguide couchcritic serialist showrundown "
    "primetimer telly recapstation tvfanatic reelrecaps watchlist episodeguide tvobsessive "
    "screencrush showbuzz streamtalk tvtonight recapreel tvwise bingereport").split()]
PLATFORMS = ["Netflix", "Hulu", "Max", "Prime Video", "Disney+", "Apple TV+", "Peacock",
             "Paramount+", "AMC+", "Starz", "BritBox", "Crunchyroll"]
NETWORKS = ["FX", "HBO", "AMC", "NBC", "ABC", "CBS", "BBC One", "Showtime", None, None, None]
KINDS = ["recap"] * 14 + ["review"] * 4 + ["recap+review", "ending-explained"]
ADJECTIVES = ("silent hidden broken golden last final dark bright lost wild quiet hollow "
              "burning frozen crimson distant secret little royal savage loyal bitter sweet "
              "northern southern eastern western iron paper glass velvet shadow silver copper "
              "midnight morning evening winter summer autumn spring electric atomic endless "
              "lonely restless fearless nameless faithless perfect modern ancient stolen twisted "
              "sacred hungry lucky empty open closed heavy gentle rapid slow brave clever proud "
              "humble grand tiny giant hidden shining fading rising falling sleeping waking "
              "dancing running flying drowning").split()
NOUNS = ("harbor lights kingdom empire station house hospital precinct academy island city "
         "valley river ocean mountain forest desert garden palace castle tower bridge road "
         "street avenue district county state nation planet galaxy universe dynasty family "
         "brothers sisters daughters sons mothers fathers lovers strangers neighbors friends "
         "enemies soldiers doctors lawyers detectives agents spies thieves kings queens "
         "princes witches wolves ravens lions tigers bears foxes hawks sharks saints sinners "
         "angels demons ghosts heroes villains pilots sailors riders hunters "
         "farmers miners nurses teachers chefs bakers singers dancers players").split()
FIRST = ("marta jonah elena idris priya tomas lucia omar hana felix nadia ravi greta ansel "
         "cleo dario ines kofi mila soren talia yusuf zara bram effie gideon ilse jasper "
         "kenji leona matteo noor orla pavel quinn rosa silas thea ulla viggo wren xavi").split()
LAST = ("okafor lindqvist moreau castellano nakamura brennan volkov adeyemi haddad sorensen "
        "marchetti oduya kowalski fitzroy delacroix yamamoto ferreira abernathy rasmussen "
        "quint halvorsen mbeki laurent petrov whitlock").split()
VOCAB = ("the episode season finale scene character story plot twist reveal moment ending "
         "trust betrayal family secret storm night morning letter door house car phone call "
         "kiss fight death wedding funeral party dinner lie truth past future memory dream "
         "fear hope anger grief love loss power money job boss team case trial verdict "
         "confession alibi witness suspect victim killer detective doctor nurse patient "
         "surgery diagnosis cure ship crew island village town council election campaign "
         "speech debate scandal rumor gossip friend rival partner mentor student teacher "
         "lesson test choice sacrifice escape chase crash fire flood explosion rescue reunion "
         "breakup proposal divorce baby birthday holiday christmas summer winter flashback "
         "montage cliffhanger cameo soundtrack performance writing direction pacing tone "
         "humor tension chemistry arc payoff setup callback mystery clue map key box "
         "photograph diary tape recording video message warning threat promise deal "
         "bargain plan scheme heist robbery murder disappearance kidnapping ransom").split()


def _words(rng: random.Random, vocab: list[str], weights: list[float], k: int) -> list[str]:
    return rng.choices(vocab, cum_weights=weights, k=k)


def _cum(n: int) -> list[float]:
    """Zipf-like cumulative weights for n items."""
    total, out = 0.0, []
    for i in range(n):
        total += 1.0 / (i + 1)
        out.append(total)
    return out


def show_titles(count: int) -> list[str]:
    rng = random.Random(SEED)
    pairs = [(a, n) for a in dict.fromkeys(ADJECTIVES) for n in NOUNS]
    rng.shuffle(pairs)
    titles = [f"The {a.title()} {n.title()}" for a, n in pairs]
    suffix = 2
    while len(titles) < count:  # more shows than pairs: numbered sequels
        titles += [f"{t} {suffix}" for t in titles[:count - len(titles)]]
        suffix += 1
    return titles[:count]


def generate(recaps: int):
    """Yield ('sites'|'shows'|'episodes'|'recaps'|'links', rows) batches."""
    rng = random.Random(SEED)
    shows = max(1, recaps // RECAPS_PER_SHOW)
    now = datetime(2026, 11, 1)
    yield "sites", [(i + 1, d, d.split(".")[0].title(), now) for i, d in enumerate(SITES)]
    titles = show_titles(shows)
    yield "shows", [(i + 1, t, t.lower(), now) for i, t in enumerate(titles)]
    yield "aliases", [(i + 1, i + 1, t, t.lower()) for i, t in enumerate(titles)]
    site_w, plat_w, vocab_w = _cum(len(SITES)), _cum(len(PLATFORMS)), _cum(len(VOCAB))
    names = [f"{f} {n}" for f in FIRST for n in LAST]
    episodes, ep_id, layout = [], 0, []
    for show in range(1, shows + 1):
        seasons = rng.randint(1, 3)
        per = rng.randint(6, 10)
        start = now - timedelta(days=rng.randint(30, 1500))
        platform = rng.choices(PLATFORMS, cum_weights=plat_w)[0]
        network = rng.choice(NETWORKS)
        cast = rng.sample(names, 4)
        eps = []
        for season in range(1, seasons + 1):
            for number in range(1, per + 1):
                ep_id += 1
                release = start + timedelta(days=365 * (season - 1) + 7 * (number - 1))
                episodes.append((ep_id, show, season, number, None, release.date(),
                                 number == per))
                eps.append((ep_id, season, number, release))
        layout.append((show, titles[show - 1], platform, network, cast, eps))
    yield "episodes", episodes
    # Bodies: a pool of Zipf-distributed word runs (cheap), plus per-show cast and title.
    pool = [" ".join(_words(rng, VOCAB, vocab_w, 55)) for _ in range(4096)]
    heads = [" ".join(_words(rng, VOCAB, vocab_w, 2)).title() for _ in range(4096)]
    rid = 0
    batch, links = [], []
    for i in range(recaps):
        show, title, platform, network, cast, eps = layout[i % shows]
        ep_id, season, number, release = eps[rng.randrange(len(eps))]
        rid += 1
        site = rng.choices(range(len(SITES)), cum_weights=site_w)[0]
        domain = SITES[site]
        published = release + timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59))
        r = rng.getrandbits(24)
        body = (f"{pool[r & 4095]} {cast[r >> 12 & 3]} and {cast[r >> 14 & 3]} in {title}: "
                f"{pool[(r >> 12) & 4095]}")
        headline = (f"{title} Season {season} Episode {number} Recap: {heads[r >> 8 & 4095]}")
        url = f"https://{domain}/{title.lower().replace(' ', '-')}-s{season}e{number}-{rid}/"
        batch.append((
            rid, url, url, site + 1, show, headline, KINDS[rid % len(KINDS)], title, season,
            f"[{number}]", None, False, None, platform, network,
            names[r % len(names)].title(), "en", None if rid % 97 == 0 else published, -300,
            None, "[]", 115, body, f"{rid:064x}", False, now, now, now))
        links.append((rid, ep_id))
        if len(batch) == 20000:
            yield "recaps", batch
            yield "links", links
            batch, links = [], []
    if batch:
        yield "recaps", batch
        yield "links", links


TABLES = {
    "sites": "sites (id, domain, name, created_at)",
    "shows": "shows (id, title, key, created_at)",
    "aliases": "show_aliases (id, show_id, alias, key)",
    "episodes": "episodes (id, show_id, season, number, title, release_date, finale)",
    "recaps": "recaps (id, url, canonical_url, site_id, show_id, headline, kind, show_title, "
              "season, episodes, episode_title, finale, part, platform, network, author, "
              "language, published_at, published_offset, modified_at, release_dates, "
              "word_count, body, fingerprint, from_copy, fetched_at, first_seen_at, updated_at)",
    "links": "recap_episodes (recap_id, episode_id)",
}


def _sqlite_value(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    return v.isoformat() if hasattr(v, "isoformat") else v


def build_sqlite(path: Path, recaps: int, log=print) -> float:
    """Create the SQLite store at ``path``; returns seconds taken."""
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    engine = create_store_engine(f"sqlite:///{tmp}")
    upgrade(engine, "0001")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("BEGIN")
        for table, rows in generate(recaps):
            columns = TABLES[table]
            marks = ",".join("?" * columns.count(",") + "?")
            raw.executemany(f"INSERT INTO {columns} VALUES ({marks})",
                            ([_sqlite_value(v) for v in row] for row in rows))
            if table == "recaps" and rows[-1][0] % 200000 == 0:
                log(f"  sqlite: {rows[-1][0]:,} recaps loaded ({time.perf_counter() - started:.0f} s)")
        raw.execute("COMMIT")
    log(f"  sqlite: rows loaded in {time.perf_counter() - started:.0f} s; migrating "
        "(full-text index, listing indexes)")
    upgrade(engine)
    engine.dispose()
    tmp.rename(path)
    return time.perf_counter() - started


def build_postgres(url: str, recaps: int, log=print) -> float:
    """Fill the (empty) PostgreSQL schema behind ``url``; returns seconds taken."""
    started = time.perf_counter()
    engine = create_store_engine(url)
    upgrade(engine, "0001")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            for table, rows in generate(recaps):
                with cur.copy(f"COPY {TABLES[table]} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                if table == "recaps" and rows[-1][0] % 200000 == 0:
                    log(f"  postgresql: {rows[-1][0]:,} recaps loaded "
                        f"({time.perf_counter() - started:.0f} s)")
        raw.commit()
        for table in ("sites", "shows", "show_aliases", "episodes", "recaps"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        conn.commit()
    log(f"  postgresql: rows loaded in {time.perf_counter() - started:.0f} s; migrating")
    upgrade(engine)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started
