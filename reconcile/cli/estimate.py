"""`reconcile estimate`: a consensus estimate over time (docs/estimate.md)."""

from typing import Annotated

import typer

from reconcile.cli.ledgers import open_ledger, outcome
from reconcile.cli.options import (
    FormatOption,
    IndependentOption,
    LedgerOption,
    OutputOption,
    SubjectOption,
    WidthOption,
    day,
)
from reconcile.cli.outcome import exits
from reconcile.cli.output import rendered


@exits
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
) -> int:
    """A consensus estimate over time: a point per month from the first claim to the last,
    with a 95% interval, each claimant's share and influence (docs/estimate.md)."""
    from reconcile.core.issues import Refusal
    from reconcile.core.models import Metric
    from reconcile.views.reports import estimate_tables

    checked = open_ledger(ledger)
    assert checked.ledger is not None
    try:
        chosen = Metric(metric.lower())
    except ValueError:
        raise Refusal(
            f"reconcile: --metric {metric!r} is not a metric ({', '.join(Metric)})"
        ) from None
    subjects = {checked.ledger.subject_of(e).casefold() for e in checked.ledger.estimates}
    if subject is not None and subject.casefold() not in subjects:
        raise Refusal(f"reconcile: --subject {subject!r} is not a subject of this ledger")
    days = [found for value in at or [] if (found := day("--at", value, last=False))]
    try:
        from reconcile.reports.estimate import NoClaims
        from reconcile.reports.estimate import estimate as build
    except ImportError:
        raise Refusal(
            "reconcile: estimate needs numpy and scipy: "
            "python3 -m pip install 'reconcile-ledger[estimate]'"
        ) from None
    try:
        result = build(checked.ledger, chosen, subject=subject, independent=independent, at=days)
    except NoClaims as exc:
        raise Refusal(f"reconcile: {exc}") from None
    rendered(
        lambda: estimate_tables(result),
        result.to_json,
        command="estimate",
        ledgers=[checked.path],
        output_format=output_format,
        output=output,
        width=width,
    ).write()
    return outcome(checked)
