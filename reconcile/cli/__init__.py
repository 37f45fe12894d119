"""The command line: it only wires load → compute → render → exit code.

`app` (app.py) holds the root options; the commands live in validate.py,
reports.py, changes.py, authoring.py and estimate.py and are registered below, in the
order `--help` lists them.  Options are defined once
(options.py), output is written by one writer (output.py), and an outcome or a
refusal becomes the exit code in one place (outcome.py).

Heavy modules (pydantic, the YAML parser, rich) are imported inside the
commands that need them, so `reconcile --help` starts fast. For the same
reason the command modules do not use `from __future__ import annotations`:
typer reads every parameter's annotation, and string annotations cost it a
compile and an eval each (about 6 ms of `--help` for ten commands).
"""

import gc
import os
import sys

from reconcile.cli import adding, authoring, changes, estimate, publish, reports, validate
from reconcile.cli.app import app
from reconcile.cli.outcome import say

__all__ = [
    "GC_THRESHOLDS",
    "adding",
    "app",
    "authoring",
    "changes",
    "estimate",
    "main",
    "publish",
    "reports",
    "validate",
]

GC_THRESHOLDS = (200_000, 30, 30)
"""The cyclic collector's thresholds for a run, as mypy sets them: a run builds
a model per estimate and figure, none of them garbage, and the defaults walk
them again and again (a quarter of `validate`'s time on 100,000 estimates)."""


app.command()(validate.validate)
app.command()(reports.summary)
app.command()(reports.discrepancies)
app.command()(reports.diff)
app.command()(reports.timeline)
app.command()(validate.schema)
app.command()(changes.changes)
app.command()(authoring.extract)
app.command()(reports.coverage)
app.command(name="import")(authoring.import_)
app.command()(estimate.estimate)
app.add_typer(adding.add_app, name="add")
app.add_typer(adding.archive_app, name="archive")
app.command()(adding.init)
app.command()(publish.report)
app.command()(publish.export)


def main() -> None:
    """Console entry point: the CLI boundary, where a bug becomes a message, not a traceback."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        from reconcile.cli.encoding import install

        install()  # any stdout encoding: stand-ins, never UnicodeEncodeError
        app()
    except BrokenPipeError:
        # the reader went away (`reconcile ... | head`): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        say("reconcile: interrupted")
        sys.exit(130)
    except Exception as exc:  # the boundary: bugs are reported, never dumped
        say(f"reconcile: internal error, please report it: {type(exc).__name__}: {exc}")
        sys.exit(3)
