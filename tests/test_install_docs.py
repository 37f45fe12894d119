"""Install instructions that really work: every `pip install` line in the README
and docs/ installs this project (from the checkout, or by its distribution
name), never the unrelated `reconcile` on PyPI; and every requirement is a range
with an upper bound."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from tests.conftest import ROOT

DISTRIBUTION = "reconcile-ledger"
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
PIP_INSTALL = re.compile(r"pip install ([^`\n]+)")


def install_lines() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for match in PIP_INSTALL.finditer(path.read_text(encoding="utf-8")):
            found.append((path.name, match.group(1).strip()))
    return found


def _installs_this_project(target: str) -> bool:
    """A checkout path with extras ('.', '-e .[test]', "'.[charts]'") or our distribution
    by name, perhaps from a git URL ('reconcile-ledger @ git+https://...')."""
    name = re.split(r"[\s\[@<>=~!;]", target, maxsplit=1)[0]
    return name in (".", "./") or name.startswith("./") or name == DISTRIBUTION


def test_the_docs_have_install_lines() -> None:
    files = {name for name, _ in install_lines()}
    assert {"README.md", "ci.md"} <= files


@pytest.mark.parametrize(("doc", "line"), install_lines())
def test_every_install_line_installs_this_project(doc: str, line: str) -> None:
    words = [w for w in shlex.split(line.split("&&", maxsplit=1)[0]) if not w.startswith("-")]
    assert words, (doc, line)
    for target in words:
        assert _installs_this_project(target), f"{doc}: pip install {line}"


def test_the_distribution_is_named_for_the_docs_and_the_command_stays() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"reconcile": "reconcile.cli:main"}
    extras = project["optional-dependencies"]
    for requirement in extras["test"]:
        assert not requirement.startswith("reconcile["), requirement


def test_every_requirement_has_a_lower_and_an_upper_bound() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    requirements = [*project["dependencies"], *pyproject["build-system"]["requires"]]
    for extra in project["optional-dependencies"].values():
        requirements += [r for r in extra if not r.startswith(DISTRIBUTION)]
    for requirement in requirements:
        assert ">=" in requirement and "<" in requirement.replace("<=", ""), requirement
