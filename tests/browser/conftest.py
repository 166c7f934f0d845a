"""Browser-test helpers (the shared ``browser`` fixture is in tests/conftest.py)."""

from support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE, phone_page, screenshot

__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "PHONE", "phone_page", "screenshot"]
