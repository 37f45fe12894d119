"""The one place where an outcome or a refusal becomes the exit code.

Every command is wrapped by `exits`: it returns an outcome (an `ExitCode`,
or None for 0) or raises a `Refusal`; `finish` writes a refusal's issues and
message to stderr and ends the run with the code.  This is the only
`typer.Exit` of the CLI (as black's `Report.return_code` and bean-check's last
line): tests/test_architecture.py keeps it so.
"""

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from reconcile.core.issues import Refusal


def say(message: str) -> None:
    """A message for the person at the terminal: always stderr, after any data,
    escaped (core/escape.py: it may quote a ledger's strings)."""
    from reconcile.core.escape import message as escaped

    sys.stdout.flush()
    sys.stderr.write(escaped(message) + "\n")


def finish(outcome: "int | Refusal") -> NoReturn:
    """End the run: a refusal's issues and message to stderr, then its exit code."""
    from reconcile.core.issues import Refusal

    if isinstance(outcome, Refusal):
        if outcome.issues:
            from reconcile.render.issues import issues_text

            sys.stderr.write(issues_text(outcome.issues))
        if outcome.message:
            say(outcome.message)
        outcome = outcome.code
    raise typer.Exit(int(outcome))


def exits(command: Callable[..., int | None]) -> Callable[..., None]:
    """A command whose outcome, or refusal, becomes the exit code at `finish`."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        from reconcile.core.issues import Refusal

        try:
            outcome = command(*args, **kwargs)
        except Refusal as refusal:
            finish(refusal)
        finish(0 if outcome is None else outcome)

    return run
