"""Writing to any terminal or file encoding: characters it cannot encode are
transliterated ('≥' → '>=', '—' → '-', box drawing → '-', '|', '+'), or
replaced with '?', never a crash.

Reports are written with typographic characters (≥, ×, –, ─).  On a console or
a redirect whose encoding is not UTF-8 (cp1252 on Windows, ASCII under
`LANG=C` or `PYTHONIOENCODING=ascii`) Python would raise UnicodeEncodeError in
the middle of the output.  `install` registers an error handler for stdout and
stderr that writes a readable stand-in instead.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "reconcile-transliterate"

_STAND_INS = {
    "≥": ">=", "≤": "<=", "×": "x", "÷": "/", "–": "-", "—": "-", "−": "-", "‐": "-",
    "‑": "-", "…": "...", "→": "->", "←": "<-", "‘": "'", "’": "'", "“": '"', "”": '"',
    "≈": "~", "·": ".", "•": "*", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "✓": "v",
}  # fmt: skip


def stand_in(char: str) -> str:
    """An ASCII stand-in for one character (decomposed letters lose their accents)."""
    if char in _STAND_INS:
        return _STAND_INS[char]
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
            return "|"
        return "+"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(stand_in(char) for char in text), error.end


def install() -> None:
    """Make stdout and stderr write stand-ins for what their encoding cannot hold."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _transliterate)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            reconfigure(errors=HANDLER)
