"""Every model, imported in one place so the metadata is complete (Alembic, tests)."""

from __future__ import annotations

from trace.db.base import Base
from trace.db.catalog import Brand, Lot, Product
from trace.db.consumer import (
    Alert,
    Campaign,
    Coupon,
    Lead,
    RiskPolicyRow,
    SalesChannel,
    Verification,
    Webhook,
    WebhookDelivery,
)
from trace.db.events import EpcisEventEpc, EpcisEventRow, EpcState, ItemStateCount, LotUnitCount
from trace.db.keys import ApiKey, SigningKey, SunKey
from trace.db.line import CodePool, NfcTag, PoolCode
from trace.db.recalls import Recall, RecallUnit
from trace.db.staff import StaffUser
from trace.db.ledger import LedgerCheckpoint, LedgerEntry, LedgerLeaf, LedgerLog, LedgerNode
from trace.db.units import MintJob, Unit

__all__ = [
    "Alert", "Campaign", "CodePool", "Coupon", "Lead", "NfcTag", "PoolCode", "RiskPolicyRow", "SalesChannel", "Verification",
    "Webhook", "WebhookDelivery",
    "ApiKey", "Base", "Brand", "EpcState", "EpcisEventEpc", "EpcisEventRow", "ItemStateCount", "LotUnitCount", "LedgerCheckpoint", "LedgerEntry", "LedgerLeaf", "LedgerLog", "LedgerNode",
    "Lot", "MintJob", "Product", "Recall", "RecallUnit", "SigningKey", "StaffUser", "SunKey", "Unit",
]
