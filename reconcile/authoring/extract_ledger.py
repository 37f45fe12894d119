"""What the ledger tells `extract`: who a guessed claimant is, and when "on Wednesday" was.

`LedgerContext.claimant` matches a name found in an article against the
ledger's sources: by id, name or alias (any case), else by a source name or
alias that the guess contains as whole words ("Ukrainian President Volodymyr
Zelensky" contains the alias "Zelensky"), the longest such match winning.

`relative_as_of` resolves the relative dates articles use ("on Wednesday",
"last week") against the document's publication date; it lives with the
other date readers in `core.prose_dates` and is importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconcile.core.dates import DateSpan
from reconcile.core.models import Ledger
from reconcile.core.prose_dates import Resolved, relative_as_of

__all__ = ["LedgerContext", "Resolved", "relative_as_of"]


@dataclass(frozen=True, slots=True)
class LedgerContext:
    """The ledger's sources and documents, as extract uses them."""

    ledger: Ledger

    def claimant(self, guess: str | None) -> str | None:
        """The id of the source the guessed name is, or None."""
        if not guess:
            return None
        folded = " ".join(guess.casefold().split())
        best: tuple[int, str] | None = None
        for source in self.ledger.sources:
            names = {source.id, source.name, *source.aliases}
            short = re.split(r"[,(]", source.name)[0].strip()
            if short:
                names.add(short)
            core = short.split(" of ")[0]  # "National Intelligence Service" of "... of South Korea"
            if len(core.split()) >= 2:
                names.add(core)
            for name in names:
                candidate = " ".join(name.casefold().split())
                if candidate == folded:
                    return source.id
                if (
                    len(candidate) >= 3
                    and re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", folded)
                    and (best is None or len(candidate) > best[0])
                ):
                    best = (len(candidate), source.id)
        return best[1] if best else None

    def published(self, document: str) -> DateSpan | None:
        for entry in self.ledger.documents:
            if entry.id == document:
                return entry.published
        return None
