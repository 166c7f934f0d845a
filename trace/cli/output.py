"""Printing for the CLI: results on stdout, messages on stderr, JSON the same everywhere."""

from __future__ import annotations

import json
import sys
from typing import Any


def say(message: str) -> None:
    """A human message (stderr), so stdout stays clean for data and pipes."""
    print(message, file=sys.stderr)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
