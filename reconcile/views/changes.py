"""`reconcile changes` as tables: one row per changed figure or field.

Pure: a `Changes` result in, `Table`s out (rendering is render.py's job).
"""

from __future__ import annotations

from reconcile.core.models import SECTIONS
from reconcile.reports.changes import Change, Changes, Kind
from reconcile.views.tabular import Column, Table

_MAX_CELL = 60
_MAIN = {
    "sources": ("name",),
    "documents": ("title", "published"),
    "estimates": ("as_of", "deployed", "killed", "wounded", "casualties", "captured", "missing"),
}


def changes_tables(changes: Changes) -> list[Table]:
    rows: list[tuple[str, ...]] = []
    for change in changes.changes:
        rows.extend(_rows(change))
    return [
        Table(
            title=f"Changes from {changes.old} to {changes.new}",
            columns=(Column("change"), Column("id"), Column("what"), Column("old → new")),
            rows=tuple(rows),
            caption=caption(changes),
            name="changes",
            records=tuple(
                {
                    "change": change.kind.value,
                    "section": change.section,
                    "id": change.id,
                    "claimant": change.claimant,
                    "field": field.field,
                    "old": field.old,
                    "new": field.new,
                }
                for change in changes.changes
                for field in change.fields
            ),
        )
    ]


def caption(changes: Changes) -> str:
    parts = []
    for section in SECTIONS:
        counts = [
            f"{n} {kind.value}"
            for kind in (Kind.CHANGED, Kind.ADDED, Kind.REMOVED)
            if (n := changes.count(section, kind))
        ]
        if counts:
            parts.append(f"{section}: {', '.join(counts)}")
    return "; ".join(parts) if parts else "no changes"


def _rows(change: Change) -> list[tuple[str, ...]]:
    who = f"{change.claimant} " if change.claimant else ""
    if change.kind is Kind.CHANGED:
        return [
            (
                change.kind.value,
                change.id,
                f"{who}{field.field}",
                f"{_cell(field.old)} → {_cell(field.new)}",
            )
            for field in change.fields
        ]
    shown = [f for f in change.fields if f.field in _MAIN[change.section]]
    value = "; ".join(
        f"{f.field} {_cell(f.new if change.kind is Kind.ADDED else f.old)}" for f in shown
    )
    noun = change.section[:-1] + (f" by {change.claimant}" if change.claimant else "")
    return [(change.kind.value, change.id, noun, value)]


def _cell(value: str | None) -> str:
    if value is None:
        return "—"
    value = " ".join(value.split())
    if len(value) <= _MAX_CELL:
        return value
    # cut at a space, never inside a number ('nearly 3,8…' would read as 3.8)
    cut = value[: _MAX_CELL - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"
