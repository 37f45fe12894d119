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


def _built_plainly(path: Path) -> Any:
    """The reference build: the whole ledger validated outside `models.sharing`, so
    every figure and date text is parsed where it stands, and no set is shared but
    those the validators share."""
    from reconcile.core.models import Ledger

    data = load_file(path).data
    assert isinstance(data, dict)
    return Ledger.model_validate(data)


def test_building_with_shared_figures_and_dates_gives_the_same_ledger(tmp_path: Path) -> None:
    """ingest/build.py parses each distinct figure and date text once (`models.sharing`):
    the ledger equals the one built with a parse per field, on the shipped ledger and
    the Economist sheet and a generated benchmark ledger, figure by figure, and the
    entries share equal texts' results."""
    from reconcile.ingest.build import build
    from tests.economist import import_ledger
    from tests.test_benchmarks import _generate

    generated = _generate(tmp_path / "generated", n=400)  # random figures, ranges, dates
    for path in (SHIPPED, import_ledger(tmp_path), generated):
        ledger, _, issues = build([load_file(path)])
        assert ledger is not None and not issues
        reference = _built_plainly(path)
        assert ledger == reference
        assert [e.figures() for e in ledger.estimates] == [e.figures() for e in reference.estimates]
        by_text: dict[object, object] = {}
        for estimate in ledger.estimates:
            for figure in estimate.figures().values():
                assert by_text.setdefault(figure.text, figure) is figure
            assert by_text.setdefault(("date", estimate.as_of.text), estimate.as_of) is (
                estimate.as_of
            )


def test_each_distinct_figure_and_date_text_is_parsed_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The work counted: the figure grammar runs once per distinct figure (an int and
    its text apart), the date grammar once per distinct date; a bad one is reported
    at every place it stands."""
    from reconcile.core import dates, figures, models
    from reconcile.ingest.build import build

    calls: dict[str, list[object]] = {"figure": [], "date": []}
    real_figure, real_span = figures.parse_figure, dates.parse_span

    def figure(value: int | str) -> Any:
        calls["figure"].append(value)
        return real_figure(value)

    def span(value: object) -> Any:
        calls["date"].append(value)
        return real_span(value)

    monkeypatch.setattr(models, "parse_figure", figure)
    monkeypatch.setattr(models, "parse_span", span)
    entries = []
    for i in range(12):
        entries.append(
            f"  - id: e{i}\n    claimant: s\n    as_of: 2024-0{1 + i % 3}\n"
            f"    killed: {'about 300' if i % 2 else 300}\n"
            f"    wounded: {'3,000' if i % 4 else 'about 3.5k'}\n"
            "    reported_in:\n      - document: d\n"
            "        quote: about 300 killed, 3,000 wounded\n"
        )
    path = tmp_path / "l.yaml"
    path.write_text(
        "title: t\nsubject: s\nsources:\n  - {id: s, name: S, kind: media, party: third-party}\n"
        "documents:\n  - {id: d, title: D, publisher: P, published: 2024-01}\n"
        "estimates:\n" + "".join(entries),
        encoding="utf-8",
    )
    ledger, _, issues = build([load_file(path)])
    assert ledger is not None
    good = [300, "about 300", "3,000"]  # once each; the bad one at each of its 3 places,
    # in the whole ledger's pass and again in the entry-by-entry pass that locates it
    assert sorted(map(repr, calls["figure"])) == sorted(map(repr, good + ["about 3.5k"] * 6))
    assert sorted(map(str, calls["date"])) == [
        "2024-01",
        "2024-02",
        "2024-03",
    ]  # the document's too
    bad = [issue for issue in issues if issue.check == "bad-figure"]
    assert [issue.location.line for issue in bad] == [12 + 8 * i for i in (0, 4, 8)]
    assert len(ledger.estimates) == 9


def test_entries_that_set_the_same_fields_share_one_set_of_their_names() -> None:
    """The memory of a big ledger: pydantic's per-model set of the fields given is held
    once per combination (models._Model._share_fields_set); a copy with changes gets
    its own, and the shared one is left as it was."""
    from reconcile.ingest.build import build

    ledger, _, _ = build([load_file(SHIPPED)])
    assert ledger is not None
    sets = {id(e.model_fields_set) for e in ledger.estimates}
    combos = {frozenset(e.model_fields_set) for e in ledger.estimates}
    assert len(sets) == len(combos) < len(ledger.estimates)
    first = ledger.estimates[0]
    before = set(first.model_fields_set)
    changed = first.model_copy(update={"notes": "changed"})
    assert "notes" in changed.model_fields_set
    assert first.model_fields_set == before
    assert changed.model_fields_set is not first.model_fields_set


def test_an_estimate_needs_a_figure_whichever_it_gives() -> None:
    """`Estimate._has_a_figure` reads the six figure fields in one call; it agrees with
    the plain rule (refused exactly when every figure is None) for every combination."""
    import itertools

    from pydantic import ValidationError

    from reconcile.core.models import METRICS, Estimate

    report = {"document": "d", "quote": "300 and 4,000"}
    base = {"id": "e", "claimant": "s", "as_of": "2024", "reported_in": [report]}
    for given in itertools.product((None, 300, "about 4,000"), repeat=len(METRICS)):
        data = {**base, **{m.value: v for m, v in zip(METRICS, given, strict=True) if v}}
        if all(v is None for v in given):
            with pytest.raises(ValidationError) as refused:
                Estimate.model_validate(data)
            assert [e["type"] for e in refused.value.errors()] == ["no_figures"]
            continue
        estimate = Estimate.model_validate(data)
        assert [f.text for f in estimate.figures().values()] == [str(v) for v in given if v]
