"""Safe in CI on a stranger's pull request (issue 12): each finding as a regression test.

The pull request controls every file of the checkout, never the command line,
the environment or `.git/config`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, commit_all, git

EXAMPLES = ROOT / "docs" / "examples"
runner = CliRunner(env={"NO_COLOR": "1", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None})


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


# --- 1. git: never from a folder the ledger names -----------------------------


def _pull_request(tmp_path: Path) -> Path:
    """A checkout whose base commit has ledger v1 and whose pull request changes
    it to v2 (nis killed: 300 → at least 300)."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "seeds", repo / "seeds")
    seeds = "../seeds"
    ledger = repo / "data" / "estimates.yaml"
    ledger.write_text((EXAMPLES / "ledger-v1.yaml").read_text().replace("../../seeds", seeds))
    commit_all(repo, "base")
    ledger.write_text((EXAMPLES / "ledger-v2.yaml").read_text().replace("../../seeds", seeds))
    return repo


def _bare_layout(folder: Path, marker: Path) -> None:
    """`folder` made into a repository out of ordinary files, as a pull request can
    commit them: its config makes a missing object fetch lazily over ssh, and
    `core.sshCommand` is any program (here: one that creates `marker`)."""
    (folder / "objects").mkdir()
    (folder / "refs" / "heads").mkdir(parents=True)
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "refs" / "heads" / "main").write_text("1" * 40 + "\n")
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        f'\tsshCommand = "touch {marker}"\n'
        "[extensions]\n\tpartialClone = origin\n"
        '[remote "origin"]\n\turl = ssh://example.invalid/x\n\tpromisor = true\n'
    )


def test_a_bare_repository_layout_in_the_ledger_folder_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    marker = tmp_path / "MARKER"
    _bare_layout(repo / "data", marker)
    # before the fix, git ran in data/, took it for the repository and ran
    # core.sshCommand to fetch the missing object
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "HEAD", "data/estimates.yaml", "--format", "csv")
    assert not marker.exists()
    assert code == 0, err
    assert (
        "changes,changed,estimates,nis-2025-01-13,nis,killed,300,at least 300" in out.splitlines()
    )
    # started from inside the layout, git refuses it as a bare repository
    monkeypatch.chdir(repo / "data")
    code, out, err = invoke("changes", "HEAD", "estimates.yaml")
    assert not marker.exists()
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: cannot tell whether 'HEAD' is a file or a git revision (git rev-parse "
        f"failed: fatal: cannot use bare repository '{(repo / 'data').resolve()}' "
        "(safe.bareRepository is 'explicit')); write ./HEAD for the file\n"
    )


def test_a_bare_repository_in_the_ledger_folder_cannot_choose_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    forged = tmp_path / "forged"
    forged.mkdir()
    shutil.copy(repo / "data" / "estimates.yaml", forged / "estimates.yaml")
    commit_all(forged, "the pull request's own ledger as base")
    git(tmp_path, "clone", "-q", "--bare", str(forged), str(tmp_path / "forged.git"))
    shutil.copytree(tmp_path / "forged.git", repo / "data", dirs_exist_ok=True)
    config = repo / "data" / "config"
    config.write_text(config.read_text().replace("bare = true", "bare = false\n\tworktree = ."))
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "HEAD", "data/estimates.yaml", "--format", "csv")
    assert code == 0, err
    # the base is the checkout's HEAD, not the forged repository's: the change shows
    assert (
        "changes,changed,estimates,nis-2025-01-13,nis,killed,300,at least 300" in out.splitlines()
    )


def test_a_file_named_like_the_base_revision_is_refused_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    git(repo, "branch", "base")
    # the pull request adds a file named like the revision: a copy of its own ledger
    shutil.copy(repo / "data" / "estimates.yaml", repo / "base")
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "base", "data/estimates.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: 'base' is both a file and a git revision; write ./base for the file, "
        "or base:PATH for the ledger at that revision\n"
    )
    code, out, err = invoke("changes", "base:data/estimates.yaml", "data/estimates.yaml")
    assert code == 0 and "at least 300" in out
    code, out, err = invoke("changes", "./base", "data/estimates.yaml", "--format", "md")
    assert code == 0 and "no changes" in out


def test_git_runs_hardened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.ingest import revisions

    seen: list[tuple[list[str], dict[str, str], object]] = []
    real = subprocess.run

    def spy(args: list[str], **kwargs: object) -> object:
        env = kwargs.get("env")
        assert isinstance(env, dict)
        seen.append((args, env, kwargs.get("cwd")))
        return real(args, **kwargs)  # type: ignore[call-overload]

    repo = _pull_request(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setattr(subprocess, "run", spy)
    assert revisions.read_revision("HEAD", Path("data/estimates.yaml")).raw is not None
    assert seen
    for args, env, cwd in seen:
        assert args[:10] == [
            "git",
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "protocol.allow=never",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "--no-pager",
        ]
        assert env["GIT_NO_LAZY_FETCH"] == "1" and env["GIT_TERMINAL_PROMPT"] == "0"
        assert Path(str(cwd)).resolve() == repo.resolve()


def test_an_overlong_revision_argument_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "x" * 100_000, "data/estimates.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: cannot read the old ledger: the revision argument is 100,000 "
        "characters long (at most 1,024)\n"
    )


# --- 3. one output-escaping layer: terminal, Markdown, CSV, workflow commands --

HOSTILE = (
    "x\\n::error::pwned \\e]52;c;aGk=\\a \\e[2J ##[add-mask]secret\\r::warning::w "
    "[link](javascript:alert(1)) <img src=x onerror=alert(1)> $\\\\frac{1$ |cell| ~~s~~"
)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout with the shipped ledger (old) and a copy whose subject and a
    source's name are hostile strings (new)."""
    repo = tmp_path / "checkout"
    (repo / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "seeds", repo / "seeds")
    text = (ROOT / "data" / "estimates.yaml").read_text(encoding="utf-8")
    old = repo / "data" / "old.yaml"
    old.write_text(text, encoding="utf-8")
    text = text.replace("subject: North Korean troops sent to Russia", f'subject: "{HOSTILE}"')
    text = text.replace(
        "name: Nikkei Asia", f'name: "=HYPERLINK(""http://e.example"")-{HOSTILE}"'
    ).replace('""', '\\"')
    new = repo / "data" / "estimates.yaml"
    new.write_text(text, encoding="utf-8")
    commit_all(repo)
    return old, new


REPORT_COMMANDS = (
    ("summary",),
    ("discrepancies",),
    ("diff", "nikkei", "nis"),
    ("timeline",),
)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _assert_inert(text: str) -> None:
    for bad in ("\x1b", "\x07", "\r", "\x9b", "##["):
        assert bad not in text, (bad, text)
    for line in _lines(text):
        assert not line.lstrip().startswith("::"), line


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_no_report_format_lets_a_ledger_string_drive_the_terminal_or_the_runner(
    hostile: tuple[Path, Path], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = hostile
    monkeypatch.chdir(new.parent.parent)
    github = {"GITHUB_ACTIONS": "true"}
    runs = [(*command, "--ledger", str(new)) for command in REPORT_COMMANDS]
    runs.append(("changes", str(old), str(new)))
    for run in runs:
        code, out, err = invoke(*run, "--format", fmt, env=github)
        assert code in (0, 1), (run, err)
        assert "pwned" in out or fmt == "csv" or run[0] == "diff", run  # the text is kept
        _assert_inert(out)
        _assert_inert(err)


def test_markdown_escapes_titles_links_and_html(
    hostile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, new = hostile
    code, out, _ = invoke("summary", "--ledger", str(new), "--format", "md")
    assert code == 0
    title = out.splitlines()[0]
    # the escapes plain text shows (\x0a) are themselves escaped: they render as written
    assert title.startswith(r"### State of knowledge as of ")
    assert r" — x\\x0a::error::pwned \\x1b\]52;c;aGk=\\x07" in title
    assert "\\[link\\](javascript:alert(1))" in title
    assert "\\<img src=x onerror=alert(1)>" in title and "\\$\\\\frac{1\\$" in title
    assert "\\|cell\\|" in title and "\\~\\~s\\~\\~" in title
    assert "<img" not in out.replace("\\<img", "")


def test_csv_cells_that_could_be_formulas_are_guarded(
    hostile: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import io

    old, new = hostile
    code, out, _ = invoke("changes", str(old), str(new), "--format", "csv")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert any("=HYPERLINK(" in cell for cell in cells), cells
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells if cell)

    from reconcile.render.tables import tables_csv
    from reconcile.views.tabular import Column, Table

    table = Table("t", (Column("=a"), Column("n")), (("=HYPERLINK(1)", "-12"), ("@x", "-y")))
    assert tables_csv([table]).splitlines() == [
        "table,'=a,n",
        "t,'=HYPERLINK(1),-12",
        "t,'@x,'-y",
    ]


def test_csv_guard_keeps_numbers_numeric() -> None:
    from reconcile.core.escape import csv_cell

    assert [csv_cell(c) for c in ("-12", "-1,200", "+3.5", "1,000", "")] == [
        "-12",
        "-1,200",
        "+3.5",
        "1,000",
        "",
    ]
    assert [csv_cell(c) for c in ("=1+1", "+cmd", "-x", "@SUM(A1)", "\tx", "\rx", "  =1")] == [
        "'=1+1",
        "'+cmd",
        "'-x",
        "'@SUM(A1)",
        "\\x09x",  # tab and CR are shown escaped: the cell starts with a backslash
        "\\x0dx",
        "'  =1",
    ]


def test_workflow_commands_are_defeated_only_under_github(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reconcile.core.escape import workflow_safe

    text = "a\n  ::error::x\n\u3000::stop-commands::t\nb ##[error]y\n"
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert workflow_safe(text) == text
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert workflow_safe(text) == (
        "a\n  \u200b::error::x\n\u3000\u200b::stop-commands::t\nb #\u200b#[error]y\n"
    )
    assert workflow_safe(text, markdown_text=True) == (
        "a\n  \\::error::x\n\u3000\\::stop-commands::t\nb #\\#[error]y\n"
    )
    assert workflow_safe('{"a": "##[x"}', json_text=True) == '{"a": "#\\u0023[x"}'


def test_json_escapes_c1_controls_and_separators() -> None:
    import json

    from reconcile.render.tables import envelope

    text = envelope("c", [], {"s": "a\x9b2J\u2028\u202eb\x1b"})
    assert not any(ch in text for ch in "\x9b\u2028\u202e\x1b")
    assert json.loads(text)["result"]["s"] == "a\x9b2J\u2028\u202eb\x1b"


def test_messages_on_stderr_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("changes", "x\x1b]0;title\x07", str(ROOT / "data" / "estimates.yaml"))
    assert (code, out) == (2, "")
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;title\\x07" in err


def test_timeline_image_draws_dollar_signs_as_text(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    _, new = hostile
    for body in ("$\\frac{1", "$x^{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{}$", "$$"):
        text = new.read_text(encoding="utf-8").replace(HOSTILE, body.replace("\\", "\\\\"))
        new.write_text(text, encoding="utf-8")
        out = tmp_path / "t.svg"
        code, _, err = invoke("timeline", "--ledger", str(new), "-o", str(out))
        assert code == 0, err
        assert "$" in out.read_text(encoding="utf-8")


# --- 2. one confinement rule: root ledger, archive:, documents, includes ------


def _repository_with_secret(tmp_path: Path, valid_text: str) -> tuple[Path, Path]:
    """A repository holding the gallery ledger, and a secret file beside it, outside."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "gallery" / "archive", repo / "archive")
    git(repo, "init", "-q")
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOKEN=hunter2 and more\n", encoding="utf-8")
    return repo, secret


def _quoting(valid_text: str, archive: str, path: str, quote: str) -> str:
    text = valid_text.replace("archive: archive", f"archive: {archive}", 1)
    text = text.replace("path: article.txt", f"path: {path}", 1)
    first = next(line for line in text.splitlines() if line.strip().startswith("quote:"))
    return text.replace(first, first.split("quote:")[0] + f"quote: '{quote}'", 1)


@pytest.mark.parametrize("archive", ["../outside", "/proc/self", "link"])
def test_the_archive_cannot_leave_the_repository_and_the_oracle_learns_nothing(
    tmp_path: Path, valid_text: str, archive: str
) -> None:
    from reconcile.checks.run import check_file

    repo, secret = _repository_with_secret(tmp_path, valid_text)
    (repo / "link").symlink_to(secret.parent)
    name = "environ" if archive == "/proc/self" else "secret.txt"
    seen = []
    for guess in ("TOKEN=h", "TOKEN=x"):  # a right and a wrong prefix of the secret
        ledger = repo / "ledger.yaml"
        ledger.write_text(_quoting(valid_text, archive, name, guess), encoding="utf-8")
        checked = check_file(ledger, display="ledger.yaml")
        assert checked.texts.keys() == {"article"} - {"article"}
        assert ("path-outside-repository", 3, 10) in [
            (i.check, i.location.line, i.location.column) for i in checked.issues
        ]
        assert not any("hunter2" in str(i) or i.check == "quote-not-found" for i in checked.issues)
        seen.append([str(i).replace(guess, "GUESS") for i in checked.issues])
    assert seen[0] == seen[1]


def test_coverage_never_prints_a_file_outside_the_repository(
    tmp_path: Path, valid_text: str
) -> None:
    repo, _ = _repository_with_secret(tmp_path, valid_text)
    ledger = repo / "ledger.yaml"
    ledger.write_text(_quoting(valid_text, "../outside", "secret.txt", "x"), encoding="utf-8")
    code, out, err = invoke("coverage", "--ledger", str(ledger), "--format", "json")
    assert code in (1, 2)
    assert "hunter2" not in out + err
    assert "path-outside-repository" in err


def test_git_config_is_never_read(tmp_path: Path, valid_text: str) -> None:
    from reconcile.checks.run import check_file

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    (repo / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (repo / "dotgit").symlink_to(repo / ".git")
    for archive, path in ((".", ".git/config"), (".", "dotgit/config"), (".git", "config")):
        ledger = repo / "ledger.yaml"
        ledger.write_text(_quoting(valid_text, archive, path, "AUTHORIZATION"), encoding="utf-8")
        checked = check_file(ledger, display="ledger.yaml")
        assert checked.texts == {}, (archive, path)
        assert "path-outside-repository" in [i.check for i in checked.issues]
        assert not any("c2VjcmV0" in str(i) for i in checked.issues)


def test_a_root_ledger_symlinked_out_of_the_repository_is_refused(
    tmp_path: Path, valid_text: str
) -> None:
    repo, secret = _repository_with_secret(tmp_path, valid_text)
    (repo / "data").mkdir()
    (repo / "data" / "estimates.yaml").symlink_to(secret)
    code, out, err = invoke("validate", str(repo / "data" / "estimates.yaml"))
    assert code == 2
    assert "estimates.yaml: error: the ledger leads outside" in out
    assert "[path-outside-repository]" in out and "hunter2" not in out + err


def test_each_archived_file_is_read_once_within_a_total_budget(
    tmp_path: Path, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.checks.run import check_file
    from reconcile.ingest import reader

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    size = (repo / "archive" / "article.txt").stat().st_size
    (repo / "archive" / "other.txt").write_text("x" * size)
    documents = "".join(
        f"  - id: copy{n}\n    path: article.txt\n    title: t\n    publisher: p\n"
        "    published: 2025-01-12\n"
        for n in range(50)
    )
    documents += (
        "  - id: other\n    path: other.txt\n    title: t\n    publisher: p\n"
        "    published: 2025-01-12\n"
    )
    text = valid_text.replace("documents:\n", "documents:\n" + documents, 1)
    ledger = repo / "ledger.yaml"
    ledger.write_text(text, encoding="utf-8")
    reads: list[Path] = []
    real = reader.read_archived

    def counted(path: Path, cap: int) -> tuple[str | None, str, int]:
        reads.append(path)
        return real(path, cap)

    monkeypatch.setattr(reader, "read_archived", counted)
    # article.txt read once, counted for each of its 50 copies; then nothing fits
    monkeypatch.setattr(reader, "MAX_ARCHIVE_BYTES", 50 * size + 1)
    checked = check_file(ledger, display="ledger.yaml")
    assert [Path(p).name for p in reads] == ["article.txt", "other.txt"]  # once each, in order
    budget = [i for i in checked.issues if i.check == "archive-budget"]
    # other.txt's path:, then the gallery's own document, which names article.txt
    assert [(i.location.line, i.location.column) for i in budget] == [(261, 11), (266, 11)]
    assert "other.txt" in budget[0].message


def test_include_globs_are_bounded(
    tmp_path: Path, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.checks.run import check_file
    from reconcile.ingest import includes

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    for n in range(30):
        (repo / "parts" / f"d{n}").mkdir(parents=True)
        (repo / "parts" / f"d{n}" / "x.yaml").write_text("sources: []\n")
    walks: list[object] = []
    real_walk = os.walk

    def walk(top: Any, *args: Any, **kwargs: Any) -> Any:
        walks.append(top)
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    ledger = repo / "ledger.yaml"

    def run(entry: str) -> list[tuple[str, int, int]]:
        text = valid_text.replace("archive: archive", f"archive: archive\ninclude: ['{entry}']")
        ledger.write_text(text, encoding="utf-8")
        checked = check_file(ledger, display="ledger.yaml")
        return [(i.check, i.location.line, i.location.column) for i in checked.issues]

    assert run("../**/../**/../**/x.yaml") == [("include-too-costly", 4, 11)]
    assert run("../../../../../../usr/**/*.yaml") == [("include-outside", 4, 11)]
    assert walks == []  # refused before walking anything
    assert run("parts/**/x.yaml") == []
    monkeypatch.setattr(includes, "MAX_GLOB_VISITS", 40)
    assert run("parts/**/x.yaml") == [("include-too-costly", 4, 11)]


# --- 4. budgets: every cost a ledger (or a named file) can cause is bounded ---


def _shipped_copy(tmp_path: Path) -> Path:
    """The shipped ledger in a repository of its own, with its archive."""
    repo = tmp_path / "shipped"
    (repo / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "seeds", repo / "seeds")
    git(repo, "init", "-q")
    path = repo / "data" / "estimates.yaml"
    shutil.copy(ROOT / "data" / "estimates.yaml", path)
    return path


@pytest.mark.parametrize("as_of", ["0001-01-01", "2025-01-13/9999-12-31", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_do_not_overflow(tmp_path: Path, as_of: str) -> None:
    path = _shipped_copy(tmp_path)
    path.write_text(path.read_text().replace("as_of: 2025-01-13", f"as_of: {as_of}", 1))
    for command in (("summary",), ("discrepancies",), ("diff", "nis", "zelensky"), ("timeline",)):
        code, _, err = invoke(*command, "--ledger", str(path))
        assert code in (0, 1), (command, err)
        assert "internal error" not in err
    pytest.importorskip("matplotlib")
    code, _, err = invoke("timeline", "--ledger", str(path), "-o", str(tmp_path / "t.svg"))
    assert code in (0, 1) and "internal error" not in err, err


def test_a_megabyte_figure_is_refused_up_front(tmp_path: Path) -> None:
    from reconcile.checks.run import check_file

    path = _shipped_copy(tmp_path)
    text = path.read_text()
    path.write_text(text.replace("killed: at least 300", "killed: '" + "1" * 1_000_000 + "'", 1))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "killed: at least 300" in row)
    checked = check_file(path, display="x.yaml")
    assert [str(i) for i in checked.issues] == [
        f"x.yaml:{line}:14: error: a figure of 1,000,000 characters; a figure is at most 1000 "
        "(a number and its qualifier: 'more than 3,800') [bad-figure]"
    ]


def test_a_ledger_that_is_a_fifo_or_a_device_is_refused_without_blocking(tmp_path: Path) -> None:
    """Ledgers are read by the one reader too: a FIFO (which no one writes) or a
    device is refused, never opened for a read that would wait or never end."""
    from reconcile.ingest.loader import load_file
    from tests.conftest import within

    fifo = tmp_path / "ledger.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        loaded = within(20, load_file, path, display="ledger.yaml")
        assert [str(i) for i in loaded.issues] == [
            "ledger.yaml: error: the file is not a regular file (a device, FIFO or socket) [read]"
        ], path
    add = ("add", "source", "-l", str(fifo), "--name", "X", "--kind", "ngo")
    code, out, err = within(20, invoke, *add)
    assert (code, out) == (2, "")
    assert "the file is not a regular file (a device, FIFO or socket) [read]" in err


@pytest.mark.parametrize("command", ["extract", "import"])
def test_extract_and_import_read_only_regular_files_within_a_cap(
    tmp_path: Path, command: str
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = {
        "/dev/zero": "is not a regular file (a device, FIFO or socket) [read]",
        str(fifo): "is not a regular file (a device, FIFO or socket) [read]",
        str(tmp_path): "is a folder, not a file [read]",
    }
    for path, said in cases.items():
        code, out, err = invoke(command, path)
        assert (code, out) == (2, ""), path
        assert f"{path}: error: the file {said}" in err


def test_the_cap_on_what_extract_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.ingest import reader

    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("x" * 11)
    code, out, err = invoke("extract", str(big))
    assert (code, out, err) == (
        2,
        "",
        f"{big}: error: the file is over the 10-byte cap [too-large]\n",
    )


def test_a_text_that_normalisation_would_blow_up_is_refused(
    tmp_path: Path, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.checks.run import check_file
    from reconcile.ingest import reader

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    (repo / "archive" / "article.txt").write_text("\ufdfa" * 100, encoding="utf-8")
    ledger = repo / "ledger.yaml"
    ledger.write_text(valid_text, encoding="utf-8")
    monkeypatch.setattr(reader, "MAX_NORMALISED_CHARS", 1000)  # U+FDFA: 18 characters each
    checked = check_file(ledger, display="ledger.yaml")
    assert [(str(i.location), i.check) for i in checked.issues] == [
        ("ledger.yaml:11:11", "archive-missing")
    ]
    assert "grows over 1,000 characters when normalised" in checked.issues[0].message


def test_normalising_with_offsets_copies_ascii_runs_exactly_as_char_by_char() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from reconcile.core.text import normalise
    from reconcile.reports.coverage import _normalised_with_offsets

    def reference(text: str) -> tuple[str, list[int]]:
        chars: list[str] = []
        offsets: list[int] = []
        space = False
        for index, char in enumerate(text):
            out = normalise(unicodedata.normalize("NFKC", char)) if not char.isspace() else " "
            if char.isspace() or out == "":
                if not space and chars:
                    chars.append(" ")
                    offsets.append(index)
                space = True
                continue
            space = False
            for piece in out:
                chars.append(piece)
                offsets.append(index)
        return "".join(chars), offsets

    alphabet = st.sampled_from(list("ab -,.1\u00a0\t\n“”—ﬁ\ufdfa\u0301é"))

    @given(st.text(alphabet, max_size=40))
    def same(text: str) -> None:
        assert _normalised_with_offsets(text) == reference(text)

    same()


def test_import_numbers_colliding_ids_in_one_step_each() -> None:
    from reconcile.authoring.columns import Numbering as _Numbering

    numbering = _Numbering()
    assert [numbering.take("a") for _ in range(4)] == ["a", "a-2", "a-3", "a-4"]
    assert numbering.take("a-2") == "a-2-2"  # a taken id is never given twice
    assert numbering.take("b" * 80) == "b" * 80
    assert numbering.take("b" * 80) == "b" * 76 + "-2"


def test_markdown_under_github_fits_a_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.render.tables import MAX_MARKDOWN_BYTES, render_tables
    from reconcile.views.tabular import Column, OutputFormat, Table

    rows = tuple((f"row {n}", "x" * 1000) for n in range(2000))
    table = Table("t", (Column("a"), Column("b")), rows)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = render_tables([table], OutputFormat.MD, command="c", ledgers=[], result=None)
    assert len(text.encode()) <= MAX_MARKDOWN_BYTES + 1000
    kept = sum(line.startswith("| row ") for line in text.splitlines())
    assert f"… and {2000 - kept:,} more row(s): a step summary holds at most 1 MiB" in text
    monkeypatch.delenv("GITHUB_ACTIONS")
    text = render_tables([table], OutputFormat.MD, command="c", ledgers=[], result=None)
    assert sum(line.startswith("| row ") for line in text.splitlines()) == 2000


def test_yaml_written_under_github_holds_no_workflow_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.ingest.loader import load_text
    from reconcile.ingest.writer import dump_yaml

    data = {
        "a": "x ##[add-mask]y",
        "b": "w " * 60 + "::error::z",  # folded: the command would start a line
        "c": "::warning::q\n::error::r",
        "d": ["::x"],
    }
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = dump_yaml(data)
    assert load_text(text, "x.yaml").data == data
    _assert_inert(text)
    # and through `import`, whose YAML goes to stdout
    claims = tmp_path / "claims.csv"
    claims.write_text(
        (EXAMPLES / "claims.csv").read_text().replace("South Korean", "::error::South ##[Korean")
    )
    code, out, err = invoke("import", str(claims), env={"GITHUB_ACTIONS": "true"})
    assert code == 1 and "South" in out
    _assert_inert(out)
    _assert_inert(err)


def test_outside_a_repository_a_reconcile_toml_marks_the_project_folder(tmp_path: Path) -> None:
    """The layout `reconcile init` writes (data/estimates.yaml, archive beside data/)
    validates outside a repository because of its reconcile.toml; without one the
    ledger's folder is the boundary; a repository's root always wins over a
    reconcile.toml nearer the ledger, so a pull request can only narrow the rule."""
    from reconcile.ingest.confine import confinement_root
    from tests.conftest import copy_shipped

    ledger = copy_shipped(tmp_path)
    assert confinement_root(ledger) == tmp_path.resolve()
    code, out, _ = invoke("validate", str(ledger))
    assert (code, out) == (0, "")
    (tmp_path / "reconcile.toml").unlink()
    assert confinement_root(ledger) == (tmp_path / "data").resolve()
    code, out, _ = invoke("validate", str(ledger))
    assert code == 1 and "[path-outside-repository]" in out
    (tmp_path / ".git").mkdir()
    (tmp_path / "data" / "reconcile.toml").write_text("", encoding="utf-8")
    assert confinement_root(ledger) == tmp_path.resolve()


def _with_originals(valid_text: str, names: list[str], digest: str) -> str:
    """The gallery ledger with one document per name in `names`, each naming that
    archived original with `digest` as its recorded sha256."""
    documents = "".join(
        f"  - id: copy{n}\n    path: article.txt\n    original: {name}\n"
        f"    sha256: {digest}\n    title: t\n    publisher: p\n    published: 2025-01-12\n"
        for n, name in enumerate(names)
    )
    return valid_text.replace("documents:\n", "documents:\n" + documents, 1)


def test_an_original_named_by_many_documents_is_hashed_once_within_a_total_budget(
    tmp_path: Path, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,000 documents naming one big original cost one read, not 1,000; and all
    originals of a run together are hashed up to a budget, then named as unchecked."""
    import hashlib

    from reconcile.checks.run import check_file
    from reconcile.ingest import originals, reader
    from reconcile.ingest.originals import CHANGED

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    big = b"<html>" + b"x" * 100_000
    (repo / "archive" / "page.html").write_bytes(big)
    (repo / "archive" / "other.html").write_bytes(b"y" * 100_000)
    digest = hashlib.sha256(big).hexdigest()
    hashed: list[str] = []
    real = reader.sha256_regular

    def counted(path: Path, cap: int) -> tuple[str, int] | str:
        hashed.append(path.name)
        return real(path, cap)

    monkeypatch.setattr(originals, "sha256_regular", counted)
    ledger = repo / "ledger.yaml"
    ledger.write_text(_with_originals(valid_text, ["page.html"] * 1000, digest), "utf-8")
    checked = check_file(ledger, display="ledger.yaml")
    assert hashed == ["page.html"]
    assert not [i for i in checked.issues if i.check == "original-changed"]

    hashed.clear()
    monkeypatch.setattr(originals, "MAX_ORIGINALS_BYTES", 150_000)
    names = ["page.html", "other.html", "page.html"]
    ledger.write_text(_with_originals(valid_text, names, digest), "utf-8")
    found = [i for i in check_file(ledger).issues if i.check in ("archive-budget", CHANGED)]
    assert hashed == ["page.html", "other.html"]  # the second did not fit what was left
    assert [(i.check, i.location.line, i.message) for i in found] == [  # its sha256:
        (
            "archive-budget",
            20,
            "document 'copy1': the original 'other.html' was not checked: the originals of "
            "this ledger are over 150,000 bytes together",
        )
    ]
    # selecting the check it left undone still shows that it was left undone
    selected = check_file(ledger, ids=frozenset({"original-changed"})).issues
    assert [(i.check, i.location.line) for i in selected] == [("archive-budget", 20)]


@pytest.mark.parametrize("archive", ["../outside", "link"])
def test_originals_outside_the_repository_are_never_hashed(
    tmp_path: Path, valid_text: str, archive: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive folder that leads out of the repository is refused for texts; its
    originals are not hashed either (whether a file exists there, or its sha256, is
    not the ledger's to learn)."""
    import hashlib

    from reconcile.checks.run import check_file
    from reconcile.ingest import originals

    repo, secret = _repository_with_secret(tmp_path, valid_text)
    (repo / "link").symlink_to(secret.parent)
    monkeypatch.setattr(originals, "sha256_regular", lambda *_: pytest.fail("hashed"))
    seen = []
    for digest in (hashlib.sha256(secret.read_bytes()).hexdigest(), "0" * 64):
        text = _with_originals(valid_text, ["secret.txt"], digest)
        ledger = repo / "ledger.yaml"
        ledger.write_text(text.replace("archive: archive", f"archive: {archive}", 1), "utf-8")
        checked = check_file(ledger, display="ledger.yaml")
        changed = [i.message for i in checked.issues if i.check == "original-changed"]
        assert changed == ["document 'copy0': the original 'secret.txt' is outside the repository"]
        seen.append([str(i) for i in checked.issues])
    assert seen[0] == seen[1]


def test_an_original_that_is_a_fifo_is_named_not_waited_on(tmp_path: Path, valid_text: str) -> None:
    from reconcile.checks.run import check_file

    repo, _ = _repository_with_secret(tmp_path, valid_text)
    os.mkfifo(repo / "archive" / "page.html")
    ledger = repo / "ledger.yaml"
    ledger.write_text(_with_originals(valid_text, ["page.html"], "0" * 64), "utf-8")
    changed = [i.message for i in check_file(ledger).issues if i.check == "original-changed"]
    assert changed == [
        "document 'copy0': the original 'page.html' is not a regular file "
        "(a device, FIFO or socket)"
    ]


def test_hashing_reads_what_reading_reads(tmp_path: Path) -> None:
    import hashlib

    from reconcile.ingest.reader import read_regular, sha256_regular

    path = tmp_path / "f"
    for size in (0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20):
        path.write_bytes(os.urandom(size))
        raw = read_regular(path, 3 << 20)
        assert isinstance(raw, bytes)
        assert sha256_regular(path, 3 << 20) == (hashlib.sha256(raw).hexdigest(), size)
        assert sha256_regular(path, size - 1) == read_regular(path, size - 1) or size == 0


_ODD_PATHS = [
    "plain.txt",
    "sub/inner.txt",
    "./plain.txt",
    "sub//inner.txt",
    "sub/../plain.txt",
    "link-in.txt",
    "link-out.txt",
    "linked-dir/inner.txt",
    ".git/config",
    "sub/.GIT/config",
    ".Git",
    "missing.txt",
    "sub",
    "sub/missing/x.txt",
    "fifo",
]


def _archive_layout(tmp_path: Path) -> Path:
    """A repository whose archive holds every kind of name a document can give."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[credential]\n", encoding="utf-8")
    archive = tmp_path / "archive"
    (archive / "sub" / ".GIT").mkdir(parents=True)
    (archive / ".git").mkdir()
    (archive / ".git" / "config").write_text("token 7", encoding="utf-8")
    (archive / "sub" / ".GIT" / "config").write_text("token 7", encoding="utf-8")
    (archive / ".Git").write_text("said 7", encoding="utf-8")
    (archive / "plain.txt").write_text("said 7", encoding="utf-8")
    (archive / "sub" / "inner.txt").write_text("said 7", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret 7", encoding="utf-8")
    (archive / "link-in.txt").symlink_to(archive / "plain.txt")
    (archive / "link-out.txt").symlink_to(outside)
    (archive / "linked-dir").symlink_to(archive / "sub")
    os.mkfifo(archive / "fifo")
    documents = "".join(
        f"  - {{id: d{i}, title: T, publisher: P, published: 2024, path: {path!r}}}\n"
        for i, path in enumerate(_ODD_PATHS)
    )
    estimates = "".join(
        f"  - {{id: e{i}, claimant: s, as_of: 2024, killed: 7, "
        f"reported_in: [{{document: d{i}, quote: said 7}}]}}\n"
        for i in range(len(_ODD_PATHS))
    )
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "title: t\nsubject: s\narchive: archive\n"
        "sources:\n  - {id: s, name: S, kind: media, party: third-party}\n"
        f"documents:\n{documents}estimates:\n{estimates}",
        encoding="utf-8",
    )
    return ledger


def test_archived_paths_read_the_short_way_are_those_the_reference_resolves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ingest/archive.py resolves the usual document path with one lstat per name of
    its own (`_real_below`) and leaves the rest to `Path.resolve` and `_confined`: on
    every kind of name (symlinks in and out, `.git` in any case, '.', '..', '//', a
    folder, a FIFO, missing files) the texts read and the issues are the reference's,
    and the short way is taken for the plain names (else this would prove nothing)."""
    from reconcile.checks.run import check_file
    from reconcile.ingest import archive

    ledger = _archive_layout(tmp_path)
    folder = (tmp_path / "archive").resolve()
    short = {p: archive._real_below(str(folder), p) for p in _ODD_PATHS}
    assert short["plain.txt"] == str(folder / "plain.txt")
    assert short["sub/inner.txt"] == str(folder / "sub" / "inner.txt")
    assert {p for p, found in short.items() if found is not None} == {
        "plain.txt",
        "sub/inner.txt",
        "sub",
        "fifo",
    }
    for path, found in short.items():
        if found is not None:
            assert found == str((folder / path).resolve())
    fast = check_file(ledger)
    monkeypatch.setattr(archive, "_real_below", lambda folder, path: None)
    reference = check_file(ledger)
    assert fast.texts == reference.texts
    assert fast.issues == reference.issues
    assert sorted(fast.texts) == ["d0", "d1", "d2", "d3", "d5", "d7"]
    checks = {issue.check for issue in fast.issues}
    assert {"path-outside-archive", "path-outside-repository", "archive-missing"} <= checks


def test_the_shipped_archive_is_read_the_short_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document of the shipped ledger is resolved by `_real_below`: one lstat per
    name of its path, none spent on the folders above the archive (counted)."""
    from reconcile.core.models import Ledger
    from reconcile.ingest import archive
    from reconcile.ingest.build import build
    from reconcile.ingest.includes import load_ledger
    from tests.conftest import SHIPPED

    files = load_ledger(SHIPPED)
    ledger, origins, _ = build(files.files)
    assert isinstance(ledger, Ledger)
    reference = archive.read_archive(ledger, origins, SHIPPED, files.archives)
    calls: list[str] = []
    real_lstat = os.lstat

    def lstat(path: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)
    folder = str(archive.archive_folder(ledger, SHIPPED)) + os.sep
    archived = [d for d in ledger.documents if d.path is not None]
    assert archived
    names = sum(len(d.path.split("/")) for d in archived if d.path is not None)
    outside = []
    for times in (1, 3):  # the documents, then each three times over (ids apart)
        documents = tuple(
            d.model_copy(update={"id": f"{d.id}-{i}"}) for i in range(times) for d in archived
        )
        more = ledger.model_copy(update={"documents": documents})
        where = origins.__class__(
            origins.header,
            places={
                id(d): (d, "documents", *origins.origin(origin))
                for d, origin in zip(documents, archived * times, strict=True)
            },
        )
        calls.clear()
        found = archive.read_archive(more, where, SHIPPED, files.archives)
        assert [found.texts[f"{d.id}-0"] for d in archived] == [
            reference.texts[d.id] for d in archived
        ]
        assert not found.issues and not reference.issues
        under = [c for c in calls if c.startswith(folder)]
        assert len(under) == names * times  # one lstat per name of each path
        outside.append(len(calls) - len(under))
    assert outside[0] == outside[1]  # none per document above the archive folder


def test_svg_and_html_show_control_characters_as_codes(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    """A name with C0 controls (XML refuses them: the SVG would not be well-formed)
    and a bidi override (it would reverse what a reader sees) is written with each
    shown as its code, in the SVG (parsed as XML here) and in the HTML report."""
    pytest.importorskip("jinja2")
    from xml.etree import ElementTree

    new, _ = hostile  # the shipped ledger, one source renamed
    text = new.read_text(encoding="utf-8")
    assert "name: Nikkei Asia" in text
    text = text.replace("name: Nikkei Asia", 'name: "Nikkei\\x1cAsia \\u202eevil\\x0b"')
    new.write_text(text, encoding="utf-8")
    svg = tmp_path / "t.svg"
    code, _, err = invoke("timeline", "--ledger", str(new), "-o", str(svg))
    assert code == 0, err
    drawn = svg.read_text(encoding="utf-8")
    ElementTree.fromstring(drawn)  # well-formed XML
    assert not any(ch in drawn for ch in "\x1c\x0b\u202e")
    assert "Nikkei\\x1cAsia \\u202eevil\\x0b" in drawn
    page = tmp_path / "r.html"
    code, _, err = invoke("report", "--ledger", str(new), "-o", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert not any(ch in html for ch in "\x1c\x0b\u202e")
    assert "Nikkei\\x1cAsia \\u202eevil\\x0b" in html
