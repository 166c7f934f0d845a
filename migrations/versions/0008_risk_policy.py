"""Risk policies: per-brand (gtin '') or per-product thresholds of the consumer scan's risk rules.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 04:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('risk_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=False),
    sa.Column('max_consumer_verifications', sa.Integer(), nullable=False),
    sa.Column('travel_speed_kmh', sa.Float(), nullable=False),
    sa.Column('travel_min_distance_km', sa.Float(), nullable=False),
    sa.Column('check_expiry', sa.Boolean(), nullable=False),
    sa.Column('require_shipped', sa.Boolean(), nullable=False),
    sa.Column('genuine_without_events', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_risk_policy_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_policy')),
    sa.UniqueConstraint('brand_id', 'gtin', name=op.f('uq_risk_policy_brand_id_gtin'))
    )


def downgrade() -> None:
    op.drop_table('risk_policy')
