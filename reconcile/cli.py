"""The command line: it only wires load → compute → render → exit code.

Heavy modules (pydantic, the YAML parser, rich) are imported inside the
commands that need them, so `reconcile --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from reconcile.tabular import OutputFormat, Table
    from reconcile.validation import Checked

app = typer.Typer(
    name="reconcile",
    help="Keep disagreeing casualty figures in one traceable ledger, and reconcile them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ENV_MAX_BYTES = "RECONCILE_MAX_BYTES"


def _version(value: bool) -> None:
    if value:
        from reconcile import __version__

        sys.stdout.write(f"reconcile {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Keep disagreeing casualty figures in one traceable ledger, and reconcile them."""


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"


# Options every report command shares.
LedgerOption = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        "-l",
        help="Ledger file (default: $RECONCILE_LEDGER, "
        "./data/estimates.yaml, then the shipped ledger).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv or md (default: from -o's extension, else table).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout; its extension "
        "(.json, .csv, .md, .txt) picks the format.",
        show_default=False,
    ),
]
WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        min=40,
        help="Table width (default: the terminal's, else $COLUMNS or 100).",
        show_default=False,
    ),
]


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _say(message: str) -> None:
    """A message for the person at the terminal: always stderr."""
    sys.stderr.write(message + "\n")


def _max_bytes(option: int | None) -> int:
    from reconcile.loader import DEFAULT_MAX_BYTES

    if option is not None:
        return option
    raw = os.environ.get(ENV_MAX_BYTES)
    if raw:
        try:
            value = int(raw)
        except ValueError:
            _say(f"reconcile: {ENV_MAX_BYTES}={raw!r} is not a whole number of bytes")
            raise typer.Exit(2) from None
        if value > 0:
            return value
    return DEFAULT_MAX_BYTES


@app.command()
def validate(
    ledgers: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Ledger files (default: --ledger, $RECONCILE_LEDGER, ./data/estimates.yaml, "
            "then the shipped ledger).",
            show_default=False,
        ),
    ] = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="The ledger file to validate.")
    ] = None,
    output_format: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (default: github when $GITHUB_ACTIONS is set, else text).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            help=f"Size cap per file (default 256 MiB, or ${ENV_MAX_BYTES}).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check ledgers: schema, ids, dates, consistency and that every figure is in its quote.

    Prints one line per problem, `path:line:col: severity: message [check-id]`,
    and exits 0 when clean, 1 when problems were found, 2 when a file is unusable.
    """
    from reconcile import render
    from reconcile.discover import find_ledger
    from reconcile.issues import Issue, Severity, exit_code
    from reconcile.validation import check_file

    paths = list(ledgers or [])
    if ledger is not None:
        paths.append(ledger)
    if not paths:
        paths = [find_ledger()[0]]
    cap = _max_bytes(max_bytes)
    issues: list[Issue] = []
    counts = {
        "files": len(paths),
        "errors": 0,
        "warnings": 0,
        "sources": 0,
        "documents": 0,
        "estimates": 0,
    }
    for path in paths:
        checked = check_file(path, display=str(path), max_bytes=cap)
        issues.extend(checked.issues)
        counts["files"] += max(len(checked.files), 1) - 1  # files pulled in by include:
        if checked.ledger is not None:
            counts["sources"] += len(checked.ledger.sources)
            counts["documents"] += len(checked.ledger.documents)
            counts["estimates"] += len(checked.ledger.estimates)
    counts["errors"] = sum(issue.severity is Severity.ERROR for issue in issues)
    counts["warnings"] = len(issues) - counts["errors"]

    chosen = output_format
    if chosen is None:
        chosen = (
            ValidateFormat.GITHUB
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else ValidateFormat.TEXT
        )
    names = [str(path) for path in paths]
    if chosen is ValidateFormat.JSON:
        sys.stdout.write(render.issues_json(names, issues, counts))
    elif chosen is ValidateFormat.GITHUB:
        sys.stdout.write(render.issues_github(issues))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as handle:
                    handle.write(render.issues_markdown_summary(issues, counts))
            except OSError as exc:
                _say(f"reconcile: cannot write the step summary to {summary_file}: {exc.strerror}")
    else:
        sys.stdout.write(render.issues_text(issues))
    _say(render.summary_line(counts))
    raise typer.Exit(exit_code(issues, strict=strict))


def open_ledger(ledger: Path | None) -> Checked:
    """The ledger a report runs on, validated.

    Reports refuse a ledger with errors (they would compute on figures that
    cannot be trusted): its problems go to stderr and the exit code is that of
    `validate`.  Warnings are counted on stderr and the report goes on.
    """
    from reconcile import render
    from reconcile.discover import find_ledger
    from reconcile.issues import Severity, exit_code
    from reconcile.validation import check_file

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path))
    code = exit_code(checked.issues)
    if code or checked.ledger is None:
        sys.stderr.write(render.issues_text(checked.issues))
        _say(f"reconcile: {path} has problems; fix them first (reconcile validate {path})")
        raise typer.Exit(code or 2)
    warnings = sum(issue.severity is Severity.WARNING for issue in checked.issues)
    if warnings:
        _say(f"reconcile: {path}: {warnings} warning(s); see reconcile validate")
    return checked


def choose_format(chosen: ReportFormat | None, output: Path | None) -> OutputFormat:
    """--format if given, else the output file's extension, else table."""
    from reconcile.tabular import SUFFIXES, OutputFormat

    if chosen is not None:
        return OutputFormat(chosen.value)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in SUFFIXES:
            _say(
                f"reconcile: cannot tell the format of {output} from its extension; "
                "use --format or .json, .csv, .md, .txt"
            )
            raise typer.Exit(2)
        return SUFFIXES[suffix]
    return OutputFormat.TABLE


def emit_report(
    tables: list[Table],
    result: Any,
    *,
    command: str,
    checked: Checked,
    output_format: ReportFormat | None,
    output: Path | None,
    width: int | None,
) -> None:
    """Render a report and write it to stdout or to --output."""
    from reconcile import render

    fmt = choose_format(output_format, output)
    terminal = output is None and sys.stdout.isatty()
    text = render.render_tables(
        tables,
        fmt,
        command=command,
        ledgers=[checked.path],
        result=result,
        width=width,
        terminal=terminal,
    )
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    _say(f"reconcile: wrote {output}")


# --- CI and editors: schema, changes (issue 6) --------------------------------


@app.command()
def schema(
    included: Annotated[
        bool,
        typer.Option("--included", help="The schema of a file pulled in by include:."),
    ] = False,
) -> None:
    """Print the ledger's JSON Schema (committed as schema/ledger.schema.json).

    Editors use it to complete and check fields: the shipped ledger's first line
    is `# yaml-language-server: $schema=../schema/ledger.schema.json`.
    """
    import json

    from reconcile.models import json_schema

    sys.stdout.write(json.dumps(json_schema(included=included), indent=2) + "\n")


def _ledger_for_changes(checked: Checked) -> None:
    """Stop (exit 2) when a side of `changes` cannot be read; warn when it has errors."""
    from reconcile import render
    from reconcile.issues import Severity, exit_code

    if checked.ledger is None or exit_code(checked.issues) == 2:
        sys.stderr.write(render.issues_text(checked.issues))
        _say(f"reconcile: cannot read {checked.path} as a ledger")
        raise typer.Exit(2)
    errors = sum(issue.severity is Severity.ERROR for issue in checked.issues)
    if errors:
        _say(
            f"reconcile: {checked.path}: {errors} error(s); entries that fail the schema "
            f"are left out (reconcile validate {checked.path})"
        )


@app.command()
def changes(
    old: Annotated[
        str,
        typer.Argument(
            help="The old ledger: a file, REV:path, or a git revision (NEW's file at it).",
            show_default=False,
        ),
    ],
    new: Annotated[
        Path | None,
        typer.Argument(
            help="The new ledger file (default: $RECONCILE_LEDGER, ./data/estimates.yaml, "
            "then the shipped ledger).",
            show_default=False,
        ),
    ] = None,
    *,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
    fail_on_change: Annotated[
        bool, typer.Option("--fail-on-change", help="Exit 1 when anything changed.")
    ] = False,
) -> None:
    """What changed between two versions of a ledger, figure by figure.

    Entries are matched by id: added, removed, or changed field by field as
    written ("nis killed: at least 300 → 600").  Exits 0 (1 with
    --fail-on-change when something changed), 2 when a side cannot be read.
    """
    from reconcile.change_views import changes_tables
    from reconcile.changes import compare
    from reconcile.discover import find_ledger
    from reconcile.revisions import read_revision
    from reconcile.validation import check_bytes, check_file

    new_path = new if new is not None else find_ledger(None)[0]
    cap = _max_bytes(None)
    after = check_file(new_path, display=str(new_path), max_bytes=cap)
    _ledger_for_changes(after)
    if Path(old).is_file():
        before = check_file(Path(old), display=old, max_bytes=cap)
    else:
        revision = read_revision(old, new_path, max_bytes=cap)
        if revision.raw is None:
            _say(f"reconcile: cannot read the old ledger {old!r}: {revision.problem}")
            raise typer.Exit(2)
        before = check_bytes(revision.raw, revision.name, max_bytes=cap)
    _ledger_for_changes(before)
    assert before.ledger is not None and after.ledger is not None
    found = compare(before.ledger, after.ledger, old_name=before.path, new_name=after.path)
    emit_report(
        changes_tables(found),
        found.model_dump(mode="json"),
        command="changes",
        checked=after,
        output_format=output_format,
        output=output,
        width=width,
    )
    raise typer.Exit(1 if fail_on_change and found.changes else 0)


def main() -> None:
    """Console entry point: the CLI boundary, where a bug becomes a message, not a traceback."""
    try:
        app()
    except BrokenPipeError:
        # the reader went away (`reconcile ... | head`): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        _say("reconcile: interrupted")
        sys.exit(130)
    except Exception as exc:  # the boundary: bugs are reported, never dumped
        _say(f"reconcile: internal error, please report it: {type(exc).__name__}: {exc}")
        sys.exit(3)
