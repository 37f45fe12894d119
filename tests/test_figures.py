"""The figure grammar: phrases, their intervals and best values, errors, formatting."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.core import figures
from reconcile.core.figure_text import format_figure, format_interval
from reconcile.core.figures import (
    MAX_COUNT,
    VAGUE,
    Figure,
    FigureError,
    Interval,
    Qualifier,
    parse_figure,
    stated_value,
)
from reconcile.core.numbers import find_numbers, format_count

Q = Qualifier
OPEN = None


def closed(low: int, high: int | None) -> Interval:
    return Interval(low, high)


@pytest.mark.parametrize(
    ("phrase", "qualifier", "interval", "best"),
    [
        ("3800", Q.EXACT, closed(3800, 3800), 3800),
        ("3,800", Q.EXACT, closed(3800, 3800), 3800),
        ("3 800", Q.EXACT, closed(3800, 3800), 3800),
        ("12 000", Q.EXACT, closed(12000, 12000), 12000),
        ("12\u00a0000", Q.EXACT, closed(12000, 12000), 12000),
        ("12\u2009000", Q.EXACT, closed(12000, 12000), 12000),
        ("12\u202f000", Q.EXACT, closed(12000, 12000), 12000),
        ("a thousand", Q.EXACT, closed(1000, 1000), 1000),
        ("two", Q.EXACT, closed(2, 2), 2),
        ("twelve thousand", Q.EXACT, closed(12000, 12000), 12000),
        ("3.8 thousand", Q.EXACT, closed(3800, 3800), 3800),
        ("  0  ", Q.EXACT, closed(0, 0), 0),
        ("about 3,800", Q.ABOUT, closed(3420, 4180), 3800),
        ("About 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("around 5", Q.ABOUT, closed(4, 6), 5),
        ("approximately 1,001", Q.ABOUT, closed(900, 1102), 1001),
        ("approx. 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("roughly 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("some 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("estimated 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("an estimated 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("~3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("~ 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("c. 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("circa 3800", Q.ABOUT, closed(3420, 4180), 3800),
        ("about 0", Q.ABOUT, closed(0, 0), 0),
        ("about a thousand", Q.ABOUT, closed(900, 1100), 1000),
        ("at least 300", Q.AT_LEAST, closed(300, OPEN), 300),
        ("no fewer than 300", Q.AT_LEAST, closed(300, OPEN), 300),
        ("no less than 300", Q.AT_LEAST, closed(300, OPEN), 300),
        ("300 or more", Q.AT_LEAST, closed(300, OPEN), 300),
        ("≥300", Q.AT_LEAST, closed(300, OPEN), 300),
        (">=300", Q.AT_LEAST, closed(300, OPEN), 300),
        ("more than 3,000", Q.MORE_THAN, Interval(3000, OPEN, low_closed=False), 3001),
        ("over 3000", Q.MORE_THAN, Interval(3000, OPEN, low_closed=False), 3001),
        ("upwards of 3000", Q.MORE_THAN, Interval(3000, OPEN, low_closed=False), 3001),
        ("in excess of 3000", Q.MORE_THAN, Interval(3000, OPEN, low_closed=False), 3001),
        (">3000", Q.MORE_THAN, Interval(3000, OPEN, low_closed=False), 3001),
        ("over a dozen", Q.MORE_THAN, Interval(12, OPEN, low_closed=False), 13),
        ("nearly 3,800", Q.NEARLY, Interval(3420, 3800, high_closed=False), 3799),
        ("almost 3800", Q.NEARLY, Interval(3420, 3800, high_closed=False), 3799),
        ("close to 3800", Q.NEARLY, Interval(3420, 3800, high_closed=False), 3799),
        ("just under 3800", Q.NEARLY, Interval(3420, 3800, high_closed=False), 3799),
        ("nearly 1,001", Q.NEARLY, Interval(901, 1001, high_closed=False), 1000),
        ("nearly 5", Q.NEARLY, Interval(4, 5, high_closed=False), 4),
        ("nearly 1", Q.NEARLY, Interval(0, 1, high_closed=False), 0),
        ("up to 3800", Q.UP_TO, closed(0, 3800), 3800),
        ("as many as 3800", Q.UP_TO, closed(0, 3800), 3800),
        ("at most 3800", Q.UP_TO, closed(0, 3800), 3800),
        ("≤3800", Q.UP_TO, closed(0, 3800), 3800),
        ("<=3800", Q.UP_TO, closed(0, 3800), 3800),
        ("fewer than 3800", Q.FEWER_THAN, Interval(0, 3800, high_closed=False), 3799),
        ("less than 3800", Q.FEWER_THAN, Interval(0, 3800, high_closed=False), 3799),
        ("under 3800", Q.FEWER_THAN, Interval(0, 3800, high_closed=False), 3799),
        ("<3800", Q.FEWER_THAN, Interval(0, 3800, high_closed=False), 3799),
        ("10,000-12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("10,000–12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("10 000–12 000", Q.RANGE, closed(10000, 12000), 11000),
        ("10,000 — 12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("10,000 to 12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("between 10,000 and 12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("from 10,000 to 12,000", Q.RANGE, closed(10000, 12000), 11000),
        ("between one hundred and two hundred", Q.RANGE, closed(100, 200), 150),
        ("3-4", Q.RANGE, closed(3, 4), 3),
        ("7-7", Q.RANGE, closed(7, 7), 7),
        ("dozens", Q.VAGUE, closed(24, 99), 36),
        ("Hundreds", Q.VAGUE, closed(200, 999), 300),
        ("several  hundred", Q.VAGUE, closed(300, 900), 500),
        ("thousands", Q.VAGUE, closed(2000, 9999), 3000),
        ("tens of thousands", Q.VAGUE, closed(20000, 99999), 30000),
        ("a handful", Q.VAGUE, closed(2, 9), 5),
    ],
)
def test_phrases(phrase: str, qualifier: Qualifier, interval: Interval, best: int) -> None:
    figure = parse_figure(phrase)
    assert (figure.qualifier, figure.interval, figure.best) == (qualifier, interval, best)
    assert figure.text == phrase
    assert figure.interval.contains(figure.best)


@pytest.mark.parametrize(
    ("phrase", "words", "numbers"),
    [
        ("3,800", "", (3800,)),
        (" About  3,800 ", "about", (3800,)),
        ("At  Least 300", "at least", (300,)),
        ("~3800", "~", (3800,)),
        ("c. 3800", "c.", (3800,)),
        ("300 or more", "or more", (300,)),
        ("10,000-12,000", "-", (10000, 12000)),
        ("10,000 – 12,000", "–", (10000, 12000)),
        ("10 to 12", "to", (10, 12)),
        ("Between 10 and 12", "between … and", (10, 12)),
        ("from 10 to 12", "from … to", (10, 12)),
        ("Several Hundred", "several hundred", ()),
        ("a few", "a few", ()),
    ],
)
def test_the_words_are_kept(phrase: str, words: str, numbers: tuple[int, ...]) -> None:
    figure = parse_figure(phrase)
    assert (figure.text, figure.words, figure.numbers) == (phrase, words, numbers)


def test_every_vague_word_has_a_sound_interval() -> None:
    for phrase, (low, high, best) in VAGUE.items():
        figure = parse_figure(phrase.upper())
        assert figure.qualifier is Q.VAGUE
        assert figure.interval == Interval(low, high)
        assert low <= best <= high
        assert figure.numbers == ()
        assert format_figure(figure) == phrase


def test_integers() -> None:
    figure = parse_figure(3800)
    assert figure == Figure("3800", Q.EXACT, "", (3800,), Interval(3800, 3800), 3800)
    assert parse_figure(MAX_COUNT).best == MAX_COUNT


@pytest.mark.parametrize(
    ("value", "message", "offset"),
    [
        ("", "empty figure: write a number (3800) or a phrase ('about 3,800')", 0),
        ("   ", "empty figure: write a number (3800) or a phrase ('about 3,800')", 0),
        (-5, "a count cannot be negative", 0),
        ("-5", "a count cannot be negative", 0),
        ("about -5", "a count cannot be negative", 6),
        (True, "a figure is a count, not True: write a number such as 3800", 0),
        (False, "a figure is a count, not False: write a number such as 3800", 0),
        (10**12 + 1, "implausibly large: 1,000,000,000,000 is the largest figure accepted", 0),
        (
            "1,000,000,000,001",
            "implausibly large: 1,000,000,000,000 is the largest figure accepted",
            0,
        ),
        (
            "about " + "9" * 500,
            "implausibly large: 1,000,000,000,000 is the largest figure accepted",
            6,
        ),
        ("3.5", "'3.5' is not a whole number (write thousands as 3,800 or 3.8 thousand)", 0),
        (
            "about 3,800.5",
            "'3,800.5' is not a whole number (write thousands as 3,800 or 3.8 thousand)",
            6,
        ),
        ("3.8k", "'3.8' is not a whole number (write thousands as 3,800 or 3.8 thousand)", 0),
        ("3800km", "'3800km' is not a number: keep units and words for the notes", 0),
        ("12,34,567", "cannot read '12,34,567': group digits in threes (3,800 or 3 800)", 0),
        ("roughy 3800", "unknown qualifier 'roughy' (did you mean 'roughly'?)", 0),
        ("  at lest 300", "unknown qualifier 'at lest' (did you mean 'at least'?)", 2),
        ("killed 300", "unknown qualifier 'killed'", 0),
        (
            "hundrets",
            "'hundrets' is not a figure (did you mean 'hundreds'?): "
            "write e.g. 3800 or 'about 3,800'",
            0,
        ),
        ("soldiers", "'soldiers' is not a figure: write e.g. 3800 or 'about 3,800'", 0),
        (
            "about 3800 soldiers",
            "unexpected 'soldiers' after the figure: keep only the figure here ('about 3800') "
            "and put other words in the notes",
            11,
        ),
        (
            "hundreds of soldiers",
            "unexpected 'of' after the figure: keep only the figure here ('hundreds') "
            "and put other words in the notes",
            9,
        ),
        (
            "2024 12",
            "unexpected '12' after the figure: keep only the figure here ('2024') "
            "and put other words in the notes",
            5,
        ),
        ("about", "expected a number after 'about'", 5),
        ("about soldiers", "expected a number after 'about', not 'soldiers'", 6),
        ("about hundreds", "a vague amount takes no qualifier: write 'hundreds' alone", 6),
        ("#3", "expected a number at '#'", 0),
        (
            "12,000-10,000",
            "the range ends below where it starts (10,000 < 12,000): "
            "write the smaller number first",
            7,
        ),
        (
            "between 12 and 10",
            "the range ends below where it starts (10 < 12): write the smaller number first",
            15,
        ),
        (
            "more than 10-12",
            "'more than' cannot apply to a range: write the range alone "
            "(e.g. '10,000-12,000') and put 'more than' in the notes",
            0,
        ),
        (
            "85,600 (99,600-75,600)",
            "the range ends below where it starts (75,600 < 99,600): "
            "write the smaller number first",
            15,
        ),
        ("85,600 (1-2)", "the central value 85,600 lies outside its range 1-2", 0),
        ("85,600 (1-200000", "expected ')' to close the range", 16),
        ("85,600 (1)", "expected a range in the brackets, e.g. '85,600 (75,600-99,600)'", 9),
        ("between 10 or 12", "expected 'and' and a second number here", 10),
        ("from 10", "expected 'to' and a second number here", 7),
        ("fewer than 0", "'fewer than 0' allows no count at all: a count cannot be negative", 11),
        ("nearly zero", "'nearly 0' allows no count at all: a count cannot be negative", 7),
    ],
)
def test_errors(value: int | str, message: str, offset: int) -> None:
    with pytest.raises(FigureError) as caught:
        parse_figure(value)
    assert (caught.value.message, caught.value.offset) == (message, offset)
    assert str(caught.value) == message


def test_a_float_is_refused() -> None:
    with pytest.raises(FigureError, match="not a whole number"):
        parse_figure(3.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("phrase", "reporter"),
    [
        ("3800", "3,800"),
        ("about 3800", "~3,800"),
        ("at least 300", "≥300"),
        ("300 or more", "≥300"),
        ("more than 3000", ">3,000"),
        ("nearly 3800", "nearly 3,800"),
        ("fewer than 3800", "<3,800"),
        ("up to 3800", "≤3,800"),
        ("between 10000 and 12000", "10,000–12,000"),
        ("Hundreds", "hundreds"),
    ],
)
def test_format_figure(phrase: str, reporter: str) -> None:
    assert format_figure(parse_figure(phrase)) == reporter


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(3800, 3800), "3,800"),
        (Interval(3420, 4180), "3,420–4,180"),
        (Interval(300, None), "≥300"),
        (Interval(3000, None, low_closed=False), ">3,000"),
        (Interval(0, 3800, high_closed=False), "<3,800"),
        (Interval(0, 3800), "≤3,800"),
        (Interval(3420, 3800, high_closed=False), "3,420–<3,800"),
        (Interval(3000, 4000, low_closed=False), ">3,000–4,000"),
        (Interval(4, 6, False, False), "5"),
        (Interval(0, None), "≥0"),
        (Interval(5, 4), "∅"),
    ],
)
def test_format_interval(interval: Interval, text: str) -> None:
    assert format_interval(interval) == text


def test_interval_ends() -> None:
    more_than = Interval(3000, None, low_closed=False)
    nearly = Interval(3420, 3800, high_closed=False)
    assert not more_than.contains(3000)
    assert more_than.contains(3001)
    assert more_than.contains(10**15)
    assert nearly.contains(3420)
    assert nearly.contains(3799)
    assert not nearly.contains(3800)
    assert not nearly.overlaps(Interval(3800, 4000))
    assert nearly.overlaps(Interval(3799, 4000))
    assert not Interval(0, 3000).overlaps(more_than)
    assert Interval(0, 3001).overlaps(more_than)
    assert nearly.entirely_below(Interval(3800, 3800))
    assert not Interval(0, 3800).entirely_below(Interval(3800, 3800))
    assert Interval(7, 7).is_exact()
    assert Interval(6, 8, False, False).is_exact()
    assert not Interval(7, None).is_exact()
    assert not Interval(7, 8).is_exact()


def test_interval_sum() -> None:
    killed, wounded = Interval(100, 200), Interval(300, None)
    assert killed + wounded == Interval(400, None)
    assert killed + Interval(10, 20) == Interval(110, 220)
    more_than = Interval(100, None, low_closed=False)
    assert more_than + Interval(200, 200) == Interval(300, None, low_closed=False)
    # both open: the least possible sum is 101 + 201 = 302, i.e. more than 301
    assert more_than + Interval(200, None, low_closed=False) == Interval(
        301, None, low_closed=False
    )
    fewer = Interval(0, 100, high_closed=False)
    assert fewer + Interval(0, 50) == Interval(0, 150, high_closed=False)
    # 99 + 99 = 198 at most, i.e. fewer than 199
    assert fewer + fewer == Interval(0, 199, high_closed=False)


def test_empty_intervals_are_handled() -> None:
    empty = Interval(5, 5, high_closed=False)
    assert not empty.contains(5)
    assert not empty.overlaps(empty)
    assert not empty.is_exact()
    assert not empty.entirely_below(Interval(10, 10))
    assert format_interval(empty + Interval(1, 2)) == "∅"


# -- properties ------------------------------------------------------------------------

SPACES = [" ", "\u00a0", "\u2009", "\u202f"]


def expected_interval(qualifier: Qualifier, n: int) -> Interval:
    """The documented conventions, computed independently with exact fractions."""
    tenth = Fraction(n, 10)
    if qualifier is Q.ABOUT:
        return Interval(math.floor(n - tenth), math.ceil(n + tenth))
    if qualifier is Q.NEARLY:
        return Interval(min(math.ceil(n - tenth), n - 1), n, high_closed=False)
    return {
        Q.EXACT: Interval(n, n),
        Q.AT_LEAST: Interval(n, None),
        Q.MORE_THAN: Interval(n, None, low_closed=False),
        Q.UP_TO: Interval(0, n),
        Q.FEWER_THAN: Interval(0, n, high_closed=False),
    }[qualifier]


TEMPLATES: list[tuple[str, Qualifier]] = [
    ("{}", Q.EXACT),
    *((f"{word} {{}}", Q.ABOUT) for word in ["about", "around", "approximately", "approx.",
                                              "roughly", "some", "estimated", "an estimated",
                                              "c.", "circa"]),
    ("~{}", Q.ABOUT),
    *((f"{word} {{}}", Q.AT_LEAST) for word in ["at least", "no fewer than", "no less than"]),
    ("{} or more", Q.AT_LEAST),
    ("≥{}", Q.AT_LEAST),
    (">={}", Q.AT_LEAST),
    *((f"{word} {{}}", Q.MORE_THAN) for word in ["more than", "over", "upwards of",
                                                  "in excess of"]),
    (">{}", Q.MORE_THAN),
    *((f"{word} {{}}", Q.NEARLY) for word in ["nearly", "almost", "close to", "just under"]),
    *((f"{word} {{}}", Q.UP_TO) for word in ["up to", "as many as", "at most"]),
    ("≤{}", Q.UP_TO),
    ("<={}", Q.UP_TO),
    *((f"{word} {{}}", Q.FEWER_THAN) for word in ["fewer than", "less than", "under"]),
    ("<{}", Q.FEWER_THAN),
]  # fmt: skip
CANONICAL = {
    Q.EXACT: "{}", Q.ABOUT: "about {}", Q.AT_LEAST: "at least {}", Q.MORE_THAN: "more than {}",
    Q.NEARLY: "nearly {}", Q.UP_TO: "up to {}", Q.FEWER_THAN: "fewer than {}",
}  # fmt: skip
RANGES = ["{}-{}", "{}–{}", "{} — {}", "{} to {}", "between {} and {}", "from {} to {}"]

STYLES: list[Callable[[int], str]] = [
    str,
    format_count,
    *(lambda n, s=space: format_count(n).replace(",", s) for space in SPACES),
]
counts = st.integers(1, 10**9)
styles = st.sampled_from(STYLES)


@given(st.sampled_from(TEMPLATES), counts, styles, st.sampled_from(["", " ", "\t"]))
def test_every_phrase_reads_as_its_canonical_form(
    template: tuple[str, Qualifier], n: int, style: Callable[[int], str], pad: str
) -> None:
    phrase, qualifier = template
    figure = parse_figure(pad + phrase.format(style(n)) + pad)
    canonical = parse_figure(CANONICAL[qualifier].format(n))
    assert figure.qualifier is qualifier
    assert figure.numbers == (n,)
    assert figure.interval == canonical.interval == expected_interval(qualifier, n)
    assert figure.best == canonical.best
    assert figure.interval.contains(figure.best)


@given(st.sampled_from(RANGES), counts, counts, styles, styles)
def test_every_range_reads_as_its_canonical_form(
    template: str, a: int, b: int, style_a: Callable[[int], str], style_b: Callable[[int], str]
) -> None:
    low, high = min(a, b), max(a, b)
    figure = parse_figure(template.format(style_a(low), style_b(high)))
    assert figure.qualifier is Q.RANGE
    assert figure.numbers == (low, high)
    assert figure.interval == Interval(low, high)
    assert figure.best == (low + high) // 2
    if low < high:
        with pytest.raises(FigureError) as caught:
            parse_figure(template.format(style_a(high), style_b(low)))
        assert caught.value.message.startswith("the range ends below where it starts")


@given(st.sampled_from(TEMPLATES), counts)
def test_format_figure_round_trips(template: tuple[str, Qualifier], n: int) -> None:
    figure = parse_figure(template[0].format(n))
    again = parse_figure(format_figure(figure))
    # 'nearly N' prints in its own words (not '<N'), so every form reads back as itself
    assert (again.qualifier, again.interval, again.best) == (
        figure.qualifier, figure.interval, figure.best
    )  # fmt: skip


@given(counts, counts, st.sampled_from(sorted(VAGUE)))
def test_ranges_and_vague_words_round_trip(a: int, b: int, vague: str) -> None:
    for phrase in (f"{min(a, b)}-{max(a, b)}", vague):
        figure = parse_figure(phrase)
        again = parse_figure(format_figure(figure))
        assert (again.qualifier, again.interval, again.best) == (
            figure.qualifier, figure.interval, figure.best
        )  # fmt: skip


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    low = draw(st.integers(0, 1000))
    low_closed = draw(st.booleans())
    high = draw(st.none() | st.integers(low, low + 1000))
    high_closed = draw(st.booleans())
    if high is not None and (not low_closed or not high_closed):
        high += 2  # keep it non-empty
    return Interval(low, high, low_closed, high_closed)


def members(interval: Interval, cap: int = 3000) -> set[int]:
    return {v for v in range(cap) if interval.contains(v)}


@given(intervals(), intervals())
def test_interval_properties(a: Interval, b: Interval) -> None:
    assert a.overlaps(a)
    assert a.overlaps(b) == b.overlaps(a)
    assert a.overlaps(b) == bool(members(a) & members(b))
    if a.entirely_below(b):
        assert not a.overlaps(b)
        assert max(members(a)) < min(members(b))
    total = a + b
    if a.low_closed and b.low_closed:
        assert total.low == a.low + b.low
    assert min(members(total, 7000)) == min(members(a)) + min(members(b))
    assert (total.high is None) == (a.high is None or b.high is None)
    if total.high is not None:
        assert max(members(total, 7000)) == max(members(a)) + max(members(b))
    assert a.is_exact() == (len(members(a)) == 1 and a.high is not None)


@given(intervals(), st.integers(0, 3000))
def test_format_interval_is_consistent(interval: Interval, n: int) -> None:
    text = format_interval(interval)
    assert text
    if interval.is_exact():
        assert text == format_count(min(members(interval)))
    if interval.high is None:
        assert text[0] in "≥>"


_PIECES = [*"0123456789 ,.-–~<>=≥≤", "about ", "at least ", "between ", " and ", " to ",
           "hundreds", " or more", "a thousand", "\u00a0", "nearly ", "ſ", "\n"]  # fmt: skip


@settings(deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)))
def test_arbitrary_text_raises_only_figure_error(text: str) -> None:
    problem: FigureError | None = None
    try:
        figure = parse_figure(text)
    except FigureError as error:
        problem = error
    else:
        assert figure.text == text
        assert figure.interval.contains(figure.best)
        assert figure.interval.low >= 0
        assert all(0 <= n <= MAX_COUNT for n in figure.numbers)
    if problem is not None:
        assert 0 <= problem.offset <= len(text)
        assert problem.message


@given(st.integers(-(10**13), 10**13))
def test_any_integer(value: int) -> None:
    if 0 <= value <= MAX_COUNT:
        assert parse_figure(value).interval == Interval(value, value)
    else:
        with pytest.raises(FigureError):
            parse_figure(value)


def test_huge_phrases_are_safe() -> None:
    with pytest.raises(FigureError) as caught:
        parse_figure("about " + " and " * 190)
    assert caught.value.offset == 7
    with pytest.raises(FigureError):
        parse_figure("between 1" + " and 1" * 160)
    # longer than any figure: refused before the grammar reads it (issue 12)
    with pytest.raises(FigureError) as caught:
        parse_figure("about " + " and " * 200_000)
    assert (caught.value.message, caught.value.offset) == (
        "a figure of 1,000,006 characters; a figure is at most 1000 "
        "(a number and its qualifier: 'more than 3,800')",
        0,
    )


_DIGIT_PIECES = [*"0123456789", ",", " ", "\u00a0", "\t", ".", "x"]


@given(st.lists(st.sampled_from(_DIGIT_PIECES), min_size=1, max_size=24).map("".join))
def test_the_plain_digits_shortcut_reads_as_the_number_finder(text: str) -> None:
    # The figure grammar takes a shortcut for a phrase ending in plain digits;
    # what it reads must be what `find_numbers` reads (its general path).
    shortcut = figures._FINAL_DIGITS.match(text)
    if shortcut is None:
        return
    found = find_numbers(text)
    assert found, text
    assert (found[0].start, found[0].end) == (0, shortcut.end())
    assert found[0].value == int(shortcut.group().replace(",", ""))


_PHRASE_PIECES = [*figures._PREFIXES, *VAGUE, " ", "  ", "\u00a0", "ſ", "S", "3", ".", "-"]


@given(
    st.lists(st.sampled_from(_PHRASE_PIECES), min_size=1, max_size=6).map("".join),
    st.booleans(),
)
def test_one_pattern_finds_the_phrase_the_longest_first_loop_finds(text: str, upper: bool) -> None:
    text = text.upper() if upper else text
    for phrases in (figures._PREFIX_ANY, figures._VAGUE_ANY):
        expected = next(
            (
                (match.end(), phrase)
                for phrase in phrases.phrases
                if (match := re.compile(figures.phrase_pattern(phrase), re.I).match(text))
            ),
            None,
        )
        found = phrases.match(text, 0)
        assert (None if found is None else (found[0].end(), found[1])) == expected, text


@pytest.mark.parametrize(
    ("text", "interval", "best", "shown"),
    [
        ("an estimated 85,600 (75,600–99,600)", Interval(75_600, 99_600), 85_600,
         "85,600 (75,600–99,600)"),
        ("85600 (75600-99600)", Interval(75_600, 99_600), 85_600, "85,600 (75,600–99,600)"),
        ("an estimated 10,000 to 12,000", Interval(10_000, 12_000), 11_000, "10,000–12,000"),
        ("about 10,000-12,000", Interval(10_000, 12_000), 11_000, "10,000–12,000"),
        ("approaching 5,000", Interval(4_500, 5_000, high_closed=False), 4_999,
         "approaching 5,000"),
        ("almost 2 700", Interval(2_430, 2_700, high_closed=False), 2_699, "almost 2,700"),
        ("fewer than 2,700", Interval(0, 2_700, high_closed=False), 2_699, "<2,700"),
    ],
)  # fmt: skip
def test_central_values_ranges_after_a_qualifier_and_approaching(
    text: str, interval: Interval, best: int, shown: str
) -> None:
    figure = parse_figure(text)
    assert (figure.interval, figure.best, format_figure(figure)) == (interval, best, shown)
    assert figure.text == text


@pytest.mark.parametrize(
    ("text", "stated"),
    [("more than 10,000", 10_000), ("nearly 2,700", 2_700), ("≥300", 300), ("3,800", 3_800),
     ("85,600 (75,600-99,600)", 85_600), ("10,000-12,000", 11_000), ("hundreds", 300)],
)  # fmt: skip
def test_stated_value_is_the_number_said(text: str, stated: int) -> None:
    assert stated_value(parse_figure(text)) == stated
