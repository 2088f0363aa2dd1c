"""write path: SQLite full text indexed in bulk; LSH bands in one b-tree, recent ones apart

1. SQLite: the per-row ``recaps_fts_ai`` trigger of 0002 made every recap insert ~4x
   dearer than indexing the same rows with one ``INSERT INTO recaps_fts ... SELECT``
   per write batch (measured: 240 vs 55 us a recap); the writer now does the latter
   (:func:`storage.fulltext.index_new_recaps`). The update and delete triggers stay.
2. ``recap_bands`` (~21 rows a recap) loses its index on ``recap_id``: bands are
   deleted by their keys, computed again from the stored signature
   (:func:`storage.bulk.delete_bands`). On SQLite the table becomes WITHOUT ROWID,
   so each band is one entry in one b-tree instead of three (rowid table, primary
   key, recap_id index): 2.1M bands inserted in 14.7 s instead of 21.8 s.
   FTS5 merges its segments 8 at a time instead of 4 (``automerge``): each posting is
   rewritten fewer times as the index grows (~15% less full-text write time, queries
   unchanged at 50,000 recaps).
3. ``recap_bands_recent``, same shape: new bands are written there and moved into
   ``recap_bands`` in one sorted statement when it is full (storage.bulk.write_bands),
   so a write batch's ~10,000 random band keys dirty a small cached table, not one
   page each of the big one (commits were half of SQLite's write time at 100,000
   recaps).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INSERT_TRIGGER = """CREATE TRIGGER recaps_fts_ai AFTER INSERT ON recaps BEGIN
         INSERT INTO recaps_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);
       END"""
BANDS_TABLE = """CREATE TABLE {name} (
    band_hash BIGINT NOT NULL,
    recap_id INTEGER NOT NULL,
    CONSTRAINT pk_{key} PRIMARY KEY (band_hash, recap_id),
    CONSTRAINT fk_{key}_recap_id_recaps FOREIGN KEY(recap_id)
        REFERENCES recaps (id) ON DELETE CASCADE
){options}"""
MERGE_RECENT = ("INSERT INTO recap_bands (band_hash, recap_id) SELECT band_hash, recap_id "
                "FROM recap_bands_recent WHERE true ON CONFLICT DO NOTHING")
RECAP_INDEX = "CREATE INDEX ix_recap_bands_recap_id ON recap_bands (recap_id)"


def _rebuild_bands(options: str) -> None:
    """SQLite: copy recap_bands into a table made with ``options`` (rowid or not)."""
    op.execute(BANDS_TABLE.format(name="recap_bands_new", key="recap_bands", options=options))
    op.execute("INSERT INTO recap_bands_new (band_hash, recap_id) "
               "SELECT band_hash, recap_id FROM recap_bands ORDER BY band_hash, recap_id")
    op.execute("DROP TABLE recap_bands")
    op.execute("ALTER TABLE recap_bands_new RENAME TO recap_bands")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS recaps_fts_ai")
        op.execute("INSERT INTO recaps_fts(recaps_fts, rank) VALUES ('automerge', 8)")
        _rebuild_bands(" WITHOUT ROWID")
    else:
        op.execute("DROP INDEX IF EXISTS ix_recap_bands_recap_id")
    op.execute(BANDS_TABLE.format(name="recap_bands_recent", key="recap_bands_recent",
                                  options=" WITHOUT ROWID" if sqlite else ""))


def downgrade() -> None:
    op.execute(MERGE_RECENT)
    op.execute("DROP TABLE recap_bands_recent")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_bands("")
        op.execute("INSERT INTO recaps_fts(recaps_fts, rank) VALUES ('automerge', 4)")
        op.execute(INSERT_TRIGGER)
    op.execute(RECAP_INDEX)
