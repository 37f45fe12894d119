"""The JSON envelope escaped a batch of the encoder's pieces at a time (issue 18: a
timeline of 100,000 estimates is millions of pieces) against escaping each piece, the
code it replaces: on drawn JSON values full of what the escapes change, on a value of
many batches, and on the Economist's timeline, under GitHub Actions and off it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile import __version__
from reconcile.checks.run import check_file
from reconcile.core import escape
from reconcile.render import tables
from reconcile.reports.timeline import timeline
from tests.economist import import_ledger


def _reference(command: str, ledgers: list[str], result: Any) -> str:
    document = {
        "reconcile": {
            "schema": tables.JSON_SCHEMA_VERSION,
            "command": command,
            "version": __version__,
        },
        "ledgers": list(ledgers),
        "result": result,
    }
    pieces = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document)
    return "".join(escape.workflow_safe(escape.json_text(p), json_text=True) for p in pieces) + "\n"


def _both(github: bool) -> Iterator[None]:
    with mock.patch.dict(os.environ, {"GITHUB_ACTIONS": "true" if github else "false"}):
        yield


_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            "#",
            "[",
            "]",
            ":",
            '"',
            "\\",
            "a",
            " ",
            "\n",
            "\x85",
            "\u2028",
            "\u202e",
            "\x7f",
            "é",
            "{",
            ",",
        ]
    ),
    max_size=12,
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_TEXT, inner, max_size=5),
    max_leaves=40,
)


@given(_JSON, st.booleans())
def test_drawn_values_are_escaped_as_piece_by_piece(value: Any, github: bool) -> None:
    for _ in _both(github):
        assert tables.envelope("summary", ["x.yaml"], value) == _reference(
            "summary", ["x.yaml"], value
        )


@pytest.mark.parametrize("github", [False, True])
def test_many_batches_are_escaped_as_piece_by_piece(github: bool) -> None:
    value = {
        f"k{n}": [f"##[{n}", "::warning::x", "a#", "#[", "\u2028", n, None] for n in range(3000)
    }
    for _ in _both(github):
        pieces = list(tables.envelope_chunks("timeline", ["l.yaml"], value))
        assert len(pieces) > 3  # several batches
        assert "".join(pieces) == _reference("timeline", ["l.yaml"], value)
        if github:
            assert "##[" not in "".join(pieces)


@pytest.mark.parametrize("github", [False, True])
def test_the_economist_timeline_is_escaped_as_piece_by_piece(github: bool, tmp_path: Path) -> None:
    checked = check_file(import_ledger(tmp_path))
    assert checked.ledger is not None
    result = timeline(checked.ledger).to_json()
    for _ in _both(github):
        assert tables.envelope("timeline", ["e.yaml"], result) == _reference(
            "timeline", ["e.yaml"], result
        )
