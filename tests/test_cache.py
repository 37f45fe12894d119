"""The opt-in cache (`validate --cache DIR`): the same issues with and without it,
only what changed recomputed, nothing trusted that is not ours, never inside the
repository, bounded, atomic and safe with two runs at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.checks.run import Checked, check_file
from reconcile.cli import app
from reconcile.ingest import cache as store
from reconcile.ingest.replacing import temporaries
from tests.conftest import ROOT, copy_shipped, git
from tests.economist import import_ledger

BENCH = ROOT / "benchmarks"


def _generated(folder: Path, n: int = 300, errors: int = 0) -> Path:
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(n), "--out", str(folder),
         "--errors", str(errors)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )  # fmt: skip
    return Path(done.stdout.split()[0])


def _mutated(folder: Path) -> Path:
    """The shipped ledger with provenance problems of every kind: a quote not in its
    document, a figure not in its quote, a wording the quote does not give, a
    figure whose words the quote does not keep."""
    path = copy_shipped(folder)
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("casualties: around 3,800", "casualties: around 3,900"),
        ('wording: {casualties: "nearly 3,800"}', 'wording: {casualties: "nearly 3,700"}'),
        ("casualties: more than 3 000", "casualties: at least 3 000"),
        ("Two captured North Korean soldiers told", "Two captured North Korean soldiers said to"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _three_runs(path: Path, cache: Path) -> tuple[Checked, Checked, Checked]:
    plain = check_file(path)
    cold = check_file(path, cache=cache)
    warm = check_file(path, cache=cache)
    return plain, cold, warm


@pytest.mark.parametrize("which", ["shipped", "economist", "mutated", "generated"])
def test_the_same_issues_with_and_without_a_warm_cache(tmp_path: Path, which: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    path = {
        "shipped": lambda: copy_shipped(project),
        "economist": lambda: import_ledger(project),
        "mutated": lambda: _mutated(project),
        "generated": lambda: _generated(project, errors=5),
    }[which]()
    plain, cold, warm = _three_runs(path, tmp_path / "cache")
    assert cold.issues == plain.issues
    assert warm.issues == plain.issues  # every issue: check, message, hint and location
    assert warm.acknowledged == plain.acknowledged
    assert plain.ledger is not None
    estimates = len(plain.ledger.estimates)
    assert cold.cached == (0, estimates)
    assert warm.cached == (estimates, 0)
    if which == "mutated":
        checks = {issue.check for issue in plain.issues}
        assert {"quote-not-found", "figure-not-in-quote", "wording-not-in-quote"} <= checks


def test_a_warm_cache_spares_reading_the_quotes_numbers_for_every_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Provenance runs first and fills each quote's numbers (from the cache when warm),
    so the evidence and meaning checks read none again: a warm run reads no quote's
    numbers at all (the cache would otherwise cost more than it spares)."""
    from reconcile.checks import provenance
    from reconcile.core.numbers import NumberMention, find_numbers

    path = _generated(tmp_path / "project", n=120)
    read: list[str] = []

    def counted(text: str) -> list[NumberMention]:
        read.append(text)
        return find_numbers(text)

    monkeypatch.setattr(provenance, "find_numbers", counted)
    check_file(path)
    assert len(read) >= 120  # every quote read once...
    assert len(read) == len(set(read))  # ...and only once
    check_file(path, cache=tmp_path / "cache")  # cold: fills the cache
    read.clear()
    warm = check_file(path, cache=tmp_path / "cache")
    assert warm.cached == (120, 0) and read == []


def test_an_edited_entry_alone_is_checked_again_and_moved_ones_located_afresh(
    tmp_path: Path,
) -> None:
    path = _generated(tmp_path / "project")
    cache = tmp_path / "cache"
    assert check_file(path, cache=cache).cached == (0, 300)
    text = path.read_text(encoding="utf-8")
    # one estimate's figure edited so that its quote no longer holds it, and a line
    # added near the top: every entry below it moves down one line
    assert text.count("    killed: at least ") > 1
    head, _, tail = text.partition("    killed: at least ")
    edited = head + "    killed: at least 1" + tail
    edited = edited.replace("sources:\n", "sources:\n  # a comment that moves every entry\n", 1)
    path.write_text(edited, encoding="utf-8")
    warm = check_file(path, cache=cache)
    assert warm.cached == (299, 1)
    plain = check_file(path)
    assert warm.issues == plain.issues
    assert "figure-not-in-quote" in [issue.check for issue in plain.issues]


def test_an_archived_document_changed_checks_its_estimates_again(tmp_path: Path) -> None:
    path = _generated(tmp_path / "project")
    cache = tmp_path / "cache"
    check_file(path, cache=cache)
    document = path.parent / "archive_300" / "doc-000000.txt"
    citing = path.read_text(encoding="utf-8").count("document: doc-000000\n")
    assert citing > 0
    document.write_text(document.read_text(encoding="utf-8") + "\nA correction.\n", "utf-8")
    assert check_file(path, cache=cache).cached == (300 - citing, citing)


def _pack(cache: Path) -> Path:
    (found,) = [p for p in cache.iterdir() if p.name.startswith(store.PREFIX)]
    return found


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "\x00\xff" + text,  # not text
        lambda text: "[" * 100_000,  # nested past the JSON reader
        lambda text: text.replace('"tool":"', '"tool":"x', 1),  # another version's
        lambda text: text.replace('"format":1', '"format":2', 1),
        lambda text: json.dumps({"format": 1, "tool": store.fingerprint(), "entries": []}),
    ],
    ids=["cut", "binary", "deep", "foreign-tool", "format", "shape"],
)
def test_a_corrupt_or_foreign_pack_is_a_miss_never_trusted(tmp_path: Path, spoil: object) -> None:
    path = _mutated(tmp_path / "project")
    cache = tmp_path / "cache"
    plain = check_file(path, cache=cache)
    pack = _pack(cache)
    pack.write_text(spoil(pack.read_text(encoding="ascii")), encoding="latin-1")  # type: ignore[operator]
    again = check_file(path, cache=cache)
    assert again.cached[0] == 0
    assert again.issues == plain.issues


def test_an_entry_that_is_not_what_we_store_is_a_miss(tmp_path: Path) -> None:
    """Each entry is checked field by field: a number that is not where it says in
    its quote, an issue of the wrong shape, an unknown severity: recomputed."""
    path = _mutated(tmp_path / "project")
    cache = tmp_path / "cache"
    plain = check_file(path, cache=cache)
    pack = _pack(cache)
    data = json.loads(pack.read_text(encoding="ascii"))
    entries = data["entries"]
    keys = sorted(entries)
    with_numbers = [k for k in keys if any(entries[k]["numbers"])]
    with_issues = [k for k in keys if entries[k]["issues"]]
    assert with_numbers and with_issues
    entries[with_numbers[0]]["numbers"][0][0][1] += 1  # a number moved in its quote
    entries[with_issues[0]]["issues"][0][1] = "catastrophe"  # no such severity
    entries[keys[-1]] = {"issues": "none", "numbers": []}
    pack.write_text(json.dumps(data), encoding="ascii")
    again = check_file(path, cache=cache)
    spoilt = len({with_numbers[0], with_issues[0], keys[-1]})
    assert again.cached == (len(keys) - spoilt, spoilt)
    assert again.issues == plain.issues


def test_a_cache_inside_the_repository_is_refused_even_git_ignored(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    ledger = copy_shipped(repo)
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    runner = CliRunner()
    for cache in (repo / ".cache", repo / "data" / "cache", repo):
        result = runner.invoke(app, ["validate", str(ledger), "--cache", str(cache)])
        assert result.exit_code == 2, result.output
        assert "inside" in result.output and "no cache" in result.output
        assert not (repo / ".cache").exists()
    os.symlink(repo / "data", tmp_path / "link")  # a way in from outside
    result = runner.invoke(app, ["validate", str(ledger), "--cache", str(tmp_path / "link")])
    assert result.exit_code == 2
    result = runner.invoke(
        app, ["summary", "--ledger", str(ledger)], env={store.ENV_CACHE: str(repo / ".cache")}
    )
    assert result.exit_code == 2
    assert f"${store.ENV_CACHE}" in result.output


def test_the_cli_uses_the_folder_it_is_given_and_says_what_it_reused(tmp_path: Path) -> None:
    ledger = copy_shipped(tmp_path / "project")
    cache = tmp_path / "cache"
    runner = CliRunner()
    first = runner.invoke(app, ["validate", str(ledger), "--cache", str(cache)])
    second = runner.invoke(app, ["validate", str(ledger)], env={store.ENV_CACHE: str(cache)})
    assert first.exit_code == second.exit_code
    assert first.stdout == second.stdout
    assert "0 estimate(s) reused" in first.output
    assert "estimate(s) reused, 0 checked afresh" in second.output
    report = runner.invoke(
        app, ["summary", "--ledger", str(ledger)], env={store.ENV_CACHE: str(cache)}
    )
    assert report.exit_code == 0
    assert report.stdout == runner.invoke(app, ["summary", "--ledger", str(ledger)]).stdout


def test_no_setting_of_the_checkout_names_a_cache(tmp_path: Path) -> None:
    """Settings (reconcile.toml, [tool.reconcile]) cannot switch the cache on or
    point it anywhere: only --cache or the environment do."""
    ledger = copy_shipped(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    for name, text in (
        ("reconcile.toml", f'cache = "{elsewhere}"\ncache-dir = "{elsewhere}"\n'),
        ("pyproject.toml", f'[tool.reconcile]\ncache = "{elsewhere}"\n'),
    ):
        (tmp_path / "project" / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(ledger)], env={store.ENV_CACHE: None})
    assert "reused" not in result.output
    assert not elsewhere.exists()


def test_packs_are_bounded_in_number_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_PACKS", 2)
    cache = tmp_path / "cache"
    ledgers = []
    for n in range(3):
        ledgers.append(copy_shipped(tmp_path / f"p{n}"))
        check_file(ledgers[-1], cache=cache)
        os.utime(_newest(cache), (n + 1e9, n + 1e9))  # written in this order
    assert len([p for p in cache.iterdir() if p.name.startswith(store.PREFIX)]) == 2
    monkeypatch.setattr(store, "MAX_PACK_BYTES", 100)
    assert check_file(ledgers[-1], cache=cache).cached[0] == 0  # too large to read: a miss


def _newest(cache: Path) -> Path:
    return max(cache.iterdir(), key=lambda p: p.stat().st_mtime_ns)


def test_two_runs_at_once_leave_a_whole_pack(tmp_path: Path) -> None:
    path = _generated(tmp_path / "project", n=2000)
    cache = tmp_path / "cache"
    argv = [sys.executable, "-m", "reconcile", "validate", str(path), "--cache", str(cache)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    outcomes = [(run.returncode, err) for run, err in zip(runs, errors, strict=True)]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert all("Traceback" not in err for _, err in outcomes)
    assert temporaries(cache, "*") == []
    assert check_file(path, cache=cache).cached == (2000, 0)


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path) -> None:
    ledger = copy_shipped(tmp_path / "project")
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert check_file(ledger, cache=blocked / "cache").issues == check_file(ledger).issues
    shutil.rmtree(tmp_path / "project")


def test_a_cited_document_entry_edited_checks_its_estimates_again(tmp_path: Path) -> None:
    """The key holds the entries as written (the estimate's and its documents'),
    not only the fields provenance reads today: a check that comes to read a
    document's date or language can never be answered from an older result."""
    path = _generated(tmp_path / "project")
    cache = tmp_path / "cache"
    check_file(path, cache=cache)
    text = path.read_text(encoding="utf-8")
    citing = text.count("document: doc-000000\n")
    entry = "  - id: doc-000000\n"
    assert entry in text
    path.write_text(text.replace(entry, entry + "    notes: checked again\n", 1), "utf-8")
    assert check_file(path, cache=cache).cached == (300 - citing, citing)
