"""Rendering: the one module that turns results into text, and the only one that
imports rich (ruff's banned-api rule enforces it).  rich is imported inside the
functions that draw tables, so commands that print plain text never load it.

JSON output always uses one envelope, documented in docs/json.md:

    {"reconcile": {"schema": 1, "command": "<command>", "version": "<x.y.z>"},
     "ledgers": ["<path>", ...], "result": {...}}
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from reconcile import __version__, escape
from reconcile.figures import QUALIFIER_WORDS
from reconcile.issues import Issue, Severity
from reconcile.numbers import GROUP_SPACE
from reconcile.tabular import Align, OutputFormat, Table

JSON_SCHEMA_VERSION = 1
_GAP = 3
"""Characters between two columns of a SIMPLE_HEAD table without edge padding."""
DEFAULT_WIDTH = 100
"""Width of terminal tables when stdout is not a terminal (or $COLUMNS when set)."""


def envelope(command: str, ledgers: Sequence[str], result: Any) -> str:
    """The versioned JSON envelope every command's JSON output shares."""
    document = {
        "reconcile": {"schema": JSON_SCHEMA_VERSION, "command": command, "version": __version__},
        "ledgers": list(ledgers),
        "result": result,
    }
    text = escape.json_text(json.dumps(document, ensure_ascii=False, indent=2))
    return escape.workflow_safe(text, json_text=True) + "\n"


def issue_dict(issue: Issue) -> dict[str, Any]:
    return {
        "path": issue.location.path,
        "line": issue.location.line,
        "column": issue.location.column,
        "severity": issue.severity.value,
        "check": issue.check,
        "message": issue.message,
        "hint": issue.hint,
        "unusable": issue.unusable,
    }


def issues_text(issues: Iterable[Issue]) -> str:
    """`path:line:col: severity: message [check-id]`, a hint indented below.

    Control characters from the input (a key written as "\\e[2J" in YAML) are
    shown escaped, so a hostile ledger cannot drive the reader's terminal.
    """
    return escape.workflow_safe("".join(_printable_issue(issue) for issue in issues))


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", escape.plain(text))


def _printable_issue(issue: Issue) -> str:
    text = (
        f"{_printable(str(issue.location))}: {issue.severity.value}: "
        f"{_printable(issue.message)} [{issue.check}]"
    )
    if issue.hint:
        text += f"\n    hint: {_printable(issue.hint)}"
    return text + "\n"


def issues_json(ledgers: Sequence[str], issues: Sequence[Issue], counts: dict[str, int]) -> str:
    return envelope(
        "validate",
        ledgers,
        {
            "counts": counts,
            "issues": [issue_dict(issue) for issue in issues],
        },
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_path(path: str) -> str:
    """A path as GitHub wants it in an annotation: relative to the workspace."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and os.path.isabs(path):
        relative = os.path.relpath(path, workspace)
        if not relative.startswith(".."):
            path = relative
    return path.replace(os.sep, "/")


def issues_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands, grouped per file.

    Escaping as GitHub's runner parses them: in the message (data) `%`, CR and
    LF; in properties (file, title) also `:` and `,`.  Files are given relative
    to $GITHUB_WORKSPACE so the annotations land on the pull request's lines.
    """
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_file[_github_path(issue.location.path)].append(issue)
    out: list[str] = []
    for path, found in by_file.items():
        out.append(f"::group::{_escape_data(path)}")
        for issue in found:
            level = "error" if issue.severity is Severity.ERROR else "warning"
            props = [f"file={_escape_property(path)}"]
            if issue.location.line > 0:
                props.append(f"line={issue.location.line}")
                props.append(f"col={issue.location.column}")
            props.append(f"title={_escape_property(issue.check)}")
            message = issue.message + (f"\n{issue.hint}" if issue.hint else "")
            out.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
        out.append("::endgroup::")
    return "".join(line + "\n" for line in out)


def issues_markdown_summary(issues: Sequence[Issue], counts: dict[str, int]) -> str:
    """A Markdown report for $GITHUB_STEP_SUMMARY."""
    lines = ["## reconcile validate", ""]
    if not issues:
        lines.append(f"No problems in {counts['files']} ledger file(s).")
        return "\n".join(lines) + "\n"
    lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s).")
    lines += ["", "| where | severity | check | message |", "|---|---|---|---|"]
    for issue in issues[:MAX_SUMMARY_ROWS]:
        message = _md_cell(issue.message)
        where = _printable(str(issue.location)).replace("`", "'")
        lines.append(f"| `{where}` | {issue.severity.value} | `{issue.check}` | {message} |")
    if len(issues) > MAX_SUMMARY_ROWS:
        lines += ["", f"… and {len(issues) - MAX_SUMMARY_ROWS:,} more (see the job's log)."]
    return escape.workflow_safe("\n".join(lines) + "\n", markdown_text=True)


MAX_SUMMARY_ROWS = 500
"""GitHub caps a step summary at 1 MiB; the log has every issue."""


def summary_line(counts: dict[str, int], names: Sequence[str] = ()) -> str:
    """The one line validate prints on stderr; it names the ledgers checked (`names`:
    the files given, the shipped demo marked as such), so CI never goes green on
    a file nobody meant."""
    parts = []
    for key, word in (("errors", "error"), ("warnings", "warning")):
        n = counts[key]
        parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    files = counts["files"]
    scope = f"{files} ledger file{'' if files == 1 else 's'}"
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        included = files - len(names)
        scope += f" ({shown}{f' and {included} included' if included > 0 else ''})"
    if counts["errors"] == 0 and counts["warnings"] == 0:
        return (
            f"ok: {scope}, {counts['estimates']} estimates from {counts['sources']} sources "
            f"in {counts['documents']} documents; no problems"
        )
    return f"{', '.join(parts)} in {scope}"


# --- tables -----------------------------------------------------------------


def render_tables(
    tables: Sequence[Table],
    output_format: OutputFormat,
    *,
    command: str,
    ledgers: Sequence[str],
    result: Any,
    width: int | None = None,
    terminal: bool = False,
) -> str:
    """One report in the chosen format.

    `table`: rich tables (colour only on a terminal, never with NO_COLOR),
    `width` wide, else $COLUMNS, else DEFAULT_WIDTH.  `csv`: data, every table
    (see `tables_csv`).  `md`: a Markdown section per table.  `json`: `result` in the
    envelope (tables are not used).
    """
    if output_format is OutputFormat.JSON:
        return envelope(command, ledgers, result)
    if output_format is OutputFormat.CSV:
        return escape.workflow_safe(tables_csv(tables))
    if output_format is OutputFormat.MD:
        budget = MAX_MARKDOWN_BYTES if escape.under_github() else None
        return escape.workflow_safe(tables_markdown(tables, budget=budget), markdown_text=True)
    return escape.workflow_safe(tables_terminal(tables, width=width, terminal=terminal))


def tables_csv(tables: Sequence[Table]) -> str:
    """Every table of a report as data in one CSV: a `table` column says which
    table a row belongs to, then the union of the tables' columns (empty where
    a table has no such column).  Rows are the tables' `records`: one value per
    column, integers without separators, ISO dates, ids, true/false.  A table
    without records gives its cells under its column names."""
    named = [
        (table.name or _slug(table.title), list(table.records) if table.records is not None
         else [dict(zip((c.name for c in table.columns), row, strict=True)) for row in table.rows])
        for table in tables
    ]  # fmt: skip
    header: dict[str, None] = {"table": None}
    for _, records in named:
        for record in records:
            header.update(dict.fromkeys(record))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([escape.csv_cell(key) for key in header])
    for name, records in named:
        for record in records:
            writer.writerow(
                [escape.csv_cell(name), *(_csv_value(record.get(key)) for key in list(header)[1:])]
            )
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int):
        return str(value)
    return escape.csv_cell(str(value))  # a ledger's text: never a formula, never a control


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.split(" — ", maxsplit=1)[0].lower()).strip("-")


def _md_cell(text: str) -> str:
    return escape.markdown(text) or " "


MAX_MARKDOWN_BYTES = 900 * 1024
"""Markdown written under GitHub Actions stops here: a step summary is capped
at 1 MiB (GitHub refuses the whole summary beyond), and a ledger's strings
could otherwise push it over."""


def tables_markdown(tables: Sequence[Table], *, budget: int | None = None) -> str:
    """A Markdown section per table; with `budget`, rows stop once the text
    would pass that many bytes, and a line says how many were left out."""
    parts: list[str] = []
    left = budget
    for table in tables:
        lines = [f"### {escape.markdown(table.title, heading=True)}", ""]
        if table.rows:
            lines.append("| " + " | ".join(_md_cell(c.name) for c in table.columns) + " |")
            lines.append(
                "|"
                + "|".join("---:" if c.align is Align.RIGHT else "---" for c in table.columns)
                + "|"
            )
            for number, row in enumerate(table.rows):
                line = "| " + " | ".join(_md_cell(cell) for cell in row) + " |"
                if left is not None:
                    left -= len(line.encode("utf-8")) + 1
                    if left < 0:
                        lines += [
                            "",
                            f"… and {len(table.rows) - number:,} more row(s): a step summary "
                            "holds at most 1 MiB (see --format csv or json for all)",
                        ]
                        break
                lines.append(line)
        else:
            lines.append("(none)")
        if table.caption:
            lines += ["", escape.markdown(table.caption)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def terminal_width(width: int | None, terminal: bool) -> int | None:
    """The width to draw at: as asked, else the terminal's, else $COLUMNS or the default."""
    if width is not None:
        return width
    if terminal:
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def console(width: int | None, terminal: bool, file: io.StringIO) -> Any:
    """A rich Console that writes to `file`: colour only on a terminal and without NO_COLOR."""
    from rich.console import Console

    plain = not terminal or bool(os.environ.get("NO_COLOR"))
    return Console(
        file=file,
        width=terminal_width(width, terminal),
        force_terminal=terminal,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def tables_terminal(tables: Sequence[Table], *, width: int | None, terminal: bool) -> str:
    from rich import box
    from rich.table import Table as RichTable

    buffer = io.StringIO()
    out = console(width, terminal, buffer)
    for number, table in enumerate(map(_plain_table, tables)):
        if number:
            out.print()
        grid = RichTable(
            title=table.title,
            title_justify="left",
            caption=table.caption,
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
        )
        widths = _fixed_widths(table, out.width)
        every = False
        if table.rows and all(w is None for w in widths):
            widths, every = _piece_widths(table, out.width), True
        if table.rows and all(w is None for w in widths):
            # too narrow for the table without splitting a number, a date or an
            # id: one block per row instead, never a folded cell
            out.print(_stacked(table, out.width), soft_wrap=True)
            continue
        for column, least in zip(table.columns, widths, strict=True):
            grid.add_column(
                column.name,
                justify=column.align.value,
                overflow="fold",
                width=least,
            )
        broken = _breaker(table, widths, every=every)
        for row in table.rows:
            grid.add_row(*map(broken, row, range(len(row))))
        if not table.rows:
            out.print(table.title)
            out.print("  (none)")
            continue
        out.print(grid)
    return _strip_trailing(buffer.getvalue())


def _plain_table(table: Table) -> Table:
    """`table` with every string escaped for a terminal (escape.plain)."""
    return Table(
        escape.plain(table.title),
        tuple(replace(column, name=escape.plain(column.name)) for column in table.columns),
        tuple(tuple(escape.plain(cell) for cell in row) for row in table.rows),
        None if table.caption is None else escape.plain(table.caption),
    )


_SHORT = 24
"""A prose cell this long or shorter ("approximately 12 000", a date interval)
is kept on one line whenever the table can afford it."""


def _fixed_widths(table: Table, width: int) -> list[int | None]:
    """The width of every column, chosen here because rich's own shrinking splits
    words, numbers and dates.

    Columns without `wrap` (ids, dates, counts, verdicts) get their longest
    cell, so they are never split.  Prose columns (`wrap`: words, figures,
    date intervals, which break only where `pieces` allows) share the rest,
    each first getting, of these, the first the table can afford:

    1. min(its longest cell, 24), so short phrases stay whole;
    2. short columns (longest cell at most 24) whole, the others their longest
       piece;
    3. its longest piece.

    What is left is shared in proportion to how much more each would like.
    When not even 3 fits, nothing is fixed and rich folds cells where it must:
    nothing is ever cropped.
    """
    cells = [
        {column.name, *(row[i] for row in table.rows)} for i, column in enumerate(table.columns)
    ]
    whole = [max(map(_width, column)) for column in cells]
    prose = [i for i, column in enumerate(table.columns) if column.wrap]
    room = width - _GAP * (len(whole) - 1) - sum(w for i, w in enumerate(whole) if i not in prose)
    if sum(whole[i] for i in prose) <= room:
        return list(whole)
    words = {
        i: max(max(map(_width, _PIECE.findall(cell)), default=0) for cell in cells[i])
        for i in prose
    }
    tiers = (
        {i: min(whole[i], _SHORT) for i in prose},
        {i: whole[i] if whole[i] <= _SHORT else words[i] for i in prose},
        words,
    )
    floors = next((tier for tier in tiers if sum(tier.values()) <= room), None)
    if floors is None:
        return [None] * len(whole)
    spare = room - sum(floors.values())
    wants = {i: whole[i] - floors[i] for i in prose}
    total = sum(wants.values()) or 1
    widths: list[int | None] = list(whole)
    for i in prose:
        widths[i] = floors[i] + spare * wants[i] // total
    return widths


# Where a cell may break: at white space, except the one space inside a number
# grouped with spaces ("12 000": the number must never be split, or "more than
# 3" ends a line) and the spaces between a qualifier in words and its number
# ("at least 300", "almost 2 700": a reader must not see a bare 300), and after
# the slash of a date interval ("2025-01-06/").  A piece is what lies between
# two breaks.
_QUALIFIER = "|".join(
    re.escape(word).replace(r"\ ", " ") for word in sorted(QUALIFIER_WORDS, key=len, reverse=True)
)
_PIECE = re.compile(
    rf"(?:(?<![^\s/])['\"(\[]?+(?i:{_QUALIFIER}) ++(?=[0-9]))?+"
    rf"(?:[^\s/]|(?<=[0-9]){GROUP_SPACE}(?=[0-9]{{3}}(?![0-9])))++/?+|/"
)


def _width(text: str) -> int:
    """Terminal cells `text` takes (rich's count; `len` for ASCII, much faster)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def pieces(cell: str) -> list[tuple[str, str]]:
    """A cell as the pieces a line may not break inside, each with what joins
    it to the one before on a line: a space, or nothing after a slash."""
    return [
        (match.group(), " " if match.start() and cell[match.start() - 1].isspace() else "")
        for match in _PIECE.finditer(cell)
    ]


def break_lines(cell: str, width: int) -> str:
    """`cell` with a newline wherever it must break to fit `width`, only at the
    breaks `pieces` allows (a piece wider than `width` is left to rich, which
    folds it).  A cell that fits is returned unchanged."""
    if _width(cell) <= width:
        return cell
    lines: list[str] = []
    line, used = "", 0
    for piece, joint in pieces(cell):
        size = _width(piece)
        if line and used + len(joint) + size > width:
            lines.append(line)
            line, used = piece, size
        elif line:
            line, used = line + joint + piece, used + len(joint) + size
        else:
            line, used = piece, size
    return "\n".join([*lines, line])


def _piece_widths(table: Table, width: int) -> list[int | None]:
    """When the prose columns alone cannot make the table fit: every column may
    break between its pieces (an id or a date is one piece, never split).  Each
    column gets its longest piece, and what is left is shared in proportion to
    how much more each would like; all None when not even that fits."""
    cells = [
        {column.name, *(row[i] for row in table.rows)} for i, column in enumerate(table.columns)
    ]
    whole = [max(map(_width, column)) for column in cells]
    floors = [
        max(max(map(_width, _PIECE.findall(cell)), default=0) for cell in column)
        for column in cells
    ]
    room = width - _GAP * (len(whole) - 1)
    if sum(floors) > room:
        return [None] * len(whole)
    spare = room - sum(floors)
    wants = [w - f for w, f in zip(whole, floors, strict=True)]
    total = sum(wants) or 1
    return [f + spare * want // total for f, want in zip(floors, wants, strict=True)]


def _breaker(table: Table, widths: Sequence[int | None], *, every: bool = False) -> Any:
    """A function (cell, column index) -> the cell broken where `break_lines`
    breaks it in a prose column of fixed width (rich itself would break "12 000"
    at its space); each distinct cell of a column is broken once."""
    prose = {
        i: width
        for i, (column, width) in enumerate(zip(table.columns, widths, strict=True))
        if (column.wrap or every) and width is not None
    }
    done: dict[int, dict[str, str]] = {i: {} for i in prose}

    def broken(cell: str, index: int) -> str:
        width = prose.get(index)
        if width is None:
            return cell
        if (found := done[index].get(cell)) is None:
            found = done[index][cell] = break_lines(cell, width)
        return found

    return broken


def _stacked(table: Table, width: int) -> str:
    """A table too wide for `width`, one block per row: the first cell, then each
    other column as `name  value`, values broken only where `pieces` allows.  A
    piece wider than the line stays whole (it is never split)."""
    names = [column.name for column in table.columns[1:]]
    label = max(map(_width, names), default=0) + 2
    room = max(width - 2 - label, 1)
    lines = [
        *break_lines(table.title, width).split("\n"),
        *break_lines(
            f"(one block per {table.columns[0].name}: the table is too wide)",
            width,
        ).split("\n"),
    ]
    for row in table.rows:
        lines.append("")
        lines.extend(row[0].splitlines() or [""])
        for name, cell in zip(names, row[1:], strict=True):
            broken = [
                part
                for text in cell.splitlines() or [""]
                for part in break_lines(text, room).split("\n")
            ]
            lines.append("  " + name.ljust(label) + broken[0])
            lines.extend(" " * (2 + label) + part for part in broken[1:])
    if table.caption:
        lines += ["", *break_lines(table.caption, width).split("\n")]
    return "\n".join(lines)


def _strip_trailing(text: str) -> str:
    """Rich pads lines to the table's width; the padding is noise in files and diffs."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


# --- charts: the timeline in the terminal and as an image --------------------

CHART_HEIGHT = 10
"""Rows of the terminal chart's value axis."""
_COLOURS = ("cyan", "magenta", "yellow", "green", "red", "blue", "bright_cyan", "bright_magenta")


class ChartsMissing(RuntimeError):
    """matplotlib (the optional 'charts' extra) is not installed."""


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHART_CLAIMANTS = len(_ALPHABET)
"""Claimants drawn in one chart: one letter each.  A panel with more is drawn
as several charts on the same axes, so a letter never stands for two claimants."""


def chart_parts(panel: Any) -> list[tuple[str, tuple[str, ...]]]:
    """A panel's charts: each one's title and its claimants (at most CHART_CLAIMANTS)."""
    claimants: tuple[str, ...] = panel.claimants
    period = " for a period (not running totals)" if getattr(panel, "period", False) else ""
    title = f"{panel.metric}{period} — {panel.subject}"
    if len(claimants) <= CHART_CLAIMANTS:
        return [(title, claimants)]
    return [
        (
            f"{title} (claimants {start + 1}–{start + len(part)} of {len(claimants)})",
            part,
        )
        for start in range(0, len(claimants), CHART_CLAIMANTS)
        for part in [claimants[start : start + CHART_CLAIMANTS]]
    ]


def _charts(timeline: Any) -> list[tuple[Any, str, tuple[str, ...]]]:
    """Every chart of a timeline, terminal or image: its panel, title and claimants."""
    return [(panel, title, part) for panel in timeline.panels for title, part in chart_parts(panel)]


def _letters(claimants: Sequence[str]) -> dict[str, str]:
    if len(claimants) > CHART_CLAIMANTS:
        raise ValueError(f"{len(claimants)} claimants in one chart; split with chart_parts")
    return dict(zip(claimants, _ALPHABET, strict=False))


def _chart_lines(
    panel: Any, plot_width: int, claimants: Sequence[str]
) -> tuple[list[str], list[str]]:
    """One panel's `claimants` as text rows (value axis down the left, dates
    along the bottom) and a legend.  The axes span the whole panel, so the
    charts of one panel's parts line up.

    Each estimate is a column at the middle of its dates: the claimant's letter
    in lower case over the range of counts its words allow, in upper case at
    its best value, `^` on top when it has no upper bound; `-` marks the days
    its date spans, at the best value.
    """
    from reconcile.numbers import format_count

    letters = _letters(claimants)
    entries = panel.entries
    first = min(o.as_of.start for o in entries).toordinal()
    last = max(o.as_of.end for o in entries).toordinal()
    highest: int = max(
        o.interval.high if o.interval.high is not None else o.interval.low for o in entries
    )
    top = max(1, highest * 11 // 10)
    grid = [[" "] * plot_width for _ in range(CHART_HEIGHT)]

    def row(value: int) -> int:
        return CHART_HEIGHT - 1 - min(CHART_HEIGHT - 1, value * (CHART_HEIGHT - 1) // top)

    def column(day: int) -> int:
        return 0 if last == first else (day - first) * (plot_width - 1) // (last - first)

    for o in entries:
        letter = letters.get(o.claimant)
        if letter is None:
            continue
        best = row(o.best)
        for x in range(column(o.as_of.start.toordinal()), column(o.as_of.end.toordinal()) + 1):
            if grid[best][x] == " ":
                grid[best][x] = "-"
        high = o.interval.high
        rows = range(row(high) if high is not None else 0, row(o.interval.low) + 1)
        x = _free_column(grid, column(o.as_of.midpoint().toordinal()), rows, letter)
        for y in rows:
            grid[y][x] = letter.lower()
        if high is None:
            grid[0][x] = "^"
        grid[best][x] = letter
    labels = {
        0: format_count(top),
        CHART_HEIGHT // 2: format_count(top // 2),
        CHART_HEIGHT - 1: "0",
    }
    size = max(len(label) for label in labels.values())
    lines = [f"{labels.get(y, ''):>{size}} ┤{''.join(cells)}" for y, cells in enumerate(grid)]
    lines.append(" " * size + " └" + "─" * plot_width)
    start, end = entries[0].as_of.start, max(o.as_of.end for o in entries)
    left, right = start.isoformat(), end.isoformat()
    lines.append(" " * (size + 2) + left + right.rjust(max(1, plot_width - len(left))))
    derived = {o.claimant for o in entries if o.derived}
    legend = [f"{letters[c]} {c}{' (derived)' if c in derived else ''}" for c in claimants]
    return lines, legend


def _free_column(grid: list[list[str]], x: int, rows: range, letter: str) -> int:
    """The column nearest `x` where no other claimant's letter lies in `rows`, so
    that a claimant is never drawn over another (and disappears); `x` when the
    whole row is taken."""
    width = len(grid[0])
    for step in range(width):
        for at in (x + step, x - step) if step else (x,):
            if 0 <= at < width and not any(
                grid[y][at].isalpha() and grid[y][at].upper() != letter for y in rows
            ):
                return at
    return x


def legend_lines(items: Sequence[str], width: int) -> list[str]:
    """The legend's items ('I src-0011'), two spaces apart, wrapped between items:
    a letter never ends up on one line and its claimant on the next."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for item in items:
        piece = "  " + item
        if line and cell_len(line) + cell_len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    return [*lines, line] if line else lines


def timeline_chart(timeline: Any, *, width: int | None, terminal: bool) -> str:
    """The timeline as text charts, one per subject and metric, one letter per claimant."""
    from rich.text import Text

    buffer = io.StringIO()
    out = console(width, terminal, buffer)
    size = out.width
    plain = not terminal or bool(os.environ.get("NO_COLOR"))
    for number, (panel, title, claimants) in enumerate(_charts(timeline)):
        if number:
            out.print()
        out.print(Text(escape.plain(title)))
        lines, legend = _chart_lines(panel, max(10, size - 12), claimants)
        colours = {
            letter: _COLOURS[n % len(_COLOURS)]
            for n, letter in enumerate(_letters(claimants).values())
        }
        for line in lines:
            text = Text(line)
            if not plain:
                for at, char in enumerate(line):
                    colour = colours.get(char.upper())
                    if colour and at > line.find("┤") >= 0:
                        text.stylize(colour, at, at + 1)
            out.print(text, crop=True)
        for line in legend_lines([escape.plain(item) for item in legend], size):
            out.print(Text(line))
    if timeline.panels:
        out.print(
            Text(
                "  upper case: best value; lower case: the counts its words allow; "
                "^: no upper bound; -: its dates"
            )
        )
    else:
        out.print(Text("Timeline: no estimates"))
    return escape.workflow_safe(_strip_trailing(buffer.getvalue()))


BIG_PICTURE = 4000
"""Pixels of height above which a PNG is drawn at 1x rather than 2x."""


class _Canvas:
    """What a PNG chart is drawn of, in pixels, gathered so that each kind of mark
    becomes one matplotlib collection (fast at thousands of estimates)."""

    def __init__(self) -> None:
        self.lines: list[tuple[list[tuple[float, float]], str, float]] = []
        self.polygons: list[tuple[list[tuple[float, float]], str, str, float]] = []
        self.circles: list[tuple[float, float, str, str]] = []
        self.texts: list[tuple[float, float, str, float, dict[str, Any]]] = []

    def text(self, x: float, y: float, words: str, size: float = 12, **style: Any) -> None:
        self.texts.append((x, y, words, size, style))

    def marker(self, shape: str, x: float, y: float, colour: str, hollow: bool) -> None:
        from reconcile.charts import marker_points

        face = "white" if hollow else colour
        if shape == "circle":
            self.circles.append((x, y, face, colour))
            return
        points = [p.split(",") for p in marker_points(shape, x, y).split()]
        self.polygons.append(([(float(a), float(b)) for a, b in points], face, colour, 1.0))

    def key(self, items: Sequence[Any], dx: float = 0, dy: float = 0) -> None:
        for item in items:
            x, y = dx + item.x, dy + item.y
            self.marker(item.style.shape, x + 6, y, item.style.colour, False)
            self.text(x + 16, y + 4, item.short, color="#333")

    def chart(self, chart: Any, place: tuple[float, float], title: str, title_row: int) -> None:
        dx, offset = place
        self.text(dx + 12, offset + 16, title, 13, weight="bold", color="#111")
        top = offset + title_row
        base = top + chart.bottom
        left, right = dx + chart.left, dx + chart.right
        for tick in chart.y_ticks:
            self.lines.append(([(left, top + tick.at), (right, top + tick.at)], "#dddddd", 1))
            self.text(left - 6, top + tick.at + 4, tick.label, color="#333", ha="right")
        self.lines.append(([(left, base), (right, base)], "#333333", 1))
        for tick in chart.x_ticks:
            self.lines.append(([(dx + tick.at, base), (dx + tick.at, base + 5)], "#333333", 1))
            self.text(dx + tick.at, base + 19, tick.label, color="#333", ha="center")
        for m in chart.marks:
            colour, x, y = m.style.colour, dx + m.x, top + m.y
            if m.period:
                self.lines.append(([(dx + m.period[0], y), (dx + m.period[1], y)], colour, 2))
            if m.spans:
                x0, x1 = dx + m.x0, dx + m.x1
                self.polygons.append(
                    ([(x0, y - 3), (x1, y - 3), (x1, y + 3), (x0, y + 3)], colour, colour, 0.3)
                )
            if m.ranged and m.y_high is not None:
                self.lines.append(([(x, top + m.y_low), (x, top + m.y_high)], colour, 2))
            if m.open:
                self.lines.append(([(x, top + m.y_low), (x, y - 14)], colour, 1.5))
                head = [(x - 4, y - 11), (x + 4, y - 11), (x, y - 17)]
                self.polygons.append((head, colour, colour, 1.0))
            self.marker(m.style.shape, x, y, colour, m.derived)


def charts_png(charts: Sequence[Any], *, title: str, source: str, path: Any) -> None:
    """Draw charts (reconcile.charts geometry) as a PNG with matplotlib: the same
    picture as their SVG (reconcile/templates/timeline.svg.j2), on one axes in
    pixels over the whole figure, text as text (never parsed as mathtext)."""
    try:
        import matplotlib
        from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
        from matplotlib.figure import Figure
        from matplotlib.patches import Circle
    except ImportError as exc:
        raise ChartsMissing(str(exc)) from None
    from reconcile.charts import LEGEND, stack

    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "sans-serif"]
    layout = stack(charts, title, [LEGEND, source])
    canvas = _Canvas()
    for line in layout.header:
        canvas.text(12, line.y, line.text, line.size, weight="bold", color="#111")
    for chart, place, title_, keys in zip(
        charts, layout.places, layout.titles, layout.keys, strict=True
    ):
        canvas.chart(chart, place, title_, layout.title_row)
        canvas.key(keys, *place)
    canvas.key(layout.shared)
    for line in layout.footer:
        canvas.text(12, line.y, line.text, line.size, color="#555")
    dpi = 100
    pt = 72 / dpi  # points per pixel
    figure = Figure(figsize=(layout.width / dpi, layout.height / dpi), dpi=dpi)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    for x, y, words, size, style in canvas.texts:
        ax.text(x, y, words, fontsize=size * pt, va="baseline", parse_math=False, **style)
    lines = canvas.lines
    ax.add_collection(
        LineCollection(
            [points for points, _, _ in lines],
            colors=[colour for _, colour, _ in lines],
            linewidths=[width * pt for _, _, width in lines],
        )
    )
    for alpha in sorted({alpha for *_, alpha in canvas.polygons}):
        chosen = [p for p in canvas.polygons if p[3] == alpha]
        ax.add_collection(
            PolyCollection(
                [points for points, *_ in chosen],
                facecolors=[face for _, face, _, _ in chosen],
                edgecolors=[edge for _, _, edge, _ in chosen],
                linewidths=1.5 * pt,
                alpha=alpha,
                zorder=3 if alpha == 1.0 else 1,
            )
        )
    circles = canvas.circles
    ax.add_collection(
        PatchCollection(
            [Circle((x, y), 4.5) for x, y, _, _ in circles],
            facecolors=[face for _, _, face, _ in circles],
            edgecolors=[edge for _, _, _, edge in circles],
            linewidths=1.5 * pt,
            zorder=4,
        )
    )
    # twice the pixels for sharp text, unless the picture is already huge (the
    # small multiples of a whole ledger): then its own size, a quarter of the cost
    scale = 2 if layout.height <= BIG_PICTURE else 1
    figure.savefig(path, format="png", dpi=scale * dpi, metadata={"Software": "reconcile"})
