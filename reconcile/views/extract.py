"""Extraction and coverage results as tables.

Pure: results in, `tabular.Table`s out (rendering is render/'s job; JSON is
each result's own `to_json()`; drafting ledger entries is authoring/drafting.py's).
"""

from __future__ import annotations

from reconcile.authoring.extract import Extracted, Kind
from reconcile.authoring.extract_ledger import LedgerContext, claimant_of
from reconcile.core.figure_text import format_interval
from reconcile.reports.coverage import Coverage, DocumentCoverage, Match
from reconcile.views.tabular import Align, Column, Record, Table


def _metric_cell(found: Extracted) -> str:
    if found.metric is None:
        return ""
    # the cue is the word that decided the metric
    return f"{found.metric.value} ({found.metric_cue})" if found.metric_cue else found.metric


def extract_tables(
    files: list[tuple[str, list[Extracted]]],
    *,
    show_all: bool,
    context: LedgerContext | None = None,
) -> list[Table]:
    """Per file: a table of figures (each pointing at its sentence by number) and a
    table of those sentences, in full: the quote to paste.  The claimant is the
    one the YAML drafts give (`claimant_of`: the ledger's source when `context`
    has it), with the article's words beside it."""
    tables = []
    for name, found in files:
        claimants = {id(f): claimant_of(f, context) for f in found}
        shown = [f for f in found if show_all or f.kind is Kind.FIGURE]
        hidden = len(found) - len(shown)
        numbers: dict[int, int] = {}
        for f in shown:
            numbers.setdefault(f.sentence.start, len(numbers) + 1)
        rows = tuple(
            (
                str(numbers[f.sentence.start]),
                f.phrase,
                format_interval(f.figure.interval),
                _metric_cell(f) if f.kind is Kind.FIGURE else f"({f.kind_reason})",
                claimants[id(f)].label(),
                f.confidence.value,
            )
            for f in shown
        )
        caption = (
            f"{hidden} other number(s) are not casualty, deployment or capture figures "
            "(--all lists them with the reason)"
            if hidden
            else None
        )
        tables.append(
            Table(
                title=f"Figures in {name}",
                columns=(
                    Column("#", Align.RIGHT),
                    Column("figure"),
                    Column("interval", Align.RIGHT),
                    Column("metric (cue)"),
                    Column("claimant: words (cue)"),
                    Column("confidence"),
                ),
                rows=rows,
                caption=caption,
                name="figures",
                records=tuple(
                    {
                        "file": name,
                        "sentence_no": numbers[f.sentence.start],
                        "figure": f.phrase,
                        "low": f.figure.interval.first(),
                        "best": f.figure.best,
                        "high": f.figure.interval.last(),
                        "kind": f.kind.value,
                        "metric": f.metric.value if f.metric else None,
                        "metric_cue": f.metric_cue,
                        "claimant": f.claimant,
                        "claimant_cue": f.claimant_cue,
                        **claimants[id(f)].to_json(),
                        "confidence": f.confidence.value,
                        "start": f.start,
                        "end": f.end,
                    }
                    for f in shown
                ),
            )
        )
        sentences = {f.sentence.start: f.sentence.text for f in shown}
        tables.append(
            Table(
                title=f"Sentences of {name}",
                columns=(Column("#", Align.RIGHT), Column("sentence")),
                rows=tuple(
                    (str(numbers[start]), " ".join(text.split()))
                    for start, text in sentences.items()
                ),
                name="sentences",
                records=tuple(
                    {"file": name, "sentence_no": numbers[start], "text": " ".join(text.split())}
                    for start, text in sentences.items()
                ),
            )
        )
    return tables


# --- coverage ---------------------------------------------------------------


def _match_record(document: str, m: Match) -> Record:
    """A figure of an archived document as CSV data."""
    figure = m.found.figure
    return {
        "document": document, "figure": m.found.phrase, "low": figure.interval.first(),
        "best": figure.best, "high": figure.interval.last(),
        "metric": m.metric.value if m.metric else None, "estimate": m.estimate,
        "status": m.status, "why": m.found.kind_reason if m.status == "not-casualty" else None,
        "start": m.found.start, "end": m.found.end,
        "sentence": " ".join(m.found.sentence.text.split()),
    }  # fmt: skip


def _named(doc: DocumentCoverage) -> str:
    """A document as the tables name it: with how many others share its text."""
    if not doc.same_text:
        return doc.document
    return f"{doc.document} (+{len(doc.same_text)} with the same text)"


def coverage_tables(result: Coverage, *, show_all: bool) -> list[Table]:
    summary = tuple(
        (
            _named(doc),
            str(len(doc.with_status("covered"))),
            str(len(doc.with_status("restated"))),
            str(len(doc.with_status("todo"))),
            str(len(doc.with_status("not-casualty"))),
            str(len(doc.missing_quotes)) if doc.archived else "not archived",
        )
        for doc in result.documents
    )
    tables = [
        Table(
            "Coverage of the archive",
            (
                Column("document"),
                Column("covered", Align.RIGHT),
                Column("restated", Align.RIGHT),
                Column("to do", Align.RIGHT),
                Column("not casualty", Align.RIGHT),
                Column("quotes missing", Align.RIGHT),
            ),
            summary,
            caption="covered: in a ledger quote; restated: a ledger figure repeated "
            "elsewhere in the article; to do: in no ledger entry"
            + (
                "; documents with the same text are counted and listed once"
                if any(doc.same_text for doc in result.documents)
                else ""
            ),
            name="coverage",
            records=tuple(
                {
                    "document": doc.document,
                    "same_text": " ".join(doc.same_text),
                    "archived": doc.archived,
                    "covered": len(doc.with_status("covered")),
                    "restated": len(doc.with_status("restated")),
                    "todo": len(doc.with_status("todo")),
                    "not_casualty": len(doc.with_status("not-casualty")),
                    "quotes_missing": len(doc.missing_quotes) if doc.archived else None,
                }
                for doc in result.documents
            ),
        ),
        Table(
            "To do: figures in no ledger entry",
            (Column("document"), Column("figure"), Column("metric"), Column("sentence")),
            tuple(
                (
                    doc.document,
                    m.found.phrase,
                    m.metric.value if m.metric else "",
                    " ".join(m.found.sentence.text.split()),
                )
                for doc in result.documents
                for m in doc.with_status("todo")
            ),
            name="todo",
            records=tuple(
                _match_record(doc.document, m)
                for doc in result.documents
                for m in doc.with_status("todo")
            ),
        ),
        Table(
            "Ledger quotes not found in their document",
            (Column("document"), Column("estimate"), Column("quote")),
            tuple(
                (doc.document, q.estimate, " ".join(q.quote.split()))
                for doc in result.documents
                for q in doc.missing_quotes
            ),
            name="quote-not-found",
            records=tuple(
                {"document": doc.document, "estimate": q.estimate, "quote": q.quote}
                for doc in result.documents
                for q in doc.missing_quotes
            ),
        ),
    ]
    if show_all:
        tables.append(
            Table(
                "Figures in the ledger",
                (
                    Column("document"),
                    Column("figure"),
                    Column("metric"),
                    Column("estimate"),
                    Column("status"),
                ),
                tuple(
                    (
                        doc.document,
                        m.found.phrase,
                        m.metric.value if m.metric else "",
                        m.estimate or "",
                        m.status,
                    )
                    for doc in result.documents
                    for m in doc.matches
                    if m.status in ("covered", "restated")
                ),
                name="in-ledger",
                records=tuple(
                    _match_record(doc.document, m)
                    for doc in result.documents
                    for m in doc.matches
                    if m.status in ("covered", "restated")
                ),
            )
        )
        tables.append(
            Table(
                "Not casualty figures",
                (Column("document"), Column("figure"), Column("why")),
                tuple(
                    (doc.document, m.found.phrase, m.found.kind_reason)
                    for doc in result.documents
                    for m in doc.with_status("not-casualty")
                ),
                name="not-casualty",
                records=tuple(
                    _match_record(doc.document, m)
                    for doc in result.documents
                    for m in doc.with_status("not-casualty")
                ),
            )
        )
    return tables
