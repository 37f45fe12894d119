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
LedgerArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Ledger file, as --ledger (give one or the other).",
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
DecimalCommaOption = Annotated[
    bool,
    typer.Option(
        "--decimal-comma",
        help="Read numbers with dots grouping thousands and a decimal comma "
        "(4.000 is four thousand, 3,8 thousand is 3,800); without it 4.000 is refused.",
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


def _find_ledger(explicit: Path | None, *, announce: bool = True) -> tuple[Path, str]:
    """The ledger to use and how messages name it (find_ledger's order).

    One not named on the command line (found through $RECONCILE_LEDGER,
    ./data/estimates.yaml or the shipped demo) is named on stderr when
    `announce`: a report never shows figures without saying whose.

    Under CI the shipped demo ledger is never a fallback: a workflow that names
    no ledger, or names one that is not there, would go green on the demo.
    """
    from reconcile.discover import ENV_LEDGER, LOCAL, SHIPPED, display, find_ledger, under_ci

    path, origin = find_ledger(explicit)
    near = LOCAL.with_suffix(".yml")
    if origin == SHIPPED and near.is_file():
        _say(f"reconcile: {near} is not read (the default is {LOCAL}); name it to use it")
    if origin == SHIPPED and under_ci():
        _say(
            f"reconcile: no ledger given and ./{LOCAL.as_posix()} does not exist; under CI "
            f"($CI or $GITHUB_ACTIONS set) the shipped demo ledger is not used. Name the "
            f"ledger: `reconcile validate path/to/ledger.yaml`, --ledger/-l, or ${ENV_LEDGER}"
        )
        raise typer.Exit(2)
    name = display(path, origin)
    if announce and explicit is None:
        _say(
            f"reconcile: ledger {name}" + (f" (from ${ENV_LEDGER})" if origin == ENV_LEDGER else "")
        )
    return path, name


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
        Path | None, typer.Option("--ledger", "-l", help="The ledger file to validate.")
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
    from reconcile.issues import Issue, Severity, exit_code
    from reconcile.validation import check_file

    paths = list(ledgers or [])
    if ledger is not None:
        paths.append(ledger)
    names = [str(path) for path in paths]
    if not paths:
        found, name = _find_ledger(None, announce=False)  # the summary line names it
        paths, names = [found], [name]
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
    set_aside = [0, 0]  # acknowledged in the ledger, ignored by settings
    for path in paths:
        checked = check_file(path, display=str(path), max_bytes=cap)
        issues.extend(checked.issues)
        strict = _settings_applied(checked, set_aside, strict=strict)
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
    if chosen is ValidateFormat.JSON:
        sys.stdout.write(render.issues_json([str(path) for path in paths], issues, counts))
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
    _say(render.summary_line(counts, names))
    if set_aside[0]:
        _say(f"reconcile: {set_aside[0]} warning(s) acknowledged in the ledger, not shown")
    if set_aside[1]:
        _say(
            f"reconcile: {set_aside[1]} warning(s) not shown: their checks are ignored by settings"
        )
    raise typer.Exit(exit_code(issues, strict=strict))


def _one_ledger(positional: Path | None, option: Path | None) -> Path | None:
    """The ledger named positionally or with --ledger; both, if they differ, is an error."""
    if positional is not None and option is not None and positional != option:
        _say(f"reconcile: two ledgers given ({positional} and --ledger {option}); give one")
        raise typer.Exit(2)
    return positional if positional is not None else option


def open_ledger(ledger: Path | None, positional: Path | None = None) -> "Checked":
    """The ledger a report runs on, validated.

    A ledger that cannot be read is refused (exit 2).  With errors, the report
    runs on the estimates that have none: the problems go to stderr, the
    estimates left out are named, and the exit code is 1 after the report
    (`emit_report`).  Warnings are counted on stderr and the report goes on.
    """
    from reconcile import render
    from reconcile.issues import Severity, exit_code
    from reconcile.usable import usable_part
    from reconcile.validation import check_file

    path, _ = _find_ledger(_one_ledger(positional, ledger))
    checked = check_file(path, display=str(path), max_bytes=_max_bytes(None))
    code = exit_code(checked.issues)
    if code == 2 or checked.ledger is None:
        sys.stderr.write(render.issues_text(checked.issues))
        _say(f"reconcile: {path} has problems; fix them first (reconcile validate {path})")
        raise typer.Exit(code or 2)
    if code:
        checked = usable_part(checked)
        sys.stderr.write(render.issues_text(checked.issues))
        errors = sum(issue.severity is Severity.ERROR for issue in checked.issues)
        left = checked.left_out
        named = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
        _say(
            f"reconcile: {path} has {errors} error(s); the report leaves out "
            f"{len(left)} estimate(s) with errors"
            + (f" ({named})" if left else "")
            + f"; fix them (reconcile validate {path})"
        )
        return checked
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
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
        _say(f"reconcile: wrote {output}")
    if checked.partial:
        raise typer.Exit(1)  # the report ran on the usable part of a ledger with errors


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
    ledger_file: LedgerArgument = None,
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
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="The whole history (every figure over time) instead of the state of "
            "knowledge as of a date.",
        ),
    ] = False,
    recent: Annotated[
        int,
        typer.Option(
            "--recent",
            min=0,
            help="Days before the --as-of date within which a claimant's latest figure "
            "enters the range of claims.",
        ),
    ] = 365,
) -> None:
    """The state of knowledge as of a date: each claimant's latest figure, the range of
    claims, median, spread, discrepancies (--history: every figure over time)."""
    from reconcile import views
    from reconcile.analysis.summary import summarise

    checked = open_ledger(ledger, ledger_file)
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
    result = summarise(checked.ledger, filters, window, top, history=history, recent=recent)
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
    ledger_file: LedgerArgument = None,
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

    checked = open_ledger(ledger, ledger_file)
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
    ledger_file: LedgerArgument = None,
    ledger: LedgerOption = None,
    window: Annotated[
        int,
        typer.Option(
            "--window",
            min=0,
            help="Days within which two figures are compared; further apart is "
            "'too far apart to compare'.",
        ),
    ] = 14,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """Two claimants or two documents side by side, metric by metric, with a verdict."""
    from reconcile import views
    from reconcile.analysis.diff import diff as compare

    checked = open_ledger(ledger, ledger_file)
    assert checked.ledger is not None
    side_a = _side_or_exit(checked.ledger, a)
    side_b = _side_or_exit(checked.ledger, b)
    result = compare(checked.ledger, side_a, side_b, window)
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
    ledger_file: LedgerArgument = None,
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

    checked = open_ledger(ledger, ledger_file)
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
            _timeline_picture(checked, result, output)
        except render.ChartsMissing:
            _say(
                "reconcile: images need the 'charts' extra (matplotlib, Jinja2): "
                "python3 -m pip install 'reconcile-ledger[charts]'"
            )
            raise typer.Exit(2) from None
        except OSError as exc:
            _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
        _say(f"reconcile: wrote {output}")
        if checked.partial:
            raise typer.Exit(1)  # drawn from the usable part of a ledger with errors
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
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", "-l", help="The new ledger file, as NEW.", show_default=False),
    ] = None,
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
    from reconcile.revisions import is_revision, read_revision, spec_problem
    from reconcile.validation import check_bytes, check_file

    new_path, _ = _find_ledger(_one_ledger(new, ledger))
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
    from reconcile.discover import SHIPPED, find_ledger, under_ci
    from reconcile.validation import check_file

    path, origin = find_ledger(ledger)
    if origin == SHIPPED and under_ci():
        return {}  # not the demo's ids for a CI run's articles
    checked = check_file(path, display=str(path), max_bytes=_max_bytes(None))
    if checked.ledger is None:
        return {}
    folder = archive_folder(checked.ledger, path)
    return {
        (folder / document.path).resolve(): document.id
        for document in checked.ledger.documents
        if document.path is not None
    }


def _say_ambiguous(texts: list[tuple[Path, str]], comma: bool) -> None:
    """Located warnings for numbers not read because their grouping is ambiguous
    (`4.000`): never a silent gap in what extract lists."""
    from reconcile.numbers import ambiguous_runs

    other = "--decimal-comma reads dots as thousands" if not comma else "commas are decimals here"
    for path, text in texts:
        for offset, run in ambiguous_runs(text):
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            _say(
                f"{path}:{line}:{column}: warning: '{run}' could be a grouped count or a "
                f"decimal and is not read ({other}) [ambiguous-number]"
            )


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
    use_decimal_comma: DecimalCommaOption = False,
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

    cap = _max_bytes(None)
    texts: list[tuple[Path, str]] = []
    for path in files:
        # a regular file, capped: never /dev/zero, a FIFO or an endless /proc file
        raw = read_regular(path, min(cap, MAX_DOCUMENT_BYTES))
        if isinstance(raw, str):
            check = "too-large" if raw.startswith("is over") else "read"
            _say(f"{path}: error: the file {raw} [{check}]")
            raise typer.Exit(2)
        try:
            texts.append((path, raw.decode("utf-8-sig")))
        except UnicodeDecodeError:
            _say(f"{path}: error: the file is not UTF-8 text [encoding]")
            raise typer.Exit(2) from None
    from reconcile.numbers import decimal_comma

    with decimal_comma(use_decimal_comma):
        found = [(str(path), find(text)) for path, text in texts]
        _say_ambiguous(texts, use_decimal_comma)
    chosen = output_format
    if chosen is None and output is not None and output.suffix.lower() in (".yaml", ".yml"):
        chosen = ExtractFormat.YAML
    if chosen is ExtractFormat.YAML:
        ids = _document_ids(ledger)
        named = [
            (name, ids.get(path.resolve()) or slug(path.stem) or "document", figures)
            for (path, _), (name, figures) in zip(texts, found, strict=True)
        ]
        context = _extract_context(ledger)
        with decimal_comma(use_decimal_comma):
            entries = estimate_entries(named, context)
        _write_text(dump_yaml({"estimates": entries}), output)
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
def coverage(  # noqa: PLR0917 (typer: one parameter per option)
    ledger_file: LedgerArgument = None,
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
    from reconcile.extract_views import coverage_dict, coverage_tables
    from reconcile.issues import Severity, exit_code
    from reconcile.validation import check_file

    path, _ = _find_ledger(_one_ledger(ledger_file, ledger))
    checked = check_file(path, display=str(path), max_bytes=_max_bytes(None))
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
    use_decimal_comma: DecimalCommaOption = False,
    merge: Annotated[
        list[str] | None,
        typer.Option(
            "--merge",
            help="ALIAS=NAME: claimant ALIAS is another name of NAME; their rows make one "
            "source with ALIAS among its aliases (repeatable).",
            show_default=False,
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Add the claims to this ledger (matched to its sources and documents) "
            "instead of printing a new one.",
            show_default=False,
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias",
            help="NAME=ID: the CSV's claimant NAME is the ledger's source ID (repeatable).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="With --into: show the change; write nothing.")
    ] = False,
) -> None:
    """Turn a spreadsheet of claims (CSV) into ledger YAML, or add it to a ledger (--into).

    Problems go to stderr, one per line with the row and column
    (`claims.csv:ROW:COL: severity: message [check-id]`); rows that cannot be
    read are reported, never dropped silently.  Exit 0, 1 when a row could not
    be read (or, with --strict, on warnings), 2 when the file cannot be read.
    """
    from reconcile import render
    from reconcile.importer import import_csv
    from reconcile.issues import Location, exit_code, sort_issues, unusable
    from reconcile.loader import dump_yaml

    name = str(file)
    columns: dict[str, str] = {}
    for item in mapping or []:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            _say(f"reconcile: --map {item!r}: write COLUMN=FIELD, e.g. --map 'Who=claimant'")
            raise typer.Exit(2)
        columns[column.strip()] = target.strip().lower()
    cap = _max_bytes(None)
    merged: dict[str, str] = {}
    for item in merge or []:
        other, sep, target = item.partition("=")
        if not sep or not other.strip() or not target.strip():
            _say(
                f"reconcile: --merge {item!r}: write ALIAS=NAME, "
                "e.g. --merge 'UK Ministry of Defence=UK MoD'"
            )
            raise typer.Exit(2)
        merged[other.strip()] = target.strip()
    from reconcile.confine import read_regular

    # a regular file, capped: never /dev/zero, a FIFO or an endless /proc file
    raw = read_regular(file, cap)
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
    from reconcile.numbers import decimal_comma

    with decimal_comma(use_decimal_comma):
        imported = import_csv(
            text,
            name,
            mapping=columns,
            title=title,
            subject=subject,
            month_first=month_first,
            merge=merged,
        )
    if into is not None:
        _import_into(imported, into, alias, dry_run=dry_run, strict=strict, name=name)
        return
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


# --- estimate (issue 15) -------------------------------------------------------


@app.command()
def estimate(  # noqa: PLR0917 (typer: one parameter per option)
    metric: Annotated[
        str,
        typer.Option(
            "--metric",
            "-m",
            help="The metric to estimate (killed, wounded, casualties, captured, missing, "
            "deployed).",
            show_default=False,
        ),
    ],
    subject: SubjectOption = None,
    independent: IndependentOption = False,
    at: Annotated[
        list[str] | None,
        typer.Option(
            "--at",
            help="Also estimate at this date (between the first and the last claim; repeatable).",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
) -> None:
    """A consensus estimate over time: a point per month from the first claim to the last,
    with a 95% interval, each claimant's share and influence (docs/estimate.md)."""
    from reconcile import views
    from reconcile.models import Metric

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    try:
        chosen = Metric(metric.lower())
    except ValueError:
        _say(f"reconcile: --metric {metric!r} is not a metric ({', '.join(Metric)})")
        raise typer.Exit(2) from None
    subjects = {checked.ledger.subject_of(e).casefold() for e in checked.ledger.estimates}
    if subject is not None and subject.casefold() not in subjects:
        _say(f"reconcile: --subject {subject!r} is not a subject of this ledger")
        raise typer.Exit(2)
    days = [_day("--at", value, last=False) for value in at or []]
    try:
        from reconcile.analysis.estimate import NoClaims
        from reconcile.analysis.estimate import estimate as build
    except ImportError:
        _say(
            "reconcile: estimate needs numpy and scipy: "
            "python3 -m pip install 'reconcile-ledger[estimate]'"
        )
        raise typer.Exit(2) from None
    try:
        result = build(checked.ledger, chosen, subject=subject, independent=independent, at=days)
    except NoClaims as exc:
        _say(f"reconcile: {exc}")
        raise typer.Exit(2) from None
    emit_report(
        views.estimate_tables(result),
        result.to_json(),
        command="estimate",
        checked=checked,
        output_format=output_format,
        output=output,
        width=width,
    )


GC_THRESHOLDS = (200_000, 30, 30)
"""The cyclic collector's thresholds for a run, as mypy sets them: a run builds
a model per estimate and figure, none of them garbage, and the defaults walk
them again and again (a quarter of `validate`'s time on 100,000 estimates)."""


def main() -> None:
    """Console entry point: the CLI boundary, where a bug becomes a message, not a traceback."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        from reconcile.encoding import install

        install()  # any stdout encoding: stand-ins, never UnicodeEncodeError
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


# --- authoring: add, archive add, init (issue 16) ---------------------------

add_app = typer.Typer(
    help="Add a source, document or estimate to the ledger: checked as validate would, "
    "shown, then written in place (nothing else in the file changes).",
    invoke_without_command=True,
)
app.add_typer(add_app, name="add")

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show the change and its problems; write nothing.")
]


@add_app.callback()
def add_group(
    ctx: typer.Context,
    from_extract: Annotated[
        Path | None,
        typer.Option(
            "--from-extract",
            help="Add the estimates of `reconcile extract --format yaml` output that validate.",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a source, document or estimate; or, with --from-extract, what extract found."""
    from reconcile import render
    from reconcile.adding import add_from_extract

    if ctx.invoked_subcommand is not None:
        if from_extract is not None:
            _say("reconcile: --from-extract goes without source, document or estimate")
            raise typer.Exit(2)
        if ledger is not None or dry_run:
            # the entry must never go to another ledger than the one named
            _say(
                f"reconcile: put -l/--ledger and --dry-run after "
                f"'add {ctx.invoked_subcommand}', e.g. reconcile add {ctx.invoked_subcommand} "
                "-l data/estimates.yaml ..."
            )
            raise typer.Exit(2)
        return
    if from_extract is None:
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(0)
    path, _ = _ledger_for_add(ledger)
    done = add_from_extract(path, from_extract, display=str(path), write=not dry_run)
    for result in done.added:
        sys.stdout.write(result.diff)
    if done.issues:
        sys.stderr.write(render.issues_text(done.issues))
    if any(issue.unusable for issue in done.issues) and not (done.added or done.refused):
        _say(f"reconcile: nothing added to {path}")
        raise typer.Exit(2)
    verb = "would add" if dry_run else "added"
    total = len(done.added) + len(done.refused) + len(done.skipped)
    message = f"reconcile: {verb} {len(done.added)} of {total} estimate(s) to {path}"
    if done.added:
        message += " (" + ", ".join(result.entry_id for result in done.added) + ")"
    _say(message)
    if done.skipped:
        _say(f"reconcile: already in the ledger, skipped: {', '.join(done.skipped)}")
    if done.refused:
        _say(
            f"reconcile: not added, fix them in {from_extract} and run again: "
            + ", ".join(result.entry_id for result in done.refused)
        )
        raise typer.Exit(1)


def _interactive() -> bool:
    """Whether a person is at the terminal to answer prompts."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(value: Any, option: str, question: str, default: Any = None) -> Any:
    """An option's value; prompted for in a terminal when it was not given, else exit 2."""
    if value is not None:
        return value
    if _interactive():
        return typer.prompt(question, default=default, show_default=default is not None)
    if default is not None:
        return default
    _say(f"reconcile: {option} is required (or run the command in a terminal to be asked)")
    raise typer.Exit(2)


def _ledger_for_add(ledger: Path | None) -> "tuple[Path, Checked]":
    from reconcile.discover import find_ledger, shipped_ledger
    from reconcile.validation import check_file

    path, _ = find_ledger(ledger)
    if ledger is None and path.resolve() == shipped_ledger().resolve():
        _say(
            "reconcile: no ledger here (./data/estimates.yaml); give one with -l, "
            "or start one with reconcile init"
        )
        raise typer.Exit(2)
    return path, check_file(path, display=str(path))


def _finish_add(path: Path, kind: str, entry: dict[str, Any], dry_run: bool) -> None:
    """Splice, validate, show and (unless refused or --dry-run) write one entry."""
    from reconcile import render
    from reconcile.adding import add_entry
    from reconcile.issues import Severity

    result = add_entry(path, kind, entry, display=str(path), write=not dry_run)
    if result.diff:
        sys.stdout.write(result.diff)
    if result.issues:
        sys.stderr.write(render.issues_text(result.issues))
    if any(issue.unusable for issue in result.issues):
        _say(f"reconcile: nothing written to {path}")
        raise typer.Exit(2)
    what = f"{kind} '{result.entry_id}'"
    if result.refused:
        errors = sum(issue.severity is Severity.ERROR for issue in result.issues)
        _say(f"reconcile: {what} has {errors} error(s); nothing written to {path}")
        raise typer.Exit(1)
    lines = f"lines {result.first_line}-{result.last_line}"
    if dry_run:
        _say(f"reconcile: --dry-run: {what} would be added to {path} ({lines}); nothing written")
    else:
        _say(f"reconcile: added {what} to {path} ({lines})")
    if result.elsewhere:
        _say(
            f"reconcile: the ledger has {result.elsewhere} other error(s), not in the new "
            f"entry (reconcile validate {path})"
        )


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            _say(f"reconcile: {option} {item!r}: write METRIC=WORDS, e.g. {option} 'killed=300'")
            raise typer.Exit(2)
        pairs[key.strip().lower()] = value.strip()
    return pairs


@add_app.command("source")
def add_source(  # noqa: PLR0917 (typer: one parameter per option)
    name: Annotated[
        str | None, typer.Option("--name", help="Who: 'National Intelligence Service (NIS)'.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="government, military, intelligence, media, ngo, individual or other.",
        ),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option("--party", help="The belligerent it speaks for, or 'third-party'."),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help="Another name it goes by (repeatable).", show_default=False),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[str | None, typer.Option("--id", help="Its id (default: from the name).")] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a source (a claimant) to the ledger."""
    from reconcile.adding import source_entry, unique_id

    path, checked = _ledger_for_add(ledger)
    taken = [s.id for s in checked.ledger.sources] if checked.ledger else []
    name = _ask(name, "--name", "Name of the source")
    kind = _ask(kind, "--kind", "Kind (government, military, intelligence, media, ngo, ...)")
    party = _ask(party, "--party", "Party it speaks for, or third-party", "third-party")
    entry = source_entry(
        id=id or unique_id(name, taken),
        name=name,
        kind=kind,
        party=party,
        aliases=alias,
        notes=notes,
    )
    _finish_add(path, "source", entry, dry_run)


@add_app.command("document")
def add_document(  # noqa: PLR0917 (typer: one parameter per option)
    title: Annotated[str | None, typer.Option("--title", help="Its headline.")] = None,
    path: Annotated[
        str | None,
        typer.Option("--path", help="Its archived text, relative to the archive folder."),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The outlet (default: unknown, null).")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date: 2025-01-13, 2025-01 or an interval."),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="en, fr, ...")] = None,
    relay: Annotated[
        list[str] | None,
        typer.Option("--relay", help="An outlet it cites (repeatable).", show_default=False),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its id (default: from the title).")
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a document (a report) to the ledger; `reconcile archive add` also archives it."""
    from reconcile.adding import document_entry, unique_id

    ledger_path, checked = _ledger_for_add(ledger)
    taken = [d.id for d in checked.ledger.documents] if checked.ledger else []
    title = _ask(title, "--title", "Title")
    entry = document_entry(
        id=id or unique_id(" ".join(title.split()[:6]), taken),
        title=title,
        path=path,
        publisher=publisher,
        published=published,
        url=url,
        language=language,
        relays=relay,
        notes=notes,
    )
    _finish_add(ledger_path, "document", entry, dry_run)


@add_app.command("estimate")
def add_estimate(  # noqa: PLR0917 (typer: one parameter per option)
    claimant: Annotated[
        str | None,
        typer.Option("--claimant", help="Who claimed it: a source's id, name or alias."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="When: 2025-01-13, 2025-01, 2025 or an interval."),
    ] = None,
    deployed: Annotated[str | None, typer.Option("--deployed", help="Troops deployed.")] = None,
    killed: Annotated[str | None, typer.Option("--killed", help="Killed: 'at least 300'.")] = None,
    wounded: Annotated[str | None, typer.Option("--wounded", help="Wounded.")] = None,
    casualties: Annotated[
        str | None, typer.Option("--casualties", help="Killed and wounded, combined.")
    ] = None,
    captured: Annotated[str | None, typer.Option("--captured", help="Captured.")] = None,
    missing: Annotated[str | None, typer.Option("--missing", help="Missing.")] = None,
    document: Annotated[
        str | None, typer.Option("--document", help="The id of the document reporting it.")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="The document's words, verbatim.")
    ] = None,
    wording: Annotated[
        list[str] | None,
        typer.Option(
            "--wording",
            help="METRIC=WORDS: this report's words for a figure (repeatable).",
            show_default=False,
        ),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Its subject.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="The period it counts.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its id (default: claimant and date).")
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add an estimate: who claimed which figures when, and the quote that gives them.

    The quote must occur in the archived document and every figure in the quote,
    as `reconcile validate` checks; an estimate with errors is not written.
    """
    import contextlib

    from reconcile.adding import estimate_entry, unique_id
    from reconcile.analysis.diff import UnknownSide, resolve

    path, checked = _ledger_for_add(ledger)
    known = checked.ledger
    claimant = _ask(claimant, "--claimant", "Claimant (source id, name or alias)")
    if known is not None:
        with contextlib.suppress(UnknownSide):  # else validation says did-you-mean
            claimant = resolve(known, "claimant:" + claimant).id
    document = _ask(document, "--document", "Document id")
    published = None
    if known is not None:
        for doc in known.documents:
            if doc.id == document and doc.published is not None:
                published = doc.published.text
    as_of = _ask(as_of, "--as-of", "As of (the claim's date)", published)
    figures = {
        "deployed": deployed,
        "killed": killed,
        "wounded": wounded,
        "casualties": casualties,
        "captured": captured,
        "missing": missing,
    }
    given = {metric: value for metric, value in figures.items() if value is not None}
    if not given:
        if not _interactive():
            _say("reconcile: give at least one figure (--killed, --wounded, --casualties, ...)")
            raise typer.Exit(2)
        for metric in figures:
            answer = typer.prompt(f"{metric} (empty: none)", default="", show_default=False)
            if answer.strip():
                given[metric] = answer
    quote = _ask(quote, "--quote", "Quote (verbatim)")
    taken = [e.id for e in known.estimates] if known else []
    entry = estimate_entry(
        id=id or unique_id(f"{claimant}-{as_of.replace('/', '-')}", taken),
        claimant=claimant,
        as_of=as_of,
        figures=given,
        document=document,
        quote=quote,
        wording=_pairs(wording, "--wording"),
        subject=subject,
        period=period,
        notes=notes,
    )
    if known is not None:
        from reconcile.merging import same_claim

        for existing in known.estimates:
            if same_claim(existing, entry):
                _say(
                    f"reconcile: note: estimate '{existing.id}' records the same claim "
                    "(claimant, date and figures); this quote may belong there as another "
                    "report (reported_in)"
                )
                break
    _finish_add(path, "estimate", entry, dry_run)


archive_app = typer.Typer(
    help="Archive saved articles (HTML, PDF, WARC, WACZ) in the ledger's archive.",
    no_args_is_help=True,
)
app.add_typer(archive_app, name="archive")


@archive_app.command("add")
def archive_add(  # noqa: PLR0917 (typer: one parameter per option)
    file: Annotated[
        Path, typer.Argument(help="A saved web page (.html), PDF, WARC or WACZ, or UTF-8 text.")
    ],
    ledger: LedgerOption = None,
    id: Annotated[
        str | None, typer.Option("--id", help="The document's id (default: from its title).")
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Where it was published (in a web archive: the page to take)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Its headline.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="The outlet.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date: 2025-01-14.")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="en, fr, ...")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Keep a saved article in the archive and add its document to the ledger.

    Extracts the article's main text (trafilatura for HTML, pypdf for PDF, warcio
    for web archives), writes it beside the original bytes (named after their
    sha256) in the ledger's archive folder, and adds a `documents` entry with the
    title, publisher, date, language and url read from the file's metadata; the
    fields it could not read are listed under needs_review.  Needs the archive
    extra: pip install 'reconcile-ledger[archive]'.
    """
    from reconcile import render
    from reconcile.archiving import ArchiveError, archive_into

    path, _ = _ledger_for_add(ledger)
    overrides = {
        "title": title,
        "publisher": publisher,
        "published": published,
        "language": language,
        "url": url,
    }
    try:
        done = archive_into(file, path, overrides=overrides, document_id=id, write=not dry_run)
    except ArchiveError as exc:
        _say(f"reconcile: cannot archive {file}: {exc}")
        raise typer.Exit(2) from None
    page = done.page
    if done.existing is not None:
        _say(
            f"reconcile: {file} is already archived as document '{done.existing}' "
            f"(sha256 {page.sha256[:12]}…); nothing to do"
        )
        return
    paragraphs = page.text.count("\n\n") + 1
    _say(
        f"reconcile: read {file} as {page.kind} ({page.reader}): {paragraphs} paragraph(s), "
        f"{len(page.text):,} characters of text"
    )
    added = done.added
    entry = added.entry
    shown = {
        name: "null" if entry.get(name) is None else str(entry[name])[:72]
        for name in ("title", "publisher", "published", "language", "url")
    }
    width = max(len(value) for value in shown.values())
    for name, value in shown.items():
        if name in entry.get("needs_review", []):
            where = "needs review"
        else:
            where = "given" if overrides.get(name) is not None else "from metadata"
        _say(f"  {name:<10} {value:<{width}}  ({where})")
    if added.diff:
        sys.stdout.write(added.diff)
    if added.issues:
        sys.stderr.write(render.issues_text(added.issues))
    if any(issue.unusable for issue in added.issues):
        _say(f"reconcile: nothing archived or written to {path}")
        raise typer.Exit(2)
    if added.refused:
        _say(f"reconcile: the document entry has errors; nothing archived or written to {path}")
        raise typer.Exit(1)
    if dry_run:
        _say(f"reconcile: --dry-run: document '{done.document_id}' would be added; nothing written")
        return
    assert done.stored is not None
    kept = f" and the original as {done.stored.original_path}" if done.stored.original_path else ""
    _say(
        f"reconcile: archived the text as {done.stored.text_path}{kept} "
        f"(sha256 {page.sha256[:12]}…)"
    )
    _say(
        f"reconcile: added document '{done.document_id}' to {path} "
        f"(lines {added.first_line}-{added.last_line})"
    )
    if entry.get("needs_review"):
        _say(
            f"reconcile: check {', '.join(entry['needs_review'])} against the original, "
            "then remove them from needs_review"
        )


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="Where to start the ledger (default: here).")
    ] = Path("."),
    title: Annotated[
        str | None, typer.Option("--title", help="The ledger's title.", show_default=False)
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="What its figures count, e.g. 'North Korean troops'."),
    ] = None,
) -> None:
    """Start a ledger: data/estimates.yaml, an empty archive, pre-commit and CI that validate.

    Never overwrites: an existing ledger stops it (exit 2), other existing files
    are kept.
    """
    from reconcile.init_ledger import LEDGER, InitError, init_folder

    chosen_title = _ask(
        title, "--title", "Title of the ledger", f"Figures: {folder.resolve().name}"
    )
    chosen_subject = _ask(subject, "--subject", "Subject (what the figures count)", "not set yet")
    try:
        started = init_folder(folder, title=chosen_title, subject=chosen_subject)
    except InitError as exc:
        _say(f"reconcile: {exc}")
        raise typer.Exit(2) from None
    for name in started.created:
        sys.stdout.write(f"created {folder / name}\n")
    for name in started.kept:
        _say(f"reconcile: kept the existing {folder / name}")
    if subject is None and chosen_subject == "not set yet":
        _say(f"reconcile: set the subject: in {folder / LEDGER}")
    _say(
        f"reconcile: next: cd {folder} && reconcile archive add SAVED-PAGE.html, "
        "then reconcile extract, reconcile add estimate, reconcile validate"
    )


def _extract_context(ledger: Path | None) -> Any:
    """The ledger's sources and documents for `extract` (None when it cannot be read)."""
    from reconcile.discover import find_ledger
    from reconcile.extract_ledger import LedgerContext
    from reconcile.validation import check_file

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path))
    return LedgerContext(checked.ledger) if checked.ledger is not None else None


def _import_into(
    imported: Any, into: Path, aliases: list[str] | None, *, dry_run: bool, strict: bool, name: str
) -> None:
    """`import --into`: merge the CSV's claims into an existing ledger, in one checked write."""
    from reconcile import render
    from reconcile.adding import add_entries
    from reconcile.issues import exit_code, sort_issues
    from reconcile.merging import merge
    from reconcile.validation import check_file

    wanted: dict[str, str] = {}
    for item in aliases or []:
        label, sep, target = item.rpartition("=")
        if not sep or not label.strip() or not target.strip():
            _say(f'reconcile: --alias {item!r}: write NAME=ID, e.g. --alias "UK MoD=uk-mod"')
            raise typer.Exit(2)
        wanted[label.strip()] = target.strip()
    checked = check_file(into, display=str(into))
    if checked.ledger is None:
        sys.stderr.write(render.issues_text(checked.issues))
        _say(f"reconcile: cannot read {into} as a ledger")
        raise typer.Exit(2)
    merged = merge(imported.data or {}, checked.ledger, aliases=wanted, name=name)
    issues = sort_issues([*imported.issues, *merged.issues])
    sys.stderr.write(render.issues_text(issues))
    entries = [
        *(("source", entry) for entry in merged.sources),
        *(("document", entry) for entry in merged.documents),
        *(("estimate", entry) for entry in merged.estimates),
    ]
    for label, source in sorted(merged.matched_sources.items()):
        _say(f"reconcile: claimant '{label}' is the ledger's source '{source}'")
    if merged.matched_documents:
        _say(f"reconcile: {len(merged.matched_documents)} url(s) are documents of the ledger")
    for new, old in merged.duplicates:
        _say(f"reconcile: {new} is already in the ledger as '{old}'; left out")
    code = exit_code(issues, strict=strict)
    if not entries:
        _say(f"reconcile: nothing new to add to {into}")
        raise typer.Exit(code)
    added = add_entries(into, entries, display=str(into), write=not dry_run)
    sys.stdout.write(added.diff)
    if added.issues:
        sys.stderr.write(render.issues_text(added.issues))
    if added.refused or any(issue.unusable for issue in added.issues):
        _say(f"reconcile: the new entries have errors; nothing written to {into}")
        raise typer.Exit(2 if any(i.unusable for i in added.issues) else 1)
    verb = "would add" if dry_run else "added"
    _say(
        f"reconcile: {verb} {len(merged.sources)} source(s), {len(merged.documents)} "
        f"document(s) and {len(merged.estimates)} estimate(s) to {into}"
        f" ({imported.imported} of {imported.rows} row(s) read)"
    )
    raise typer.Exit(code)


def _settings_applied(checked: "Checked", set_aside: list[int], *, strict: bool) -> bool:
    """Count what acknowledgements and settings set aside; strict if the settings say so."""
    set_aside[0] += len(checked.acknowledged)
    set_aside[1] += len(checked.ignored)
    if checked.settings.strict and not strict:
        _say(f"reconcile: strict, as {checked.settings.path} says")
        return True
    return strict


# --- publish: report, export (issue 17) ---------------------------------------


@app.command()
def report(  # noqa: PLR0917 (typer: one parameter per option)
    ledger: LedgerOption = None,
    metric: MetricsOption = None,
    subject: SubjectOption = None,
    claimant: ClaimantsOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: AsOfOption = None,
    independent: IndependentOption = False,
    window: WindowOption = 14,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the page here (default: stdout).", show_default=False
        ),
    ] = None,
) -> None:
    """One self-contained HTML page to read, print or forward: summary, discrepancies,
    a chart per subject and metric, and every figure with its quote and archived text.

    The page makes no request to any host (styles and charts are inline; no
    script).  Needs the 'report' extra (Jinja2).
    """
    from datetime import date

    from reconcile import __version__
    from reconcile.html_report import ReportMissing, report_html
    from reconcile.issues import Severity
    from reconcile.publish import page

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
    content = page(
        checked.ledger,
        checked.texts,
        filters,
        ledger_name=checked.path,
        window=window,
        version=__version__,
        today=date.today(),
        warnings=sum(issue.severity is Severity.WARNING for issue in checked.issues),
    )
    try:
        text = report_html(content)
    except ReportMissing:
        _say(
            "reconcile: the HTML report needs Jinja2: "
            "python3 -m pip install 'reconcile-ledger[report]'"
        )
        raise typer.Exit(2) from None
    _write_text(text, output)
    if checked.partial:
        raise typer.Exit(1)  # the report ran on the usable part of a ledger with errors


class ExportFormat(StrEnum):
    DATAPACKAGE = "datapackage"
    SQLITE = "sqlite"
    DATAWRAPPER = "datawrapper"


@app.command()
def export(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="A folder (datapackage, datawrapper) or a database file (sqlite).",
            show_default=False,
        ),
    ],
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="datapackage (CSVs + datapackage.json), sqlite (for Datasette) or "
            "datawrapper (chart-ready CSVs).",
            show_default=False,
        ),
    ],
    ledger: LedgerOption = None,
    window: WindowOption = 14,
) -> None:
    """The ledger and its reports for data tools: a Frictionless Data Package, an
    SQLite database for Datasette, or CSVs ready for Datawrapper (docs/exports.md)."""
    from reconcile import __version__
    from reconcile.export import tables, write_datapackage, write_datawrapper, write_sqlite

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    try:
        if export_format is ExportFormat.DATAWRAPPER:
            written = write_datawrapper(checked.ledger, output)
        else:
            found = tables(checked.ledger, window=window)
            if export_format is ExportFormat.SQLITE:
                write_sqlite(found, output)
                written = [output]
            else:
                written = write_datapackage(
                    checked.ledger, output, found, ledger_name=checked.path, version=__version__
                )
    except OSError as exc:
        _say(f"reconcile: cannot write {output}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    _say(f"reconcile: wrote {len(written)} file(s) to {output}")
    if checked.partial:
        raise typer.Exit(1)  # exported the usable part of a ledger with errors


def _timeline_picture(checked: "Checked", result: Any, output: Path) -> None:
    """`timeline -o x.svg|x.png`: the report's charts as one picture (docs/reports.md)."""
    from datetime import date

    from reconcile import __version__, render
    from reconcile.charts import GRID_AFTER, source_line, timeline_charts

    assert checked.ledger is not None
    charts = timeline_charts(checked.ledger, result)
    source = source_line(
        checked.ledger.title,
        checked.path,
        len({o.estimate for panel in result.panels for o in panel.entries}),
        date.today(),
        __version__,
    )
    title = f"{checked.ledger.title}: estimates over time"
    if not charts:
        _say("reconcile: no estimates match; the picture says so and holds no chart")
        source = "No estimates match the filters. " + source
    if len(charts) > GRID_AFTER:
        _say(
            f"reconcile: {len(charts)} charts in one picture, drawn small; "
            "--subject or --metric draws fewer, larger"
        )
    if output.suffix.lower() == ".png":
        render.charts_png(charts, title=title, source=source, path=output)
        return
    from reconcile.html_report import ReportMissing, timeline_svg

    try:
        text = timeline_svg(charts, title=title, source=source)
    except ReportMissing as exc:
        raise render.ChartsMissing(str(exc)) from None
    output.write_text(text, encoding="utf-8")
