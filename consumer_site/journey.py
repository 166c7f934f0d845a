"""Human words for CBV business steps, dates and coarse places, in English and Chinese.

References: GS1 Core Business Vocabulary 2.0, §7.1 (BizStep); the bare names below also
match the URN form (``urn:epcglobal:cbv:bizstep:shipping``) and the web vocabulary form
(``https://ref.gs1.org/cbv/BizStep-shipping``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from trace.domain.scan import JourneyStep, ScanPlace

# CBV 2.0 §7.1 bizSteps a consumer may see in a journey: (English, Simplified Chinese).
BIZ_STEPS: dict[str, tuple[str, str]] = {
    "commissioning": ("Made", "生产赋码"),
    "inspecting": ("Quality checked", "质量检验"),
    "sampling": ("Sampled for testing", "抽样检测"),
    "packing": ("Packed", "装箱"),
    "repackaging": ("Repacked", "重新包装"),
    "unpacking": ("Unpacked", "拆箱"),
    "storing": ("Stored", "入库存放"),
    "picking": ("Picked for an order", "拣货"),
    "loading": ("Loaded", "装车"),
    "staging_outbound": ("Ready to ship", "待发货"),
    "shipping": ("Shipped", "发货"),
    "departing": ("Departed", "离开"),
    "transporting": ("In transit", "运输中"),
    "arriving": ("Arrived", "到达"),
    "unloading": ("Unloaded", "卸货"),
    "receiving": ("Received", "收货"),
    "accepting": ("Accepted", "验收"),
    "inspecting_customs": ("Customs checked", "海关查验"),
    "entering_exiting": ("Crossed a border", "出入境"),
    "stocking": ("On the shelf", "上架"),
    "holding": ("On hold", "暂扣"),
    "retail_selling": ("Sold", "售出"),
    "dispensing": ("Dispensed", "发放"),
    "returning": ("Returned", "退货"),
    "decommissioning": ("Taken out of use", "停用"),
    "destroying": ("Destroyed", "销毁"),
    "void_shipping": ("Shipment cancelled", "取消发货"),
}
DISPOSITIONS: dict[str, tuple[str, str]] = {
    "recalled": ("Recalled", "已召回"),
    "expired": ("Expired", "已过期"),
    "damaged": ("Damaged", "已损坏"),
    "stolen": ("Reported stolen", "报告失窃"),
}
RECORDED = ("Recorded", "已记录")
REGIONS: dict[str, tuple[str, str]] = {
    "CN": ("China", "中国"), "HK": ("Hong Kong", "中国香港"), "MO": ("Macao", "中国澳门"), "TW": ("Taiwan", "中国台湾"),
    "SG": ("Singapore", "新加坡"), "JP": ("Japan", "日本"), "KR": ("South Korea", "韩国"), "US": ("United States", "美国"),
    "GB": ("United Kingdom", "英国"), "DE": ("Germany", "德国"), "FR": ("France", "法国"), "AU": ("Australia", "澳大利亚"),
    "CA": ("Canada", "加拿大"), "MY": ("Malaysia", "马来西亚"), "TH": ("Thailand", "泰国"), "VN": ("Vietnam", "越南"),
}


@dataclass(frozen=True, slots=True)
class JourneyLine:
    """One timeline entry as shown: what happened, when, where, and the event's ledger reference."""

    step: str
    when: str
    when_iso: str
    location: str | None
    ledger_ref: str | None


def _index(language: str) -> int:
    return 1 if language == "zh" else 0


def bare_vocabulary(value: str) -> str:
    """'urn:epcglobal:cbv:bizstep:shipping' / 'https://ref.gs1.org/cbv/BizStep-shipping' → 'shipping'."""
    tail = value.rsplit(":", 1)[-1] if value.startswith("urn:") else value.rsplit("/", 1)[-1]
    return tail.split("-", 1)[1] if "-" in tail else tail


def step_name(biz_step: str | None, disposition: str | None, language: str) -> str:
    """The human name of a journey step; a recall disposition wins over the step it came with."""
    i = _index(language)
    if disposition and bare_vocabulary(disposition) in DISPOSITIONS:
        return DISPOSITIONS[bare_vocabulary(disposition)][i]
    if biz_step and bare_vocabulary(biz_step) in BIZ_STEPS:
        return BIZ_STEPS[bare_vocabulary(biz_step)][i]
    return RECORDED[i]


def format_date(value: date, language: str) -> str:
    """'12 Nov 2026' / '2026年11月12日'."""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%b')} {value.year}"


def format_time(value: datetime, language: str) -> str:
    """A date and UTC time of day: '12 Nov 2026, 08:30 UTC' / '2026年11月12日 08:30（UTC）'."""
    utc = value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    clock = utc.strftime("%H:%M")
    return f"{format_date(utc.date(), language)} {clock}（UTC）" if language == "zh" else \
        f"{format_date(utc.date(), language)}, {clock} UTC"


def place_name(place: ScanPlace | None, language: str) -> str | None:
    """A coarse place in words: 'China (CN-31)', '中国（CN-31）'; None when nothing is known."""
    if place is None or not place.region:
        return None
    country, _, subdivision = place.region.upper().partition("-")
    name = REGIONS.get(country, (country, country))[_index(language)]
    if not subdivision:
        return name
    return f"{name}（{place.region.upper()}）" if language == "zh" else f"{name} ({place.region.upper()})"


def journey_lines(steps: tuple[JourneyStep, ...], language: str) -> list[JourneyLine]:
    """The journey oldest first, in words."""
    ordered = sorted(steps, key=lambda s: s.time)
    return [JourneyLine(step=step_name(s.biz_step, s.disposition, language), when=format_time(s.time, language),
                        when_iso=s.time.isoformat(), location=s.location, ledger_ref=s.ledger_ref) for s in ordered]
