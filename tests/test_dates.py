"""Dates as sources give them: day, month, year, interval."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.core.dates import DateError, DateSpan, parse_span


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-01-13", date(2025, 1, 13), date(2025, 1, 13)),
        ("2025-01", date(2025, 1, 1), date(2025, 1, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2024-12-20/2024-12-31", date(2024, 12, 20), date(2024, 12, 31)),
        ("2024-11/2025-02", date(2024, 11, 1), date(2025, 2, 28)),
        ("2025-01-09/2025-03", date(2025, 1, 9), date(2025, 3, 31)),
    ],
)
def test_forms(text: str, start: date, end: date) -> None:
    span = parse_span(text)
    assert (span.start, span.end, span.text) == (start, end, text)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("2025-02-30", "February 2025 has 28 days, not 30", 8),
        ("2025-13-01", "month 13 does not exist", 5),
        ("13/01/2025", "'13' is not a date", 0),
        (
            "2025-01-31/2025-01-01",
            "the interval ends (2025-01-01) before it starts (2025-01-31)",
            11,
        ),
        ("", "the date is empty", 0),
        ("January 2025", "'January 2025' is not a date", 0),
        ("2025-1-3", "'2025-1-3' is not a date", 0),
    ],
)
def test_errors_say_what_and_where(text: str, message: str, offset: int) -> None:
    with pytest.raises(DateError) as caught:
        parse_span(text)
    assert caught.value.message.startswith(message)
    assert caught.value.offset == offset


def test_non_text_values() -> None:
    assert parse_span(date(2025, 1, 2)).text == "2025-01-02"
    assert parse_span(2025).end == date(2025, 12, 31)
    for value in (True, 3.5, None, [2025]):
        with pytest.raises(DateError):
            parse_span(value)


def test_days_between_and_midpoint() -> None:
    a, b = parse_span("2025-01-01/2025-01-10"), parse_span("2025-01-20")
    assert a.days_between(b) == b.days_between(a) == 10
    assert a.days_between(parse_span("2025-01-05")) == 0
    assert a.midpoint() == date(2025, 1, 5)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_interval_round_trip(one: date, two: date) -> None:
    first, last = min(one, two), max(one, two)
    span = parse_span(f"{first.isoformat()}/{last.isoformat()}")
    assert span == DateSpan(first, last, f"{first.isoformat()}/{last.isoformat()}")
    assert parse_span(first.isoformat()[:7]).start <= first <= parse_span(first.isoformat()[:7]).end


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_date_error(text: str) -> None:
    try:
        span = parse_span(text)
    except DateError:
        return
    assert span.start <= span.end
