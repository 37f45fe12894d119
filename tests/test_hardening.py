"""The hardening gallery: hostile or mistaken input, one test per case.

Each case asserts one clear located message (check id, line:col, a message
substring), the exit code, and a bound against hangs (the check runs in a
child process stopped after BOUND seconds).
Nothing here may raise: `check_file` returns issues for every input.
"""

from __future__ import annotations

import codecs
import os
from datetime import date
from pathlib import Path

import pytest

from reconcile.checks.run import Checked, check_file
from reconcile.core.issues import Issue, exit_code
from reconcile.core.models import MAX_QUOTE_CHARS
from reconcile.ingest.reader import DEFAULT_MAX_BYTES
from tests.conftest import SHIPPED, WriteLedger, git, within

TODAY = date(2026, 11, 22)
BOUND = 30.0  # seconds: a bound against hangs, not a benchmark


def bounded_check(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """check_file in a child process stopped after BOUND seconds (a hang fails the test)."""
    return within(BOUND, check_file, path, display="ledger.yaml", today=TODAY, max_bytes=max_bytes)


def check_bytes(tmp_path: Path, raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    path = tmp_path / "ledger.yaml"
    path.write_bytes(raw)
    return bounded_check(path, max_bytes=max_bytes)


def check_text(write_ledger: WriteLedger, text: str) -> Checked:
    path = write_ledger(text)
    return bounded_check(path)


def only(checked: Checked, check: str) -> Issue:
    """The one issue with this check id (and assert there is exactly one)."""
    found = [issue for issue in checked.issues if issue.check == check]
    assert len(found) == 1, [str(i) for i in checked.issues]
    return found[0]


def at(issue: Issue) -> tuple[int, int]:
    return issue.location.line, issue.location.column


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"the edit {old!r} does not apply"
    return text.replace(old, new, 1)


# --- the shape of the file ----------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, b"")
    assert [i.check for i in checked.issues] == ["not-a-ledger"]
    issue = checked.issues[0]
    assert at(issue) == (1, 1) and "the file is empty" in issue.message
    assert exit_code(checked.issues) == 2


def test_only_comments(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, b"# a ledger, one day\n# nothing yet\n")
    assert [i.check for i in checked.issues] == ["not-a-ledger"]
    assert at(checked.issues[0]) == (1, 1)
    assert "only comments" in checked.issues[0].message
    assert exit_code(checked.issues) == 2


def test_a_list_at_the_top(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, b"# header\n- title: x\n- subject: y\n")
    assert [i.check for i in checked.issues] == ["not-a-ledger"]
    assert at(checked.issues[0]) == (2, 1)
    assert "the top level is a list" in checked.issues[0].message
    assert exit_code(checked.issues) == 2


def test_a_scalar_at_the_top(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, b"\n  just some words\n")
    assert [i.check for i in checked.issues] == ["not-a-ledger"]
    assert at(checked.issues[0]) == (2, 3)
    assert "the top level is a text" in checked.issues[0].message
    assert exit_code(checked.issues) == 2


def test_binary_garbage(tmp_path: Path) -> None:
    raw = b"title: x\n\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    checked = check_bytes(tmp_path, raw)
    issue = only(checked, "encoding")
    assert len(checked.issues) == 1
    assert at(issue) == (4, 1)  # the first NUL byte, after "\x89PNG\r\n\x1a\n"
    assert "binary" in issue.message
    assert exit_code(checked.issues) == 2


def test_invalid_utf8(tmp_path: Path, valid_text: str) -> None:
    raw = edit(valid_text, "name: Officials", "name: Offic").encode() + b"\xe9"
    checked = check_bytes(tmp_path, raw.replace(b"Offic\n", b"Offic\xe9ials\n", 1))
    issue = only(checked, "encoding")
    assert at(issue) == (6, 16)
    assert "byte 0xe9 is not valid UTF-8" in issue.message
    assert exit_code(checked.issues) == 2


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32(tmp_path: Path, valid_text: str, codec: str) -> None:
    raw = valid_text.encode(codec)
    if codec not in {"utf-16-le", "utf-16-be"}:
        assert raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    checked = check_bytes(tmp_path, raw)
    issue = only(checked, "encoding")
    assert len(checked.issues) == 1
    if codec in ("utf-16", "utf-32"):
        assert at(issue) == (1, 1)
        assert f"the file is {codec.upper()}" in issue.message
    else:  # no byte-order mark: the NUL bytes give it away
        assert "binary" in issue.message
    assert exit_code(checked.issues) == 2


def test_utf8_byte_order_mark_is_accepted(
    tmp_path: Path, write_ledger: WriteLedger, valid_text: str
) -> None:
    path = write_ledger(valid_text)
    path.write_bytes(codecs.BOM_UTF8 + edit(valid_text, "kind: government", "kind: x").encode())
    checked = bounded_check(path)
    issue = only(checked, "wrong-value")
    assert at(issue) == (7, 11)  # the BOM does not shift columns
    assert exit_code(checked.issues) == 1


def test_crlf_line_ends(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text)
    path.write_bytes(valid_text.replace("\n", "\r\n").encode())
    assert check_file(path, display="ledger.yaml", today=TODAY).issues == ()
    path.write_bytes(edit(valid_text, "kind: government", "kind: x").replace("\n", "\r\n").encode())
    checked = bounded_check(path)
    assert at(only(checked, "wrong-value")) == (7, 11)
    assert exit_code(checked.issues) == 1


def test_tabs_for_indentation(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(write_ledger, edit(valid_text, "    name: Officials", "\tname: Officials"))
    issue = only(checked, "yaml-syntax")
    assert at(issue) == (6, 1)
    assert "tab" in issue.message and issue.hint is not None and "spaces" in issue.hint
    assert exit_code(checked.issues) == 2


def test_over_the_size_cap(tmp_path: Path, valid_text: str) -> None:
    checked = check_bytes(tmp_path, valid_text.encode(), max_bytes=200)
    issue = only(checked, "too-large")
    assert str(issue.location) == "ledger.yaml"  # the whole file: no line
    assert f"the file is {len(valid_text.encode()):,} bytes, over the 200-byte cap" in (
        issue.message
    )
    assert issue.hint is not None and "--max-bytes" in issue.hint
    assert exit_code(checked.issues) == 2


def test_default_size_cap_is_well_above_a_100k_estimate_ledger() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    estimates = text[text.index("\nestimates:") :]
    per_estimate = len(estimates.encode()) / estimates.count("\n  - id: ")
    assert per_estimate > 500  # the shipped estimates are realistic: quotes, notes
    assert 100_000 * per_estimate * 3 < DEFAULT_MAX_BYTES


# --- YAML attacks ---------------------------------------------------------------


def test_alias_bomb(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, name = chr(96 + n), chr(97 + n)
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    checked = check_bytes(tmp_path, ("\n".join(lines) + "\n").encode())
    issue = only(checked, "yaml-alias")
    assert len(checked.issues) == 1
    assert at(issue) == (2, 8) and "aliases (*a) are not allowed" in issue.message
    assert exit_code(checked.issues) == 2


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * 5000 + "]" * 5000, (1, 65)),
        ("{a: " * 5000 + "1" + "}" * 5000, (1, 257)),
        ("".join(f"{'  ' * depth}k:\n" for depth in range(3000)), (65, 129)),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings"],
)
def test_nesting_thousands_deep(tmp_path: Path, text: str, where: tuple[int, int]) -> None:
    checked = check_bytes(tmp_path, text.encode())
    issue = only(checked, "yaml-too-deep")
    assert len(checked.issues) == 1
    assert at(issue) == where and "nesting deeper than 64 levels" in issue.message
    assert exit_code(checked.issues) == 2


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("subject: Test troops", "subject: Test troops\nsubject: again", (3, 1)),
        ("    kind: government", "    kind: government\n    kind: media", (8, 5)),
        ("    publisher: The Test", "    publisher: The Test\n    publisher: X", (14, 5)),
        ("    as_of: 2025-01-10", "    as_of: 2025-01-10\n    as_of: 2025-01-11", (19, 5)),
        (
            "      - document: article",
            "      - document: article\n        document: article",
            (23, 9),
        ),
        (
            "        quote: officials",
            "        wording: {killed: at least 300, killed: '300'}\n        quote: officials",
            (23, 41),
        ),
    ],
    ids=["top", "source", "document", "estimate", "report", "wording"],
)
def test_duplicate_keys_at_every_level(
    write_ledger: WriteLedger, valid_text: str, old: str, new: str, where: tuple[int, int]
) -> None:
    checked = check_text(write_ledger, edit(valid_text, old, new))
    issue = only(checked, "duplicate-key")
    assert at(issue) == where
    assert "duplicate key" in issue.message and "the first value is kept" in issue.message
    assert exit_code(checked.issues) == 1


def test_control_characters_are_shown_escaped(write_ledger: WriteLedger, valid_text: str) -> None:
    from reconcile.render.issues import issues_text

    checked = check_text(write_ledger, edit(valid_text, "    name: Officials", '    "\\e[2J": x'))
    issue = only(checked, "unknown-field")
    assert at(issue) == (6, 5) and "\x1b[2J" in issue.message
    shown = issues_text([issue])
    assert "\x1b" not in shown and "\\x1b[2J" in shown
    assert exit_code(checked.issues) == 1


# --- values ---------------------------------------------------------------------


def test_integer_with_hundreds_of_digits(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(
        write_ledger, edit(valid_text, "killed: at least 300", "killed: " + "9" * 400)
    )
    issue = only(checked, "bad-figure")
    assert len(checked.issues) == 1
    assert at(issue) == (19, 13) and "implausibly large" in issue.message
    assert exit_code(checked.issues) == 1


def test_negative_count(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(write_ledger, edit(valid_text, "killed: at least 300", "killed: -300"))
    issue = only(checked, "bad-figure")
    assert len(checked.issues) == 1
    assert at(issue) == (19, 13) and "cannot be negative" in issue.message
    assert exit_code(checked.issues) == 1


def test_impossible_date(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(write_ledger, edit(valid_text, "as_of: 2025-01-10", "as_of: 2025-02-30"))
    issue = only(checked, "bad-date")
    assert len(checked.issues) == 1
    assert at(issue) == (18, 20) and "February 2025 has 28 days, not 30" in issue.message
    assert exit_code(checked.issues) == 1


def test_dates_in_the_future(write_ledger: WriteLedger, valid_text: str) -> None:
    text = edit(valid_text, "published: 2025-01-12", "published: 2999-01-12")
    checked = check_text(write_ledger, edit(text, "as_of: 2025-01-10", "as_of: 2999-01-10"))
    found = sorted((*at(i), i.check) for i in checked.issues)
    assert found == [(14, 16, "future-date"), (18, 12, "future-date")]
    assert "after today (2026-11-22)" in checked.issues[0].message
    assert exit_code(checked.issues) == 1


def test_id_with_spaces(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(
        write_ledger, edit(valid_text, "  - id: officials", "  - id: the officials")
    )
    found = sorted((*at(i), i.check) for i in checked.issues)
    # the source is dropped under its invalid id, so the claimant 'officials' is unknown
    assert found == [(5, 9, "bad-id"), (17, 15, "unknown-reference")]
    assert "may hold only letters" in checked.issues[0].message
    assert exit_code(checked.issues) == 1


def test_quote_of_megabytes(write_ledger: WriteLedger, valid_text: str) -> None:
    huge = "x" * 3_000_000
    checked = check_text(
        write_ledger, edit(valid_text, "quote: officials", f"quote: {huge} officials")
    )
    issue = only(checked, "quote-too-long")
    assert at(issue) == (23, 16)
    assert f"over the {MAX_QUOTE_CHARS:,}-character limit" in issue.message
    length = len(
        f"{huge} officials said that at least 300 soldiers were killed and about 2,700 were wounded"
    )
    assert f"the quote is {length:,} characters long" in issue.message
    assert exit_code(checked.issues) == 1


# --- documents outside the archive ----------------------------------------------


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "archive/../../x.txt"]
)
def test_document_path_that_leaves_the_archive(
    write_ledger: WriteLedger, valid_text: str, path: str
) -> None:
    checked = check_text(write_ledger, edit(valid_text, "path: article.txt", f"path: '{path}'"))
    issue = only(checked, "path-outside-archive")
    assert at(issue) == (11, 12)  # inside the quotes
    assert f"the path {path!r} leaves the archive folder" in issue.message
    assert exit_code(checked.issues) == 1
    assert checked.texts == {}


def test_document_symlink_out_of_the_archive(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(
        "officials said that at least 300 soldiers were killed and about 2,700 were wounded"
    )
    (tmp_path / "archive" / "link.txt").symlink_to(secret)
    checked = check_text(write_ledger, edit(valid_text, "path: article.txt", "path: link.txt"))
    issue = only(checked, "path-outside-archive")
    assert at(issue) == (11, 11)
    assert "'link.txt' leads outside the archive folder 'archive'" in issue.message
    assert exit_code(checked.issues) == 1
    assert checked.texts == {}  # never read


def test_absolute_archive_folder_is_refused(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(write_ledger, edit(valid_text, "archive: archive", "archive: /etc"))
    issue = only(checked, "path-outside-archive")
    assert at(issue) == (3, 10)
    assert "must be relative to the ledger file" in issue.message
    assert exit_code(checked.issues) == 1
    assert checked.texts == {}


# --- several files --------------------------------------------------------------


def test_ids_duplicated_across_files(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    more = tmp_path / "more.yaml"
    more.write_text(
        "sources:\n  - id: others\n    name: Others\n    kind: media\n    party: third-party\n"
        "  - id: officials\n    name: Officials again\n    kind: media\n    party: third-party\n"
    )
    checked = check_text(
        write_ledger, edit(valid_text, "archive: archive", "archive: archive\ninclude: [more.yaml]")
    )
    issue = only(checked, "duplicate-id")
    assert len(checked.issues) == 1
    assert (issue.location.path, *at(issue)) == ("more.yaml", 6, 9)
    assert "source id 'officials' is already used at ledger.yaml:6:9" in issue.message
    assert exit_code(checked.issues) == 1


def test_include_cycle(write_ledger: WriteLedger, valid_text: str, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("include: [b.yaml]\n")
    (tmp_path / "b.yaml").write_text("# back to the start\ninclude: [a.yaml]\n")
    checked = check_text(
        write_ledger, edit(valid_text, "archive: archive", "archive: archive\ninclude: [a.yaml]")
    )
    issue = only(checked, "include-cycle")
    assert len(checked.issues) == 1
    assert (issue.location.path, *at(issue)) == ("b.yaml", 2, 11)
    assert "include cycle: a.yaml → b.yaml → a.yaml" in issue.message
    assert exit_code(checked.issues) == 1


def test_include_missing_file(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_text(
        write_ledger,
        edit(valid_text, "archive: archive", "archive: archive\ninclude:\n  - nope.yaml"),
    )
    issue = only(checked, "include-missing")
    assert len(checked.issues) == 1
    assert (issue.location.path, *at(issue)) == ("ledger.yaml", 5, 5)
    assert "included file 'nope.yaml' does not exist" in issue.message
    assert exit_code(checked.issues) == 1


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.yaml", "link.yaml"])
def test_include_outside_the_ledger_folder(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path, target: str
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    git(tmp_path, "init", "-q")  # ../archive is inside the repository
    (tmp_path / "outside.yaml").write_text("sources: []\n")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    path = folder / "ledger.yaml"
    path.write_text(
        edit(valid_text, "archive: archive", f"archive: ../archive\ninclude: ['{target}']")
    )
    checked = bounded_check(path)
    issue = only(checked, "include-outside")
    assert len(checked.issues) == 1
    assert at(issue) == (4, 11)
    assert repr(target) in issue.message
    assert exit_code(checked.issues) == 1
    assert checked.files == ("ledger.yaml",)


def test_included_files_are_located_by_their_own_path(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "broken.yaml").write_bytes(b"estimates: [unclosed\n")
    checked = check_text(
        write_ledger,
        edit(valid_text, "archive: archive", "archive: archive\ninclude: ['2025/*.yaml']"),
    )
    issue = only(checked, "yaml-syntax")
    assert (issue.location.path, *at(issue)) == (os.path.join("2025", "broken.yaml"), 2, 1)
    assert exit_code(checked.issues) == 2


def test_include_chain_deeper_than_the_limit(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    """A chain of includes nested past MAX_DEPTH stops at the limit, located at the
    include entry that would go deeper, with nothing beyond it read."""
    from reconcile.ingest.includes import MAX_DEPTH

    for n in range(MAX_DEPTH + 5):
        (tmp_path / f"part{n}.yaml").write_text(f"include: [part{n + 1}.yaml]\n")
    checked = check_text(
        write_ledger,
        edit(valid_text, "archive: archive", "archive: archive\ninclude: [part0.yaml]"),
    )
    issue = only(checked, "include-limit")
    assert len(checked.issues) == 1
    # the root ledger is the first level: part0 … part30 make 32, part30's include is refused
    assert issue.location.path == f"part{MAX_DEPTH - 2}.yaml"
    assert at(issue) == (1, 11)
    assert f"nested at most {MAX_DEPTH} deep" in issue.message
    assert exit_code(checked.issues) == 1


# --- settings: reconcile.toml and [tool.reconcile] (issue 16) -----------------------


def test_settings_ignore_warnings_never_errors(write_ledger: WriteLedger, valid_text: str) -> None:
    from reconcile.checks.run import check_file as check_path

    text = valid_text.replace("claimant: officials", "claimant: nobody").replace(
        "    wounded: about 2,700\n", "    wounded: about 2,700\n    deployed: 300\n"
    )
    path = write_ledger(text)
    (path.parent / "reconcile.toml").write_text(
        'strict = true\nignore = ["exceeds-deployed", "unknown-reference"]\n', encoding="utf-8"
    )
    checked = check_path(path, display="ledger.yaml")
    assert checked.settings.strict
    assert [i.check for i in checked.ignored] == ["exceeds-deployed"]
    # an error is reported whatever the settings say
    assert "unknown-reference" in [i.check for i in checked.issues]


def test_pyproject_settings_and_where_the_search_stops(tmp_path: Path) -> None:
    from reconcile.checks.settings import find_settings

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / ".git").mkdir()
    ledger = repo / "data" / "estimates.yaml"
    (tmp_path / "reconcile.toml").write_text("strict = true\n", encoding="utf-8")
    assert find_settings(ledger).path is None  # above the repository: not read
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_settings(ledger).path is None  # no [tool.reconcile]
    (repo / "pyproject.toml").write_text("[tool.reconcile]\nstrict = true\n", encoding="utf-8")
    found = find_settings(ledger)
    assert found.strict and found.path == f"{repo / 'pyproject.toml'} [tool.reconcile]"


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("strict = yes\n", "not valid TOML", (1, 10)),
        ("strict = 1\n", "strict must be true or false", (0, 0)),
        ("ignore = ['no-such-check']\n", "'no-such-check' is not a check id", (0, 0)),
        ("select = []\n", "unknown setting 'select'", (0, 0)),
    ],
)
def test_bad_settings_are_located_errors(
    write_ledger: WriteLedger, valid_text: str, text: str, message: str, where: tuple[int, int]
) -> None:
    from reconcile.checks.run import check_file as check_path

    path = write_ledger(valid_text)
    (path.parent / "reconcile.toml").write_text(text, encoding="utf-8")
    checked = check_path(path, display="ledger.yaml")
    problems = [i for i in checked.issues if i.check == "settings"]
    assert len(problems) == 1 and message in problems[0].message
    assert (problems[0].location.line, problems[0].location.column) == where
    assert exit_code(checked.issues) == 1


def test_a_settings_file_is_read_through_the_one_reader(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """Oversized or not UTF-8: a located error naming why, never a traceback; the
    size cap holds before the file is read (ingest/settings_file.py)."""
    from reconcile.checks.run import check_file as check_path
    from reconcile.ingest.settings_file import MAX_BYTES

    path = write_ledger(valid_text)
    settings = path.parent / "reconcile.toml"
    for raw, message in (
        (b"# " + b"x" * MAX_BYTES + b"\n", "the settings file is over 1,048,576 bytes"),
        (b"strict = true # \xff\n", "cannot read the settings file: byte 0xff is not valid"),
    ):
        settings.write_bytes(raw)
        problems = [i for i in check_path(path).issues if i.check == "settings"]
        assert [p.message[: len(message)] for p in problems] == [message]
        assert problems[0].location.path == str(settings)
    assert (problems[0].location.line, problems[0].location.column) == (1, 17)
