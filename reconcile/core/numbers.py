"""Find the whole numbers written in a piece of text.

`find_numbers` reports every count a reader would see, in order:

* digits: `3800`; grouped with commas, `3,800` and `1,234,567`; or grouped with
  a space, no-break space (U+00A0), thin space (U+2009) or narrow no-break space
  (U+202F), `3 800` and `12 000`.  A space only groups when the first group has
  1-3 digits and every later group exactly 3 (one kind of space per number), so
  `2025 300` and `2024 12` are two numbers each.
* words, in any case: `zero` to `nineteen`, `twenty` to `ninety`,
  `twenty-five`, `a dozen`, `two dozen`, `a hundred`, `two hundred and fifty`,
  `a thousand`, `twelve thousand`, `a million`, `one million two hundred thousand`.
* digits with a scale word: `12 thousand`, `3.8 thousand`, `1.5 million`, only
  when the product is whole.

Dot-grouped runs (`4.000`, `12.000`, `3.800 thousand`: 1-3 digits, not
starting with 0, then a dot and exactly three digits) are never read as
decimals: they are four thousand in German-style grouping and 4 in English, so
they are not reported (the caller refuses them, see `ambiguous`).  Under
`decimal_comma()` (an explicit option: `reconcile import --decimal-comma`,
`reconcile extract --decimal-comma`) the roles swap: dots group thousands
(`4.000`, `1.234.567`), a comma is the decimal mark (`3,8 thousand`), and
`4,000` is the ambiguous one.

Not reported: digits glued to letters (`2nd`, `3km`, `X-37`, `COVID-19`, `F-16`:
a letter, hyphen, digits is a designation, not a count); decimals (`3.5`); runs
that are neither plain, comma-grouped nor decimal (`1.2.3`, `1,5`, German
`3.800`); ordinals and fractions in words (`twenty-first`, `one-third`); and
`one` in `no one`.  A full stop or comma after a number ends it (`3,800.` is
3800).  Ranges such as `10,000-12,000` are two mentions.  Only ASCII digits are
read.  Runs of more than `MAX_DIGITS` digits are skipped rather than read: no
count has that many, and Python refuses to convert very long ones.

Every pattern here runs in linear time (possessive quantifiers, no nested
ambiguity), so megabytes of arbitrary Unicode are safe.  Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = [
    "DECIMAL_COMMA_LANGUAGES",
    "GROUP_SPACE",
    "MAX_DIGITS",
    "NumberMention",
    "ambiguous",
    "ambiguous_runs",
    "comma_language",
    "decimal_comma",
    "find_numbers",
    "format_count",
    "mentions",
    "point_grouped",
    "reading_decimal_comma",
]  # fmt: skip

_DECIMAL_COMMA: ContextVar[bool] = ContextVar("decimal_comma", default=False)


@contextmanager
def decimal_comma(on: bool = True) -> Iterator[None]:
    """Within this block, numbers are read with dots grouping thousands and a
    decimal comma (`4.000` is 4000, `3,8 thousand` is 3800): an explicit option."""
    token = _DECIMAL_COMMA.set(on)
    try:
        yield
    finally:
        _DECIMAL_COMMA.reset(token)


DECIMAL_COMMA_LANGUAGES = frozenset({
    "bg", "ca", "cs", "da", "de", "el", "es", "et", "fi", "fr", "hr", "hu", "id", "it", "lt",
    "lv", "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "tr", "uk", "vi",
})  # fmt: skip
"""Languages (ISO 639-1) that write a decimal comma: a document declaring one
(`language: de`, `de-AT`) has its quotes read with dots grouping thousands."""


def comma_language(language: str | None) -> bool:
    """Whether a document's declared language writes a decimal comma."""
    if not language:
        return False
    return language.strip().lower().replace("_", "-").split("-")[0] in DECIMAL_COMMA_LANGUAGES


def reading_decimal_comma() -> bool:
    """Whether numbers are being read with a decimal comma (see `decimal_comma`)."""
    return _DECIMAL_COMMA.get()


# A run whose one separator is followed by exactly three digits, after 1-3
# digits not starting with 0: grouping in one convention, a decimal in the other.
_AMBIGUOUS = {
    False: re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})++(?![0-9])"),
    True: re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})++(?![0-9])"),
}


_RUN = re.compile(r"(?<![\w.,])[0-9]++(?:[.,][0-9]++)*+(?![\w])")


def ambiguous_runs(text: str) -> list[tuple[int, str]]:
    """The digit runs of `text` that `ambiguous` refuses, with their offsets: what
    a reader of the text sees as a number and `find_numbers` does not read."""
    return [(m.start(), m.group()) for m in _RUN.finditer(text) if ambiguous(m.group())]


def point_grouped(words: str) -> str:
    """`words` read with a decimal comma, their numbers in digits rewritten the way
    a ledger figure is read ('about 12.000' -> 'about 12,000', '3,8 thousand' ->
    '3,800'): for writing what a decimal-comma text says into the ledger."""
    out, end = [], 0
    with decimal_comma():
        found = find_numbers(words)
    for mention in found:
        if mention.text[:1].isdigit():
            out += [words[end : mention.start], format_count(mention.value)]
            end = mention.end
    return "".join([*out, words[end:]])


def ambiguous(run: str) -> bool:
    """Whether a digit run is grouped with the mark that is the decimal mark here
    (`4.000`, `12.000`, `1.234.567`; with a decimal comma, `4,000`): never read."""
    return _AMBIGUOUS[_DECIMAL_COMMA.get()].fullmatch(run) is not None


MAX_DIGITS = 100
"""Digit runs longer than this are skipped, not reported."""


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number written in a text: its value and where it is (`text[start:end]`)."""

    value: int
    start: int
    end: int
    text: str


_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9}  # fmt: skip
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "thirds", "fourths", "fifths", "sixths", "sevenths", "eighths",
             "ninths", "tenths", "half", "halves", "quarter", "quarters")  # fmt: skip

_HYPHEN = "[-\u2010\u2011]"
GROUP_SPACE = "[\x20\u00a0\u2009\u202f]"
"""The spaces that may group digits ('12 000'), as a regex character class."""


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT_RE = _alternation(_UNITS).replace("one", r"(?<!\bno\s)one")
_WORD_RE = (
    rf"(?:(?:{_alternation(_TENS)})(?:{_HYPHEN}(?:{_alternation(_UNITS)}))?"
    rf"|{_alternation(_TEENS)}|{_UNIT_RE}|zero|hundred|{_alternation(_SCALES)}|dozen)"
)
_FIRST_LETTERS = "".join(
    sorted({w[0] for w in (*_UNITS, *_TEENS, *_TENS, *_SCALES, "zero", "hundred", "dozen", "a")})
)
# One scan for every token.  Each branch opens with what its first character
# must be (a digit; a letter that can begin a number word, folded as the words
# are) and only then looks behind, so that at most positions of a text the
# scan fails at once (half the time the plain forms took: `_plain_token` in
# tests/test_numbers.py keeps them as the reference, which finds the same tokens).
_DIGIT_TOKEN = (
    # the first digit, not part of a larger token: no letter, digit, '.' or ','
    # just before it, and not a designation such as X-37 (a letter and a hyphen)
    rf"(?P<num>[0-9](?<![\w.,][0-9])(?<![^\W\d_]{_HYPHEN}[0-9])"
    # 3 800, 12 000 000: one kind of space, groups of exactly three digits
    rf"(?:[0-9]{{0,2}}(?P<sep>{GROUP_SPACE})[0-9]{{3}}(?![0-9])"
    r"(?:(?P=sep)[0-9]{3}(?![0-9]))*+"
    # 3800, 3,800, 3.8 (classified afterwards)
    r"|[0-9]*+(?:[.,][0-9]++)*+))"
)
_TOKEN = re.compile(
    _DIGIT_TOKEN + rf"|(?=(?i:[{_FIRST_LETTERS}]))(?<![\w-])(?i:"
    # number words; not twenty-first or one-third
    rf"(?P<word>{_WORD_RE}(?!\w)(?!{_HYPHEN}(?:{_alternation(_ORDINALS)})(?!\w)))"
    # 'a' only counts before hundred, thousand, million, billion or dozen
    rf"|(?P<a>a(?=\s++(?:hundred|dozen|{_alternation(_SCALES)})(?!\w))))"
)
_DIGITS = re.compile(_DIGIT_TOKEN)
"""_TOKEN's digit branch alone: it opens with a digit, so the scan skips to the
next digit in C.  Enough for a text without number words (`_only_digits`)."""
_LETTER_RUNS = bytes(
    code | 0x20 if chr(code).isascii() and chr(code).isalpha() else 0x20 for code in range(256)
)
"""bytes.translate table: ASCII letters in lower case, every other byte a space."""
_NUMBER_WORDS = frozenset(
    word.encode() for word in (*_UNITS, *_TEENS, *_TENS, *_SCALES, "zero", "hundred", "dozen")
)
_GAP = re.compile(r"\s++(?:(and)\s++)?+", re.IGNORECASE)
_WORD_CHAR = re.compile(r"\w")
_DECIMAL_TAIL = re.compile(r"[.,][0-9]")
_SEPARATOR = re.compile(r"([.,])")


@dataclass(slots=True)  # not frozen: built once per token, never changed (4x cheaper)
class _Token:
    """kind: num, bad, zero, unit, teen, tens, small (21-99), a, hundred, scale, dozen."""

    kind: str
    value: int
    start: int
    end: int
    decimals: int = 0  # for num: the value is `value / 10**decimals`


def find_numbers(text: str) -> list[NumberMention]:
    """Every number written in `text`, in order (see the module docstring for the forms)."""
    if _only_digits(text):
        return _digit_numbers(text)
    tokens = _tokens(text)
    found: list[NumberMention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "num":
            value, j = _scaled(text, tokens, i)
        else:
            value, j = _words(text, tokens, i)
        if value is not None:
            end = tokens[j - 1].end
            found.append(NumberMention(value, token.start, end, text[token.start : end]))
        i = max(j, i + 1)
    return found


def mentions(text: str, value: int) -> bool:
    """Whether `value` is written in `text` in any form `find_numbers` reads."""
    return any(mention.value == value for mention in find_numbers(text))


def format_count(value: int) -> str:
    """A count with comma thousands separators: 3800 -> '3,800', 300 -> '300'."""
    return f"{value:,}"


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    comma = _DECIMAL_COMMA.get()
    for match in (_DIGITS if _only_digits(text) else _TOKEN).finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind == "num":
            glued = _WORD_CHAR.match(text, end) is not None
            parsed = _digit_value(match, text, comma)
            if parsed is None or glued:
                tokens.append(_Token("bad", 0, start, end))
            else:
                tokens.append(_Token("num", parsed[0], start, end, parsed[1]))
        elif kind == "a":
            tokens.append(_Token("a", 1, start, end))
        else:
            tokens.append(_word_token(match.group("word").lower(), start, end))
    return tokens


def _digit_value(match: re.Match[str], text: str, comma: bool) -> tuple[int, int] | None:
    """A digit token's value as (digits, decimals), or None when it is not a whole
    number as written: a run grouped the usual way ('12,000', the `sep` group) is
    read at once unless a decimal tail follows it; any other run is classified."""
    sep = match.group("sep")
    if sep is None:
        return _classify(match.group(), comma)
    if _DECIMAL_TAIL.match(text, match.end()):
        return None
    return _to_int(match.group().replace(sep, ""), 0)


def _digit_numbers(text: str) -> list[NumberMention]:
    """`find_numbers` for a text of digit tokens only (`_only_digits`): no token can
    join another (only a number word can), so each digit token that reads as a
    whole number is one number, and each other one is skipped, as `find_numbers`
    does with them; read here without building the tokens."""
    found: list[NumberMention] = []
    comma = _DECIMAL_COMMA.get()
    for match in _DIGITS.finditer(text):
        start, end = match.span()
        if _WORD_CHAR.match(text, end) is not None:
            continue  # glued to a letter: '3km'
        parsed = _digit_value(match, text, comma)
        if parsed is None:
            continue
        value, decimals = parsed
        if decimals:
            value, rest = divmod(value, 10**decimals)
            if rest:
                continue  # 3.5: not a count
        found.append(NumberMention(value, start, end, text[start:end]))
    return found


def _only_digits(text: str) -> bool:
    """Whether `_TOKEN` can find only digit tokens in `text`: an ASCII text none of
    whose runs of letters, in lower case, is a number word.  (A number word token
    is such a run, or two joined by a hyphen; 'a' counts only before one.  Of ASCII
    letters, IGNORECASE pairs only the two cases of one letter; a text that is not
    ASCII is scanned in full.)  Most quotes give their numbers in digits."""
    return text.isascii() and _NUMBER_WORDS.isdisjoint(
        text.encode("ascii").translate(_LETTER_RUNS).split()
    )


def _word_token(word: str, start: int, end: int) -> _Token:
    # IGNORECASE also matches look-alikes such as the long s in 'ſix': not a number word.
    parts = re.split(_HYPHEN, word)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _Token("small", _TENS[parts[0]] + _UNITS[parts[1]], start, end)
    for kind, table in (("unit", _UNITS), ("teen", _TEENS), ("tens", _TENS), ("scale", _SCALES)):
        if word in table:
            return _Token(kind, table[word], start, end)
    if word in ("zero", "hundred", "dozen"):
        return _Token(word, {"zero": 0, "hundred": 100, "dozen": 12}[word], start, end)
    return _Token("bad", 0, start, end)


def _to_int(digits: str, decimals: int) -> tuple[int, int] | None:
    if len(digits) > MAX_DIGITS:
        return None
    return int(digits), decimals


_SWAP = str.maketrans(".,", ",.")


# Grouped by the mark that groups here (3,800; with a decimal comma 3.800): the
# common case, read at once (the general code below reads it the same way).
_GROUPED = {
    False: re.compile(r"[0-9]{1,3}(?:,[0-9]{3})++"),
    True: re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})++"),
}


def _classify(run: str, comma: bool | None = None) -> tuple[int, int] | None:
    """A digit run as (digits, decimals): 3800, 3,800, 3.8 or 3,800.5; None if ambiguous
    (`4.000`: see `ambiguous`).  With a decimal comma (`comma`; by default, as
    `decimal_comma` says), dots and commas swap roles."""
    if comma is None:
        comma = _DECIMAL_COMMA.get()
    if run.isdigit() or len(run) > 2 * MAX_DIGITS:
        return _to_int(run, 0) if run.isdigit() else None
    if _GROUPED[comma].fullmatch(run) is not None:
        return _to_int(run.replace("." if comma else ",", ""), 0)
    if _AMBIGUOUS[comma].fullmatch(run) is not None:
        return None
    if comma:
        run = run.translate(_SWAP)
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
    return _to_int("".join(groups) + fraction, len(fraction))


def _joined(text: str, left: _Token, right: _Token, *, allow_and: bool) -> bool:
    """Only white space (or, when allowed, 'and') separates the two tokens."""
    gap = _GAP.match(text, left.end)
    if gap is None or gap.end() != right.start:
        return False
    return allow_and or gap.group(1) is None


def _next(text: str, tokens: list[_Token], i: int, kinds: tuple[str, ...], and_: bool) -> bool:
    """Whether token i+1 is one of `kinds` and joined to token i."""
    return (
        i + 1 < len(tokens)
        and tokens[i + 1].kind in kinds
        and _joined(text, tokens[i], tokens[i + 1], allow_and=and_)
    )


def _scaled(text: str, tokens: list[_Token], i: int) -> tuple[int | None, int]:
    """Digits, perhaps with a scale word: 3800, 12 thousand, 1.5 million."""
    token = tokens[i]
    scale, j = 1, i + 1
    if _next(text, tokens, i, ("hundred", "scale"), False):
        scale, j = tokens[i + 1].value, i + 2
    whole, rest = divmod(token.value * scale, 10**token.decimals)
    return (whole if rest == 0 else None), j


def _small(text: str, tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """1-99: unit, teen, tens, 'twenty-five' or 'twenty five'."""
    token = tokens[i]
    if token.kind == "tens" and _next(text, tokens, i, ("unit",), False):
        return token.value + tokens[i + 1].value, i + 2
    if token.kind in ("unit", "teen", "tens", "small"):
        return token.value, i + 1
    return None


def _below_thousand(text: str, tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """'a hundred', 'two hundred and five', 'twelve hundred', 'forty-two'."""
    if tokens[i].kind == "a":
        if not _next(text, tokens, i, ("hundred",), False):
            return None
        value, j = 100, i + 2
    else:
        small = _small(text, tokens, i)
        if small is None:
            return None
        value, j = small
        if not _next(text, tokens, j - 1, ("hundred",), False):
            return value, j
        value, j = value * 100, j + 1
    if j < len(tokens) and _joined(text, tokens[j - 1], tokens[j], allow_and=True):
        tail = _small(text, tokens, j)
        if tail is not None:
            return value + tail[0], tail[1]
    return value, j


def _words(text: str, tokens: list[_Token], i: int) -> tuple[int | None, int]:
    """A number in words starting at token i, read greedily."""
    first = tokens[i]
    if first.kind == "zero":
        return 0, i + 1
    if first.kind in ("a", "unit") and _next(text, tokens, i, ("dozen",), False):
        return first.value * 12, i + 2
    total, last_scale, j = 0, 0, i
    while j < len(tokens):
        if tokens[j].kind == "a" and j > i:
            break
        if tokens[j].kind == "a" and _next(text, tokens, j, ("scale",), False):
            group: tuple[int, int] | None = (1, j + 1)
        else:
            group = _below_thousand(text, tokens, j)
        if group is None:
            break
        value, k = group
        scale = tokens[k].value if _next(text, tokens, k - 1, ("scale",), False) else 0
        if last_scale and scale >= last_scale:
            return total, j  # 'two thousand three thousand' is two numbers
        if scale == 0:
            return total + value, k
        total, last_scale, j = total + value * scale, scale, k + 1
        if j >= len(tokens) or not _joined(text, tokens[j - 1], tokens[j], allow_and=True):
            break
    return (total if j > i else None), j
