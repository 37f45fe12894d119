"""The rendering module: tables as terminal text, CSV, Markdown; the JSON envelope."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.render.chart import legend_lines
from reconcile.render.tables import envelope, render_tables, tables_terminal
from reconcile.views.tabular import Align, Column, OutputFormat, Table

TABLE = Table(
    "Killed or wounded",
    (Column("claimant"), Column("figure", Align.RIGHT)),
    (("Zelensky", "~3,800"), ("US | Washington", "~1,000")),
    caption="2 estimates",
)


def test_terminal_table_has_fixed_width_and_no_colour() -> None:
    text = tables_terminal([TABLE], width=60, terminal=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "Killed or wounded"
    assert all(len(line) <= 60 for line in lines)
    assert any(line.rstrip().endswith("~3,800") for line in lines)
    assert lines[-1].strip() == "2 estimates"


def test_terminal_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in tables_terminal([TABLE], width=60, terminal=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in tables_terminal([TABLE], width=60, terminal=True)


def test_columns_environment_sets_the_width_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    long = Table("t", (Column("a"),), (("x " * 80,),))
    monkeypatch.setenv("COLUMNS", "50")
    assert (
        max(len(line) for line in tables_terminal([long], width=None, terminal=False).splitlines())
        <= 50
    )


def test_empty_table_says_none() -> None:
    empty = Table("Discrepancies", (Column("a"),), ())
    assert tables_terminal([empty], width=60, terminal=False).splitlines() == [
        "Discrepancies",
        "  (none)",
    ]


def test_csv_holds_every_table_as_data_and_parses_back() -> None:
    """One row per record, one value per column, a `table` column for every table;
    records (data) are written rather than the display cells."""
    data = Table(
        "Figures — a subject",
        (Column("claimant"), Column("figure")),
        (("Zelensky", "~3,800"),),
        records=({"claimant": "Zelensky", "low": 3420, "best": 3800, "high": None,
                  "words": "around 3,800", "derived": False},),
        name="figures",
    )  # fmt: skip
    other = Table("Other table", (Column("x"),), (("1",),))
    text = render_tables(
        [TABLE, data, other], OutputFormat.CSV, command="c", ledgers=[], result=None
    )
    assert list(csv.reader(io.StringIO(text))) == [
        ["table", "claimant", "figure", "low", "best", "high", "words", "derived", "x"],
        ["killed-or-wounded", "Zelensky", "~3,800", "", "", "", "", "", ""],
        ["killed-or-wounded", "US | Washington", "~1,000", "", "", "", "", "", ""],
        ["figures", "Zelensky", "", "3420", "3800", "", "around 3,800", "false", ""],
        ["other-table", "", "", "", "", "", "", "", "1"],
    ]


def test_markdown_escapes_pipes_and_aligns_numbers() -> None:
    text = render_tables([TABLE], OutputFormat.MD, command="c", ledgers=[], result=None)
    assert text.splitlines() == [
        "### Killed or wounded",
        "",
        "| claimant | figure |",
        "|---|---:|",
        "| Zelensky | ~3,800 |",
        "| US \\| Washington | ~1,000 |",
        "",
        "2 estimates",
    ]


def test_json_uses_the_envelope_not_the_tables() -> None:
    text = render_tables(
        [TABLE], OutputFormat.JSON, command="summary", ledgers=["l.yaml"], result={"n": 1}
    )
    assert json.loads(text) == json.loads(envelope("summary", ["l.yaml"], {"n": 1}))
    assert json.loads(text)["reconcile"]["command"] == "summary"


def test_rows_must_match_columns() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        Table("t", (Column("a"), Column("b")), (("only one",),))


WIDE = Table(
    "t",
    (Column("claimant"), Column("words", wrap=True), Column("as of"), Column("reason", wrap=True)),
    (
        (
            "ukraine-intelligence",
            "approximately 12 000",
            "2025-01-06/2025-01-12",
            "no count fits both, at least 6 days apart but maybe 23 days (a date is imprecise)",
        ),
    ),
)


def test_ids_and_dates_stay_whole_and_prose_wraps_at_spaces() -> None:
    lines = tables_terminal([WIDE], width=100, terminal=False).splitlines()
    assert "ukraine-intelligence" in lines[3] and "2025-01-06/2025-01-12" in lines[3]
    assert "approximately 12 000" in lines[3]
    assert all(len(line) <= 100 for line in lines)
    assert len(lines) > 4, "the reason wraps onto more lines"


@pytest.mark.parametrize("width", [40, 55, 70, 100, 140])
def test_nothing_is_ever_cropped(width: int) -> None:
    """Folded cells interleave across columns, so count characters: every
    non-space character of every cell must be in the output."""
    text = tables_terminal([WIDE], width=width, terminal=False)
    shown = Counter(char for char in text if not char.isspace())
    needed = Counter(
        char
        for cell in (*WIDE.rows[0], *(c.name for c in WIDE.columns))
        for char in cell
        if not char.isspace()
    )
    assert not needed - shown, (width, needed - shown)
    assert all(len(line) <= width for line in text.splitlines())


def test_a_legend_wraps_between_items_never_inside_one() -> None:
    items = ["A zelensky", "B us-government", "C nikkei", "D nis (derived)"]
    assert legend_lines(items, 30) == [
        "  A zelensky  B us-government",
        "  C nikkei  D nis (derived)",
    ]
    assert legend_lines(items, 200) == ["  A zelensky  B us-government  C nikkei  D nis (derived)"]
    assert legend_lines(items, 5) == [f"  {item}" for item in items]  # rich folds what is left
    assert legend_lines([], 80) == []


def test_a_subject_column_is_prose_so_a_crowded_table_keeps_ids_and_dates_whole() -> None:
    """With several subjects the reports add a subject column.  It wraps like
    prose, so even a crowded table gets every width from us (rich's own
    shrinking measures every cell again and may split an id or a date)."""
    from reconcile.render.tables import _fixed_widths
    from reconcile.views.reports import _table

    subjects = ["Subject 17 of the synthetic ledger", "North Korean troops in Kursk"]
    table = _table(
        "Timeline",
        subjects,
        (
            Column("metric"),
            Column("as of"),
            Column("claimant"),
            Column("figure", wrap=True),
            Column("words", wrap=True),
            Column("interval", wrap=True),
        ),
        [
            (s, "casualties", "2018-12-15", "src-0054", "~25,201", "approximately 25,201", i)
            for s, i in zip(subjects, ["104,231–127,395", "22,680–27,722"], strict=True)
        ],
    )
    assert table.columns[0].name == "subject" and table.columns[0].wrap
    assert None not in _fixed_widths(table, 100)
    text = tables_terminal([table], width=100, terminal=False)
    assert text.count("2018-12-15") == 2 and text.count("src-0054") == 2
    assert "104,231–127,395" in text and "casualties" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def _crowded_timeline(claimants: int) -> Any:
    """The shipped ledger's first panel with `claimants` claimants, each saying a
    different figure on a different day."""
    from dataclasses import replace
    from datetime import timedelta

    from reconcile.checks.run import check_file
    from reconcile.core.figures import Interval
    from reconcile.reports.timeline import Panel, Timeline, timeline
    from tests.conftest import SHIPPED

    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    shipped = timeline(ledger)
    seed = shipped.panels[0].entries[0]
    entries = tuple(
        replace(
            seed,
            estimate=f"e{n}",
            claimant=f"claimant-{n:03}",
            best=1_000 + 100 * n,
            interval=Interval(1_000 + 100 * n, 1_000 + 100 * n),
            as_of=replace(
                seed.as_of,
                start=seed.as_of.start + timedelta(days=n),
                end=seed.as_of.start + timedelta(days=n),
            ),
        )
        for n in range(claimants)
    )
    panel = Panel(seed.subject, seed.metric.value, entries)
    return Timeline(shipped.filters, (panel,))


def test_a_chart_letter_never_stands_for_two_claimants() -> None:
    """26 letters: a panel with 60 claimants is drawn as three charts on the same
    axes, each legend naming every letter once, every claimant in one legend."""
    from reconcile.render.chart import timeline_chart

    text = timeline_chart(_crowded_timeline(60), width=120, terminal=False)
    titles = [line for line in text.splitlines() if line.startswith("deployed — ")]
    assert [title.rsplit("(", 1)[1] for title in titles] == [
        "claimants 1–26 of 60)",
        "claimants 27–52 of 60)",
        "claimants 53–60 of 60)",
    ]
    charts = text.split("\n\n")
    assert len(charts) == 3
    seen: list[str] = []
    for chart in charts:
        legend = [
            item.split(" ", 1)
            for line in chart.splitlines()
            if line.startswith("  ") and "claimant-" in line
            for item in line.split("  ")
            if item
        ]
        letters = [letter for letter, _ in legend]
        assert len(letters) == len(set(letters)), letters
        seen += [claimant for _, claimant in legend]
        axis = [line.split("┤")[0].strip() for line in chart.splitlines() if "┤" in line]
        assert axis[0] == "7,590" and axis[-1] == "0", "every part has the panel's axes"
    assert seen == [f"claimant-{n:03}" for n in range(60)]


def test_a_small_panel_is_one_chart_with_its_plain_title() -> None:
    from reconcile.views.charts import chart_parts

    timeline = _crowded_timeline(26)
    assert chart_parts(timeline.panels[0]) == [
        (f"deployed — {timeline.panels[0].subject}", timeline.panels[0].claimants)
    ]


def test_charts_png_keeps_many_claimants_in_a_key_of_sensible_size(tmp_path: Path) -> None:
    from datetime import date

    from reconcile.render.image import charts_png
    from reconcile.views.geometry import chart, claimant_styles

    timeline = _crowded_timeline(60)
    panel = timeline.panels[0]
    styles = claimant_styles(panel.claimants)
    drawn = chart(panel.subject, panel.metric, panel.entries, styles, {})
    assert [claimant for claimant, _, _ in drawn.claimants] == list(panel.claimants)
    assert len({(s.colour, s.shape) for _, _, s in drawn.claimants}) == 60
    target = tmp_path / "chart.png"
    charts_png([drawn], title="t", source=f"Source: {date(2025, 1, 1)}", path=target)
    data = target.read_bytes()
    height = int.from_bytes(data[20:24], "big")
    assert data[:4] == b"\x89PNG" and height < 2000, "a key of 60 names, not a 40,000 px strip"


def test_a_number_a_date_or_an_id_is_never_split_across_lines() -> None:
    """rich breaks at any space, so "more than 3 000" ended one line with
    "more than 3"; a date interval breaks after its slash, never inside a date."""
    from reconcile.render.tables import break_lines

    # a qualifier in words stays with its number: a reader must never see a bare 12 000
    assert break_lines("approximately 12 000", 16) == "approximately 12 000"
    assert break_lines("said approximately 12 000", 20) == "said\napproximately 12 000"
    assert break_lines("more than 3 000 dead", 16) == "more than 3 000\ndead"
    assert break_lines("'almost 2 700' (wsj)", 14) == "'almost 2 700'\n(wsj)"
    assert break_lines("2025-01-06/2025-01-12", 12) == "2025-01-06/\n2025-01-12"
    assert break_lines("1 234 567 and 2025 300", 12) == "1 234 567\nand 2025 300"
    assert break_lines("around 3,800", 12) == "around 3,800", "what fits is left alone"
    table = Table(
        "t",
        (Column("claimant"), Column("words", wrap=True), Column("as of", wrap=True)),
        (
            ("ukraine-intelligence", "approximately 12 000", "2025-01-06/2025-01-12"),
            ("zelensky", "more than 3 000", "2024-10-24/2025-03"),
        ),
    )
    for width in (50, 55, 60, 70):  # below 50 even the longest pieces do not fit
        text = tables_terminal([table], width=width, terminal=False)
        for whole in ("ukraine-intelligence", "12 000", "3 000", "2025-01-06/", "2025-01-12"):
            assert whole in text, (width, whole, text)
        assert all(len(line) <= width for line in text.splitlines())


_CELL_PIECES = ["approximately", "12 000", "3 000", "1 234 567", "2025-01-06/", "2025-03", "≥300",
                "killed", "+", "(derived)", "대한민국", "a"]  # fmt: skip


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_CELL_PIECES), st.sampled_from([" ", "  "])), max_size=12),
    st.integers(1, 40),
)
def test_lines_break_only_between_pieces(parts: list[tuple[str, str]], width: int) -> None:
    from rich.cells import cell_len

    from reconcile.render.tables import break_lines, pieces

    cell = "".join(piece + ("" if piece.endswith("/") else gap) for piece, gap in parts).strip()
    broken = break_lines(cell, width)
    lines = broken.split("\n")
    assert [p for line in lines for p, _ in pieces(line)] == [p for p, _ in pieces(cell)]
    for line in lines:
        assert cell_len(line) <= width or len(pieces(line)) == 1, (line, width)
    if cell_len(cell) <= width:
        assert broken == cell


def test_a_claimant_is_never_drawn_over_another_in_the_terminal_chart() -> None:
    """Two claimants with the same figure on the same day: both letters show."""
    from dataclasses import replace

    from reconcile.render.chart import timeline_chart
    from reconcile.reports.timeline import Panel, Timeline

    seed = _crowded_timeline(1).panels[0].entries[0]
    twins = (seed, replace(seed, estimate="e-twin", claimant="claimant-twin"))
    chart = timeline_chart(
        Timeline(_crowded_timeline(1).filters, (Panel("s", "deployed", twins),)),
        width=80,
        terminal=False,
    )
    plot = "\n".join(line.split("┤", 1)[1] for line in chart.splitlines() if "┤" in line)
    assert "A" in plot and "B" in plot


def test_charts_png_draws_dollars_and_markup_as_text(tmp_path: Path) -> None:
    """matplotlib would read "$...$" as mathtext (and fail on a lone "$")."""
    from reconcile.render.image import charts_png
    from reconcile.views.geometry import chart, claimant_styles

    panel = _crowded_timeline(2).panels[0]
    names = {c: f"$\\frac{{1}}{{0}} {c} $ <script>" for c in panel.claimants}
    drawn = chart(panel.subject, panel.metric, panel.entries, claimant_styles(names), names)
    target = tmp_path / "c.png"
    charts_png([drawn], title="costs $5 and $6", source="$", path=target)
    assert target.read_bytes()[:4] == b"\x89PNG"


@given(
    st.lists(
        st.lists(
            st.sampled_from([*"ab 1/≥~—", "12 000", "at least ", "\u4e00", "2025-01-06/"]),
            max_size=12,
        ).map("".join),
        min_size=1,
        max_size=30,
    )
)
def test_the_longest_piece_is_the_search_of_every_cell(cells: list[str]) -> None:
    """The widest-first search with its early stop finds what reading every cell finds."""
    from reconcile.render.plain import cell_width
    from reconcile.render.tables import _PIECE, _longest_piece

    everything = max(
        (max(map(cell_width, _PIECE.findall(cell)), default=0) for cell in cells), default=0
    )
    assert _longest_piece({cell: cell_width(cell) for cell in cells}) == everything


@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [*"ab 1/≥~—\n", "12\u202f000", "3\xa0400", "at least ", "nearly\n", "2025-01-06/"]
            ),
            max_size=16,
        ).map("".join),
        min_size=1,
        max_size=120,
        unique=True,
    )
)
def test_the_longest_piece_read_in_batches_is_each_cell_s(cells: list[str]) -> None:
    """Cells read a batch at a time (one search over cells joined by newlines) give
    the pieces each cell gives alone, newlines and grouped numbers included."""
    from reconcile.render.plain import cell_width
    from reconcile.render.tables import _PIECE, _longest_piece

    everything = max(
        (max(map(cell_width, _PIECE.findall(cell)), default=0) for cell in cells), default=0
    )
    assert _longest_piece({cell: cell_width(cell) for cell in cells}) == everything
    assert sorted(_PIECE.findall("\n".join(cells))) == sorted(
        piece for cell in cells for piece in _PIECE.findall(cell)
    )


def _reference_stacked(table: Table, width: int) -> list[str]:
    """`_stacked_lines` before issue 18's shortcut: every value through `break_lines`."""
    from reconcile.render.plain import cell_width
    from reconcile.render.tables import break_lines

    names = [column.name for column in table.columns[1:]]
    label = max(map(cell_width, names), default=0) + 2
    room = max(width - 2 - label, 1)
    lines = [*break_lines(table.title, width).split("\n")]
    lines += break_lines(
        f"(one block per {table.columns[0].name}: the table is too wide)", width
    ).split("\n")
    indent = " " * (2 + label)
    for row in table.rows:
        lines += ["", *(row[0].splitlines() or [""])]
        for name, cell in zip(names, row[1:], strict=True):
            broken = [
                part
                for text in cell.splitlines() or [""]
                for part in break_lines(text, room).split("\n")
            ]
            lines += ["  " + name.ljust(label) + broken[0], *(indent + part for part in broken[1:])]
    if table.caption:
        lines += ["", *break_lines(table.caption, width).split("\n")]
    return lines


@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "a", "12 000", "at least ", "≥", "\u4e00", "x" * 30, "\n", " "]),
            max_size=6,
        ).map("".join),
        min_size=3,
        max_size=3,
    ),
    st.integers(10, 60),
)
def test_stacked_lines_are_the_references(cells: list[str], width: int) -> None:
    from reconcile.render.tables import _stacked_lines

    table = Table(
        "T", (Column("id"), Column("figure", wrap=True), Column("words")), (tuple(cells),)
    )
    assert list(_stacked_lines(table, width)) == _reference_stacked(table, width)


def test_an_observation_as_data_has_the_same_record_with_and_without_a_prefix() -> None:
    """`observed`'s shortcut for the unprefixed record against the prefixed one."""
    from reconcile.core.dates import parse_span
    from reconcile.core.figures import parse_figure
    from reconcile.core.models import Metric
    from reconcile.reports.observations import Observation
    from reconcile.views.reports import observed

    for words in ("more than 3,000", "around 3,800", "300-500", "hundreds"):
        figure = parse_figure(words)
        o = Observation(
            "e1", "nis", False, "war", Metric.KILLED, parse_span("2025-01"), None,
            figure.text, words, figure.interval, figure.best, True, ("d",),
        )  # fmt: skip
        prefixed = observed(o, "x_")
        assert observed(o) == {key.removeprefix("x_"): value for key, value in prefixed.items()}
        assert list(observed(o)) == [key.removeprefix("x_") for key in prefixed]


def test_records_made_only_when_csv_or_a_limit_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A report's records (its CSV data) are made only when read: a table drawn as
    text or Markdown never makes them; CSV and --limit make them once and see
    exactly the records the eager list held."""
    from reconcile.checks.run import check_file
    from reconcile.reports.observations import Filters
    from reconcile.reports.timeline import timeline
    from reconcile.views import reports as views
    from reconcile.views.limit import CUTS, limit_tables
    from reconcile.views.tabular import Records
    from tests.conftest import SHIPPED

    made: list[int] = []
    real = Records.__init__

    def counted(self: Records, make: Any) -> None:
        def counting() -> Any:
            made.append(1)
            return make()

        real(self, counting)

    monkeypatch.setattr(Records, "__init__", counted)
    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    tables = views.timeline_tables(timeline(ledger, Filters()))
    for fmt in (OutputFormat.TABLE, OutputFormat.MD):
        render_tables(tables, fmt, command="timeline", ledgers=["x"], result=None, width=100)
    assert made == []
    data = render_tables(tables, OutputFormat.CSV, command="timeline", ledgers=["x"], result=None)
    records = tables[0].records
    assert isinstance(records, Records) and made == [1]
    eager = [
        {"subject": panel.subject, "metric": panel.metric, **views.observed(o)}
        for panel in timeline(ledger, Filters()).panels
        for o in panel.entries
    ]
    assert records == eager and list(records) == eager and len(records) == len(eager)
    assert records[1:3] == tuple(eager[1:3]) and records[-1] == eager[-1]
    assert len(list(csv.reader(io.StringIO(data)))) == len(eager) + 1
    cut, _ = limit_tables(tables, CUTS["timeline"], 2)
    assert cut[0].records == tuple(eager[:2]) and made == [1]


def test_records_are_a_sequence_made_once_when_first_read() -> None:
    from reconcile.views.tabular import Records

    made: list[int] = []

    def make() -> Any:
        made.append(1)
        return ({"n": n} for n in range(5))

    records = Records(make)
    assert made == []
    assert records == tuple({"n": n} for n in range(5)) == records
    assert (len(records), records[1], records[1:3]) == (5, {"n": 1}, ({"n": 1}, {"n": 2}))
    assert list(records) == [{"n": n} for n in range(5)]
    assert made == [1]
    assert records != ({"n": 0},)


def test_a_report_s_long_records_are_made_only_for_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report's records (the summary's latest figures and the timeline's rows
    among them) are made when CSV reads them, never for a terminal table (what
    CSV gets: the goldens)."""
    from reconcile.checks.run import check_file
    from reconcile.render.tables import report_chunks
    from reconcile.reports.observations import Filters
    from reconcile.reports.summary import summarise
    from reconcile.reports.timeline import timeline
    from reconcile.views import reports as views
    from tests.conftest import SHIPPED

    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    calls: list[object] = []
    real = views.observed

    def counting(o: Any, prefix: str = "") -> Any:
        calls.append(o)
        return real(o, prefix)

    monkeypatch.setattr(views, "observed", counting)
    made = [
        views.summary_tables(summarise(ledger, Filters(), 14, 20)),
        views.timeline_tables(timeline(ledger, Filters())),
    ]
    assert calls == []  # building the tables makes no record
    for tables in made:
        long = [t for t in tables if t.name in ("latest", "timeline")]
        assert long
        text = "".join(
            report_chunks(tables, OutputFormat.TABLE, command="t", ledgers=[], result=None)
        )
        assert text
        assert calls == []  # a terminal table reads no record
        data = "".join(
            report_chunks(tables, OutputFormat.CSV, command="t", ledgers=[], result=None)
        )
        assert len(calls) >= sum(len(t.rows) for t in long)
        assert data.count("\n") > sum(len(t.rows) for t in long)
        assert all(len(t.records or ()) == len(t.rows) for t in tables if t.records is not None)
        calls.clear()


def _old_free_column(grid: list[list[str]], x: int, rows: range, letter: str) -> int:
    """The chart's free-column search as first written (every cell looked at)."""
    width = len(grid[0])
    lines = [grid[y] for y in rows]
    for step in range(width):
        for at in (x + step, x - step) if step else (x,):
            if 0 <= at < width and all(
                not (c != " " and c.isalpha() and c.upper() != letter)
                for c in (line[at] for line in lines)
            ):
                return at
    return x


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.lists(
        st.tuples(
            st.integers(0, 11),  # column asked for
            st.integers(0, 9),  # first row
            st.integers(0, 9),  # rows
            st.sampled_from("ABCD"),
            st.booleans(),  # no upper bound: '^' on top
            st.integers(0, 9),  # the best value's row
        ),
        max_size=40,
    ),
)
def test_the_charts_free_column_search_is_the_cell_by_cell_one(
    width: int, drawn: list[tuple[int, int, int, str, bool, int]]
) -> None:
    """`_Grid` keeps a bit per row and letter for each column; drawing any sequence
    of estimates (letters over rows, '^', '-', letters drawn over others when a
    row is full), every search answers as the search over the cells does."""
    from reconcile.render.chart import _Grid

    grid = _Grid(10, width)
    for asked, first, count, letter, open_top, best in drawn:
        x = asked % width
        rows = range(first, min(10, first + count))
        line = grid.cells[best]
        if line[x] == " ":
            line[x] = "-"
        at = grid.free_column(x, rows, letter)
        assert at == _old_free_column(grid.cells, x, rows, letter)
        for y in rows:
            grid.put(y, at, letter.lower())
        if open_top:
            grid.put(0, at, "^")
        grid.put(best, at, letter)


def test_a_short_name_in_a_picture_is_cut_after_its_controls_are_escaped() -> None:
    """The key's and titles' names are cut to their room as the picture prints them:
    a name of control characters, each four characters once escaped, keeps to it."""
    from reconcile.views.geometry import KEY_NAME_CHARS, short

    name = "Source" + "\x1c" * 20
    shown = short(name)
    assert len(shown) == KEY_NAME_CHARS and shown.startswith("Source\\x1c")
    assert shown.endswith("…") and "\x1c" not in shown
    assert short("Nikkei Asia") == "Nikkei Asia"
