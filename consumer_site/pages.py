"""Server-rendered public pages (Jinja2): the scan page and the signup answer."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from consumer_site.i18n import CATALOGS, HTML_LANG, LANGUAGES, text
from consumer_site.page_security import COUPON_JS, PAGE_CSS
from consumer_site.scan_view import scan_view
from trace.domain.scan import ScanOutcome


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("consumer_site", "templates"), autoescape=select_autoescape(["html"]))
    environment.globals.update(page_css=PAGE_CSS, coupon_js=COUPON_JS)  # the hashed inline texts (page_security)
    return environment


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


def page_language(requested: str | None, accept_language: str | None) -> str:
    """The page's language: an explicit ``?lang=en|zh`` (the visible switch) wins over Accept-Language."""
    if requested:
        choice = requested.strip().lower().split("-")[0]
        if choice in LANGUAGES:
            return choice
    return pick_language(accept_language)


def render_scan(outcome: ScanOutcome, *, language: str, form_token: str | None) -> str:
    """The public page for one scan, in ``language`` ('en' or 'zh').

    ``form_token`` (from :func:`consumer_site.form_token.issue` for this brand and
    :func:`consumer_site.scan_view.unit_key`) enables the loyalty signup form; None hides it.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    view = scan_view(outcome, language=language, signup_possible=form_token is not None)
    brand = outcome.brand_name or text(language, "the_brand")
    return _environment().get_template("scan.html").render(
        v=view, html_lang=view.html_lang, t=CATALOGS[language], form_token=form_token, brand=outcome.brand,
        signup_intro=text(language, "signup_intro", brand=brand), consent=text(language, "consent", brand=brand))


def consent_text(language: str, brand_name: str | None) -> str:
    """The exact consent sentence shown next to the checkbox (stored with the lead as evidence)."""
    return text(language, "consent", brand=brand_name or text(language, "the_brand"))


def render_signup_result(*, language: str, message_key: str, ok: bool, back: str) -> str:
    """The answer page of ``POST /signup``: one sentence and a link back to the product page."""
    return _environment().get_template("signup_result.html").render(
        html_lang=HTML_LANG[language], t=CATALOGS[language], message=text(language, message_key), ok=ok,
        outcome=message_key.removeprefix("signup."), back=back)
