"""Provenance: every quote is in its document, every figure in its quotes.

Quotes are compared after normalising what copying from a web page changes
without changing the words: Unicode compatibility forms, runs of white space,
curly quotes and apostrophes, and the many dashes.  Numbers are found in any
written form (`3,800`, `3 800`, `a thousand`, `two`).  And the words are
kept: when the quote says "at least 300" the ledger may not record a bare 300,
and when it says "nearly" the ledger may not say "about".
"""

from __future__ import annotations

from typing import Protocol

from reconcile.checks.cached import ProvenanceCache, Recorder
from reconcile.checks.context import Context
from reconcile.core.figures import Figure, Qualifier, qualified_at
from reconcile.core.issues import Issue, Location, error, warning
from reconcile.core.models import Estimate, Metric, Report
from reconcile.core.numbers import (
    NumberMention,
    decimal_comma,
    find_numbers,
    reading_decimal_comma,
)
from reconcile.core.text import normalised_texts
from reconcile.ingest.composer import Key


def check(context: Context) -> list[Issue]:
    """Quotes against the archived texts (`context.texts`), figures against quotes.

    The context's `numbers` and `bodies` (document id -> normalised text) are
    filled for the checks that run after this one (checks.meaning), so each
    quote's numbers and each document's normalised text are computed once per run.
    """
    ledger, where, texts = context.ledger, context.origins, context.texts
    numbers = context.numbers if context.numbers is not None else Numbers()
    normalised, normal = normalise_bodies(context), context.quotes
    issues: list[Issue] = []
    # a document in a decimal-comma language (language: de) is read with dots
    # grouping thousands: its '4.000' is 4,000; elsewhere '4.000' is no number
    commas = context.decimal_commas()
    cache: ProvenanceCache | None = context.cache
    documents: dict[str, object] = {}
    for document in ledger.documents if cache is not None else ():  # the cache's keys
        documents.setdefault(document.id, document)
    for estimate in context.own:
        quotes = [normal[report.quote] for report in estimate.reported_in]
        comma = [commas.get(report.document, False) for report in estimate.reported_in]
        if cache is None:
            issues.extend(_estimate(estimate, where, quotes, comma, normalised, numbers))
            continue
        key = cache.key(estimate, comma, texts, where, documents)
        hit = cache.get(key, estimate, where, quotes)
        if hit is not None:
            issues.extend(hit[0])
            for quote, c, read in zip(quotes, comma, hit[1], strict=True):
                numbers.setdefault((quote, c), read)
            continue
        recorder = Recorder(where)
        found = _estimate(estimate, recorder, quotes, comma, normalised, numbers)
        mentions = [numbers[quote, c] for quote, c in zip(quotes, comma, strict=True)]
        cache.put(key, found, recorder.paths, mentions)
        issues.extend(found)
    return issues


def normalise_bodies(context: Context) -> dict[str, str]:
    """Every readable document's normalised text in the context's `bodies` (filled
    once per run: later calls find it done), and `bodies`."""
    normalised, texts = context.bodies, context.texts
    if len(normalised) == len(texts):  # the checks fill `bodies` from `texts` only
        return normalised
    normalised.update(normalised_texts(texts))
    return normalised


class _Where(Protocol):
    def at(self, entry: object, *rest: Key, key: bool = False) -> Location: ...


def _estimate(  # noqa: PLR0917 (a private helper of one call site)
    estimate: Estimate,
    where: _Where,
    quotes: list[str],
    comma: list[bool],
    normalised: dict[str, str],
    numbers: _Numbers,
) -> list[Issue]:
    """One estimate's quotes against its documents' texts, its figures against its quotes."""
    issues: list[Issue] = []
    for number, (report, quote) in enumerate(zip(estimate.reported_in, quotes, strict=True)):
        body = normalised.get(report.document)
        if body is None:
            continue
        if quote not in body:
            issues.append(
                error(
                    "quote-not-found",
                    f"the quote does not occur in document '{report.document}'",
                    where.at(estimate, "reported_in", number, "quote"),
                    hint=_first_difference(quote, body),
                )
            )
    issues.extend(_figures(estimate, where, quotes, numbers, comma))
    return issues


class _Numbers(dict[tuple[str, bool], list[NumberMention]]):
    """Each quote's numbers (read with a decimal comma or not), read once however
    many figures and estimates share it."""

    def __missing__(self, key: tuple[str, bool]) -> list[NumberMention]:
        quote, comma = key
        if comma == reading_decimal_comma():  # spare entering the context per quote
            found = self[key] = find_numbers(quote)
        else:
            with decimal_comma(comma):
                found = self[key] = find_numbers(quote)
        return found


Numbers = _Numbers
"""Each quote's numbers, shared with the checks that run after provenance."""


def _figures(
    estimate: Estimate,
    where: _Where,
    quotes: list[str],
    numbers_in: _Numbers,
    comma: list[bool] | None = None,
) -> list[Issue]:
    """`quotes` are the estimate's quotes, normalised; `comma`, whether each is
    read with a decimal comma (its document's language)."""
    issues: list[Issue] = []
    comma = comma or [False] * len(quotes)
    reading = reading_decimal_comma()
    found = [numbers_in[quote, c] for quote, c in zip(quotes, comma, strict=True)]
    values = [{mention.value for mention in numbers} for numbers in found]  # once per quote
    own = estimate.figures()
    for metric, figure in own.items():
        if not (
            any(said.issuperset(figure.numbers) for said in values)  # `_stated`, inlined
            if figure.numbers
            else any(figure.words.lower() in quote.lower() for quote in quotes)
        ):
            issues.append(
                error(
                    "figure-not-in-quote",
                    f"{metric} '{figure.text}' does not occur in any of its quotes",
                    where.at(estimate, metric.value),
                    hint="quote the sentence that gives this figure, or correct the figure",
                )
            )
    for number, (report, quote, numbers, said, c) in enumerate(
        zip(estimate.reported_in, quotes, found, values, comma, strict=True)
    ):
        for metric, stated in (report.wording or {}).items():
            if not _stated(stated, quote, numbers, said):
                issues.append(
                    error(
                        "figure-not-in-quote",
                        f"the wording '{stated.text}' for {metric} does not occur in this quote",
                        where.at(estimate, "reported_in", number, "wording", metric.value),
                    )
                )
        for metric, used in _printed(estimate, report, own, c, said).items():
            if c == reading:  # already read so: spare entering the context per figure
                problem = _flattened(used, quote, numbers)
            else:
                with decimal_comma(c):
                    problem = _flattened(used, quote, numbers)
            if problem is not None:
                issues.append(
                    warning(
                        "wording-not-in-quote",
                        f"{metric}: {problem}",
                        where.at(estimate, "reported_in", number, "quote"),
                        hint=f"keep this report's words: wording: {{{metric.value}: <its words>}}"
                        if metric not in (report.wording or {})
                        else "correct the wording",
                    )
                )
    return issues


def _printed(
    estimate: Estimate, report: Report, own: dict[Metric, Figure], comma: bool, said: set[int]
) -> dict[Metric, Figure]:
    """`estimate.printed_by(report, comma=comma, said=said)`; `own`: the estimate's
    figures.  A report without `wording` or `omits` (most) printed those of its
    figures whose numbers its quote holds, picked here without reading the figures
    again (tests/test_checks_fast.py compares the two)."""
    if report.wording or report.omits:
        return estimate.printed_by(report, comma=comma, said=said)
    return {m: f for m, f in own.items() if not f.numbers or said.issuperset(f.numbers)}


def _stated(
    figure: Figure, quote: str, numbers: list[NumberMention], values: set[int] | None = None
) -> bool:
    """The figure's numbers (or, for a vague amount, its words) occur in the quote.

    `numbers` are the quote's numbers (`find_numbers(quote)`); `values`, their
    values, when the caller has them.
    """
    if not figure.numbers:
        return figure.words.lower() in quote.lower()
    if values is None:
        values = {mention.value for mention in numbers}
    return all(value in values for value in figure.numbers)


def _flattened(figure: Figure, quote: str, numbers: list[NumberMention]) -> str | None:
    """Why the quote's words for this figure differ from the ledger's, if they do."""
    if not figure.numbers or figure.qualifier is Qualifier.RANGE:
        return None
    said = [qualified_at(quote, m, figure) for m in numbers if m.value == figure.numbers[0]]
    if not said:
        return None
    if any(_same_words(figure, other) for other in said):
        return None
    stated = said[0]
    if stated is None:
        return f"the ledger says '{figure.text}' but the quote gives the bare number"
    return f"the quote says '{stated.text}' but the ledger records '{figure.text}'"


def _same_words(figure: Figure, stated: Figure | None) -> bool:
    if stated is None:
        return figure.qualifier is Qualifier.EXACT
    return stated.qualifier is figure.qualifier and (
        figure.words == stated.words or figure.words in ("~", "≥", ">", "<", "≤", ">=", "<=")
    )


def _first_difference(quote: str, body: str) -> str:
    """Where a quote stops matching its document, found by bisection."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in body:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return "not even its first character matches; is it the right document?"
    matched = quote[:low]
    tail = matched if len(matched) <= 40 else "…" + matched[-40:].split(" ", 1)[-1]
    return f"the document matches up to '{tail}' and differs after it"
