"""CI integration: docs/ci.md is complete and its pre-commit config really works.

The pre-commit test is a real run: it copies this checkout into a temporary
git repository (pre-commit installs a hook repository from a commit), then
runs `pre-commit try-repo` and the documented `.pre-commit-config.yaml` on a
temporary ledger repository holding a good and a bad ledger.  pre-commit
builds a virtual environment and installs reconcile and its dependencies from
the package index, so this takes a while.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reconcile.checks import CHECKS
from reconcile.ingest.loader import load_file, load_text
from tests.conftest import GALLERY, ROOT

CI_DOC = ROOT / "docs" / "ci.md"


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.DOTALL)


def test_ci_doc_lists_every_check_id() -> None:
    text = CI_DOC.read_text(encoding="utf-8")
    listed = re.findall(
        r"^\| `([a-z0-9-]+)` \| (error|warning) \| (.+) \|$", text, flags=re.MULTILINE
    )
    assert [(i, s, d) for i, s, d in listed] == [
        (check.id, check.severity.value, check.description) for check in CHECKS.values()
    ]


def test_ci_doc_yaml_blocks_parse() -> None:
    blocks = yaml_blocks(CI_DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    for block in blocks[:2]:  # the workflow and the pre-commit config are whole files
        loaded = load_text(block, "docs/ci.md")
        assert loaded.issues == () and isinstance(loaded.data, dict)


def test_hook_definition() -> None:
    loaded = load_file(ROOT / ".pre-commit-hooks.yaml")
    assert loaded.issues == ()
    assert isinstance(loaded.data, list)
    (hook,) = loaded.data
    assert hook["id"] == "reconcile-validate"
    assert hook["entry"] == "reconcile validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], "data/estimates.yaml")
    assert not re.search(hook["files"], "seeds/article.txt")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def _git(cwd: Path, env: dict[str, str], *args: str) -> None:
    done = _run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd, env)
    assert done.returncode == 0, done.stderr


@pytest.mark.integration
def test_pre_commit_hook_for_real(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for name in ("GITHUB_ACTIONS", "RECONCILE_LEDGER", "RECONCILE_MAX_BYTES"):
        env.pop(name, None)
    pre_commit = [sys.executable, "-m", "pre_commit"]

    # the hook repository: this checkout, committed as it is now
    source = tmp_path / "reconcile"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "__pycache__", "*_cache", ".hypothesis", "*.egg-info", "build"
        ),
    )
    _git(source, env, "init", "-q")
    _git(source, env, "add", "-A")
    _git(source, env, "commit", "-q", "-m", "reconcile")

    # a newsroom's ledger repository with a good and a bad ledger
    ledgers = tmp_path / "ledgers"
    shutil.copytree(GALLERY / "archive", ledgers / "data" / "archive")
    good = (GALLERY / "valid.yaml").read_text(encoding="utf-8")
    (ledgers / "data" / "good.yaml").write_text(good, encoding="utf-8")
    (ledgers / "data" / "bad.yaml").write_text(
        good.replace("kind: government", "kind: goverment"), encoding="utf-8"
    )
    (ledgers / "notes.yml").write_text("not: [a, ledger]\n", encoding="utf-8")
    _git(ledgers, env, "init", "-q")
    _git(ledgers, env, "add", "-A")

    # pre-commit try-repo, on the good file, then on both
    both = ["data/good.yaml", "data/bad.yaml"]
    tried = _run(
        [*pre_commit, "try-repo", str(source), "reconcile-validate", "--files", "data/good.yaml"],
        ledgers,
        env,
    )
    assert tried.returncode == 0, tried.stdout + tried.stderr
    assert "reconcile validate" in tried.stdout and "Passed" in tried.stdout
    tried = _run(
        [*pre_commit, "try-repo", str(source), "reconcile-validate", "--files", *both],
        ledgers,
        env,
    )
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "Failed" in tried.stdout
    assert (
        "data/bad.yaml:7:11: error: kind 'goverment' is not one of 'government', "
        "'military', 'intelligence', 'media', 'ngo', 'individual' or 'other' [wrong-value]"
    ) in tried.stdout
    assert "data/good.yaml:" not in tried.stdout

    # the consumer config exactly as docs/ci.md gives it, pointed at the hook repository
    config = yaml_blocks(CI_DOC.read_text(encoding="utf-8"))[1]
    head = _run(["git", "rev-parse", "HEAD"], source, env).stdout.strip()
    config = re.sub(r"repo: \S+", f"repo: {source}", config, count=1)
    config = re.sub(r"rev: \S+", f"rev: {head}", config, count=1)
    (ledgers / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(ledgers, env, "add", "-A")
    ran = _run([*pre_commit, "run", "--all-files"], ledgers, env)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "data/bad.yaml:7:11: error: kind 'goverment'" in ran.stdout
    assert "notes.yml" not in ran.stdout  # files: narrows the hook to the ledgers
    (ledgers / "data" / "bad.yaml").unlink()
    _git(ledgers, env, "add", "-A")
    ran = _run([*pre_commit, "run", "--all-files"], ledgers, env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
