"""Consistency within one estimate: parts, totals and those deployed agree.

Shared by the `part-exceeds-total`, `sum-mismatch` and `exceeds-deployed`
checks (which report them as warnings) and the discrepancies report (which
lists them as findings about a claim).

Only what must be wrong is reported: a part is "above" a total when every
value the part's words allow exceeds every value the total's words allow.
"""

from __future__ import annotations

from reconcile.core.figure_text import format_figure
from reconcile.core.figures import Figure
from reconcile.core.models import Estimate, Metric

_PARTS = (Metric.KILLED, Metric.WOUNDED)
_AT_MOST_DEPLOYED = (
    Metric.CASUALTIES,
    Metric.KILLED,
    Metric.WOUNDED,
    Metric.CAPTURED,
    Metric.MISSING,
)


def problems(estimate: Estimate) -> list[tuple[str, Metric, str]]:
    """(check id, metric to point at, message) for each inconsistency."""
    return figure_problems(estimate.figures())


def figure_problems(figures: dict[Metric, Figure]) -> list[tuple[str, Metric, str]]:
    """The same for any set of figures given together (an estimate's, or a report's)."""
    found: list[tuple[str, Metric, str]] = []
    total = figures.get(Metric.CASUALTIES)
    if total is not None:
        for part in _PARTS:
            figure = figures.get(part)
            if figure is not None and _above(figure, total):
                found.append(
                    (
                        "part-exceeds-total",
                        part,
                        f"{part} ({format_figure(figure)}) is above casualties "
                        f"({format_figure(total)}), which count killed and wounded together",
                    )
                )
        killed, wounded = figures.get(Metric.KILLED), figures.get(Metric.WOUNDED)
        if (
            killed is not None
            and wounded is not None
            and not (killed.interval + wounded.interval).overlaps(total.interval)
        ):
            found.append(
                (
                    "sum-mismatch",
                    Metric.CASUALTIES,
                    f"killed ({format_figure(killed)}) + wounded ({format_figure(wounded)}) "
                    f"cannot make casualties ({format_figure(total)})",
                )
            )
    deployed = figures.get(Metric.DEPLOYED)
    if deployed is not None:
        for metric in _AT_MOST_DEPLOYED:
            figure = figures.get(metric)
            if figure is not None and _above(figure, deployed):
                found.append(
                    (
                        "exceeds-deployed",
                        metric,
                        f"{metric} ({format_figure(figure)}) is above those deployed "
                        f"({format_figure(deployed)})",
                    )
                )
    return found


def _above(part: Figure, whole: Figure) -> bool:
    return whole.interval.entirely_below(part.interval)
