"""What changed between two versions of a ledger, entry by entry, figure by figure.

For review: "nis killed: at least 300 → 600" rather than a YAML diff.  Entries
are matched by id within their section (sources, documents, estimates); an id
present only in the new version is added, only in the old one removed, in both
with different fields changed.  Figures and dates are compared as written, so
rewording "about 3,800" as "nearly 3,800" is a change even where the numbers
agree.  Pure: two `Ledger`s in, a `Changes` result model out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from reconcile.core.figures import Figure
from reconcile.core.models import METRICS, Document, Estimate, Ledger, Source


class Kind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class FieldChange(BaseModel):
    """One field of an entry, as written before and after (None: absent)."""

    model_config = ConfigDict(frozen=True)

    field: str
    old: str | None
    new: str | None


class Change(BaseModel):
    """One entry added, removed or changed.  `fields` lists, for an added or
    removed entry, its main fields; for a changed one, the fields that differ."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    section: str
    id: str
    claimant: str | None = None
    fields: tuple[FieldChange, ...] = ()


class Changes(BaseModel):
    model_config = ConfigDict(frozen=True)

    old: str
    new: str
    changes: tuple[Change, ...]

    def count(self, section: str, kind: Kind) -> int:
        return sum(c.section == section and c.kind is kind for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def compare(old: Ledger, new: Ledger, *, old_name: str = "old", new_name: str = "new") -> Changes:
    found: list[Change] = []
    found += _section("sources", old.sources, new.sources, _source_fields)
    found += _section("documents", old.documents, new.documents, _document_fields)
    found += _section("estimates", old.estimates, new.estimates, _estimate_fields)
    return Changes(old=old_name, new=new_name, changes=tuple(found))


def _by_id(entries: Iterable[Any]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for entry in entries:
        table.setdefault(entry.id, entry)  # a duplicate id is validate's business
    return table


def _section(
    name: str,
    old: Sequence[Any],
    new: Sequence[Any],
    fields: Any,
) -> list[Change]:
    before, after = _by_id(old), _by_id(new)
    found: list[Change] = []
    for entry_id, entry in after.items():
        claimant = getattr(entry, "claimant", None)
        now: dict[str, str] = fields(entry)
        if entry_id not in before:
            listed = tuple(FieldChange(field=k, old=None, new=v) for k, v in now.items())
            found.append(
                Change(kind=Kind.ADDED, section=name, id=entry_id, claimant=claimant, fields=listed)
            )
            continue
        was: dict[str, str] = fields(before[entry_id])
        differ = tuple(
            FieldChange(field=key, old=was.get(key), new=now.get(key))
            for key in _keys(was, now)
            if was.get(key) != now.get(key)
        )
        if differ:
            found.append(
                Change(
                    kind=Kind.CHANGED, section=name, id=entry_id, claimant=claimant, fields=differ
                )
            )
    for entry_id, entry in before.items():
        if entry_id not in after:
            listed = tuple(FieldChange(field=k, old=v, new=None) for k, v in fields(entry).items())
            found.append(
                Change(
                    kind=Kind.REMOVED,
                    section=name,
                    id=entry_id,
                    claimant=getattr(entry, "claimant", None),
                    fields=listed,
                )
            )
    return found


def _keys(was: dict[str, str], now: dict[str, str]) -> list[str]:
    """Keys of both, in the order of `was`, then those only in `now`."""
    return [*was, *(key for key in now if key not in was)]


def _put(table: dict[str, str], key: str, value: object) -> None:
    if value is None or value == ():
        return
    if isinstance(value, tuple):
        table[key] = ", ".join(str(v) for v in value)
    elif isinstance(value, Figure):
        table[key] = value.text
    else:
        table[key] = str(getattr(value, "text", value))


def _source_fields(source: Source) -> dict[str, str]:
    table: dict[str, str] = {}
    for key in ("name", "kind", "party", "aliases", "notes"):
        _put(table, key, getattr(source, key))
    return table


def _document_fields(document: Document) -> dict[str, str]:
    table: dict[str, str] = {}
    for key in ("path", "title", "publisher", "published", "url", "language", "relays", "notes"):
        _put(table, key, getattr(document, key))
    return table


def _estimate_fields(estimate: Estimate) -> dict[str, str]:
    table: dict[str, str] = {}
    for key in ("claimant", "as_of", "subject", "period"):
        _put(table, key, getattr(estimate, key))
    for metric in METRICS:
        _put(table, metric.value, getattr(estimate, metric.value))
    for report in estimate.reported_in:
        where = f"reported in {report.document}"
        if where in table:
            continue
        table[where] = report.quote
        for metric, figure in (report.wording or {}).items():
            table[f"{where}: {metric.value} worded"] = figure.text
        _put(table, f"{where}: notes", report.notes)
    _put(table, "notes", estimate.notes)
    return table
