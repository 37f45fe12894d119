"""Dates as prose writes them: "January 9, 2025", "9 January 2025", "December 2024",
"in 2023".

Three readers share one grammar of month names:

- `date_from_hints` turns the date hints `extract` found (core/cues.py
  `DATE_HINT`) into a ledger date ("January 9, 2025" -> 2025-01-09), for the
  `as_of` of a drafted estimate.
- `stated_dates` finds the dates a text states, each as a `DateSpan` (a day, a
  month or a year) with its place in the text, for the check that holds a
  quote to its estimate's `as_of` (checks/timing.py).
- `relative_as_of` resolves the relative dates of prose against a document's
  publication date (a day or an interval) into an `as_of` interval, for
  `extract`, and keeps the words it read (below).

`stated_dates` reads a year only where it is a date: after a month ("December
2024"), in a full date, or after "in", "during", "throughout", "as of" or "the
end (start, middle, summer...) of".  A year is not read when it names
something else: "the 2022 invasion", "since 2022" (where a count starts, not
when it was made), "born in 1990" and other events of a life or an
institution, "in 2000 strikes" (a count followed by what it counts), nor a
number grouped as a figure ("2,025", "12 025").  Dates after "since", "from",
"until", "by" and the like are left out, as are day-month dates without a
year ("on January 9") and relative ones ("last week"): the check must not
guess a year.  The reader errs towards reading less: "in 2023 officials said"
is taken for a count like "in 2000 strikes" (a lower-case word after the
number that does not carry the sentence on), while "In 2023, officials said"
is read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.core.dates import DateSpan, parse_span

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]  # fmt: skip
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})$")
_DMY = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+([0-9]{4})$")
_MY = re.compile(r"^(?:early\s+|mid-|late\s+)?([A-Za-z]+)\s+([0-9]{4})$")
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def date_from_hints(hints: tuple[str, ...]) -> str | None:
    """An ISO date from the first absolute date hint ("January 9, 2025" -> 2025-01-09)."""
    for hint in hints:
        text = " ".join(hint.split())
        try:
            if _ISO.match(text):
                date.fromisoformat(text)
                return text
            if m := _MDY.match(text):
                month = month_number(m.group(1))
                if month:
                    return date(int(m.group(3)), month, int(m.group(2))).isoformat()
            if m := _DMY.match(text):
                month = month_number(m.group(2))
                if month:
                    return date(int(m.group(3)), month, int(m.group(1))).isoformat()
            if m := _MY.match(text):
                month = month_number(m.group(1))
                if month:
                    return f"{int(m.group(2)):04d}-{month:02d}"
        except ValueError:
            continue
    return None


def month_number(word: str) -> int | None:
    """1-12 for a month's name or its abbreviation of three letters or more, else None."""
    word = word.lower()
    for number, name in enumerate(_MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


# --- dates stated in a text ---------------------------------------------------

# Capitalised, as articles write months: "may" and "march" are also words.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_DAY = r"(?:[0-9]{1,2})(?:st|nd|rd|th)?"
# a year is not part of a longer number ("12,024", "2025.5", "2025-26", "12 025")
_BEFORE = r"(?<![\w$€£¥₩₽₴.,/:-])(?<![0-9] )"
_AFTER = r"(?![\w%]|[.,:/-][0-9])"
_OF = (
    r"(?i:in|during|throughout|as\s+of|(?:the\s+)?(?:end|start|beginning|middle|course|rest"
    r"|first\s+half|second\s+half|first\s+quarter|last\s+quarter|spring|summer|autumn|fall"
    r"|winter)\s+of)"
)
_STATED = re.compile(
    rf"{_BEFORE}(?P<iso>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})(?![\w-])"
    rf"|\b(?P<mdy_m>{_MONTH})\.?\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR}){_AFTER}"
    rf"|\b(?P<dmy_d>{_DAY})\s+(?:of\s+)?(?P<dmy_m>{_MONTH})\.?,?\s+(?P<dmy_y>{_YEAR}){_AFTER}"
    rf"|\b(?P<my_m>{_MONTH})\.?,?\s+(?:of\s+)?(?P<my_y>{_YEAR}){_AFTER}"
    rf"|\b{_OF}\s+(?:early\s+|late\s+|mid-)?(?P<year>{_YEAR}){_AFTER}(?!['’]s)"
    rf"(?=(?P<next>\s+[a-z]+)?)"
)
# after "in 2023": a word that carries on the sentence, not a noun the number counts
_CARRIES_ON = frozenset((
    "alone", "and", "or", "but", "when", "while", "as", "after", "before", "that", "than",
    "so", "the", "to", "of", "at", "on", "in", "by", "with", "for", "was", "were", "is",
    "are", "has", "had", "have", "he", "she", "they", "it", "we", "there", "this", "these",
    "those", "compared", "versus", "vs", "against", "only", "also", "according",
    "including", "more", "some", "about", "around", "nearly", "almost", "over", "up",
    "until", "through", "amid", "among", "already", "still", "again", "too", "each",
    "both", "either", "neither", "not",
))  # fmt: skip
# words before a date that make it the date of something else than the count:
# where a count starts ("since"), ends ("until"), a forecast ("by"), an event of a
# life or an institution ("born", "founded"), the war's start ("invasion")
_OTHER_EVENT = re.compile(
    r"\b(?:since|from|until|till|between|by|after|before|starting|beginning|began|begun|begin"
    r"|start(?:ed|ing)?|born|founded|established|elected|re-elected|appointed|formed|created"
    r"|launched|built|married|graduated|joined|retired|signed|invaded|invasion|annexed"
    r"|annexation|occupied|seized|liberated|independence|election|expected|forecast|projected"
    r"|predicted|will|would)\b",
    re.IGNORECASE,
)
_LOOK_BACK = 6
"""Words before a date in which `_OTHER_EVENT` makes it another event's date."""
_CLAUSE = re.compile(r"[.;:!?()\[\]\"“”]|,\s|\s[-–—]\s")


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date a text states: the day, month or year it means, and where: text[start:end]."""

    span: DateSpan
    start: int
    end: int

    @property
    def words(self) -> str:
        return self.span.text


_YEARISH = re.compile(r"(?:1[89]|20)[0-9]{2}")  # no look-around: fast to scan


def year_positions(text: str) -> list[int]:
    """Where `text` has a run of exactly four digits that could be a year, in order:
    every date `stated_dates` reads has one (a quick test before the full grammar)."""
    return [
        match.start()
        for match in _YEARISH.finditer(text)
        if not (match.start() > 0 and text[match.start() - 1].isdigit())
        and not (match.end() < len(text) and text[match.end()].isdigit())
    ]


def may_state_a_date(text: str) -> bool:
    return bool(year_positions(text))


def stated_dates(text: str) -> list[StatedDate]:
    """The dates `text` states as dates (see the module's doc), in order."""
    if not may_state_a_date(text):
        return []
    found: list[StatedDate] = []
    for match in _STATED.finditer(text):
        span = _span(match)
        if span is None or _of_another_event(text, match.start()):
            continue
        found.append(StatedDate(span, match.start(), match.end()))
    return found


def _span(match: re.Match[str]) -> DateSpan | None:
    words = " ".join(match.group().split())
    groups = match.groupdict()
    try:
        if groups["iso"]:
            return parse_span(groups["iso"])  # the ledger's own grammar
        for prefix in ("mdy", "dmy"):
            if groups[f"{prefix}_y"]:
                month = month_number(groups[f"{prefix}_m"])
                number = int(re.sub(r"[^0-9]", "", groups[f"{prefix}_d"]))
                if month is None:
                    return None
                day = date(int(groups[f"{prefix}_y"]), month, number)
                return DateSpan(day, day, words)
        if groups["my_y"]:
            month = month_number(groups["my_m"])
            if month is None:
                return None
            year = int(groups["my_y"])
            last = calendar.monthrange(year, month)[1]
            return DateSpan(date(year, month, 1), date(year, month, last), words)
    except ValueError:  # 31 February; 2025-02-30 (a DateError)
        return None
    following = groups["next"]
    if following is not None and following.strip() not in _CARRIES_ON:
        return None  # "in 2000 strikes": a count
    year = int(groups["year"])
    return DateSpan(date(year, 1, 1), date(year, 12, 31), words)


def _of_another_event(text: str, start: int) -> bool:
    """A word just before the date, in its clause, makes it the date of another event."""
    before = text[max(0, start - 80) : start]
    clause = list(_CLAUSE.finditer(before))
    if clause:
        before = before[clause[-1].end() :]
    words = before.split()[-_LOOK_BACK:]
    return bool(_OTHER_EVENT.search(" ".join(words)))


# --- relative dates ---------------------------------------------------------

# "on Wednesday", "this Monday" (the last such day on or before publication),
# "yesterday", "last week" (the calendar week before), "last month", "at the
# end of December" (its last twelve days, as the shipped ledger reads it), "on
# January 9" (the last 9 January on or before publication), "earlier this
# month", "ten days ago", "two weeks ago" (that day; that week, three days
# either side).  Anything else is left for a person: no date is guessed from
# words it does not know.

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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
