"""Splitting an article's text into sentences: the unit a quote is taken from."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    """`text[start:end]`, trimmed of surrounding white space."""

    start: int
    end: int
    text: str


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "cpl",
        "pvt",
        "st",
        "jr",
        "sr",
        "rep",
        "sen",
        "gov",
        "pres",
        "approx",
        "ca",
        "c",
        "vs",
        "no",
        "nos",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "u.s.a",
        "e.u",
        "a.m",
        "p.m",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
    ]
)
_BOUNDARY = re.compile(r"[.!?]++[\"'”’»)\]]*+(?=\s)|\n\s*+\n|\n")
_STARTER = re.compile(r"\s*+[\"'“‘«(\[]*+[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([\w.]{1,12})[.!?]*$")


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences: at . ! ? followed by a capital or a digit, and
    at line breaks; never after an abbreviation ("Mr.", "U.S.", "approx.") or an
    initial ("J. Smith")."""
    found: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group()[0] in ".!?":
            if _STARTER.match(text, end) is None:
                continue
            if match.group()[0] == "." and _abbreviation(text, match.start()):
                continue
        _add_sentence(found, text, start, end)
        start = end
    _add_sentence(found, text, start, len(text))
    return found


def _abbreviation(text: str, dot: int) -> bool:
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _add_sentence(found: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        found.append(Sentence(start, end, text[start:end]))
