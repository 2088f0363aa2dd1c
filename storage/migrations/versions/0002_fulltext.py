"""full-text search over recap headlines and bodies, indexes for the read API

SQLite: an FTS5 table ``recaps_fts`` (external content: ``recaps``) kept in sync by
three triggers. PostgreSQL: a stored generated ``tsvector`` column
``recaps.search_vector`` with a GIN index, and a GIN index on the headline's vector.
Both: composite indexes for the filtered, newest-first recap listings of the web API
(keyset on published_at, id).

Note for later SQLite migrations: ``batch_alter_table("recaps")`` rebuilds the
table and drops its triggers and expression indexes; recreate them with
:data:`SQLITE_TRIGGERS` and :data:`LISTING_INDEXES`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_FTS = ("CREATE VIRTUAL TABLE recaps_fts USING fts5("
              "headline, body, content='recaps', content_rowid='id', "
              "tokenize='porter unicode61 remove_diacritics 2')")
SQLITE_TRIGGERS = (
    """CREATE TRIGGER recaps_fts_ai AFTER INSERT ON recaps BEGIN
         INSERT INTO recaps_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);
       END""",
    """CREATE TRIGGER recaps_fts_ad AFTER DELETE ON recaps BEGIN
         INSERT INTO recaps_fts(recaps_fts, rowid, headline, body)
         VALUES ('delete', old.id, old.headline, old.body);
       END""",
    """CREATE TRIGGER recaps_fts_au AFTER UPDATE OF headline, body ON recaps BEGIN
         INSERT INTO recaps_fts(recaps_fts, rowid, headline, body)
         VALUES ('delete', old.id, old.headline, old.body);
         INSERT INTO recaps_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);
       END""",
)
PG_VECTOR = ("ALTER TABLE recaps ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
             "setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') || "
             "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')) STORED")
# Headline-only matches rank first; weights in search_vector cannot use the index.
PG_HEADLINE_INDEX = ("CREATE INDEX ix_recaps_headline_fts ON recaps "
                     "USING gin (to_tsvector('english'::regconfig, headline))")

# name -> indexed expressions; published_at, id last: filter, then newest first.
LISTING_INDEXES = {
    "ix_recaps_platform_published": "lower(platform), published_at, id",
    "ix_recaps_network_published": "lower(network), published_at, id",
    "ix_recaps_site_published": "site_id, published_at, id",
    "ix_recaps_kind_published": "kind, published_at, id",
    "ix_recaps_show_published": "show_id, published_at, id",
}
PG_ONLY_INDEXES = {
    # SQLite indexes end with the rowid (= id) already.
    "ix_recaps_published_id": "published_at, id",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    indexes = dict(LISTING_INDEXES)
    if dialect == "sqlite":
        op.execute(SQLITE_FTS)
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO recaps_fts(recaps_fts) VALUES ('rebuild')")
    else:
        op.execute(PG_VECTOR)
        op.execute("CREATE INDEX ix_recaps_search_vector ON recaps USING gin (search_vector)")
        op.execute(PG_HEADLINE_INDEX)
        indexes.update(PG_ONLY_INDEXES)
    for name, columns in indexes.items():
        op.execute(f"CREATE INDEX {name} ON recaps ({columns})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    names = list(LISTING_INDEXES) + (list(PG_ONLY_INDEXES) if dialect != "sqlite" else [])
    for name in names:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    if dialect == "sqlite":
        for trigger in ("recaps_fts_ai", "recaps_fts_ad", "recaps_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS recaps_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_recaps_headline_fts")
        op.execute("DROP INDEX IF EXISTS ix_recaps_search_vector")
        op.execute("ALTER TABLE recaps DROP COLUMN IF EXISTS search_vector")
