"""The authoring commands end to end: add, archive add, init (issue 16).

Kept apart from test_cli.py while the CLI is being split (issue 14); the
same conventions: stdout and stderr asserted separately, exit codes exact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, copy_shipped

runner = CliRunner(
    env={
        "NO_COLOR": "1",
        "GITHUB_ACTIONS": None,
        "RECONCILE_LEDGER": None,
        "GITHUB_STEP_SUMMARY": None,
        "COLUMNS": "100",
    }
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A copy of the shipped ledger with its archive (data/ and seeds/ side by side)."""
    return copy_shipped(tmp_path)


NIS_QUOTE = (
    "This Monday, it was the South Korean spy agency that, in a briefing in front of "
    "lawmakers, was more precise in stating that at least 300 North Korean soldiers sent to "
    "support Moscow's war have died and another 2,700 were injured during the fighting."
)


def _removed(new: str, old: str) -> list[str]:
    """The lines of `new` that are not in `old`, when `old` is `new` minus a block of lines."""
    new_lines, old_lines = new.splitlines(keepends=True), old.splitlines(keepends=True)
    start = 0
    while start < len(old_lines) and new_lines[start] == old_lines[start]:
        start += 1
    extra = len(new_lines) - len(old_lines)
    assert new_lines[start + extra :] == old_lines[start:]
    return new_lines[start : start + extra]


def test_add_estimate_appends_it_and_the_ledger_still_validates(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, out, err = invoke(
        "add", "estimate", "-l", str(ledger),
        "--claimant", "South Korean spy agency",  # an alias: written as the source's id
        "--as-of", "2025-01-13",
        "--killed", "at least 300",
        "--wounded", "2,700",
        "--document", "kursk-diary",
        "--quote", NIS_QUOTE,
    )  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[-1] == (
        f"reconcile: added estimate 'nis-2025-01-13-2' to {ledger} (lines 256-267)"
    )
    assert "note: estimate 'nis-2025-01-13' records the same claim" in err
    added = _removed(ledger.read_text(encoding="utf-8"), old)
    assert added[:6] == [
        "\n",
        "  - id: nis-2025-01-13-2\n",
        "    claimant: nis\n",
        "    as_of: 2025-01-13\n",
        "    killed: at least 300\n",
        "    wounded: 2,700\n",
    ]
    assert out.startswith(f"--- {ledger}\n+++ {ledger}\n@@ -254 +254,14 @@\n")
    assert "+  - id: nis-2025-01-13-2\n" in out
    code, _, err = invoke("validate", str(ledger))
    assert code == 0, err


def test_add_notes_a_claim_the_ledger_already_records(ledger: Path) -> None:
    code, _, err = invoke(
        "add", "estimate", "-l", str(ledger), "--claimant", "nis", "--as-of", "2025-01-13",
        "--killed", "at least 300", "--wounded", "2,700", "--document", "kursk-diary",
        "--quote", NIS_QUOTE, "--dry-run",
    )  # fmt: skip
    assert code == 0, err
    assert err.startswith(
        "reconcile: note: estimate 'nis-2025-01-13' records the same claim (claimant, date and "
        "figures); this quote may belong there as another report (reported_in)\n"
    )


def test_add_refuses_a_quote_that_is_not_in_the_document(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, _, err = invoke(
        "add", "estimate", "-l", str(ledger),
        "--claimant", "nis", "--as-of", "2025-01-13", "--killed", "500",
        "--document", "kursk-diary", "--quote", "at least 500 North Korean soldiers died",
    )  # fmt: skip
    assert code == 1
    assert f"{ledger}:262:16: error: the quote does not occur in document 'kursk-diary'" in err
    assert "[quote-not-found]" in err
    assert err.rstrip().endswith(
        f"reconcile: estimate 'nis-2025-01-13-2' has 1 error(s); nothing written to {ledger}"
    )
    assert ledger.read_text(encoding="utf-8") == old
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["estimates.yaml"]


def test_add_refuses_a_figure_its_quote_does_not_give(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, _, err = invoke(
        "add", "estimate", "-l", str(ledger),
        "--claimant", "nis", "--as-of", "2025-01-13", "--killed", "600",
        "--document", "kursk-diary", "--quote", NIS_QUOTE,
    )  # fmt: skip
    assert code == 1
    assert f"{ledger}:259:13: error: killed '600' does not occur in any of its quotes" in err
    assert ledger.read_text(encoding="utf-8") == old


def test_add_reports_an_unknown_document_with_did_you_mean(ledger: Path) -> None:
    code, _, err = invoke(
        "add", "estimate", "-l", str(ledger),
        "--claimant", "nis", "--as-of", "2025-01-13", "--killed", "at least 300",
        "--document", "kursk-dairy", "--quote", NIS_QUOTE,
    )  # fmt: skip
    assert code == 1
    assert "error: document 'kursk-dairy' is not a document id [unknown-reference]" in err
    assert "hint: did you mean 'kursk-diary'?" in err


def test_add_source_and_document_then_an_estimate_citing_them(ledger: Path) -> None:
    code, out, err = invoke(
        "add", "source", "-l", str(ledger),
        "--name", "Ministry of Defence of the United Kingdom", "--kind", "government",
        "--alias", "UK Ministry of Defence", "--alias", "MoD", "--id", "uk-mod",
    )  # fmt: skip
    assert code == 0, err
    assert "+    aliases: [UK Ministry of Defence, MoD]\n" in out
    code, out, err = invoke(
        "add", "document", "-l", str(ledger), "--title", "Kursk losses", "--published", "2025-01",
        "--url", "https://example.org/kursk",
    )  # fmt: skip
    assert code == 0, err
    assert "+    publisher: null\n" in out
    # a document without archived text: a warning, shown, and the entry is written
    assert "warning: document 'kursk-losses' has no archived text" in err
    code, _, err = invoke("validate", str(ledger))
    assert code == 0
    assert "1 warning" in err


def test_add_dry_run_writes_nothing(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, out, err = invoke(
        "add", "source", "-l", str(ledger), "--name", "X", "--kind", "media", "--dry-run"
    )
    assert code == 0
    assert "+  - id: x\n" in out
    assert "--dry-run: source 'x' would be added" in err
    assert ledger.read_text(encoding="utf-8") == old


def test_add_without_a_terminal_asks_for_the_missing_flags(ledger: Path) -> None:
    code, out, err = invoke("add", "estimate", "-l", str(ledger), "--claimant", "nis")
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: --document is required (or run the command in a terminal to be asked)\n"
    )


def test_add_refuses_a_ledger_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    code, out, err = invoke("add", "source", "-l", str(path), "--name", "X", "--kind", "ngo")
    assert (code, out) == (2, "")
    assert "cannot be read as YAML" in err
    assert path.read_text(encoding="utf-8") == "title: [unclosed\n"


# --- archive add ----------------------------------------------------------------

ARTICLE_HTML = ROOT / "tests" / "data" / "archiving" / "kursk-article.html"


def test_archive_add_html_keeps_the_original_and_adds_the_document(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, out, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger))
    assert code == 0, err
    seeds = ledger.parent.parent / "seeds"
    stem = "north-korean-losses-mount-in-kursk-seoul-says_e3fdf7e026e3"
    assert (seeds / f"{stem}.html").read_bytes() == ARTICLE_HTML.read_bytes()
    text = (seeds / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.startswith("North Korean losses mount in Kursk, Seoul says\n\nSouth Korea's")
    assert "ADVERTISEMENT" not in text and "reader42" not in text
    added = "".join(_removed(ledger.read_text(encoding="utf-8"), old))
    assert added.startswith(
        "  - id: north-korean-losses-mount-in-kursk\n"
        f"    path: {stem}.txt\n"
        f"    original: {stem}.html\n"
        "    sha256: e3fdf7e026e3"
    )
    assert "    published: 2025-01-14\n    url: https://news.example.org/world/" in added
    assert "needs_review" not in added
    assert "+    publisher: The Daily Ledger\n" in out
    lines = err.splitlines()
    assert lines[0].startswith(f"reconcile: read {ARTICLE_HTML} as html (trafilatura): 6 paragraph")
    assert lines[1].split() == [
        "title", "North", "Korean", "losses", "mount", "in", "Kursk,", "Seoul", "says",
        "(from", "metadata)",
    ]  # fmt: skip
    assert lines[-1] == (
        f"reconcile: added document 'north-korean-losses-mount-in-kursk' to {ledger} "
        "(lines 105-117)"
    )
    code, _, err = invoke("validate", str(ledger))
    assert code == 0, err
    # the same file again: recognised by its sha256, nothing done
    code, out, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger))
    assert (code, out) == (0, "")
    assert "is already archived as document 'north-korean-losses-mount-in-kursk'" in err


def test_archive_add_pdf_marks_what_needs_review(ledger: Path, tmp_path: Path) -> None:
    from tests.test_archiving import ARTICLE, make_pdf

    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(make_pdf(ARTICLE, title="Kursk briefing", created="D:20250114093000Z"))
    code, out, err = invoke(
        "archive", "add", str(pdf), "-l", str(ledger), "--publisher", "Seoul Herald"
    )
    assert code == 0, err
    assert "+    needs_review: [published, url]\n" in out
    assert "  publisher  Seoul Herald    (given)" in err
    assert "  published  2025-01-14      (needs review)" in err
    code, out, err = invoke("validate", str(ledger))
    assert code == 0
    assert "warning: document 'kursk-briefing': published, url not read from its metadata" in out
    assert "[needs-review]" in out


def test_archive_add_refuses_unreadable_input(ledger: Path, tmp_path: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    code, out, err = invoke("archive", "add", str(picture), "-l", str(ledger))
    assert (code, out) == (2, "")
    assert err == (
        f"reconcile: cannot archive {picture}: photo.png: cannot tell what this file is; "
        "archive add reads HTML (.html), PDF, WARC (.warc, .warc.gz), WACZ (.wacz) and UTF-8 "
        "text (.txt)\n"
    )
    assert ledger.read_text(encoding="utf-8") == old


def test_archive_add_never_overwrites_an_archived_file(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    seeds = ledger.parent.parent / "seeds"
    taken = seeds / "north-korean-losses-mount-in-kursk-seoul-says_e3fdf7e026e3.txt"
    taken.write_text("someone else's text\n", encoding="utf-8")
    code, _, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger))
    assert code == 2
    assert "exists with different content; it is never overwritten" in err
    assert taken.read_text(encoding="utf-8") == "someone else's text\n"
    assert not taken.with_suffix(".html").exists()
    assert ledger.read_text(encoding="utf-8") == old


def test_archive_add_dry_run_leaves_no_file(ledger: Path) -> None:
    seeds = ledger.parent.parent / "seeds"
    before = sorted(p.name for p in seeds.iterdir())
    code, out, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger), "-n")
    assert code == 0, err
    assert "+  - id: north-korean-losses-mount-in-kursk\n" in out
    assert "--dry-run: document 'north-korean-losses-mount-in-kursk' would be added" in err
    assert sorted(p.name for p in seeds.iterdir()) == before


# --- init -----------------------------------------------------------------------


def test_init_starts_a_ledger_that_validates(tmp_path: Path) -> None:
    import subprocess
    import sys

    from reconcile.ingest.loader import load_file

    folder = tmp_path / "kursk"
    code, out, err = invoke("init", str(folder), "--title", "Kursk", "--subject", "NK troops")
    assert code == 0, err
    assert out.splitlines() == [
        f"created {folder}/data/estimates.yaml",
        f"created {folder}/schema/ledger.schema.json",
        f"created {folder}/archive/.gitkeep",
        f"created {folder}/reconcile.toml",
        f"created {folder}/.pre-commit-config.yaml",
        f"created {folder}/.github/workflows/ledger.yml",
    ]
    ledger = folder / "data" / "estimates.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/ledger.schema.json\n")
    assert 'title: "Kursk"\nsubject: "NK troops"\narchive: ../archive\n' in text
    code, out, err = invoke("validate", str(ledger))
    assert (code, out) == (0, "")
    assert err.startswith("ok: 1 ledger file (") and "), 0 estimates" in err
    schema = (folder / "schema" / "ledger.schema.json").read_text(encoding="utf-8")
    assert schema == (ROOT / "schema" / "ledger.schema.json").read_text(encoding="utf-8")
    workflow = load_file(folder / ".github" / "workflows" / "ledger.yml")
    assert workflow.issues == ()
    assert isinstance(workflow.data, dict)
    steps = workflow.data["jobs"]["validate"]["steps"]
    assert steps[-1]["run"] == "reconcile validate --strict data/estimates.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    code, out, err = invoke("init", str(tmp_path), "--title", "T", "--subject", "S")
    assert code == 0
    assert f"created {tmp_path}/.pre-commit-config.yaml" not in out
    assert f"reconcile: kept the existing {tmp_path}/.pre-commit-config.yaml" in err
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    ledger = tmp_path / "data" / "estimates.yaml"
    ledger.write_text("title: mine\n", encoding="utf-8")
    code, out, err = invoke("init", str(tmp_path), "--title", "T", "--subject", "S")
    assert (code, out) == (2, "")
    assert err == f"reconcile: {ledger} exists already; init never overwrites a ledger\n"
    assert ledger.read_text(encoding="utf-8") == "title: mine\n"


# --- extract knows the ledger; add --from-extract ---------------------------------


def test_extract_yaml_uses_the_ledgers_sources_and_dates(ledger: Path) -> None:
    from reconcile.ingest.loader import load_text

    code, out, err = invoke(
        "extract", str(ledger.parent.parent / "seeds" / "000_773b0f538302f50c.txt"),
        "-f", "yaml", "-l", str(ledger),
    )  # fmt: skip
    assert code == 0, err
    data = load_text(out, "out").data
    assert isinstance(data, dict)
    found = {(e["claimant"], e.get("as_of")) for e in data["estimates"]}
    # the shipped ledger's own reading of "Last week", "the end of December", "This Monday"
    assert ("zelensky", "2025-01-06/2025-01-12") in found
    assert ("us-government", "2024-12-20/2024-12-31") in found
    assert ("nis", "2025-01-13") in found
    notes = " ".join(e["notes"] for e in data["estimates"])
    assert "as_of read from 'This Monday' in a document published 2025-01-13/2025-01-19" in notes


def test_archive_extract_add_validate_coverage_end_to_end(ledger: Path, tmp_path: Path) -> None:
    """A journalist's whole path, from a saved web page to a validated estimate."""
    code, _, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger))
    assert code == 0, err
    text = (
        ledger.parent.parent
        / "seeds"
        / ("north-korean-losses-mount-in-kursk-seoul-says_e3fdf7e026e3.txt")
    )
    found = tmp_path / "found.yaml"
    code, _, err = invoke("extract", str(text), "-l", str(ledger), "-o", str(found))
    assert code == 0, err
    # coverage before: the new document's figures are to do
    code, out, _ = invoke("coverage", "-l", str(ledger), "-f", "json")
    assert code == 1
    code, out, err = invoke("add", "--from-extract", str(found), "-l", str(ledger))
    assert code == 1  # one estimate has no claimant the ledger knows
    assert "+    claimant: nis\n" in out and "+    claimant: zelensky\n" in out
    assert f"{found}:31:15: error: claimant 'unknown' is not a source id" in err
    assert "reconcile: added 2 of 3 estimate(s)" in err
    # the person fixes what is left in the extract file and runs it again
    fixed = found.read_text(encoding="utf-8").replace("claimant: unknown", "claimant: nis")
    found.write_text(fixed, encoding="utf-8")
    code, out, err = invoke("add", "--from-extract", str(found), "-l", str(ledger))
    assert code == 0, err
    assert "reconcile: added 1 of 3 estimate(s)" in err
    assert "already in the ledger, skipped: north-korean-losses-mount-in-kursk-killed-300" in err
    code, out, err = invoke("validate", str(ledger))
    assert (code, out) == (0, ""), err
    assert "11 estimates from 6 sources in 6 documents" in err
    code, out, err = invoke("coverage", "-l", str(ledger), "-f", "json")
    assert code == 0, out + err


# --- import --into -------------------------------------------------------------------

ECONOMIST = ROOT / "tests" / "data" / "economist-ukraine" / "estimates.csv"
PARTY_MAP = "ignore for chart, data from warring parties=party"


def test_import_into_merges_and_a_second_import_adds_nothing(tmp_path: Path) -> None:
    code, _, err = invoke("init", str(tmp_path), "--title", "Ukraine war", "--subject", "losses")
    assert code == 0, err
    ledger = tmp_path / "data" / "estimates.yaml"
    code, _, err = invoke(
        "add", "source", "-l", str(ledger), "--id", "uk-mod", "--kind", "military",
        "--name", "Ministry of Defence of the United Kingdom", "--alias", "UK MoD",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = invoke(
        "import", str(ECONOMIST), "--map", PARTY_MAP, "--into", str(ledger),
        "--alias", "UK Ministry of Defence=uk-mod",
    )  # fmt: skip
    assert code == 0, err
    assert "reconcile: claimant 'UK MoD' is the ledger's source 'uk-mod'" in err
    assert "reconcile: claimant 'UK Ministry of Defence' is the ledger's source 'uk-mod'" in err
    assert err.rstrip().splitlines()[-1].startswith("reconcile: added 31 source(s), ")
    assert "(124 of 124 row(s) read)" in err
    assert "+    claimant: uk-mod\n" in out
    code, out, err = invoke("validate", str(ledger))
    assert code == 0, out
    # the same spreadsheet again: every claim is already there
    code, out, err = invoke(
        "import", str(ECONOMIST), "--map", PARTY_MAP, "--into", str(ledger),
        "--alias", "UK Ministry of Defence=uk-mod",
    )  # fmt: skip
    assert (code, out) == (0, "")
    assert "reconcile: nothing new to add to" in err


def test_import_into_takes_merge_and_alias_together(tmp_path: Path) -> None:
    """Regression (merge of issues 15 and 16): --merge's loop variable shadowed
    --alias, so --into received a string instead of the list of aliases."""
    code, _, err = invoke("init", str(tmp_path), "--title", "Ukraine war", "--subject", "losses")
    assert code == 0, err
    ledger = tmp_path / "data" / "estimates.yaml"
    code, out, err = invoke(
        "import", str(ECONOMIST), "--map", PARTY_MAP, "--into", str(ledger),
        "--merge", "UK Ministry of Defence=UK MoD", "--alias", "CIA=cia",
    )  # fmt: skip
    assert code == 0, err
    assert "(124 of 124 row(s) read)" in err
    assert "UK Ministry of Defence" in out  # kept among the merged source's aliases


def test_import_into_refuses_a_bad_alias_option(ledger: Path) -> None:
    code, out, err = invoke(
        "import", str(ECONOMIST), "--into", str(ledger), "--alias", "no equals sign"
    )
    assert (code, out) == (2, "")
    assert "--alias 'no equals sign': write NAME=ID" in err


def test_add_estimate_asks_in_a_terminal(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without flags, in a terminal: prompts with defaults (the date from the document)."""
    monkeypatch.setattr("reconcile.cli.adding._interactive", lambda: True)
    answers = "\n".join(
        [
            "South Korean spy agency",  # claimant
            "kursk-diary",  # document
            "2025-01-13",  # as of (default: the document's publication interval)
            "",  # deployed
            "at least 300",  # killed
            "2,700",  # wounded
            "",  # casualties
            "",  # captured
            "",  # missing
            NIS_QUOTE,
        ]
    )
    result = runner.invoke(app, ["add", "estimate", "-l", str(ledger)], input=answers + "\n")
    assert result.exit_code == 0, result.stderr
    assert "As of (the claim's date) [2025-01-13/2025-01-19]:" in result.stdout
    assert "+    claimant: nis\n" in result.stdout
    assert "+    killed: at least 300\n" in result.stdout
    assert "added estimate 'nis-2025-01-13-2'" in result.stderr


def test_archive_add_writes_only_inside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    code, _, err = invoke("init", str(repo), "--title", "T", "--subject", "S")
    assert code == 0, err
    (repo / ".git").mkdir()
    ledger = repo / "data" / "estimates.yaml"
    text = ledger.read_text(encoding="utf-8").replace("archive: ../archive", "archive: ../../x")
    ledger.write_text(text, encoding="utf-8")
    code, out, err = invoke("archive", "add", str(ARTICLE_HTML), "-l", str(ledger))
    assert (code, out) == (2, "")
    assert "archive add writes only inside the ledger's repository" in err
    assert not (tmp_path / "x").exists()


def test_add_refuses_options_before_the_kind(ledger: Path) -> None:
    old = ledger.read_text(encoding="utf-8")
    code, out, err = invoke("add", "-l", str(ledger), "source", "--name", "X", "--kind", "ngo")
    assert (code, out) == (2, "")
    assert "put -l/--ledger and --dry-run after 'add source'" in err
    assert ledger.read_text(encoding="utf-8") == old
