"""The console's browser tests share the session's Chromium (tests/conftest.py) and one world."""

from __future__ import annotations

import pytest

from console_site import seed_console
from support.live_server import serve


@pytest.fixture
def console(runtime):
    """A live server; brand acme with six minted units in one case at a DC, verifications and an alert
    (see :func:`console_site.seed_console`). Yields (base URL, catalog, serials)."""
    with serve(runtime) as base:
        cat, serials = seed_console(runtime)
        yield base, cat, serials
