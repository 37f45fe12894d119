"""What every check runs over: the ledger, where its entries came from, the
archived texts that could be read, the day it runs, and what the checks share
within one run (each quote's normalised text and numbers, each document's
normalised text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from reconcile.core.issues import Issue
from reconcile.core.models import Estimate, Ledger, decimal_commas
from reconcile.core.text import normalise
from reconcile.ingest.loader import Loaded
from reconcile.ingest.originals import Originals
from reconcile.ingest.origins import Origins

T = TypeVar("T")


class Quotes(dict[str, str]):
    """Each quote as written -> its normalised text (core/text.py `normalise`),
    computed the first time a check asks for it: the checks that read quotes
    (provenance, meaning, evidence, timing) normalise each quote once per run."""

    def __missing__(self, quote: str) -> str:
        found = normalise(quote)
        if found == quote:  # most quotes are normal already: keep one string, not two
            found = quote
        self[quote] = found
        return found


@dataclass(frozen=True, slots=True)
class Context:
    ledger: Ledger
    origins: Origins
    texts: Mapping[str, str] = field(default_factory=dict)
    """The archived text of each document that could be read, by document id."""
    today: date = field(default_factory=date.today)
    files: Sequence[Loaded] = ()
    """The files the ledger was read from (the root, then those it includes)."""
    originals: Originals | None = None
    """The root ledger's archived originals, hashed on demand (ingest/originals.py)."""
    numbers: Any = None
    """provenance.Numbers: each quote's numbers, shared by the checks that read quotes."""
    bodies: dict[str, str] = field(default_factory=dict)
    """Each document's normalised text, filled by provenance for the checks after it."""
    acknowledged: list[tuple[object, str, Issue]] = field(default_factory=list)
    """Warnings a check found acknowledged by their entry: (the entry, the check id,
    the warning) (checks/acknowledge.py)."""
    cache: Any = None
    """checks.cached.ProvenanceCache: provenance's results kept between runs, if asked."""
    quotes: Quotes = field(default_factory=Quotes)
    """Each quote's normalised text, shared by the checks that read quotes."""
    estimates: Sequence[Estimate] | None = None
    """The estimates whose own checks this call runs (None: all of them).  The
    checks in `checks.parallel.SPLIT` honour it; checks.parallel gives each
    process a share of the estimates."""
    whole: bool = True
    """Whether this call runs the checks across entries (once per run, in one process)."""
    memo: dict[str, Any] = field(default_factory=dict)
    """What a check keeps from one call to the next within a run, by name (each
    document's sentences, its year-like numbers, ...): checks.parallel calls each
    check once per chunk of estimates, and each document is read once per process."""

    def once(self, name: str, make: Callable[[], T]) -> T:
        """What `make` gives, made the first time a check asks for `name` in this
        run and kept (`memo`)."""
        if name not in self.memo:
            self.memo[name] = make()
        return cast("T", self.memo[name])

    def kept(self, name: str) -> dict[Any, Any]:
        """The dict a check fills under `name` for the rest of the run."""
        return self.once(name, dict)

    def decimal_commas(self) -> dict[str, bool]:
        """models.decimal_commas of the ledger, worked out once per run."""
        return self.once("decimal_commas", lambda: decimal_commas(self.ledger))

    @property
    def own(self) -> Sequence[Estimate]:
        """The estimates whose own checks this call runs."""
        return self.ledger.estimates if self.estimates is None else self.estimates
