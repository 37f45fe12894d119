"""`reconcile init`: a new ledger folder that validates from its first commit.

    FOLDER/
      data/estimates.yaml           the ledger, commented, with the schema modeline
      archive/                      the archived articles (empty)
      schema/ledger.schema.json     the JSON Schema editors read
      .pre-commit-config.yaml       validate before each commit
      .github/workflows/ledger.yml  validate (strict) on every push and pull request

Nothing that exists is overwritten: an existing ledger stops init, other
existing files are kept and listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reconcile.core.models import json_schema

LEDGER = Path("data") / "estimates.yaml"
ARCHIVE = Path("archive")

_LEDGER_TEMPLATE = """\
# yaml-language-server: $schema=../schema/ledger.schema.json
# A reconcile ledger: every figure, who claimed it, when, and in which words,
# each quoted from an archived article.  Format: `reconcile schema`, and
# docs/ledger-format.md in reconcile's repository.
#
#   reconcile archive add saved-page.html     archive an article, add its document
#   reconcile extract archive/<file>.txt      list the figures it gives
#   reconcile add estimate --claimant ...     add one, checked against the quote
#   reconcile validate                        check everything
title: {title}
subject: {subject}
archive: ../archive

# Who makes claims.  For example:
#   - id: nis
#     name: National Intelligence Service of South Korea (NIS)
#     kind: intelligence  # government, military, intelligence, media, ngo, individual, other
#     party: third-party            # or the belligerent it speaks for
#     aliases: [NIS, South Korean spy agency]
sources: []

# The archived reports.  `reconcile archive add` writes these for you.
documents: []

# One claim each: who, as of when, which figures, and the quote that gives them.
#   - id: nis-2025-01-13
#     claimant: nis
#     as_of: 2025-01-13
#     killed: at least 300          # the words of the source: "at least", "about", ...
#     reported_in:
#       - document: <a document id>
#         quote: at least 300 North Korean soldiers ... have died
estimates: []
"""

_PRE_COMMIT = """\
# Validate the ledger before each commit: pre-commit install
repos:
  - repo: local
    hooks:
      - id: reconcile-validate
        name: reconcile validate
        entry: reconcile validate data/estimates.yaml
        language: system
        files: ^(data|archive)/
        pass_filenames: false
"""

_WORKFLOW = """\
name: ledger
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install reconcile
      - name: Validate
        run: reconcile validate --strict data/estimates.yaml
"""


@dataclass(frozen=True, slots=True)
class Started:
    """What init wrote and what it found already there (paths relative to the folder)."""

    folder: Path
    created: tuple[str, ...]
    kept: tuple[str, ...]


_SETTINGS = """\
# reconcile's settings for this ledger project (docs/ci.md, "Settings").
# This file also marks the project's folder: outside a git repository, every
# path the ledger names (its archive, documents, includes) must stay inside it.
# strict = true                       # warnings fail, as with --strict
# ignore = ["claimant-not-in-quote"]  # warnings not reported for this ledger
"""


class InitError(Exception):
    """init cannot go on; the message says why."""


def _quoted(text: str) -> str:
    """A YAML scalar for a title: JSON's string syntax is YAML's double-quoted one."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def init_folder(folder: Path, *, title: str, subject: str) -> Started:
    ledger = folder / LEDGER
    if ledger.exists():
        raise InitError(f"{ledger} exists already; init never overwrites a ledger")
    files = {
        LEDGER: _LEDGER_TEMPLATE.format(title=_quoted(title), subject=_quoted(subject)),
        Path("schema") / "ledger.schema.json": json.dumps(json_schema(), indent=2) + "\n",
        ARCHIVE / ".gitkeep": "",
        Path("reconcile.toml"): _SETTINGS,
        Path(".pre-commit-config.yaml"): _PRE_COMMIT,
        Path(".github") / "workflows" / "ledger.yml": _WORKFLOW,
    }
    created: list[str] = []
    kept: list[str] = []
    try:
        for relative, text in files.items():
            target = folder / relative
            if target.exists():
                kept.append(relative.as_posix())
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            created.append(relative.as_posix())
    except OSError as exc:
        raise InitError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    return Started(folder, tuple(created), tuple(kept))
