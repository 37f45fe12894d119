"""What a quote says about time, held to the estimate's `as_of` (a warning).

`as-of-not-in-quote`: the quote, read in its sentence(s) of the archived text
where that text is archived, states dates (a full date, a month and year, or a
year written as a date: core/prose_dates.py `stated_dates`), and none of them
overlaps the estimate's `as_of` nor its `period`.  "In 2023, ... 300 were
killed" recorded as of 2024-12-20 is flagged: either the date is wrong (a wrong
year) or the figure covers 2023, which the estimate's `period` says.  A quote
that states no date is not judged; one date that overlaps is enough (a quote
often dates the events it reports as well as the claim).

A claim dated after the document that reports it was published is another
check's (`as-of-after-publication`, checks/dates.py), an error.

Like the other warnings of what a quote says, it is acknowledged by the
estimate (`acknowledged:`), with a reason, once a person has checked it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from reconcile.checks.context import Context
from reconcile.core.dates import DateSpan
from reconcile.core.issues import Issue, warning
from reconcile.core.prose_dates import StatedDate, stated_dates, year_positions
from reconcile.core.sentences import sentences
from reconcile.core.text import normalise

CHECK = "as-of-not-in-quote"
AROUND = 400
"""Characters of the quote's sentence read on either side of it, at most."""


def check(context: Context) -> list[Issue]:
    """Uses the documents' normalised texts provenance left in the context's
    `bodies`; a document is split into sentences only when a year-like number
    stands near one of its quotes."""
    where, texts, bodies = context.origins, context.texts, context.bodies
    # kept for the run (context.memo): checks.parallel calls this once per chunk
    split: dict[str, _Split] = context.kept("timing.split")
    years: dict[str, list[int]] = context.kept("timing.years")  # where year-like numbers stand
    issues: list[Issue] = []
    quotes = context.quotes
    for estimate in context.own:
        allowed = [span for span in (estimate.as_of, estimate.period) if span is not None]
        for number, report in enumerate(estimate.reported_in):
            quote = quotes[report.quote]
            around = quote
            text = texts.get(report.document)
            if text is not None:
                body = bodies.get(report.document)
                if body is None:
                    body = bodies[report.document] = normalise(text)
                positions = years.get(report.document)
                if positions is None:
                    positions = years[report.document] = year_positions(body)
                at = body.find(quote) if quote else -1
                if at >= 0 and not (
                    positions and _any_between(positions, at - AROUND, at + len(quote) + AROUND)
                ):
                    continue  # no year near the quote: no date to hold as_of to
                if report.document not in split:
                    split[report.document] = _Split(text)
                around = split[report.document].around(quote) or quote
            stated = stated_dates(around)
            if not stated or any(_overlaps(d.span, span) for d in stated for span in allowed):
                continue
            outside = around != quote and not {d.words for d in stated} <= {
                d.words for d in stated_dates(quote)
            }
            issues.append(
                warning(
                    CHECK,
                    f"the quote{' (in its sentence)' if outside else ''} dates it "
                    f"{_listed(stated)}, which as_of {estimate.as_of}"
                    f"{f' and period {estimate.period}' if estimate.period else ''} "
                    "does not overlap",
                    where.at(estimate, "reported_in", number, "quote"),
                    hint="check as_of (a wrong year?); if the figure covers that time, "
                    "record it as the estimate's period",
                )
            )
    return issues


def _any_between(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted list has a position in [start, end)."""
    at = bisect_left(positions, start)
    return at < len(positions) and positions[at] < end


def _overlaps(one: DateSpan, other: DateSpan) -> bool:
    return one.start <= other.end and other.start <= one.end


def _listed(stated: list[StatedDate]) -> str:
    words = list(dict.fromkeys(f"'{d.words}'" for d in stated))
    return ", ".join(words[:3]) + (f" and {len(words) - 3} more" if len(words) > 3 else "")


class _Split:
    """A document's text as its normalised sentences, joined by single spaces (as
    provenance reads it), with where each starts: a quote is read in the
    sentences it spans."""

    def __init__(self, text: str) -> None:
        parts = [normalise(sentence.text) for sentence in sentences(text)]
        self.starts: list[int] = []
        at = 0
        for part in parts:
            self.starts.append(at)
            at += len(part) + 1
        self.parts = parts
        self.body = " ".join(parts)

    def around(self, quote: str) -> str | None:
        """The sentences the quote's first occurrence spans (at most `AROUND`
        characters either side of it: a text without full stops is one long
        "sentence"), or None when it is not in the text (quote-not-found says so)."""
        if not quote:
            return None
        at = self.body.find(quote)
        if at < 0:
            return None
        first = bisect_right(self.starts, at) - 1
        last = bisect_right(self.starts, at + len(quote) - 1) - 1
        end = self.starts[last] + len(self.parts[last])
        start = max(self.starts[first], at - AROUND)
        return self.body[start : min(end, at + len(quote) + AROUND)]
