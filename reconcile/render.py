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


def summary_line(counts: dict[str, int]) -> str:
    """The one line validate prints on stderr."""
    parts = []
    for key, word in (("errors", "error"), ("warnings", "warning")):
        n = counts[key]
        parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    files = counts["files"]
    scope = f"{files} ledger file{'' if files == 1 else 's'}"
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
    `width` wide, else $COLUMNS, else DEFAULT_WIDTH.  `csv`: the first table
    only (a CSV file holds one table; the others are in the table, md and json
    outputs).  `md`: a Markdown section per table.  `json`: `result` in the
    envelope (tables are not used).
    """
    if output_format is OutputFormat.JSON:
        return envelope(command, ledgers, result)
    if output_format is OutputFormat.CSV:
        return escape.workflow_safe(tables_csv(tables[:1]))
    if output_format is OutputFormat.MD:
        budget = MAX_MARKDOWN_BYTES if escape.under_github() else None
        return escape.workflow_safe(tables_markdown(tables, budget=budget), markdown_text=True)
    return escape.workflow_safe(tables_terminal(tables, width=width, terminal=terminal))


def tables_csv(tables: Sequence[Table]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in tables:
        writer.writerow([escape.csv_cell(column.name) for column in table.columns])
        writer.writerows([escape.csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue()


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
        for column, least in zip(table.columns, widths, strict=True):
            grid.add_column(
                column.name,
                justify=column.align.value,
                overflow="fold",
                width=least,
            )
        broken = _breaker(table, widths)
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
# 3" ends a line), and after the slash of a date interval ("2025-01-06/").  A
# piece is what lies between two breaks.
_PIECE = re.compile(rf"(?:[^\s/]|(?<=[0-9]){GROUP_SPACE}(?=[0-9]{{3}}(?![0-9])))++/?+|/")


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


def _breaker(table: Table, widths: Sequence[int | None]) -> Any:
    """A function (cell, column index) -> the cell broken where `break_lines`
    breaks it in a prose column of fixed width (rich itself would break "12 000"
    at its space); each distinct cell of a column is broken once."""
    prose = {
        i: width
        for i, (column, width) in enumerate(zip(table.columns, widths, strict=True))
        if column.wrap and width is not None
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


def _strip_trailing(text: str) -> str:
    """Rich pads lines to the table's width; the padding is noise in files and diffs."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


# --- charts: the timeline in the terminal and as an image --------------------

CHART_HEIGHT = 10
"""Rows of the terminal chart's value axis."""
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")
"""With tab10's colours, 100 distinct claimant styles in a timeline image."""
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
    title = f"{panel.metric} — {panel.subject}"
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
        x = column(o.as_of.midpoint().toordinal())
        high = o.interval.high
        for y in range(row(high) if high is not None else 0, row(o.interval.low) + 1):
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


def timeline_image(timeline: Any, path: Any) -> list[dict[str, Any]]:
    """Draw the timeline as an SVG or PNG (from `path`'s extension) with matplotlib.

    One panel per subject and metric, split like the terminal chart when it
    has more than CHART_CLAIMANTS claimants; in each, one series per claimant
    (its line's gid is `series-<panel>-<claimant>`): a marker at each
    estimate's best value, a vertical bar over the counts its words allow (an
    arrow when there is no upper bound) and a horizontal bar over the days it
    spans.  Every panel shares one time axis, and a claimant keeps one colour
    and marker across panels (up to 100 claimants; beyond, styles are unique
    within each panel).  Returns, per panel, its title, the series drawn and
    their colours and markers (read back from the figure).
    """
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ChartsMissing(str(exc)) from None
    matplotlib.rcParams["svg.hashsalt"] = "reconcile"
    # ledger strings are text, never TeX: `$...$` in a subject is drawn as written
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        return _draw_timeline(timeline, path, matplotlib, Figure)


def _draw_timeline(timeline: Any, path: Any, matplotlib: Any, Figure: Any) -> list[dict[str, Any]]:

    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    panels = timeline.panels
    charts = _charts(timeline)
    figure = Figure(figsize=(9, 3.2 * max(1, len(charts))), layout="constrained")
    # one time axis for every panel, so that panels can be compared at a glance
    axes = figure.subplots(max(1, len(charts)), 1, squeeze=False, sharex=True)[:, 0]
    # one style (colour and marker) per claimant across the whole figure while
    # there are styles enough; else per chart, where claimants are few enough
    palette = matplotlib.colormaps["tab10"]
    styles = [(palette(i % 10), _MARKERS[i // 10]) for i in range(10 * len(_MARKERS))]
    claimants = list(dict.fromkeys(c for panel in panels for c in panel.claimants))
    everywhere = dict(zip(claimants, styles, strict=False)) if len(claimants) <= len(styles) else {}
    drawn: list[dict[str, Any]] = []
    for number, (ax, (panel, title, part)) in enumerate(zip(axes, charts, strict=False)):
        style = everywhere or dict(zip(part, styles, strict=False))
        ceiling = max(
            o.interval.high if o.interval.high is not None else o.interval.low
            for o in panel.entries
        )
        ceiling = max(1, -(-ceiling * 12 // 10))  # 20% headroom, rounded up
        for claimant in part:
            mine = [o for o in panel.entries if o.claimant == claimant]
            xs = [o.as_of.midpoint() for o in mine]
            ys = [o.best for o in mine]
            below = [o.best - o.interval.low for o in mine]
            above = [
                (o.interval.high if o.interval.high is not None else ceiling) - o.best for o in mine
            ]
            open_top = [o.interval.high is None for o in mine]
            early = [o.as_of.midpoint() - o.as_of.start for o in mine]
            late = [o.as_of.end - o.as_of.midpoint() for o in mine]
            drawn_series = ax.errorbar(
                xs,
                ys,
                yerr=[below, above],
                xerr=[early, late],
                lolims=open_top,
                fmt=style[claimant][1],
                capsize=3,
                color=style[claimant][0],
                label=claimant + (" (derived)" if any(o.derived for o in mine) else ""),
            )
            drawn_series.lines[0].set_gid(f"series-{number}-{claimant}")
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylim(bottom=0, top=ceiling)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole ticks only
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        ax.grid(alpha=0.3)
        drawn.append(
            {
                "subject": panel.subject,
                "metric": panel.metric,
                "title": title,
                "series": [
                    line.get_gid()
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                ],
                "colours": {
                    str(line.get_gid()).split("-", 2)[2]: matplotlib.colors.to_hex(line.get_color())
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                },
                "markers": {
                    str(line.get_gid()).split("-", 2)[2]: str(line.get_marker())
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                },
            }
        )
    spans = [o.as_of for panel in panels for o in panel.entries]
    if spans:
        from reconcile.dates import shifted

        axes[0].set_xlim(
            shifted(min(d.start for d in spans), -7), shifted(max(d.end for d in spans), 7)
        )
    kind = str(path).lower().rsplit(".", 1)[-1]
    metadata = {"Date": None} if kind == "svg" else {"Software": "reconcile"}
    figure.savefig(path, format=kind, metadata=metadata)
    return drawn
