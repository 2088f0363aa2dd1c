"""dedup revisions facts: near-duplicate bands, revisions, facts with provenance,
show corrections, alias sources

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('show_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('other', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_show_corrections'))
    )
    op.create_table('episode_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_episode_facts_episode_id_episodes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_episode_facts_recap_id_recaps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episode_facts')),
    sa.UniqueConstraint('episode_id', 'field', 'value', 'recap_id', name=op.f('uq_episode_facts_episode_id_field_value_recap_id'))
    )
    with op.batch_alter_table('episode_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_episode_facts_recap_id'), ['recap_id'], unique=False)

    op.create_table('recap_bands',
    sa.Column('band_hash', sa.BigInteger(), nullable=False),
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_recap_bands_recap_id_recaps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band_hash', 'recap_id', name=op.f('pk_recap_bands'))
    )
    with op.batch_alter_table('recap_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recap_bands_recap_id'), ['recap_id'], unique=False)

    op.create_table('recap_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=False),
    sa.Column('old_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('new_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('old_headline', sa.Text(), nullable=False),
    sa.Column('new_headline', sa.Text(), nullable=False),
    sa.Column('old_body_length', sa.Integer(), nullable=False),
    sa.Column('new_body_length', sa.Integer(), nullable=False),
    sa.Column('old_url', sa.String(length=2000), nullable=False),
    sa.Column('old_modified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_recap_revisions_recap_id_recaps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recap_revisions'))
    )
    with op.batch_alter_table('recap_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recap_revisions_recap_id'), ['recap_id'], unique=False)

    op.create_table('show_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('recap_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['recap_id'], ['recaps.id'], name=op.f('fk_show_facts_recap_id_recaps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_show_facts_show_id_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_show_facts')),
    sa.UniqueConstraint('show_id', 'field', 'value', 'recap_id', name=op.f('uq_show_facts_show_id_field_value_recap_id'))
    )
    with op.batch_alter_table('show_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_show_facts_recap_id'), ['recap_id'], unique=False)

    # plain ALTER TABLE ... ADD COLUMN: no table rebuild (keeps 0002's triggers and indexes)
    op.add_column('recaps', sa.Column('minhash', sa.LargeBinary(), nullable=True))
    op.add_column('show_aliases', sa.Column('source', sa.String(length=10),
                                            server_default='page', nullable=False))




def downgrade() -> None:

    # plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch rebuild of "recaps"
    # would drop the full-text triggers and indexes of revision 0002
    op.drop_column('show_aliases', 'source')
    op.drop_column('recaps', 'minhash')

    with op.batch_alter_table('show_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_show_facts_recap_id'))

    op.drop_table('show_facts')
    with op.batch_alter_table('recap_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recap_revisions_recap_id'))

    op.drop_table('recap_revisions')
    with op.batch_alter_table('recap_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recap_bands_recap_id'))

    op.drop_table('recap_bands')
    with op.batch_alter_table('episode_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_episode_facts_recap_id'))

    op.drop_table('episode_facts')
    op.drop_table('show_corrections')

