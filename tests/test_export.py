"""Exports: the Data Package validates with the `frictionless` library, the SQLite
database holds the same rows with its keys, and the Datawrapper CSVs hold every
stated figure once."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from reconcile.checks.run import check_file
from reconcile.core.models import Ledger
from reconcile.render.export import (
    datawrapper_tables,
    package_name,
    tables,
    write_datapackage,
    write_datawrapper,
    write_sqlite,
)
from reconcile.reports.observations import direct_first, grouped, observations
from tests import economist, hostile
from tests.conftest import SHIPPED


def ledger_of(path: Path) -> Ledger:
    checked = check_file(path)
    assert checked.ledger is not None
    return checked.ledger


def validate(folder: Path) -> list[str]:
    # frictionless raises the csv module's process-wide field size limit; the
    # importer's tests rely on the default, so it is put back
    limit = csv.field_size_limit()
    try:
        from frictionless import validate as frictionless_validate

        report = frictionless_validate(str(folder / "datapackage.json"))
    finally:
        csv.field_size_limit(limit)
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


@pytest.fixture(params=["shipped", "hostile"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Ledger:
    if request.param == "shipped":
        return ledger_of(SHIPPED)
    return ledger_of(hostile.write(tmp_path / "hostile"))


def test_datapackage_validates(ledger: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    written = write_datapackage(
        ledger, folder, tables(ledger), ledger_name="ledger.yaml", version="0"
    )
    assert {p.name for p in written} == {
        "datapackage.json", "sources.csv", "documents.csv", "estimates.csv", "figures.csv",
        "reports.csv", "report_figures.csv", "summary.csv", "discrepancies.csv",
    }  # fmt: skip
    assert validate(folder) == []
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    figures = next(r for r in descriptor["resources"] if r["name"] == "figures")
    assert figures["schema"]["primaryKey"] == ["estimate", "metric"]
    assert figures["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "estimates",
        "fields": ["id"],
    }
    with (folder / "reports.csv").open(encoding="utf-8", newline="") as handle:
        quotes = [row["quote"] for row in csv.DictReader(handle)]
    assert quotes == [r.quote for e in ledger.estimates for r in e.reported_in]


def test_a_broken_package_fails_validation(tmp_path: Path) -> None:
    ledger = ledger_of(SHIPPED)
    folder = tmp_path / "package"
    write_datapackage(ledger, folder, tables(ledger), ledger_name="x", version="0")
    path = folder / "figures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nis-2025-01-13,", "nobody,", 1), encoding="utf-8")
    problems = validate(folder)
    assert problems and any("foreign" in p.lower() for p in problems)
    path.write_text(text.replace(",300,", ",-300,", 1), encoding="utf-8")
    assert any("minimum" in p.lower() or "constraint" in p.lower() for p in validate(folder))


def test_economist_package_validates(tmp_path: Path) -> None:
    ledger = ledger_of(economist.import_ledger(tmp_path))
    folder = tmp_path / "package"
    write_datapackage(ledger, folder, tables(ledger), ledger_name="x", version="0")
    assert validate(folder) == []
    # an unbounded figure keeps an empty high, never 0
    with (folder / "figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(row["words"].startswith("at least") and row["high"] == "" for row in rows)
    # the description names both countries, not only the imported ledger's default subject
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["description"].startswith("russia; ukraine: the reconcile ledger x,")


def test_sqlite_holds_the_same_rows_with_keys(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    found = tables(ledger)
    write_sqlite(found, path)
    write_sqlite(found, path)  # replaces, never appends
    connection = sqlite3.connect(path)
    try:
        for table in found:
            (count,) = connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()
            assert count == len(table.rows), table.name
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        names = [r[0] for r in connection.execute("SELECT name FROM sources ORDER BY rowid")]
        assert names == [s.name for s in ledger.sources]
        high = connection.execute(
            "SELECT typeof(high), typeof(best) FROM figures WHERE high IS NULL"
        ).fetchall()
        assert all(kinds == ("null", "integer") for kinds in high)
    finally:
        connection.close()


def test_datawrapper_tables_hold_each_stated_figure_once(tmp_path: Path) -> None:
    ledger = ledger_of(SHIPPED)
    made = {name: (header, rows) for name, header, rows in datawrapper_tables(ledger)}
    for (subject, metric), found in grouped(observations(ledger)).items():
        stem = f"{subject.lower().replace(' ', '-')}-{metric.value}"
        header, rows = made[f"wide-{stem}.csv"]
        cells = [cell for row in rows for cell in row[1:] if cell]
        assert sorted(cells) == sorted(str(o.best) for o in direct_first(found))
        header, rows = made[f"range-{stem}.csv"]
        assert header == ["claimant", "as_of", "date", "words", "value", "min", "max", "derived"]
        assert len(rows) == len(direct_first(found))
    written = write_datawrapper(ledger, tmp_path / "dw")
    assert len(written) == len(made)
    header, rows = made["range-north-korean-troops-sent-to-russia-killed.csv"]
    assert rows == [
        [
            "National Intelligence Service of South Korea (NIS)",
            "2025-01-13",
            "2025-01-13",
            "at least 300",
            "300",
            "300",
            "",
            "false",
        ]
    ]


def test_package_name_is_valid() -> None:
    assert package_name("North Korean troops in Russia's Kursk region, 2024–2025") == (
        "north-korean-troops-in-russia-s-kursk-region-2024-2025"
    )
    assert package_name("§§") == "reconcile-ledger"
