"""`--limit N`: at most N rows of a report's lists that grow with the ledger.

Every row is shown by default, as hledger and csvlook do; `--limit` is opt-in,
and what it leaves out is always said (on stderr, and in JSON as a `limit`
field).  `CUTS` names, per command, the tables it shortens and the list of the
JSON result each one shows: a table is cut to its first N rows (and its CSV
records with it), and the JSON list to its first N items, a list nested in a
list (`metrics[].latest`) sharing the N in order, as the table's rows do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reconcile.views.tabular import Table


@dataclass(frozen=True, slots=True)
class Cut:
    """A table (by `Table.name`) and the JSON list its rows show: `path` is the
    result's key, then the key inside each of its items when the list is nested."""

    table: str
    path: tuple[str, ...]


CUTS: dict[str, tuple[Cut, ...]] = {
    "summary": (Cut("latest", ("metrics", "latest")),),
    "discrepancies": (Cut("discrepancies", ("discrepancies",)),),
    "diff": (
        Cut("diff", ("rows",)),
        Cut("only-in-a", ("only_a",)),
        Cut("only-in-b", ("only_b",)),
    ),
    "timeline": (Cut("timeline", ("panels", "entries")),),
    "coverage": (
        Cut("todo", ("documents", "figures")),
        Cut("quote-not-found", ("documents", "missing_quotes")),
        Cut("in-ledger", ()),
        Cut("not-casualty", ()),
    ),
}
"""The commands that take --limit, and what it cuts.  coverage's JSON lists
every figure of a document in one list (its tables split them by status:
`todo`, and with --all `in-ledger` and `not-casualty`), so its JSON
`figures` are cut once, to N in all; summary's other tables (one row per
metric, and the discrepancies, which `--top` bounds) are never cut."""


def limit_tables(
    tables: Sequence[Table], cuts: Sequence[Cut], limit: int
) -> tuple[list[Table], dict[str, int]]:
    """`tables` with each table `cuts` names cut to `limit` rows, and how many
    rows each lost (only tables that lost some)."""
    names = {cut.table for cut in cuts}
    shown: list[Table] = []
    left_out: dict[str, int] = {}
    for table in tables:
        if table.name in names and len(table.rows) > limit:
            left_out[table.name] = len(table.rows) - limit
            records = None if table.records is None else table.records[:limit]
            table = replace(table, rows=table.rows[:limit], records=records)  # noqa: PLW2901
        shown.append(table)
    return shown, left_out


def limit_json(result: Any, cuts: Sequence[Cut], limit: int) -> tuple[Any, dict[str, int]]:
    """`result` (a report's JSON) with each list `cuts` names cut to `limit`
    items, and a `limit` field: {"limit": N, "left_out": {"<path>": count}}
    (every path, 0 when nothing was left out)."""
    result = dict(result)
    left_out: dict[str, int] = {}
    for cut in cuts:
        if not cut.path or cut.path[0] not in result:
            continue
        outer, *inner = cut.path
        if not inner:
            items = list(result[outer])
            result[outer] = items[:limit]
            left_out[outer] = max(len(items) - limit, 0)
            continue
        budget, lost, kept = limit, 0, []
        for item in result[outer]:
            entries = list(item[inner[0]])
            lost += max(len(entries) - budget, 0)
            kept.append({**item, inner[0]: entries[:budget]})
            budget = max(budget - len(entries), 0)
        result[outer] = kept
        left_out[f"{outer}[].{inner[0]}"] = lost
    result["limit"] = {"limit": limit, "left_out": left_out}
    return result, left_out
