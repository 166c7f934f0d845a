"""The page's text catalogs: every key and every placeholder in both languages."""

from __future__ import annotations

from consumer_site.i18n import CATALOGS, EN, ZH, placeholders
from consumer_site.journey import BIZ_STEPS, step_name
from trace.domain.scan import ScanVerdict


def test_every_key_is_in_both_languages() -> None:
    assert set(EN) == set(ZH)
    assert set(CATALOGS) == {"en", "zh"}


def test_no_key_is_shadowed_by_a_dict_method_in_templates() -> None:
    # Jinja's `t.copy` finds dict.copy before the key "copy": keys must not be dict attribute names.
    assert {key for key in EN if hasattr(dict, key)} == set()


def test_placeholders_match_between_languages() -> None:
    mismatched = {key for key in EN if placeholders(EN[key]) != placeholders(ZH[key])}
    assert mismatched == set()


def test_every_verdict_has_a_headline_and_an_explanation() -> None:
    for verdict in ScanVerdict:
        for catalog in (EN, ZH):
            assert catalog[f"verdict.{verdict.value}"].strip()
            assert catalog[f"verdict.{verdict.value}.explain"].strip()


def test_no_chinese_text_left_untranslated() -> None:
    same = {key for key in EN if EN[key] == ZH[key]}
    assert same == set()


def test_common_cbv_steps_read_as_people_say_them() -> None:
    assert [step_name(s, None, "en") for s in ("commissioning", "packing", "shipping", "receiving", "retail_selling")] \
        == ["Made", "Packed", "Shipped", "Received", "Sold"]
    assert [step_name(s, None, "zh") for s in ("commissioning", "packing", "shipping", "receiving", "retail_selling")] \
        == ["生产赋码", "装箱", "发货", "收货", "售出"]
    assert step_name("urn:epcglobal:cbv:bizstep:shipping", None, "en") == "Shipped"
    assert step_name("https://ref.gs1.org/cbv/BizStep-receiving", None, "zh") == "收货"
    assert step_name("shipping", "https://ref.gs1.org/cbv/Disp-recalled", "en") == "Recalled"
    assert step_name("made_up_step", None, "en") == "Recorded"
    assert all(en and zh and en != zh for en, zh in BIZ_STEPS.values())
