"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spider', sa.String(length=100), nullable=False),
    sa.Column('sites', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.create_index('ix_crawl_runs_started_at', ['started_at'], unique=False)

    op.create_table('shows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('platform', sa.String(length=100), nullable=True),
    sa.Column('network', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shows')),
    sa.UniqueConstraint('key', name=op.f('uq_shows_key'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('domain', name=op.f('uq_sites_domain'))
    )
    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('season', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('release_date', sa.Date(), nullable=True),
    sa.Column('finale', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_episodes_show_id_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episodes')),
    sa.UniqueConstraint('show_id', 'season', 'number', name=op.f('uq_episodes_show_id_season_number'))
    )
    op.create_table('recaps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('canonical_url', sa.String(length=2000), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('show_title', sa.String(length=300), nullable=True),
    sa.Column('season', sa.Integer(), nullable=True),
    sa.Column('episodes', sa.JSON(), nullable=False),
    sa.Column('episode_title', sa.String(length=300), nullable=True),
    sa.Column('finale', sa.Boolean(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=100), nullable=True),
    sa.Column('network', sa.String(length=100), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_offset', sa.Integer(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('release_dates', sa.JSON(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('from_copy', sa.Boolean(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_recaps_show_id_shows'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_recaps_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recaps')),
    sa.UniqueConstraint('canonical_url', name=op.f('uq_recaps_canonical_url')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_recaps_fingerprint'))
    )
    with op.batch_alter_table('recaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recaps_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recaps_show_id'), ['show_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recaps_site_id'), ['site_id'], unique=False)

    op.create_table('show_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_show_aliases_show_id_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_show_aliases')),
    sa.UniqueConstraint('key', name=op.f('uq_show_aliases_key'))
    )
    with op.batch_alter_table('show_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_show_aliases_show_id'), ['show_id'], unique=False)

    op.create_table('recap_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_recap_copies_recap_id_recaps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recap_copies')),
    sa.UniqueConstraint('url', name=op.f('uq_recap_copies_url'))
    )
    with op.batch_alter_table('recap_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recap_copies_recap_id'), ['recap_id'], unique=False)

    op.create_table('recap_episodes',
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_recap_episodes_episode_id_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_recap_episodes_recap_id_recaps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recap_id', 'episode_id', name=op.f('pk_recap_episodes'))
    )
    with op.batch_alter_table('recap_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recap_episodes_episode_id'), ['episode_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('recap_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recap_episodes_episode_id'))

    op.drop_table('recap_episodes')
    with op.batch_alter_table('recap_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recap_copies_recap_id'))

    op.drop_table('recap_copies')
    with op.batch_alter_table('show_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_show_aliases_show_id'))

    op.drop_table('show_aliases')
    with op.batch_alter_table('recaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recaps_site_id'))
        batch_op.drop_index(batch_op.f('ix_recaps_show_id'))
        batch_op.drop_index(batch_op.f('ix_recaps_published_at'))

    op.drop_table('recaps')
    op.drop_table('episodes')
    op.drop_table('sites')
    op.drop_table('shows')
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_crawl_runs_started_at')

    op.drop_table('crawl_runs')

