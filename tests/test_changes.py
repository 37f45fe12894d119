"""`reconcile changes`: two versions of a ledger compared entry by entry."""

from __future__ import annotations

import shutil
from pathlib import Path

from reconcile.checks.run import check_bytes, check_file
from reconcile.core.models import Ledger
from reconcile.ingest.revisions import read_revision
from reconcile.reports.changes import Change, Kind, compare
from reconcile.views.changes import caption, changes_tables
from tests.conftest import ROOT, commit_all

EXAMPLES = ROOT / "docs" / "examples"


def ledger(path: Path) -> Ledger:
    checked = check_file(path)
    assert checked.ledger is not None
    return checked.ledger


def test_known_edits_between_two_versions() -> None:
    found = compare(ledger(EXAMPLES / "ledger-v1.yaml"), ledger(EXAMPLES / "ledger-v2.yaml"))
    summary = [
        (c.kind.value, c.section, c.id, [(f.field, f.old, f.new) for f in c.fields])
        for c in found.changes
        if c.kind is Kind.CHANGED
    ]
    assert summary == [
        (
            "changed",
            "estimates",
            "zelensky-2025-01-casualties",
            [
                ("deployed", "12,000", "approximately 12,000"),
                (
                    "reported in losses-piling-up",
                    None,
                    "Ukrainian President Volodymyr Zelensky said that nearly 3,800 of them "
                    "had been killed or injured in recent weeks",
                ),
                ("reported in losses-piling-up: casualties worded", None, "nearly 3,800"),
            ],
        ),
        (
            "changed",
            "estimates",
            "us-2024-12-casualties",
            [("casualties", "about 1,000", "around a thousand")],
        ),
        ("changed", "estimates", "nis-2025-01-13", [("killed", "300", "at least 300")]),
    ]
    others = [(c.kind.value, c.section, c.id) for c in found.changes if c.kind is not Kind.CHANGED]
    assert others == [
        ("added", "documents", "losses-piling-up"),
        ("added", "estimates", "zelensky-2025-01-11-captured"),
        ("removed", "estimates", "zelensky-captured"),
    ]
    assert caption(found) == "documents: 1 added; estimates: 3 changed, 1 added, 1 removed"


def test_the_table_reads_old_to_new() -> None:
    found = compare(ledger(EXAMPLES / "ledger-v1.yaml"), ledger(EXAMPLES / "ledger-v2.yaml"))
    (table,) = changes_tables(found)
    assert ("changed", "nis-2025-01-13", "nis killed", "300 → at least 300") in table.rows
    assert (
        "removed",
        "zelensky-captured",
        "estimate by zelensky",
        "as_of 2025-01-11; captured two",
    ) in table.rows


def test_no_changes_between_a_ledger_and_itself() -> None:
    same = ledger(EXAMPLES / "ledger-v2.yaml")
    found = compare(same, same)
    assert found.changes == ()
    assert caption(found) == "no changes"
    assert changes_tables(found)[0].rows == ()


def test_source_and_document_fields() -> None:
    old = ledger(EXAMPLES / "ledger-v2.yaml")
    new = old.model_copy(
        update={
            "sources": (old.sources[0].model_copy(update={"party": "third-party"}),),
            "documents": old.documents[1:],
        }
    )
    found = compare(old, new)
    assert [(c.kind, c.section, c.id) for c in found.changes] == [
        (Kind.CHANGED, "sources", "zelensky"),
        (Kind.REMOVED, "sources", "us-government"),
        (Kind.REMOVED, "sources", "nis"),
        (Kind.REMOVED, "documents", "kursk-diary"),
    ]
    first: Change = found.changes[0]
    assert [(f.field, f.old, f.new) for f in first.fields] == [("party", "Ukraine", "third-party")]


def test_reading_a_ledger_at_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    path = repo / "data" / "ledger.yaml"
    shutil.copy(EXAMPLES / "ledger-v1.yaml", path)
    commit_all(repo)
    shutil.copy(EXAMPLES / "ledger-v2.yaml", path)

    bare = read_revision("HEAD", path, cwd=repo)
    assert bare.name == "HEAD:data/ledger.yaml" and bare.problem is None
    assert bare.raw == (EXAMPLES / "ledger-v1.yaml").read_bytes()
    old = check_bytes(bare.raw, bare.name)
    assert old.ledger is not None
    assert [e.id for e in old.ledger.estimates][-1] == "nis-2025-01-13"

    missing = read_revision("HEAD", repo / "data" / "other.yaml", cwd=repo)
    assert missing.raw is None and missing.problem is not None
    assert "git cat-file failed" in missing.problem
    assert read_revision("--output=x", path, cwd=repo).problem == "'--output=x' is not a revision"
    assert read_revision("nosuchrev", path, cwd=repo).raw is None
    outside = read_revision("HEAD", tmp_path / "elsewhere.yaml", cwd=repo)
    assert outside.raw is None and outside.problem is not None
