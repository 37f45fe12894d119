"""Dates as prose writes them (core/prose_dates.py): the reader extract's drafts use,
and the dates a quote states, which the check `as-of-not-in-quote` holds to as_of."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.core.prose_dates import date_from_hints, month_number, stated_dates

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
YEARS = st.integers(min_value=1900, max_value=2099)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


def spans(text: str) -> list[tuple[str, date, date]]:
    return [(d.words, d.span.start, d.span.end) for d in stated_dates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2023, 300 soldiers were killed", [("In 2023", date(2023, 1, 1), date(2023, 12, 31))]),
        ("killed in 2023 alone", [("in 2023", date(2023, 1, 1), date(2023, 12, 31))]),
        ("during 2024 the toll rose", [("during 2024", date(2024, 1, 1), date(2024, 12, 31))]),
        ("as of 2025, 300 dead", [("as of 2025", date(2025, 1, 1), date(2025, 12, 31))]),
        ("at the end of 2024", [("the end of 2024", date(2024, 1, 1), date(2024, 12, 31))]),
        ("In November 2024, he", [("November 2024", date(2024, 11, 1), date(2024, 11, 30))]),
        ("in early January 2025", [("January 2025", date(2025, 1, 1), date(2025, 1, 31))]),
        ("in Feb. 2024", [("Feb. 2024", date(2024, 2, 1), date(2024, 2, 29))]),
        ("On January 9, 2025, he", [("January 9, 2025", date(2025, 1, 9), date(2025, 1, 9))]),
        ("on Oct. 24, 2024 they", [("Oct. 24, 2024", date(2024, 10, 24), date(2024, 10, 24))]),
        ("13 January 2025", [("13 January 2025", date(2025, 1, 13), date(2025, 1, 13))]),
        ("the 9th of May 2024", [("9th of May 2024", date(2024, 5, 9), date(2024, 5, 9))]),
        ("dated 2024-12-20.", [("2024-12-20", date(2024, 12, 20), date(2024, 12, 20))]),
        (
            "in 2023 and in 2024",
            [
                ("in 2023", date(2023, 1, 1), date(2023, 12, 31)),
                ("in 2024", date(2024, 1, 1), date(2024, 12, 31)),
            ],
        ),
    ],
)
def test_dates_a_text_states(text: str, expected: list[tuple[str, date, date]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the 2022 invasion killed thousands",
        "in the 2022 invasion",
        "in 2022's invasion",
        "since 2022, some 300 died",
        "since the full-scale invasion in February 2022, 300 died",
        "a soldier born in 1990 said",
        "Zelensky, elected in 2019, said 300 died",
        "by the end of 2024 they expect 300",  # a forecast
        "2,025 soldiers were killed",
        "in 2,025 cases",
        "killed in 2000 strikes",
        "in 12 025 cases",
        "they may 2024",  # a verb, not a month
        "on January 9 two were captured",  # no year: the check does not guess one
        "last week 300 died",
        "in 2022-23",
        "31 February 2024",  # not a day
        "from 2022 to 2024",
        "in 2023 officials said",  # read as a count ("in 2000 strikes"): it errs to less
    ],
)
def test_what_is_not_a_stated_date(text: str) -> None:
    assert spans(text) == []


@given(YEARS, st.sampled_from(["In", "in", "during", "throughout", "as of", "the end of"]))
def test_a_year_after_a_date_word_is_that_year(year: int, word: str) -> None:
    text = f"Officials said {word} {year}, 300 soldiers were killed."
    assert spans(text) == [(f"{word} {year}", date(year, 1, 1), date(year, 12, 31))]


@given(YEARS, st.sampled_from(["the {} invasion", "since {}", "born in {}", "a {} report"]))
def test_a_year_naming_something_else_is_not_a_date(year: int, form: str) -> None:
    assert spans(f"Officials said {form.format(year)} 300 soldiers were killed.") == []


@given(st.integers(min_value=1000, max_value=999_999_999), st.sampled_from(["in ", "", "In "]))
def test_a_figure_is_never_a_year(number: int, before: str) -> None:
    """Grouped with commas or spaces, or as a decimal, a count is never read as a year."""
    for written in (f"{number:,}", f"{number:,}".replace(",", " "), f"{number}.5"):
        assert spans(f"Officials said {before}{written} soldiers were killed.") == []


@given(DAYS)
def test_a_full_date_is_that_day_in_every_form(day: date) -> None:
    month = MONTHS[day.month - 1]
    for text in (
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        f"{month[:3]}. {day.day}, {day.year}",
        day.isoformat(),
    ):
        found = spans(f"Officials said on {text} that 300 soldiers were killed.")
        assert [(start, end) for _, start, end in found] == [(day, day)], text


@given(YEARS, st.integers(min_value=1, max_value=12))
def test_a_month_and_year_is_that_month(year: int, month: int) -> None:
    found = spans(f"In {MONTHS[month - 1]} {year} the toll rose.")
    assert len(found) == 1
    assert (found[0][1].year, found[0][1].month, found[0][1].day) == (year, month, 1)
    assert found[0][2].month == month and found[0][2].year == year


def test_the_draft_reader_moved_with_its_grammar() -> None:
    """extract's drafts read hints with the same month names (moved from authoring/)."""
    assert date_from_hints(("January 9, 2025",)) == "2025-01-09"
    assert date_from_hints(("13 Jan 2025",)) == "2025-01-13"
    assert date_from_hints(("late December 2024",)) == "2024-12"
    assert date_from_hints(("on Wednesday", "2025-02-30")) is None
    assert month_number("Sept") == 9
    assert month_number("Ma") is None
