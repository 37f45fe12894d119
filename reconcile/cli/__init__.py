"""The command line: it only wires load → compute → render → exit code.

`app` (app.py) holds the root options; the commands live in validate.py,
reports.py, changes.py, authoring.py, estimate.py, adding.py and publish.py and are
listed in commands.py, in the order `--help` lists them, each module imported
only when one of its commands runs.  Options are defined once
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

from reconcile.cli.app import app
from reconcile.cli.outcome import say

__all__ = ["GC_THRESHOLDS", "app", "main"]

GC_THRESHOLDS = (200_000, 30, 30)
"""The cyclic collector's thresholds for a run, as mypy sets them: a run builds
a model per estimate and figure, none of them garbage, and the defaults walk
them again and again (a quarter of `validate`'s time on 100,000 estimates)."""


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
