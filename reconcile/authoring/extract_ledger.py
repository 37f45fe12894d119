"""What the ledger tells `extract`: who a guessed claimant is.

`LedgerContext.claimant` matches a name found in an article against the
ledger's sources: by id, name or alias (any case), else by a source name or
alias that the guess contains as whole words ("Ukrainian President Volodymyr
Zelensky" contains the alias "Zelensky"), the longest such match winning.
`claimant_of` is the one answer every view of `extract` gives (its table, its
JSON, its YAML drafts): the source's id when the ledger has it, else an id
made from the guessed words, with those words beside it.  ("on Wednesday" is
read by `core.prose_dates.relative_as_of`, with the other readers of prose dates.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reconcile.authoring.columns import slug
from reconcile.authoring.extract import Extracted
from reconcile.core.dates import DateSpan
from reconcile.core.models import Ledger


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


@dataclass(frozen=True, slots=True)
class Claimant:
    """Who an extracted figure's claimant is, as every view of extract shows it."""

    id: str
    """The ledger's source id; else an id made from the guessed words; else "unknown"."""
    known: bool
    """`id` is a source of the ledger."""
    words: str | None
    """The name as the article gives it ("South Korean spy agency")."""
    cue: str | None
    """The attribution word that found it ("said", "according to")."""

    def label(self) -> str:
        """For a table: "nis: South Korean spy agency (stating)"; a claimant the
        ledger lacks is marked new; none found is "unknown"."""
        cue = f" ({self.cue})" if self.cue else ""
        if self.words is None:
            return f"{self.id}{cue}"
        return f"{self.id}{'' if self.known else ' (new)'}: {self.words}{cue}"

    def to_json(self) -> dict[str, str | bool | None]:
        return {"claimant_id": self.id, "claimant_in_ledger": self.known}


def claimant_of(found: Extracted, context: LedgerContext | None) -> Claimant:
    """The figure's claimant resolved against the ledger's sources and aliases."""
    known = context.claimant(found.claimant) if context is not None else None
    if known is not None:
        return Claimant(known, True, found.claimant, found.claimant_cue)
    made = slug(found.claimant) if found.claimant else ""
    return Claimant(made or "unknown", False, found.claimant, found.claimant_cue)
