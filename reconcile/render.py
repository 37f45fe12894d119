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
from typing import Any

from reconcile import __version__
from reconcile.issues import Issue, Severity
from reconcile.tabular import Align, OutputFormat, Table

JSON_SCHEMA_VERSION = 1
DEFAULT_WIDTH = 100
"""Width of terminal tables when stdout is not a terminal (or $COLUMNS when set)."""


def envelope(command: str, ledgers: Sequence[str], result: Any) -> str:
    """The versioned JSON envelope every command's JSON output shares."""
    document = {
        "reconcile": {"schema": JSON_SCHEMA_VERSION, "command": command, "version": __version__},
        "ledgers": list(ledgers),
        "result": result,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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
    return "".join(_printable_issue(issue) for issue in issues)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
        message = _md_cell(_printable(issue.message))
        where = _printable(str(issue.location)).replace("`", "'")
        lines.append(f"| `{where}` | {issue.severity.value} | `{issue.check}` | {message} |")
    if len(issues) > MAX_SUMMARY_ROWS:
        lines += ["", f"… and {len(issues) - MAX_SUMMARY_ROWS:,} more (see the job's log)."]
    return "\n".join(lines) + "\n"


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
        return tables_csv(tables[:1])
    if output_format is OutputFormat.MD:
        return tables_markdown(tables)
    return tables_terminal(tables, width=width, terminal=terminal)


def tables_csv(tables: Sequence[Table]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in tables:
        writer.writerow([column.name for column in table.columns])
        writer.writerows(table.rows)
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def tables_markdown(tables: Sequence[Table]) -> str:
    parts: list[str] = []
    for table in tables:
        lines = [f"### {table.title}", ""]
        if table.rows:
            lines.append("| " + " | ".join(_md_cell(c.name) for c in table.columns) + " |")
            lines.append(
                "|"
                + "|".join("---:" if c.align is Align.RIGHT else "---" for c in table.columns)
                + "|"
            )
            lines.extend(
                "| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows
            )
        else:
            lines.append("(none)")
        if table.caption:
            lines += ["", table.caption]
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
    for number, table in enumerate(tables):
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
        for column in table.columns:
            grid.add_column(column.name, justify=column.align.value, overflow="fold")
        for row in table.rows:
            grid.add_row(*row)
        if not table.rows:
            out.print(table.title)
            out.print("  (none)")
            continue
        out.print(grid)
    return _strip_trailing(buffer.getvalue())


def _strip_trailing(text: str) -> str:
    """Rich pads lines to the table's width; the padding is noise in files and diffs."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
