"""core/numbers.py's tokenizer against its reference: the plain token pattern
(tests/test_numbers.py `_plain_token`) and digit runs classified the way they were
first written.  Same tokens, so the same numbers, on hypothesis text and on every
quote and archived text of the shipped, Economist and a generated ledger, read
with and without a decimal comma."""

from __future__ import annotations

import re
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.core import numbers
from reconcile.core.numbers import decimal_comma, find_numbers
from reconcile.core.text import normalise
from tests.test_numbers import _PLAIN, _TEXTY

_WORD_CHAR = re.compile(r"\w")
_DECIMAL_TAIL = re.compile(r"[.,][0-9]")
_SEPARATOR = re.compile(r"([.,])")


def _classify(run: str) -> tuple[int, int] | None:
    """A digit run as (digits, decimals), as first written (no fast paths)."""
    if run.isdigit() or len(run) > 2 * numbers.MAX_DIGITS:
        return numbers._to_int(run, 0) if run.isdigit() else None
    if numbers.ambiguous(run):
        return None
    if numbers.reading_decimal_comma():
        run = run.translate(str.maketrans(".,", ",."))
    parts = _SEPARATOR.split(run)
    groups, separators = parts[0::2], parts[1::2]
    fraction = ""
    if separators and separators[-1] == ".":
        fraction = groups.pop()
        separators.pop()
    if any(separator != "," for separator in separators):
        return None
    if separators and (len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:])):
        return None
    return numbers._to_int("".join(groups) + fraction, len(fraction))


def _reference_tokens(text: str) -> list[numbers._Token]:
    tokens: list[numbers._Token] = []
    for match in _PLAIN.finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind in ("spaced", "run"):
            glued = _WORD_CHAR.match(text, end) is not None
            sep = match.group("sep")
            if sep is not None:
                digits = match.group().replace(sep, "")
                parsed = None if _DECIMAL_TAIL.match(text, end) else numbers._to_int(digits, 0)
            else:
                parsed = _classify(match.group())
            if parsed is None or glued:
                tokens.append(numbers._Token("bad", 0, start, end))
            else:
                tokens.append(numbers._Token("num", parsed[0], start, end, parsed[1]))
        elif kind == "a":
            tokens.append(numbers._Token("a", 1, start, end))
        else:
            tokens.append(numbers._word_token(match.group("word").lower(), start, end))
    return tokens


def _same(text: str) -> None:
    for comma in (False, True):
        with decimal_comma(comma):
            assert numbers._tokens(text) == _reference_tokens(text), (comma, text)
            found = find_numbers(text)
            with (  # the general path, over the reference tokens
                patch.object(numbers, "_tokens", _reference_tokens),
                patch.object(numbers, "_only_digits", lambda text: False),
            ):
                assert found == find_numbers(text), (comma, text)


_RUNS = st.lists(
    st.sampled_from(["1", "12", "123", "0", "4", ",", ".", "000", "800", " ", "a", "-", "\u2009"]),
    max_size=12,
).map("".join)


@settings(deadline=None, max_examples=400)
@given(st.one_of(st.text(), _TEXTY))
def test_the_tokenizer_equals_its_reference(text: str) -> None:
    _same(text)


_WORDY = st.lists(
    st.sampled_from([
        *("one", "Twenty", "FIVE", "-", "\u2011", "first", "no ", "a ", "A", "hundred", "dozen"),
        *("thousand", "ten", "often", "someone", "x", "_", "3", ",", " ", ".", "(", "ſix", "and"),
    ]),
    max_size=14,
).map("".join)  # fmt: skip


@settings(deadline=None, max_examples=500)
@given(_WORDY)
def test_a_text_read_for_digits_alone_has_no_word_token(text: str) -> None:
    if numbers._only_digits(text):
        assert all(text[token.start].isdigit() for token in _reference_tokens(text))
    _same(text)


@settings(deadline=None, max_examples=400)
@given(_RUNS)
def test_the_tokenizer_equals_its_reference_on_runs_of_digits_and_marks(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(
    "text",
    [
        *("3,800", "3.800", "0,300", "1,234,567.5", "12.000,5", "1.2.3", "4,000 and 4.000"),
        *("1,5", "1234,567", "1234.567", "12,34", "1,2345", "1,234.567", "0.300", "0,300.000"),
    ],
)
def test_the_tokenizer_equals_its_reference_on_digit_runs(text: str) -> None:
    _same(text)
    _same(f"about {text} killed")


def test_the_tokenizer_equals_its_reference_on_every_quote_and_text(
    every_quote_and_text: list[str],
) -> None:
    for text in every_quote_and_text:
        _same(text)
        _same(normalise(text))
