"""Work done in a forked child, its result sent back pickled: the one way the
loader (ingest/fast.py) and the checks (checks/parallel.py) share work between
processes.

A child shares its parent's memory (copy-on-write) and needs nothing sent to it;
it runs one function, pickles its result whole, writes it to a pipe and ends
with `os._exit` (no exit handler, no buffered output of the parent's written
twice).  The parent reads the result, reaps the child, and learns whether it
failed (killed, an exception, a result cut short): the caller then does the work
itself.  Forking is used only where it is safe: on Linux and other systems with
`fork` but not macOS (whose system libraries may not survive it), and with no
other thread running.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, which has no fork either
    fcntl = None  # type: ignore[assignment]


def can_fork() -> bool:
    """Whether this process may fork to share its work."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


@dataclass(frozen=True, slots=True)
class Child:
    """A forked child: its pid and the pipe its result comes on."""

    pid: int
    results: int


def start(work: Callable[[], object]) -> Child:
    """A child running `work`; raises OSError when no process or pipe can be had
    (a process limit)."""
    results, out = os.pipe()
    _widen(out)
    try:
        pid = os.fork()
    except OSError:
        os.close(results)
        os.close(out)
        raise
    if pid:
        os.close(out)
        return Child(pid, results)
    code = 1
    try:  # the child: never returns, never runs the parent's exit handlers
        os.close(results)
        data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as stream:  # pickled first: the parent reads it at once
            stream.write(data)
        code = 0
    finally:
        os._exit(code)


PIPE_BYTES = 1 << 20
"""The pipe's buffer, where the system lets it be set (Linux, up to its
/proc/sys/fs/pipe-max-size, 1 MiB by default): a result of many megabytes (the
archive's texts, ingest/aside.py) crossed the default 64 KiB one a sixth slower."""


def _widen(pipe: int) -> None:
    """Set the pipe's buffer to PIPE_BYTES where the system allows; else keep its own."""
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def result(child: Child) -> tuple[bool, Any]:
    """(True, what the child's work returned), or (False, None) if it failed; the
    child is reaped."""
    try:
        with os.fdopen(child.results, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(child.pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return False, None
    try:
        return True, pickle.loads(data)  # our own child's result
    except Exception:  # a result cut short
        return False, None


def stop(child: Child) -> None:
    """Close the pipe, stop the child and reap it (one not yet reaped)."""
    with contextlib.suppress(OSError):
        os.close(child.results)
    with contextlib.suppress(OSError):
        os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(child.pid, 0)
