"""Where each ledger entry came from, so checks over models can point at lines.

Built once, with the ledger, and read-only from then on; an entry's place is
looked up by the entry itself (`Origins.at`), never by its position in the
ledger's tuples, which differs from its position in its file when entries
before it failed the schema."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconcile.core.issues import Location
from reconcile.core.readonly import ReadOnly
from reconcile.ingest.composer import Key
from reconcile.ingest.entry_lines import same_data
from reconcile.ingest.loader import Loaded


@dataclass(frozen=True, slots=True)
class Origins:
    """For every entry kept: its section, its file and its index in that file."""

    header: Loaded | None = None
    entries: Mapping[str, tuple[tuple[Loaded, int], ...]] = field(
        default_factory=lambda: ReadOnly({})
    )
    invalid_ids: Mapping[str, frozenset[str]] = field(default_factory=lambda: ReadOnly({}))
    """Ids of entries dropped by the schema: references to them are not reported again."""
    failed: Mapping[str, tuple[tuple[Loaded, int, Any], ...]] = field(
        default_factory=lambda: ReadOnly({})
    )
    """Entries dropped by the schema, as written (file, original index, data): the
    checks that can still read them run on them too, so one run reports everything."""
    places: Mapping[int, tuple[Any, str, Loaded, int]] = field(default_factory=lambda: ReadOnly({}))
    """id(entry) -> (the entry, kept alive here; its section; its file; its index there)."""

    @classmethod
    def of(
        cls,
        header: Loaded,
        sections: Mapping[str, Iterable[Any]],
        entries: Mapping[str, list[tuple[Loaded, int]]],
        invalid_ids: Mapping[str, set[str]] | None = None,
        failed: Mapping[str, list[tuple[Loaded, int, Any]]] | None = None,
    ) -> Origins:
        """The origins of the entries of `sections` (the ledger's sources, documents
        and estimates), given in order with where each came from in `entries`."""
        places = {
            id(entry): (entry, name, loaded, index)
            for name, kept in sections.items()
            for entry, (loaded, index) in zip(kept, entries[name], strict=True)
        }
        return cls(
            header,
            ReadOnly({name: tuple(found) for name, found in entries.items()}),
            ReadOnly({name: frozenset(ids) for name, ids in (invalid_ids or {}).items()}),
            ReadOnly({name: tuple(items) for name, items in (failed or {}).items()}),
            ReadOnly(places),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (a check run in a child process), the places are keyed again by
        the entries as unpickled: `id()` differs from one process to another."""
        return (
            _rebuilt,
            (self.header, self.entries, self.invalid_ids, self.failed, tuple(self.places.values())),
        )

    def file_of(self, entry: object) -> Loaded:
        """The file an entry was read from."""
        return self.places[id(entry)][2]

    def origin(self, entry: object) -> tuple[Loaded, int]:
        """The file an entry was read from and its index in that file's section."""
        _, _, loaded, index = self.places[id(entry)]
        return loaded, index

    def at(self, entry: object, *rest: Key, key: bool = False) -> Location:
        """Where an entry (or, with `rest`, a value inside it) stands in its file."""
        _, section, loaded, index = self.places[id(entry)]
        return loaded.locate((section, index, *rest), key=key)

    def top(self, *path: Key, key: bool = False) -> Location:
        if self.header is None:
            return Location("<ledger>", 0, 0)
        return self.header.locate(path, key=key)


def _rebuilt(
    header: Loaded | None,
    entries: Mapping[str, tuple[tuple[Loaded, int], ...]],
    invalid_ids: Mapping[str, frozenset[str]],
    failed: Mapping[str, tuple[tuple[Loaded, int, Any], ...]],
    placed: tuple[tuple[Any, str, Loaded, int], ...],
) -> Origins:
    return Origins(header, entries, invalid_ids, failed, ReadOnly({id(p[0]): p for p in placed}))


def as_built(origins: Origins) -> Callable[[Loaded, str, int, Any], bool]:
    """`Loaded.release`'s check, for the files of the ledger `origins` describes:
    whether `data`, read again from the lines of entry `index` of `section` of
    `loaded`, is that entry.  An entry the schema dropped is kept as written
    (`failed`): `data` must be exactly it, as before the release.  A built entry:
    `data` must set the same fields and the schema must build it into an equal
    entry.  Only an entry identical in meaning could pass for another; the
    locating it serves (ingest/loader.py `_entry_tables`) finds an entry's lines
    by their `- `, checks their count first, and reads the whole file whenever
    this says no.  The index of entries by place is made on first use."""
    placed: dict[tuple[int, str, int], tuple[bool, Any]] = {}

    def same(loaded: Loaded, section: str, index: int, data: Any) -> bool:
        if not placed:
            for entry, name, file, at in origins.places.values():
                placed[id(file), name, at] = (True, entry)
            for name, items in origins.failed.items():
                for file, at, item in items:
                    placed[id(file), name, at] = (False, item)
        built, entry = placed.get((id(loaded), section, index), (False, _NOTHING))
        if entry is _NOTHING:
            return False
        if not built:
            return same_data(data, entry)
        if not isinstance(data, dict) or set(data) != entry.model_fields_set:
            return False
        try:
            return bool(type(entry).model_validate(data) == entry)
        except ValueError:  # pydantic's ValidationError: not this entry
            return False

    return same


_NOTHING = object()
