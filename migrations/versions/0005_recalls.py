"""Recalls (criteria, who started and closed them) and the units each one names, frozen at start.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 02:36:24.790036
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_recall_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recall')),
    sa.UniqueConstraint('brand_id', 'reference', name=op.f('uq_recall_brand_id_reference'))
    )
    with op.batch_alter_table('recall', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recall_brand_id'), ['brand_id'], unique=False)

    op.create_table('recall_unit',
    sa.Column('recall_id', sa.Integer(), nullable=False),
    sa.Column('epc_key', sa.String(length=300), nullable=False),
    sa.Column('uri', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status_at_start', sa.String(length=20), nullable=False),
    sa.Column('location_at_start', sa.String(length=300), nullable=True),
    sa.Column('custodian_at_start', sa.String(length=300), nullable=True),
    sa.Column('disposition_at_start', sa.String(length=300), nullable=True),
    sa.Column('event_id', sa.String(length=300), nullable=True),
    sa.Column('recovered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('excluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recall_id'], ['recall.id'], name=op.f('fk_recall_unit_recall_id_recall')),
    sa.PrimaryKeyConstraint('recall_id', 'epc_key', name=op.f('pk_recall_unit'))
    )
    with op.batch_alter_table('recall_unit', schema=None) as batch_op:
        batch_op.create_index('ix_recall_unit_recall_id_location_at_start', ['recall_id', 'location_at_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recall_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_recall_unit_recall_id_location_at_start')

    op.drop_table('recall_unit')
    with op.batch_alter_table('recall', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recall_brand_id'))

    op.drop_table('recall')
