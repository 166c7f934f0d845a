"""The console's browser tests share the Chromium fixture of tests/browser."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("browser_helpers", Path(__file__).parents[1] / "browser" / "conftest.py")
browser_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_helpers)
browser = browser_helpers.browser
