"""The typer application and its root options; its commands (commands.py) load when they run."""

import sys
from typing import Annotated

import typer

from reconcile.cli.commands import LazyGroup
from reconcile.cli.outcome import finish

app = typer.Typer(
    name="reconcile",
    cls=LazyGroup,
    help="Keep disagreeing casualty figures in one traceable ledger, and reconcile them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from reconcile import __version__

        sys.stdout.write(f"reconcile {__version__}\n")
        finish(0)


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
