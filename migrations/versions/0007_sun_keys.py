"""NTAG 424 SUN master keys per brand (sealed by the key store); the key version each NFC tag was programmed with.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sun_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sealed_master_key', sa.Text(), nullable=False),
    sa.Column('system_identifier', sa.String(length=23), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_sun_key_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sun_key')),
    sa.UniqueConstraint('brand_id', 'version', name=op.f('uq_sun_key_brand_id_version'))
    )
    op.create_index(op.f('ix_sun_key_brand_id'), 'sun_key', ['brand_id'], unique=False)
    with op.batch_alter_table('nfc_tag') as batch_op:
        batch_op.add_column(sa.Column('sun_key_version', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('nfc_tag') as batch_op:
        batch_op.drop_column('sun_key_version')
    op.drop_index(op.f('ix_sun_key_brand_id'), table_name='sun_key')
    op.drop_table('sun_key')
