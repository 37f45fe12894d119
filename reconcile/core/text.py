"""Text as compared for quotes: what copying from a web page changes without
changing the words (Unicode compatibility forms, runs of white space, curly
quotes and apostrophes, the many dashes) is normalised away."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "ʼ": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)


def normalise(text: str) -> str:
    """Text as compared for quotes: NFKC, plain quotes and dashes, single spaces.

    Runs of white space (what `str.isspace` calls white space, the same set as the
    regex `\\s`) become one space and the ends are trimmed: `str.split` does both
    in C (tests/test_text.py holds the regex form as the reference)."""
    if text.isascii():  # NFKC leaves ASCII as it is; of ASCII, only '`' is translated
        return " ".join(text.replace("`", "'").split())
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def normalised_texts(texts: Mapping[str, str]) -> dict[str, str]:
    """Each text (by key) normalised; keys whose texts are one str (documents that
    share a file) share one normalised str, made once."""
    by_text: dict[int, str] = {}
    found: dict[str, str] = {}
    for key, text in texts.items():
        if id(text) not in by_text:
            by_text[id(text)] = normalise(text)
        found[key] = by_text[id(text)]
    return found
