"""The committed JSON Schema: in step with the models, and true to the ledger format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reconcile.core.models import json_schema
from reconcile.ingest.loader import load_file
from tests.conftest import GALLERY, ROOT, SHIPPED

LEDGER_SCHEMA = ROOT / "schema" / "ledger.schema.json"
INCLUDED_SCHEMA = ROOT / "schema" / "included.schema.json"


def committed(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("path", "included"),
    [(LEDGER_SCHEMA, False), (INCLUDED_SCHEMA, True)],
    ids=["root", "included"],
)
def test_committed_schema_matches_the_models(path: Path, included: bool) -> None:
    assert committed(path) == json_schema(included=included), (
        f"{path.name} drifted from the models: regenerate it with "
        f"reconcile schema{' --included' if included else ''} > schema/{path.name}"
    )
    jsonschema.Draft202012Validator.check_schema(committed(path))


def errors(data: Any, path: Path = LEDGER_SCHEMA) -> list[str]:
    validator = jsonschema.Draft202012Validator(committed(path))
    return [error.message for error in validator.iter_errors(data)]


def test_shipped_and_gallery_ledgers_validate_against_the_schema() -> None:
    for ledger in (SHIPPED, GALLERY / "valid.yaml", ROOT / "docs" / "examples" / "ledger-v2.yaml"):
        loaded = load_file(ledger)
        assert loaded.issues == ()
        assert errors(loaded.data) == [], ledger


def test_shipped_ledger_points_editors_at_the_schema() -> None:
    first = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/ledger.schema.json"
    assert (SHIPPED.parent / "../schema/ledger.schema.json").resolve() == LEDGER_SCHEMA


def _with_estimate(**fields: Any) -> dict[str, Any]:
    data: Any = load_file(GALLERY / "valid.yaml").data
    data["estimates"][0].update(fields)
    return dict(data)


def test_figures_are_counts_or_phrases() -> None:
    assert errors(_with_estimate(killed=300)) == []
    assert errors(_with_estimate(killed="at least 300")) == []
    assert errors(_with_estimate(killed=-300)) != []
    assert errors(_with_estimate(killed=3.5)) != []
    assert errors(_with_estimate(killed=True)) != []


def test_dates_are_iso_days_months_years_or_intervals() -> None:
    for good in ("2025-01-13", "2025-01", "2025", "2024-12-20/2025-01"):
        assert errors(_with_estimate(as_of=good)) == [], good
    for bad in ("13 January 2025", "2025/01/13", "25-01-13"):
        assert errors(_with_estimate(as_of=bad)) != [], bad


def test_unknown_fields_and_include() -> None:
    data = _with_estimate()
    assert errors({**data, "include": ["2025/*.yaml"]}) == []
    assert errors({**data, "includes": ["x.yaml"]}) != []
    assert errors({**data, "include": "x.yaml"}) != []
    part = {"estimates": data["estimates"]}
    assert errors(part) != []  # a root ledger needs title and subject
    assert errors(part, INCLUDED_SCHEMA) == []


def test_the_schema_accepts_what_the_tool_accepts_for_relays() -> None:
    """relays may be one outlet or a list, for the tool and so for editors."""
    data: Any = load_file(GALLERY / "valid.yaml").data
    for relays in ("The Wall Street Journal", ["AFP", "The Washington Post"]):
        data["documents"][0]["relays"] = relays
        assert errors(dict(data)) == [], relays
    data["documents"][0]["relays"] = [""]
    assert errors(dict(data)) != []
