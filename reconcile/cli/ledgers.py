"""Which ledger a command runs on, and whether it may: the one rule, with its variants."""

import sys
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from reconcile.cli.outcome import say

if TYPE_CHECKING:
    from reconcile.checks.run import Checked
    from reconcile.core.models import Ledger

T = TypeVar("T")


def find(explicit: Path | None, *, announce: bool = True) -> tuple[Path, str]:
    """The ledger to use and how messages name it (find_ledger's order).

    One not named on the command line (found through $RECONCILE_LEDGER,
    ./data/estimates.yaml or the shipped demo) is named on stderr when
    `announce`: a report never shows figures without saying whose.

    Under CI the shipped demo ledger is never a fallback: a workflow that names
    no ledger, or names one that is not there, would go green on the demo.
    """
    from reconcile.core.issues import Refusal
    from reconcile.ingest.discover import (
        ENV_LEDGER,
        LOCAL,
        SHIPPED,
        display,
        find_ledger,
        under_ci,
    )

    path, origin = find_ledger(explicit)
    near = LOCAL.with_suffix(".yml")
    if origin == SHIPPED and near.is_file():
        say(f"reconcile: {near} is not read (the default is {LOCAL}); name it to use it")
    if origin == SHIPPED and under_ci():
        raise Refusal(
            f"reconcile: no ledger given and ./{LOCAL.as_posix()} does not exist; under CI "
            f"($CI or $GITHUB_ACTIONS set) the shipped demo ledger is not used. Name the "
            f"ledger: `reconcile validate path/to/ledger.yaml`, --ledger/-l, or ${ENV_LEDGER}"
        )
    name = display(path, origin)
    if announce and explicit is None:
        say(
            f"reconcile: ledger {name}" + (f" (from ${ENV_LEDGER})" if origin == ENV_LEDGER else "")
        )
    return path, name


def one_ledger(positional: Path | None, option: Path | None) -> Path | None:
    """The ledger named positionally or with --ledger; both, if they differ, is an error."""
    from reconcile.core.issues import Refusal

    if positional is not None and option is not None and positional != option:
        raise Refusal(
            f"reconcile: two ledgers given ({positional} and --ledger {option}); give one"
        )
    return positional if positional is not None else option


def open_ledger(
    ledger: Path | None,
    positional: Path | None = None,
    *,
    tolerate: Collection[str] = (),
    partial: bool = True,
    alongside: "Callable[[Ledger, str], object] | None" = None,
) -> "Checked":
    """The ledger a report runs on, validated.

    A ledger that cannot be read is refused (exit 2).  With errors, a report runs
    on the estimates that have none (`partial`): the problems go to stderr, the
    estimates left out are named, and the command's exit code is 1 after the
    report (`checked.partial`); without `partial` it is refused with validate's
    exit code.  Problems whose check is in `tolerate` (what the command itself
    reports) do not count.  Warnings are counted on stderr and the report goes on.
    `alongside`: check_file's, also given the ledger's name (`analysed` uses it).
    """
    from reconcile.checks.run import check_file
    from reconcile.checks.usable import usable_part
    from reconcile.cli.options import jobs, max_bytes
    from reconcile.core.issues import ExitCode, Refusal, Severity, exit_code
    from reconcile.render.issues import issues_text

    path, _ = find(one_ledger(positional, ledger))
    cache = cache_folder(None, [path])
    checked = check_file(
        path,
        display=str(path),
        max_bytes=max_bytes(None),
        cache=cache,
        jobs=jobs(),
        alongside=None if alongside is None else _named(alongside, str(path)),
    )
    code = exit_code(issue for issue in checked.issues if issue.check not in tolerate)
    if code == ExitCode.UNUSABLE or checked.ledger is None or (code and not partial):
        raise Refusal(
            f"reconcile: {path} has problems; fix them first (reconcile validate {path})",
            code or ExitCode.UNUSABLE,
            checked.issues,
        )
    if code:
        checked = usable_part(checked)
        sys.stderr.write(issues_text(checked.issues))
        errors = sum(issue.severity is Severity.ERROR for issue in checked.issues)
        left = checked.left_out
        named = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
        say(
            f"reconcile: {path} has {errors} error(s); the report leaves out "
            f"{len(left)} estimate(s) with errors"
            + (f" ({named})" if left else "")
            + f"; fix them (reconcile validate {path})"
        )
        return checked
    warnings = sum(issue.severity is Severity.WARNING for issue in checked.issues)
    if warnings:
        say(f"reconcile: {path}: {warnings} warning(s); see reconcile validate")
    return checked


def _named(call: "Callable[[Ledger, str], object]", name: str) -> "Callable[[Ledger], object]":
    return lambda built: call(built, name)


def analysed(
    ledger: Path | None,
    positional: Path | None,
    analyse: "Callable[[Ledger, str], T]",
    made: "Callable[[T], T] | None" = None,
) -> "tuple[Checked, T]":
    """The ledger a report runs on (`open_ledger`) and `analyse` of it (and of its
    name, as the report shows it): a report's own work up to its output, which
    must write nothing.

    When the ledger is checked in several processes (checks/parallel.py),
    `analyse` runs in this one while the others check, on the chance that the
    ledger has no errors: then its result is used (what it raised is raised, after
    open_ledger's messages, as if it had run after the checks).  With errors the
    report runs on the usable part of the ledger, so that result is dropped and
    `analyse` runs again on that part: on such a ledger the analysis costs twice.
    `made`, if given, finishes the result alongside (e.g. `Rendered.whole`: the
    text made while the checks run, not while it is written).
    """
    alongside = analyse
    if made is not None:
        finish = made
        alongside = lambda built, name: finish(analyse(built, name))  # noqa: E731
    checked = open_ledger(ledger, positional, alongside=alongside)
    if checked.alongside is not None:
        if not checked.partial:
            return checked, cast("T", checked.alongside.value())
        checked = replace(checked, alongside=None)  # dropped before the analysis again
    assert checked.ledger is not None
    return checked, analyse(checked.ledger, checked.path)


def outcome(checked: "Checked") -> int:
    """A report's exit code: 1 when it ran on the usable part of a ledger with errors."""
    return 1 if checked.partial else 0


def readable_ledger(checked: "Checked") -> None:
    """For `changes`: refuse a side that cannot be read; warn when it has errors
    (entries that fail the schema are left out of the comparison)."""
    from reconcile.core.issues import ExitCode, Refusal, Severity, exit_code

    if checked.ledger is None or exit_code(checked.issues) == ExitCode.UNUSABLE:
        raise Refusal(
            f"reconcile: cannot read {checked.path} as a ledger",
            ExitCode.UNUSABLE,
            checked.issues,
        )
    errors = sum(issue.severity is Severity.ERROR for issue in checked.issues)
    if errors:
        say(
            f"reconcile: {checked.path}: {errors} error(s); entries that fail the schema "
            f"are left out (reconcile validate {checked.path})"
        )


def extract_ledger(ledger: Path | None) -> tuple[Any, dict[Path, str]]:
    """The ledger `extract` matches against, read once (the models; no checks run):
    its sources and documents (an `extract_ledger.LedgerContext`, None when it
    cannot be read), and each archived file's document id (empty when it cannot
    be read, and for the shipped demo ledger under CI: not the demo's ids for a CI
    run's articles)."""
    from reconcile.authoring.extract_ledger import LedgerContext
    from reconcile.checks.run import check_file
    from reconcile.cli.options import max_bytes
    from reconcile.ingest.archive import archive_folder
    from reconcile.ingest.discover import SHIPPED, find_ledger, under_ci

    path, origin = find_ledger(ledger)
    checked = check_file(path, display=str(path), max_bytes=max_bytes(None), ids=frozenset())
    if checked.ledger is None:
        return None, {}
    context = LedgerContext(checked.ledger)
    if origin == SHIPPED and under_ci():
        return context, {}
    folder = archive_folder(checked.ledger, path)
    return context, {
        (folder / document.path).resolve(): document.id
        for document in checked.ledger.documents
        if document.path is not None
    }


def cache_folder(option: Path | None, ledgers: Collection[Path]) -> Path | None:
    """The cache folder: --cache, else $RECONCILE_CACHE_DIR, else none (no cache).
    Never a setting of the checkout; one inside a ledger's repository is refused
    (ingest/cache.py, docs/ci.md)."""
    import os

    from reconcile.checks.run import cache_refused
    from reconcile.core.issues import Refusal
    from reconcile.ingest.cache import ENV_CACHE

    folder = option
    if folder is None:
        raw = os.environ.get(ENV_CACHE)
        folder = Path(raw).expanduser() if raw else None
    if folder is None:
        return None
    problem = cache_refused(folder, list(ledgers))
    if problem is not None:
        named = "--cache" if option is not None else f"${ENV_CACHE}"
        raise Refusal(f"reconcile: {named}: {problem}")
    return folder
