"""Extraction and coverage results as tables, JSON data and ledger entries.

Pure: results in, `tabular.Table`s and plain data out (rendering is
render.py's job).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from reconcile.coverage import Coverage, Match
from reconcile.extract import Extracted, Kind
from reconcile.extract_ledger import LedgerContext, relative_as_of
from reconcile.figures import format_interval
from reconcile.importer import slug
from reconcile.numbers import point_grouped, reading_decimal_comma
from reconcile.tabular import Align, Column, Record, Table

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]  # fmt: skip
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})$")
_DMY = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+([0-9]{4})$")
_MY = re.compile(r"^(?:early\s+|mid-|late\s+)?([A-Za-z]+)\s+([0-9]{4})$")
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def extracted_dict(found: Extracted) -> dict[str, Any]:
    figure = found.figure
    return {
        "figure": found.phrase,
        "start": found.start,
        "end": found.end,
        "numbers": list(figure.numbers),
        "qualifier": figure.qualifier.value,
        "interval": format_interval(figure.interval),
        "low": figure.interval.low,
        "high": figure.interval.high,
        "best": figure.best,
        "kind": found.kind.value,
        "kind_reason": found.kind_reason,
        "metric": found.metric.value if found.metric else None,
        "metric_cue": found.metric_cue,
        "claimant": found.claimant,
        "claimant_cue": found.claimant_cue,
        "dates": list(found.dates),
        "confidence": found.confidence.value,
        "confidence_reason": found.confidence_reason,
        "sentence": found.sentence.text,
        "sentence_start": found.sentence.start,
        "sentence_end": found.sentence.end,
    }


def _metric_cell(found: Extracted) -> str:
    if found.metric is None:
        return ""
    # the cue is the word that decided the metric
    return f"{found.metric.value} ({found.metric_cue})" if found.metric_cue else found.metric


def _claimant_cell(found: Extracted) -> str:
    if found.claimant is None:
        return f"? ({found.claimant_cue})" if found.claimant_cue else ""
    return f"{found.claimant} ({found.claimant_cue})"


def extract_tables(files: list[tuple[str, list[Extracted]]], *, show_all: bool) -> list[Table]:
    """Per file: a table of figures (each pointing at its sentence by number) and a
    table of those sentences, in full: the quote to paste."""
    tables = []
    for name, found in files:
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
                _claimant_cell(f),
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
                    Column("claimant (cue)"),
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


def date_from_hints(hints: tuple[str, ...]) -> str | None:
    """An ISO date from the first absolute date hint ("January 9, 2025" -> 2025-01-09)."""
    for hint in hints:
        text = " ".join(hint.split())
        try:
            if _ISO.match(text):
                date.fromisoformat(text)
                return text
            if m := _MDY.match(text):
                month = _month(m.group(1))
                if month:
                    return date(int(m.group(3)), month, int(m.group(2))).isoformat()
            if m := _DMY.match(text):
                month = _month(m.group(2))
                if month:
                    return date(int(m.group(3)), month, int(m.group(1))).isoformat()
            if m := _MY.match(text):
                month = _month(m.group(1))
                if month:
                    return f"{int(m.group(2)):04d}-{month:02d}"
        except ValueError:
            continue
    return None


def _month(word: str) -> int | None:
    word = word.lower()
    for number, name in enumerate(_MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def estimate_entries(
    files: list[tuple[str, str, list[Extracted]]],
    context: LedgerContext | None = None,
) -> list[dict[str, Any]]:
    """Ready-to-paste estimates: (display name, document id, figures) per file.

    Figures of one sentence with different metrics become one estimate (as
    "at least 300 ... died and another 2,700 were injured").  `claimant` is
    the slug of the guessed claimant (add it to the sources, or correct it);
    `as_of` is given only when the sentence states a full date.  With the
    ledger's `context`, claimants are matched to its sources (id, name, alias)
    and relative dates ("on Wednesday", "last week") are resolved against the
    document's publication date, the words kept in the notes.
    """
    entries: list[dict[str, Any]] = []
    ids: set[str] = set()
    for name, document, found in files:
        current: dict[str, Any] | None = None
        current_sentence = -1
        for f in found:
            if f.kind is not Kind.FIGURE or f.metric is None:
                continue
            if current is None or current_sentence != f.sentence.start or f.metric in current:
                current = _new_entry(name, document, f, ids, context)
                current_sentence = f.sentence.start
                entries.append(current)
            current[f.metric.value] = _figure_value(f)
            _reorder(current)
    return entries


def _figure_value(f: Extracted) -> int | str:
    # a figure read with a decimal comma is written as the ledger reads figures
    text = point_grouped(f.phrase) if reading_decimal_comma() else f.phrase
    return int(text) if text.isdigit() and len(text) <= 15 else text


def _new_entry(
    name: str, document: str, f: Extracted, ids: set[str], context: LedgerContext | None = None
) -> dict[str, Any]:
    assert f.metric is not None
    base = f"{document}-{f.metric.value}-{f.figure.best}"[:76]
    estimate_id, number = base, 2
    while estimate_id in ids:
        estimate_id, number = f"{base}-{number}", number + 1
    ids.add(estimate_id)
    known = context.claimant(f.claimant) if context is not None else None
    entry: dict[str, Any] = {
        "id": estimate_id,
        "claimant": known or (slug(f.claimant) if f.claimant else "unknown"),
    }
    as_of = date_from_hints(f.dates)
    resolved = None
    resolved_note = ""
    if not as_of and context is not None:
        published = context.published(document)
        resolved = relative_as_of(f.dates, published)
        if resolved is not None and published is not None:
            as_of = resolved.as_of
            resolved_note = (
                f" as_of read from '{resolved.words}' in a document published {published.text}."
            )
    if as_of:
        entry["as_of"] = as_of
    entry["reported_in"] = [{"document": document, "quote": " ".join(f.sentence.text.split())}]
    hints = "; ".join(f.dates) if f.dates else "none"
    claimant = f"'{f.claimant}'" if f.claimant else "not found"
    entry["notes"] = (
        f"Extracted from {name} by reconcile extract, confidence {f.confidence.value} "
        f"({f.confidence_reason}). Claimant {claimant}"
        + (f" (cue '{f.claimant_cue}')" if f.claimant_cue else "")
        + (f", source '{known}' of the ledger" if known else "")
        + f"; date hints: {hints}."
        + resolved_note
        + " Check the claimant, as_of and figures before use."
    )
    return entry


_ORDER = ("id", "claimant", "as_of", "deployed", "killed", "wounded", "casualties", "captured",
          "missing", "reported_in", "notes")  # fmt: skip


def _reorder(entry: dict[str, Any]) -> None:
    ordered = {key: entry[key] for key in _ORDER if key in entry}
    entry.clear()
    entry.update(ordered)


# --- coverage ---------------------------------------------------------------


def _match_dict(match: Match) -> dict[str, Any]:
    return {
        "status": match.status,
        "estimate": match.estimate,
        "metric": match.metric.value if match.metric else None,
        **extracted_dict(match.found),
    }


def coverage_dict(result: Coverage) -> dict[str, Any]:
    return {
        "complete": result.complete,
        "todo": result.todo,
        "missing_quotes": result.missing_quotes,
        "documents": [
            {
                "document": doc.document,
                "archived": doc.archived,
                "figures": [_match_dict(m) for m in doc.matches],
                "missing_quotes": [
                    {"estimate": q.estimate, "quote": q.quote} for q in doc.missing_quotes
                ],
            }
            for doc in result.documents
        ],
    }


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


def coverage_tables(result: Coverage, *, show_all: bool) -> list[Table]:
    summary = tuple(
        (
            doc.document,
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
            "elsewhere in the article; to do: in no ledger entry",
            name="coverage",
            records=tuple(
                {
                    "document": doc.document,
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
