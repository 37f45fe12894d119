"""The command line, end to end through typer's CliRunner.

stdout and stderr are asserted separately: data goes to stdout, messages to
stderr, and the exit code is the contract CI relies on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, SHIPPED, WriteLedger, commit_all

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


# --- validate ---------------------------------------------------------------


def test_validate_shipped_ledger_is_silent_but_for_a_summary() -> None:
    code, out, err = invoke("validate", str(SHIPPED))
    assert code == 0, out + err
    assert out == ""
    assert err.startswith(
        "ok: 1 ledger file, 8 estimates from 6 sources in 5 documents; no problems"
    )


def test_validate_without_arguments_finds_a_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./data/estimates.yaml here: the shipped ledger is used
    code, out, err = invoke("validate")
    assert (code, out) == (0, "")
    assert "8 estimates" in err


def test_validate_reports_problems_one_per_line(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(
        valid_text.replace("kind: government", "kind: goverment").replace(
            "claimant: officials", "claimant: nobody"
        )
    )
    code, out, err = invoke("validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        f"{path}:7:11: error: kind 'goverment' is not one of 'government', 'military', "
        "'intelligence', 'media', 'ngo', 'individual' or 'other' [wrong-value]",
        "    hint: did you mean 'government'?",
        f"{path}:17:15: error: claimant 'nobody' is not a source id [unknown-reference]",
        "    hint: add it to the sources or documents list first",
    ]
    assert err == "2 errors, 0 warnings in 1 ledger file\n"


def test_validate_strict_fails_on_warnings(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text.replace("    path: article.txt\n", ""))
    code, out, _ = invoke("validate", str(path))
    assert code == 0 and "[unarchived]" in out
    code, _, _ = invoke("validate", "--strict", str(path))
    assert code == 1


def test_validate_unusable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"title: [unclosed\n")
    code, out, err = invoke("validate", str(bad))
    assert code == 2
    assert out.startswith(f"{bad}:2:1: error: invalid YAML")
    assert out.rstrip().endswith("[yaml-syntax]")
    assert "1 error" in err


def test_validate_several_files_in_one_run(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    good = write_ledger(valid_text)
    missing = tmp_path / "missing.yaml"
    code, out, err = invoke("validate", str(good), str(missing))
    assert code == 2
    assert out.startswith(f"{missing}: error: cannot read the file")
    assert "in 2 ledger files" in err


def test_validate_json_envelope(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text.replace("claimant: officials", "claimant: nobody"))
    code, out, _ = invoke("validate", "--format", "json", str(path))
    assert code == 1
    document = json.loads(out)
    assert document["reconcile"]["schema"] == 1
    assert document["reconcile"]["command"] == "validate"
    assert document["ledgers"] == [str(path)]
    assert document["result"]["counts"]["errors"] == 1
    assert document["result"]["issues"] == [
        {
            "path": str(path),
            "line": 17,
            "column": 15,
            "severity": "error",
            "check": "unknown-reference",
            "message": "claimant 'nobody' is not a source id",
            "hint": "add it to the sources or documents list first",
            "unusable": False,
        }
    ]


def test_validate_github_annotations_and_step_summary(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(valid_text.replace("claimant: officials", "claimant: nobody"))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(app, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::group::{path}",
        f"::error file={path},line=17,col=15,title=unknown-reference::claimant 'nobody' is not a "
        "source id%0Aadd it to the sources or documents list first",
        "::endgroup::",
    ]
    assert "| `" in summary.read_text(encoding="utf-8")


def test_github_escaping() -> None:
    from reconcile.issues import Location, error
    from reconcile.render import issues_github

    issue = error("x-y", "50% done\nnext, line", Location("a,b:c.yaml", 1, 2))
    assert issues_github([issue]).splitlines()[1] == (
        "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=x-y::50%25 done%0Anext, line"
    )


def test_max_bytes_option_and_environment(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ledger(valid_text)
    code, out, _ = invoke("validate", "--max-bytes", "100", str(path))
    assert code == 2 and "[too-large]" in out
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "100")
    code, out, _ = invoke("validate", str(path))
    assert code == 2 and "[too-large]" in out
    monkeypatch.setenv("RECONCILE_MAX_BYTES", "lots")
    code, out, err = invoke("validate", str(path))
    assert code == 2 and "not a whole number" in err


def test_ledger_option_and_environment(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text.replace("claimant: officials", "claimant: nobody"))
    assert invoke("validate", "--ledger", str(path))[0] == 1
    result = runner.invoke(app, ["validate"], env={"RECONCILE_LEDGER": str(path)})
    assert result.exit_code == 1
    assert f"{path}:17:15:" in result.stdout


def test_help_lists_commands() -> None:
    code, out, err = invoke("--help")
    assert code == 0 and err == ""
    assert "validate" in out


def test_python_dash_m_and_no_traceback_on_hostile_input(tmp_path: Path) -> None:
    """A real process: `python -m reconcile` on garbage exits 2, with no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "reconcile", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "[encoding]" in done.stdout


# --- reports: summary, discrepancies, diff, timeline --------------------------

REPORTS_DIR = Path(__file__).resolve().parent / "reports"


@pytest.mark.parametrize("command", ["summary", "discrepancies", "timeline"])
def test_report_data_on_stdout_nothing_on_stderr(command: str) -> None:
    code, out, err = invoke(command, "--ledger", str(SHIPPED), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["reconcile"]["command"] == command
    assert document["reconcile"]["schema"] == 1


def test_summary_filters() -> None:
    def claimants(*args: str) -> set[str]:
        code, out, err = invoke("summary", "-l", str(SHIPPED), "-f", "json", *args)
        assert code == 0, err
        return {o["claimant"] for m in json.loads(out)["result"]["metrics"] for o in m["latest"]}

    assert claimants("--independent").isdisjoint({"zelensky", "ukraine-intelligence"})
    assert claimants("--claimant", "Washington") == {"us-government"}
    assert claimants("--as-of", "2024-12") == {"us-government", "ukraine-intelligence"}
    assert claimants("--since", "2025-01-13", "--metric", "casualties") == {
        "zelensky",
        "nikkei",
        "nis",
    }
    assert claimants("--until", "2024-10-24") == {"ukraine-intelligence", "zelensky"}
    assert claimants("--subject", "North Korean troops sent to Russia") != set()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--metric", "kiled"), "did you mean killed?"),
        (("--claimant", "zelenski"), "did you mean zelensky"),
        (("--since", "2025-13"), "month 13 does not exist"),
        (("--subject", "elsewhere"), "is not a subject"),
    ],
)
def test_summary_bad_filters_exit_2(args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke("summary", "-l", str(SHIPPED), *args)
    assert (code, out) == (2, "")
    assert message in err


def test_output_file_extension_picks_the_format(tmp_path: Path) -> None:
    target = tmp_path / "summary.csv"
    code, out, err = invoke("summary", "-l", str(SHIPPED), "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"reconcile: wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith(
        "metric,estimates,claimants,lowest,highest,median,spread\n"
    )
    code, _, err = invoke("summary", "-l", str(SHIPPED), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "cannot tell the format" in err


def test_discrepancies_on_test_ledgers() -> None:
    code, out, _ = invoke("discrepancies", "-l", str(REPORTS_DIR / "discrepant.yaml"), "-f", "csv")
    assert code == 0
    assert [line.split(",")[1] for line in out.splitlines()[1:]] == [
        "conflict",
        "falling",
        "wording",
    ]
    code, out, _ = invoke("discrepancies", "-l", str(REPORTS_DIR / "clean.yaml"))
    assert (code, out) == (0, "Discrepancies\n  (none)\n")
    code, out, _ = invoke(
        "discrepancies", "-l", str(REPORTS_DIR / "discrepant.yaml"), "--window", "1", "-f", "json"
    )
    assert [d["kind"] for d in json.loads(out)["result"]["discrepancies"]] == [
        "falling",
        "wording",
    ]


def test_reports_refuse_a_ledger_with_errors(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text.replace("claimant: officials", "claimant: nobody"))
    code, out, err = invoke("summary", "-l", str(path))
    assert (code, out) == (1, "")
    assert "[unknown-reference]" in err and "fix them first" in err


def test_reports_show_a_source_whose_figures_do_not_add_up() -> None:
    """Parts above their total are the source's inconsistency, not a ledger error:
    validate warns, and the reports go on and list it as a discrepancy."""
    code, out, err = invoke("discrepancies", "-l", str(REPORTS_DIR / "parts.yaml"))
    assert code == 0
    assert "warning(s); see reconcile validate" in err
    assert "parts-vs-total" in out


def test_diff_markers_and_verdicts() -> None:
    code, out, err = invoke("diff", "us-government", "zelensky", "-l", str(SHIPPED))
    assert (code, err) == (0, "")
    assert out.startswith("A us-government (claimant) vs B zelensky (claimant): 2 pairs")
    assert out.count("≠ conflict") == 3  # two rows and the caption


def test_diff_ambiguous_and_unknown_names(tmp_path: Path) -> None:
    text = (REPORTS_DIR / "discrepant.yaml").read_text(encoding="utf-8")
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("a.txt", "b.txt"):
        (archive / name).write_text(
            (REPORTS_DIR / "archive" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(text.replace("  - id: gamma\n", "  - id: b\n").replace(
        "claimant: gamma", "claimant: b"), encoding="utf-8")  # fmt: skip
    code, out, err = invoke("diff", "b", "alpha", "-l", str(ledger))
    assert (code, out) == (2, "")
    assert "'b' is both a claimant and a document" in err
    assert "claimant:b, document:b" in err
    code, out, _ = invoke("diff", "document:b", "document:a", "-l", str(ledger))
    assert code == 0 and "Claims only a carries" in out
    code, out, err = invoke("diff", "alfa", "beta", "-l", str(ledger))
    assert (code, out) == (2, "")
    assert (
        err
        == "reconcile: 'alfa' is not a claimant or a document in this ledger; did you mean alpha?\n"
    )


def test_timeline_table_has_a_chart_and_the_estimates() -> None:
    code, out, _ = invoke("timeline", "-l", str(SHIPPED), "--metric", "casualties", "--width", "80")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "casualties — North Korean troops sent to Russia"
    assert "  A zelensky  B us-government  C nikkei  D nis (derived)" in lines
    assert all(len(line) <= 80 for line in lines)
    assert "\x1b[" not in out


def test_timeline_svg_has_one_series_per_claimant(tmp_path: Path) -> None:
    import re

    target = tmp_path / "chart.svg"
    code, out, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(target))
    assert (code, out, err) == (0, "", f"reconcile: wrote {target}\n")
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    ids = re.findall(r'id="series-(\d+)-([\w.-]+)"', svg)
    casualties = sorted(claimant for panel, claimant in ids if panel == "3")
    assert casualties == ["nikkei", "nis", "us-government", "zelensky"]
    assert len(ids) == len(set(ids)) == 11  # 4 deployed, 1 killed, 1 wounded, 4 casualties, 1


def test_timeline_png_is_a_png_with_one_series_per_claimant(tmp_path: Path) -> None:
    from reconcile.analysis.timeline import timeline
    from reconcile.render import timeline_image
    from reconcile.validation import check_file

    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    target = tmp_path / "chart.png"
    drawn = timeline_image(timeline(ledger), target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [len(panel["series"]) for panel in drawn] == [4, 1, 1, 4, 1]
    assert drawn[3]["series"] == [
        "series-3-zelensky",
        "series-3-us-government",
        "series-3-nikkei",
        "series-3-nis",
    ]
    # a claimant keeps its colour from panel to panel, and no two share one
    assert drawn[0]["colours"]["zelensky"] == drawn[3]["colours"]["zelensky"]
    assert drawn[0]["colours"]["nikkei"] == drawn[3]["colours"]["nikkei"]
    assert len(set(drawn[3]["colours"].values())) == 4
    code, _, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(tmp_path / "c.png"))
    assert code == 0 and err.startswith("reconcile: wrote")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_timeline_image_without_matplotlib_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(tmp_path / "c.svg"))
    assert (code, out) == (2, "")
    assert "images need matplotlib" in err


# --- CI and editors: schema, changes, include, github (issue 6) ---------------


def test_schema_prints_the_committed_schema() -> None:
    code, out, err = invoke("schema")
    assert (code, err) == (0, "")
    assert out == (ROOT / "schema" / "ledger.schema.json").read_text(encoding="utf-8")
    code, out, _ = invoke("schema", "--included")
    assert code == 0
    assert out == (ROOT / "schema" / "included.schema.json").read_text(encoding="utf-8")


EXAMPLES = ROOT / "docs" / "examples"


def test_changes_between_two_files() -> None:
    code, out, err = invoke(
        "changes", str(EXAMPLES / "ledger-v1.yaml"), str(EXAMPLES / "ledger-v2.yaml")
    )
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0].startswith(f"Changes from {EXAMPLES / 'ledger-v1.yaml'} to")
    assert (
        "changed   nis-2025-01-13                 nis killed                     300 → at least 300"
        in lines
    )
    assert lines[-1] == "documents: 1 added; estimates: 3 changed, 1 added, 1 removed"


def test_changes_json_and_fail_on_change() -> None:
    old, new = str(EXAMPLES / "ledger-v1.yaml"), str(EXAMPLES / "ledger-v2.yaml")
    code, out, _ = invoke("changes", old, new, "--format", "json", "--fail-on-change")
    assert code == 1
    document = json.loads(out)
    assert document["reconcile"]["command"] == "changes"
    result = document["result"]
    assert (result["old"], result["new"]) == (old, new)
    nis = next(c for c in result["changes"] if c["id"] == "nis-2025-01-13")
    assert nis == {
        "kind": "changed",
        "section": "estimates",
        "id": "nis-2025-01-13",
        "claimant": "nis",
        "fields": [{"field": "killed", "old": "300", "new": "at least 300"}],
    }
    code, out, _ = invoke("changes", new, new, "--fail-on-change", "--format", "md")
    assert code == 0
    assert "(none)" in out and "no changes" in out


def test_changes_against_a_git_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    ledger = repo / "ledger.yaml"
    shutil.copytree(ROOT / "seeds", repo / "seeds")  # archived texts stay in the repository
    seeds = "seeds"
    ledger.write_text((EXAMPLES / "ledger-v1.yaml").read_text().replace("../../seeds", seeds))

    commit_all(repo)
    ledger.write_text((EXAMPLES / "ledger-v2.yaml").read_text().replace("../../seeds", seeds))
    monkeypatch.chdir(repo)
    for old in ("HEAD", "HEAD:ledger.yaml"):
        code, out, err = invoke("changes", old, "ledger.yaml", "--format", "csv")
        assert (code, err) == (0, ""), err
        assert "changed,nis-2025-01-13,nis killed,300 → at least 300" in out.splitlines()
    code, out, err = invoke("changes", "no-such-rev", "ledger.yaml")
    assert (code, out) == (2, "")
    assert err.startswith("reconcile: cannot read the old ledger 'no-such-rev': git cat-file")


def test_changes_refuses_an_unreadable_side(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"- just a list\n")
    code, out, err = invoke("changes", str(bad), str(EXAMPLES / "ledger-v2.yaml"))
    assert (code, out) == (2, "")
    assert f"{bad}:1:1: error: the top level is a list" in err
    assert err.rstrip().endswith(f"reconcile: cannot read {bad} as a ledger")


def test_validate_reads_included_files(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "more.yaml").write_text(
        "sources:\n  - id: others\n    name: Others\n    kind: medai\n    party: third-party\n"
    )
    path = write_ledger(
        valid_text.replace("archive: archive", "archive: archive\ninclude: ['2025/*.yaml']")
    )
    code, out, err = invoke("validate", str(path))
    assert code == 1
    more = tmp_path / "2025" / "more.yaml"
    assert out.splitlines()[0].startswith(f"{more}:4:11: error: kind 'medai' is not one of")
    assert err == "1 error, 0 warnings in 2 ledger files\n"


def test_github_format_groups_several_files(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "more.yaml").write_text(
        "sources:\n  - id: officials\n    name: Again\n    kind: media\n    party: third-party\n"
    )
    path = write_ledger(
        valid_text.replace("archive: archive", "archive: archive\ninclude: [more.yaml]").replace(
            "claimant: officials", "claimant: nobody"
        )
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(app, ["validate", "--format", "github", str(path)])
    code, out = result.exit_code, result.stdout
    assert code == 1
    assert out.splitlines() == [
        "::group::ledger.yaml",
        "::error file=ledger.yaml,line=18,col=15,title=unknown-reference::claimant 'nobody' "
        "is not a source id%0Aadd it to the sources or documents list first",
        "::endgroup::",
        "::group::more.yaml",
        "::error file=more.yaml,line=2,col=9,title=duplicate-id::source id 'officials' is "
        f"already used at {path}:6:9%0Agive each entry its own id",
        "::endgroup::",
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## reconcile validate\n\n2 error(s), 0 warning(s).\n")
    assert f"| `{path}:18:15` | error | `unknown-reference` |" in text


# --- extract, coverage, import ----------------------------------------------

SEED = ROOT / "seeds" / "000_773b0f538302f50c.txt"


def test_extract_table_lists_figures_and_sentences() -> None:
    code, out, err = invoke("extract", str(SEED), "--width", "100")
    assert (code, err) == (0, "")
    assert out.startswith(f"Figures in {SEED}\n")
    assert "around 3,800" in out and "casualties (died or" in out
    assert "10 other number(s) are not casualty" in out
    assert f"Sentences of {SEED}" in out


def test_extract_json_gives_exact_sentences() -> None:
    code, out, _ = invoke("extract", str(SEED), "--format", "json", "--all")
    assert code == 0
    document = json.loads(out)
    assert document["reconcile"]["command"] == "extract"
    figures = document["result"]["files"][0]["figures"]
    text = SEED.read_text(encoding="utf-8")
    first = figures[1]
    assert (first["figure"], first["metric"], first["claimant"]) == (
        "around 3,800",
        "casualties",
        "Ukrainian President Volodymyr Zelensky",
    )
    assert all(f["sentence"] == text[f["sentence_start"] : f["sentence_end"]] for f in figures)
    assert figures[0]["kind"] == "not-people" and figures[0]["kind_reason"] == "a date"


def test_extract_yaml_is_ready_to_paste(tmp_path: Path) -> None:
    code, out, _ = invoke("extract", str(SEED), "--format", "yaml", "--ledger", str(SHIPPED))
    assert code == 0
    from reconcile.loader import load_text

    data = load_text(out, "x").data
    assert isinstance(data, dict)
    estimates = data["estimates"]
    assert estimates[0]["deployed"] == "approximately 12,000"
    assert estimates[0]["casualties"] == "around 3,800"
    assert estimates[0]["reported_in"][0]["document"] == "kursk-diary"
    assert estimates[2]["killed"] == "at least 300" and estimates[2]["wounded"] == "2,700"


def test_extract_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    code, out, err = invoke("extract", str(bad))
    assert (code, out) == (2, "")
    assert err == f"{bad}: error: the file is not UTF-8 text [encoding]\n"


def test_coverage_of_the_shipped_ledger_is_complete() -> None:
    code, out, err = invoke("coverage", "--ledger", str(SHIPPED), "--width", "100")
    assert (code, err) == (0, "")
    assert "kursk-diary              6          2       0             10                0" in out
    assert "To do: figures in no ledger entry\n  (none)" in out


def test_coverage_lists_to_do_and_missing_quotes(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    path = write_ledger(valid_text.replace("were killed and", "died and"))
    code, out, err = invoke("coverage", "--ledger", str(path), "--format", "json")
    assert code == 1
    result = json.loads(out)["result"]
    assert (result["todo"], result["missing_quotes"]) == (1, 1)
    assert err == "reconcile: 1 figure(s) to add, 1 quote(s) not found\n"


def test_import_writes_yaml_and_reports_bad_rows(tmp_path: Path) -> None:
    example = ROOT / "docs" / "examples" / "claims.csv"
    target = tmp_path / "ledger.yaml"
    code, out, err = invoke("import", str(example), "-o", str(target))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert f"{example}:7:1: error: row 7: cannot read the date '2025-02-30'; write 2025-01-13 or " \
        "DD/MM/YYYY [import-bad-date]" in lines  # fmt: skip
    assert lines[-1] == "reconcile: imported 5 of 6 row(s); 1 could not be read"
    code, out, err = invoke("validate", str(target))
    assert code == 0 and out.count("[unarchived]") == 4
    code, _, _ = invoke("validate", str(target), "--strict")
    assert code == 1


def test_import_clean_csv_and_map(tmp_path: Path) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "When,Who,metric,best,url\n2025-01-13,Kyiv,killed,300,https://a.example/x\n"
    )
    code, out, err = invoke("import", str(csv_file), "--map", "When=date", "--map", "Who=claimant")
    assert code == 0, err
    assert "killed: 300\n" in out
    assert err == "reconcile: imported 1 of 1 row(s)\n"
    code, _, err = invoke("import", str(csv_file), "--map", "When")
    assert code == 2 and "COLUMN=FIELD" in err


@pytest.mark.parametrize("command", ["extract", "coverage", "import"])
def test_readme_shows_real_output(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    import shlex

    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```console\n\$ (reconcile {command}[^\n]*)\n(.*?)```", readme, re.S)
    assert len(blocks) == 1
    line, shown = blocks[0]
    _, out, _ = invoke(*shlex.split(line)[1:])
    assert out == shown


def test_summary_lists_the_top_discrepancies_and_says_how_many() -> None:
    """A summary is an overview: --top N lists the highest ranked and counts them all."""
    ledger = str(REPORTS_DIR / "discrepant.yaml")
    _, everything, _ = invoke("discrepancies", "-l", ledger, "--format", "json")
    total = len(json.loads(everything)["result"]["discrepancies"])
    assert total > 1
    code, out, err = invoke("summary", "-l", ledger, "--top", "1", "--format", "json")
    assert (code, err) == (0, "")
    result = json.loads(out)["result"]
    assert [d["rank"] for d in result["discrepancies"]] == [1]
    assert result["discrepancies_total"] == total
    code, out, _ = invoke("summary", "-l", ledger, "--top", "1", "--width", "100")
    assert code == 0
    assert f"The 1 highest ranked of {total}; reconcile discrepancies lists them all." in out
    code, out, _ = invoke("summary", "-l", ledger, "--top", "0", "--format", "json")
    assert len(json.loads(out)["result"]["discrepancies"]) == total


def test_a_run_tunes_the_cyclic_collector_and_the_library_does_not() -> None:
    """`main()` (the console script) sets mypy's thresholds for its run; importing
    or calling the app, as a library user does, leaves the process's alone."""
    import gc

    from reconcile import cli

    before = gc.get_threshold()
    assert before != cli.GC_THRESHOLDS
    code = (
        "import gc, sys; from reconcile.cli import main; sys.argv = ['reconcile', '--version'];"
        "import atexit; atexit.register(lambda: print(gc.get_threshold(), file=sys.stderr)); main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert done.stderr.strip().splitlines()[-1] == str(cli.GC_THRESHOLDS), done.stderr
    assert invoke("--version")[0] == 0
    assert gc.get_threshold() == before


def test_changes_refuses_a_revision_whose_ledger_includes_files(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comparing only the root file at a revision would call everything the
    included files hold "added": refuse, exit 2, and say how to compare."""
    (tmp_path / "more.yaml").write_text(
        "sources:\n  - id: others\n    name: Others\n    kind: media\n    party: third-party\n"
    )
    path = write_ledger(
        valid_text.replace("archive: archive", "archive: archive\ninclude: [more.yaml]")
    )
    commit_all(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("changes", "HEAD", path.name)
    assert (code, out) == (2, "")
    assert err == (
        f"reconcile: HEAD:{path.name} includes other files (more.yaml), and changes cannot "
        "read them at a git revision; check the revision out and compare the files: "
        f"git worktree add OLD HEAD && reconcile changes OLD/{path.name} {path.name}\n"
    )
    code, out, err = invoke("changes", str(path), path.name)  # files: includes are followed
    assert (code, err) == (0, ""), err
