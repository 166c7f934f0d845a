"""`POST /signup`: the loyalty form on the public scan page (a page for people, not JSON)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from consumer_site import form_token
from consumer_site.i18n import LANGUAGES
from consumer_site.page_security import PAGE_HEADERS
from consumer_site.pages import consent_text, render_signup_result
from consumer_site.scan_view import same_site_path
from trace.api.deps import RuntimeDep
from trace.api.public_guard import client_address, guard_public
from trace.errors import InvalidInput, NotFound
from trace.services import brands, leads

router = APIRouter(tags=["public"])

Short = Annotated[str, Form(max_length=200)]


def _answer(language: str, key: str, back: str, *, status: int) -> HTMLResponse:
    html = render_signup_result(language=language, message_key=key, ok=status < 400, back=back)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store", **PAGE_HEADERS})


@router.post("/signup", response_class=HTMLResponse, summary="Join a brand's loyalty club from a scan page")
def signup(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str, Form(max_length=80)],
    brand: Short,
    unit_key: Short,
    contact: Annotated[str, Form(max_length=254)] = "",
    consent: Annotated[str | None, Form(max_length=10)] = None,
    lang: Annotated[str, Form(max_length=10)] = "en",
    back: Annotated[str, Form(max_length=2048)] = "/",
) -> HTMLResponse:
    guard_public(request)
    language = lang if lang in LANGUAGES else "en"
    back = same_site_path(back)
    # Signups are rarer than page views: a tighter budget per client stops lead-table flooding.
    if not request.app.state.signup_limiter.allow(client_address(request)):
        return _answer(language, "signup.too_many", back, status=429)
    secret = runtime.settings.secret_key_bytes()
    try:
        form_token.check(secret, token, brand=brand, unit_key=unit_key, now=time.time())
        brand_name = brands.get_brand(runtime.db, brand).name
    except (InvalidInput, NotFound):
        return _answer(language, "signup.expired", back, status=400)
    if consent != "yes":
        return _answer(language, "signup.no_consent", back, status=400)
    try:
        result = leads.sign_up(runtime.db, secret, brand=brand, contact=contact, consent=True,
                               consent_text=consent_text(language, brand_name), unit_key=unit_key, language=language)
    except InvalidInput:
        return _answer(language, "signup.bad_contact", back, status=400)
    if result is leads.SignupResult.ALREADY:
        return _answer(language, "signup.already", back, status=200)
    return _answer(language, "signup.ok", back, status=201)
