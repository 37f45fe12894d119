"""Chart models: which charts a timeline draws, their titles, and each claimant's
letter.  Pure; render/chart.py (terminal) and render/image.py (SVG, PNG) draw them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reconcile.reports.timeline import Panel, Timeline

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHART_CLAIMANTS = len(_ALPHABET)
"""Claimants drawn in one chart: one letter each.  A panel with more is drawn
as several charts on the same axes, so a letter never stands for two claimants."""


def chart_parts(panel: Panel) -> list[tuple[str, tuple[str, ...]]]:
    """A panel's charts: each one's title and its claimants (at most CHART_CLAIMANTS)."""
    claimants: tuple[str, ...] = panel.claimants
    period = " for a period (not running totals)" if getattr(panel, "period", False) else ""
    title = f"{panel.metric}{period} — {panel.subject}"
    if len(claimants) <= CHART_CLAIMANTS:
        return [(title, claimants)]
    return [
        (
            f"{title} (claimants {start + 1}–{start + len(part)} of {len(claimants)})",
            part,
        )
        for start in range(0, len(claimants), CHART_CLAIMANTS)
        for part in [claimants[start : start + CHART_CLAIMANTS]]
    ]


def charts_of(timeline: Timeline) -> list[tuple[Panel, str, tuple[str, ...]]]:
    """Every chart of a timeline, terminal or image: its panel, title and claimants."""
    return [(panel, title, part) for panel in timeline.panels for title, part in chart_parts(panel)]


def letters_of(claimants: Sequence[str]) -> dict[str, str]:
    """One letter per claimant of a chart, A to Z."""
    if len(claimants) > CHART_CLAIMANTS:
        raise ValueError(f"{len(claimants)} claimants in one chart; split with chart_parts")
    return dict(zip(claimants, _ALPHABET, strict=False))
