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

import contextlib
import gc
import os
import sys
from typing import NoReturn

from reconcile.cli.app import app
from reconcile.cli.outcome import say

__all__ = ["GC_THRESHOLDS", "app", "main", "run"]

GC_THRESHOLDS = (200_000, 30, 30)
"""The cyclic collector's thresholds for a run, as mypy sets them: a run builds
a model per estimate and figure, none of them garbage, and the defaults walk
them again and again (a quarter of `validate`'s time on 100,000 estimates)."""


def run() -> int:
    """Run the command line once and return its exit code: the CLI boundary, where a
    bug becomes a message, not a traceback.  The process's own state (the cyclic
    collector's thresholds, stdout's encoding) is set for the run."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        from reconcile.cli.encoding import install

        install()  # any stdout encoding: stand-ins, never UnicodeEncodeError
        app()
    except SystemExit as done:  # typer ends every run with one
        return _code(done.code)
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        say("reconcile: interrupted")
        return 130
    except Exception as exc:  # the boundary: bugs are reported, never dumped
        say(f"reconcile: internal error, please report it: {type(exc).__name__}: {exc}")
        return 3
    return 0


def main() -> NoReturn:
    """Console entry point: run, flush what was written, and end the process at once.

    Like mypy's `hard_exit`, the process ends with `os._exit` once its output is
    flushed, so the interpreter does not free, one by one, the hundreds of
    thousands of objects a ledger was built from (a seventh of `validate`'s time
    on 10,000 estimates; docs/performance.md).  Every file a command writes is
    closed by then (with-blocks), the cache is saved before its command returns,
    and nothing registers an `atexit` handler.

    Pydantic plugins (third-party entry points that observe validation) are
    switched off for the process, as typer does while it converts options:
    pydantic's documented `PYDANTIC_DISABLE_PLUGINS`, which spares a scan of
    every installed distribution's entry points (~5 ms, more in a big
    environment) and keeps another package's plugin out of our results.  A
    value the user set, even empty (plugins on), is kept.

    yaml-rs is built with mimalloc, which by default keeps the memory it frees
    until it next allocates; yaml-rs frees all of its parse once it has handed
    over the data and is not called again, so that memory stayed with the
    process to its end: about 110 MB of a 100,000-estimate ledger, in every
    process of a parallel validate.  mimalloc's documented MIMALLOC_PURGE_DELAY=0
    returns it at once.  Here too a value the user set is kept.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_gone()
    except OSError as exc:  # a full disk, a closed descriptor: said, not swallowed
        say(f"reconcile: cannot write the output: {exc}")
        code = max(code, 2)
    with contextlib.suppress(OSError):  # nowhere left to say it
        sys.stderr.flush()
    os._exit(code)


def _code(code: object) -> int:
    """The exit status `sys.exit(code)` gives: None is 0, an int is itself, anything
    else is printed to stderr and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    say(str(code))
    return 1


def _reader_gone() -> int:
    """The reader went away (`reconcile ... | head`): nothing more to say, and
    nothing more can be written to stdout (its buffer is dropped)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0
