"""Checks: one registry of every check a user can see, and the functions that run them.

A `Check` is an id, a severity, what it means, the stage that finds it and, for
the checks over a built ledger, the function that runs it: one signature,
`(Context) -> list[Issue]`, over one `Context`.  Checks without a function are
found while reading and building the ledger (ingest/) or by `reconcile import`.
`validate` runs the registry (and --select/--ignore choose from it); docs/ci.md's
table and the gallery's coverage test read it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from reconcile.checks import (
    characters,
    consistency,
    dates,
    evidence,
    meaning,
    partial,
    provenance,
    references,
    review,
    timing,
)
from reconcile.checks.context import Context
from reconcile.core.issues import Issue, Refusal, Severity
from reconcile.core.models import Ledger

CheckFunction = Callable[[Context], list[Issue]]

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    severity: Severity
    description: str
    stage: str
    """read, schema, include, references, characters, dates, consistency, evidence, provenance,
    extract or import."""
    run: CheckFunction | None = None
    also: tuple[CheckFunction, ...] = ()
    """Other functions that report this id (checks.partial, on entries the schema refused)."""


REGISTRY: tuple[Check, ...] = (
    # reading the file
    Check("read", ERROR, "the file cannot be read", "read"),
    Check("too-large", ERROR, "the file is over the size cap", "read"),
    Check("encoding", ERROR, "the file is not UTF-8 text", "read"),
    Check("yaml-syntax", ERROR, "the file is not valid YAML", "read"),
    Check("yaml-alias", ERROR, "YAML aliases are refused (no alias bombs)", "read"),
    Check("yaml-tag", ERROR, "YAML tags other than the standard ones are refused", "read"),
    Check("yaml-too-deep", ERROR, "nesting deeper than the loader allows", "read"),
    Check("yaml-complex-key", ERROR, "a mapping key that is a list or mapping", "read"),
    Check("yaml-multiple-documents", ERROR, "more than one YAML document in a file", "read"),
    Check("duplicate-key", ERROR, "the same key twice in one mapping", "read"),
    # schema
    Check("not-a-ledger", ERROR, "the top level is not a mapping of ledger fields", "schema"),
    Check("unknown-field", ERROR, "a field the format does not have", "schema"),
    Check("missing-field", ERROR, "a required field is absent", "schema"),
    Check("wrong-type", ERROR, "a value of the wrong type", "schema"),
    Check("wrong-value", ERROR, "a value outside the allowed set", "schema"),
    Check(
        "bad-id",
        ERROR,
        "an id with characters other than letters, digits, '.', '_', '-'",
        "schema",
    ),
    Check("bad-figure", ERROR, "a figure that is not a count or a known phrase", "schema"),
    Check("bad-date", ERROR, "a date that is not a real day, month, year or interval", "schema"),
    Check("bad-url", ERROR, "a url that is not http(s)", "schema"),
    Check("no-figures", ERROR, "an estimate with no figure", "schema"),
    Check("no-report", ERROR, "an estimate that no document reports", "schema"),
    Check("bad-path", ERROR, "a path with control characters, which no file can have", "schema"),
    Check(
        "path-outside-archive",
        ERROR,
        "a document path that leaves the archive folder",
        "schema",
    ),
    Check(
        "path-outside-repository",
        ERROR,
        "a ledger, archive or document outside the repository, or in .git",
        "schema",
    ),
    Check(
        "quote-too-long",
        ERROR,
        "a quote over the length limit (models.MAX_QUOTE_CHARS)",
        "schema",
    ),
    # multi-file ledgers (include:)
    Check(
        "include-missing",
        ERROR,
        "an included file that does not exist, or a glob that matches none",
        "include",
    ),
    Check(
        "include-outside",
        ERROR,
        "an include that is absolute or leaves the root ledger's folder",
        "include",
    ),
    Check(
        "include-cycle",
        ERROR,
        "a file that includes itself, directly or through others",
        "include",
    ),
    Check(
        "include-limit",
        ERROR,
        "more included files, or deeper nesting, than allowed",
        "include",
    ),
    Check(
        "include-too-costly",
        ERROR,
        "a glob that looks at too many paths, or uses '..' after a wildcard",
        "include",
    ),
    # references
    Check(
        "duplicate-id",
        ERROR,
        "two entries of one section share an id",
        "references",
        references.check,
    ),
    Check(
        "unknown-reference",
        ERROR,
        "a claimant or document id that does not exist",
        "references",
        references.check,
        (partial.check,),
    ),
    # characters that mislead a reader
    Check(
        "lookalike-id",
        WARNING,
        "two ids of a section that differ only by look-alike characters",
        "characters",
        characters.check,
    ),
    Check(
        "bidi-control",
        WARNING,
        "a bidirectional control character, which can reorder displayed text",
        "characters",
        characters.check,
    ),
    Check(
        "control-character",
        WARNING,
        "a control character (ESC, form feed, ...) in a text, which displays as nothing",
        "characters",
        characters.check,
    ),
    # dates
    Check("future-date", ERROR, "a date after today", "dates", dates.check),
    Check(
        "as-of-after-publication",
        ERROR,
        "an estimate dated after a document that reports it",
        "dates",
        dates.check,
    ),
    # consistency
    Check(
        "part-exceeds-total",
        WARNING,
        "killed or wounded above the casualties of the same estimate",
        "consistency",
        consistency.check,
    ),
    Check(
        "sum-mismatch",
        WARNING,
        "killed + wounded cannot equal the casualties given",
        "consistency",
        consistency.check,
    ),
    Check(
        "exceeds-deployed",
        WARNING,
        "casualties, killed, wounded, captured or missing above those deployed",
        "consistency",
        consistency.check,
    ),
    # reports as evidence, claim identity (checks/evidence.py)
    Check(
        "report-parts-vs-total",
        WARNING,
        "the figures one report printed do not add up",
        "evidence",
        evidence.check,
    ),
    Check(
        "report-metric-swapped",
        WARNING,
        "a report prints one metric's figure under another",
        "evidence",
        evidence.check,
    ),
    Check(
        "report-contradicts-claim",
        WARNING,
        "a report prints a figure that shares no count with its claim",
        "evidence",
        evidence.check,
    ),
    Check(
        "same-day-contradiction",
        WARNING,
        "one claimant gives figures with no count in common on one day",
        "evidence",
        evidence.check,
    ),
    Check(
        "re-report",
        WARNING,
        "an estimate repeats an earlier claim of its claimant, dated later",
        "evidence",
        evidence.check,
    ),
    Check(
        "duplicate-statement",
        WARNING,
        "one statement recorded twice (e.g. in two included files)",
        "evidence",
        evidence.check,
    ),
    Check(
        "near-duplicate-source",
        WARNING,
        "two sources whose names look like one organisation",
        "evidence",
        evidence.check,
    ),
    # provenance
    Check("unarchived", WARNING, "a document with no archived text", "provenance"),
    Check("archive-missing", ERROR, "a document's archived file cannot be read", "provenance"),
    Check(
        "archive-budget",
        ERROR,
        "archived texts or originals over the total cap for one ledger; the rest are not read",
        "provenance",
    ),
    Check(
        "quote-not-found",
        ERROR,
        "a quote that does not occur in its document",
        "provenance",
        provenance.check,
        (partial.check,),
    ),
    Check(
        "figure-not-in-quote",
        ERROR,
        "a figure whose number occurs in none of its quotes",
        "provenance",
        provenance.check,
        (partial.check,),
    ),
    Check(
        "wording-not-in-quote",
        WARNING,
        "a report whose quote does not use the words recorded for it",
        "provenance",
        provenance.check,
    ),
    # archived originals (reconcile archive add)
    Check(
        "needs-review",
        WARNING,
        "a document field not read from its metadata, still to check",
        "review",
        review.check,
    ),
    Check(
        "original-changed",
        ERROR,
        "an archived original whose bytes no longer match its sha256",
        "review",
        review.check,
    ),
    # what a quote says (warnings)
    Check(
        "metric-not-in-quote",
        WARNING,
        "the quote gives the figure under another metric",
        "meaning",
        meaning.check,
    ),
    Check(
        "claimant-not-in-quote",
        WARNING,
        "the claimant is not named in or just before the quote",
        "meaning",
        meaning.check,
    ),
    Check(
        "as-of-not-in-quote",
        WARNING,
        "the quote states a date (a year, a month or a day) that as_of does not overlap",
        "meaning",
        timing.check,
    ),
    Check(
        "unused-acknowledgement",
        WARNING,
        "an acknowledged check id that no warning of the entry has",
        "acknowledge",
    ),
    Check(
        "settings",
        ERROR,
        "reconcile.toml or [tool.reconcile] unreadable, or an unknown key or value",
        "settings",
    ),
    # reconcile extract (located file:LINE:COLUMN in the article)
    Check(
        "ambiguous-number",
        WARNING,
        "a number whose grouping is ambiguous (4.000); extract does not read it",
        "extract",
    ),
    # reconcile import (CSV rows; located file.csv:ROW:COLUMN)
    Check("import-unreadable", ERROR, "the CSV cannot be read from this row on", "import"),
    Check("import-empty", ERROR, "the CSV has no header row", "import"),
    Check("import-bad-mapping", ERROR, "a --map target that is not a field", "import"),
    Check("import-unknown-column", WARNING, "a column that no field reads", "import"),
    Check(
        "import-missing-column",
        ERROR,
        "no column for a required field; nothing can be imported",
        "import",
    ),
    Check(
        "import-missing-field",
        ERROR,
        "a row without a required value; the row is not imported",
        "import",
    ),
    Check(
        "import-bad-date",
        ERROR,
        "a date that is not ISO or day-first (or month-first on request)",
        "import",
    ),
    Check("import-bad-number", ERROR, "low, high, best or words that are not a figure", "import"),
    Check("import-bad-metric", ERROR, "a metric the ledger does not know", "import"),
    Check("import-bad-url", ERROR, "a url that is not http(s)", "import"),
    Check(
        "import-bad-kind",
        WARNING,
        "a source kind the ledger does not know; 'other' is used",
        "import",
    ),
    Check("import-best-outside", WARNING, "best lies outside low-high", "import"),
    Check(
        "import-best-dropped",
        WARNING,
        "a best value beside only one bound is not kept",
        "import",
    ),
    Check("import-merge-unused", WARNING, "--merge names a claimant no row has", "import"),
    Check(
        "import-no-url",
        WARNING,
        "a row's url cell describes the source instead of linking it",
        "import",
    ),
    Check(
        "import-figure-not-in-quote",
        WARNING,
        "a row's quote lacks its figure; a placeholder is used",
        "import",
    ),
    Check(
        "import-party-unnamed",
        WARNING,
        "a claimant marked as a party with no party named",
        "import",
    ),
    Check(
        "import-split-claim",
        WARNING,
        "two figures of one metric for one claim; two estimates",
        "import",
    ),
    Check(
        "import-near-duplicate-claimant",
        WARNING,
        "two claimant names that look like one source",
        "import",
    ),
    Check(
        "import-unknown-alias",
        WARNING,
        "an --alias whose id is not a source of the ledger",
        "import",
    ),
)

CHECKS: dict[str, Check] = {check.id: check for check in REGISTRY}
"""Every check by id, in the order docs/ci.md lists them."""


def selected(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> frozenset[str]:
    """The ids --select and --ignore leave (all when nothing is selected), or a
    refusal naming an id that is not a check."""
    picked, dropped = list(select), list(ignore)
    for name in picked + dropped:
        if name not in CHECKS:
            near = difflib.get_close_matches(name, list(CHECKS), n=1)
            hint = f"; did you mean {near[0]}?" if near else "; see docs/ci.md for the ids"
            raise Refusal(f"reconcile: {name!r} is not a check id{hint}")
    return frozenset(picked or CHECKS) - frozenset(dropped)


def check_functions(ids: Collection[str] = CHECKS.keys()) -> list[CheckFunction]:
    """The check functions of which some id is in `ids`, each once, in the order
    they run: provenance first (it fills the context's quote numbers and
    normalised texts that the evidence and meaning checks reuse, and that a
    cache hit spares), then the registry's order."""
    functions: list[CheckFunction] = []
    for check in REGISTRY:
        if check.id not in ids:
            continue
        for function in (check.run, *check.also):
            if function is not None and function not in functions:
                functions.append(function)
    functions.sort(key=lambda function: function is not provenance.check)
    return functions


def run_checks(
    context: Context,
    ids: Collection[str] = CHECKS.keys(),
    *,
    jobs: int = 1,
    alongside: Callable[[Ledger], object] | None = None,
) -> list[Issue]:
    """Run each check function (once) of which some id is in `ids`: in up to `jobs`
    processes when the ledger is large enough to gain (checks/parallel.py), with
    the same issues in the same order as in one.  `alongside` is called with the
    ledger while other processes check it, and only then (check_file)."""
    functions = check_functions(ids)
    if jobs > 1:
        from reconcile.checks import parallel  # noqa: PLC0415 (only a large ledger needs it)

        if parallel.wanted(context, jobs):
            return parallel.run(context, functions, jobs, alongside)
    return [issue for function in functions for issue in function(context)]
