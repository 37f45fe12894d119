"""The loader: typed scalars without YAML 1.1 surprises, located errors, hard limits."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.ingest.loader import load_bytes, load_file, load_text
from reconcile.ingest.reader import MAX_DEPTH
from tests.conftest import within, yaml_suite


def checks(text: str) -> list[tuple[int, int, str]]:
    loaded = load_text(text, "f.yaml")
    return [(i.location.line, i.location.column, i.check) for i in loaded.issues]


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("1:30", "1:30"),
        ("012", "012"),
        ("0o12", "0o12"),
        ("0x1F", "0x1F"),
        ("2025-01-13", "2025-01-13"),
        ("3,800", "3,800"),
        ("12 000", "12 000"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("3800", 3800),
        ("-3", -3),
        ("0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("'3800'", "3800"),
        ('"true"', "true"),
        ("!!str 12", "12"),
        ("1" * 40, "1" * 40),
    ],
)
def test_scalars_follow_yaml_1_2_without_surprises(scalar: str, expected: object) -> None:
    loaded = load_text(f"key: {scalar}\n", "f.yaml")
    assert loaded.issues == ()
    assert isinstance(loaded.data, dict)
    assert loaded.data["key"] == expected
    assert type(loaded.data["key"]) is type(expected)


def test_positions_of_keys_and_values() -> None:
    loaded = load_text("a:\n  - b: 1\n    c: [x, y]\n", "f.yaml")
    assert loaded.locate(("a", 0, "c"), key=True).line == 3
    assert (loaded.locate(("a", 0, "c")).line, loaded.locate(("a", 0, "c")).column) == (3, 8)
    assert (loaded.locate(("a", 0, "c", 1)).line, loaded.locate(("a", 0, "c", 1)).column) == (3, 12)
    # a path that does not exist falls back to the nearest enclosing node
    assert (loaded.locate(("a", 0, "zzz")).line, loaded.locate(("a", 0, "zzz")).column) == (2, 5)


def test_duplicate_keys_are_errors_at_every_level() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\n  d: [{e: 1, e: 2}]\na: 3\n"
    assert checks(text) == [
        (4, 3, "duplicate-key"),
        (5, 14, "duplicate-key"),
        (6, 1, "duplicate-key"),
    ]
    loaded = load_text(text, "f.yaml")
    assert loaded.data == {"a": 1, "b": {"c": 1, "d": [{"e": 1}]}}, "the first value is kept"
    assert loaded.usable


def test_duplicate_key_with_a_mapping_value_keeps_the_first() -> None:
    loaded = load_text("a: {x: 1}\na: {y: 2}\n", "f.yaml")
    assert loaded.data == {"a": {"x": 1}}
    assert [i.check for i in loaded.issues] == ["duplicate-key"]


def test_aliases_are_refused() -> None:
    assert checks("a: &x [1, 2]\nb: *x\n") == [(2, 4, "yaml-alias")]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    loaded = within(30, load_text, "\n".join(lines) + "\n", "bomb.yaml")
    assert not loaded.usable
    assert [(i.location.line, i.check) for i in loaded.issues] == [(2, "yaml-alias")]


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['true']", "!custom x", "!!binary aGk="]
)
def test_custom_tags_are_refused(tag: str) -> None:
    assert checks(f"a: {tag}\n") == [(1, 4, "yaml-tag")]


def test_deep_nesting_is_refused_without_recursion() -> None:
    depth = 10_000
    loaded = load_text("[" * depth + "]" * depth + "\n", "deep.yaml")
    assert not loaded.usable
    assert [(i.location.line, i.location.column, i.check) for i in loaded.issues] == [
        (1, MAX_DEPTH + 1, "yaml-too-deep")
    ]


def test_nesting_at_the_cap_is_fine() -> None:
    loaded = load_text("[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "ok.yaml")
    assert loaded.usable


def test_syntax_error_is_located() -> None:
    assert checks("a: [1, 2\nb: 3\n") == [(2, 2, "yaml-syntax")]


def test_tabs_for_indentation_are_located() -> None:
    assert checks("a:\n\tb: 1\n") == [(2, 1, "yaml-syntax")]


def test_complex_keys_are_refused() -> None:
    assert checks("? [a, b]\n: 1\n") == [(1, 3, "yaml-complex-key")]


def test_more_than_one_document_is_refused() -> None:
    assert checks("a: 1\n---\nb: 2\n") == [(2, 1, "yaml-multiple-documents")]


def test_empty_and_comment_only_files_load_as_nothing() -> None:
    for text in ("", "# only a comment\n", "\n\n"):
        loaded = load_text(text, "f.yaml")
        assert loaded.usable and loaded.data is None


def test_crlf_line_endings_are_read() -> None:
    loaded = load_bytes(b"a: 1\r\nb:\r\n  c: x\r\n", "f.yaml")
    assert loaded.data == {"a": 1, "b": {"c": "x"}}
    assert loaded.locate(("b", "c")).line == 3


def test_utf8_bom_is_skipped() -> None:
    loaded = load_bytes(codecs.BOM_UTF8 + "a: é\n".encode(), "f.yaml")
    assert loaded.data == {"a": "é"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_are_refused(encoding: str) -> None:
    loaded = load_bytes("a: 1\n".encode(encoding), "f.yaml")
    assert [(i.check, i.unusable) for i in loaded.issues] == [("encoding", True)]
    assert encoding.upper().replace("-", "-") in loaded.issues[0].message.upper()


def test_invalid_utf8_is_located() -> None:
    loaded = load_bytes(b"a: 1\nb: caf\xe9\n", "f.yaml")
    issue = loaded.issues[0]
    assert (issue.location.line, issue.location.column, issue.check) == (2, 7, "encoding")
    assert "0xe9" in issue.message


def test_binary_input_is_refused() -> None:
    loaded = load_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "f.yaml")
    assert [i.check for i in loaded.issues] == ["encoding"]
    assert "binary" in loaded.issues[0].message


def test_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    loaded = load_file(path, max_bytes=1000)
    assert [(i.check, i.unusable) for i in loaded.issues] == [("too-large", True)]
    assert "2,004 bytes" in loaded.issues[0].message
    assert load_file(path, max_bytes=10_000).usable


def test_unreadable_paths(tmp_path: Path) -> None:
    assert [i.check for i in load_file(tmp_path / "nope.yaml").issues] == ["read"]
    assert [i.check for i in load_file(tmp_path).issues] == ["read"]


def _suite_cases() -> list[Path]:
    root = yaml_suite()
    return sorted(root.rglob("in.yaml")) if root.is_dir() else []


def _suite_outcomes(cases: list[Path]) -> dict[str, int]:
    outcomes = {"loaded": 0, "refused": 0}
    for case in cases:
        loaded = load_bytes(case.read_bytes(), str(case))
        if loaded.issues:
            outcomes["refused"] += 1
            for issue in loaded.issues:
                assert issue.location.line >= 1 and issue.location.column >= 1, (case, issue)
                assert issue.message
        else:
            outcomes["loaded"] += 1
    return outcomes


def test_every_yaml_suite_case_loads_or_fails_located() -> None:
    """All cases of the YAML test suite: a loaded document or a located error, never
    a hang (the run is a child process stopped after a generous bound)."""
    cases = _suite_cases()
    assert len(cases) == 402
    outcomes = within(300, _suite_outcomes, cases)
    assert outcomes["loaded"] > 150 and outcomes["refused"] > 90, outcomes


@given(st.text(max_size=400))
def test_any_text_loads_or_fails_located(text: str) -> None:
    loaded = load_text(text, "f.yaml")
    for issue in loaded.issues:
        assert issue.location.line >= 1


@given(st.binary(max_size=400))
def test_any_bytes_load_or_fail_located(raw: bytes) -> None:
    loaded = load_bytes(raw, "f.yaml")
    for issue in loaded.issues:
        assert issue.location.line >= 0
        assert issue.check in {
            "encoding",
            "yaml-syntax",
            "yaml-alias",
            "yaml-tag",
            "yaml-too-deep",
            "yaml-complex-key",
            "yaml-multiple-documents",
            "duplicate-key",
        }
