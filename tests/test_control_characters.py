"""`control-character` (checks/characters.py): a control character written as an
escape in any double-quoted text of a ledger is found, at its escape; tab, line
feed and every other character are not; the texts of a file with no such escape
are never read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.checks import characters
from reconcile.checks.run import check_file
from tests.conftest import WriteLedger

TODAY = date(2026, 11, 22)

# The gallery's valid ledger (tests/gallery/valid.yaml): a text of each kind, its
# line, and the column its value starts at (where the double quote will be).
TEXTS = {
    "title": ("title: Gallery", 1, 8),
    "source name": ("    name: Officials", 6, 11),
    "document title": ("    title: An article", 12, 12),
    "figure words": ("    wounded: about 2,700", 20, 14),
    "quote": (
        "        quote: officials said that at least 300 soldiers were killed and about "
        "2,700 were wounded",
        23,
        16,
    ),
}

CONTROLS = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x2028,
    0x2029,
]
"""What the check reports: C0 but tab and line feed, DEL, C1, U+2028 and U+2029."""

_SHORT = {0x00: "0", 0x07: "a", 0x08: "b", 0x0B: "v", 0x0C: "f", 0x0D: "r", 0x1B: "e"}
_SHORT |= {0x85: "N", 0x2028: "L", 0x2029: "P"}


OTHERS = [
    *['\\"', "\\\\", "\\/", "\\ ", "\\_", "\\t", "\\x41", "\\u00e9", "\\U0001F600"],
    *["\\\\e", "\\\\x1b", "\\\\\\\\r"],  # an escaped backslash, then a letter
]
"""Escapes of other characters (tab, no-break space, a quote...), and backslashes."""


def _escapes(point: int) -> list[str]:
    """Every way YAML writes the character in a double-quoted text."""
    forms = [f"\\u{point:04x}", f"\\U{point:08X}"]
    if point < 0x100:
        forms.append(f"\\x{point:02X}")
    if point in _SHORT:
        forms.append("\\" + _SHORT[point])
    return forms


def _quoted(line: str, at: int, escape: str) -> tuple[str, int]:
    """`line` with its value double-quoted and `escape` put `at` characters into it;
    the column where the escape stands."""
    key, _, value = line.partition(": ")
    at = min(at, len(value))
    return f'{key}: "{value[:at]}{escape}{value[at:]}"', len(key) + 2 + 1 + at + 1


def _found(path: Path, check: str = "control-character") -> list[tuple[int, int]]:
    checked = check_file(path, display="ledger.yaml", today=TODAY)
    return [(i.location.line, i.location.column) for i in checked.issues if i.check == check]


def _controls(path: Path) -> list[tuple[int, int]]:
    return _found(path)


_FUNCTION_FIXTURES = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(_FUNCTION_FIXTURES, max_examples=150)
@given(
    which=st.sampled_from(sorted(TEXTS)),
    point=st.sampled_from(CONTROLS),
    form=st.integers(0, 3),
    at=st.integers(0, 40),
)
def test_a_control_character_is_found_at_its_escape(  # noqa: PLR0917 (hypothesis draws)
    write_ledger: WriteLedger, valid_text: str, which: str, point: int, form: int, at: int
) -> None:
    line, number, _ = TEXTS[which]
    forms = _escapes(point)
    edited, column = _quoted(line, at, forms[form % len(forms)])
    assert line in valid_text
    path = write_ledger(valid_text.replace(line, edited, 1))
    if which == "figure words" and _found(path, "bad-figure"):
        return  # a figure the control makes unreadable: that error says it, at that line
    assert _controls(path) == [(number, column)]


@settings(_FUNCTION_FIXTURES, max_examples=60)
@given(
    which=st.sampled_from(sorted(TEXTS)),
    escape=st.sampled_from(OTHERS),
    at=st.integers(0, 40),
)
def test_other_escapes_and_escaped_backslashes_are_not_reported(
    write_ledger: WriteLedger, valid_text: str, which: str, escape: str, at: int
) -> None:
    line, _, _ = TEXTS[which]
    edited, _ = _quoted(line, at, escape)
    assert _controls(write_ledger(valid_text.replace(line, edited, 1))) == []


def test_a_plain_text_that_looks_like_an_escape_is_not_reported(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """Outside double quotes a backslash is itself: `C:\\reports` holds no control."""
    line, _, _ = TEXTS["document title"]
    path = write_ledger(valid_text.replace(line, "    title: C:\\reports\\final", 1))
    assert characters._escapes(path.read_text(encoding="utf-8"))  # the texts are read
    assert _controls(path) == []  # and hold no control


def test_a_multi_line_quote_is_located_on_the_line_of_its_escape(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    line, _, _ = TEXTS["quote"]
    edited = (
        '        quote: "officials said that at least 300 soldiers were killed\n'
        '          and about 2,700\\f were wounded"'
    )
    assert _controls(write_ledger(valid_text.replace(line, edited, 1))) == [(24, 26)]


def test_at_most_twenty_per_file(write_ledger: WriteLedger, valid_text: str) -> None:
    sources = "".join(
        f'  - id: s{n}\n    name: "Source\\e{n}"\n    kind: media\n    party: third-party\n'
        for n in range(25)
    )
    path = write_ledger(valid_text.replace("documents:\n", sources + "documents:\n", 1))
    assert len(_controls(path)) == characters.MAX_CONTROLS_PER_FILE


def test_a_file_without_such_an_escape_is_not_read(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[object] = []

    def counted(context: object) -> list[object]:
        read.append(context)
        return []

    monkeypatch.setattr(characters, "_controls", counted)
    line, _, _ = TEXTS["quote"]
    edited, _ = _quoted(line, 5, '\\"')
    check_file(write_ledger(valid_text.replace(line, edited, 1)), today=TODAY)
    assert read == []
    edited, _ = _quoted(line, 5, "\\e")
    check_file(write_ledger(valid_text.replace(line, edited, 1)), today=TODAY)
    assert len(read) == 1
