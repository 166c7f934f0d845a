"""How CLI commands get the runtime: built once per invocation, schema checked first."""

from __future__ import annotations

from functools import lru_cache

from trace.db.migrate import current_revision, head_revision
from trace.errors import ConfigurationError
from trace.runtime import Runtime, build_runtime
from trace.settings import load_settings


@lru_cache(maxsize=1)
def runtime(*, check_schema: bool = True) -> Runtime:
    """The runtime from the environment; refuses to work on a database not yet upgraded."""
    built = build_runtime(load_settings())
    if check_schema:
        current = current_revision(built.settings.database_url)
        if current != head_revision():
            raise ConfigurationError(
                f"database schema is at {current or 'nothing'}, expected {head_revision()}: run `tracemark db upgrade`"
            )
    return built
