"""Import a spreadsheet of claims (CSV) as ledger data.

One row per figure.  Columns are mapped to fields by name (`DEFAULT_COLUMNS`,
case and spaces ignored) or explicitly (`mapping`, from `--map COLUMN=FIELD`).
Fields: `date` (ISO `2025-01-13`, `2025-01`, `2025`, or day-first
`13/01/2025`, `13.01.2025`, `13-01-2025`; month-first on request), `low`,
`high`, `best`, `words` (the spreadsheet's own figure phrase, kept as is),
`metric`, `claimant`, `url`, `subject`, `party` (yes/no, or the party's name),
`kind` (of source), `quote`, `title` (of the document), `notes`.

Rows of one claim (same claimant, date and url) become one estimate.  Each
claimant becomes a source (id: the name slugified); near-duplicate names are
reported.  Each url becomes a document with no archived text (`path` absent,
`published: null`), which `reconcile validate` reports as `unarchived`.  A row
without a `quote` gets a placeholder quote that states its figure ("imported
from claims.csv row 4: killed at least 300"): it must be replaced by the
article's own words once the article is archived.

Every row that cannot be read is reported with its row and column
(`claims.csv:ROW:COL`), never dropped silently.  Pure: text in, data and
issues out; nothing here raises for bad input.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from reconcile.authoring.columns import (
    DEFAULT_COLUMNS,
    FIELDS,
    METRIC_WORDS,
    NO,
    PLACEHOLDER,
    REQUIRED,
    UNNAMED_PARTY,
    YES,
    Numbering,
    bare_name,
    cell_date,
    column_key,
    columns_for,
    csv_rows,
    mentions,
    slug,
    split_url,
)
from reconcile.authoring.synonyms import synonym_issues
from reconcile.core.figures import Figure, FigureError, parse_figure
from reconcile.core.issues import Issue, Location, Severity, error, warning
from reconcile.core.models import METRICS, THIRD_PARTY, Metric, SourceKind
from reconcile.core.names import CLOSE_SPELLING, alike_pairs
from reconcile.core.numbers import (
    ambiguous,
    decimal_comma,
    find_numbers,
    format_count,
    point_grouped,
    reading_decimal_comma,
)
from reconcile.core.spelling import close_pairs


@dataclass(frozen=True, slots=True)
class Imported:
    """The ledger data built from a CSV file, and every problem found on the way."""

    data: dict[str, Any]
    issues: tuple[Issue, ...]
    rows: int  # data rows read
    imported: int  # rows that became figures


@dataclass
class _Claim:
    claimant: str
    as_of: str
    document: str
    subject: str | None
    figures: dict[Metric, Figure] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    quotes: dict[str, None] = field(default_factory=dict)
    placeholders: list[str] = field(default_factory=list)
    placeholder_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_csv(
    text: str,
    name: str,
    *,
    mapping: dict[str, str] | None = None,
    title: str | None = None,
    subject: str | None = None,
    month_first: bool = False,
    merge: dict[str, str] | None = None,
) -> Imported:
    """Read CSV text (its display name `name`) into ledger data.

    `merge` maps a claimant name to the name it is another spelling of (from
    `--merge 'UK Ministry of Defence=UK MoD'`): its rows join that claimant's
    source, which lists the merged name among its `aliases`.
    """
    mapping = mapping or {}
    issues: list[Issue] = []
    for column, target in mapping.items():
        if target not in FIELDS:
            issues.append(
                error(
                    "import-bad-mapping",
                    f"--map {column}={target}: '{target}' is not a field; "
                    f"fields are {', '.join(FIELDS)}",
                    Location(name),
                )
            )
    rows, problem = csv_rows(text, name)
    if problem is not None:
        issues.append(problem)
    if not rows:
        issues.append(error("import-empty", "no header row: the file is empty", Location(name)))
        return Imported({}, tuple(issues), 0, 0)
    (header_line, header), body = rows[0], rows[1:]
    columns = columns_for(header, mapping)
    for index, column in enumerate(header):
        key = column_key(column)
        if key and key not in {column_key(c) for c in mapping} and key not in DEFAULT_COLUMNS:
            issues.append(
                warning(
                    "import-unknown-column",
                    f"column '{column}' is not imported (no field of that name)",
                    Location(name, header_line, index + 1),
                    hint=f"map it with --map '{column}=FIELD'",
                )
            )
    missing = [f for f in REQUIRED if f not in columns]
    if not any(f in columns for f in ("low", "high", "best", "words")):
        missing.append("low/high/best/words")
    if missing:
        issues.append(
            error(
                "import-missing-column",
                f"no column for {', '.join(missing)}; no row can be imported",
                Location(name, header_line, 1),
                hint="name the columns as in docs/workflow.md or map them: --map COLUMN=FIELD",
            )
        )
        return Imported({}, tuple(issues), len(body), 0)

    merged = {" ".join(k.split()): " ".join(v.split()) for k, v in (merge or {}).items()}
    state = _State(name, columns, month_first, merged)
    for line, row in body:
        if not any(cell.strip() for cell in row):
            continue  # a blank line holds no claim
        state.row(line, row)
    issues.extend(state.issues)
    issues.extend(state.claimant_issues())
    issues.extend(synonym_issues(state.names, merged, name, state.columns["claimant"] + 1))
    for alias, target in merged.items():
        if alias not in state.names:
            issues.append(
                warning(
                    "import-merge-unused",
                    f"--merge {alias}={target}: no row names the claimant '{alias}'",
                    Location(name),
                )
            )
    data = state.ledger(title or f"Claims imported from {name}", subject)
    return Imported(data, tuple(issues), state.read, state.imported)


class _State:
    def __init__(
        self, name: str, columns: dict[str, int], month_first: bool, merge: dict[str, str]
    ) -> None:
        self.name = name
        self.merge = merge
        self.columns = columns
        self.month_first = month_first
        self.issues: list[Issue] = []
        self.read = 0
        self.imported = 0
        self.sources: dict[str, dict[str, Any]] = {}
        self.names: dict[str, tuple[str, int]] = {}  # raw claimant name -> (id, first row)
        self.documents: dict[str, dict[str, Any]] = {}
        self.document_ids = Numbering()
        self.claims: dict[tuple[str, str, str, int], _Claim] = {}
        self.subjects: Counter[str] = Counter()

    def cell(self, row: list[str], field_name: str) -> str:
        index = self.columns.get(field_name)
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def at(self, line: int, field_name: str) -> Location:
        return Location(self.name, line, self.columns.get(field_name, 0) + 1)

    def row(self, line: int, row: list[str]) -> None:
        self.read += 1
        before = len(self.issues)
        values = {f: self.cell(row, f) for f in self.columns}
        for required in REQUIRED:
            if not values.get(required):
                self.issues.append(
                    error(
                        "import-missing-field",
                        f"row {line}: no {required}; the row is not imported",
                        self.at(line, required),
                    )
                )
        as_of = self._date(line, values.get("date", ""))
        metric = self._metric(line, values.get("metric", ""))
        figure = self._figure(line, values)
        url, url_note = split_url(values.get("url", ""))
        if url == "" and url_note:
            # a row whose source is described, not linked ("via email from ..."): the
            # claim is kept, in a document without a url that says where it came from
            self.issues.append(
                warning(
                    "import-no-url",
                    f"row {line}: {url_note[:80]!r} is not a url; the claim is kept in a "
                    "document without a url, titled by these words",
                    self.at(line, "url"),
                    hint="archive the source and give its url when there is one",
                )
            )
        if url is None:
            self.issues.append(
                error(
                    "import-bad-url",
                    f"row {line}: url {values['url']!r} is not an http:// or https:// address",
                    self.at(line, "url"),
                )
            )
        failed = any(i.severity is Severity.ERROR for i in self.issues[before:])
        if failed or not (as_of and metric and figure) or url is None:
            return
        assert as_of is not None and metric is not None and figure is not None
        source = self._source(line, values)
        document = self._document(url, values, url_note)
        subject = values.get("subject") or None
        if subject:
            self.subjects[subject] += 1
        claim = self._claim(source, as_of, document, subject=subject, metric=metric, line=line)
        claim.figures[metric] = figure
        claim.rows.append(line)
        quote = values.get("quote", "")
        if quote and all(mentions(quote, n) for n in figure.numbers):
            claim.quotes[quote] = None
        else:
            claim.placeholders.append(f"{metric.value} {figure.text}")
            claim.placeholder_rows.append(line)
        if quote and not all(mentions(quote, n) for n in figure.numbers):
            self.issues.append(
                warning(
                    "import-figure-not-in-quote",
                    f"row {line}: the quote does not contain the figure '{figure.text}'; "
                    "a placeholder quote is used for it",
                    self.at(line, "quote"),
                )
            )
        if values.get("notes"):
            claim.notes.append(values["notes"])
        self.imported += 1

    def _date(self, line: int, raw: str) -> str | None:
        if not raw:
            return None
        found = cell_date(raw, month_first=self.month_first)
        if found is None:
            order = "MM/DD/YYYY" if self.month_first else "DD/MM/YYYY"
            self.issues.append(
                error(
                    "import-bad-date",
                    f"row {line}: cannot read the date {raw!r}; write 2025-01-13 or {order}",
                    self.at(line, "date"),
                )
            )
        return found

    def _metric(self, line: int, raw: str) -> Metric | None:
        if not raw:
            return None
        metric = METRIC_WORDS.get(" ".join(raw.lower().split()))
        if metric is None:
            self.issues.append(
                error(
                    "import-bad-metric",
                    f"row {line}: unknown metric {raw!r}; use one of {', '.join(METRICS)}",
                    self.at(line, "metric"),
                )
            )
        return metric

    def _number(self, line: int, field_name: str, raw: str) -> int | None:
        found = find_numbers(raw)
        if len(found) == 1 and found[0].text == raw and found[0].value <= 10**12:
            return found[0].value
        if ambiguous(raw.strip()):
            message = (
                f"row {line}: {field_name} {raw!r} could be a grouped count or a decimal; "
                "reconcile never guesses"
            )
            hint = (
                "write 4000 or 4 000, or import with --decimal-comma if dots group thousands "
                "in this file"
                if not reading_decimal_comma()
                else "write 4000 or 4.000 (this import reads a decimal comma)"
            )
        else:
            message = f"row {line}: {field_name} {raw!r} is not a whole number"
            hint = "write a count such as 3800 or 3,800; put words in the 'words' column"
        self.issues.append(error("import-bad-number", message, self.at(line, field_name), hint))
        return None

    def _figure(self, line: int, values: dict[str, str]) -> Figure | None:
        words = values.get("words", "")
        numbers: dict[str, int | None] = {}
        for name in ("low", "high", "best"):
            if values.get(name):
                numbers[name] = self._number(line, name, values[name])
        if any(v is None for v in numbers.values()):
            return None
        low, high, best = numbers.get("low"), numbers.get("high"), numbers.get("best")
        if words:
            try:
                figure = parse_figure(words)
                if reading_decimal_comma():
                    # the ledger reads figures with a decimal point: 'about 12.000' is
                    # written 'about 12,000'
                    rewritten = point_grouped(words)
                    with decimal_comma(False):
                        figure = parse_figure(rewritten)
            except FigureError as exc:
                self.issues.append(
                    error(
                        "import-bad-number",
                        f"row {line}: the words {words!r} are not a figure: {exc.message}",
                        self.at(line, "words"),
                    )
                )
                return None
            return figure
        if low is not None and high is not None:
            if high < low:
                self.issues.append(
                    error(
                        "import-bad-number",
                        f"row {line}: high {format_count(high)} is below low {format_count(low)}",
                        self.at(line, "high"),
                    )
                )
                return None
            phrase = (
                format_count(low) if low == high else f"{format_count(low)}-{format_count(high)}"
            )
            if best is not None and low <= best <= high and low < high:
                # the central value is kept inside its range, never replaced by the midpoint
                phrase = f"{format_count(best)} ({phrase})"
        elif low is not None:
            phrase = f"at least {format_count(low)}"
        elif high is not None:
            phrase = f"up to {format_count(high)}"
        elif best is not None:
            phrase = format_count(best)
        else:
            self.issues.append(
                error(
                    "import-missing-field",
                    f"row {line}: no figure (low, high, best or words); the row is not imported",
                    self.at(
                        line,
                        next(f for f in ("low", "high", "best", "words") if f in self.columns),
                    ),
                )
            )
            return None
        with decimal_comma(False):  # our own phrase, written for the ledger
            figure = parse_figure(phrase)
        if best is not None and (low is None) != (high is None):
            self.issues.append(
                warning(
                    "import-best-dropped",
                    f"row {line}: best {format_count(best)} is not kept beside the one-sided "
                    f"bound ('{phrase}'): the ledger has no way to write both",
                    self.at(line, "best"),
                    hint="put the central value in the notes, or give low and high",
                )
            )
        elif best is not None and not figure.interval.contains(best):
            self.issues.append(
                warning(
                    "import-best-outside",
                    f"row {line}: best {format_count(best)} is outside {phrase}",
                    self.at(line, "best"),
                )
            )
        return figure

    def _source(self, line: int, values: dict[str, str]) -> str:
        said = " ".join(values["claimant"].split())
        if said in self.names:
            return self.names[said][0]
        name = self.merge.get(said, said)
        source_id = slug(name) or f"claimant-row-{line}"
        self.names[said] = (source_id, line)
        if source_id in self.sources:
            self._alias(source_id, said)
            return source_id
        raw_party = values.get("party", "")
        party = THIRD_PARTY
        if raw_party.lower() in YES:
            party = UNNAMED_PARTY
            self.issues.append(
                warning(
                    "import-party-unnamed",
                    f"row {line}: '{name}' is marked as a party to the conflict but no party "
                    f"is named; the ledger says {UNNAMED_PARTY}",
                    self.at(line, "party"),
                    hint="write the party's name (e.g. Ukraine) in the party column",
                )
            )
        elif raw_party.lower() not in NO:
            party = raw_party
        kind = values.get("kind", "").lower() or SourceKind.OTHER.value
        if kind not in {k.value for k in SourceKind}:
            self.issues.append(
                warning(
                    "import-bad-kind",
                    f"row {line}: source kind {values['kind']!r} is not one of "
                    f"{', '.join(k.value for k in SourceKind)}; 'other' is used",
                    self.at(line, "kind"),
                )
            )
            kind = SourceKind.OTHER.value
        self.sources[source_id] = {"id": source_id, "name": name, "kind": kind, "party": party}
        self._alias(source_id, said)
        return source_id

    def _alias(self, source_id: str, said: str) -> None:
        """A merged name joins its source's aliases (the ledger's record of the merge)."""
        source = self.sources[source_id]
        if said != source["name"] and said in self.merge:
            source.setdefault("aliases", [])
            if said not in source["aliases"]:
                source["aliases"].append(said)

    def _document(self, url: str, values: dict[str, str], note: str = "") -> str:
        """The document of a url (or, for a row without one, of its note)."""
        key = url or f"\x00{note}"
        if key in self.documents:
            return str(self.documents[key]["id"])
        parts = urlsplit(url)
        where = (parts.netloc + parts.path).rstrip("/")
        if url:
            base = slug(where) or "document"
        else:
            base = "unpublished-" + (slug(" ".join(note.split()[:6])) or "source")
        doc_id = self.document_ids.take(base)
        notes = f"Imported from {self.name}; not archived yet."
        if note:
            notes += f" The spreadsheet says: {note}"
        self.documents[key] = {
            "id": doc_id,
            "title": values.get("title") or where or (note[:80] if note else "no url given"),
            "publisher": None,
            "published": None,
            "url": url or None,
            "notes": notes,
        }
        if not url:
            del self.documents[key]["url"]
        return doc_id

    def _claim(
        self,
        source: str,
        as_of: str,
        document: str,
        *,
        subject: str | None,
        metric: Metric,
        line: int,
    ) -> _Claim:
        split = 0
        while True:
            key = (source, as_of, document, split)
            claim = self.claims.get(key)
            if claim is None:
                claim = _Claim(source, as_of, document, subject)
                self.claims[key] = claim
                return claim
            if metric not in claim.figures and claim.subject == subject:
                return claim
            split += 1
            if metric in claim.figures and claim.subject == subject:
                self.issues.append(
                    warning(
                        "import-split-claim",
                        f"row {line}: a second {metric.value} figure for the same claimant, "
                        f"date and url (row {claim.rows[0]}); imported as a separate estimate",
                        self.at(line, "metric"),
                    )
                )

    def claimant_issues(self) -> list[Issue]:
        issues: list[Issue] = []
        names = list(self.names.items())
        # the pairs worth a look, met in dictionaries and an index, never pair by
        # pair: one id, the same bare letters, a close spelling (core.spelling), an
        # abbreviation or a bracketed remark (core.names.alike_pairs)
        pairs: set[tuple[int, int]] = set()
        for keys in ([source_id for _, (source_id, _) in names], [bare_name(n) for n, _ in names]):
            pairs.update(_same_key_pairs(keys))
        pairs.update(close_pairs([name.lower() for name, _ in names], CLOSE_SPELLING))
        pairs.update(alike_pairs([name for name, _ in names], spelling=False))
        # in the order a loop over every pair (each name, then each name before it) gave
        for j, i in sorted(pairs, key=lambda pair: (pair[1], pair[0])):
            name, (source_id, first) = names[i]
            other, (other_id, other_first) = names[j]
            if source_id == other_id:
                if self.merge.get(name) == other or self.merge.get(other) == name:
                    continue  # merged on request
                if name in self.merge or other in self.merge:
                    continue  # merged into one source by --merge
                message = f"'{name}' and '{other}' are read as one claimant, id '{source_id}'"
                hint = "use one spelling for one source"
            else:
                message = (
                    f"claimant '{name}' (id '{source_id}') looks like '{other}' "
                    f"(id '{other_id}', row {other_first}): the same source?"
                )
                alias, kept = (name, other) if len(name) >= len(other) else (other, name)
                hint = f"if so, merge them: --merge '{alias}={kept}'"
            issues.append(
                warning(
                    "import-near-duplicate-claimant",
                    f"row {first}: {message}",
                    Location(self.name, first, self.columns["claimant"] + 1),
                    hint=hint,
                )
            )
        return issues

    def ledger(self, title: str, subject: str | None) -> dict[str, Any]:
        if subject is None:
            common = self.subjects.most_common(1)
            subject = common[0][0] if common else f"claims imported from {self.name}"
        estimates: list[dict[str, Any]] = []
        ids = Numbering()
        for claim in self.claims.values():
            estimate_id = ids.take(f"{claim.claimant}-{claim.as_of}"[:76])
            entry: dict[str, Any] = {"id": estimate_id, "claimant": claim.claimant}
            entry["as_of"] = claim.as_of
            if claim.subject and claim.subject != subject:
                entry["subject"] = claim.subject
            for metric in METRICS:
                if metric in claim.figures:
                    figure = claim.figures[metric]
                    plain = figure.text.isdigit() and len(figure.text) <= 15
                    entry[metric.value] = int(figure.text) if plain else figure.text
            reports = [{"document": claim.document, "quote": quote} for quote in claim.quotes]
            if claim.placeholders:
                rows = ", ".join(str(r) for r in claim.placeholder_rows)
                label = "row" if len(claim.placeholder_rows) == 1 else "rows"
                placeholder = f"{PLACEHOLDER} {'; '.join(claim.placeholders)}"
                reports.append({"document": claim.document, "quote": placeholder})
            entry["reported_in"] = reports
            notes = [*claim.notes]
            if claim.placeholders:
                notes.append(
                    f"Imported from {self.name} {label} {rows}. The quote is a placeholder: "
                    "replace it with the article's words once the article is archived."
                )
            if notes:
                entry["notes"] = " ".join(notes)
            estimates.append(entry)
        return {
            "title": title,
            "subject": subject,
            "archive": "archive",
            "sources": list(self.sources.values()),
            "documents": list(self.documents.values()),
            "estimates": estimates,
        }


def _same_key_pairs(keys: list[str]) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of positions with one key: grouped, not compared pairwise."""
    groups: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)
    return {pair for group in groups.values() for pair in itertools.combinations(group, 2)}
