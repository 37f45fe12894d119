"""Rendering: the one module that turns results into text, and the only one that
imports rich (ruff's banned-api rule enforces it).  rich is imported inside the
functions that draw tables, so commands that print plain text never load it.

JSON output always uses one envelope, documented in docs/json.md:

    {"reconcile": {"schema": 1, "command": "<command>", "version": "<x.y.z>"},
     "ledgers": ["<path>", ...], "result": {...}}
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from reconcile import __version__
from reconcile.issues import Issue, Severity

JSON_SCHEMA_VERSION = 1


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
    """`path:line:col: severity: message [check-id]`, a hint indented below."""
    return "".join(f"{issue}\n" for issue in issues)


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


def issues_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands, grouped per file."""
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_file[issue.location.path].append(issue)
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
    for issue in issues:
        message = issue.message.replace("|", "\\|")
        lines.append(
            f"| `{issue.location}` | {issue.severity.value} | `{issue.check}` | {message} |"
        )
    return "\n".join(lines) + "\n"


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
