"""The index of states by container only holds objects that are in one
(``WHERE parent_key IS NOT NULL``).

Every lookup by container implies it, so they all still use it; loose objects (most items
until they are packed) no longer pay for an entry at capture; and a lookup by key can no
longer be planned on it. Without statistics (a new database, or a brand new to them)
PostgreSQL took this index, smaller than the primary key, with only ``brand_id`` as its
condition and filtered every state of the brand per key: capture's state read grew with
the brand (127 → 387 ms per document over three documents) until ANALYZE ran.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_epc_state_brand_id_parent_key', table_name='epc_state')
    op.create_index('ix_epc_state_brand_id_parent_key', 'epc_state', ['brand_id', 'parent_key'], unique=False,
                    postgresql_where=sa.text('parent_key IS NOT NULL'), sqlite_where=sa.text('parent_key IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_epc_state_brand_id_parent_key', table_name='epc_state')
    op.create_index('ix_epc_state_brand_id_parent_key', 'epc_state', ['brand_id', 'parent_key'], unique=False)
