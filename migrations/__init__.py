"""Alembic migrations: the only way Tracemark's schema is created or changed.

They ship inside the installed package, so ``tracemark db upgrade`` works from any
working directory (see ``trace.db.migrate``).
"""

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).resolve().parent
