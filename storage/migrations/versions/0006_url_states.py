"""url states: what the last fetch of each article address found (incremental crawls)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "url_states",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("sitemap_lastmod", sa.String(length=100), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_url_states")),
    )
    op.create_index(op.f("ix_url_states_site"), "url_states", ["site"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_url_states_site"), table_name="url_states")
    op.drop_table("url_states")
