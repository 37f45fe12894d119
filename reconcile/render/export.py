"""Exports for data tools: a Frictionless Data Package, an SQLite database for
Datasette, and Datawrapper-ready CSVs (docs/exports.md).

`tables()` turns a ledger into typed tables (the ledger's sources, documents,
estimates, their figures, the reports that carry them and the figures as each
report words them; and the summary and discrepancies the reports compute).
Each writer writes those same tables: CSV files described by a
`datapackage.json` (types, constraints, primary and foreign keys), or SQLite
tables with the same columns and keys.  Values are written as the ledger has
them; nothing is rescaled, and a missing value is an empty cell (NULL in
SQLite), never 0.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reconcile.core.figures import Figure, Interval
from reconcile.core.models import ID_PATTERN, Ledger, Metric, SourceKind
from reconcile.ingest.replacing import replacing
from reconcile.reports.discrepancies import DEFAULT_WINDOW, Kind, find
from reconcile.reports.observations import Filters, direct_first, grouped, observations
from reconcile.reports.summary import summarise

Value = str | int | float | bool | date | None

METRICS = [m.value for m in Metric]


@dataclass(frozen=True, slots=True)
class Column:
    """A field: its Frictionless type and constraints (also its SQLite type)."""

    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    minimum: int | None = None
    enum: tuple[str, ...] = ()
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        if constraints:
            out["constraints"] = constraints
        return out

    @property
    def sql(self) -> str:
        kind = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}.get(self.type, "TEXT")
        return f'"{self.name}" {kind}' + (" NOT NULL" if self.required else "")


@dataclass(frozen=True, slots=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    foreign: tuple[ForeignKey, ...] = ()

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fields": [column.schema() for column in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.key),
        }
        if self.foreign:
            out["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.table, "fields": list(fk.reference)},
                }
                for fk in self.foreign
            ]
        return out


ID = ID_PATTERN.strip("^$")
_INTERVAL = (
    Column("low", "integer", "the lowest count the words allow", True, minimum=0),
    Column("high", "integer", "the highest count they allow; empty: no upper bound", minimum=0),
    Column("low_closed", "boolean", "false: 'more than low', low itself excluded", True),
    Column("high_closed", "boolean", "false: 'fewer than high', high itself excluded", True),
    Column("best", "integer", "the best value (docs/qualifiers.md)", True, minimum=0),
)


def _interval(interval: Interval, best: int) -> tuple[Value, ...]:
    return (interval.low, interval.high, interval.low_closed, interval.high_closed, best)


def _figure(figure: Figure) -> tuple[Value, ...]:
    return (figure.text, figure.qualifier.value, *_interval(figure.interval, figure.best))


def _joined(values: Sequence[str]) -> str | None:
    return "; ".join(values) if values else None


def tables(
    ledger: Ledger, filters: Filters | None = None, window: int = DEFAULT_WINDOW
) -> list[Table]:
    """The ledger and its reports as typed tables, in the order they reference each other."""
    chosen = filters or Filters()
    sources = Table(
        "sources",
        "Claimants",
        "Who made the estimates.",
        (
            Column("id", "string", "the source's id", True, True, pattern=ID),
            Column("name", "string", "its name", True),
            Column("kind", "string", "what kind of source", True, enum=tuple(SourceKind)),
            Column("party", "string", "the belligerent it belongs to, or 'third-party'", True),
            Column("is_party", "boolean", "true when it is a party to the conflict", True),
            Column("aliases", "string", "other names, separated by '; '"),
            Column("notes", "string", "notes"),
        ),
        ("id",),
        [
            (s.id, s.name, s.kind.value, s.party, s.is_party, _joined(s.aliases), s.notes)
            for s in ledger.sources
        ],
    )
    documents = Table(
        "documents",
        "Documents",
        "The archived reports the quotes come from.",
        (
            Column("id", "string", "the document's id", True, True, pattern=ID),
            Column("title", "string", "its title", True),
            Column("publisher", "string", "its publisher; empty when not established"),
            Column("published", "string", "its date as written (a day, month, year or interval)"),
            Column("published_first", "date", "the first day that date can mean"),
            Column("published_last", "date", "the last day that date can mean"),
            Column("url", "string", "where it was published"),
            Column("language", "string", "its language"),
            Column("relays", "string", "outlets it cites, separated by '; '"),
            Column("path", "string", "its archived text, relative to the archive folder"),
            Column("notes", "string", "notes"),
        ),
        ("id",),
        [
            (
                d.id,
                d.title,
                d.publisher,
                d.published.text if d.published else None,
                d.published.start if d.published else None,
                d.published.end if d.published else None,
                d.url,
                d.language,
                _joined(d.relays),
                d.path,
                d.notes,
            )
            for d in ledger.documents
        ],
    )
    estimates = Table(
        "estimates",
        "Estimates",
        "One claim each: who, when and about what.",
        (
            Column("id", "string", "the estimate's id", True, True, pattern=ID),
            Column("claimant", "string", "the source that made it", True),
            Column("subject", "string", "what it counts", True),
            Column("as_of", "string", "its date as written", True),
            Column("as_of_first", "date", "the first day that date can mean", True),
            Column("as_of_last", "date", "the last day that date can mean", True),
            Column("period", "string", "the period a period figure counts, as written"),
            Column("period_first", "date", "the period's first day"),
            Column("period_last", "date", "the period's last day"),
            Column("notes", "string", "notes"),
        ),
        ("id",),
        [
            (
                e.id,
                e.claimant,
                ledger.subject_of(e),
                e.as_of.text,
                e.as_of.start,
                e.as_of.end,
                e.period.text if e.period else None,
                e.period.start if e.period else None,
                e.period.end if e.period else None,
                e.notes,
            )
            for e in ledger.estimates
        ],
        (ForeignKey(("claimant",), "sources", ("id",)),),
    )
    figure_columns = (
        Column("metric", "string", "what the figure counts", True, enum=tuple(METRICS)),
        Column("words", "string", "the figure as written", True),
        Column("qualifier", "string", "the qualifier its words carry", True),
        *_INTERVAL,
    )
    figures = Table(
        "figures",
        "Figures",
        "Each estimate's figures, one per metric, in its own words.",
        (Column("estimate", "string", "the estimate", True), *figure_columns),
        ("estimate", "metric"),
        [
            (e.id, metric.value, *_figure(figure))
            for e in ledger.estimates
            for metric, figure in e.figures().items()
        ],
        (ForeignKey(("estimate",), "estimates", ("id",)),),
    )
    reports = Table(
        "reports",
        "Reports",
        "Each document that reports an estimate, with its verbatim quote.",
        (
            Column("estimate", "string", "the estimate", True),
            Column(
                "report",
                "integer",
                "its place among the estimate's reports, from 1",
                True,
                minimum=1,
            ),
            Column("document", "string", "the document", True),
            Column("quote", "string", "the words quoted from it, verbatim", True),
            Column("notes", "string", "notes"),
        ),
        ("estimate", "report"),
        [
            (e.id, n, r.document, r.quote, r.notes)
            for e in ledger.estimates
            for n, r in enumerate(e.reported_in, 1)
        ],
        (
            ForeignKey(("estimate",), "estimates", ("id",)),
            ForeignKey(("document",), "documents", ("id",)),
        ),
    )
    report_figures = Table(
        "report_figures",
        "Figures per report",
        "Each estimate's figures as each document words them (its own wording when it "
        "differs, else the estimate's).",
        (
            Column("estimate", "string", "the estimate", True),
            Column("report", "integer", "the report, as in reports", True, minimum=1),
            Column("document", "string", "the document", True),
            *figure_columns,
        ),
        ("estimate", "report", "metric"),
        [
            (e.id, n, r.document, metric.value, *_figure((r.wording or {}).get(metric, figure)))
            for e in ledger.estimates
            for n, r in enumerate(e.reported_in, 1)
            for metric, figure in e.figures().items()
        ],
        (
            ForeignKey(("estimate", "report"), "reports", ("estimate", "report")),
            ForeignKey(("document",), "documents", ("id",)),
        ),
    )
    summary = summarise(ledger, chosen, window, top=0)
    side = (
        ("estimate", "string", "its estimate"),
        ("claimant", "string", "its claimant"),
        ("words", "string", "its words (for a derived total, how it is made)"),
        ("best", "integer", "its best value"),
    )
    summary_table = Table(
        "summary",
        "Summary",
        "Per subject and metric: how many estimates, the lowest and highest by best value, "
        "the median and the spread (reconcile summary; docs/reports.md).",
        (
            Column("subject", "string", "the subject", True),
            Column("metric", "string", "the metric", True, enum=tuple(METRICS)),
            Column("estimates", "integer", "how many figures", True, minimum=0),
            Column("claimants", "integer", "how many claimants", True, minimum=0),
            *(Column(f"lowest_{n}", t, f"the lowest figure: {d}", True) for n, t, d in side),
            *(Column(f"highest_{n}", t, f"the highest figure: {d}", True) for n, t, d in side),
            Column(
                "median_low",
                "integer",
                "the median of the stated figures, or the lower of the two stated figures "
                "it lies between",
                True,
            ),
            Column(
                "median_high",
                "integer",
                "the median of the stated figures (= median_low), or the higher of the two "
                "stated figures it lies between",
                True,
            ),
            Column(
                "spread",
                "number",
                "the highest claim's high stated bound ÷ the lowest claim's low stated bound "
                "(empty when that is 0)",
            ),
            Column("from_derived", "boolean", "true when nobody stated this total", True),
        ),
        ("subject", "metric"),
        [
            (
                m.subject,
                m.metric,
                m.estimates,
                m.claimants,
                m.lowest.estimate,
                m.lowest.claimant,
                m.lowest.words,
                m.lowest.best,
                m.highest.estimate,
                m.highest.claimant,
                m.highest.words,
                m.highest.best,
                m.median.low if m.median else None,
                m.median.high if m.median else None,
                m.spread,
                m.from_derived,
            )
            for m in summary.metrics
        ],
    )
    discrepancies = Table(
        "discrepancies",
        "Discrepancies",
        "Figures that cannot all be right, ranked, with a reason (reconcile discrepancies).",
        (
            Column("rank", "integer", "its rank, from 1", True, True, minimum=1),
            Column("kind", "string", "its kind", True, enum=tuple(Kind)),
            Column("subject", "string", "the subject", True),
            Column("metric", "string", "the metric", True, enum=tuple(METRICS)),
            Column("reason", "string", "why the figures cannot all be right", True),
            Column("estimates", "string", "the estimates involved, separated by '; '", True),
            Column("claimants", "string", "their claimants, separated by '; '", True),
            Column("factor", "number", "how many times apart the figures are at the least"),
            Column("certain", "boolean", "false when imprecise dates leave it open", True),
            Column("days_least", "integer", "conflicts: the fewest days between the claims"),
            Column("days_most", "integer", "conflicts: the most days between the claims"),
        ),
        ("rank",),
        [
            (
                d.rank,
                d.kind.value,
                d.subject,
                d.metric,
                d.reason,
                "; ".join(d.estimates),
                "; ".join(d.claimants),
                d.factor,
                d.certain,
                d.days_apart[0] if d.days_apart else None,
                d.days_apart[1] if d.days_apart else None,
            )
            for d in find(ledger, chosen, window)
        ],
    )
    return [
        sources,
        documents,
        estimates,
        figures,
        reports,
        report_figures,
        summary_table,
        discrepancies,
    ]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue()


def package_name(title: str) -> str:
    """A Data Package name: lower case, digits, '-', '_' and '.'."""
    name = re.sub(r"[^a-z0-9._-]+", "-", title.lower()).strip("-._")
    return name[:100] or "reconcile-ledger"


def write_datapackage(
    ledger: Ledger, folder: Path, found: list[Table], *, ledger_name: str, version: str
) -> list[Path]:
    """CSV files and a datapackage.json describing them, in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    resources: list[dict[str, Any]] = []
    for table in found:
        path = folder / f"{table.name}.csv"
        path.write_text(table_csv(table), encoding="utf-8", newline="")
        written.append(path)
        resources.append(
            {
                "name": table.name,
                "path": path.name,
                "title": table.title,
                "description": table.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
        )
    # the subjects the estimates cover: a ledger's own subject is only their default
    subjects = "; ".join(dict.fromkeys(ledger.subject_of(e) for e in ledger.estimates))
    subjects = subjects or ledger.subject
    descriptor = {
        "profile": "tabular-data-package",
        "name": package_name(ledger.title),
        "title": ledger.title,
        "description": f"{subjects}: the reconcile ledger {ledger_name}, with the "
        "summary and discrepancies computed from it.",
        "created": date.today().isoformat() + "T00:00:00Z",
        "contributors": [{"title": f"reconcile {version}", "role": "author"}],
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [path, *written]


def write_sqlite(found: list[Table], path: Path) -> None:
    """The tables into a new SQLite database at `path` (an existing file is replaced)."""
    with replacing(path) as new:
        connection = sqlite3.connect(new.path)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            for table in found:
                parts = [column.sql for column in table.columns]
                parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.key) + ")")
                for fk in table.foreign:
                    mine = ", ".join(f'"{f}"' for f in fk.fields)
                    theirs = ", ".join(f'"{f}"' for f in fk.reference)
                    parts.append(f'FOREIGN KEY ({mine}) REFERENCES "{fk.table}" ({theirs})')
                connection.execute(f'CREATE TABLE "{table.name}" ({", ".join(parts)})')
                marks = ", ".join("?" for _ in table.columns)
                connection.executemany(
                    f'INSERT INTO "{table.name}" VALUES ({marks})',
                    [tuple(_sql(value) for value in row) for row in table.rows],
                )
            connection.commit()
        finally:
            connection.close()


def _sql(value: Value) -> str | int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- Datawrapper ---------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "subject"


def datawrapper_tables(
    ledger: Ledger, filters: Filters | None = None
) -> list[tuple[str, list[str], list[list[str]]]]:
    """Per subject and metric, two CSVs a chart tool reads as they are:

    - `wide`: one row per date (the middle of each estimate's date), one column
      per claimant (by name), the best value in the cell, empty where the
      claimant said nothing that day: a line or dot chart;
    - `range`: one row per estimate: claimant, date, the words, the best value
      and the lowest and highest counts the words allow (`max` empty when
      there is no upper bound): a range plot.

    Only stated figures: a derived total (killed + wounded) only when nobody
    stated that total, marked in `range`'s `derived` column.
    """
    names = {s.id: s.name for s in ledger.sources}
    spelled = [s.name for s in ledger.sources]
    for s in ledger.sources:  # two claimants of one name: columns must differ
        if spelled.count(s.name) > 1:
            names[s.id] = f"{s.name} ({s.id})"
    out: list[tuple[str, list[str], list[list[str]]]] = []
    for (subject, metric), group in grouped(observations(ledger, filters)).items():
        stem = f"{_slug(subject)}-{metric.value}"
        found = direct_first(group)
        claimants = list(dict.fromkeys(o.claimant for o in found))
        # a claimant with two figures on one day gets a second row for that day,
        # never one figure overwritten by the other
        days: list[tuple[date, dict[str, str]]] = []
        for o in found:
            day = o.as_of.midpoint()
            row = next((r for d, r in days if d == day and o.claimant not in r), None)
            if row is None:
                row = {}
                days.append((day, row))
            row[o.claimant] = str(o.best)
        out.append(
            (
                f"wide-{stem}.csv",
                ["date", *(names.get(c, c) for c in claimants)],
                [
                    [day.isoformat(), *(cells.get(c, "") for c in claimants)]
                    for day, cells in sorted(days, key=lambda item: item[0])
                ],
            )
        )
        out.append(
            (
                f"range-{stem}.csv",
                ["claimant", "as_of", "date", "words", "value", "min", "max", "derived"],
                [
                    [
                        names.get(o.claimant, o.claimant),
                        o.as_of.text,
                        o.as_of.midpoint().isoformat(),
                        o.words,
                        str(o.best),
                        str(o.interval.first()),
                        _cell(o.interval.last()),
                        _cell(o.derived),
                    ]
                    for o in found
                ],
            )
        )
    return out


def write_datawrapper(ledger: Ledger, folder: Path, filters: Filters | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, header, rows in datawrapper_tables(ledger, filters):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = folder / name
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        written.append(path)
    return written
