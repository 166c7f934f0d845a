"""From a :class:`ScanOutcome` to what the page shows: words in one language, safe links.

No business rules here (the verdict is decided by the risk engine); only presentation:
which tone and icon a verdict gets, which sentences explain it, which links are safe to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from consumer_site.i18n import HTML_LANG, text
from consumer_site.journey import JourneyLine, format_date, format_time, journey_lines, place_name
from consumer_site.story import render_story, safe_link
from trace.domain.scan import ScanOutcome, ScanVerdict

# Tone (banner colour) and icon per verdict: green = fine, blue = fine but look,
# amber = genuine with a problem, red = do not trust / do not use, grey = we do not know.
PRESENTATION: dict[ScanVerdict, tuple[str, str]] = {
    ScanVerdict.GENUINE: ("ok", "check"),
    ScanVerdict.VERIFIED_BEFORE: ("info", "check"),
    ScanVerdict.NOT_RELEASED: ("warn", "clock"),
    ScanVerdict.EXPIRED: ("warn", "clock"),
    ScanVerdict.OUTSIDE_MARKET: ("warn", "alert"),
    ScanVerdict.POSSIBLE_COPY: ("danger", "alert"),
    ScanVerdict.RECALLED: ("danger", "stop"),
    ScanVerdict.UNKNOWN: ("neutral", "question"),
    ScanVerdict.FORGED: ("danger", "cross"),
}
# The loyalty form is offered only where the brand really made the item and nothing is wrong enough
# to make an invitation tone-deaf (a recall, a likely copy) or meaningless (forged, unknown).
SIGNUP_VERDICTS = frozenset({ScanVerdict.GENUINE, ScanVerdict.VERIFIED_BEFORE, ScanVerdict.OUTSIDE_MARKET,
                             ScanVerdict.EXPIRED})
LANGUAGE_PARAMETER = "lang"


@dataclass(frozen=True, slots=True)
class ScanView:
    """Everything the template prints, already in the page's language."""

    language: str
    html_lang: str
    verdict: str
    tone: str
    icon: str
    headline: str
    explanation: str
    switch_href: str
    switch_text: str
    switch_label: str
    switch_lang: str
    brand_name: str | None
    product_name: str | None
    product_description: str | None
    product_image: str | None
    facts: tuple[tuple[str, str], ...]
    qc_documents: tuple[tuple[str, str], ...]
    journey: tuple[JourneyLine, ...]
    ledger_proof: str | None
    story_html: str
    coupon: str | None
    campaign_offer: str | None
    signup: bool
    unit_key: str | None
    back: str


def unit_key(outcome: ScanOutcome) -> str | None:
    """The item the signup is about: 'GTIN/serial', or None when the code named no item."""
    return f"{outcome.gtin}/{outcome.serial}" if outcome.gtin and outcome.serial else None


def same_site_path(url: str) -> str:
    """The path and query of ``url`` (where the signup page links back to); '/' when odd."""
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return f"{path}?{parts.query}" if parts.query else path


def switch_href(url: str, language: str) -> str:
    """The page's own query with ``lang`` set: the AI 8030 signature must stay in the link."""
    pairs = [(k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k != LANGUAGE_PARAMETER]
    return "?" + urlencode([*pairs, (LANGUAGE_PARAMETER, language)])


def _shown_link(url: str | None) -> str | None:
    if not url:
        return None
    if url.startswith("/") and not url.startswith("//"):
        return url
    return url if safe_link(url) and urlsplit(url).scheme in ("http", "https") else None


def _explanation(outcome: ScanOutcome, language: str, brand: str) -> str:
    key = f"verdict.{outcome.verdict.value}.explain"
    if outcome.verdict is ScanVerdict.VERIFIED_BEFORE:
        if outcome.first_scan is None:
            return text(language, f"{key}_no_first", count=outcome.previous_consumer_scans)
        return text(language, key, count=outcome.previous_consumer_scans,
                    when=format_time(outcome.first_scan.verified_at, language),
                    where=place_name(outcome.first_scan.place, language) or text(language, "somewhere"))
    return text(language, key, brand=brand)


def scan_view(outcome: ScanOutcome, *, language: str, signup_possible: bool) -> ScanView:
    """The page's content for ``outcome`` in ``language`` ('en' or 'zh')."""
    brand = outcome.brand_name or text(language, "the_brand")
    other = "en" if language == "zh" else "zh"
    tone, icon = PRESENTATION[outcome.verdict]
    facts = [(text(language, "lot"), outcome.lot), (text(language, "serial"), outcome.serial),
             (text(language, "produced"), format_date(outcome.produced_on, language) if outcome.produced_on else None),
             (text(language, "expires"), format_date(outcome.expires_on, language) if outcome.expires_on else None)]
    documents = tuple((title, link) for title, url in outcome.qc_documents if (link := _shown_link(url)))
    return ScanView(
        language=language, html_lang=HTML_LANG[language], verdict=outcome.verdict.value, tone=tone, icon=icon,
        headline=text(language, f"verdict.{outcome.verdict.value}"),
        explanation=_explanation(outcome, language, brand),
        switch_href=switch_href(outcome.url, other), switch_text=text(language, "switch_to"),
        switch_label=text(language, "switch_label"), switch_lang=HTML_LANG[other],
        brand_name=outcome.brand_name, product_name=outcome.product_name,
        product_description=outcome.product_description, product_image=_shown_link(outcome.product_image),
        facts=tuple((label, value) for label, value in facts if value),
        qc_documents=documents, journey=tuple(journey_lines(outcome.journey, language)),
        ledger_proof=_shown_link(outcome.ledger_proof), story_html=render_story(outcome.story_markdown),
        coupon=outcome.coupon, campaign_offer=outcome.campaign_offer,
        signup=signup_possible and outcome.verdict in SIGNUP_VERDICTS and bool(outcome.brand) and unit_key(outcome) is not None,
        unit_key=unit_key(outcome), back=same_site_path(outcome.url),
    )
