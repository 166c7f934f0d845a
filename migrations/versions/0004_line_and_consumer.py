"""Code pools and NFC tags (production line); verifications (append-only), alerts, webhooks,
sales channels, campaigns, coupons, leads (consumer side); product story, lot QC documents,
intended sales region of objects.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 02:32:44.128090
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.append_only import protect, unprotect


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('unit_key', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_alert_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_brand_id'), ['brand_id'], unique=False)

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('offer', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_campaign_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_brand_id'), ['brand_id'], unique=False)

    op.create_table('lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('contact_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('contact_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unit_key', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_lead_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead')),
    sa.UniqueConstraint('brand_id', 'contact_hash', name=op.f('uq_lead_brand_id_contact_hash'))
    )
    op.create_table('nfc_tag',
    sa.Column('brand_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('uid', sa.LargeBinary(length=7), nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_counter', sa.Integer(), nullable=True),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_nfc_tag_brand_id_brand')),
    sa.PrimaryKeyConstraint('brand_id', 'uid', name=op.f('pk_nfc_tag')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_nfc_tag_unit_id'))
    )
    op.create_table('sales_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=300), nullable=False),
    sa.Column('region', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_sales_channel_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_channel')),
    sa.UniqueConstraint('brand_id', 'party', name=op.f('uq_sales_channel_brand_id_party'))
    )
    op.create_table('verification',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('unit_key', sa.String(length=100), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('audit_group', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=20), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('client_hash', sa.LargeBinary(length=16), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=False),
    sa.Column('flags', sa.Text(), nullable=False),
    sa.Column('ledger_entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_verification_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification'))
    )
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.create_index('ix_verification_brand_id_unit_key_verified_at', ['brand_id', 'unit_key', 'verified_at'], unique=False)

    op.create_table('webhook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('secret_encrypted', sa.LargeBinary(), nullable=False),
    sa.Column('kinds', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_webhook_brand_id_brand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook'))
    )
    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_brand_id'), ['brand_id'], unique=False)

    op.create_table('coupon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_key', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_coupon_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon')),
    sa.UniqueConstraint('campaign_id', 'unit_key', name=op.f('uq_coupon_campaign_id_unit_key')),
    sa.UniqueConstraint('code', name=op.f('uq_coupon_code'))
    )
    op.create_table('webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhook.id'], name=op.f('fk_webhook_delivery_webhook_id_webhook')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_delivery'))
    )
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_delivery_webhook_id'), ['webhook_id'], unique=False)

    op.create_table('code_pool',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=100), nullable=False),
    sa.Column('kid', sa.String(length=16), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('low_water_mark', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_code_pool_brand_id_brand')),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], name=op.f('fk_code_pool_lot_id_lot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_pool'))
    )
    with op.batch_alter_table('code_pool', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_pool_brand_id'), ['brand_id'], unique=False)

    op.create_table('pool_code',
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=15), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pool_id'], ['code_pool.id'], name=op.f('fk_pool_code_pool_id_code_pool')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_pool_code')),
    sa.UniqueConstraint('pool_id', 'sequence', name=op.f('uq_pool_code_pool_id_sequence'))
    )
    with op.batch_alter_table('pool_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_code_pool_id'), ['pool_id'], unique=False)

    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intended_region', sa.String(length=20), nullable=True))

    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qc_documents', sa.Text(), nullable=False, server_default='[]'))

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('story_markdown', sa.Text(), nullable=False, server_default=''))
    protect("verification")


def downgrade() -> None:
    unprotect("verification")
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('story_markdown')

    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_column('qc_documents')

    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.drop_column('intended_region')

    with op.batch_alter_table('pool_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_code_pool_id'))

    op.drop_table('pool_code')
    with op.batch_alter_table('code_pool', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_pool_brand_id'))

    op.drop_table('code_pool')
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_delivery_webhook_id'))

    op.drop_table('webhook_delivery')
    op.drop_table('coupon')
    with op.batch_alter_table('webhook', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_brand_id'))

    op.drop_table('webhook')
    with op.batch_alter_table('verification', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_brand_id_unit_key_verified_at')

    op.drop_table('verification')
    op.drop_table('sales_channel')
    op.drop_table('nfc_tag')
    op.drop_table('lead')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_brand_id'))

    op.drop_table('campaign')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_brand_id'))

    op.drop_table('alert')
