"""Authoring commands: `reconcile extract` (figures in article texts) and
`reconcile import` (a spreadsheet of claims as ledger YAML)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from reconcile.cli.ledgers import document_ids
from reconcile.cli.options import (
    DecimalCommaOption,
    ExtractFormat,
    LedgerOption,
    OutputOption,
    StrictOption,
    WidthOption,
    max_bytes,
)
from reconcile.cli.outcome import exits, say
from reconcile.cli.output import choose_format, emit_report, write_text
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
    from reconcile.core.issues import Issue, Refusal
    from reconcile.core.numbers import decimal_comma
    from reconcile.ingest.reader import read_text
    from reconcile.ingest.writer import dump_yaml
    from reconcile.render.issues import issues_text
    from reconcile.views.extract import extract_tables

    cap = max_bytes(None)
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
    if chosen is ExtractFormat.YAML:
        ids = document_ids(ledger)
        named = [
            (name, ids.get(path.resolve()) or slug(path.stem) or "document", figures)
            for (path, _), (name, figures) in zip(texts, found, strict=True)
        ]
        with decimal_comma(use_decimal_comma):
            entries = estimate_entries(named)
        write_text(dump_yaml({"estimates": entries}), output)
        return
    fmt = choose_format(OutputFormat(chosen.value) if chosen else None, output)
    result = {
        "files": [
            {"file": name, "figures": [f.to_json() for f in figures]} for name, figures in found
        ]
    }
    emit_report(
        extract_tables(found, show_all=show_all or fmt is OutputFormat.CSV),
        result,
        command="extract",
        ledgers=[],
        output_format=fmt,
        output=output,
        width=width,
    )


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
) -> int:
    """Turn a spreadsheet of claims (CSV) into ledger YAML.

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
        alias, sep, target = item.partition("=")
        if not sep or not alias.strip() or not target.strip():
            raise Refusal(
                f"reconcile: --merge {item!r}: write ALIAS=NAME, "
                "e.g. --merge 'UK Ministry of Defence=UK MoD'"
            )
        merged[alias.strip()] = target.strip()
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
