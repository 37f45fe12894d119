"""Claimant names that look like one organisation: the did-you-mean of `import` and `validate`.

Real spreadsheets name one organisation several ways: "UK MoD" and "UK Ministry of
Defence", "CSIS" and "The Centre for Strategic and International Studies", "Mediazona;
Meduza" and "Mediazona; Meduza (cumulative)".  `looks_alike` catches these by rules a
reader can check (docs/workflow.md): the same letters once punctuation, case and a
bracketed remark are set aside; one name an abbreviation of the other (initials of a run
of words, with or without "of", "and", "the"); or a close spelling.  It never merges
anything itself: it suggests, and the user merges (`import --merge`, a source's
`aliases`).  Names that only share a role ("US officials" relayed by two outlets) are
suggested too, as a question.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from reconcile.core.spelling import close_pairs, is_close

__all__ = ["CLOSE_SPELLING", "alike_pairs", "looks_alike"]

CLOSE_SPELLING = 0.85
"""difflib ratio above which two names are taken for spellings of one."""

_STOP = frozenset({"of", "and", "the", "for", "on", "in", "de", "&"})
_BRACKETED = re.compile(r"\([^)]*\)?")
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def name_words(name: str) -> list[str]:
    """A name's words, case, accents and punctuation folded ("U.S. MoD" -> us, mod)."""
    return [
        w.replace(".", "").replace("'", "").replace("’", "") for w in _WORD.findall(_fold(name))
    ]


def _bare(name: str) -> str:
    return "".join(name_words(name))


def _abbreviations(words: list[str]) -> set[str]:
    """The name with one run of two or more words replaced by its initials (with or
    without the small words), leading "the" dropped: 'uk ministry of defence' → 'ukmod'."""
    if words and words[0] == "the":
        words = words[1:]
    found: set[str] = set()
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + 12) + 1):
            run = words[i:j]
            if run[0] in _STOP or run[-1] in _STOP or any(w[0].isdigit() for w in run):
                continue  # "number 11" is no abbreviation of anything
            head, tail = "".join(words[:i]), "".join(words[j:])
            found.add(head + "".join(w[0] for w in run) + tail)
            found.add(head + "".join(w[0] for w in run if w not in _STOP) + tail)
    return found


def looks_alike(name: str, other: str, *, spelling: bool = True) -> bool:
    """Whether two claimant names may well be one organisation (see the module doc);
    `spelling=False`: not by a close spelling alone."""
    a, b = _bare(name), _bare(other)
    if not a or not b:
        return False
    if a == b:
        return True
    plain_a, plain_b = _bare(_BRACKETED.sub(" ", name)), _bare(_BRACKETED.sub(" ", other))
    if plain_a and plain_a == plain_b:
        return True
    words_a, words_b = name_words(name), name_words(other)
    if a in _abbreviations(words_b) or b in _abbreviations(words_a):
        return True
    return spelling and difflib.SequenceMatcher(
        None, name.casefold(), other.casefold()
    ).ratio() >= (CLOSE_SPELLING)


def alike_pairs(names: list[str], *, spelling: bool = True) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of names that `looks_alike`, without a full comparison of
    every pair: exact keys (bare letters, bracket-stripped, abbreviations) meet in a
    dictionary, and close spellings come from `core.spelling.close_pairs`, which
    compares only the pairs its index cannot rule out.

    `spelling=False` leaves close spellings out: a ledger's sources may well be
    "Source 1" and "Source 2", and `validate` reports only the stronger signs."""
    owns: dict[str, list[int]] = {}  # a name's own keys: bare, bracket-stripped
    shorts: dict[str, list[int]] = {}  # the abbreviations a name can be written as
    found: set[tuple[int, int]] = set()
    for i, name in enumerate(names):
        own = {_bare(name), _bare(_BRACKETED.sub(" ", name))} - {""}
        short = _abbreviations(name_words(name))
        # own key meets own key or abbreviation; an abbreviation meets only an own key
        # (two names both shortening to "vz" are not thereby one)
        for key in own:
            found.update((j, i) for j in (*owns.get(key, []), *shorts.get(key, [])))
        for key in short:
            found.update((j, i) for j in owns.get(key, []))
        for key in own:
            owns.setdefault(key, []).append(i)
        for key in short:
            shorts.setdefault(key, []).append(i)
    if not spelling:
        return sorted(found)
    # close spellings from an index (core.spelling), not a comparison of every pair
    named = [i for i, name in enumerate(names) if _bare(name)]
    folded = [names[i].casefold() for i in named]
    found.update((named[i], named[j]) for i, j in close_pairs(folded, CLOSE_SPELLING))
    return sorted(found)


def close_spelling(matcher: difflib.SequenceMatcher[str], name: str) -> bool:
    """Whether `name` is spelled CLOSE_SPELLING alike the matcher's second text (a
    matcher indexes that text once, for many names); the cheap upper bounds first
    (lengths, then letters), the real ratio only when they allow it."""
    return is_close(matcher, name, CLOSE_SPELLING)
