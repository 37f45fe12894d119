"""What every check runs over: the ledger, where its entries came from, the
archived texts that could be read, and the day it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from reconcile.core.models import Ledger
from reconcile.ingest.origins import Origins


@dataclass(frozen=True, slots=True)
class Context:
    ledger: Ledger
    origins: Origins
    texts: Mapping[str, str] = field(default_factory=dict)
    """The archived text of each document that could be read, by document id."""
    today: date = field(default_factory=date.today)
