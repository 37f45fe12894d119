"""Institutional synonyms: claimant names of one organisation that share no spelling.

"Pentagon leak", "US DoD" and "US Sec of Def" are one organisation, the US Department
of Defense, but no rule of `core.names` (same letters, abbreviation, close spelling)
can tell: only knowing the institutions can.  A small table in a data file,
`institutions.toml` beside this module, lists such names with the reason they are
one ("the Pentagon is the US Department of Defense ..."); `synonym_pairs` finds the
claimant names that mention one institution, for `import`'s did-you-mean and
`validate`'s `near-duplicate-source`.  It suggests, with its reason, and never merges:
the user does (`import --merge`, a source's `aliases`).  docs/workflow.md.

A name mentions an institution when one of the institution's names appears in it as
a run of whole words, case, accents and punctuation aside (`core.names` folds them).
The table is package data, read once (no user file is read here).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reconcile.core.names import name_words as words

__all__ = ["Institution", "institutions", "mentioned", "synonym_pairs"]


@dataclass(frozen=True, slots=True)
class Institution:
    name: str
    """How a suggestion calls it: "the US Department of Defense"."""
    why: str
    """Why its names are one organisation, in one sentence a reviewer can check."""
    names: tuple[str, ...]


@cache
def institutions() -> tuple[Institution, ...]:
    """The table of `institutions.toml`, in its order."""
    text = resources.files(__package__).joinpath("institutions.toml").read_text("utf-8")
    return tuple(
        Institution(str(entry["name"]), str(entry["why"]), tuple(map(str, entry["names"])))
        for entry in tomllib.loads(text)["institution"]
    )


@cache
def _index() -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """First word of a listed name → (the name's words, its institution's index)."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for n, institution in enumerate(institutions()):
        for name in institution.names:
            run = tuple(words(name))
            if run:
                index.setdefault(run[0], []).append((run, n))
    return index


def mentioned(name: str) -> list[Institution]:
    """The institutions a claimant name mentions, in the table's order."""
    table, index = institutions(), _index()
    own = words(name)
    found: set[int] = set()
    for i, word in enumerate(own):
        for run, n in index.get(word, ()):
            if tuple(own[i : i + len(run)]) == run:
                found.add(n)
    return [table[n] for n in sorted(found)]


def synonym_pairs(names: list[str]) -> list[tuple[int, int, Institution]]:
    """Pairs (i, j), i < j, of names that mention one institution, with it.

    Each name that mentions an institution is paired with the shortest name that
    mentions it (the first of equal length), so that following every suggestion
    merges them all into one, and n names give n - 1 suggestions, never n²; names of
    the same words are left to `core.names`, which finds them."""
    members: dict[int, list[int]] = {}
    table = institutions()
    position = {institution.name: n for n, institution in enumerate(table)}
    for i, name in enumerate(names):
        for institution in mentioned(name):
            members.setdefault(position[institution.name], []).append(i)
    found: dict[tuple[int, int], Institution] = {}
    for n, group in members.items():
        hub = min(group, key=lambda i: (len(names[i]), i))
        for i in group:
            if words(names[i]) != words(names[hub]):
                found.setdefault((min(i, hub), max(i, hub)), table[n])
    return [(i, j, institution) for (i, j), institution in sorted(found.items())]
