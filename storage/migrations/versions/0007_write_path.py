"""write path: SQLite full text indexed in bulk; LSH bands in one b-tree

1. SQLite: the per-row ``recaps_fts_ai`` trigger of 0002 made every recap insert ~4x
   dearer than indexing the same rows with one ``INSERT INTO recaps_fts ... SELECT``
   per write batch (measured: 240 vs 55 us a recap); the writer now does the latter
   (:func:`storage.fulltext.index_new_recaps`). The update and delete triggers stay.
2. ``recap_bands`` (~21 rows a recap) loses its index on ``recap_id``: bands are
   deleted by their keys, computed again from the stored signature
   (:func:`storage.bulk.delete_bands`). On SQLite the table becomes WITHOUT ROWID,
   so each band is one entry in one b-tree instead of three (rowid table, primary
   key, recap_id index): 2.1M bands inserted in 14.7 s instead of 21.8 s.

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
    CONSTRAINT pk_recap_bands PRIMARY KEY (band_hash, recap_id),
    CONSTRAINT fk_recap_bands_recap_id_recaps FOREIGN KEY(recap_id)
        REFERENCES recaps (id) ON DELETE CASCADE
){options}"""
RECAP_INDEX = "CREATE INDEX ix_recap_bands_recap_id ON recap_bands (recap_id)"


def _rebuild_bands(options: str) -> None:
    """SQLite: copy recap_bands into a table made with ``options`` (rowid or not)."""
    op.execute(BANDS_TABLE.format(name="recap_bands_new", options=options))
    op.execute("INSERT INTO recap_bands_new (band_hash, recap_id) "
               "SELECT band_hash, recap_id FROM recap_bands ORDER BY band_hash, recap_id")
    op.execute("DROP TABLE recap_bands")
    op.execute("ALTER TABLE recap_bands_new RENAME TO recap_bands")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS recaps_fts_ai")
        _rebuild_bands(" WITHOUT ROWID")
    else:
        op.execute("DROP INDEX IF EXISTS ix_recap_bands_recap_id")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_bands("")
        op.execute(INSERT_TRIGGER)
    op.execute(RECAP_INDEX)
