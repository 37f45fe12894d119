"""`reconcile changes`: what changed between two versions of a ledger."""

from pathlib import Path
from typing import Annotated

import typer

from reconcile.cli.ledgers import find, one_ledger, readable_ledger
from reconcile.cli.options import FormatOption, OutputOption, WidthOption, jobs, max_bytes
from reconcile.cli.outcome import exits
from reconcile.cli.output import rendered


@exits
def changes(
    old: Annotated[
        str,
        typer.Argument(
            help="The old ledger: a file, REV:path, or a git revision (NEW's file at it).",
            show_default=False,
        ),
    ],
    new: Annotated[
        Path | None,
        typer.Argument(
            help="The new ledger file (default: $RECONCILE_LEDGER, ./data/estimates.yaml, "
            "then the shipped ledger).",
            show_default=False,
        ),
    ] = None,
    *,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", "-l", help="The new ledger file, as NEW.", show_default=False),
    ] = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
    fail_on_change: Annotated[
        bool, typer.Option("--fail-on-change", help="Exit 1 when anything changed.")
    ] = False,
) -> int:
    """What changed between two versions of a ledger, figure by figure.

    Entries are matched by id: added, removed, or changed field by field as
    written ("nis killed: at least 300 → 600").  Exits 0 (1 with
    --fail-on-change when something changed), 2 when a side cannot be read.
    """
    from reconcile.checks.run import check_bytes, check_file
    from reconcile.core.issues import ExitCode, Refusal
    from reconcile.ingest.revisions import is_revision, read_revision, spec_problem
    from reconcile.reports.changes import compare
    from reconcile.views.changes import changes_tables

    new_path, _ = find(one_ledger(new, ledger))
    cap, workers = max_bytes(None), jobs()
    after = check_file(new_path, display=str(new_path), max_bytes=cap, jobs=workers)
    readable_ledger(after)
    if spec_problem(old) is not None and not old.startswith("-"):
        raise Refusal(f"reconcile: cannot read the old ledger: {spec_problem(old)}")
    try:
        old_is_file = Path(old).is_file()
    except (OSError, ValueError):
        old_is_file = False
    known = is_revision(old) if old_is_file else False
    if isinstance(known, str):
        raise Refusal(
            f"reconcile: cannot tell whether {old!r} is a file or a git revision "
            f"({known}); write ./{old} for the file"
        )
    if known:
        # a pull request could add a file named like the base revision (a copy of
        # its own ledger) and make the report say "no changes": never guess
        raise Refusal(
            f"reconcile: {old!r} is both a file and a git revision; write ./{old} for "
            f"the file, or {old.split(':', 1)[0]}:PATH for the ledger at that revision"
            if ":" not in old
            else f"reconcile: {old!r} is both a file and a git revision; write ./{old} for the file"
        )
    if old_is_file:
        before = check_file(Path(old), display=old, max_bytes=cap, jobs=workers)
    else:
        revision = read_revision(old, new_path, max_bytes=cap)
        if revision.raw is None:
            raise Refusal(f"reconcile: cannot read the old ledger {old[:80]!r}: {revision.problem}")
        before = check_bytes(revision.raw, revision.name, max_bytes=cap)
        if before.ledger is not None and before.ledger.include:
            # its other files are not at hand as they were: comparing the root
            # alone would report everything they hold as added
            rev, path = revision.name.split(":", 1)
            raise Refusal(
                f"reconcile: {revision.name} includes other files "
                f"({', '.join(before.ledger.include)}), and changes cannot read them at a "
                "git revision; check the revision out and compare the files: "
                f"git worktree add OLD {rev} && reconcile changes OLD/{path} {new_path}"
            )
    readable_ledger(before)
    assert before.ledger is not None and after.ledger is not None
    found = compare(before.ledger, after.ledger, old_name=before.path, new_name=after.path)
    rendered(
        lambda: changes_tables(found),
        found.to_json,
        command="changes",
        ledgers=[after.path],
        output_format=output_format,
        output=output,
        width=width,
    ).write()
    return ExitCode.PROBLEMS if fail_on_change and found.changes else ExitCode.OK
