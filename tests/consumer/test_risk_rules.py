"""Each risk rule as Pass or Flag with its exact reason, and the engine's severity order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from trace.domain.risk import ObjectStatus, RiskPolicy, ScanContext, SignedCode, SunReading
from trace.domain.scan import SEVERITY, AuditGroup, Flag, Pass, PriorScan, ScanPlace, ScanVerdict
from trace.domain.units import UnitRecord, UnitState
from trace.errors import ConfigurationError
from verify.risk_engine import RiskEngine, combine
from verify.rules import (
    decommissioned, diversion, expired, impossible_travel, never_commissioned, nfc_replay, not_released, recalled,
    repeat_scans,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
SIGNED = SignedCode(brand="acme", kid="k1", key_status="active", gtin="09506000134352", lot="L1", serial="S1")
UNIT = UnitRecord(brand="acme", gtin="09506000134352", serial="S1", lot="L1", kid="k1", state=UnitState.COMMISSIONED,
                  product_name="Tea", produced_on=date(2026, 11, 1), expires_on=date(2028, 10, 31),
                  minted_at=datetime(2026, 11, 1, tzinfo=timezone.utc))
SHIPPED = ObjectStatus(biz_step="shipping", disposition="in_transit", location=None, parent=None,
                       intended_region="CN", last_event_time=NOW - timedelta(days=3))
SHANGHAI = ScanPlace(region="CN-31")


def ctx(**changes) -> ScanContext:
    base = ScanContext(signature=SIGNED, unit=UNIT, state=SHIPPED, prior_scans=(), now=NOW, place=SHANGHAI,
                       audit_group=AuditGroup.CONSUMER)
    return replace(base, **changes)


def scans(*places: tuple[timedelta, ScanPlace], group: AuditGroup = AuditGroup.CONSUMER) -> tuple[PriorScan, ...]:
    return tuple(PriorScan(verified_at=NOW - ago, place=place, audit_group=group) for ago, place in places)


# --- status rules ---------------------------------------------------------------------

def test_never_commissioned() -> None:
    assert never_commissioned.check(ctx()) == Pass("never_commissioned")
    flag = never_commissioned.check(ctx(unit=None))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.UNKNOWN, "the signature is valid but no such unit was ever minted", "unknown_code")


@pytest.mark.parametrize("disposition", ["destroyed", "urn:epcglobal:cbv:disp:inactive",
                                         "https://ref.gs1.org/cbv/Disp-disposed"])
def test_decommissioned(disposition: str) -> None:
    state = replace(SHIPPED, disposition=disposition, biz_step="destroying")
    flag = decommissioned.check(ctx(state=state))
    word = disposition.rsplit(":", 1)[-1].rsplit("-", 1)[-1]
    assert flag == Flag("decommissioned", ScanVerdict.UNKNOWN,
                        f"the unit was taken out of circulation (bizStep destroying, disposition {word})",
                        evidence={"biz_step": "destroying", "disposition": word}, alert="decommissioned_scan")
    assert decommissioned.check(ctx()) == Pass("decommissioned")


def test_recalled() -> None:
    flag = recalled.check(ctx(state=replace(SHIPPED, disposition="recalled")))
    assert (flag.verdict, flag.reason, flag.alert) == (ScanVerdict.RECALLED, "the brand has recalled this unit", None)
    assert recalled.check(ctx()) == Pass("recalled")
    assert recalled.check(ctx(state=None)) == Pass("recalled")


def test_expired_counts_the_expiry_day_as_good() -> None:
    on_the_day = replace(UNIT, expires_on=NOW.date())
    assert expired.check(ctx(unit=on_the_day)) == Pass("expired")
    flag = expired.check(ctx(unit=replace(UNIT, expires_on=date(2026, 11, 30))))
    assert (flag.verdict, flag.reason) == (ScanVerdict.EXPIRED, "the lot expired on 2026-11-30")
    off = RiskPolicy(check_expiry=False)
    assert expired.check(ctx(unit=replace(UNIT, expires_on=date(2026, 11, 30)), policy=off)) == Pass("expired")


def test_not_released() -> None:
    in_warehouse = replace(SHIPPED, biz_step="storing", disposition="sellable_not_accessible", intended_region=None,
                           location="urn:epc:id:sgln:9506000.13435.0")
    flag = not_released.check(ctx(state=in_warehouse))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.NOT_RELEASED,
        "scanned by a consumer while still at urn:epc:id:sgln:9506000.13435.0 (bizStep storing)", "not_released")
    # staff scan anywhere; the policy can switch the rule off
    assert not_released.check(ctx(state=in_warehouse, audit_group=AuditGroup.RETAIL_STAFF)) == Pass("not_released")
    assert not_released.check(ctx(state=in_warehouse, policy=RiskPolicy(require_shipped=False))) == Pass("not_released")
    assert not_released.check(ctx()) == Pass("not_released")
    sold = replace(in_warehouse, biz_step="retail_selling", disposition="retail_sold")
    assert not_released.check(ctx(state=sold)) == Pass("not_released")


def test_minted_only_units_are_released_unless_the_policy_says_otherwise() -> None:
    assert not_released.check(ctx(state=None)) == Pass("not_released")
    flag = not_released.check(ctx(state=None, policy=RiskPolicy(genuine_without_events=False)))
    assert (flag.verdict, flag.reason) == (ScanVerdict.NOT_RELEASED, "no shipment of this unit was ever recorded")


# --- scan rules ----------------------------------------------------------------------

def test_repeat_scans_first_then_verified_before_then_possible_copy() -> None:
    assert repeat_scans.check(ctx()) == Pass("repeat_scans")
    one = scans((timedelta(days=2), SHANGHAI))
    flag = repeat_scans.check(ctx(prior_scans=one))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.VERIFIED_BEFORE, "verified 1 time(s) before, first on 2026-11-29T12:00:00+00:00 in CN-31", None)
    four = scans(*[(timedelta(days=d), SHANGHAI) for d in (4, 3, 2, 1)])
    assert repeat_scans.check(ctx(prior_scans=four)).verdict is ScanVerdict.VERIFIED_BEFORE  # the 5th: allowed
    five = scans(*[(timedelta(days=d), SHANGHAI) for d in (5, 4, 3, 2, 1)])
    flag = repeat_scans.check(ctx(prior_scans=five))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.POSSIBLE_COPY, "6 consumer verifications, more than the 5 one item gets", "copy")


def test_staff_scans_never_count_as_consumer_verifications() -> None:
    staff = scans(*[(timedelta(days=d), SHANGHAI) for d in range(1, 10)], group=AuditGroup.RETAIL_STAFF)
    assert repeat_scans.check(ctx(prior_scans=staff)) == Pass("repeat_scans")
    five = scans(*[(timedelta(days=d), SHANGHAI) for d in (5, 4, 3, 2, 1)])
    # a staff member scanning a copied code learns about it, without raising another alert
    flag = repeat_scans.check(ctx(prior_scans=five, audit_group=AuditGroup.INSPECTOR))
    assert (flag.verdict, flag.alert) == (ScanVerdict.VERIFIED_BEFORE, None)


def test_impossible_travel_by_region_centroids() -> None:
    hour_ago_in_shanghai = scans((timedelta(hours=1), SHANGHAI))
    flag = impossible_travel.check(ctx(prior_scans=hour_ago_in_shanghai, place=ScanPlace(region="FR")))
    assert (flag.verdict, flag.alert) == (ScanVerdict.POSSIBLE_COPY, "copy")
    assert flag.reason == "9261 km from the previous verification in 1.00 h (9261 km/h, more than 900 km/h)"
    a_day_later = scans((timedelta(hours=24), SHANGHAI))
    assert impossible_travel.check(ctx(prior_scans=a_day_later, place=ScanPlace(region="FR"))) == Pass("impossible_travel")


def test_impossible_travel_ignores_short_distances_and_unknown_places() -> None:
    minute_ago = scans((timedelta(minutes=1), ScanPlace(latitude=31.2, longitude=121.5)))
    near = ScanPlace(latitude=31.5, longitude=121.5)  # 33 km: below the 50 km minimum
    assert impossible_travel.check(ctx(prior_scans=minute_ago, place=near)) == Pass("impossible_travel")
    far = ScanPlace(latitude=39.9, longitude=116.4)  # Beijing
    assert impossible_travel.check(ctx(prior_scans=minute_ago, place=far)).verdict is ScanVerdict.POSSIBLE_COPY
    assert impossible_travel.check(ctx(prior_scans=minute_ago, place=ScanPlace(region="ZZ"))) == Pass("impossible_travel")
    staff = ctx(prior_scans=minute_ago, place=far, audit_group=AuditGroup.INSPECTOR)
    assert impossible_travel.check(staff) == Pass("impossible_travel")


def test_diversion() -> None:
    assert diversion.check(ctx(place=ScanPlace(region="CN-44"))) == Pass("diversion")
    flag = diversion.check(ctx(place=ScanPlace(region="HK")))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.OUTSIDE_MARKET, "scanned in HK, outside its sales region CN", "diversion")
    assert diversion.check(ctx(place=ScanPlace())) == Pass("diversion")
    assert diversion.check(ctx(state=replace(SHIPPED, intended_region=None), place=ScanPlace(region="HK"))) == \
        Pass("diversion")


def test_nfc_replay() -> None:
    uid = bytes.fromhex("04DE5F1EACC040")
    assert nfc_replay.check(ctx(sun=SunReading(uid=uid, read_counter=62, last_seen=61))) == Pass("nfc_replay")
    assert nfc_replay.check(ctx(sun=SunReading(uid=uid, read_counter=61, last_seen=None))) == Pass("nfc_replay")
    flag = nfc_replay.check(ctx(sun=SunReading(uid=uid, read_counter=61, last_seen=61)))
    assert (flag.verdict, flag.reason, flag.alert) == (
        ScanVerdict.POSSIBLE_COPY, "replayed: counter 61 not higher than last seen 61 for UID 04DE5F1EACC040",
        "nfc_replay")
    other = nfc_replay.check(ctx(sun=SunReading(uid=uid, read_counter=70, last_seen=61, bound_to_unit=False)))
    assert other.reason == "NFC tag 04DE5F1EACC040 is bound to another unit"


# --- the engine ----------------------------------------------------------------------

def test_an_empty_rule_set_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no rules"):
        RiskEngine([])


def test_the_most_serious_flag_wins() -> None:
    flags = [Flag("a", ScanVerdict.VERIFIED_BEFORE, "x"), Flag("b", ScanVerdict.RECALLED, "y"),
             Flag("c", ScanVerdict.OUTSIDE_MARKET, "z")]
    judged = combine(flags)
    assert judged.verdict is ScanVerdict.RECALLED
    assert [f.rule for f in judged.flags] == ["b", "c", "a"]
    assert combine([]).verdict is ScanVerdict.GENUINE
    assert SEVERITY.index(ScanVerdict.POSSIBLE_COPY) > SEVERITY.index(ScanVerdict.OUTSIDE_MARKET)


def test_engine_runs_every_default_rule() -> None:
    recalled_and_diverted = ctx(state=replace(SHIPPED, disposition="recalled"), place=ScanPlace(region="HK"))
    judged = RiskEngine().judge(recalled_and_diverted)
    assert judged.verdict is ScanVerdict.RECALLED
    assert [f.rule for f in judged.flags] == ["recalled", "diversion"]
    assert RiskEngine().judge(ctx()).verdict is ScanVerdict.GENUINE
