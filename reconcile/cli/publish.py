"""Publishing commands: `reconcile report` (one self-contained HTML page) and
`reconcile export` (the ledger and its reports for data tools)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconcile.cli.ledgers import open_ledger, outcome
from reconcile.cli.options import (
    FilterOptions,
    LedgerOption,
    WindowOption,
    filtered,
)
from reconcile.cli.outcome import exits, say
from reconcile.cli.output import write_text

if TYPE_CHECKING:
    from reconcile.checks.run import Checked


@exits
@filtered
def report(
    ledger: LedgerOption = None,
    filters: FilterOptions = FilterOptions(),  # noqa: B008 (the filter options, see filtered)
    window: WindowOption = 14,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the page here (default: stdout).", show_default=False
        ),
    ] = None,
) -> int:
    """One self-contained HTML page to read, print or forward: summary, discrepancies,
    a chart per subject and metric, and every figure with its quote and archived text.

    The page makes no request to any host (styles and charts are inline; no
    script).  Needs the 'report' extra (Jinja2).
    """
    from datetime import date

    from reconcile import __version__
    from reconcile.core.issues import Refusal, Severity
    from reconcile.render.html import ReportMissing, report_html
    from reconcile.views.publish import page

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    content = page(
        checked.ledger,
        checked.texts,
        filters.resolve(checked.ledger),
        ledger_name=checked.path,
        window=window,
        version=__version__,
        today=date.today(),
        warnings=sum(issue.severity is Severity.WARNING for issue in checked.issues),
    )
    try:
        text = report_html(content)
    except ReportMissing:
        raise Refusal(
            "reconcile: the HTML report needs Jinja2: "
            "python3 -m pip install 'reconcile-ledger[report]'"
        ) from None
    write_text(text, output)
    return outcome(checked)


class ExportFormat(StrEnum):
    DATAPACKAGE = "datapackage"
    SQLITE = "sqlite"
    DATAWRAPPER = "datawrapper"


@exits
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
) -> int:
    """The ledger and its reports for data tools: a Frictionless Data Package, an
    SQLite database for Datasette, or CSVs ready for Datawrapper (docs/exports.md)."""
    from reconcile import __version__
    from reconcile.core.issues import Refusal
    from reconcile.render.export import (
        tables,
        write_datapackage,
        write_datawrapper,
        write_sqlite,
    )

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
        raise Refusal(f"reconcile: cannot write {output}: {exc.strerror or exc}") from None
    say(f"reconcile: wrote {len(written)} file(s) to {output}")
    if output.is_dir():
        # never deleted (they may be the user's), but never left to pass for this export
        ours = {path.name for path in written}
        for stale in sorted(p.name for p in output.glob("*.csv") if p.name not in ours):
            say(f"reconcile: {output / stale} was not written by this export (left from before?)")
    return outcome(checked)


def timeline_picture(checked: "Checked", result: Any, output: Path) -> None:
    """`timeline -o x.svg|x.png`: the report's charts as one picture (docs/reports.md)."""
    from dataclasses import replace
    from datetime import date

    from reconcile import __version__
    from reconcile.render.chart import ChartsMissing
    from reconcile.render.image import charts_png
    from reconcile.views.geometry import GRID_AFTER, MOST_CHARTS, source_line, timeline_charts

    assert checked.ledger is not None
    every = len(result.panels)
    drawn = result.panels[:MOST_CHARTS]
    if len(drawn) < every:
        say(
            f"reconcile: {every} charts are too many for one picture: drew the "
            f"first {MOST_CHARTS} (by subject, then metric); --subject or --metric chooses "
            "the others"
        )
        result = replace(result, panels=drawn)
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
        say("reconcile: no estimates match; the picture says so and holds no chart")
        source = "No estimates match the filters. " + source
    if len(drawn) < every:
        source = f"The first {len(drawn)} of {every} charts. " + source
    if len(charts) > GRID_AFTER:
        say(
            f"reconcile: {len(charts)} charts in one picture, drawn small; "
            "--subject or --metric draws fewer, larger"
        )
    if output.suffix.lower() == ".png":
        charts_png(charts, title=title, source=source, path=output)
        return
    from reconcile.render.html import ReportMissing, timeline_svg

    try:
        text = timeline_svg(charts, title=title, source=source)
    except ReportMissing as exc:
        raise ChartsMissing(str(exc)) from None
    output.write_text(text, encoding="utf-8")
