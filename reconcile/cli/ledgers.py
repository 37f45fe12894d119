"""Which ledger a command runs on, and whether it may: the one rule, with its variants."""

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from reconcile.cli.outcome import say

if TYPE_CHECKING:
    from reconcile.checks.run import Checked


def open_ledger(
    ledger: Path | None, *, tolerate: Collection[str] = (), max_bytes: int | None = None
) -> "Checked":
    """The ledger a report runs on, validated.

    Reports refuse a ledger with errors (they would compute on figures that
    cannot be trusted): its problems go to stderr and the exit code is that of
    `validate`.  Problems whose check is in `tolerate` (what the command itself
    reports) do not stop it.  Warnings are counted on stderr and the report goes on.
    """
    from reconcile.checks.run import check_file
    from reconcile.core.issues import ExitCode, Refusal, Severity, exit_code
    from reconcile.ingest.discover import find_ledger
    from reconcile.ingest.reader import DEFAULT_MAX_BYTES

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path), max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    code = exit_code(issue for issue in checked.issues if issue.check not in tolerate)
    if code or checked.ledger is None:
        raise Refusal(
            f"reconcile: {path} has problems; fix them first (reconcile validate {path})",
            code or ExitCode.UNUSABLE,
            checked.issues,
        )
    warnings = sum(issue.severity is Severity.WARNING for issue in checked.issues)
    if warnings:
        say(f"reconcile: {path}: {warnings} warning(s); see reconcile validate")
    return checked


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


def document_ids(ledger: Path | None) -> dict[Path, str]:
    """Archived file -> document id, from the ledger if it can be read (else empty)."""
    from reconcile.checks.run import check_file
    from reconcile.ingest.archive import archive_folder
    from reconcile.ingest.discover import find_ledger

    path, _ = find_ledger(ledger)
    checked = check_file(path, display=str(path))
    if checked.ledger is None:
        return {}
    folder = archive_folder(checked.ledger, path)
    return {
        (folder / document.path).resolve(): document.id
        for document in checked.ledger.documents
        if document.path is not None
    }
