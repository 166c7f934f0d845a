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
                           labels=LABELS[language])
