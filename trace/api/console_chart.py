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


@dataclass(frozen=True, slots=True)
class StackedBar:
    """One day of a recall: the recovered part at the bottom, the outstanding part on top."""

    x: float
    width: float
    label: str
    recovered: int
    outstanding: int
    recovered_y: float
    recovered_height: float
    outstanding_y: float
    outstanding_height: float


def stacked(points: Sequence[tuple[str, int, int]], *, width: int = WIDTH, height: int = HEIGHT,
            min_slots: int = 14) -> tuple[StackedBar, ...]:
    """One bar per (label, recovered, outstanding), scaled so the tallest sum fills the plot.

    Bars are never wider than ``width / min_slots``: the first days of a recall are narrow
    bars from the left, not one bar across the chart."""
    if not points:
        return ()
    top = max(low + high for _, low, high in points) or 1
    slot = width / max(len(points), min_slots)
    room = height - AXIS
    out = []
    for i, (label, low, high) in enumerate(points):
        low_h, high_h = round(low / top * room, 2), round(high / top * room, 2)
        out.append(StackedBar(x=round(i * slot + slot * 0.1, 2), width=round(slot * 0.8, 2), label=label,
                              recovered=low, outstanding=high, recovered_y=round(room - low_h, 2),
                              recovered_height=low_h, outstanding_y=round(room - low_h - high_h, 2),
                              outstanding_height=high_h))
    return tuple(out)
