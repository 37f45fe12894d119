"""The command line: it only wires load → compute → render → exit code.

Heavy modules (pydantic, the YAML parser, rich) are imported inside the
commands that need them, so `reconcile --help` starts fast. For the same
reason this module does not use `from __future__ import annotations`: typer
reads every parameter's annotation, and string annotations cost it a compile
and an eval each (about 6 ms of `--help` for ten commands).
"""

import gc
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
    """A message for the person at the terminal: always stderr, after any data."""
    from reconcile.escape import message as escaped

    sys.stdout.flush()
    sys.stderr.write(escaped(message) + "\n")


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


def open_ledger(ledger: Path | None) -> "Checked":
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


def choose_format(chosen: ReportFormat | None, output: Path | None) -> "OutputFormat":
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
    tables: "list[Table]",
    result: Any,
    *,
    command: str,
    checked: "Checked",
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


# --- reports: summary, discrepancies, diff, timeline ---

MetricsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--metric",
        "-m",
        help="Only this metric (deployed, killed, wounded, casualties, captured, missing); "
        "repeat for several.",
        show_default=False,
    ),
]
SubjectOption = Annotated[
    str | None, typer.Option("--subject", help="Only this subject.", show_default=False)
]
ClaimantsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--claimant",
        "-c",
        help="Only this claimant (id, name or alias); repeat for several.",
        show_default=False,
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", help="Only estimates that can date from this day on.", show_default=False
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", help="Only estimates that can date up to this day.", show_default=False
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Only what had certainly been claimed by this date (2025-01-31, 2025-01, 2025).",
        show_default=False,
    ),
]
IndependentOption = Annotated[
    bool,
    typer.Option("--independent", help="Leave out claimants that are a party to the conflict."),
]
WindowOption = Annotated[
    int,
    typer.Option("--window", min=0, help="Days within which two claimants' figures are compared."),
]


def _day(option: str, value: str | None, last: bool) -> Any:
    """A filter date: its first day (or its last, for --until and --as-of)."""
    from reconcile.dates import DateError, parse_span

    if value is None:
        return None
    try:
        span = parse_span(value)
    except DateError as exc:
        _say(f"reconcile: {option} {value!r}: {exc.message}")
        raise typer.Exit(2) from None
    return span.end if last else span.start


def _side_or_exit(ledger: Any, name: str, what: str = "") -> Any:
    """A claimant or document named on the command line, or a message and exit 2."""
    from reconcile.analysis.diff import UnknownSide, resolve

    try:
        return resolve(ledger, what + name)
    except UnknownSide as exc:
        near = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        _say(f"reconcile: {exc.message}{near}")
        raise typer.Exit(2) from None


def _filters(
    checked: "Checked",
    *,
    metrics: list[str] | None,
    subject: str | None,
    claimants: list[str] | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
    independent: bool,
) -> Any:
    import difflib

    from reconcile.analysis.observations import Filters
    from reconcile.models import Metric

    assert checked.ledger is not None
    chosen: set[Metric] = set()
    for name in metrics or []:
        try:
            chosen.add(Metric(name.lower()))
        except ValueError:
            near = difflib.get_close_matches(name.lower(), [m.value for m in Metric], n=1)
            hint = f"; did you mean {near[0]}?" if near else ""
            _say(f"reconcile: --metric {name!r} is not a metric{hint}")
            raise typer.Exit(2) from None
    ids = {_side_or_exit(checked.ledger, name, "claimant:").id for name in claimants or []}
    subjects = {checked.ledger.subject_of(e).casefold() for e in checked.ledger.estimates}
    if subject is not None and subject.casefold() not in subjects:
        _say(f"reconcile: --subject {subject!r} is not a subject of this ledger")
        raise typer.Exit(2)
    return Filters(
        metrics=frozenset(chosen),
        subject=subject,
        claimants=frozenset(ids),
        since=_day("--since", since, last=False),
        until=_day("--until", until, last=True),
        as_of=_day("--as-of", as_of, last=True),
        independent=independent,
    )


@app.command()
def summary(  # noqa: PLR0917 (typer: one parameter per option)
    ledger: LedgerOption = None,
    metric: MetricsOption = None,
    subject: SubjectOption = None,
    claimant: ClaimantsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    independent: IndependentOption = False,
    window: WindowOption = 14,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=0,
            help="How many of the highest-ranked discrepancies to "
            "list (0: all; `reconcile discrepancies` lists them all).",
        ),
    ] = 20,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """Per subject and metric: how many estimates, the range, median, spread, discrepancies."""
    from reconcile import views
    from reconcile.analysis.summary import summarise

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    filters = _filters(
        checked,
        metrics=metric,
        subject=subject,
        claimants=claimant,
        since=since,
        until=until,
        as_of=as_of,
        independent=independent,
    )
    result = summarise(checked.ledger, filters, window, top)
    emit_report(
        views.summary_tables(result),
        result.to_json(),
        command="summary",
        checked=checked,
        output_format=output_format,
        output=output,
        width=width,
    )


@app.command()
def discrepancies(  # noqa: PLR0917 (typer: one parameter per option)
    ledger: LedgerOption = None,
    metric: MetricsOption = None,
    subject: SubjectOption = None,
    claimant: ClaimantsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    independent: IndependentOption = False,
    window: WindowOption = 14,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """Figures that cannot all be right, ranked, each with a one-line reason."""
    from reconcile import views
    from reconcile.analysis.discrepancies import find

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    filters = _filters(
        checked,
        metrics=metric,
        subject=subject,
        claimants=claimant,
        since=since,
        until=until,
        as_of=as_of,
        independent=independent,
    )
    found = find(checked.ledger, filters, window)
    emit_report(
        [views.discrepancies_table(found, window)],
        {
            "filters": filters.to_json(),
            "window": window,
            "discrepancies": [d.to_json() for d in found],
        },
        command="discrepancies",
        checked=checked,
        output_format=output_format,
        output=output,
        width=width,
    )


@app.command()
def diff(  # noqa: PLR0917 (typer: one parameter per option)
    a: Annotated[str, typer.Argument(help="A claimant (id, name or alias) or a document id.")],
    b: Annotated[str, typer.Argument(help="Another; prefix claimant: or document: if ambiguous.")],
    ledger: LedgerOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """Two claimants or two documents side by side, metric by metric, with a verdict."""
    from reconcile import views
    from reconcile.analysis.diff import diff as compare

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    side_a = _side_or_exit(checked.ledger, a)
    side_b = _side_or_exit(checked.ledger, b)
    result = compare(checked.ledger, side_a, side_b)
    emit_report(
        views.diff_tables(result),
        result.to_json(),
        command="diff",
        checked=checked,
        output_format=output_format,
        output=output,
        width=width,
    )


IMAGE_SUFFIXES = (".svg", ".png")


@app.command()
def timeline(  # noqa: PLR0917 (typer: one parameter per option)
    ledger: LedgerOption = None,
    metric: MetricsOption = None,
    subject: SubjectOption = None,
    claimant: ClaimantsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    independent: IndependentOption = False,
    output_format: FormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file: .svg or .png draws the chart as an image "
            "(needs the 'charts' extra); .json, .csv, .md, .txt pick the format.",
            show_default=False,
        ),
    ] = None,
    width: WidthOption = None,
) -> None:
    """The estimates in date order per metric, with a chart of each claimant's figures."""
    from reconcile import render, views
    from reconcile.analysis.timeline import timeline as build

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    filters = _filters(
        checked,
        metrics=metric,
        subject=subject,
        claimants=claimant,
        since=since,
        until=until,
        as_of=as_of,
        independent=independent,
    )
    result = build(checked.ledger, filters)
    if output is not None and output.suffix.lower() in IMAGE_SUFFIXES:
        if output_format is not None:
            _say(f"reconcile: {output} is an image; --format applies to text output only")
            raise typer.Exit(2)
        try:
            render.timeline_image(result, output)
        except render.ChartsMissing:
            _say("reconcile: images need matplotlib: python3 -m pip install 'reconcile[charts]'")
            raise typer.Exit(2) from None
        except OSError as exc:
            _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
        _say(f"reconcile: wrote {output}")
        return
    tables = views.timeline_tables(result)
    fmt = choose_format(output_format, output)
    if fmt.value != "table":
        emit_report(
            tables,
            result.to_json(),
            command="timeline",
            checked=checked,
            output_format=output_format,
            output=output,
            width=width,
        )
        return
    terminal = output is None and sys.stdout.isatty()
    text = render.timeline_chart(result, width=width, terminal=terminal) + "\n"
    text += render.render_tables(
        tables,
        fmt,
        command="timeline",
        ledgers=[checked.path],
        result=None,
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


def _ledger_for_changes(checked: "Checked") -> None:
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
    from reconcile.revisions import is_revision, read_revision, spec_problem
    from reconcile.validation import check_bytes, check_file

    new_path = new if new is not None else find_ledger(None)[0]
    cap = _max_bytes(None)
    after = check_file(new_path, display=str(new_path), max_bytes=cap)
    _ledger_for_changes(after)
    if spec_problem(old) is not None and not old.startswith("-"):
        _say(f"reconcile: cannot read the old ledger: {spec_problem(old)}")
        raise typer.Exit(2)
    try:
        old_is_file = Path(old).is_file()
    except (OSError, ValueError):
        old_is_file = False
    known = is_revision(old) if old_is_file else False
    if isinstance(known, str):
        _say(
            f"reconcile: cannot tell whether {old!r} is a file or a git revision "
            f"({known}); write ./{old} for the file"
        )
        raise typer.Exit(2)
    if known:
        # a pull request could add a file named like the base revision (a copy of
        # its own ledger) and make the report say "no changes": never guess
        _say(
            f"reconcile: {old!r} is both a file and a git revision; write ./{old} for "
            f"the file, or {old.split(':', 1)[0]}:PATH for the ledger at that revision"
            if ":" not in old
            else f"reconcile: {old!r} is both a file and a git revision; write ./{old} for the file"
        )
        raise typer.Exit(2)
    if old_is_file:
        before = check_file(Path(old), display=old, max_bytes=cap)
    else:
        revision = read_revision(old, new_path, max_bytes=cap)
        if revision.raw is None:
            _say(f"reconcile: cannot read the old ledger {old[:80]!r}: {revision.problem}")
            raise typer.Exit(2)
        before = check_bytes(revision.raw, revision.name, max_bytes=cap)
        if before.ledger is not None and before.ledger.include:
            # its other files are not at hand as they were: comparing the root
            # alone would report everything they hold as added
            rev, path = revision.name.split(":", 1)
            _say(
                f"reconcile: {revision.name} includes other files "
                f"({', '.join(before.ledger.include)}), and changes cannot read them at a "
                "git revision; check the revision out and compare the files: "
                f"git worktree add OLD {rev} && reconcile changes OLD/{path} {new_path}"
            )
            raise typer.Exit(2)
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


# --- extract, coverage, import (issue 5) -------------------------------------


class ExtractFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    YAML = "yaml"
    CSV = "csv"
    MD = "md"


def _write_text(text: str, output: Path | None) -> None:
    """Data to stdout, or to --output with a note on stderr."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    _say(f"reconcile: wrote {output}")


def _document_ids(ledger: Path | None) -> dict[Path, str]:
    """Archived file -> document id, from the ledger if it can be read (else empty)."""
    from reconcile.archive import archive_folder
    from reconcile.discover import find_ledger
    from reconcile.validation import check_file

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path))
    if checked.ledger is None:
        return {}
    folder = archive_folder(checked.ledger, path)
    return {
        (folder / document.path).resolve(): document.id
        for document in checked.ledger.documents
        if document.path is not None
    }


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article texts (UTF-8).")],
    *,
    output_format: Annotated[
        ExtractFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, yaml (ready-to-paste estimates), csv or md "
            "(default: from -o's extension, else table).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list the numbers that are not figures.")
    ] = False,
    ledger: LedgerOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """List every figure in article texts that could be a count of people.

    For each: the sentence to quote, the figure and its interval, the metric it
    most likely is (and the word that decided it), the likely claimant, date
    hints and a confidence.  `--format yaml` prints ready-to-paste ledger
    estimates.  Exit 0, or 2 when a file cannot be read.
    """
    from reconcile import render
    from reconcile.archive import MAX_DOCUMENT_BYTES
    from reconcile.confine import read_regular
    from reconcile.extract import extract as find
    from reconcile.extract_views import estimate_entries, extract_tables, extracted_dict
    from reconcile.importer import slug
    from reconcile.loader import dump_yaml
    from reconcile.tabular import OutputFormat

    texts: list[tuple[Path, str]] = []
    for path in files:
        # a regular file, capped: never /dev/zero, a FIFO or an endless /proc file
        raw = read_regular(path, MAX_DOCUMENT_BYTES)
        if isinstance(raw, str):
            check = "too-large" if raw.startswith("is over") else "read"
            _say(f"{path}: error: the file {raw} [{check}]")
            raise typer.Exit(2)
        try:
            texts.append((path, raw.decode("utf-8-sig")))
        except UnicodeDecodeError:
            _say(f"{path}: error: the file is not UTF-8 text [encoding]")
            raise typer.Exit(2) from None
    found = [(str(path), find(text)) for path, text in texts]
    chosen = output_format
    if chosen is None and output is not None and output.suffix.lower() in (".yaml", ".yml"):
        chosen = ExtractFormat.YAML
    if chosen is ExtractFormat.YAML:
        ids = _document_ids(ledger)
        named = [
            (name, ids.get(path.resolve()) or slug(path.stem) or "document", figures)
            for (path, _), (name, figures) in zip(texts, found, strict=True)
        ]
        _write_text(dump_yaml({"estimates": estimate_entries(named)}), output)
        return
    fmt = choose_format(ReportFormat(chosen.value) if chosen else None, output)
    result = {
        "files": [
            {"file": name, "figures": [extracted_dict(f) for f in figures]}
            for name, figures in found
        ]
    }
    text = render.render_tables(
        extract_tables(found, show_all=show_all or fmt is OutputFormat.CSV),
        fmt,
        command="extract",
        ledgers=[],
        result=result,
        width=width,
        terminal=output is None and sys.stdout.isatty(),
    )
    _write_text(text, output)


@app.command()
def coverage(
    ledger: LedgerOption = None,
    output_format: FormatOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list covered figures and the other numbers.")
    ] = False,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """Which figures of each archived document are in the ledger: a to-do list.

    Also lists the ledger quotes that no longer occur in their document.  Exit 0
    when every casualty, deployment and capture figure is covered and every
    quote found, 1 otherwise, 2 when the ledger cannot be used.
    """
    from reconcile import render
    from reconcile.coverage import coverage as cover
    from reconcile.discover import find_ledger
    from reconcile.extract_views import coverage_dict, coverage_tables
    from reconcile.issues import Severity, exit_code
    from reconcile.validation import check_file

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path))
    # a quote that is no longer found is what coverage reports, not a reason to stop
    blocking = [issue for issue in checked.issues if issue.check != "quote-not-found"]
    code = exit_code(blocking)
    if code or checked.ledger is None:
        sys.stderr.write(render.issues_text(checked.issues))
        _say(f"reconcile: {path} has problems; fix them first (reconcile validate {path})")
        raise typer.Exit(code or 2)
    warnings = sum(issue.severity is Severity.WARNING for issue in checked.issues)
    if warnings:
        _say(f"reconcile: {path}: {warnings} warning(s); see reconcile validate")
    result = cover(checked.ledger, checked.texts)
    emit_report(
        coverage_tables(result, show_all=show_all),
        coverage_dict(result),
        command="coverage",
        checked=checked,
        output_format=output_format,
        output=output,
        width=width,
    )
    if not result.complete:
        _say(
            f"reconcile: {result.todo} figure(s) to add, {result.missing_quotes} quote(s) not found"
        )
        raise typer.Exit(1)


@app.command(name="import")
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV file of claims, one row per figure.")],
    *,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            help="COLUMN=FIELD: read this column as this field (repeatable).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The ledger's title.", show_default=False)
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject",
            help="The ledger's subject (default: the commonest subject column value).",
            show_default=False,
        ),
    ] = None,
    month_first: Annotated[
        bool, typer.Option("--month-first", help="Read 01/13/2025 as month first.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the ledger here.", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
) -> None:
    """Turn a spreadsheet of claims (CSV) into ledger YAML.

    Problems go to stderr, one per line with the row and column
    (`claims.csv:ROW:COL: severity: message [check-id]`); rows that cannot be
    read are reported, never dropped silently.  Exit 0, 1 when a row could not
    be read (or, with --strict, on warnings), 2 when the file cannot be read.
    """
    from reconcile import render
    from reconcile.importer import import_csv
    from reconcile.issues import Location, exit_code, sort_issues, unusable
    from reconcile.loader import DEFAULT_MAX_BYTES, dump_yaml

    name = str(file)
    columns: dict[str, str] = {}
    for item in mapping or []:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            _say(f"reconcile: --map {item!r}: write COLUMN=FIELD, e.g. --map 'Who=claimant'")
            raise typer.Exit(2)
        columns[column.strip()] = target.strip().lower()
    from reconcile.confine import read_regular

    # a regular file, capped: never /dev/zero, a FIFO or an endless /proc file
    raw = read_regular(file, DEFAULT_MAX_BYTES)
    if isinstance(raw, str):
        check = "too-large" if raw.startswith("is over") else "read"
        sys.stderr.write(render.issues_text([unusable(check, f"the file {raw}", Location(name))]))
        raise typer.Exit(2)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = unusable(
            "encoding", f"not UTF-8 text (byte {exc.start}); save it as UTF-8", Location(name)
        )
        sys.stderr.write(render.issues_text([problem]))
        raise typer.Exit(2) from None
    imported = import_csv(
        text, name, mapping=columns, title=title, subject=subject, month_first=month_first
    )
    issues = sort_issues(imported.issues)
    sys.stderr.write(render.issues_text(issues))
    if imported.data:
        _write_text(dump_yaml(imported.data), output)
    failed = imported.rows - imported.imported
    _say(
        f"reconcile: imported {imported.imported} of {imported.rows} row(s)"
        + (f"; {failed} could not be read" if failed else "")
    )
    raise typer.Exit(exit_code(issues, strict=strict))


GC_THRESHOLDS = (200_000, 30, 30)
"""The cyclic collector's thresholds for a run, as mypy sets them: a run builds
a model per estimate and figure, none of them garbage, and the defaults walk
them again and again (a quarter of `validate`'s time on 100,000 estimates)."""


def main() -> None:
    """Console entry point: the CLI boundary, where a bug becomes a message, not a traceback."""
    gc.set_threshold(*GC_THRESHOLDS)
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
