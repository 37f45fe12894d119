"""Checks on more than one core: each process checks a share of the estimates.

Most of validate's time goes to the checks each estimate needs on its own (its
quotes against its documents, its figures against its quotes: `SPLIT`).  On a
large ledger `run_checks` hands them here when more than one job is allowed
(`RECONCILE_JOBS`, docs/ci.md): the process forks once the ledger is built and
its archive read, so every process reads them without copying (copy-on-write);
the estimates are cut into chunks, which the processes take one at a time from a
pipe until none is left (a slow chunk holds up no one); each child sends back
the issues of its chunks, pickled, and the parent, which meanwhile runs the
checks across entries and its own chunks, puts them in the order one process
would have found them.  A child that fails leaves its chunks to the parent, and
a fork the system refuses (a process limit) leaves them to the processes there
are: the result never depends on a child.

Forking is used only where it is safe and cheap: on Linux and other systems with
`fork` but not macOS (whose system libraries may not survive it), with no other
thread running, and from `PARALLEL_FROM` estimates up.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import replace

from reconcile.checks import CheckFunction, evidence, meaning, provenance, timing
from reconcile.checks.context import Context
from reconcile.core.issues import Issue
from reconcile.core.models import Estimate

SPLIT = (provenance.check, meaning.check, evidence.check, timing.check)
"""The check functions that honour `Context.estimates` and `Context.whole`: each
estimate's own checks run in whichever process takes its chunk, the checks
across entries once, in the parent."""

PARALLEL_FROM = 2_000
"""Estimates from which a ledger is checked in parallel: below it, forking and
gathering cost about what they save (benchmarks/run.py measures 1,000)."""

CHUNKS_PER_JOB = 8
"""Chunks per process: enough that the processes finish together, few enough
that each chunk's fixed cost (each check's set-up) stays small."""

_TOKEN = 4
"""Bytes per chunk number in the pipe the processes take chunks from."""

Done = dict[int, tuple[list[list[Issue]], list[tuple[object, str, Issue]]]]
"""Chunk number -> (each SPLIT function's issues over it, in `functions` order;
the warnings its estimates acknowledge)."""


def can_fork() -> bool:
    """Whether this process may fork to check in parallel."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def wanted(context: Context, jobs: int) -> bool:
    """Whether `run_checks` should check `context` in `jobs` processes."""
    return (
        jobs > 1
        and context.cache is None  # the cache is one process's file: see checks/cached.py
        and len(context.ledger.estimates) >= max(PARALLEL_FROM, 2)
        and can_fork()
    )


def run(context: Context, functions: Sequence[CheckFunction], jobs: int) -> list[Issue]:
    """Every function's issues over `context`, as `run_checks` would find them in
    one process, found in `jobs` processes."""
    split = [function for function in functions if function in SPLIT]
    if provenance.check in split:
        provenance.normalise_bodies(context)  # once, before the fork: shared by all
    estimates = context.ledger.estimates
    count = min(len(estimates), jobs * CHUNKS_PER_JOB)
    bounds = [len(estimates) * chunk // count for chunk in range(count + 1)]
    tokens, feed = os.pipe()
    try:
        os.write(feed, b"".join(chunk.to_bytes(_TOKEN, "big") for chunk in range(count)))
    finally:
        os.close(feed)  # before forking: a child sees the end once the tokens are gone
    children: list[tuple[int, int]] = []
    try:
        for _ in range(jobs - 1):
            try:
                children.append(_fork(context, split, tokens, bounds))
            except OSError:  # no process or pipe to be had (a limit): fewer helpers
                break
        whole = [
            function(replace(context, estimates=(), whole=True))
            if function in SPLIT
            else function(context)
            for function in functions
        ]
        done = _take(context, split, tokens, bounds)
        while children:
            done.update(_gathered(*children.pop(0), estimates))
    finally:
        os.close(tokens)
        for pid, results in children:  # the parent failed: stop its children
            _stop(pid, results)
    for chunk in range(count):  # a failed child's chunks
        if chunk not in done:
            done.update(_chunk(context, split, bounds, chunk))
    issues: list[Issue] = []
    for number, function in enumerate(functions):
        issues.extend(whole[number])
        if function in SPLIT:
            at = split.index(function)
            for chunk in range(count):
                issues.extend(done[chunk][0][at])
    for chunk in range(count):
        context.acknowledged.extend(done[chunk][1])
    return issues


def _chunk(context: Context, split: Sequence[CheckFunction], bounds: list[int], chunk: int) -> Done:
    aside: list[tuple[object, str, Issue]] = []
    part = replace(
        context,
        estimates=context.ledger.estimates[bounds[chunk] : bounds[chunk + 1]],
        whole=False,
        acknowledged=aside,
    )
    return {chunk: ([function(part) for function in split], aside)}


def _take(context: Context, split: Sequence[CheckFunction], tokens: int, bounds: list[int]) -> Done:
    """Check chunks taken from the pipe until it is empty."""
    done: Done = {}
    while token := os.read(tokens, _TOKEN):  # a pipe read of 4 of its bytes is atomic
        done.update(_chunk(context, split, bounds, int.from_bytes(token, "big")))
    return done


def _fork(
    context: Context, split: Sequence[CheckFunction], tokens: int, bounds: list[int]
) -> tuple[int, int]:
    """A child taking chunks from `tokens`: its pid and the pipe its results come on."""
    results, out = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(results)
        os.close(out)
        raise
    if pid:
        os.close(out)
        return pid, results
    code = 1
    try:  # the child: never returns, never runs the parent's exit handlers
        os.close(results)
        done = _take(context, split, tokens, bounds)
        index = {id(estimate): at for at, estimate in enumerate(context.ledger.estimates)}
        portable = {
            chunk: (found, [(index[id(entry)], check, issue) for entry, check, issue in aside])
            for chunk, (found, aside) in done.items()
        }
        with os.fdopen(out, "wb") as stream:
            pickle.dump(portable, stream, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _gathered(pid: int, results: int, estimates: Sequence[Estimate]) -> Done:
    """A child's chunks, or none if it failed (the parent checks them instead)."""
    try:
        with os.fdopen(results, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return {}
    try:
        portable = pickle.loads(data)  # our own child's results
    except Exception:  # a child cut short: its chunks are redone
        return {}
    return {
        chunk: (found, [(estimates[at], check, issue) for at, check, issue in aside])
        for chunk, (found, aside) in portable.items()
    }


def _stop(pid: int, results: int) -> None:
    with contextlib.suppress(OSError):
        os.close(results)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
