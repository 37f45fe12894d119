"""Issue output: `path:line:col: severity: message [check]` lines, validate's JSON, GitHub
annotations and step summary, and the one-line count on stderr.  Every ledger string
is made printable or escaped for the format it is written to."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from reconcile.core import escape
from reconcile.core.issues import Issue, Severity

if TYPE_CHECKING:
    from reconcile.checks.acknowledge import Acknowledged


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
    return escape.workflow_safe("".join(issue.line(_printable) + "\n" for issue in issues))


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", escape.plain(text))


def issues_json(
    ledgers: Sequence[str],
    issues: Sequence[Issue],
    counts: dict[str, int],
    acknowledged: Sequence[Acknowledged] = (),
) -> str:
    """validate's JSON: the counts, the issues reported, and the warnings set aside
    as acknowledged (each with the entry that acknowledges it and the reason)."""
    from reconcile.render.tables import envelope  # the tables' writers: not for text output

    return envelope(
        "validate",
        ledgers,
        {
            "counts": counts,
            "issues": [issue_dict(issue) for issue in issues],
            "acknowledged": [
                issue_dict(each.issue)
                | {
                    "acknowledged": {
                        "section": each.section,
                        "entry": each.entry,
                        "reason": each.reason,
                    }
                }
                for each in acknowledged
            ],
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
    from reconcile.render.tables import md_cell

    lines = ["## reconcile validate", ""]
    if not issues:
        lines.append(f"No problems in {counts['files']} ledger file(s).{_not_shown_md(counts)}")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{counts['errors']} error(s), {counts['warnings']} warning(s).{_not_shown_md(counts)}"
    )
    lines += ["", "| where | severity | check | message |", "|---|---|---|---|"]
    for issue in issues[:MAX_SUMMARY_ROWS]:
        message = md_cell(issue.message)
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
            f"in {counts['documents']} documents; no problems{_not_shown(counts)}"
        )
    return f"{', '.join(parts)} in {scope}{_not_shown(counts)}"


def _not_shown(counts: dict[str, int]) -> str:
    """The warnings set aside, when there are any: "; not shown: 4 acknowledged
    warnings, 1 warning ignored by settings"."""
    words = _set_aside(counts)
    return f"; not shown: {words}" if words else ""


def _not_shown_md(counts: dict[str, int]) -> str:
    words = _set_aside(counts)
    return f" Not shown: {words}." if words else ""


def _set_aside(counts: dict[str, int]) -> str:
    parts = []
    acknowledged, ignored = counts.get("acknowledged", 0), counts.get("ignored", 0)
    if acknowledged:
        parts.append(f"{acknowledged} acknowledged warning{'' if acknowledged == 1 else 's'}")
    if ignored:
        parts.append(f"{ignored} warning{'' if ignored == 1 else 's'} ignored by settings")
    return ", ".join(parts)
