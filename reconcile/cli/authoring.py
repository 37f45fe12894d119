"""Authoring commands: `reconcile extract` (figures in article texts) and
`reconcile import` (a spreadsheet of claims as ledger YAML)."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reconcile.cli.ledgers import extract_ledger
from reconcile.cli.options import (
    DecimalCommaOption,
    ExtractFormat,
    LedgerOption,
    OutputOption,
    StrictOption,
    WidthOption,
    max_bytes,
)
from reconcile.cli.outcome import exits, finish, say
from reconcile.cli.output import choose_format, rendered, write_text
from reconcile.views.tabular import OutputFormat


@exits
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article texts (UTF-8).")],
    *,
    output_format: Annotated[
        ExtractFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, yaml (ready-to-paste estimates), csv or md "
            "(default: from -o's extension, else table).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list the numbers that are not figures.")
    ] = False,
    ledger: LedgerOption = None,
    output: OutputOption = None,
    width: WidthOption = None,
    use_decimal_comma: DecimalCommaOption = False,
) -> None:
    """List every figure in article texts that could be a count of people.

    For each: the sentence to quote, the figure and its interval, the metric it
    most likely is (and the word that decided it), the likely claimant, date
    hints and a confidence.  `--format yaml` prints ready-to-paste ledger
    estimates.  Exit 0, or 2 when a file cannot be read.
    """
    from reconcile.authoring.columns import slug
    from reconcile.authoring.drafting import estimate_entries
    from reconcile.authoring.extract import ambiguous_numbers
    from reconcile.authoring.extract import extract as find
    from reconcile.authoring.extract_ledger import claimant_of
    from reconcile.core.issues import Issue, Refusal
    from reconcile.core.numbers import decimal_comma
    from reconcile.ingest.reader import MAX_DOCUMENT_BYTES, read_text
    from reconcile.ingest.writer import dump_yaml
    from reconcile.render.issues import issues_text
    from reconcile.views.extract import extract_tables

    cap = min(max_bytes(None), MAX_DOCUMENT_BYTES)
    texts: list[tuple[Path, str]] = []
    for path in files:
        text = read_text(path, str(path), cap)
        if isinstance(text, Issue):
            raise Refusal(issues=[text])
        texts.append((path, text))
    with decimal_comma(use_decimal_comma):
        found = [(str(path), find(text)) for path, text in texts]
        # never a silent gap in what extract lists: a number it does not read is named
        unread = [
            issue
            for path, text in texts
            for issue in ambiguous_numbers(str(path), text, use_decimal_comma)
        ]
    sys.stdout.flush()
    sys.stderr.write(issues_text(unread))
    chosen = output_format
    if chosen is None and output is not None and output.suffix.lower() in (".yaml", ".yml"):
        chosen = ExtractFormat.YAML
    context, ids = extract_ledger(ledger)  # every view resolves claimants the same way
    if context is None and ledger is not None:
        say(f"reconcile: {ledger} cannot be read as a ledger; claimants are not matched to it")
    if chosen is ExtractFormat.YAML:
        named = [
            (name, ids.get(path.resolve()) or slug(path.stem) or "document", figures)
            for (path, _), (name, figures) in zip(texts, found, strict=True)
        ]
        with decimal_comma(use_decimal_comma):
            entries = estimate_entries(named, context)
        write_text(dump_yaml({"estimates": entries}), output)
        return
    fmt = choose_format(OutputFormat(chosen.value) if chosen else None, output)
    rendered(
        lambda: extract_tables(
            found, show_all=show_all or fmt is OutputFormat.CSV, context=context
        ),
        lambda: {
            "files": [
                {
                    "file": name,
                    "figures": [f.to_json() | claimant_of(f, context).to_json() for f in figures],
                }
                for name, figures in found
            ]
        },
        command="extract",
        ledgers=[],
        output_format=fmt,
        output=output,
        width=width,
    ).write()


@exits
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV file of claims, one row per figure.")],
    *,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD: read this column as this field (repeatable).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The ledger's title.", show_default=False)
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject",
            help="The ledger's subject (default: the commonest subject column value).",
            show_default=False,
        ),
    ] = None,
    month_first: Annotated[
        bool, typer.Option("--month-first", help="Read 01/13/2025 as month first.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the ledger here.", show_default=False),
    ] = None,
    strict: StrictOption = False,
    use_decimal_comma: DecimalCommaOption = False,
    merge: Annotated[
        list[str] | None,
        typer.Option(
            "--merge",
            help="ALIAS=NAME: claimant ALIAS is another name of NAME; their rows make one "
            "source with ALIAS among its aliases (repeatable).",
            show_default=False,
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Add the claims to this ledger (matched to its sources and documents) "
            "instead of printing a new one.",
            show_default=False,
        ),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias",
            help="NAME=ID: the CSV's claimant NAME is the ledger's source ID (repeatable).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="With --into: show the change; write nothing.")
    ] = False,
) -> int:
    """Turn a spreadsheet of claims (CSV) into ledger YAML, or add it to a ledger (--into).

    Problems go to stderr, one per line with the row and column
    (`claims.csv:ROW:COL: severity: message [check-id]`); rows that cannot be
    read are reported, never dropped silently.  Exit 0, 1 when a row could not
    be read (or, with --strict, on warnings), 2 when the file cannot be read.
    """
    from reconcile.authoring.importer import import_csv
    from reconcile.core.issues import Issue, Refusal, exit_code, sort_issues
    from reconcile.ingest.reader import read_text
    from reconcile.ingest.writer import dump_yaml
    from reconcile.render.issues import issues_text

    name = str(file)
    columns: dict[str, str] = {}
    for item in mapping or []:
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise Refusal(
                f"reconcile: --map {item!r}: write COLUMN=FIELD, e.g. --map 'Who=claimant'"
            )
        columns[column.strip()] = target.strip().lower()
    merged: dict[str, str] = {}
    for item in merge or []:
        other, sep, target = item.partition("=")
        if not sep or not other.strip() or not target.strip():
            raise Refusal(
                f"reconcile: --merge {item!r}: write ALIAS=NAME, "
                "e.g. --merge 'UK Ministry of Defence=UK MoD'"
            )
        merged[other.strip()] = target.strip()
    text = read_text(file, name, max_bytes(None))
    if isinstance(text, Issue):
        raise Refusal(issues=[text])
    from reconcile.core.numbers import decimal_comma

    with decimal_comma(use_decimal_comma):
        imported = import_csv(
            text,
            name,
            mapping=columns,
            title=title,
            subject=subject,
            month_first=month_first,
            merge=merged,
        )
    if into is not None:
        _import_into(imported, into, alias, dry_run=dry_run, strict=strict, name=name)
    issues = sort_issues(imported.issues)
    sys.stderr.write(issues_text(issues))
    if imported.data:
        write_text(dump_yaml(imported.data), output)
    failed = imported.rows - imported.imported
    say(
        f"reconcile: imported {imported.imported} of {imported.rows} row(s)"
        + (f"; {failed} could not be read" if failed else "")
    )
    return exit_code(issues, strict=strict)


def _import_into(
    imported: Any, into: Path, aliases: list[str] | None, *, dry_run: bool, strict: bool, name: str
) -> None:
    """`import --into`: merge the CSV's claims into an existing ledger, in one checked write."""
    from reconcile.authoring.adding import add_entries
    from reconcile.authoring.merging import merge
    from reconcile.checks.run import check_file
    from reconcile.core.issues import exit_code, sort_issues
    from reconcile.render import issues as render

    wanted: dict[str, str] = {}
    for item in aliases or []:
        label, sep, target = item.rpartition("=")
        if not sep or not label.strip() or not target.strip():
            say(f'reconcile: --alias {item!r}: write NAME=ID, e.g. --alias "UK MoD=uk-mod"')
            finish(2)
        wanted[label.strip()] = target.strip()
    checked = check_file(into, display=str(into))
    if checked.ledger is None:
        sys.stderr.write(render.issues_text(checked.issues))
        say(f"reconcile: cannot read {into} as a ledger")
        finish(2)
    merged = merge(imported.data or {}, checked.ledger, aliases=wanted, name=name)
    issues = sort_issues([*imported.issues, *merged.issues])
    sys.stderr.write(render.issues_text(issues))
    entries = [
        *(("source", entry) for entry in merged.sources),
        *(("document", entry) for entry in merged.documents),
        *(("estimate", entry) for entry in merged.estimates),
    ]
    for label, source in sorted(merged.matched_sources.items()):
        say(f"reconcile: claimant '{label}' is the ledger's source '{source}'")
    if merged.matched_documents:
        say(f"reconcile: {len(merged.matched_documents)} url(s) are documents of the ledger")
    for new, old in merged.duplicates:
        say(f"reconcile: {new} is already in the ledger as '{old}'; left out")
    code = exit_code(issues, strict=strict)
    if not entries:
        say(f"reconcile: nothing new to add to {into}")
        finish(code)
    added = add_entries(into, entries, display=str(into), write=not dry_run)
    sys.stdout.write(added.diff)
    if added.issues:
        sys.stderr.write(render.issues_text(added.issues))
    if added.refused or any(issue.unusable for issue in added.issues):
        say(f"reconcile: the new entries have errors; nothing written to {into}")
        finish(2 if any(i.unusable for i in added.issues) else 1)
    verb = "would add" if dry_run else "added"
    say(
        f"reconcile: {verb} {len(merged.sources)} source(s), {len(merged.documents)} "
        f"document(s) and {len(merged.estimates)} estimate(s) to {into}"
        f" ({imported.imported} of {imported.rows} row(s) read)"
    )
    finish(code)
