"""The options commands share, defined once: ledger, format, output, width, size cap,
and the report filters, which a command receives as one `FilterOptions` object."""

import functools
import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconcile.views.tabular import OutputFormat

if TYPE_CHECKING:
    from datetime import date

    from reconcile.core.models import Ledger
    from reconcile.reports.observations import Filters

ENV_MAX_BYTES = "RECONCILE_MAX_BYTES"
ENV_JOBS = "RECONCILE_JOBS"
MAX_AUTO_JOBS = 2
"""Processes a large ledger is checked in when $RECONCILE_JOBS is not set, at most
(one per core the run may use): each process beyond the first holds its own
copy of the pages it touches (docs/performance.md)."""
MAX_JOBS = 64

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
    OutputFormat | None,
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
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        help="Show at most this many rows of each long list (every row by default); "
        "how many were left out is said on stderr, and in JSON as a 'limit' field.",
        show_default=False,
    ),
]
WindowOption = Annotated[
    int,
    typer.Option("--window", min=0, help="Days within which two claimants' figures are compared."),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Warnings fail too.")]


def max_bytes(option: int | None) -> int:
    """The size cap per file: --max-bytes, else $RECONCILE_MAX_BYTES, else the default."""
    from reconcile.core.issues import Refusal
    from reconcile.ingest.reader import DEFAULT_MAX_BYTES

    if option is not None:
        return option
    raw = os.environ.get(ENV_MAX_BYTES)
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:  # refused, never replaced by the default the user did not ask for
            raise Refusal(
                f"reconcile: {ENV_MAX_BYTES}={raw!r} is not a whole number of bytes (1 or more)"
            )
        return value
    return DEFAULT_MAX_BYTES


def jobs() -> int:
    """The processes a large ledger is checked in (checks/parallel.py):
    $RECONCILE_JOBS, else one per core this run may use, at most MAX_AUTO_JOBS."""
    from reconcile.core.issues import Refusal

    raw = os.environ.get(ENV_JOBS, "").strip()
    if not raw:
        usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        cores = len(usable) if usable is not None else os.cpu_count() or 1
        return max(1, min(cores, MAX_AUTO_JOBS))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_JOBS:
        raise Refusal(
            f"reconcile: {ENV_JOBS}={raw!r} is not a whole number of processes from 1 to {MAX_JOBS}"
        )
    return int(raw)


# --- the report filters ---------------------------------------------------------

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

_FILTER_PARAMETERS = (
    ("metric", MetricsOption, None),
    ("subject", SubjectOption, None),
    ("claimant", ClaimantsOption, None),
    ("since", SinceOption, None),
    ("until", UntilOption, None),
    ("as_of", AsOfOption, None),
    ("independent", IndependentOption, False),
)


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The report filters as typed on the command line, before they are checked."""

    metric: list[str] | None = None
    subject: str | None = None
    claimant: list[str] | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    independent: bool = False

    def resolve(self, ledger: "Ledger") -> "Filters":
        """The filters for `ledger`, or a `Refusal` naming the option that is wrong."""
        import difflib

        from reconcile.core.issues import Refusal
        from reconcile.core.models import Metric
        from reconcile.reports.observations import Filters

        chosen: set[Metric] = set()
        for name in self.metric or []:
            try:
                chosen.add(Metric(name.lower()))
            except ValueError:
                near = difflib.get_close_matches(name.lower(), [m.value for m in Metric], n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                raise Refusal(f"reconcile: --metric {name!r} is not a metric{hint}") from None
        ids = {side(ledger, name, "claimant:").id for name in self.claimant or []}
        subjects = {ledger.subject_of(e).casefold() for e in ledger.estimates}
        if self.subject is not None and self.subject.casefold() not in subjects:
            raise Refusal(f"reconcile: --subject {self.subject!r} is not a subject of this ledger")
        return Filters(
            metrics=frozenset(chosen),
            subject=self.subject,
            claimants=frozenset(ids),
            since=day("--since", self.since, last=False),
            until=day("--until", self.until, last=True),
            as_of=day("--as-of", self.as_of, last=True),
            independent=self.independent,
        )


def filtered(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the filter options in place of its `filters: FilterOptions`
    parameter; it receives them as one `FilterOptions`."""
    signature = inspect.signature(command)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name == "filters":
            parameters.extend(
                inspect.Parameter(name, parameter.kind, default=default, annotation=annotation)
                for name, annotation, default in _FILTER_PARAMETERS
            )
        else:
            parameters.append(parameter)
    names = [name for name, _, _ in _FILTER_PARAMETERS]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        chosen = FilterOptions(**{name: kwargs.pop(name) for name in names})
        return command(*args, filters=chosen, **kwargs)

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    run.__annotations__["return"] = signature.return_annotation
    return run


def day(option: str, value: str | None, last: bool) -> "date | None":
    """A filter date: its first day (or its last, for --until and --as-of)."""
    from reconcile.core.dates import DateError, parse_span
    from reconcile.core.issues import Refusal

    if value is None:
        return None
    try:
        span = parse_span(value)
    except DateError as exc:
        raise Refusal(f"reconcile: {option} {value!r}: {exc.message}") from None
    return span.end if last else span.start


def side(ledger: "Ledger", name: str, what: str = "") -> Any:
    """A claimant or document named on the command line, or a refusal (exit 2)."""
    from reconcile.core.issues import Refusal
    from reconcile.reports.diff import UnknownSide, resolve

    try:
        return resolve(ledger, what + name)
    except UnknownSide as exc:
        near = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise Refusal(f"reconcile: {exc.message}{near}") from None


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


class ExtractFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    YAML = "yaml"
    CSV = "csv"
    MD = "md"
