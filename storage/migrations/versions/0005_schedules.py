"""weekly release schedules: per recap (as stated) and per show (most stated, UTC)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN: no rebuild (keeps 0002's full-text triggers)
    op.add_column("recaps", sa.Column("schedule", sa.JSON(), nullable=True))
    op.add_column("shows", sa.Column("schedule", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("shows", "schedule")
    op.drop_column("recaps", "schedule")
