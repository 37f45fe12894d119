"""The figure grammar's fast path (`figures._fast`) against the full parser (`figures._parse`).

`parse_figure` reads the usual figure ('3800', 'about 3,800', '~3,800') without the
grammar's regexes.  These tests hold it to the promise that makes that safe: for
every input, `parse_figure` gives exactly what the full parser gives (the same
`Figure`, or the same error at the same offset), with commas grouping thousands
and with the decimal comma; and with commas grouping thousands (the only reading under
which `parse_figure` calls it), `_fast` either agrees with `_parse` or declines.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.core import figures
from reconcile.core.figures import VAGUE, Figure, FigureError, parse_figure, qualified_at
from reconcile.core.numbers import NumberMention, decimal_comma, find_numbers
from reconcile.core.text import normalise
from tests.conftest import SHIPPED
from tests.quotes import every_report


def _outcome(read: object, text: str) -> object:
    try:
        return read(text)  # type: ignore[operator]
    except FigureError as error:
        return ("error", error.message, error.offset)


def _agree(text: str) -> None:
    for comma in (False, True):
        with decimal_comma(comma):
            full = _outcome(figures._parse, text)
            assert _outcome(parse_figure, text) == full, (text, comma)
            if not comma:  # the fast path reads commas as grouping: its caller checks
                fast = figures._fast(text)
                assert fast is None or fast == full, text


PHRASES = [*figures._PREFIXES, *VAGUE, "or more", "a", "abou", "at", "least", "c", "approx.."]
"""Every qualifier and vague phrase, and near misses."""
SPACES = ["", " ", "  ", "\t", "\u00a0", "\n"]
NUMBERS = [
    "0", "00", "7", "0123", "300", "3800", "3,800", "3.800", "3 800", "3,80", "3,8000",
    "1,2345", ",800", "3,,800", "3,800,", "12,345,678", "999999999999", "1000000000000",
    "1,000,000,000,000", "1,000,000,000,001", "12345678901234", "-5", "+5", "3.5",
    "٣٨٠٠", "３８００", "3800x", "three", "3,800-4,000", "3800 (3,000-4,000)", "",
]  # fmt: skip
"""Number strings the fast path reads, declines, or must not misread."""


def _variants(phrase: str) -> list[str]:
    return [phrase, phrase.upper(), phrase.title(), phrase.replace("s", "ſ")]


def test_every_qualifier_separator_and_number_agrees() -> None:
    """The cross product: every phrase (four spellings) x separator x number, and each
    number alone, with the trailing words and spaces that must send it to `_parse`."""
    count = 0
    for phrase, space, number in itertools.product(PHRASES, SPACES, NUMBERS):
        for spelled in _variants(phrase):
            _agree(spelled + space + number)
            count += 1
    for number, tail in itertools.product(NUMBERS, ["", " ", " killed", " or more", "\n"]):
        _agree(number + tail)
        _agree(" " + number + tail)
        count += 2
    assert count > 5000


def test_a_large_corpus_agrees() -> None:
    """60,000 figures drawn as a ledger would hold them (seeded, so any failure repeats),
    and every figure of the shipped ledger."""
    rng = random.Random(18)
    words = [p for p in figures._PREFIXES if p not in ("between", "from")]
    for _ in range(60_000):
        value = rng.choice([rng.randrange(10), rng.randrange(10**4), rng.randrange(10**13)])
        number = f"{value:,}" if rng.random() < 0.6 else str(value)
        if rng.random() < 0.05:
            number = "0" + number
        shape = rng.randrange(5)
        if shape == 0:
            text = number
        elif shape == 1:
            text = f"{rng.choice(words)} {number}"
        elif shape == 2:
            text = f"{rng.choice(['~', '>', '<', '>=', '<=', '≥', '≤', '≈'])}{number}"
        elif shape == 3:
            text = f"{rng.choice(words)}{rng.choice(SPACES)}{number}{rng.choice(['', ' ', 'k'])}"
        else:
            high = value + rng.randrange(-10, 1000)
            text = f"{number}-{high:,}" if rng.random() < 0.6 else f"{number}-{high}"
        _agree(text)
    shipped = SHIPPED.read_text(encoding="utf-8")
    for line in shipped.splitlines():
        key, _, said = line.strip().partition(": ")
        if key in ("deployed", "killed", "wounded", "casualties", "captured", "missing"):
            _agree(said.strip("'\""))


def test_the_fast_path_reads_the_usual_figures() -> None:
    """It is taken for the common shapes (else it would prove nothing), and declines the rest."""
    for text in [
        *["3800", "3,800", "about 3,800", "~3,800", "> 3,000", ">=300", "nearly 2,700"],
        *["10,000-12,000", "0-5", "999-1,000", "12-12"],
    ]:
        assert figures._fast(text) is not None, text
    for text in [
        *["About 3,800", "at  least 300", "3 800", " 3800", "between 1 and 2", "hundreds"],
        *["12-10", "012-20", "1-2-3", "1 - 2", "1–2", "about 1-2", "1-", "-1", "1,00-2"],
    ]:
        assert figures._fast(text) is None, text


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.text(max_size=30),
        st.text(alphabet="0123456789, .~<>=-abcdefghilmnorstuvwxy\t\u00a0", max_size=24),
        st.tuples(
            st.sampled_from(PHRASES),
            st.sampled_from(SPACES),
            st.integers(min_value=0, max_value=10**13),
            st.booleans(),
        ).map(lambda t: f"{t[0]}{t[1]}{t[2]:,}" if t[3] else f"{t[0]}{t[1]}{t[2]}"),
        st.tuples(
            st.sampled_from(NUMBERS),
            st.sampled_from(["-", "--", "-0", "-00"]),
            st.sampled_from(NUMBERS),
        ).map("".join),
        st.tuples(
            st.integers(min_value=0, max_value=10**13),
            st.integers(min_value=0, max_value=10**13),
            st.booleans(),
            st.booleans(),
        ).map(lambda t: f"{t[0]:,}-{t[1]:,}" if t[2] else f"{t[0]}-{t[1]:{',' if t[3] else ''}}"),
    )
)
def test_parse_figure_is_the_full_parser(text: str) -> None:
    _agree(text)


def _same_qualified(text: str, known: Figure) -> None:
    """`qualified_at` given a figure already read says what it says reading every phrase."""
    for comma in (False, True):
        with decimal_comma(comma):
            for mention in find_numbers(text):
                assert qualified_at(text, mention) == _qualified_reference(text, mention)
                assert qualified_at(text, mention, known) == qualified_at(text, mention), (
                    text,
                    known.text,
                    comma,
                )


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(PHRASES),
    st.sampled_from(PHRASES),
    st.integers(min_value=0, max_value=10**7),
    st.booleans(),
    st.sampled_from(["", "officials said ", "no fewer than ", "an estimated ", "up to "]),
)
def test_qualified_at_with_the_ledgers_figure_reads_as_without(
    written: str, recorded: str, value: int, grouped: bool, before: str
) -> None:
    """provenance passes the ledger's figure: the quote writes it, or other words."""
    number = f"{value:,}" if grouped else str(value)
    try:
        known = parse_figure(f"{recorded} {number}".strip())
    except FigureError:
        return
    _same_qualified(f"{before}{written} {number} were killed", known)


def test_qualified_at_with_the_ledgers_figure_reads_as_without_on_real_ledgers(
    quote_ledgers: list[Path],
) -> None:
    """Every quote of the shipped, Economist and a benchmark ledger, with each figure
    (and wording) of its estimate."""
    compared = 0
    for _, estimate, report in every_report(quote_ledgers):
        for figure in [*estimate.figures().values(), *(report.wording or {}).values()]:
            _same_qualified(normalise(report.quote), figure)
            compared += 1
    assert compared > 500


def test_qualified_at_does_not_parse_the_ledgers_own_words_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[str] = []
    real = figures.parse_figure

    def counting(value: int | str) -> Figure:
        parsed.append(str(value))
        return real(value)

    monkeypatch.setattr(figures, "parse_figure", counting)
    known = real("at least 6,437")
    text = "Officials said that at least 6,437 soldiers were killed"
    (mention,) = find_numbers(text)
    assert qualified_at(text, mention, known) is known
    assert parsed == []
    assert qualified_at(text, mention) == known
    assert parsed == ["at least 6,437"]


def _qualified_reference(text: str, mention: NumberMention) -> Figure | None:
    """`qualified_at` as first written: every word of the 200 characters before split."""
    head = text[max(0, mention.start - 200) : mention.start].split()
    for count in (4, 3, 2, 1):
        if len(head) < count or head[-count].lower() not in figures._PREFIX_FIRST_WORDS:
            continue
        try:
            figure = parse_figure(" ".join(head[-count:]) + " " + mention.text)
        except FigureError:
            continue
        if figure.qualifier is not figures.Qualifier.EXACT:
            return figure
    return None


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("no", "fewer", "than", "at", "least", "more", "about", "an", "estimated", "up"),
                *("to", "nearly", "said", "x", " ", "\t", "\u00a0", "\n", "  ", "300", "3,800"),
            ]
        ),
        max_size=40,
    ).map(" ".join),
)
def test_qualified_at_reads_the_words_split_reads(before: str) -> None:
    for text in (f"{before} 3,800 died", f"{before}3,800", f"{'word ' * 60}{before} 3,800"):
        for comma in (False, True):
            with decimal_comma(comma):
                for mention in find_numbers(text):
                    assert qualified_at(text, mention) == _qualified_reference(text, mention)
