"""SQLAlchemy 2.0 typed models of the recap store.

Times are stored as naive UTC (SQLite drops offsets) and come back time-zone aware
through :class:`UTCDateTime`. A recap keeps the UTC offset of its own publish
time, so the page's local date can be rebuilt.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, stored as naive UTC, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON, list: JSON}


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recaps: Mapped[list[Recap]] = relationship(back_populates="site")


class Show(Base):
    __tablename__ = "shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)  # normalized title
    platform: Mapped[str | None] = mapped_column(String(100))
    network: Mapped[str | None] = mapped_column(String(100))
    # weekly release slot in UTC, e.g. "Wed 08:00 UTC" (the one most recaps state)
    schedule: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[ShowAlias]] = relationship(back_populates="show",
                                                    cascade="all, delete-orphan")
    episodes: Mapped[list[Episode]] = relationship(back_populates="show",
                                                   cascade="all, delete-orphan")


class ShowAlias(Base):
    __tablename__ = "show_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    # page: a page named the show so; user: `shows merge/split`; fuzzy: a guarded match
    source: Mapped[str] = mapped_column(String(10), default="page", server_default="page")

    show: Mapped[Show] = relationship(back_populates="aliases")


class Episode(Base):
    __tablename__ = "episodes"
    __table_args__ = (UniqueConstraint("show_id", "season", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int] = mapped_column(Integer)  # 1 when no page states a season
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(300))
    release_date: Mapped[date | None] = mapped_column(Date)
    finale: Mapped[bool] = mapped_column(Boolean, default=False)

    show: Mapped[Show] = relationship(back_populates="episodes")


class Recap(Base):
    __tablename__ = "recaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    show_id: Mapped[int | None] = mapped_column(ForeignKey("shows.id", ondelete="SET NULL"),
                                                index=True)
    headline: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    show_title: Mapped[str | None] = mapped_column(String(300))  # as the page wrote it
    season: Mapped[int | None] = mapped_column(Integer)  # as the page stated it
    episodes: Mapped[list] = mapped_column(default=list)
    episode_title: Mapped[str | None] = mapped_column(String(300))
    finale: Mapped[bool] = mapped_column(Boolean, default=False)
    part: Mapped[int | None] = mapped_column(Integer)
    platform: Mapped[str | None] = mapped_column(String(100))
    network: Mapped[str | None] = mapped_column(String(100))
    author: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(10))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_offset: Mapped[int | None] = mapped_column(Integer)  # minutes east of UTC
    modified_at: Mapped[datetime | None]
    release_dates: Mapped[list] = mapped_column(default=list)
    schedule: Mapped[dict | None] = mapped_column(JSON)  # the weekly slot the page states
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    # True while the stored content came from another address of the article (a
    # syndicated copy declaring this canonical URL); the original replaces it.
    from_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    # MinHash signature of the body (uint32 values), for near-duplicate checks.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship(back_populates="recaps")
    show: Mapped[Show | None] = relationship()
    episode_links: Mapped[list[RecapEpisode]] = relationship(back_populates="recap",
                                                             cascade="all, delete-orphan")


class RecapEpisode(Base):
    """One recap may cover several episodes ("Episodes 1 & 2")."""

    __tablename__ = "recap_episodes"

    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)

    recap: Mapped[Recap] = relationship(back_populates="episode_links")
    episode: Mapped[Episode] = relationship()


class RecapCopy(Base):
    """Another address of a stored recap: a syndicated copy, an AMP page, a URL variant."""

    __tablename__ = "recap_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          index=True)
    reason: Mapped[str] = mapped_column(String(30))  # canonical-url | fingerprint
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(100))
    sites: Mapped[list] = mapped_column(default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(30), default="running")
    stats: Mapped[dict] = mapped_column(default=dict)


class RecapBand(Base):
    """Locality-sensitive hashing bands of a recap's MinHash: near-duplicates share one."""

    __tablename__ = "recap_bands"
    # ~21 rows a recap: one b-tree only on SQLite (no rowid), no index on recap_id (bands
    # are deleted by their keys, see storage.bulk.delete_bands); migration 0007.
    __table_args__ = {"sqlite_with_rowid": False}

    band_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          primary_key=True)


class RecapBandRecent(Base):
    """Bands written since the last merge into ``recap_bands`` (a small table whose
    pages stay cached: a write batch's random band keys dirty a few hundred pages
    here instead of thousands in the big table); lookups read both (storage.bulk)."""

    __tablename__ = "recap_bands_recent"
    __table_args__ = {"sqlite_with_rowid": False}

    band_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          primary_key=True)


class RecapRevision(Base):
    """The previous version of a recap whose content changed at the same address."""

    __tablename__ = "recap_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          index=True)
    revised_at: Mapped[datetime] = mapped_column(default=utcnow)
    old_fingerprint: Mapped[str] = mapped_column(String(64))
    new_fingerprint: Mapped[str] = mapped_column(String(64))
    old_headline: Mapped[str] = mapped_column(Text)
    new_headline: Mapped[str] = mapped_column(Text)
    old_body_length: Mapped[int] = mapped_column(Integer)
    new_body_length: Mapped[int] = mapped_column(Integer)
    old_url: Mapped[str] = mapped_column(String(2000))
    old_modified_at: Mapped[datetime | None]


class EpisodeFact(Base):
    """A fact about an episode (its release date) as one recap stated it: provenance."""

    __tablename__ = "episode_facts"
    __table_args__ = (UniqueConstraint("episode_id", "field", "value", "recap_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(100))
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          index=True)
    published_at: Mapped[datetime | None]


class ShowFact(Base):
    """A fact about a show (platform, network) as one recap stated it: provenance."""

    __tablename__ = "show_facts"
    __table_args__ = (UniqueConstraint("show_id", "field", "value", "recap_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(100))
    recap_id: Mapped[int] = mapped_column(ForeignKey("recaps.id", ondelete="CASCADE"),
                                          index=True)
    published_at: Mapped[datetime | None]


class ShowCorrection(Base):
    """A user's correction of show identity (`shows merge` / `shows split`), kept for audit."""

    __tablename__ = "show_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # merge | split
    show_id: Mapped[int] = mapped_column(Integer)  # the show kept / split from
    other: Mapped[str] = mapped_column(String(300))  # merged show's title / split alias
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobLock(Base):
    """A scheduled job running somewhere: no second copy starts while it is held.

    The holder renews ``heartbeat_at``; a lock whose heartbeat is older than its
    ``ttl_seconds`` belongs to a process that died and may be taken over.
    """

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    ttl_seconds: Mapped[int] = mapped_column(Integer, default=300)


class UrlState(Base):
    """What the last fetch of one article address found: the incremental crawl's memory.

    A re-crawl sends ``etag``/``last_modified`` back as a conditional request, skips a
    sitemap entry whose ``sitemap_lastmod`` is unchanged, and does not parse a body whose
    ``content_hash`` is unchanged. A stored recap's state is written in the same
    transaction as the recap, so a crawl that dies loses neither.
    """

    __tablename__ = "url_states"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)  # canonical form
    site: Mapped[str] = mapped_column(String(255), index=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))  # HTTP date, verbatim
    sitemap_lastmod: Mapped[str | None] = mapped_column(String(100))  # verbatim
    content_hash: Mapped[str | None] = mapped_column(String(64))  # of the response body
    status: Mapped[int] = mapped_column(Integer)  # of the last fetch: 200 or 304
    outcome: Mapped[str] = mapped_column(String(30))  # stored | rejected | duplicate | ...
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)  # content last differed
