"""Server-rendered public pages (Jinja2). The verification page grows in the consumer issue."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from verify.verdict import Verdict, VerdictStatus

HEADLINES = {
    "en": {
        VerdictStatus.GENUINE: "Genuine product",
        VerdictStatus.FORGED: "Warning: this code is forged",
        VerdictStatus.UNKNOWN: "Unknown code",
        VerdictStatus.SIGNATURE_VALID: "Signature valid",
    },
    "zh": {
        VerdictStatus.GENUINE: "正品",
        VerdictStatus.FORGED: "警告：此码为伪造",
        VerdictStatus.UNKNOWN: "未知码",
        VerdictStatus.SIGNATURE_VALID: "签名有效",
    },
}
EXPLANATIONS = {
    "en": {
        VerdictStatus.GENUINE: "The brand's signature on this code is valid and the item was made and registered by the brand.",
        VerdictStatus.FORGED: "This code was not signed by the brand. Do not trust this item; contact the seller or the brand.",
        VerdictStatus.UNKNOWN: "The code looks valid but the brand has no record of this item. Contact the brand.",
        VerdictStatus.SIGNATURE_VALID: "The brand's signature is valid (checked offline).",
    },
    "zh": {
        VerdictStatus.GENUINE: "此码上的品牌签名有效，该商品由品牌生产并登记。",
        VerdictStatus.FORGED: "此码并非品牌签发。请勿信任该商品，并联系卖家或品牌方。",
        VerdictStatus.UNKNOWN: "此码看似有效，但品牌没有该商品的记录。请联系品牌方。",
        VerdictStatus.SIGNATURE_VALID: "品牌签名有效（离线校验）。",
    },
}
LABELS = {
    "en": {"product": "Product", "gtin": "GTIN", "lot": "Lot", "serial": "Serial", "produced": "Produced",
           "expires": "Expires", "brand": "Brand"},
    "zh": {"product": "产品", "gtin": "商品条码", "lot": "批号", "serial": "序列号", "produced": "生产日期",
           "expires": "有效期至", "brand": "品牌"},
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("consumer_site", "templates"), autoescape=select_autoescape(["html"]))


def pick_language(accept_language: str | None) -> str:
    """'zh' when the browser prefers Chinese over English, else 'en' (RFC 9110 §12.5.4 q-values)."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in ("en", "zh") and q > best_q:
            best, best_q = lang, q
    return best


def render_verdict(verdict: Verdict, *, language: str) -> str:
    template = _environment().get_template("verdict.html")
    return template.render(v=verdict, lang=language, headline=HEADLINES[language][verdict.status],
                           explanation=EXPLANATIONS[language][verdict.status], labels=LABELS[language])
