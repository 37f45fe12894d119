"""`reconcile add`: one new source, document or estimate, checked, then written.

The entry is spliced into the ledger file (`roundtrip.append_entry`: nothing
else in the file changes), the result is written to a temporary file beside
the ledger and validated there exactly as `reconcile validate` would, and only
when the new entry has no error is the temporary file renamed over the ledger
(`roundtrip.atomic_write`).  Problems of the new entry are reported with the
same located messages as `validate` (lines of the new file); problems the
ledger already had elsewhere are counted, not blamed on the addition.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.authoring.columns import slug
from reconcile.checks.run import check_file
from reconcile.core.issues import Issue, Location, Severity, error, unusable
from reconcile.core.models import METRICS
from reconcile.ingest.loader import load_file
from reconcile.ingest.reader import DEFAULT_MAX_BYTES, read_regular
from reconcile.ingest.roundtrip import EditError, append_entries, atomic_write

SECTION_OF = {"source": "sources", "document": "documents", "estimate": "estimates"}


@dataclass(frozen=True, slots=True)
class Added:
    """What `add` did (or would do) to a ledger file."""

    path: str
    section: str
    entry_id: str
    diff: str = ""
    first_line: int = 0
    last_line: int = 0
    issues: tuple[Issue, ...] = ()
    """Problems of the new entry (errors refuse it) or why the file cannot be edited."""
    elsewhere: int = 0
    """Errors the ledger has outside the new entry (already there before)."""
    written: bool = False
    entry: dict[str, Any] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return any(issue.severity is Severity.ERROR for issue in self.issues)


def add_entry(
    path: Path,
    kind: str,
    entry: dict[str, Any],
    *,
    display: str | None = None,
    write: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Added:
    """Add `entry` to the `kind` section (source, document, estimate) of the ledger file."""
    return add_entries(path, [(kind, entry)], display=display, write=write, max_bytes=max_bytes)


def add_entries(
    path: Path,
    entries: list[tuple[str, dict[str, Any]]],
    *,
    display: str | None = None,
    write: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Added:
    """Add several entries ((kind, entry) pairs) in one checked, atomic write.

    Nothing is written when any new entry has an error.  `Added.entry_id` names
    the single entry, or counts them; the line range spans every new line.
    """
    name = display if display is not None else str(path)
    sections = [SECTION_OF[kind] for kind, _ in entries]
    section = sections[0] if len(set(sections)) == 1 else "entries"
    entry = entries[0][1] if len(entries) == 1 else {}
    entry_id = str(entry.get("id", "")) if len(entries) == 1 else f"{len(entries)} entries"
    here = Location(name)

    def refused(problem: Issue) -> Added:
        return Added(name, section, entry_id, issues=(problem,), entry=entry)

    raw = read_regular(path, max_bytes)  # the one reader: a regular file, capped
    if isinstance(raw, str):
        if raw.startswith("is over"):
            return refused(unusable("too-large", f"the file is over {max_bytes:,} bytes", here))
        return refused(unusable("read", f"the file {raw}", here))
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return refused(unusable("encoding", "the file is not UTF-8 text", here))
    new = text
    try:
        for part in dict.fromkeys(sections):  # one splice per section, entries in order
            items = [item for kind, item in entries if SECTION_OF[kind] == part]
            new = append_entries(new, part, items).text
    except EditError as exc:
        return refused(unusable("edit", str(exc), here))
    old_lines = text.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    inserted: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            inserted.update(range(j1 + 1, j2 + 1))
    diff = "".join(difflib.unified_diff(old_lines, new_lines, fromfile=name, tofile=name, n=1))
    found: dict[str, Any] = {}

    def acceptable(temporary: Path) -> bool:
        checked = check_file(temporary, display=name, max_bytes=max_bytes)
        own = tuple(
            issue
            for issue in checked.issues
            if issue.location.path == name and issue.location.line in inserted
        )
        found["own"] = own
        found["elsewhere"] = sum(
            issue.severity is Severity.ERROR for issue in checked.issues if issue not in own
        )
        found["unusable"] = checked.ledger is None
        return write and not any(issue.severity is Severity.ERROR for issue in own)

    written = atomic_write(path, ("\ufeff" if bom else "") + new, check=acceptable)
    issues: tuple[Issue, ...] = found.get("own", ())
    if found.get("unusable"):
        issues = (*issues, unusable("edit", "the ledger cannot be read; fix it first", here))
    content = sorted(line for line in inserted if new_lines[line - 1].strip())
    return Added(
        name,
        section,
        entry_id,
        diff,
        content[0] if content else 0,
        content[-1] if content else 0,
        issues,
        found.get("elsewhere", 0),
        written,
        entry,
    )


def compact(entry: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """The entry without the fields left unset (None, empty), except those in `keep`."""
    pruned: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in keep and (value is None or value in ([], {})):
            continue
        if isinstance(value, dict):
            pruned[key] = compact(value)
        elif isinstance(value, list):
            pruned[key] = [compact(item) if isinstance(item, dict) else item for item in value]
        else:
            pruned[key] = value
    return pruned


def figure_value(text: str) -> int | str:
    """A figure as the ledger writes it: a bare whole number as a number, else the words."""
    stripped = text.strip()
    return int(stripped) if re.fullmatch(r"[0-9]{1,15}", stripped) else stripped


def unique_id(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... when it is taken."""
    used = set(taken)
    base = slug(base) or "entry"
    if base not in used:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def source_entry(
    *,
    id: str,
    name: str,
    kind: str,
    party: str,
    aliases: list[str] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    entry = {
        "id": id,
        "name": name,
        "kind": kind,
        "party": party,
        "aliases": list(aliases or []),
        "notes": notes,
    }
    return compact(entry)


def document_entry(
    *,
    id: str,
    title: str,
    path: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
    language: str | None = None,
    relays: list[str] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """publisher and published are written even when unknown (null), as the format asks."""
    entry: dict[str, Any] = {"id": id}
    if path is not None:
        entry["path"] = path
    entry["title"] = title
    entry["publisher"] = publisher
    entry["published"] = published
    entry.update(url=url, language=language, relays=list(relays or []), notes=notes)
    return compact(entry, keep=("publisher", "published"))


def estimate_entry(
    *,
    id: str,
    claimant: str,
    as_of: str,
    figures: dict[str, str],
    document: str,
    quote: str,
    wording: dict[str, str] | None = None,
    subject: str | None = None,
    period: str | None = None,
    report_notes: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": id,
        "claimant": claimant,
        "as_of": as_of,
        "subject": subject,
        "period": period,
    }
    for metric in METRICS:
        if figures.get(metric.value) is not None:
            entry[metric.value] = figure_value(figures[metric.value])
    report: dict[str, Any] = {"document": document, "quote": quote}
    if wording:
        report["wording"] = {metric: figure_value(words) for metric, words in wording.items()}
    report["notes"] = report_notes
    entry["reported_in"] = [report]
    entry["notes"] = notes
    return compact(entry)


_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]+):")
_REPORT_FIELDS = ("document", "quote", "wording", "notes")


@dataclass(frozen=True, slots=True)
class FromExtract:
    """What `add --from-extract` did with each estimate of an extract file."""

    added: tuple[Added, ...] = ()
    refused: tuple[Added, ...] = ()
    skipped: tuple[str, ...] = ()
    """Ids already in the ledger."""
    issues: tuple[Issue, ...] = ()
    """Problems located in the extract file (refused entries, unreadable entries)."""


def add_from_extract(
    ledger_path: Path, extract_path: Path, *, display: str | None = None, write: bool = True
) -> FromExtract:
    """Add every estimate of a `reconcile extract --format yaml` file that validates.

    Each is added on its own (an entry with errors does not stop the others); its
    errors are located in the extract file, at the field they concern, so that the
    file can be corrected and the command run again (entries whose id is in the
    ledger already are skipped).
    """
    name = str(extract_path)
    loaded = load_file(extract_path)
    if not loaded.usable:
        return FromExtract(issues=loaded.issues)
    data = loaded.data
    entries = data.get("estimates") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problem = unusable(
            "not-a-ledger",
            "no 'estimates:' list; give the output of reconcile extract --format yaml",
            Location(name, 1, 1),
        )
        return FromExtract(issues=(problem,))
    checked = check_file(ledger_path, display=display)
    if checked.ledger is None:
        problem = unusable("edit", "the ledger cannot be read; fix it first", Location(name))
        return FromExtract(issues=(*checked.issues, problem))
    known = {estimate.id for estimate in checked.ledger.estimates}
    added: list[Added] = []
    refused: list[Added] = []
    skipped: list[str] = []
    issues: list[Issue] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            issues.append(
                error(
                    "wrong-type",
                    "an estimate must be a mapping of fields",
                    loaded.locate(("estimates", index)),
                )
            )
            continue
        if entry.get("id") in known:
            skipped.append(str(entry["id"]))
            continue
        result = add_entry(ledger_path, "estimate", entry, display=display, write=write)
        if result.refused or any(issue.unusable for issue in result.issues):
            refused.append(result)
            issues.extend(_relocated(result, loaded, index))
        else:
            added.append(result)
            known.add(str(entry.get("id")))
    return FromExtract(tuple(added), tuple(refused), tuple(skipped), tuple(issues))


def _relocated(result: Added, loaded: Any, index: int) -> list[Issue]:
    """The new entry's issues, placed at the same field of the extract file."""
    lines = result.diff.splitlines()
    added_lines = [
        line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")
    ]
    while added_lines and not added_lines[0].strip():
        added_lines.pop(0)
    moved: list[Issue] = []
    for issue in result.issues:
        offset = issue.location.line - result.first_line
        path: tuple[Any, ...] = ("estimates", index)
        if issue.location.line > 0 and 0 <= offset < len(added_lines):
            match = _KEY.match(added_lines[offset])
            if match:
                key = match.group(1)
                path = (
                    ("estimates", index, "reported_in", 0, key)
                    if key in _REPORT_FIELDS
                    and offset > 0
                    and "reported_in" in "".join(added_lines[:offset])
                    else ("estimates", index, key)
                )
        where = loaded.locate(path)
        moved.append(
            Issue(issue.check, issue.severity, issue.message, where, issue.hint, issue.unusable)
        )
    return moved
