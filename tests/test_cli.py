"""The command line, end to end through typer's CliRunner.

stdout and stderr are asserted separately: data goes to stdout, messages to
stderr, and the exit code is the contract CI relies on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, SHIPPED, WriteLedger

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
