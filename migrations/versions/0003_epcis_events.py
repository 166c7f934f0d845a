"""EPCIS events (append-only), their identifier index, the current state of every object;
the GS1 Company Prefix length of a brand.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 02:26:21.833239
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.append_only import protect, unprotect

APPEND_ONLY = ("epcis_event", "epcis_event_epc")


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('epc_state',
    sa.Column('brand_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('epc_key', sa.String(length=300), nullable=False),
    sa.Column('uri', sa.String(length=400), nullable=False),
    sa.Column('last_event_row_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_event_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('biz_step', sa.String(length=300), nullable=True),
    sa.Column('disposition', sa.String(length=300), nullable=True),
    sa.Column('read_point', sa.String(length=300), nullable=True),
    sa.Column('biz_location', sa.String(length=300), nullable=True),
    sa.Column('custodian', sa.String(length=300), nullable=True),
    sa.Column('parent_key', sa.String(length=300), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('brand_id', 'epc_key', name=op.f('pk_epc_state'))
    )
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.create_index('ix_epc_state_brand_id_parent_key', ['brand_id', 'parent_key'], unique=False)

    op.create_table('epcis_event_epc',
    sa.Column('event_row_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('epc_key', sa.String(length=300), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('event_time', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_row_id', 'role', 'epc_key', name=op.f('pk_epcis_event_epc'))
    )
    with op.batch_alter_table('epcis_event_epc', schema=None) as batch_op:
        batch_op.create_index('ix_epcis_event_epc_brand_id_epc_key', ['brand_id', 'epc_key', 'event_time'], unique=False)

    op.create_table('epcis_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=300), nullable=False),
    sa.Column('hash_id', sa.String(length=120), nullable=False),
    sa.Column('event_type', sa.String(length=30), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=True),
    sa.Column('event_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_time_zone_offset', sa.String(length=6), nullable=False),
    sa.Column('record_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('biz_step', sa.String(length=300), nullable=True),
    sa.Column('disposition', sa.String(length=300), nullable=True),
    sa.Column('read_point', sa.String(length=300), nullable=True),
    sa.Column('biz_location', sa.String(length=300), nullable=True),
    sa.Column('is_error_declaration', sa.Boolean(), nullable=False),
    sa.Column('declares_error_of', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('ledger_entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('captured_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_epcis_event_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_epcis_event')),
    sa.UniqueConstraint('brand_id', 'hash_id', 'is_error_declaration', name=op.f('uq_epcis_event_brand_id_hash_id_is_error_declaration'))
    )
    with op.batch_alter_table('epcis_event', schema=None) as batch_op:
        batch_op.create_index('ix_epcis_event_brand_id_event_id', ['brand_id', 'event_id'], unique=False)
        batch_op.create_index('ix_epcis_event_brand_id_event_time', ['brand_id', 'event_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_epcis_event_declares_error_of'), ['declares_error_of'], unique=False)

    with op.batch_alter_table('brand', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_prefix_length', sa.Integer(), nullable=True))
    for table in APPEND_ONLY:
        protect(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        unprotect(table)
    with op.batch_alter_table('brand', schema=None) as batch_op:
        batch_op.drop_column('company_prefix_length')

    with op.batch_alter_table('epcis_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_epcis_event_declares_error_of'))
        batch_op.drop_index('ix_epcis_event_brand_id_event_time')
        batch_op.drop_index('ix_epcis_event_brand_id_event_id')

    op.drop_table('epcis_event')
    with op.batch_alter_table('epcis_event_epc', schema=None) as batch_op:
        batch_op.drop_index('ix_epcis_event_epc_brand_id_epc_key')

    op.drop_table('epcis_event_epc')
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.drop_index('ix_epc_state_brand_id_parent_key')

    op.drop_table('epc_state')
