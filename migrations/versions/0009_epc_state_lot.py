"""The lot of each item's state (``epc_state.lot_id``), indexed where known: a recall by lot
reads the lot's states in one index range instead of one primary-key probe per item.

Filled by capture from the item's unit when the state is written; existing states are
filled here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 05:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE epc_state SET lot_id = (SELECT u.lot_id FROM unit u WHERE u.brand_id = epc_state.brand_id"
        " AND u.gtin = substr(epc_state.epc_key, 3, 14) AND u.serial = substr(epc_state.epc_key, 19))"
        " WHERE substr(epc_key, 1, 2) = '01' AND substr(epc_key, 17, 2) = '21'")
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.create_index('ix_epc_state_brand_id_lot_id', ['brand_id', 'lot_id'], unique=False,
                              postgresql_where=sa.text('lot_id IS NOT NULL'),
                              sqlite_where=sa.text('lot_id IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.drop_index('ix_epc_state_brand_id_lot_id')
        batch_op.drop_column('lot_id')
