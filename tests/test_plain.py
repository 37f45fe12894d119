"""The plain table renderer (render.plain, issue 18) against rich, byte for byte:
every report's tables on the shipped ledger, The Economist's claims and a
generated ledger, and hypothesis-generated tables; and reports written as they
are rendered, not joined into one string."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconcile.cli import app
from reconcile.render import plain
from reconcile.render.plain import plain_lines
from reconcile.render.tables import tables_terminal
from reconcile.views.tabular import Align, Column, Table
from tests.conftest import ROOT, SHIPPED
from tests.economist import import_ledger

WIDTHS = (100, 72, 48, 30, 16, 160)


def _plain(tables: Sequence[Table], width: int) -> str:
    return "".join(line + "\n" for line in plain_lines(tables, width))


def _same(tables: Sequence[Table], widths: Sequence[int] = WIDTHS) -> None:
    for width in widths:
        expected = tables_terminal(tables, width=width, terminal=False)
        assert _plain(tables, width) == expected, width


def _report_tables(monkeypatch: pytest.MonkeyPatch, runs: list[list[str]]) -> list[list[Table]]:
    """The tables each command run hands to the plain renderer."""
    seen: list[list[Table]] = []
    real = plain.plain_text

    def recording(tables: Sequence[Table], width: int, *, github: bool = False) -> Iterator[str]:
        seen.append(list(tables))
        return real(tables, width, github=github)

    monkeypatch.setattr(plain, "plain_text", recording)
    runner = CliRunner()
    for args in runs:
        result = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
        assert result.exit_code in (0, 1), (args, result.output)
    assert len(seen) == len(runs)
    return seen


def _reports(ledger: Path, a: str, b: str) -> list[list[str]]:
    path = str(ledger)
    return [
        ["summary", path],
        ["summary", path, "--history"],
        ["discrepancies", path],
        ["diff", a, b, "-l", path],
        ["timeline", path],
        ["coverage", path, "--all"],
    ]


def test_every_report_on_the_shipped_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    for tables in _report_tables(monkeypatch, _reports(SHIPPED, "nis", "zelensky")):
        _same(tables)


def test_every_report_on_the_economist_claims(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ledger = import_ledger(tmp_path)
    for tables in _report_tables(monkeypatch, _reports(ledger, "uk-mod", "csis")):
        _same(tables)


def test_every_report_on_a_generated_ledger(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    ledger = tmp_path / "ledger_300.yaml"
    runs = _reports(ledger, "src-0000", "src-0001")
    for tables in _report_tables(monkeypatch, runs):
        assert sum(len(table.rows) for table in tables) > 0
        _same(tables, widths=(100, 48, 20))


# --- generated tables ----------------------------------------------------------

PIECES = [
    "a", "word", "Kursk", "12 000", "3,800", "at least 300", "~2,700", "2025-01-06/",
    "2025-01-06/2025-01-13", "a-very-long-identifier-with-no-spaces-at-all-in-it",
    "한국어", "北朝鮮の兵士", "é", "e\u0301", "👍🏽", "👨‍👩‍👧", "\u00a0", "\u3000", " ", "  ",
    "/", "\t", "\n", "\x1b[31m", "Ünïcödé", "ｗｉｄｅ",
]  # fmt: skip
cells = st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join) | st.text(max_size=30)
columns = st.builds(
    Column,
    name=st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(" ".join),
    align=st.sampled_from(list(Align)),
    wrap=st.booleans(),
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    shape = draw(st.lists(columns, min_size=1, max_size=5))
    rows = draw(st.lists(st.tuples(*(cells for _ in shape)), max_size=5))
    caption = draw(st.none() | cells)
    return Table(draw(cells), tuple(shape), tuple(rows), caption)


@settings(max_examples=400, deadline=None)
@given(st.lists(tables(), min_size=1, max_size=3), st.integers(min_value=1, max_value=130))
def test_generated_tables_render_as_rich_draws_them(drawn: list[Table], width: int) -> None:
    _same(drawn, widths=(width,))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(tables(), min_size=1, max_size=3),
    st.integers(min_value=1, max_value=130),
    st.booleans(),
)
def test_the_text_written_is_the_lines(drawn: list[Table], width: int, github: bool) -> None:
    """`plain_text` (a block of lines per chunk, what the reports write) is
    `plain_lines` with a newline after each line, made safe per line under GitHub."""
    from reconcile.core import escape

    expected = "".join(
        (escape.workflow_safe(line) if github else line) + "\n"
        for line in plain_lines(drawn, width)
    )
    assert "".join(plain.plain_text(drawn, width, github=github)) == expected


def test_each_distinct_cell_of_a_column_is_wrapped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column's distinct cell is laid out on first sight (`_Wrapped.__missing__`: the
    common cell that fits on one line without `wrapped_cell`), then shared by its rows."""
    missed: list[str] = []
    real = plain._Wrapped.__missing__

    def counting(self: plain._Wrapped, cell: str) -> list[str]:
        missed.append(cell)
        return real(self, cell)

    monkeypatch.setattr(plain._Wrapped, "__missing__", counting)
    claimants = ["Ukraine's president", "South Korea's intelligence service (NIS)", "US"]
    figures = [f"at least {n % 7:,} killed" for n in range(300)]
    rows = tuple((claimants[n % 3], figures[n], "2024-12-20") for n in range(300))
    table = Table(
        "Figures",
        (Column("claimant", wrap=True), Column("figure", Align.RIGHT, wrap=True), Column("as of")),
        rows,
    )
    text = _plain([table], 40)
    assert text == tables_terminal([table], width=40, terminal=False)
    assert sorted(missed) == sorted({*claimants, *figures, "2024-12-20"})  # each once


# --- streaming -----------------------------------------------------------------


class Recorder:
    """A file that records each write and how far the report had been made by then."""

    def __init__(self, made: list[int]) -> None:
        self.made = made
        self.writes: list[tuple[int, int]] = []

    def write(self, text: str) -> int:
        self.writes.append((self.made[0], len(text)))
        return len(text)


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json"])
def test_a_report_is_written_as_it_is_rendered(fmt: str) -> None:
    from reconcile.cli.output import CHUNK, _stream
    from reconcile.render.tables import report_chunks
    from reconcile.views.tabular import OutputFormat

    quote = "Officials said so " * 3
    rows = tuple((f"claimant-{n}", f"at least {n:,}", quote) for n in range(6000))
    table = Table(
        "Figures",
        (Column("who"), Column("figure", Align.RIGHT, wrap=True), Column("quote", wrap=True)),
        rows,
    )
    result = {"rows": [list(row) for row in rows]}
    made = [0]

    def counted() -> Iterator[str]:
        for chunk in report_chunks(
            [table], OutputFormat(fmt), command="t", ledgers=[], result=result, width=100
        ):
            made[0] += 1
            yield chunk

    recorder = Recorder(made)
    _stream(counted(), recorder)  # type: ignore[arg-type]
    total = made[0]
    assert len(recorder.writes) > 3
    assert recorder.writes[0][0] < total / 2  # the first rows left before the last were made
    assert max(size for _, size in recorder.writes) < 2 * CHUNK


def test_cell_width_is_rich_s_count() -> None:
    """The shortcut for common characters (one cell each) counts as rich does,
    alone and next to joiners, variation selectors and combining marks."""
    from rich.cells import cell_len

    from reconcile.render.plain import _NARROW_RANGES, _narrow, cell_width

    chars = [chr(c) for start, end in _NARROW_RANGES for c in range(start, end + 1)]
    for char in chars:
        assert cell_width(char) == cell_len(char), hex(ord(char))
        for extra in ("\u200d", "\ufe0f", "\u0301", "한", "👍"):
            assert cell_width(char + extra + char) == cell_len(char + extra + char)
    assert cell_width("≥300 — 2×") == len("≥300 — 2×")
    # a chart's axes and a table's rule are counted without rich (the shortcut's set)
    assert _narrow().issuperset("12,000 ┤ -x ─└")


def _timeline(path: Path) -> Any:
    from reconcile.checks.run import check_file
    from reconcile.reports.timeline import timeline

    checked = check_file(path)
    assert checked.ledger is not None
    return timeline(checked.ledger, None)


def test_the_timeline_chart_without_colour_is_rich_s_text(tmp_path: Path) -> None:
    from reconcile.render.chart import _rich_chart, chart_chunks

    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "200", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    ledgers = [SHIPPED, import_ledger(tmp_path), tmp_path / "ledger_200.yaml"]
    for ledger in ledgers:
        result = _timeline(ledger)
        for width in (100, 60, 40, 23):
            expected = _rich_chart(result, width=width, terminal=False)
            assert "".join(chart_chunks(result, width=width, terminal=False)) == expected
