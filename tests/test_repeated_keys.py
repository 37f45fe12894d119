"""ingest/repeated_keys.py: a ledger with a key repeated inside its entries is read
to exactly the composer's data and issues (located at their lines in the file),
composing only the entries that repeat a key; anything else goes to the composer
whole."""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.ingest import loader, repeated_keys
from reconcile.ingest.composer import Composer
from reconcile.ingest.entry_lines import item_lines, same_data
from tests.conftest import ROOT, SHIPPED
from tests.economist import import_ledger

_KEY_LINE = re.compile(r"^( +)([a-z_]+): (\S.*)$")
"""A one-line `key: value` inside an entry (a value on the key's own line)."""


def _generated(tmp: Path) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return generate(120, tmp, seed=11).read_text(encoding="utf-8")


@functools.cache
def _ledgers() -> tuple[str, ...]:
    """The shipped, the Economist's and a generated ledger, as text (made once; not
    a fixture, so that hypothesis never prints them with a failing example)."""
    with tempfile.TemporaryDirectory() as folder:
        economist = import_ledger(Path(folder)).read_text(encoding="utf-8")
        generated = _generated(Path(folder) / "generated")
    return SHIPPED.read_text(encoding="utf-8"), economist, generated


def _composed(text: str) -> tuple[Any, tuple[Any, ...]]:
    composer = Composer("f.yaml")
    return composer.run(text), tuple(composer.issues)


def _as_composed(text: str) -> loader.Loaded | None:
    """The fast path's reading of `text`, asserted to be the composer's (data and
    issues), or None where the composer reads it."""
    fast = loader._fast_load(text, "f.yaml")
    if fast is not None:
        data, issues = _composed(text)
        assert fast.issues == issues
        assert same_data(fast.data, data)
    return fast


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) if line.strip() else 0


def _repeat(text: str, section: str, item: int, line: int, value: str | None) -> str | None:
    """`text` with the `line`-th one-line key of item `item` of `section` written
    again after it (with `value`, or its own), or None if there is none."""
    starts = item_lines(text, section)
    if starts is None:
        return None
    item %= len(starts) - 1
    lines = text.split("\n")
    keys = _depth(lines[starts[item][0]]) + 2  # the entry's own keys: `  - id:` then `    x:`
    own = [
        number
        for number in range(starts[item][0] + 1, starts[item + 1][0])
        if _KEY_LINE.match(lines[number])
        and _depth(lines[number]) == keys  # not a quoted scalar's next line
        and _depth(lines[number + 1]) <= keys  # its value ends on its line
    ]
    if not own:
        return None
    number = own[line % len(own)]
    indent, key, old = _KEY_LINE.match(lines[number]).groups()  # type: ignore[union-attr]
    lines.insert(number + 1, f"{indent}{key}: {old if value is None else value}")
    return "\n".join(lines)


@given(
    which=st.integers(0, 2),
    section=st.sampled_from(["sources", "documents", "estimates"]),
    places=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 50)), min_size=1, max_size=3),
    value=st.none() | st.sampled_from(["x", "2024-02-30", "about 300", "'quoted'", "[a, b]"]),
)
def test_keys_repeated_in_entries_are_read_as_the_composer_reads_them(
    which: int,
    section: str,
    places: list[tuple[int, int]],
    value: str | None,
) -> None:
    text: str | None = _ledgers()[which]
    for item, line in places:
        assert text is not None
        text = _repeat(text, section, item, line, value) or text
    assert text is not None
    if text == _ledgers()[which]:
        return
    found = _as_composed(text)
    assert found is not None, "read without composing the whole text"
    assert {issue.check for issue in found.issues} == {"duplicate-key"}


def test_only_the_entries_that_repeat_a_key_are_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _repeat(_ledgers()[2], "estimates", 7, 1, None)
    assert text is not None
    text = _repeat(text, "estimates", 90, 2, "5")
    assert text is not None
    composed: list[str] = []

    class Counted(Composer):
        def run(self, text: str) -> Any:
            composed.append(text)
            return super().run(text)

    monkeypatch.setattr(repeated_keys, "Composer", Counted)
    monkeypatch.setattr(sys.modules[__name__], "Composer", Counted)
    found = _as_composed(text)
    monkeypatch.undo()
    assert found is not None
    assert len(found.issues) == 2
    assert len(composed) == 2 + 1  # each entry alone, then the test's own reference
    assert all(part.lstrip().startswith("- id: est-") for part in composed[:2])


def test_the_issue_names_its_line_and_the_first_one_in_the_file() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("    as_of: ")) + 1
    lines.insert(at, "    as_of: 2030-01-01")
    found = _as_composed("\n".join(lines))
    assert found is not None
    (issue,) = found.issues
    assert (issue.location.line, issue.location.column) == (at + 1, 5)
    assert f"(first at line {at})" in issue.message


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda text: text.replace("title:", "title: x\ntitle:", 1), id="top-level"),
        pytest.param(
            lambda text: text.replace("    as_of:", "    as_of: 2024-01-01\n    as_of:", 1).replace(
                "subject:", "subject:\t", 1
            ),
            id="with a tab where YAML allows none",
        ),
        pytest.param(
            lambda text: text.replace("estimates:\n", "estimates:\n- id: x\n  id: y\n", 1),
            id="items at column 0",
        ),
    ],
)
def test_other_texts_go_to_the_composer_whole(change: Any) -> None:
    text = change(SHIPPED.read_text(encoding="utf-8"))
    assert loader._fast_load(text, "f.yaml") is None
    data, issues = _composed(text)
    assert "duplicate-key" in {issue.check for issue in issues}
    whole = loader.load_text(text, "f.yaml")
    assert whole.issues == issues
    assert same_data(whole.data, data)


@pytest.mark.parametrize(
    "entry",
    [
        "    notes_map: {a: 1, a: 2}\n",  # in a flow mapping (an unknown field: the build's)
        "    wounded: 1\n    wounded: 2\n",
    ],
)
def test_a_key_repeated_inside_an_entry_is_found_wherever_it_stands(entry: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("    as_of:", entry + "    as_of:", 1)
    found = _as_composed(text)
    assert found is not None
    assert [issue.check for issue in found.issues] == ["duplicate-key"]
