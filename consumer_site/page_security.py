"""The security headers of the public pages, and the inline style and script they allow.

The pages stay one request each (a slow phone pays for every extra round trip), so their
stylesheet and the coupon's copy button script are inline; the Content-Security-Policy
allows exactly those two texts by their SHA-256 (CSP Level 3 hash sources) and nothing
else: no other script or style, no plugin, no framing, forms posting only to this origin.
A script injected through any field of the page would not run even if escaping failed.

References: W3C Content Security Policy Level 3 §2.3.1 (hash sources); Fetch §3.6
(X-Content-Type-Options); W3C Referrer Policy §3.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources

from markupsafe import Markup


def _asset(name: str) -> str:
    return resources.files("consumer_site").joinpath("static", name).read_text(encoding="utf-8")


PAGE_CSS = Markup(_asset("page.css"))
"""The pages' stylesheet, printed inside ``<style>`` exactly as hashed below."""
COUPON_JS = Markup(_asset("coupon.js"))
"""The coupon's copy button, printed inside ``<script>`` exactly as hashed below."""


def csp_hash(text: str) -> str:
    """A CSP hash source for an inline element whose content is ``text``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    f"style-src {csp_hash(PAGE_CSS)}",
    f"script-src {csp_hash(COUPON_JS)}",
    "img-src 'self' https: data:",  # product images may live on the brand's own HTTPS host
    "form-action 'self'",           # the loyalty signup posts to /signup here
    "base-uri 'none'",
    "frame-ancestors 'none'",       # no clickjacking of the coupon or the signup form
])

PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the page's URL carries the code's signature: never leak it onwards
}
"""Headers for every public HTML page."""

__all__ = ["CONTENT_SECURITY_POLICY", "COUPON_JS", "PAGE_CSS", "PAGE_HEADERS", "csp_hash"]
