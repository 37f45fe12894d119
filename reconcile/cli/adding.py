"""Authoring commands that write a ledger: `reconcile add` (a source, document or
estimate, checked then spliced in), `reconcile archive add` and `reconcile init`.

Their refusals end the run through `finish`, the CLI's one exit site."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconcile.cli.options import LedgerOption
from reconcile.cli.outcome import finish, say

if TYPE_CHECKING:
    from reconcile.checks.run import Checked

add_app = typer.Typer(
    help="Add a source, document or estimate to the ledger: checked as validate would, "
    "shown, then written in place (nothing else in the file changes).",
    invoke_without_command=True,
)

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Show the change and its problems; write nothing.")
]


@add_app.callback()
def add_group(
    ctx: typer.Context,
    from_extract: Annotated[
        Path | None,
        typer.Option(
            "--from-extract",
            help="Add the estimates of `reconcile extract --format yaml` output that validate.",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a source, document or estimate; or, with --from-extract, what extract found."""
    from reconcile.authoring.adding import add_from_extract
    from reconcile.render import issues as render

    if ctx.invoked_subcommand is not None:
        if from_extract is not None:
            say("reconcile: --from-extract goes without source, document or estimate")
            finish(2)
        if ledger is not None or dry_run:
            # the entry must never go to another ledger than the one named
            say(
                f"reconcile: put -l/--ledger and --dry-run after "
                f"'add {ctx.invoked_subcommand}', e.g. reconcile add {ctx.invoked_subcommand} "
                "-l data/estimates.yaml ..."
            )
            finish(2)
        return
    if from_extract is None:
        sys.stdout.write(ctx.get_help() + "\n")
        finish(0)
    path, _ = _ledger_for_add(ledger)
    done = add_from_extract(path, from_extract, display=str(path), write=not dry_run)
    for result in done.added:
        sys.stdout.write(result.diff)
    if done.issues:
        sys.stderr.write(render.issues_text(done.issues))
    if any(issue.unusable for issue in done.issues) and not (done.added or done.refused):
        say(f"reconcile: nothing added to {path}")
        finish(2)
    verb = "would add" if dry_run else "added"
    total = len(done.added) + len(done.refused) + len(done.skipped)
    message = f"reconcile: {verb} {len(done.added)} of {total} estimate(s) to {path}"
    if done.added:
        message += " (" + ", ".join(result.entry_id for result in done.added) + ")"
    say(message)
    if done.skipped:
        say(f"reconcile: already in the ledger, skipped: {', '.join(done.skipped)}")
    if done.refused:
        say(
            f"reconcile: not added, fix them in {from_extract} and run again: "
            + ", ".join(result.entry_id for result in done.refused)
        )
        finish(1)


def _interactive() -> bool:
    """Whether a person is at the terminal to answer prompts."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(value: Any, option: str, question: str, default: Any = None) -> Any:
    """An option's value; prompted for in a terminal when it was not given, else exit 2."""
    if value is not None:
        return value
    if _interactive():
        return typer.prompt(question, default=default, show_default=default is not None)
    if default is not None:
        return default
    say(f"reconcile: {option} is required (or run the command in a terminal to be asked)")
    finish(2)


def _ledger_for_add(ledger: Path | None) -> "tuple[Path, Checked]":
    from reconcile.checks.run import check_file
    from reconcile.ingest.discover import find_ledger, shipped_ledger

    path, _ = find_ledger(ledger)
    if ledger is None and path.resolve() == shipped_ledger().resolve():
        say(
            "reconcile: no ledger here (./data/estimates.yaml); give one with -l, "
            "or start one with reconcile init"
        )
        finish(2)
    return path, check_file(path, display=str(path))


def _finish_add(path: Path, kind: str, entry: dict[str, Any], dry_run: bool) -> None:
    """Splice, validate, show and (unless refused or --dry-run) write one entry."""
    from reconcile.authoring.adding import add_entry
    from reconcile.core.issues import Severity
    from reconcile.render import issues as render

    result = add_entry(path, kind, entry, display=str(path), write=not dry_run)
    if result.diff:
        sys.stdout.write(result.diff)
    if result.issues:
        sys.stderr.write(render.issues_text(result.issues))
    if any(issue.unusable for issue in result.issues):
        say(f"reconcile: nothing written to {path}")
        finish(2)
    what = f"{kind} '{result.entry_id}'"
    if result.refused:
        errors = sum(issue.severity is Severity.ERROR for issue in result.issues)
        say(f"reconcile: {what} has {errors} error(s); nothing written to {path}")
        finish(1)
    lines = f"lines {result.first_line}-{result.last_line}"
    if dry_run:
        say(f"reconcile: --dry-run: {what} would be added to {path} ({lines}); nothing written")
    else:
        say(f"reconcile: added {what} to {path} ({lines})")
    if result.elsewhere:
        say(
            f"reconcile: the ledger has {result.elsewhere} other error(s), not in the new "
            f"entry (reconcile validate {path})"
        )


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            say(f"reconcile: {option} {item!r}: write METRIC=WORDS, e.g. {option} 'killed=300'")
            finish(2)
        pairs[key.strip().lower()] = value.strip()
    return pairs


@add_app.command("source")
def add_source(  # noqa: PLR0917 (typer: one parameter per option)
    name: Annotated[
        str | None, typer.Option("--name", help="Who: 'National Intelligence Service (NIS)'.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="government, military, intelligence, media, ngo, individual or other.",
        ),
    ] = None,
    party: Annotated[
        str | None,
        typer.Option("--party", help="The belligerent it speaks for, or 'third-party'."),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help="Another name it goes by (repeatable).", show_default=False),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[str | None, typer.Option("--id", help="Its id (default: from the name).")] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a source (a claimant) to the ledger."""
    from reconcile.authoring.adding import source_entry, unique_id

    path, checked = _ledger_for_add(ledger)
    taken = [s.id for s in checked.ledger.sources] if checked.ledger else []
    name = _ask(name, "--name", "Name of the source")
    kind = _ask(kind, "--kind", "Kind (government, military, intelligence, media, ngo, ...)")
    party = _ask(party, "--party", "Party it speaks for, or third-party", "third-party")
    entry = source_entry(
        id=id or unique_id(name, taken),
        name=name,
        kind=kind,
        party=party,
        aliases=alias,
        notes=notes,
    )
    _finish_add(path, "source", entry, dry_run)


@add_app.command("document")
def add_document(  # noqa: PLR0917 (typer: one parameter per option)
    title: Annotated[str | None, typer.Option("--title", help="Its headline.")] = None,
    path: Annotated[
        str | None,
        typer.Option("--path", help="Its archived text, relative to the archive folder."),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The outlet (default: unknown, null).")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date: 2025-01-13, 2025-01 or an interval."),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="en, fr, ...")] = None,
    relay: Annotated[
        list[str] | None,
        typer.Option("--relay", help="An outlet it cites (repeatable).", show_default=False),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its id (default: from the title).")
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a document (a report) to the ledger; `reconcile archive add` also archives it."""
    from reconcile.authoring.adding import document_entry, unique_id

    ledger_path, checked = _ledger_for_add(ledger)
    taken = [d.id for d in checked.ledger.documents] if checked.ledger else []
    title = _ask(title, "--title", "Title")
    entry = document_entry(
        id=id or unique_id(" ".join(title.split()[:6]), taken),
        title=title,
        path=path,
        publisher=publisher,
        published=published,
        url=url,
        language=language,
        relays=relay,
        notes=notes,
    )
    _finish_add(ledger_path, "document", entry, dry_run)


@add_app.command("estimate")
def add_estimate(  # noqa: PLR0917 (typer: one parameter per option)
    claimant: Annotated[
        str | None,
        typer.Option("--claimant", help="Who claimed it: a source's id, name or alias."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="When: 2025-01-13, 2025-01, 2025 or an interval."),
    ] = None,
    deployed: Annotated[str | None, typer.Option("--deployed", help="Troops deployed.")] = None,
    killed: Annotated[str | None, typer.Option("--killed", help="Killed: 'at least 300'.")] = None,
    wounded: Annotated[str | None, typer.Option("--wounded", help="Wounded.")] = None,
    casualties: Annotated[
        str | None, typer.Option("--casualties", help="Killed and wounded, combined.")
    ] = None,
    captured: Annotated[str | None, typer.Option("--captured", help="Captured.")] = None,
    missing: Annotated[str | None, typer.Option("--missing", help="Missing.")] = None,
    document: Annotated[
        str | None, typer.Option("--document", help="The id of the document reporting it.")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="The document's words, verbatim.")
    ] = None,
    wording: Annotated[
        list[str] | None,
        typer.Option(
            "--wording",
            help="METRIC=WORDS: this report's words for a figure (repeatable).",
            show_default=False,
        ),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Its subject.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="The period it counts.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Its id (default: claimant and date).")
    ] = None,
    ledger: LedgerOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add an estimate: who claimed which figures when, and the quote that gives them.

    The quote must occur in the archived document and every figure in the quote,
    as `reconcile validate` checks; an estimate with errors is not written.
    """
    import contextlib

    from reconcile.authoring.adding import estimate_entry, unique_id
    from reconcile.reports.diff import UnknownSide, resolve

    path, checked = _ledger_for_add(ledger)
    known = checked.ledger
    claimant = _ask(claimant, "--claimant", "Claimant (source id, name or alias)")
    if known is not None:
        with contextlib.suppress(UnknownSide):  # else validation says did-you-mean
            claimant = resolve(known, "claimant:" + claimant).id
    document = _ask(document, "--document", "Document id")
    published = None
    if known is not None:
        for doc in known.documents:
            if doc.id == document and doc.published is not None:
                published = doc.published.text
    as_of = _ask(as_of, "--as-of", "As of (the claim's date)", published)
    figures = {
        "deployed": deployed,
        "killed": killed,
        "wounded": wounded,
        "casualties": casualties,
        "captured": captured,
        "missing": missing,
    }
    given = {metric: value for metric, value in figures.items() if value is not None}
    if not given:
        if not _interactive():
            say("reconcile: give at least one figure (--killed, --wounded, --casualties, ...)")
            finish(2)
        for metric in figures:
            answer = typer.prompt(f"{metric} (empty: none)", default="", show_default=False)
            if answer.strip():
                given[metric] = answer
    quote = _ask(quote, "--quote", "Quote (verbatim)")
    taken = [e.id for e in known.estimates] if known else []
    entry = estimate_entry(
        id=id or unique_id(f"{claimant}-{as_of.replace('/', '-')}", taken),
        claimant=claimant,
        as_of=as_of,
        figures=given,
        document=document,
        quote=quote,
        wording=_pairs(wording, "--wording"),
        subject=subject,
        period=period,
        notes=notes,
    )
    if known is not None:
        from reconcile.authoring.merging import same_claim

        for existing in known.estimates:
            if same_claim(existing, entry):
                say(
                    f"reconcile: note: estimate '{existing.id}' records the same claim "
                    "(claimant, date and figures); this quote may belong there as another "
                    "report (reported_in)"
                )
                break
    _finish_add(path, "estimate", entry, dry_run)


archive_app = typer.Typer(
    help="Archive saved articles (HTML, PDF, WARC, WACZ) in the ledger's archive.",
    no_args_is_help=True,
)


@archive_app.command("add")
def archive_add(  # noqa: PLR0917 (typer: one parameter per option)
    file: Annotated[
        Path, typer.Argument(help="A saved web page (.html), PDF, WARC or WACZ, or UTF-8 text.")
    ],
    ledger: LedgerOption = None,
    id: Annotated[
        str | None, typer.Option("--id", help="The document's id (default: from its title).")
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Where it was published (in a web archive: the page to take)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Its headline.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="The outlet.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date: 2025-01-14.")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="en, fr, ...")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Keep a saved article in the archive and add its document to the ledger.

    Extracts the article's main text (trafilatura for HTML, pypdf for PDF, warcio
    for web archives), writes it beside the original bytes (named after their
    sha256) in the ledger's archive folder, and adds a `documents` entry with the
    title, publisher, date, language and url read from the file's metadata; the
    fields it could not read are listed under needs_review.  Needs the archive
    extra: pip install 'reconcile-ledger[archive]'.
    """
    from reconcile.authoring.archiving import ArchiveError, archive_into
    from reconcile.render import issues as render

    path, _ = _ledger_for_add(ledger)
    overrides = {
        "title": title,
        "publisher": publisher,
        "published": published,
        "language": language,
        "url": url,
    }
    try:
        done = archive_into(file, path, overrides=overrides, document_id=id, write=not dry_run)
    except ArchiveError as exc:
        say(f"reconcile: cannot archive {file}: {exc}")
        finish(2)
    page = done.page
    if done.existing is not None:
        say(
            f"reconcile: {file} is already archived as document '{done.existing}' "
            f"(sha256 {page.sha256[:12]}…); nothing to do"
        )
        return
    paragraphs = page.text.count("\n\n") + 1
    say(
        f"reconcile: read {file} as {page.kind} ({page.reader}): {paragraphs} paragraph(s), "
        f"{len(page.text):,} characters of text"
    )
    added = done.added
    entry = added.entry
    shown = {
        name: "null" if entry.get(name) is None else str(entry[name])[:72]
        for name in ("title", "publisher", "published", "language", "url")
    }
    width = max(len(value) for value in shown.values())
    for name, value in shown.items():
        if name in entry.get("needs_review", []):
            where = "needs review"
        else:
            where = "given" if overrides.get(name) is not None else "from metadata"
        say(f"  {name:<10} {value:<{width}}  ({where})")
    if added.diff:
        sys.stdout.write(added.diff)
    if added.issues:
        sys.stderr.write(render.issues_text(added.issues))
    if any(issue.unusable for issue in added.issues):
        say(f"reconcile: nothing archived or written to {path}")
        finish(2)
    if added.refused:
        say(f"reconcile: the document entry has errors; nothing archived or written to {path}")
        finish(1)
    if dry_run:
        say(f"reconcile: --dry-run: document '{done.document_id}' would be added; nothing written")
        return
    assert done.stored is not None
    kept = f" and the original as {done.stored.original_path}" if done.stored.original_path else ""
    say(
        f"reconcile: archived the text as {done.stored.text_path}{kept} "
        f"(sha256 {page.sha256[:12]}…)"
    )
    say(
        f"reconcile: added document '{done.document_id}' to {path} "
        f"(lines {added.first_line}-{added.last_line})"
    )
    if entry.get("needs_review"):
        say(
            f"reconcile: check {', '.join(entry['needs_review'])} against the original, "
            "then remove them from needs_review"
        )


def init(
    folder: Annotated[
        Path, typer.Argument(help="Where to start the ledger (default: here).")
    ] = Path("."),
    title: Annotated[
        str | None, typer.Option("--title", help="The ledger's title.", show_default=False)
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="What its figures count, e.g. 'North Korean troops'."),
    ] = None,
) -> None:
    """Start a ledger: data/estimates.yaml, an empty archive, pre-commit and CI that validate.

    Never overwrites: an existing ledger stops it (exit 2), other existing files
    are kept.
    """
    from reconcile.authoring.init_ledger import LEDGER, InitError, init_folder

    chosen_title = _ask(
        title, "--title", "Title of the ledger", f"Figures: {folder.resolve().name}"
    )
    chosen_subject = _ask(subject, "--subject", "Subject (what the figures count)", "not set yet")
    try:
        started = init_folder(folder, title=chosen_title, subject=chosen_subject)
    except InitError as exc:
        say(f"reconcile: {exc}")
        finish(2)
    for name in started.created:
        sys.stdout.write(f"created {folder / name}\n")
    for name in started.kept:
        say(f"reconcile: kept the existing {folder / name}")
    if subject is None and chosen_subject == "not set yet":
        say(f"reconcile: set the subject: in {folder / LEDGER}")
    say(
        f"reconcile: next: cd {folder} && reconcile archive add SAVED-PAGE.html, "
        "then reconcile extract, reconcile add estimate, reconcile validate"
    )
