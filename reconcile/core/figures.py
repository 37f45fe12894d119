"""The figure grammar of the ledger: `3800`, `about 3,800`, `10,000-12,000`, `hundreds`.

A figure keeps its words (`Figure.text`, `Figure.words`) next to what they mean:
an `Interval` of whole numbers and a `best` value.  docs/qualifiers.md gives the
conventions and the reasons for them: about N is N ± 10% rounded outward; at
least N includes N; more than N excludes it; nearly N is [ceil(0.9N), N); up to
N is [0, N]; fewer than N is [0, N); a range's best is its midpoint rounded
down; vague words are in `VAGUE`.  Only `parse_figure` raises (`FigureError`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from reconcile.core.intervals import Interval
from reconcile.core.numbers import (
    NumberMention,
    ambiguous,
    find_numbers,
    format_count,
    reading_decimal_comma,
)

__all__ = [
    "MAX_COUNT",
    "MAX_FIGURE_CHARS",
    "VAGUE",
    "Figure",
    "FigureError",
    "Interval",
    "Qualifier",
    "implied",
    "parse_figure",
    "qualified_at",
    "stated_value",
]  # fmt: skip

MAX_COUNT = 10**12
"""Larger figures are refused as implausible (and as likely typing slips)."""
MAX_FIGURE_CHARS = 1000
"""The longest figure phrase read: a megabyte-long "figure" is no figure, and
refusing it up front keeps every check that reads figures cheap."""


class Qualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    NEARLY = "nearly"
    UP_TO = "up-to"
    FEWER_THAN = "fewer-than"
    RANGE = "range"
    VAGUE = "vague"


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as written (`text`, `words`) and as read (`numbers`, `interval`, `best`)."""

    text: str
    qualifier: Qualifier
    words: str
    numbers: tuple[int, ...]
    interval: Interval
    best: int


class FigureError(ValueError):
    """A figure that cannot be read; `offset` is where in the phrase the problem is."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


_Q = Qualifier
_PREFIXES: dict[str, Qualifier] = {
    **dict.fromkeys(["about", "around", "approximately", "approx.", "approx", "roughly", "some",
                     "estimated", "an estimated", "~", "≈", "c.", "ca.", "circa"], _Q.ABOUT),
    **dict.fromkeys(["at least", "no fewer than", "no less than", "≥", ">="], _Q.AT_LEAST),
    **dict.fromkeys(["more than", "over", "upwards of", "in excess of", ">"], _Q.MORE_THAN),
    **dict.fromkeys(["nearly", "almost", "close to", "just under", "approaching"], _Q.NEARLY),
    **dict.fromkeys(["up to", "as many as", "at most", "≤", "<="], _Q.UP_TO),
    **dict.fromkeys(["fewer than", "less than", "under", "<"], _Q.FEWER_THAN),
    "between": _Q.RANGE,
    "from": _Q.RANGE,
}  # fmt: skip
QUALIFIER_WORDS = tuple(p for p in _PREFIXES if p[0].isalpha() and p not in ("between", "from"))
"""The qualifiers written in words that stand right before their number ('at least
300'): a table never breaks a line between them and it."""
VAGUE: dict[str, tuple[int, int, int]] = {  # phrase: (low, high, best), both ends included
    "a few": (2, 5, 3), "a handful": (2, 9, 5), "several": (3, 9, 5),
    "dozens": (24, 99, 36), "a few dozen": (24, 60, 36), "several dozen": (36, 108, 60),
    "scores": (40, 199, 60),
    "hundreds": (200, 999, 300), "a few hundred": (200, 500, 300),
    "several hundred": (300, 900, 500),
    "thousands": (2_000, 9_999, 3_000), "a few thousand": (2_000, 5_000, 3_000),
    "several thousand": (3_000, 9_000, 5_000),
    "tens of thousands": (20_000, 99_999, 30_000),
    "hundreds of thousands": (200_000, 999_999, 300_000),
}  # fmt: skip


def phrase_pattern(phrase: str) -> str:
    """The regex for one qualifier or vague phrase: any white space between its
    words, and not followed by a letter when it ends in one."""
    pattern = r"\s++".join(map(re.escape, phrase.split()))
    return pattern + (r"(?!\w)" if phrase[-1].isalpha() else "")


class _Phrases:
    """Any one of `phrases`, longest first, in one pattern: one match call, not one per phrase.

    Alternation tries its branches in order, so the phrase found is the one a
    longest-first loop over the phrases would find; a named group per phrase
    says which it was (the matched text may differ in case and spacing).
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = sorted(phrases, key=len, reverse=True)
        self.pattern = re.compile(
            "|".join(f"(?P<p{i}>{phrase_pattern(p)})" for i, p in enumerate(self.phrases)),
            re.IGNORECASE,
        )

    def match(self, text: str, pos: int) -> tuple[re.Match[str], str] | None:
        found = self.pattern.match(text, pos)
        if found is None or found.lastgroup is None:
            return None
        return found, self.phrases[int(found.lastgroup[1:])]


_PREFIX_ANY = _Phrases(_PREFIXES)
_VAGUE_ANY = _Phrases(VAGUE)
_KNOWN = sorted({*_PREFIXES, *VAGUE, "or more"})
_TOO_LARGE = f"implausibly large: {MAX_COUNT:,} is the largest figure accepted"
_SPACE = re.compile(r"\s*+")
_RANGE_SEP = re.compile(r"\s*+[-‐‑‒–—−]\s*+|\s++to\s++", re.IGNORECASE)
_RANGE_WORD = {w: re.compile(rf"\s++{w}\s++", re.IGNORECASE) for w in ("and", "to")}
_CENTRAL_RANGE = re.compile(r"\s*+\(\s*+")
_CLOSE = re.compile(r"\s*+\)")
RANGE_QUALIFIERS = frozenset({_Q.EXACT, _Q.ABOUT})
"""Qualifiers that may stand before a range ("an estimated 10,000 to 12,000"): words of
estimation, which the range itself already expresses; "more than 10,000-12,000" is refused."""
_OR_MORE = re.compile(r"\s++or\s++more(?!\w)", re.IGNORECASE)
_NEGATIVE = re.compile(r"[-‐‑‒–—−]\s*+[0-9]")
_DIGITS = re.compile(r"[0-9](?:[0-9.,]|[\x20\u00a0\u2009\u202f](?=[0-9]))*+")
_NOT_WHOLE = re.compile(r"\.|,[0-9]{1,2}$")
_GLUED = re.compile(r"\w{1,20}")
_LEAD_WORDS = re.compile(r"[^\W\d_]++(?:\s++[^\W\d_]++)*+")


def parse_figure(value: int | str) -> Figure:
    """Read a ledger figure (a YAML integer or a phrase); raise `FigureError` if it is not one."""
    if isinstance(value, bool):
        raise FigureError(f"a figure is a count, not {value}: write a number such as 3800")
    if isinstance(value, int):
        _check_size(value, 0)
        return Figure(str(value), _Q.EXACT, "", (value,), Interval(value, value), value)
    if not isinstance(value, str):
        raise FigureError(f"{value!r} is not a whole number or a phrase like 'about 3,800'")
    if len(value) > MAX_FIGURE_CHARS:
        raise FigureError(
            f"a figure of {len(value):,} characters; a figure is at most {MAX_FIGURE_CHARS} "
            "(a number and its qualifier: 'more than 3,800')"
        )
    # the common figure ('3800', 'about 3,800', '~3,800') read without the grammar's
    # regexes; anything else (or None) goes to the full parser, which it equals
    # (tests/test_figures_fast.py)
    if not reading_decimal_comma() and (fast := _fast(value)) is not None:
        return fast
    return _parse(value)


_FAST_WORDS: dict[str, Qualifier] = {
    phrase: qualifier for phrase, qualifier in _PREFIXES.items() if qualifier is not _Q.RANGE
}
"""Qualifiers the fast path reads before one space and a number ('about 3,800', '> 3,000')."""
_FAST_SYMBOLS: dict[str, Qualifier] = {
    phrase: qualifier for phrase, qualifier in _FAST_WORDS.items() if not phrase[0].isalnum()
}
"""Qualifiers the fast path reads right before a number ('~3,800', '>=300')."""


def _fast(text: str) -> Figure | None:
    """`_parse(text)` for the usual figure, or None to let `_parse` read it.

    The usual figure: an ASCII number (plain digits, at most 12, or 1-3 digits
    then groups of three after commas), alone, after a qualifier in lower case
    and one space, or right after a symbol ('~', '>=' ...); or two such numbers as a
    range ('10,000-12,000', `_fast_range`).  Only with commas
    grouping thousands (the caller checks); no white space around it; a count the
    grammar refuses (too large, 'nearly 0') is left to `_parse` and its message.
    """
    if not text.isascii():
        return None
    head, space, number = text.rpartition(" ")
    if space:
        qualifier = _FAST_WORDS.get(head)
        if qualifier is None:
            return None
        words = head
    elif (qualifier := _FAST_SYMBOLS.get(text[:2])) is not None:
        words, number = text[:2], text[2:]
    elif (qualifier := _FAST_SYMBOLS.get(text[:1])) is not None:
        words, number = text[:1], text[1:]
    else:
        if "-" in text:
            return _fast_range(text)
        qualifier, words = _Q.EXACT, ""
    count = _fast_count(number)
    if count is None:
        return None
    value = int(count)
    if value > MAX_COUNT or (value == 0 and qualifier in (_Q.NEARLY, _Q.FEWER_THAN)):
        return None
    interval, best = _meaning(qualifier, value, 0)
    return Figure(text, qualifier, words, (value,), interval, best)


def _fast_count(number: str) -> str | None:
    """The digits of a number `_fast` reads (at most 12 plain digits, or 1-3 digits then
    groups of three after commas), else None."""
    if number.isdigit():
        return number if len(number) <= 12 else None
    groups = number.split(",")
    head, digits = groups[0], "".join(groups)
    grouped = 1 <= len(head) <= 3 and all(len(group) == 3 for group in groups[1:])
    return digits if len(groups) > 1 and grouped and digits.isdigit() else None


def _fast_range(text: str) -> Figure | None:
    """`_parse(text)` for the usual range ('10,000-12,000': two such numbers without a
    leading zero, the smaller first, one ASCII hyphen, no qualifier), or None."""
    ends = text.split("-")
    if len(ends) != 2 or any(len(end) > 1 and end[0] == "0" for end in ends):
        return None
    low, high = (_fast_count(end) for end in ends)
    if low is None or high is None or int(high) > MAX_COUNT or int(high) < int(low):
        return None
    interval, best = _meaning(_Q.RANGE, int(low), int(high))
    return Figure(text, _Q.RANGE, "-", (int(low), int(high)), interval, best)


def _parse(text: str) -> Figure:
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if start >= end:
        raise FigureError("empty figure: write a number (3800) or a phrase ('about 3,800')")
    if vague := _VAGUE_ANY.match(text, start):
        match, phrase = vague
        _expect_end(text, match.end(), end, start)
        low, high, best = VAGUE[phrase]
        return Figure(text, _Q.VAGUE, _words(match.group()), (), Interval(low, high), best)
    qualifier, words, pos = _Q.EXACT, list[str](), start
    if prefix := _PREFIX_ANY.match(text, start):
        match, phrase = prefix
        qualifier, pos = _PREFIXES[phrase], _skip_space(text, match.end())
        words.append(match.group())
    at, high = pos, 0
    if qualifier is _Q.RANGE:
        low, pos, sep = _range_start(
            text, pos, end, "and" if _words(words[0]) == "between" else "to"
        )
        words.append(sep)
        high, pos = _range_end(text, pos, low)
    else:
        low, pos = _number(text, pos, words[0] if words else "")
        range_sep, more = _RANGE_SEP.match(text, pos), _OR_MORE.match(text, pos)
        if qualifier is _Q.EXACT and more:
            qualifier, pos = _Q.AT_LEAST, more.end()
            words.append(more.group())
        elif range_sep and _number_follows(text, range_sep.end()):
            if qualifier not in RANGE_QUALIFIERS:
                raise FigureError(
                    f"'{_words(words[0])}' cannot apply to a range: write the range alone "
                    f"(e.g. '10,000-12,000') and put '{_words(words[0])}' in the notes",
                    start,
                )
            qualifier, pos = _Q.RANGE, range_sep.end()
            words.append(range_sep.group())
            high, pos = _range_end(text, pos, low)
        elif (bracket := _CENTRAL_RANGE.match(text, pos)) and qualifier in RANGE_QUALIFIERS:
            return _central_range(text, low, bracket.end(), (start, end, at), words)
    _expect_end(text, pos, end, start)
    if qualifier in (_Q.NEARLY, _Q.FEWER_THAN) and low == 0:
        message = f"'{_words(words[0])} 0' allows no count at all: a count cannot be negative"
        raise FigureError(message, at)
    numbers = (low, high) if qualifier is _Q.RANGE else (low,)
    interval, best = _meaning(qualifier, low, high)
    return Figure(text, qualifier, " … ".join(map(_words, words)), numbers, interval, best)


def _central_range(
    text: str, central: int, pos: int, bounds: tuple[int, int, int], words: list[str]
) -> Figure:
    """'an estimated 85,600 (75,600-99,600)': a central value inside its stated range."""
    start, end, at = bounds
    low, pos = _number(text, pos, "")
    range_sep = _RANGE_SEP.match(text, pos)
    if range_sep is None or not _number_follows(text, range_sep.end()):
        raise FigureError("expected a range in the brackets, e.g. '85,600 (75,600-99,600)'", pos)
    high, pos = _range_end(text, range_sep.end(), low)
    close = _CLOSE.match(text, pos)
    if close is None:
        raise FigureError("expected ')' to close the range", pos)
    _expect_end(text, close.end(), end, start)
    if not low <= central <= high:
        raise FigureError(
            f"the central value {format_count(central)} lies outside its range "
            f"{format_count(low)}-{format_count(high)}",
            at,
        )
    phrase = " … ".join([*map(_words, words), "(…)"])
    return Figure(text, _Q.RANGE, phrase, (low, high, central), Interval(low, high), central)


def _meaning(qualifier: Qualifier, n: int, m: int) -> tuple[Interval, int]:
    """The interval and best value of a qualifier applied to n (a range: n to m)."""
    match qualifier:
        case _Q.EXACT:
            return Interval(n, n), n
        case _Q.ABOUT:
            return Interval(n * 9 // 10, -(-n * 11 // 10)), n
        case _Q.AT_LEAST:
            return Interval(n, None), n
        case _Q.MORE_THAN:
            return Interval(n, None, low_closed=False), n + 1
        case _Q.NEARLY:
            return Interval(min(-(-n * 9 // 10), n - 1), n, high_closed=False), n - 1
        case _Q.UP_TO:
            return Interval(0, n), n
        case _Q.FEWER_THAN:
            return Interval(0, n, high_closed=False), n - 1
        case _Q.RANGE:
            return Interval(n, m), (n + m) // 2
    raise AssertionError(f"no meaning for {qualifier}")  # VAGUE is read from its table


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _check_size(value: int, offset: int) -> None:
    if value < 0:
        raise FigureError("a count cannot be negative", offset)
    if value > MAX_COUNT:
        raise FigureError(_TOO_LARGE, offset)


# The usual figure ends in plain digits ('3800', 'about 3,800'): nothing follows
# them that could make them part of a larger number ('12 thousand', '3 800').
_FINAL_DIGITS = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})++|[0-9]{1,12})(?=\s*+\Z)")


def _number(text: str, pos: int, after: str) -> tuple[int, int]:
    """The number written at `pos` and where it ends."""
    if not reading_decimal_comma() and (plain := _FINAL_DIGITS.match(text, pos)) is not None:
        value = int(plain.group().replace(",", ""))
        _check_size(value, pos)
        return value, plain.end()
    found = find_numbers(text[pos:])
    if found and found[0].start == 0:
        _check_size(found[0].value, pos)
        return found[0].value, pos + found[0].end
    raise _no_number(text, pos, after)


def _number_follows(text: str, pos: int) -> bool:
    found = find_numbers(text[pos:])
    return bool(found and found[0].start == 0) or _DIGITS.match(text, pos) is not None


def _range_start(text: str, pos: int, end: int, word: str) -> tuple[int, int, str]:
    """N in 'between N and M' or 'from N to M', where M starts, and the words between.

    Tries each 'and' in turn, so 'between one hundred and two hundred' is 100-200.
    """
    for count, match in enumerate(_RANGE_WORD[word].finditer(text, pos, end)):
        found = find_numbers(text[pos : match.start()])
        if len(found) == 1 and found[0].start == 0 and pos + found[0].end == match.start():
            _check_size(found[0].value, pos)
            return found[0].value, match.end(), match.group()
        if count >= 8:
            break
    _, after = _number(text, pos, "")
    raise FigureError(f"expected '{word}' and a second number here", after)


def _range_end(text: str, pos: int, low: int) -> tuple[int, int]:
    high, after = _number(text, pos, "")
    if high < low:
        raise FigureError(
            f"the range ends below where it starts ({format_count(high)} < {format_count(low)}):"
            " write the smaller number first",
            pos,
        )
    return high, after


def _expect_end(text: str, pos: int, end: int, start: int) -> None:
    pos = _skip_space(text, pos)
    if pos < end:
        junk = text[pos:end].split(maxsplit=1)[0][:40]
        raise FigureError(
            f"unexpected '{junk}' after the figure: keep only the figure here "
            f"('{text[start:pos].rstrip()[:60]}') and put other words in the notes",
            pos,
        )


def _ambiguous_message(token: str) -> str:
    """Why `4.000` is refused: read as a decimal it would silently be 1,000 times too small."""
    if reading_decimal_comma():
        grouped = token.replace(",", "")
        dotted = f"{int(grouped):,}".replace(",", ".")
        return (
            f"'{token}' could be {grouped} (commas grouping thousands) or a decimal (the "
            f"decimal comma is in use); reconcile never guesses: write {dotted} or {grouped}"
        )
    grouped = token.replace(".", "")
    return (
        f"'{token}' could be {int(grouped):,} (dots grouping thousands) or a decimal; "
        f"reconcile never guesses: write {int(grouped):,} or {grouped}"
    )


def _no_number(text: str, pos: int, after: str) -> FigureError:
    """Why there is no number at `pos`."""
    said = f" after '{_words(after)}'" if after else ""
    if pos >= len(text.rstrip()):
        return FigureError(f"expected a number{said}", pos)
    if _NEGATIVE.match(text, pos):
        return FigureError("a count cannot be negative", pos)
    if digits := _DIGITS.match(text, pos):
        token = digits.group().rstrip(".,")
        glued = _GLUED.match(text, pos + len(token))
        if sum(c.isdigit() for c in token) > 12:
            return FigureError(_TOO_LARGE, pos)
        if ambiguous(token):
            message = _ambiguous_message(token)
        elif _NOT_WHOLE.search(token):
            message = f"'{token}' is not a whole number (write thousands as 3,800 or 3.8 thousand)"
        elif glued:
            message = (
                f"'{token}{glued.group()}' is not a number: keep units and words for the notes"
            )
        else:
            message = f"cannot read '{token}': group digits in threes (3,800 or 3 800)"
        return FigureError(message, pos)
    if text[pos].isdigit():  # a digit, but not 0-9: Arabic-Indic, full-width, bold …
        return FigureError(
            f"{text[pos]!r} is a digit other than 0-9; write figures with the digits 0-9", pos
        )
    lead = _LEAD_WORDS.match(text, pos)
    if lead is None:
        return FigureError(f"expected a number{said} at '{text[pos]}'", pos)
    words = _words(lead.group()[:60])
    if after and _VAGUE_ANY.pattern.match(text, pos):
        return FigureError(f"a vague amount takes no qualifier: write '{words}' alone", pos)
    if after:
        return FigureError(f"expected a number{said}, not '{words}'", pos)
    close = difflib.get_close_matches(words, _KNOWN, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if _number_follows(text, _skip_space(text, lead.end())):
        return FigureError(f"unknown qualifier '{words}'{hint}", pos)
    return FigureError(f"'{words}' is not a figure{hint}: write e.g. 3800 or 'about 3,800'", pos)


_PREFIX_FIRST_WORDS = frozenset(phrase.split()[0] for phrase in _PREFIXES)


def qualified_at(text: str, mention: NumberMention, known: Figure | None = None) -> Figure | None:
    """The qualified figure `text` states at this number, if words qualify it.

    Reads up to four words before the number ("at least 300", "no fewer than
    300", "an estimated 3,800") with the ledger's own grammar; None when the
    number stands bare.  Used by provenance (are a source's words kept?) and by
    the extractor (which words to record).

    `known`: a figure already read with commas grouping thousands (a ledger's own,
    parsed by the build); a phrase written as its text is not parsed again, since
    `parse_figure` would return its equal (usually the quote's words are the
    ledger's: tests/test_figures_fast.py compares the two).
    """
    # the last four words (and the rest, never read) are what `.split()` would end with
    head = text[max(0, mention.start - 200) : mention.start].rsplit(None, 4)
    if known is not None and reading_decimal_comma():
        known = None  # read with a decimal comma, its text may be another figure
    for count in (4, 3, 2, 1):
        if len(head) < count:
            continue
        if head[-count].lower() not in _PREFIX_FIRST_WORDS:
            continue  # no qualifier starts here: skip the parse
        phrase = " ".join(head[-count:]) + " " + mention.text
        if known is not None and phrase == known.text:
            figure = known
        else:
            try:
                figure = parse_figure(phrase)
            except FigureError:
                continue
        if figure.qualifier is not Qualifier.EXACT:
            return figure
    return None


def stated_value(figure: Figure) -> int:
    """The number the source put forward, for statistics over figures (docs/reports.md).

    The stated number itself, bounds as stated ("more than 10,000" → 10,000, never
    10,001; "nearly 2,700" → 2,700); a range's central value when it states one,
    else its midpoint rounded down (its best); a vague amount's best.
    """
    numbers = figure.numbers
    if figure.qualifier is Qualifier.RANGE:
        return numbers[2] if len(numbers) == 3 else figure.best
    return numbers[0] if numbers else figure.best


def implied(interval: Interval) -> Interval:
    """An exact count read with the precision its trailing zeros imply (docs/reports.md).

    A number ending in two or more zeros is taken as rounded: half its last
    significant place either way, at most 10% (783,000 → 782,500–783,500; 20,000 →
    18,000–22,000); 783,138 and 1,340 stay exact; any other interval is returned as is.
    """
    if not interval.is_exact():
        return interval
    value = interval.low
    digits = str(value)
    zeros = len(digits) - len(digits.rstrip("0"))
    if value == 0 or zeros < 2:
        return interval
    half = min(10**zeros // 2, value // 10)
    return Interval(value - half, value + half)
