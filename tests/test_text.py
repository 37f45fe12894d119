"""core/text.py: `normalise` against its plain reference (the regex form it replaced)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.core import text as text_module
from reconcile.core.text import normalise

_SPACE = re.compile(r"\s+")


def _reference(text: str) -> str:
    """normalise as first written: NFKC, the quote/dash table, runs of \\s as one space."""
    folded = unicodedata.normalize("NFKC", text).translate(text_module._QUOTES)
    return _SPACE.sub(" ", folded).strip()


_SPACES = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())
_TEXTY = st.lists(
    st.sampled_from(
        [*_SPACES, *"aZ09,.'\"`´‘’“”«»–—−-", "\u00bd", "\ufb01", "\u2167", "\u0301", "é", "e\u0301"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), _TEXTY))
def test_normalise_equals_its_reference(text: str) -> None:
    assert normalise(text) == _reference(text)


def test_normalise_equals_its_reference_on_every_quote_and_document(
    every_quote_and_text: list[str],
) -> None:
    assert len(every_quote_and_text) > 500
    for text in every_quote_and_text:
        assert normalise(text) == _reference(text)


def test_every_white_space_character_is_one_space() -> None:
    """The fast form splits on str.isspace; the reference on the regex \\s: one set."""
    for code in range(0x110000):
        char = chr(code)
        assert (_SPACE.fullmatch(char) is not None) == char.isspace()
    assert normalise(f"a{_SPACES}b`c") == "a b'c"
