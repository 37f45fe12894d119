"""Figures written back as a reporter would write them: "~3,800", "at least 300",
"2,700–3,000"."""

from __future__ import annotations

from reconcile.core.figures import Figure, Interval
from reconcile.core.figures import Qualifier as _Q
from reconcile.core.numbers import format_count


def format_figure(figure: Figure) -> str:
    """Reporter style: 3,800 ~3,800 ≥300 >3,000 <3,800 ≤3,800 10,000–12,000 hundreds.

    'fewer than N' prints as <N and 'nearly N' in its own words ('almost 2,700'), as
    '<' would read as "fewer than"; a central value keeps its range, '85,600
    (75,600–99,600)'; vague amounts print their words.
    """
    numbers = figure.numbers
    if figure.qualifier is _Q.VAGUE or not numbers:
        return figure.words or format_interval(figure.interval)
    if figure.qualifier is _Q.RANGE:
        span = "–".join(format_count(n) for n in numbers[:2])
        return f"{format_count(numbers[2])} ({span})" if len(numbers) == 3 else span
    if figure.qualifier is _Q.NEARLY:  # "<2,700" would read as "fewer than"
        return f"{figure.words} {format_count(numbers[0])}"
    symbol = {_Q.ABOUT: "~", _Q.AT_LEAST: "≥", _Q.MORE_THAN: ">", _Q.UP_TO: "≤",
              _Q.FEWER_THAN: "<"}.get(figure.qualifier, "")  # fmt: skip
    return symbol + format_count(numbers[0])


def format_interval(interval: Interval) -> str:
    """3,800 · 3,420–4,180 · ≥300 · >3,000 · ≤3,800 · <3,800 · 3,420–<3,800 · >3,000–4,000 · ∅.

    '<' and '>' mark an open end, which the number itself is not part of.
    """
    if interval._empty():
        return "∅"
    low = format_count(interval.low)
    if interval.high is None:
        return ("≥" if interval.low_closed else ">") + low
    if interval.is_exact():
        return format_count(interval._first())
    high = ("" if interval.high_closed else "<") + format_count(interval.high)
    if interval.low == 0 and interval.low_closed:
        return high if high.startswith("<") else "≤" + high
    return ("" if interval.low_closed else ">") + low + "–" + high
