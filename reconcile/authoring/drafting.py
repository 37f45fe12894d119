"""Drafting ledger entries from extracted figures: `reconcile extract --format yaml`."""

from __future__ import annotations

from typing import Any

from reconcile.authoring.extract import Extracted, Kind
from reconcile.authoring.extract_ledger import LedgerContext, claimant_of
from reconcile.core.numbers import point_grouped, reading_decimal_comma
from reconcile.core.prose_dates import date_from_hints, relative_as_of


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
    claimant_id = claimant_of(f, context)
    known = claimant_id.id if claimant_id.known else None
    entry: dict[str, Any] = {"id": estimate_id, "claimant": claimant_id.id}
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
