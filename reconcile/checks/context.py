"""What every check runs over: the ledger, where its entries came from, the
archived texts that could be read, the day it runs, and what the checks share
within one run (each quote's normalised text and numbers, each document's
normalised text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reconcile.core.issues import Issue
from reconcile.core.models import Ledger
from reconcile.core.text import normalise
from reconcile.ingest.loader import Loaded
from reconcile.ingest.originals import Originals
from reconcile.ingest.origins import Origins


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
