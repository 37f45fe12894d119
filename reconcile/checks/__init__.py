"""Checks: pure functions from a ledger (and its origins) to `Issue`s.

Every check id a user can see is listed in `CHECKS` with what it means; the
docs and the tests read this table.
"""

CHECKS: dict[str, str] = {
    # reading the file
    "read": "the file cannot be read",
    "too-large": "the file is over the size cap",
    "encoding": "the file is not UTF-8 text",
    "yaml-syntax": "the file is not valid YAML",
    "yaml-alias": "YAML aliases are refused (no alias bombs)",
    "yaml-tag": "YAML tags other than the standard ones are refused",
    "yaml-too-deep": "nesting deeper than the loader allows",
    "yaml-complex-key": "a mapping key that is a list or mapping",
    "yaml-multiple-documents": "more than one YAML document in a file",
    "duplicate-key": "the same key twice in one mapping",
    # schema
    "not-a-ledger": "the top level is not a mapping of ledger fields",
    "unknown-field": "a field the format does not have",
    "missing-field": "a required field is absent",
    "wrong-type": "a value of the wrong type",
    "wrong-value": "a value outside the allowed set",
    "bad-id": "an id with characters other than letters, digits, '.', '_', '-'",
    "bad-figure": "a figure that is not a count or a known phrase",
    "bad-date": "a date that is not a real day, month, year or interval",
    "bad-url": "a url that is not http(s)",
    "no-figures": "an estimate with no figure",
    "no-report": "an estimate that no document reports",
    "bad-path": "a path with control characters, which no file can have",
    "path-outside-archive": "a document path that leaves the archive folder",
    "path-outside-repository": "a ledger, archive or document outside the repository, or in .git",
    "quote-too-long": "a quote over the length limit (models.MAX_QUOTE_CHARS)",
    # multi-file ledgers (include:)
    "include-missing": "an included file that does not exist, or a glob that matches none",
    "include-outside": "an include that is absolute or leaves the root ledger's folder",
    "include-cycle": "a file that includes itself, directly or through others",
    "include-limit": "more included files, or deeper nesting, than allowed",
    "include-too-costly": "a glob that looks at too many paths, or uses '..' after a wildcard",
    # references
    "duplicate-id": "two entries of one section share an id",
    "unknown-reference": "a claimant or document id that does not exist",
    # characters that mislead a reader
    "lookalike-id": "two ids of a section that differ only by look-alike characters",
    "bidi-control": "a bidirectional control character, which can reorder displayed text",
    # dates
    "future-date": "a date after today",
    "as-of-after-publication": "an estimate dated after a document that reports it",
    # consistency
    "part-exceeds-total": "killed or wounded above the casualties of the same estimate",
    "sum-mismatch": "killed + wounded cannot equal the casualties given",
    "exceeds-deployed": "casualties, killed, wounded, captured or missing above those deployed",
    # reports as evidence, claim identity (checks/evidence.py)
    "report-parts-vs-total": "the figures one report printed do not add up",
    "report-metric-swapped": "a report prints one metric's figure under another",
    "report-contradicts-claim": "a report prints a figure that shares no count with its claim",
    "same-day-contradiction": "one claimant gives figures with no count in common on one day",
    "re-report": "an estimate repeats an earlier claim of its claimant, dated later",
    "duplicate-statement": "one statement recorded twice (e.g. in two included files)",
    "near-duplicate-source": "two sources whose names look like one organisation (warning)",
    # provenance
    "unarchived": "a document with no archived text",
    "archive-missing": "a document's archived file cannot be read",
    "archive-budget": "archived texts over the total cap for one ledger; the rest are not read",
    "quote-not-found": "a quote that does not occur in its document",
    "figure-not-in-quote": "a figure whose number occurs in none of its quotes",
    "wording-not-in-quote": "a report whose quote does not use the words recorded for it",
    # archived originals (reconcile archive add)
    "needs-review": "a document field not read from its metadata, still to check (warning)",
    "original-changed": "an archived original whose bytes no longer match its sha256",
    # what a quote says (warnings)
    "metric-not-in-quote": "the quote gives the figure under another metric (warning)",
    "claimant-not-in-quote": "the claimant is not named in or just before the quote (warning)",
    "unused-acknowledgement": "an acknowledged check id that no warning of the entry has (warning)",
    "settings": "reconcile.toml or [tool.reconcile] unreadable, or an unknown key or value",
    # reconcile import (CSV rows; located file.csv:ROW:COLUMN)
    "import-unreadable": "the CSV cannot be read from this row on",
    "import-empty": "the CSV has no header row",
    "import-bad-mapping": "a --map target that is not a field",
    "import-unknown-column": "a column that no field reads (warning)",
    "import-missing-column": "no column for a required field; nothing can be imported",
    "import-missing-field": "a row without a required value; the row is not imported",
    "import-bad-date": "a date that is not ISO or day-first (or month-first on request)",
    "import-bad-number": "low, high, best or words that are not a figure",
    "import-bad-metric": "a metric the ledger does not know",
    "import-bad-url": "a url that is not http(s)",
    "import-bad-kind": "a source kind the ledger does not know; 'other' is used (warning)",
    "import-best-outside": "best lies outside low-high (warning)",
    "import-best-dropped": "a best value beside only one bound is not kept (warning)",
    "import-merge-unused": "--merge names a claimant no row has (warning)",
    "import-no-url": "a row's url cell describes the source instead of linking it (warning)",
    "import-figure-not-in-quote": "a row's quote lacks its figure; a placeholder is used (warning)",
    "import-party-unnamed": "a claimant marked as a party with no party named (warning)",
    "import-split-claim": "two figures of one metric for one claim; two estimates (warning)",
    "import-near-duplicate-claimant": "two claimant names that look like one source (warning)",
    "import-unknown-alias": "an --alias whose id is not a source of the ledger (warning)",
}
