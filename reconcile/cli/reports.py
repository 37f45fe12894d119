"""The reports: summary, discrepancies, diff, timeline, coverage.  Each opens the
ledger, computes its frozen result, makes its tables and writes them."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import typer

from reconcile.cli.ledgers import analysed, open_ledger, outcome
from reconcile.cli.options import (
    FilterOptions,
    FormatOption,
    LedgerArgument,
    LedgerOption,
    LimitOption,
    OutputOption,
    WidthOption,
    WindowOption,
    filtered,
    side,
)
from reconcile.cli.outcome import exits, say
from reconcile.cli.output import (
    Rendered,
    choose_format,
    limited,
    rendered,
    terminal,
)
from reconcile.views.tabular import OutputFormat, Table

if TYPE_CHECKING:
    from collections.abc import Callable

    from reconcile.checks.run import Checked
    from reconcile.core.models import Ledger
    from reconcile.reports.timeline import Timeline


@exits
@filtered
def summary(  # noqa: PLR0917 (typer: one parameter per option)
    ledger_file: LedgerArgument = None,
    ledger: LedgerOption = None,
    filters: FilterOptions = FilterOptions(),  # noqa: B008 (the filter options, see filtered)
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
    limit: LimitOption = None,
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
) -> int:
    """The state of knowledge as of a date: each claimant's latest figure, the range of
    claims, median, spread, discrepancies (--history: every figure over time)."""
    from reconcile.reports.summary import summarise
    from reconcile.views.reports import summary_tables

    return _reported(
        "summary",
        (ledger, ledger_file),
        lambda built: summarise(
            built, filters.resolve(built), window, top, history=history, recent=recent
        ),
        summary_tables,
        (output_format, output, width, limit),
    )


@exits
@filtered
def discrepancies(  # noqa: PLR0917 (typer: one parameter per option)
    ledger_file: LedgerArgument = None,
    ledger: LedgerOption = None,
    filters: FilterOptions = FilterOptions(),  # noqa: B008 (the filter options, see filtered)
    window: WindowOption = 14,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
    limit: LimitOption = None,
) -> int:
    """Figures that cannot all be right, ranked, each with a one-line reason."""
    from reconcile.reports.discrepancies import report
    from reconcile.views.reports import discrepancies_table

    return _reported(
        "discrepancies",
        (ledger, ledger_file),
        lambda built: report(built, filters.resolve(built), window),
        lambda found: [discrepancies_table(list(found.discrepancies), window)],
        (output_format, output, width, limit),
    )


@exits
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
    limit: LimitOption = None,
) -> int:
    """Two claimants or two documents side by side, metric by metric, with a verdict."""
    from reconcile.reports.diff import diff as compare
    from reconcile.views.reports import diff_tables

    return _reported(
        "diff",
        (ledger, ledger_file),
        lambda built: compare(built, side(built, a), side(built, b), window),
        diff_tables,
        (output_format, output, width, limit),
    )


class _Result(Protocol):
    def to_json(self) -> Any: ...


R = TypeVar("R", bound=_Result)


def _reported(
    command: str,
    where: tuple[Path | None, Path | None],
    analysis: "Callable[[Ledger], R]",
    tables: "Callable[[R], list[Table]]",
    text: tuple[OutputFormat | None, Path | None, int | None, int | None],
) -> int:
    """A report's run: the ledger named by `where` (its option, its positional
    argument), `analysis` of it alongside the checks where it can be
    (cli/ledgers.analysed), its `tables` or JSON made into text as `text` (format,
    output, width, limit) says, and written; the command's exit code."""
    output_format, output, width, limit = text

    def analyse(built: "Ledger", name: str) -> Rendered:
        result = analysis(built)
        return rendered(
            lambda: tables(result),
            result.to_json,
            command=command,
            ledgers=[name],
            output_format=output_format,
            output=output,
            width=width,
            limit=limit,
        )

    checked, made = analysed(*where, analyse, Rendered.whole)
    made.write()
    return outcome(checked)


IMAGE_SUFFIXES = (".svg", ".png")


@exits
@filtered
def timeline(  # noqa: PLR0917 (typer: one parameter per option)
    ledger_file: LedgerArgument = None,
    ledger: LedgerOption = None,
    filters: FilterOptions = FilterOptions(),  # noqa: B008 (the filter options, see filtered)
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
    limit: LimitOption = None,
) -> int:
    """The estimates in date order per metric, with a chart of each claimant's figures."""
    from reconcile.reports.timeline import timeline as build

    image = output is not None and output.suffix.lower() in IMAGE_SUFFIXES

    def analyse(built: "Ledger", name: str) -> "tuple[Timeline, Rendered | None]":
        result = build(built, filters.resolve(built))
        return result, None if image else _timeline_text(
            result, name, output_format, output, width, limit
        )

    def made(done: "tuple[Timeline, Rendered | None]") -> "tuple[Timeline, Rendered | None]":
        return done[0], None if done[1] is None else done[1].whole()

    checked, (result, text) = analysed(ledger, ledger_file, analyse, made)
    if text is None:
        assert output is not None
        if limit is not None:
            from reconcile.core.issues import Refusal

            raise Refusal(f"reconcile: {output} is an image; --limit applies to text output only")
        _image(checked, result, output, output_format)
        return outcome(checked)
    text.write()
    return outcome(checked)


def _timeline_text(  # noqa: PLR0917 (the options of the command)
    result: "Timeline",
    name: str,
    output_format: OutputFormat | None,
    output: Path | None,
    width: int | None,
    limit: int | None,
) -> Rendered:
    """The timeline's text: its tables, after its chart in a table's format."""
    from reconcile.views.reports import timeline_tables

    fmt = choose_format(output_format, output)
    if fmt is not OutputFormat.TABLE:
        return rendered(
            lambda: timeline_tables(result),
            result.to_json,
            command="timeline",
            ledgers=[name],
            output_format=output_format,
            output=output,
            width=width,
            limit=limit,
        )
    from itertools import chain

    from reconcile.render.chart import chart_chunks
    from reconcile.render.tables import report_chunks

    chart = chart_chunks(result, width=width, terminal=terminal(output))
    tables, _, left_out = limited(
        timeline_tables(result), None, fmt, command="timeline", limit=limit
    )
    rows = report_chunks(
        tables,
        fmt,
        command="timeline",
        ledgers=[name],
        result=None,
        width=width,
        terminal=terminal(output),
    )
    return Rendered(chain(chart, ["\n"], rows), left_out, output, limit)


def _image(
    checked: "Checked", result: "Timeline", output: Path, output_format: OutputFormat | None
) -> None:
    from reconcile.cli.publish import timeline_picture
    from reconcile.core.issues import Refusal
    from reconcile.render.chart import ChartsMissing

    if output_format is not None:
        raise Refusal(f"reconcile: {output} is an image; --format applies to text output only")
    try:
        timeline_picture(checked, result, output)
    except ChartsMissing:
        raise Refusal(
            "reconcile: images need the 'charts' extra (matplotlib, Jinja2): "
            "python3 -m pip install 'reconcile-ledger[charts]'"
        ) from None
    except OSError as exc:
        raise Refusal(f"reconcile: cannot write {output}: {exc.strerror or exc}") from None
    say(f"reconcile: wrote {output}")


@exits
def coverage(  # noqa: PLR0917 (typer: one parameter per option)
    ledger_file: LedgerArgument = None,
    ledger: LedgerOption = None,
    output_format: FormatOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list covered figures and the other numbers.")
    ] = False,
    output: OutputOption = None,
    width: WidthOption = None,
    limit: LimitOption = None,
) -> int:
    """Which figures of each archived document are in the ledger: a to-do list.

    Also lists the ledger quotes that no longer occur in their document.  Exit 0
    when every casualty, deployment and capture figure is covered and every
    quote found, 1 otherwise, 2 when the ledger cannot be used.
    """
    from reconcile.core.issues import ExitCode
    from reconcile.reports.coverage import coverage as cover
    from reconcile.views.extract import coverage_tables

    # a quote that is no longer found is what coverage reports, not a reason to stop
    checked = open_ledger(ledger, ledger_file, tolerate={"quote-not-found"}, partial=False)
    assert checked.ledger is not None
    result = cover(checked.ledger, checked.texts)
    rendered(
        lambda: coverage_tables(result, show_all=show_all),
        result.to_json,
        command="coverage",
        ledgers=[checked.path],
        output_format=output_format,
        output=output,
        width=width,
        limit=limit,
    ).write()
    if result.complete:
        return ExitCode.OK
    say(f"reconcile: {result.todo} figure(s) to add, {result.missing_quotes} quote(s) not found")
    return ExitCode.PROBLEMS
