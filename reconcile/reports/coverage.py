"""Coverage: which figures of the archived documents are in the ledger.

For each archived document, `coverage` runs the extractor and sorts what it
finds:

* **covered**: a ledger figure with the same number(s) and metric whose quote
  (in this document) overlaps the sentence the figure is in;
* **restated**: same number(s) and metric as a figure of an estimate this
  document reports, in a sentence no quote covers (the article repeats a
  figure it gives elsewhere: "the capture of the first two soldiers");
* **to do**: a casualty, deployment or capture figure that is in no ledger
  entry: add it, or decide it is not one;
* **not a casualty figure**: dates, ages, durations, unit sizes, breakdowns and
  other numbers, each with the reason the extractor gave.

It also lists the ledger's quotes that no longer occur in their document, and
the documents that have no archived text.  Pure: ledger and texts in, result out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reconcile.authoring.extract import Extracted, Kind, extract
from reconcile.core.figures import Figure
from reconcile.core.models import Ledger, Metric
from reconcile.core.numbers import comma_language, decimal_comma
from reconcile.core.text import normalise


@dataclass(frozen=True, slots=True)
class Quoted:
    """A ledger figure as one report gives it."""

    estimate: str
    metric: Metric
    figure: Figure
    quote: str
    span: tuple[int, int] | None  # where the quote is in the document's text


@dataclass(frozen=True, slots=True)
class Match:
    found: Extracted
    estimate: str | None  # None: a figure still to add (or one not a casualty figure)
    metric: Metric | None
    status: str  # covered, restated, todo, not-casualty

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "estimate": self.estimate,
            "metric": self.metric.value if self.metric else None,
            **self.found.to_json(),
        }


@dataclass(frozen=True, slots=True)
class DocumentCoverage:
    document: str
    archived: bool
    matches: tuple[Match, ...]
    missing_quotes: tuple[Quoted, ...]

    def with_status(self, status: str) -> list[Match]:
        return [m for m in self.matches if m.status == status]


@dataclass(frozen=True, slots=True)
class Coverage:
    documents: tuple[DocumentCoverage, ...]

    @property
    def todo(self) -> int:
        return sum(len(d.with_status("todo")) for d in self.documents)

    @property
    def missing_quotes(self) -> int:
        return sum(len(d.missing_quotes) for d in self.documents)

    @property
    def complete(self) -> bool:
        return self.todo == 0 and self.missing_quotes == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "todo": self.todo,
            "missing_quotes": self.missing_quotes,
            "documents": [
                {
                    "document": doc.document,
                    "archived": doc.archived,
                    "figures": [m.to_json() for m in doc.matches],
                    "missing_quotes": [
                        {"estimate": q.estimate, "quote": q.quote} for q in doc.missing_quotes
                    ],
                }
                for doc in self.documents
            ],
        }


def coverage(ledger: Ledger, texts: dict[str, str]) -> Coverage:
    """`texts`: the archived text of each document that could be read, by id."""
    return Coverage(
        tuple(
            _document(ledger, document.id, texts.get(document.id)) for document in ledger.documents
        )
    )


def _document(ledger: Ledger, doc_id: str, text: str | None) -> DocumentCoverage:
    quoted = _quoted(ledger, doc_id, text)
    if text is None:
        return DocumentCoverage(doc_id, False, (), ())
    language = next((d.language for d in ledger.documents if d.id == doc_id), None)
    with decimal_comma(comma_language(language)):  # its numbers as its language writes them
        matches = tuple(_match(found, quoted) for found in extract(text))
    missing = tuple(q for q in quoted if q.span is None)
    unique_missing = tuple({(q.estimate, q.quote): q for q in missing}.values())
    return DocumentCoverage(doc_id, True, matches, unique_missing)


def _quoted(ledger: Ledger, doc_id: str, text: str | None) -> list[Quoted]:
    out: list[Quoted] = []
    for estimate in ledger.estimates:
        for report in estimate.reported_in:
            if report.document != doc_id:
                continue
            span = locate(report.quote, text) if text is not None else None
            for metric, figure in estimate.figures().items():
                used = (report.wording or {}).get(metric, figure)
                out.append(Quoted(estimate.id, metric, used, report.quote, span))
    return out


def _match(found: Extracted, quoted: list[Quoted]) -> Match:
    if found.kind is not Kind.FIGURE or found.metric is None:
        return Match(found, None, None, "not-casualty")
    same = [q for q in quoted if q.metric is found.metric and _same_numbers(q.figure, found)]
    sentence = (found.sentence.start, found.sentence.end)
    for q in same:
        if q.span is not None and q.span[0] < sentence[1] and sentence[0] < q.span[1]:
            return Match(found, q.estimate, q.metric, "covered")
    if same:
        return Match(found, same[0].estimate, same[0].metric, "restated")
    return Match(found, None, found.metric, "todo")


def _same_numbers(figure: Figure, found: Extracted) -> bool:
    if not figure.numbers:
        return figure.words == found.figure.words
    return figure.numbers == found.figure.numbers


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """`provenance.normalise` applied character by character, with, for each
    character of the result, the offset in `text` it came from."""
    chars: list[str] = []
    offsets: list[int] = []
    space = False
    for index, char in enumerate(text):
        out = normalise(unicodedata.normalize("NFKC", char)) if not char.isspace() else " "
        if char.isspace() or out == "":
            if not space and chars:
                chars.append(" ")
                offsets.append(index)
            space = True
            continue
        space = False
        for piece in out:
            chars.append(piece)
            offsets.append(index)
    return "".join(chars), offsets


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `text` (as provenance compares them), as offsets in `text`."""
    body, offsets = _normalised_with_offsets(text)
    wanted = _normalised_with_offsets(quote)[0].strip()
    if not wanted:
        return None
    at = body.find(wanted)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(wanted) - 1] + 1
