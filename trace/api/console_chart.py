"""Bar-chart geometry for server-rendered SVG (no JavaScript, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, AXIS = 600, 160, 18


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


def bars(points: Sequence[tuple[str, int]], *, width: int = WIDTH, height: int = HEIGHT) -> tuple[Bar, ...]:
    """One bar per (label, value), scaled so the largest fills ``height`` minus the axis row."""
    if not points:
        return ()
    top = max(value for _, value in points) or 1
    slot = width / len(points)
    room = height - AXIS
    return tuple(Bar(x=round(i * slot + slot * 0.1, 2), y=round(room - value / top * room, 2),
                     width=round(slot * 0.8, 2), height=round(value / top * room, 2), label=label, value=value)
                 for i, (label, value) in enumerate(points))
