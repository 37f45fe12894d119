"""`reconcile import --into LEDGER`: a spreadsheet's claims added to the ledger you have.

The importer builds ledger data from the CSV as if for a new ledger; this
module matches it against the existing ledger and keeps only what is new:

- a claimant is an existing source when its name is that source's id, name or
  alias (any case, punctuation ignored), or when `--alias "NAME=ID"` says so;
  a new claimant whose name looks like an existing source's is added but
  reported (`import-near-duplicate-claimant`, with the `--alias` that would
  merge it);
- a document is an existing one when its url is the same (scheme, `www.`,
  case of the host and a trailing slash ignored); a row without a url becomes
  an unarchived document carrying the spreadsheet's note;
- an estimate is left out when the ledger already has the same claim: the
  same claimant, the same `as_of` and the same figures.

New ids never collide with the ledger's.  Pure: data in, data and issues out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reconcile.core.figures import FigureError, parse_figure
from reconcile.core.institutions import mentioned
from reconcile.core.issues import Issue, Location, warning
from reconcile.core.models import METRICS, Estimate, Ledger

NEAR = 0.85


@dataclass(frozen=True, slots=True)
class Merge:
    """What to add to the ledger, and what was matched or left out."""

    sources: tuple[dict[str, Any], ...]
    documents: tuple[dict[str, Any], ...]
    estimates: tuple[dict[str, Any], ...]
    matched_sources: dict[str, str]
    """Imported claimant name -> existing source id."""
    matched_documents: dict[str, str]
    """Imported url -> existing document id."""
    duplicates: tuple[tuple[str, str], ...]
    """(imported estimate id, the existing estimate it repeats)."""
    issues: tuple[Issue, ...]


def key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def url_key(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # 'https://[x': no host to read; the text itself is the key
        return url.strip().casefold()
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def merge(
    imported: dict[str, Any],
    ledger: Ledger,
    *,
    aliases: dict[str, str] | None = None,
    name: str = "the CSV",
) -> Merge:
    """Match `imported` (import_csv's data) against `ledger`."""
    issues: list[Issue] = []
    renamed, matched_sources, new_sources = _sources(imported, ledger, aliases, name, issues)
    by_url = {url_key(d.url): d.id for d in ledger.documents if d.url}
    # a document without a url is the one of the same title (the spreadsheet's note)
    by_title = {key(d.title): d.id for d in ledger.documents if not d.url}
    taken_documents = {d.id for d in ledger.documents}
    documents: dict[str, str] = {}
    matched_documents: dict[str, str] = {}
    new_documents: list[dict[str, Any]] = []
    for document in imported.get("documents", []):
        url = document.get("url")
        if url and url_key(url) in by_url:
            documents[document["id"]] = by_url[url_key(url)]
            matched_documents[url] = by_url[url_key(url)]
            continue
        if not url and key(str(document["title"])) in by_title:
            documents[document["id"]] = by_title[key(str(document["title"]))]
            continue
        new_id = _unique(str(document["id"]), taken_documents)
        documents[document["id"]] = new_id
        new_documents.append({**document, "id": new_id})
    existing = {_claim(e.claimant, e.as_of.text, e.model_dump(mode="json")): e.id
                for e in ledger.estimates}  # fmt: skip
    taken_estimates = {e.id for e in ledger.estimates}
    new_estimates: list[dict[str, Any]] = []
    duplicates: list[tuple[str, str]] = []
    for estimate in imported.get("estimates", []):
        claimant = renamed.get(estimate["claimant"], estimate["claimant"])
        claim = _claim(claimant, str(estimate["as_of"]), estimate)
        if claim in existing:
            duplicates.append((str(estimate["id"]), existing[claim]))
            continue
        base = f"{claimant}-{estimate['as_of']}" if claimant != estimate["claimant"] else None
        new_id = _unique(base or str(estimate["id"]), taken_estimates)
        existing[claim] = new_id
        reports = [
            {**report, "document": documents.get(report["document"], report["document"])}
            for report in estimate["reported_in"]
        ]
        new_estimates.append(
            {**estimate, "id": new_id, "claimant": claimant, "reported_in": reports}
        )
    # sources and documents only of the claims that are added
    cited = {report["document"] for e in new_estimates for report in e["reported_in"]}
    claimants = {e["claimant"] for e in new_estimates}
    return Merge(
        tuple(s for s in new_sources if s["id"] in claimants),
        tuple(d for d in new_documents if d["id"] in cited),
        tuple(new_estimates),
        matched_sources,
        matched_documents,
        tuple(duplicates),
        tuple(issues),
    )


def _sources(
    imported: dict[str, Any],
    ledger: Ledger,
    aliases: dict[str, str] | None,
    name: str,
    issues: list[Issue],
) -> tuple[dict[str, str], dict[str, str], list[dict[str, Any]]]:
    """(imported id -> ledger id, claimant name -> matched id, new sources)."""
    wanted = {key(k): v for k, v in (aliases or {}).items()}
    by_name: dict[str, str] = {}
    for source in ledger.sources:
        for label in (source.id, source.name, *source.aliases):
            by_name.setdefault(key(label), source.id)
    source_ids = {source.id for source in ledger.sources}
    for alias_name, target in wanted.items():
        if target not in source_ids:
            issues.append(
                warning(
                    "import-unknown-alias",
                    f"--alias {alias_name!r}={target!r}: '{target}' is not a source of the "
                    "ledger; the alias is not used",
                    Location(name),
                    hint=_hint(target, sorted(source_ids)),
                )
            )
    taken = set(source_ids)
    renamed: dict[str, str] = {}
    matched: dict[str, str] = {}
    new_sources: list[dict[str, Any]] = []
    for source in imported.get("sources", []):
        label = str(source["name"])
        found = wanted.get(key(label))
        if found not in source_ids:
            found = by_name.get(key(label)) or by_name.get(key(str(source["id"])))
        if found is not None:
            renamed[source["id"]] = found
            matched[label] = found
            continue
        new_id = _unique(str(source["id"]), taken)
        renamed[source["id"]] = new_id
        new_sources.append({**source, "id": new_id})
        near, why = _near_source(label, ledger)
        if near is not None:
            issues.append(
                warning(
                    "import-near-duplicate-claimant",
                    (
                        f"claimant '{label}' looks like the ledger's source '{near}'"
                        if why is None
                        else f"claimant '{label}' and the ledger's source '{near}' {why}"
                    )
                    + f"; it is added as a new source '{new_id}'",
                    Location(name),
                    hint=f'if it is the same, import again with --alias "{label}={near}"',
                )
            )
    return renamed, matched, new_sources


def same_claim(existing: Estimate, entry: dict[str, Any]) -> bool:
    """Whether a new entry states the claim an estimate of the ledger records."""
    mine = _claim(str(entry.get("claimant")), str(entry.get("as_of")), entry)
    return mine == _claim(existing.claimant, existing.as_of.text, existing.model_dump(mode="json"))


def _claim(claimant: str, as_of: str, entry: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two estimates one claim: claimant, date and figures (as intervals)."""
    figures: list[tuple[Any, ...]] = []
    for metric in METRICS:
        value = entry.get(metric.value)
        if value is None:
            continue
        try:
            figure = parse_figure(value)
        except FigureError:
            figures.append((metric.value, str(value)))
            continue
        interval = figure.interval
        figures.append(
            (metric.value, interval.low, interval.high, interval.low_closed, interval.high_closed)
        )
    return (claimant, as_of, tuple(figures))


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base[:76], 2
    while candidate in taken:
        candidate, number = f"{base[:76]}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _near_source(label: str, ledger: Ledger) -> tuple[str | None, str | None]:
    """The ledger's source a new claimant's name looks like, by spelling; else one that
    names the same institution (`core.institutions`), with the words saying so."""
    folded = key(label)
    best: tuple[float, str] | None = None
    for source in ledger.sources:
        for name in (source.name, *source.aliases):
            ratio = difflib.SequenceMatcher(None, folded, key(name)).ratio()
            if ratio >= NEAR and (best is None or ratio > best[0]):
                best = (ratio, source.id)
    if best is not None:
        return best[1], None
    mine = {institution.name: institution for institution in mentioned(label)}
    for source in ledger.sources if mine else ():
        for name in (source.name, *source.aliases):
            for institution in mentioned(name):
                if institution.name in mine:
                    return source.id, f"both name {institution.name} ({institution.why})"
    return None, None


def _hint(word: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(word, known, n=1)
    return f"did you mean '{close[0]}'?" if close else None
