"""Finding numbers in text: every written form, nothing that is not a count."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.core.numbers import MAX_DIGITS, NumberMention, find_numbers, format_count, mentions

SPACES = [" ", "\u00a0", "\u2009", "\u202f"]
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int) -> str:
    """English words for 0 <= n < 10**9, written independently of the code under test."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[units]}" if units else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {in_words(rest)}" if rest else "")
    scale, name = (10**6, "million") if n >= 10**6 else (10**3, "thousand")
    head, rest = divmod(n, scale)
    return f"{in_words(head)} {name}" + (f" {in_words(rest)}" if rest else "")


def found(text: str) -> list[tuple[int, str]]:
    return [(m.value, m.text) for m in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3800 killed", [(3800, "3800")]),
        ("3,800 killed", [(3800, "3,800")]),
        ("12,000 and 1,234,567", [(12000, "12,000"), (1234567, "1,234,567")]),
        ("3 800 killed", [(3800, "3 800")]),
        ("12 000 000 troops", [(12000000, "12 000 000")]),
        ("0 dead", [(0, "0")]),
        ("2025 300", [(2025, "2025"), (300, "300")]),
        ("in 2024 12 were", [(2024, "2024"), (12, "12")]),
        ("3 8000", [(3, "3"), (8000, "8000")]),
        ("1 000 1234", [(1000, "1 000"), (1234, "1234")]),
        ("1,234,56", []),
    ],
)
def test_digit_forms(text: str, expected: list[tuple[int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("space", SPACES)
def test_every_grouping_space(space: str) -> None:
    text = f"about 3{space}800 and 1{space}234{space}567"
    assert found(text) == [(3800, f"3{space}800"), (1234567, f"1{space}234{space}567")]


def test_one_kind_of_space_per_number() -> None:
    assert found("1 000\u00a0000") == [(1000, "1 000"), (0, "000")]


def test_a_newline_does_not_group() -> None:
    assert found("3\n800") == [(3, "3"), (800, "800")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one", 1),
        ("Seven", 7),
        ("NINETEEN", 19),
        ("twenty", 20),
        ("ninety", 90),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("a hundred", 100),
        ("one hundred", 100),
        ("two hundred", 200),
        ("two hundred and fifty", 250),
        ("twelve hundred", 1200),
        ("a thousand", 1000),
        ("A Thousand", 1000),
        ("one thousand", 1000),
        ("twelve thousand", 12000),
        ("a hundred thousand", 100000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("a million", 1_000_000),
        ("one million two hundred thousand", 1_200_000),
        ("zero", 0),
    ],
)
def test_number_words(text: str, value: int) -> None:
    assert found(f"they said {text} died") == [(value, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.8 thousand", [(3800, "3.8 thousand")]),
        ("12 thousand", [(12000, "12 thousand")]),
        ("1.5 million", [(1_500_000, "1.5 million")]),
        ("3,800 thousand", [(3_800_000, "3,800 thousand")]),
        ("12 hundred", [(1200, "12 hundred")]),
        ("1.2345 thousand", []),
        ("3.5", []),
    ],
)
def test_scale_words(text: str, expected: list[tuple[int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10,000-12,000", [(10000, "10,000"), (12000, "12,000")]),
        ("10 000–12 000", [(10000, "10 000"), (12000, "12 000")]),
        ("10,000 — 12,000", [(10000, "10,000"), (12000, "12,000")]),
        ("between ten and twenty", [(10, "ten"), (20, "twenty")]),
        ("one and two", [(1, "one"), (2, "two")]),
        ("two thousand three thousand", [(2000, "two thousand"), (3000, "three thousand")]),
    ],
)
def test_ranges_and_lists_are_separate_mentions(text: str, expected: list[tuple[int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(3,800)", [(3800, "3,800")]),
        ("killed 3,800.", [(3800, "3,800")]),
        ("3,800, then 300; then 12 000.", [(3800, "3,800"), (300, "300"), (12000, "12 000")]),
        ("“3,800”", [(3800, "3,800")]),
        ("$300 and 30%", [(300, "300"), (30, "30")]),
        ("37-year-old", [(37, "37")]),
        ("a five-day battle", [(5, "five")]),
    ],
)
def test_punctuation_ends_a_number(text: str, expected: list[tuple[int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19",
        "X-37",
        "F-16 and Su-25",
        "2nd",
        "19th",
        "3km",
        "12k",
        "3.5",
        "1.2.3",
        "1,5",
        "3.800",
        "3 800,5",
        "twenty-first",
        "one-third",
        "no one",
        "someone",
        "thousands",
        "hundreds",
        "a few",
        "thousand",
        "a",
        "ſix",
    ],
)
def test_not_a_count(text: str) -> None:
    assert find_numbers(text) == []


def test_offsets_slice_the_text() -> None:
    text = "Ukraine says 3,800; Seoul says about 1 100 and twelve thousand."
    result = find_numbers(text)
    assert result == [
        NumberMention(3800, 13, 18, "3,800"),
        NumberMention(1100, 37, 42, "1 100"),
        NumberMention(12000, 47, 62, "twelve thousand"),
    ]
    assert all(text[m.start : m.end] == m.text for m in result)


def test_long_digit_runs_are_skipped() -> None:
    assert found("9" * MAX_DIGITS) == [(10**MAX_DIGITS - 1, "9" * MAX_DIGITS)]
    assert found("9" * (MAX_DIGITS + 1)) == []
    assert found("1" * 5000 + " thousand and 7") == [(7, "7")]
    assert found("1" + ",000" * 4000) == []
    assert found("1" + " 000" * 4000) == []
    assert found("0." + "5" * 5000 + " million") == []


@pytest.mark.parametrize(
    "text",
    [
        "1" * 1_000_000,
        "1," * 500_000,
        "111 " * 250_000,
        "1." * 500_000,
        "a " * 500_000,
        ("a" + " " * 1000 + "x ") * 1000,
        "twenty-" * 140_000,
        "X-1 " * 250_000,
        " " * 1_000_000,
    ],
    ids=[
        "digits",
        "commas",
        "groups",
        "dots",
        "a",
        "a-spaces",
        "hyphens",
        "designations",
        "spaces",
    ],
)
def test_megabyte_inputs(text: str) -> None:
    result = find_numbers(text)
    assert len(result) <= 1


def test_megabyte_of_counts() -> None:
    result = find_numbers("one thousand and five, " * 40_000)
    assert len(result) == 40_000
    assert {m.value for m in result} == {1005}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (300, "300"),
        (3800, "3,800"),
        (1_234_567, "1,234,567"),
        (10**12, "1,000,000,000,000"),
    ],
)
def test_format_count(value: int, text: str) -> None:
    assert format_count(value) == text


def test_mentions() -> None:
    text = "Seoul put the toll at about 3 800, Kyiv at 3,800 or more; one thousand were wounded."
    assert mentions(text, 3800)
    assert mentions(text, 1000)
    assert not mentions(text, 38)
    assert not mentions(text, 800)
    assert not mentions(text, 1)


@given(st.integers(0, 10**9), st.sampled_from(["", *SPACES]))
def test_formatted_counts_are_mentioned(n: int, space: str) -> None:
    written = format_count(n) if not space else format_count(n).replace(",", space)
    assert mentions(f"... {written} ...", n)
    assert found(f"they said {written}.") == [(n, written)]


@given(st.integers(0, 10**9 - 1))
def test_counts_in_words_are_read(n: int) -> None:
    words = in_words(n)
    assert found(f"reported {words} dead") == [(n, words)]


def test_in_words_helper() -> None:
    assert in_words(105_021) == "one hundred and five thousand twenty-one"


_PIECES = [*"0123456789 ,.-–aAdehnortuwyX\n", *SPACES[1:], " thousand", " hundred", " and ",
           "twenty", "one", " a ", "ſ", "COVID-", "é", "\u2010", "\u2011", "\u212a", "İ", "SIX",
           "no ", "-first", "_", "ǅ"]  # fmt: skip
_TEXTY = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(deadline=None)
@given(st.one_of(st.text(), _TEXTY))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = find_numbers(text)
    previous_end = 0
    for mention in result:
        assert isinstance(mention.value, int)
        assert mention.value >= 0
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        assert mention.text.strip() == mention.text
        previous_end = mention.end


def _plain_token() -> re.Pattern[str]:
    """The tokenizer in its plain form: each branch opens with what may not come
    before it.  reconcile.core.numbers._TOKEN reorders this for speed; this is the
    reference it must agree with."""
    from reconcile.core import numbers as n

    start = r"(?<![\w.,])(?<![^\W\d_]" + n._HYPHEN + ")"
    return re.compile(
        rf"(?P<spaced>{start}[0-9]{{1,3}}(?P<sep>{n.GROUP_SPACE})[0-9]{{3}}(?![0-9])"
        r"(?:(?P=sep)[0-9]{3}(?![0-9]))*+)"
        rf"|(?P<run>{start}[0-9]++(?:[.,][0-9]++)*+)"
        rf"|(?P<word>(?<![\w-]){n._WORD_RE}(?!\w)"
        rf"(?!{n._HYPHEN}(?:{n._alternation(n._ORDINALS)})(?!\w)))"
        rf"|(?P<a>(?<![\w-])a(?=\s++(?:hundred|dozen|{n._alternation(n._SCALES)})(?!\w)))",
        re.IGNORECASE,
    )


_PLAIN = _plain_token()
_KIND = {"spaced": "num", "run": "num", "word": "word", "a": "a"}


def _scan(pattern: re.Pattern[str], text: str, kinds: dict[str, str]) -> list[tuple[str, int, int]]:
    return [(kinds[m.lastgroup or ""], *m.span()) for m in pattern.finditer(text)]


@settings(deadline=None, max_examples=500)
@given(st.one_of(st.text(), _TEXTY))
def test_the_fast_tokenizer_finds_what_the_plain_one_finds(text: str) -> None:
    from reconcile.core.numbers import _TOKEN

    assert _scan(_TOKEN, text, {"num": "num", "word": "word", "a": "a"}) == _scan(
        _PLAIN, text, _KIND
    )


@pytest.mark.parametrize(
    "text",
    [
        "3,800 killed, 12 000 wounded, 1 234 567 and 2025 300",
        "X-37 and F\u201116 and COVID-19 but -12 and 3.8 million",
        "ſix thousand, \u212aILLED, SIX hundred, İnine, twenty-first, one-third",
        "no one, No One, a dozen, A thousand, a lot, _3, é5, 5é, 1,5 and 3.800.",
        "",
    ],
)
def test_the_fast_tokenizer_agrees_on_edge_cases(text: str) -> None:
    from reconcile.core.numbers import _TOKEN

    found = _scan(_TOKEN, text, {"num": "num", "word": "word", "a": "a"})
    assert found == _scan(_PLAIN, text, _KIND)
    assert found or not text
