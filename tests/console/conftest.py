"""The console's browser tests share the session's Chromium (tests/conftest.py)."""

from support import browser as browser_helpers

__all__ = ["browser_helpers"]
