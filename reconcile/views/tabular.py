"""Tables as plain data: what a report shows, before any rendering.

Analyses return result models; a command turns its result into `Table`s
(cells already written the way a reporter would, e.g. "~3,800"), and
`render.render_tables` draws them as a terminal table, CSV or Markdown.  JSON
output does not go through tables: it serialises the result model itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import overload

Value = str | int | float | bool | None
"""One datum of a record: CSV writes it as is (an integer without separators,
true/false, empty for None)."""
Record = dict[str, Value]


class Records(Sequence[Record]):
    """A table's records made when first read: CSV reads them, a terminal table
    or Markdown never does, so a long report's rows are not made twice for
    nothing.  Equal to any sequence of the same records."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], Iterable[Record]]) -> None:
        self._make = make
        self._made: tuple[Record, ...] | None = None

    def _all(self) -> tuple[Record, ...]:
        if self._made is None:
            self._made = tuple(self._make())
        return self._made

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Record, ...]: ...
    def __getitem__(self, index: int | slice) -> Record | tuple[Record, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Record]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return self._all() == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # records are dicts: never hashable

    def __repr__(self) -> str:
        return f"Records({self._all()!r})"


class Align(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Column:
    """A column; only `wrap` columns (prose) wrap, so ids, dates and counts stay whole."""

    name: str
    align: Align = Align.LEFT
    wrap: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A titled grid of text cells; `caption` is an optional line under it.

    `records` are the same rows as data, for CSV: one value per column (plain
    integers for counts and bounds, ISO dates, ids, the words apart), under
    the name `name` in CSV's `table` column; a long table's are `Records`, made
    only if CSV (or --limit) reads them."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    records: Sequence[Record] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} does not have {len(self.columns)} cells")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"


SUFFIXES: dict[str, OutputFormat] = {
    ".json": OutputFormat.JSON,
    ".csv": OutputFormat.CSV,
    ".md": OutputFormat.MD,
    ".markdown": OutputFormat.MD,
    ".txt": OutputFormat.TABLE,
}
