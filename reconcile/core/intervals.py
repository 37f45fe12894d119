"""The whole numbers a figure allows (`Interval`), with open ends where a qualifier
leaves them open: the arithmetic under every figure (core/figures.py)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Interval"]


@dataclass(frozen=True, slots=True)
class Interval:
    """The whole numbers a figure allows: from `low` to `high` (None: no upper bound).

    An open end excludes the bound itself: `Interval(3000, None, low_closed=False)`
    is "more than 3,000".  Counts are never negative, so `low` is at least 0.
    """

    low: int
    high: int | None
    low_closed: bool = True
    high_closed: bool = True

    def first(self) -> int:
        """The smallest whole number the interval allows."""
        return self._first()

    def last(self) -> int | None:
        """The largest whole number the interval allows (None: no upper bound)."""
        return self._last()

    def _first(self) -> int:
        return self.low if self.low_closed else self.low + 1

    def _last(self) -> int | None:
        if self.high is None:
            return None
        return self.high if self.high_closed else self.high - 1

    def _empty(self) -> bool:
        last = self._last()
        return last is not None and self._first() > last

    def contains(self, value: int) -> bool:
        last = self._last()
        return self._first() <= value and (last is None or value <= last)

    def overlaps(self, other: Interval) -> bool:
        """Some whole number lies in both."""
        if self._empty() or other._empty():
            return False
        a, b = self._last(), other._last()
        return (a is None or other._first() <= a) and (b is None or self._first() <= b)

    def __add__(self, other: Interval) -> Interval:
        """Every sum x + y of a value in each: how killed and wounded make casualties.

        Exact on whole numbers.  An end is closed when both ends are closed; an
        open end is stated as the nearest bound that excludes the extreme sum,
        so "more than 100" + "200" is "more than 300" (and "more than 100" +
        "more than 200" is "more than 301", as the least possible sum is 302).
        """
        if self._empty() or other._empty():
            return Interval(self.low + other.low, self.low + other.low, high_closed=False)
        first = self._first() + other._first()
        low_closed = self.low_closed and other.low_closed
        low = first if low_closed else first - 1
        a, b = self._last(), other._last()
        if a is None or b is None:
            return Interval(low, None, low_closed)
        high_closed = self.high_closed and other.high_closed
        return Interval(low, a + b if high_closed else a + b + 1, low_closed, high_closed)

    def entirely_below(self, other: Interval) -> bool:
        """Every value of self is below every value of other (false if either is empty)."""
        if self._empty() or other._empty():
            return False
        last = self._last()
        return last is not None and last < other._first()

    def is_exact(self) -> bool:
        """Exactly one whole number."""
        return not self._empty() and self._first() == self._last()
