"""Dates as sources give them: a day, a month, a year, or an interval.

`2025-01-13` is one day; `2025-01` is the whole of January 2025; `2025` is the
whole year; `2024-12-20/2024-12-31` (ISO 8601 interval) is a window, and each
end may itself be a month or a year (`2024-11/2025-02`).  Every form becomes a
`DateSpan` with the first and last day it can mean, and keeps its text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PART = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


class DateError(ValueError):
    """A date that cannot be read; `offset` points into the text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True, order=True)
class DateSpan:
    """The first and last day a written date can mean, and the words."""

    start: date
    end: date
    text: str

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def days_between(self, other: DateSpan) -> int:
        """Smallest number of days between any day of self and any of other."""
        if self.end < other.start:
            return (other.start - self.end).days
        if other.end < self.start:
            return (self.start - other.end).days
        return 0

    def most_days_between(self, other: DateSpan) -> int:
        """Largest number of days between any day of self and any of other."""
        return (max(self.end, other.end) - min(self.start, other.start)).days

    def midpoint(self) -> date:
        return date.fromordinal((self.start.toordinal() + self.end.toordinal()) // 2)

    def __str__(self) -> str:
        return self.text


def parse_span(value: object) -> DateSpan:
    """Read a ledger date; raises DateError with an offset into the text."""
    if isinstance(value, date):
        return DateSpan(value, value, value.isoformat())
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DateError(f"expected a date like 2025-01-13, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise DateError("the date is empty")
    if "/" in text:
        left, _, right = text.partition("/")
        first = _part(left, 0)
        last = _part(right, len(left) + 1)
        if last[1] < first[0]:
            raise DateError(f"the interval ends ({right}) before it starts ({left})", len(left) + 1)
        return DateSpan(first[0], last[1], text)
    start, end = _part(text, 0)
    return DateSpan(start, end, text)


def _part(text: str, offset: int) -> tuple[date, date]:
    match = _PART.match(text)
    other = (
        -1  # an ASCII text has no other digits (the usual date: no search)
        if text.isascii()
        else next((at for at, char in enumerate(text) if char.isdigit() and not char.isascii()), -1)
    )
    if other >= 0:
        raise DateError(
            f"'{text}' is written with digits other than 0-9 ({text[other]!r}); "
            "write dates with the digits 0-9, e.g. 2025-01-13",
            offset + other,
        )
    if match is None:
        raise DateError(
            f"'{text}' is not a date; write 2025-01-13, 2025-01, 2025 or 2024-12-20/2024-12-31",
            offset,
        )
    year = int(match[1])
    if year < 1:
        raise DateError("year 0 does not exist", offset)
    if match[2] is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match[2])
    if not 1 <= month <= 12:
        raise DateError(f"month {month:02d} does not exist", offset + 5)
    last_day = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return date(year, month, 1), date(year, month, last_day)
    day = int(match[3])
    if not 1 <= day <= last_day:
        name = calendar.month_name[month]
        raise DateError(f"{name} {year} has {last_day} days, not {day}", offset + 8)
    one = date(year, month, day)
    return one, one


def shifted(day: date, days: int) -> date:
    """`day` moved by `days`, held at the calendar's ends (0001-01-01, 9999-12-31)
    instead of overflowing: a ledger may date a claim at either end."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
