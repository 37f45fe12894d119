"""Dates as articles write them: "on Wednesday", "last week", "ten days ago".

The ledger's own date grammar (`core.dates`) reads what a ledger writes; this
module reads the relative dates of prose, for `extract` and the checks that
compare a quote's words with an estimate's date.  `relative_as_of` resolves
them against the document's publication date (a day or an interval) into an
`as_of` interval, and keeps the words it read: "on Wednesday", "this Monday"
(the last such day on or before publication), "yesterday", "last week" (the
calendar week before), "last month", "at the end of December" (its last twelve
days, as the shipped ledger reads it), "on January 9" (the last 9 January on
or before publication), "earlier this month", "ten days ago", "two weeks ago"
(that day; that week, three days either side).  Anything else is left for a
person: no date is guessed from words it does not know.  Pure.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.core.dates import DateSpan

__all__ = ["Resolved", "relative_as_of"]

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WEEKDAY = re.compile(rf"^(?:on\s+|this\s+|last\s+)?({'|'.join(_DAYS)})$", re.I)
_END_OF = re.compile(
    rf"^(?:at\s+)?the\s+end\s+of\s+({'|'.join(_MONTHS)})(?:\s+([0-9]{{4}}))?$", re.I
)
_DAY_MONTH = re.compile(
    rf"^(?:on\s+)?(?:({'|'.join(_MONTHS)})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?"
    rf"|([0-9]{{1,2}})(?:st|nd|rd|th)?\s+({'|'.join(_MONTHS)}))$",
    re.I,
)


_AGO = re.compile(r"^([\w-]+)\s+(days?|weeks?)\s+ago$", re.I)
_COUNTS = {
    word: number
    for number, word in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=1,
    )
} | {"a": 1, "a couple of": 2}


@dataclass(frozen=True, slots=True)
class Resolved:
    """An as_of read from relative words: the interval and the words it came from."""

    as_of: str
    words: str


def relative_as_of(hints: tuple[str, ...], published: DateSpan | None) -> Resolved | None:
    """The first hint that resolves against the publication date, if any does."""
    if published is None:
        return None
    for hint in hints:
        words = " ".join(hint.split())
        spans = [_resolve(words, day) for day in _days(published.start, published.end)]
        if spans and all(span is not None for span in spans):
            starts = [span[0] for span in spans if span is not None]
            ends = [span[1] for span in spans if span is not None]
            low, high = min(starts), max(ends)
            text = low.isoformat() if low == high else f"{low.isoformat()}/{high.isoformat()}"
            return Resolved(text, words)
    return None


def _days(start: date, end: date) -> list[date]:
    """The possible publication days (at most 31 looked at: a month's worth)."""
    span = (end - start).days
    if span > 31:
        return []
    return [start + timedelta(days=offset) for offset in range(span + 1)]


def _resolve(words: str, day: date) -> tuple[date, date] | None:
    lowered = words.lower()
    if lowered in ("today", "tonight"):
        return day, day
    if lowered == "yesterday":
        return day - timedelta(days=1), day - timedelta(days=1)
    if match := _WEEKDAY.match(words):
        wanted = _DAYS.index(match.group(1).lower())
        back = (day.weekday() - wanted) % 7
        if lowered.startswith("last ") and back == 0:
            back = 7
        found = day - timedelta(days=back)
        return found, found
    if match := _AGO.match(words):
        word = match.group(1).lower()
        count = int(word) if word.isdigit() and len(word) <= 3 else _COUNTS.get(word)
        if count is None:
            return None
        if match.group(2).lower().startswith("day"):
            return day - timedelta(days=count), day - timedelta(days=count)
        middle = day - timedelta(weeks=count)  # "two weeks ago": that week, give or take
        return middle - timedelta(days=3), middle + timedelta(days=3)
    if lowered == "last week":
        monday = day - timedelta(days=day.weekday())
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if lowered == "last month":
        first = day.replace(day=1)
        previous = first - timedelta(days=1)
        return previous.replace(day=1), previous
    if lowered in ("earlier this month", "this month"):
        return day.replace(day=1), day
    if match := _END_OF.match(words):
        month = _MONTHS.index(match.group(1).lower()) + 1
        year = int(match.group(2)) if match.group(2) else _latest_year(day, month, 20)
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 20), date(year, month, last)
    if match := _DAY_MONTH.match(words):
        name = match.group(1) or match.group(4)
        number = int(match.group(2) or match.group(3))
        month = _MONTHS.index(name.lower()) + 1
        try:
            year = _latest_year(day, month, number)
            found = date(year, month, number)
        except ValueError:
            return None
        return found, found
    return None


def _latest_year(day: date, month: int, number: int) -> int:
    """The year of the last `month`/`number` on or before `day`."""
    return day.year if (month, number) <= (day.month, day.day) else day.year - 1
