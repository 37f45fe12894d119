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

Documents with one text (one archived file named by several documents, or
files with the same content) that read numbers alike (the same decimal rule)
are one entry: the text is scanned once and its figures listed once, under the
first such document, with the others in `same_text`; a figure is covered or
restated by the quotes of any of them.  The work and the result grow with the
distinct texts, never with how many documents name them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from reconcile.authoring.extract import Extracted, Kind, extract
from reconcile.core.figures import Figure
from reconcile.core.models import Estimate, Ledger, Metric, Report
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
    same_text: tuple[str, ...] = ()
    """The other documents with this text (read alike), reported here, not apart."""

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
                    "same_text": list(doc.same_text),
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
    """`texts`: the archived text of each document that could be read, by id.

    Documents are grouped by their text and decimal rule first, and each
    estimate's reports sorted into those groups once: every text is normalised
    and scanned once, whatever the number of documents naming it."""
    groups: dict[tuple[str, bool], list[str]] = {}  # (text, decimal comma) -> documents
    group_of: dict[str, tuple[str, bool]] = {}
    entries: list[tuple[str, bool] | str] = []  # a group (at its first document) or an id
    for document in ledger.documents:
        text = texts.get(document.id)
        if text is None:
            entries.append(document.id)
            continue
        key = (text, comma_language(document.language))
        if key not in groups:
            groups[key] = []
            entries.append(key)
        groups[key].append(document.id)
        group_of[document.id] = key
    reports: dict[tuple[str, bool], list[tuple[Estimate, Report]]] = {}
    for estimate in ledger.estimates:
        for report in estimate.reported_in:
            if report.document in group_of:
                reports.setdefault(group_of[report.document], []).append((estimate, report))
    return Coverage(
        tuple(
            DocumentCoverage(entry, False, (), ())
            if isinstance(entry, str)
            else _group(groups[entry], reports.get(entry, []), *entry)
            for entry in entries
        )
    )


def _group(
    documents: list[str], reports: list[tuple[Estimate, Report]], text: str, comma: bool
) -> DocumentCoverage:
    """One text, named by `documents`; `comma`: their language writes a decimal comma
    (its '4.000' is 4,000)."""
    quoted = _quoted(reports, text)
    index = _index(quoted)
    with decimal_comma(comma):  # its numbers as its language writes them
        matches = tuple(_match(found, index) for found in extract(text))
    missing = tuple(q for q in quoted if q.span is None)
    unique_missing = tuple({(q.estimate, q.quote): q for q in missing}.values())
    return DocumentCoverage(documents[0], True, matches, unique_missing, tuple(documents[1:]))


def _quoted(reports: list[tuple[Estimate, Report]], text: str) -> list[Quoted]:
    out: list[Quoted] = []
    body = _normalised_with_offsets(text)  # once per text
    spans: dict[str, tuple[int, int] | None] = {}  # each quote looked for once
    for estimate, report in reports:
        if report.quote not in spans:
            spans[report.quote] = locate(report.quote, text, body=body)
        span = spans[report.quote]
        for metric, figure in estimate.figures().items():
            used = (report.wording or {}).get(metric, figure)
            out.append(Quoted(estimate.id, metric, used, report.quote, span))
    return out


def _key(figure: Figure) -> tuple[object, ...]:
    return ("numbers", figure.numbers) if figure.numbers else ("words", figure.words)


def _index(quoted: list[Quoted]) -> dict[tuple[object, ...], list[tuple[int, Quoted]]]:
    """The ledger's quoted figures by metric and numbers (or words), in ledger
    order: each figure found is matched by one look-up, not a scan of them all."""
    index: dict[tuple[object, ...], list[tuple[int, Quoted]]] = {}
    for number, q in enumerate(quoted):
        index.setdefault((q.metric, *_key(q.figure)), []).append((number, q))
    return index


def _match(found: Extracted, index: dict[tuple[object, ...], list[tuple[int, Quoted]]]) -> Match:
    if found.kind is not Kind.FIGURE or found.metric is None:
        return Match(found, None, None, "not-casualty")
    keys = {
        (found.metric, "numbers", found.figure.numbers),
        (found.metric, "words", found.figure.words),
    }
    candidates = sorted((pair for key in keys for pair in index.get(key, ())), key=lambda p: p[0])
    same = [q for _, q in candidates if _same_numbers(q.figure, found)]
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


_PLAIN_RUN = re.compile(r"[\x21-\x7e]{2,}")
"""Printable ASCII other than space: NFKC and the quote map leave it as it is."""


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """`provenance.normalise` applied character by character, with, for each
    character of the result, the offset in `text` it came from.  Runs of plain
    ASCII are copied whole, so the per-character work is only for the rest."""
    chars: list[str] = []
    offsets: list[int] = []
    space = False
    done = 0
    for run in _PLAIN_RUN.finditer(text):
        space = _normalise_chars(text, done, run.start(), chars, offsets, space=space)
        chars.append(run.group())
        offsets.extend(range(run.start(), run.end()))
        space = False
        done = run.end()
    _normalise_chars(text, done, len(text), chars, offsets, space=space)
    return "".join(chars), offsets


def _normalise_chars(
    text: str, start: int, end: int, chars: list[str], offsets: list[int], *, space: bool
) -> bool:
    """Characters start..end of `text` into `chars` one by one; returns whether
    the last one written was a (collapsed) space."""
    for index in range(start, end):
        char = text[index]
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
    return space


def locate(
    quote: str, text: str, *, body: tuple[str, list[int]] | None = None
) -> tuple[int, int] | None:
    """Where `quote` occurs in `text` (as provenance compares them), as offsets in
    `text`; `body` is `text` already normalised, when the caller has it."""
    normalised, offsets = body if body is not None else _normalised_with_offsets(text)
    wanted = _normalised_with_offsets(quote)[0].strip()
    if not wanted:
        return None
    at = normalised.find(wanted)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(wanted) - 1] + 1
