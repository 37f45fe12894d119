"""Provenance's per-estimate results, kept between runs (`validate --cache DIR`).

Provenance is the costly per-entry work of `validate`: every number of every
quote found and read (checks.provenance).  Its result for one estimate depends
only on the estimate's quotes, figures and wordings, on the archived texts of
the documents it cites (and whether each is read with a decimal comma), and on
the tool itself.  So each estimate's result is stored under the SHA-256 of
those, taken wide (`key`: the estimate's and its documents' entries as written,
every field, so that a check added to provenance later cannot be answered from
an older result), in a pack stamped with the tool's version and a hash of
its source (ingest/cache.py); the result is the estimate's issues, each with
its place *inside* the entry (so an entry that moved in its file is located
afresh), and each quote's numbers (which checks.meaning reads after
provenance).  An entry whose value is not exactly that shape, or whose
numbers are not where it says in the quote, is a miss: recomputed, never
trusted.  With or without the cache, `validate` reports the same issues
(tests/test_cache.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconcile.core.issues import Issue, Location, Severity
from reconcile.core.models import Estimate
from reconcile.core.numbers import NumberMention
from reconcile.ingest.cache import Pack
from reconcile.ingest.composer import Key
from reconcile.ingest.origins import Origins


@dataclass
class Recorder:
    """Stands in for `Origins` while an estimate's issues are made: each `at`
    is answered as Origins answers it, and the path inside the entry kept, in
    order (provenance calls `at` once per issue)."""

    origins: Origins
    paths: list[tuple[Key, ...]] = field(default_factory=list)

    def at(self, entry: object, *rest: Key, key: bool = False) -> Location:
        self.paths.append(rest)
        return self.origins.at(entry, *rest, key=key)


@dataclass
class ProvenanceCache:
    """The pack of one ledger file, as provenance reads and fills it."""

    pack: Pack
    digests: dict[int, str] = field(default_factory=dict)
    """id(text) -> SHA-256 of an archived text (documents sharing a file share it)."""

    def key(
        self,
        estimate: Estimate,
        comma: list[bool],
        texts: Mapping[str, str],
        where: Origins,
        documents: Mapping[str, object],
    ) -> str:
        """The hash of everything provenance's result for `estimate` depends on: the
        estimate's entry as written (every field, not only those read today), the
        entries of the documents it cites and their archived texts, and whether
        each is read with a decimal comma; the tool's fingerprint (in the pack)
        covers how figures are read.  Entries are plain data (str, int, float,
        bool, None, lists and dicts), whose `repr` is exact and fast."""
        parts = [repr(_written(where, estimate))]
        for report, c in zip(estimate.reported_in, comma, strict=True):
            text = texts.get(report.document)
            document = documents.get(report.document)
            parts.append(repr(None if document is None else _written(where, document)))
            parts.append(f"{c}:{None if text is None else self._digest(text)}")
        blob = "\x00".join(parts)
        return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()

    def _digest(self, text: str) -> str:
        found = self.digests.get(id(text))
        if found is None:
            found = self.digests[id(text)] = hashlib.sha256(
                text.encode("utf-8", "surrogatepass")
            ).hexdigest()
        return found

    def get(
        self, key: str, estimate: Estimate, where: Origins, quotes: list[str]
    ) -> tuple[list[Issue], list[list[NumberMention]]] | None:
        """The cached issues (located afresh) and each quote's numbers, or None."""
        value = self.pack.get(key)
        if value is None:
            return None
        try:
            issues, numbers = _decode(value, quotes)
            located = [
                Issue(check, severity, message, where.at(estimate, *path), hint)
                for check, severity, message, hint, path in issues
            ]
        except (TypeError, ValueError, KeyError, IndexError):
            self.pack.forget(key)
            return None
        return located, numbers

    def put(
        self,
        key: str,
        issues: list[Issue],
        paths: list[tuple[Key, ...]],
        numbers: list[list[NumberMention]],
    ) -> None:
        if len(issues) != len(paths) or any(i.unusable for i in issues):
            return  # not the shape this cache knows: never stored
        self.pack.put(
            key,
            {
                "issues": [
                    [i.check, i.severity.value, i.message, i.hint, list(path)]
                    for i, path in zip(issues, paths, strict=True)
                ],
                "numbers": [
                    [[m.value, m.start, m.end, m.text] for m in found] for found in numbers
                ],
            },
        )


def _written(where: Origins, entry: object) -> Any:
    """An entry as its file wrote it (the loaded data), or its place if unknown."""
    _, section, loaded, index = where.places[id(entry)]
    data = loaded.data
    items = data.get(section) if isinstance(data, dict) else None
    if isinstance(items, list) and 0 <= index < len(items):
        return items[index]
    return [loaded.path, section, index]  # pragma: no cover - built from that data


def _decode(
    value: Any, quotes: list[str]
) -> tuple[list[tuple[str, Severity, str, str | None, tuple[Key, ...]]], list[list[NumberMention]]]:
    """A stored value, checked field by field; any surprise raises (a miss)."""
    if not isinstance(value, dict) or set(value) != {"issues", "numbers"}:
        raise ValueError("not a provenance entry")
    issues = []
    for check, severity, message, hint, path in value["issues"]:
        if not (
            isinstance(check, str)
            and isinstance(message, str)
            and (hint is None or isinstance(hint, str))
            and isinstance(path, list)
            and all(isinstance(p, str | int) and not isinstance(p, bool) for p in path)
        ):
            raise ValueError("not an issue")
        issues.append((check, Severity(severity), message, hint, tuple(path)))
    numbers = value["numbers"]
    if not isinstance(numbers, list) or len(numbers) != len(quotes):
        raise ValueError("not one list of numbers per quote")
    mentions = []
    for quote, found in zip(quotes, numbers, strict=True):
        read = []
        for number, start, end, text in found:
            if not (
                type(number) is int
                and type(start) is int
                and type(end) is int
                and isinstance(text, str)
                and 0 <= start <= end <= len(quote)
                and quote[start:end] == text
            ):
                raise ValueError("not a number of this quote")
            read.append(NumberMention(number, start, end, text))
        mentions.append(read)
    return issues, mentions
