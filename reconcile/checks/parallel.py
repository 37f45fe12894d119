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
would have found them.  Given something to run alongside (a report's analysis,
cli/ledgers.py `analysed`), the parent runs that first, and the checks across
entries are one more task in the pipe, the first, for a child to take.  A child
that fails leaves its chunks to the parent, and a fork the system refuses (a
process limit) leaves them to the processes there are: the result never depends
on a child.

Forking is used only where it is safe (ingest/forked.py, which forks the children
and brings their results back: on Linux and other systems with `fork` but not
macOS, with no other thread running) and cheap: from `PARALLEL_FROM` estimates up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reconcile.checks import CheckFunction, evidence, meaning, provenance, timing
from reconcile.checks.context import Context
from reconcile.core.issues import Issue
from reconcile.core.models import SECTIONS, Ledger
from reconcile.ingest import forked

SPLIT = (provenance.check, meaning.check, evidence.check, timing.check)
"""The check functions that honour `Context.estimates` and `Context.whole`: each
estimate's own checks run in whichever process takes its chunk, the checks
across entries once, in whichever process takes that task (`run`)."""

PARALLEL_FROM = 2_000
"""Estimates from which a ledger is checked in parallel: below it, forking and
gathering cost about what they save (benchmarks/run.py measures 1,000)."""

CHUNKS_PER_JOB = 8
"""Chunks per process: enough that the processes finish together, few enough
that each chunk's fixed cost (each check's set-up) stays small."""

_TOKEN = 4
"""Bytes per chunk number in the pipe the processes take chunks from."""

Done = dict[int, tuple[list[list[Issue]], list[tuple[object, str, Issue]]]]
"""Task number -> (each function's issues in it, in `functions` order: for a
chunk, each SPLIT function's over its estimates; for the checks across entries
(the task numbered after the chunks), every function's; the warnings its entries
acknowledge)."""


def wanted(context: Context, jobs: int) -> bool:
    """Whether `run_checks` should check `context` in `jobs` processes."""
    return (
        jobs > 1
        and context.cache is None  # the cache is one process's file: see checks/cached.py
        and len(context.ledger.estimates) >= max(PARALLEL_FROM, 2)
        and forked.can_fork()
    )


def run(
    context: Context,
    functions: Sequence[CheckFunction],
    jobs: int,
    alongside: Callable[[Ledger], object] | None = None,
) -> list[Issue]:
    """Every function's issues over `context`, as `run_checks` would find them in
    one process, found in `jobs` processes.  `alongside`, if given, is called
    with the ledger in the parent once the children are forked, before it takes
    any checks: what it raises is raised (after the children are stopped)."""
    split = [function for function in functions if function in SPLIT]
    if provenance.check in split:
        provenance.normalise_bodies(context)  # once, before the fork: shared by all
    estimates = context.ledger.estimates
    count = min(len(estimates), jobs * CHUNKS_PER_JOB)
    bounds = [len(estimates) * chunk // count for chunk in range(count + 1)]
    tasks = Tasks(functions, split, bounds, count)
    tokens, feed = os.pipe()
    # The checks across entries (the longest task) go first, to a child, while the
    # parent runs `alongside`; without it the parent runs them as it always has,
    # keeping what they cache (core/claims.py's duplicates) for a report after.
    order = [count, *range(count)] if alongside is not None else range(count)
    try:
        os.write(feed, b"".join(task.to_bytes(_TOKEN, "big") for task in order))
    finally:
        os.close(feed)  # before forking: a child sees the end once the tokens are gone
    children: list[forked.Child] = []
    try:
        for _ in range(jobs - 1):
            try:
                children.append(
                    forked.start(lambda: _portable(_take(context, tasks, tokens), context.ledger))
                )
            except OSError:  # no process or pipe to be had (a limit): fewer helpers
                break
        done: Done = {}
        if alongside is not None:
            alongside(context.ledger)
        else:
            done.update(_task(context, tasks, count))
        done.update(_take(context, tasks, tokens))
        while children:
            ok, portable = forked.result(children.pop(0))
            if ok:  # else the child failed: its tasks are redone below
                done.update(_restored(portable, context.ledger))
    finally:
        os.close(tokens)
        for child in children:  # the parent failed: stop its children
            forked.stop(child)
    for task in range(count + 1):  # a failed child's tasks
        if task not in done:
            done.update(_task(context, tasks, task))
    whole = done[count][0]
    issues: list[Issue] = []
    for number, function in enumerate(functions):
        issues.extend(whole[number])
        if function in SPLIT:
            at = split.index(function)
            for chunk in range(count):
                issues.extend(done[chunk][0][at])
    for task in (count, *range(count)):  # across entries, then each chunk, as always
        context.acknowledged.extend(done[task][1])
    return issues


@dataclass(frozen=True, slots=True)
class Tasks:
    """What the processes share out: `count` chunks of the estimates (chunk `n`
    runs the `split` functions over estimates `bounds[n]` to `bounds[n + 1]`),
    and task `count`, every function's checks across entries."""

    functions: Sequence[CheckFunction]
    split: Sequence[CheckFunction]
    bounds: list[int]
    count: int


def _task(context: Context, tasks: Tasks, task: int) -> Done:
    """One task's issues and acknowledgements (set aside, not in `context`)."""
    aside: list[tuple[object, str, Issue]] = []
    if task == tasks.count:
        across = replace(context, estimates=(), whole=True, acknowledged=aside)
        mine = replace(context, acknowledged=aside)
        found = [function(across if function in SPLIT else mine) for function in tasks.functions]
        return {task: (found, aside)}
    part = replace(
        context,
        estimates=context.ledger.estimates[tasks.bounds[task] : tasks.bounds[task + 1]],
        whole=False,
        acknowledged=aside,
    )
    return {task: ([function(part) for function in tasks.split], aside)}


def _take(context: Context, tasks: Tasks, tokens: int) -> Done:
    """Run tasks taken from the pipe until it is empty."""
    done: Done = {}
    while token := os.read(tokens, _TOKEN):  # a pipe read of 4 of its bytes is atomic
        done.update(_task(context, tasks, int.from_bytes(token, "big")))
    return done


def _portable(done: Done, ledger: Ledger) -> dict[int, tuple[list[list[Issue]], list[Any]]]:
    """`done` as a child sends it: each acknowledging entry named by (section, index)."""
    index = {
        id(entry): (section, at)
        for section in SECTIONS
        for at, entry in enumerate(getattr(ledger, section))
    }
    return {
        task: (found, [(index[id(entry)], check, issue) for entry, check, issue in aside])
        for task, (found, aside) in done.items()
    }


def _restored(portable: dict[int, tuple[list[list[Issue]], list[Any]]], ledger: Ledger) -> Done:
    """`_portable`'s `done`, each entry found again in this process's ledger."""
    return {
        task: (
            found,
            [(getattr(ledger, section)[at], check, issue) for (section, at), check, issue in aside],
        )
        for task, (found, aside) in portable.items()
    }
