"""The commands, loaded when they run: `reconcile --help` imports none of them.

`COMMANDS` lists every command in the order `--help` shows them, with the
module and function (or typer group) that implements it and the first
paragraph of its help, which is all `--help` prints of it.  `LazyGroup` is the
root group: it lists the commands from this table, and builds a command
(importing its module) only when it is run, asked for its own help or
completed.  tests/test_startup.py keeps the table equal to the real commands
and `--help` equal to the one an eagerly built application prints.
"""

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import typer
import typer.core
import typer.main

COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": (
        "reconcile.cli.validate",
        "validate",
        "Check ledgers: schema, ids, dates, consistency and that every figure is in its quote.",
    ),
    "summary": (
        "reconcile.cli.reports",
        "summary",
        "The state of knowledge as of a date: each claimant's latest figure, the range of\n"
        "claims, median, spread, discrepancies (--history: every figure over time).",
    ),
    "discrepancies": (
        "reconcile.cli.reports",
        "discrepancies",
        "Figures that cannot all be right, ranked, each with a one-line reason.",
    ),
    "diff": (
        "reconcile.cli.reports",
        "diff",
        "Two claimants or two documents side by side, metric by metric, with a verdict.",
    ),
    "timeline": (
        "reconcile.cli.reports",
        "timeline",
        "The estimates in date order per metric, with a chart of each claimant's figures.",
    ),
    "schema": (
        "reconcile.cli.validate",
        "schema",
        "Print the ledger's JSON Schema (committed as schema/ledger.schema.json).",
    ),
    "changes": (
        "reconcile.cli.changes",
        "changes",
        "What changed between two versions of a ledger, figure by figure.",
    ),
    "extract": (
        "reconcile.cli.authoring",
        "extract",
        "List every figure in article texts that could be a count of people.",
    ),
    "coverage": (
        "reconcile.cli.reports",
        "coverage",
        "Which figures of each archived document are in the ledger: a to-do list.",
    ),
    "import": (
        "reconcile.cli.authoring",
        "import_",
        "Turn a spreadsheet of claims (CSV) into ledger YAML, or add it to a ledger (--into).",
    ),
    "estimate": (
        "reconcile.cli.estimate",
        "estimate",
        "A consensus estimate over time: a point per month from the first claim to the last,\n"
        "with a 95% interval, each claimant's share and influence (docs/estimate.md).",
    ),
    "init": (
        "reconcile.cli.adding",
        "init",
        "Start a ledger: data/estimates.yaml, an empty archive, pre-commit and CI that validate.",
    ),
    "report": (
        "reconcile.cli.publish",
        "report",
        "One self-contained HTML page to read, print or forward: summary, discrepancies,\n"
        "a chart per subject and metric, and every figure with its quote and archived text.",
    ),
    "export": (
        "reconcile.cli.publish",
        "export",
        "The ledger and its reports for data tools: a Frictionless Data Package, an\n"
        "SQLite database for Datasette, or CSVs ready for Datawrapper (docs/exports.md).",
    ),
    "add": (
        "reconcile.cli.adding",
        "add_app",
        "Add a source, document or estimate to the ledger: checked as validate would, "
        "shown, then written in place (nothing else in the file changes).",
    ),
    "archive": (
        "reconcile.cli.adding",
        "archive_app",
        "Archive saved articles (HTML, PDF, WARC, WACZ) in the ledger's archive.",
    ),
}


def target(name: str) -> Any:
    """The function or typer group that implements command `name` (imports its module)."""
    module, attribute, _ = COMMANDS[name]
    return getattr(importlib.import_module(module), attribute)


def _nothing() -> None:
    """A callback, so that typer builds a group even for one command."""


def build(name: str) -> Any:
    """The click command `name`, built by typer exactly as `app.command()` /
    `app.add_typer()` on the root application would build it."""
    implementation = target(name)
    holder = typer.Typer(
        add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
    )
    holder.callback()(_nothing)
    if isinstance(implementation, typer.Typer):
        holder.add_typer(implementation, name=name)
    else:
        holder.command(name=name)(implementation)
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


class Commands(MutableMapping[str, Any]):
    """The group's commands by name: every name of `COMMANDS` is there from the
    start (for typer's did-you-mean and completion), each built on first use."""

    def __init__(self, built: Mapping[str, Any]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self._built.keys())


class LazyGroup(typer.core.TyperGroup):
    """The root group: commands from `COMMANDS`, each built when first needed;
    the command list of `--help` from the table alone."""

    _listing = False

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = Commands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in COMMANDS:
            # `--help` prints a command's name and the start of its help: a
            # bare command with that help shortens it exactly as the real one
            return typer.core.TyperCommand(name=cmd_name, help=COMMANDS[cmd_name][2])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False
