"""Where each ledger entry came from, so checks over models can point at lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reconcile.issues import Location
from reconcile.loader import Key, Loaded


@dataclass(frozen=True, slots=True)
class Origins:
    """For each section, the file and original index of every entry kept.

    Entries that failed the schema are dropped from the ledger, so positions in
    the ledger's tuples differ from positions in the file; this maps them back.
    """

    header: Loaded | None = None
    entries: dict[str, list[tuple[Loaded, int]]] = field(default_factory=dict)
    invalid_ids: dict[str, set[str]] = field(default_factory=dict)
    """Ids of entries dropped by the schema: references to them are not reported again."""
    failed: dict[str, list[tuple[Loaded, int, Any]]] = field(default_factory=dict)
    """Entries dropped by the schema, as written (file, original index, data): the
    checks that can still read them run on them too, so one run reports everything."""

    def where(self, section: str, index: int, *rest: Key, key: bool = False) -> Location:
        loaded, original = self.entries[section][index]
        return loaded.locate((section, original, *rest), key=key)

    def top(self, *path: Key, key: bool = False) -> Location:
        if self.header is None:
            return Location("<ledger>", 0, 0)
        return self.header.locate(path, key=key)
