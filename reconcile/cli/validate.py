"""`reconcile validate` and `reconcile schema`: the ledger checked, the format described."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from reconcile.cli.ledgers import cache_folder, find
from reconcile.cli.options import ENV_MAX_BYTES, StrictOption, ValidateFormat, jobs, max_bytes
from reconcile.cli.outcome import exits, say


@exits
def validate(  # noqa: PLR0917 (typer: one parameter per option)
    ledgers: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Ledger files (default: --ledger, $RECONCILE_LEDGER, ./data/estimates.yaml, "
            "then the shipped ledger).",
            show_default=False,
        ),
    ] = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", "-l", help="The ledger file to validate.")
    ] = None,
    output_format: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (default: github when $GITHUB_ACTIONS is set, else text).",
            show_default=False,
        ),
    ] = None,
    strict: StrictOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Run only this check (an id from docs/ci.md); repeat for several.",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="Leave this check out; repeat for several. Problems that make a file "
            "unusable are always reported.",
            show_default=False,
        ),
    ] = None,
    size_cap: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            help=f"Size cap per file (default 256 MiB, or ${ENV_MAX_BYTES}).",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            help="Keep per-estimate results in this folder, outside the repository, and "
            "reuse them (default: $RECONCILE_CACHE_DIR, else no cache).",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Check ledgers: schema, ids, dates, consistency and that every figure is in its quote.

    Prints one line per problem, `path:line:col: severity: message [check-id]`,
    and exits 0 when clean, 1 when problems were found, 2 when a file is unusable.
    """
    from reconcile.checks import selected
    from reconcile.checks.run import validate as check
    from reconcile.core.issues import exit_code
    from reconcile.render import issues as render

    paths = list(ledgers or [])
    if ledger is not None:
        paths.append(ledger)
    names = [str(path) for path in paths]
    if not paths:
        found, name = find(None, announce=False)  # the summary line names it
        paths, names = [found], [name]
    ids = selected(select or (), ignore or ())
    folder = cache_folder(cache, paths)
    result = check(paths, max_bytes=max_bytes(size_cap), ids=ids, cache=folder, jobs=jobs())
    issues, counts = list(result.issues), result.counts()
    if result.strict_by is not None and not strict:
        say(f"reconcile: strict, as {result.strict_by} says")
        strict = True

    chosen = output_format
    if chosen is None:
        chosen = (
            ValidateFormat.GITHUB
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else ValidateFormat.TEXT
        )
    if chosen is ValidateFormat.JSON:
        sys.stdout.write(
            render.issues_json([str(path) for path in paths], issues, counts, result.set_aside)
        )
    elif chosen is ValidateFormat.GITHUB:
        sys.stdout.write(render.issues_github(issues))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as handle:
                    handle.write(render.issues_markdown_summary(issues, counts))
            except OSError as exc:
                say(f"reconcile: cannot write the step summary to {summary_file}: {exc.strerror}")
    else:
        sys.stdout.write(render.issues_text(issues))
    say(render.summary_line(counts, names))  # with the acknowledged and ignored warnings
    if folder is not None:
        hits, misses = result.cached
        say(f"reconcile: cache {folder}: {hits} estimate(s) reused, {misses} checked afresh")
    return exit_code(issues, strict=strict)


@exits
def schema(
    included: Annotated[
        bool,
        typer.Option("--included", help="The schema of a file pulled in by include:."),
    ] = False,
) -> None:
    """Print the ledger's JSON Schema (committed as schema/ledger.schema.json).

    Editors use it to complete and check fields: the shipped ledger's first line
    is `# yaml-language-server: $schema=../schema/ledger.schema.json`.
    """
    import json

    from reconcile.core.models import json_schema

    sys.stdout.write(json.dumps(json_schema(included=included), indent=2) + "\n")
