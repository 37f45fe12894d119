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
from typing import Any

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from reconcile.ingest.discover import shipped_ledger
from tests.conftest import ROOT, SHIPPED, WriteLedger, commit_all, copy_shipped

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
        f"ok: 1 ledger file ({SHIPPED}), 8 estimates from 6 sources in 5 documents; no problems"
    )


def test_validate_without_arguments_finds_a_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./data/estimates.yaml here: the shipped ledger is used
    code, out, err = invoke("validate")
    assert (code, out) == (0, "")
    assert "8 estimates" in err
    # ... and says so: a user never mistakes the demo's "ok" for their ledger's
    assert ", the shipped demo ledger)" in err.splitlines()[0]
    assert str(shipped_ledger()) in err


@pytest.mark.parametrize(("variable", "value"), [("CI", "true"), ("GITHUB_ACTIONS", "true")])
@pytest.mark.parametrize(
    "args",
    [["validate"], ["summary"], ["discrepancies"], ["timeline"], ["coverage"],
     ["diff", "nis", "zelensky"], ["changes", "old.yaml"]],
)  # fmt: skip
def test_under_ci_the_demo_ledger_is_never_a_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, args: list[str]
) -> None:
    """A workflow whose ledger is data/estimates.yml (not .yaml) must not go green
    on the shipped demo: exit 2 and how to name the ledger."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "estimates.yml").write_text("title: mine\n")
    result = runner.invoke(app, args, env={variable: value}, catch_exceptions=False)
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert (code, out) == (2, "")
    assert "the shipped demo ledger is not used" in err
    assert "--ledger" in err and "RECONCILE_LEDGER" in err
    assert f"{Path('data', 'estimates.yml')} is not read" in err


def test_under_ci_a_named_ledger_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    code, _, err = invoke("validate", str(SHIPPED))
    assert code == 0 and f"({SHIPPED})" in err
    monkeypatch.setenv("CI", "false")  # set but off, as some runners write it
    monkeypatch.chdir(SHIPPED.parent.parent.parent)
    assert invoke("validate")[0] == 0


@pytest.mark.parametrize("report", ["summary", "discrepancies", "timeline", "coverage"])
def test_reports_name_their_ledger_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(report)
    assert code in (0, 1) and out
    assert err.splitlines()[0] == f"reconcile: ledger {shipped_ledger()}, the shipped demo ledger"
    monkeypatch.chdir(ROOT)
    code, _, err = invoke(report)
    assert err.splitlines()[0] == f"reconcile: ledger {Path('data', 'estimates.yaml')}"
    result = runner.invoke(app, [report], env={"RECONCILE_LEDGER": str(SHIPPED)})
    assert result.stderr.splitlines()[0] == f"reconcile: ledger {SHIPPED} (from $RECONCILE_LEDGER)"
    code, _, err = invoke(report, "--ledger", str(SHIPPED))  # named: the user knows
    assert "reconcile: ledger" not in err


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
    assert err == f"2 errors, 0 warnings in 1 ledger file ({path})\n"


def test_validate_select_and_ignore_choose_checks_from_the_registry(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    path = write_ledger(
        valid_text.replace("kind: government", "kind: goverment").replace(
            "claimant: officials", "claimant: nobody"
        )
    )
    code, out, err = invoke("validate", "--select", "unknown-reference", str(path))
    assert code == 1
    assert [line for line in out.splitlines() if not line.startswith(" ")] == [
        f"{path}:17:15: error: claimant 'nobody' is not a source id [unknown-reference]"
    ]
    assert err.startswith("1 error, 0 warnings in 1 ledger file")
    code, out, _ = invoke(
        "validate", "--ignore", "unknown-reference", "--ignore", "wrong-value", str(path)
    )
    assert (code, out) == (0, "")
    code, out, _ = invoke("validate", "--select", "future-date", str(path))
    assert (code, out) == (0, "")


def test_validate_refuses_an_unknown_check_id(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text)
    code, out, err = invoke("validate", "--ignore", "unknown-referenc", str(path))
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: 'unknown-referenc' is not a check id; did you mean unknown-reference?\n"
    )


def test_validate_ignore_never_hides_an_unusable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"title: [unclosed\n")
    code, out, _ = invoke("validate", "--ignore", "yaml-syntax", str(bad))
    assert code == 2
    assert out.rstrip().endswith("[yaml-syntax]")


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
    assert f"in 2 ledger files ({good}, {missing})" in err


def test_validate_json_envelope(write_ledger: WriteLedger, valid_text: str) -> None:
    path = write_ledger(valid_text.replace("claimant: officials", "claimant: nobody"))
    code, out, _ = invoke("validate", "--format", "json", str(path))
    assert code == 1
    document = json.loads(out)
    assert document["reconcile"]["schema"] == 2
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


DATED_DOCUMENT = (
    "    published: 2025-01-12\n  - id: dated\n    path: dated.txt\n    title: A dated article\n"
    "    publisher: The Test\n    published: 2025-01-12\nestimates:"
)


def _dated_ledger(write_ledger: WriteLedger, valid_text: str, acknowledged: bool = False) -> Path:
    """The gallery ledger whose quote is reported by an article that says "In 2023, ...",
    its estimate dated 2025-01-10."""
    text = valid_text.replace("    published: 2025-01-12\nestimates:", DATED_DOCUMENT).replace(
        "      - document: article\n", "      - document: dated\n"
    )
    if acknowledged:
        text = text.replace(
            "    reported_in:",
            "    acknowledged:\n      as-of-not-in-quote: a 2023 count restated\n    reported_in:",
        )
    return write_ledger(text)


def test_validate_warns_of_a_quote_dated_outside_as_of(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _dated_ledger(write_ledger, valid_text)
    monkeypatch.chdir(path.parent)
    code, out, err = invoke("validate", "ledger.yaml")
    assert code == 0
    assert out.splitlines() == [
        "ledger.yaml:28:16: warning: the quote (in its sentence) dates it 'In 2023', which "
        "as_of 2025-01-10 does not overlap [as-of-not-in-quote]",
        "    hint: check as_of (a wrong year?); if the figure covers that time, record it as "
        "the estimate's period",
    ]
    assert err.splitlines()[-1] == "0 errors, 1 warning in 1 ledger file (ledger.yaml)"
    assert invoke("validate", "--strict", "ledger.yaml")[0] == 1
    assert invoke("validate", "--ignore", "as-of-not-in-quote", "ledger.yaml")[:2] == (0, "")


def test_validate_counts_and_lists_acknowledged_warnings_in_every_format(
    write_ledger: WriteLedger,
    valid_text: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _dated_ledger(write_ledger, valid_text, acknowledged=True)
    monkeypatch.chdir(path.parent)
    code, out, err = invoke("validate", "--strict", "--format", "json", "ledger.yaml")
    assert code == 0  # acknowledged: --strict does not fail on it
    result = json.loads(out)["result"]
    assert result["counts"]["warnings"] == 0
    assert (result["counts"]["acknowledged"], result["counts"]["ignored"]) == (1, 0)
    assert result["issues"] == []
    assert result["acknowledged"] == [
        {
            "path": "ledger.yaml",
            "line": 30,
            "column": 16,
            "severity": "warning",
            "check": "as-of-not-in-quote",
            "message": "the quote (in its sentence) dates it 'In 2023', which as_of 2025-01-10 "
            "does not overlap",
            "hint": "check as_of (a wrong year?); if the figure covers that time, record it as "
            "the estimate's period",
            "unusable": False,
            "acknowledged": {
                "section": "estimates",
                "entry": "e1",
                "reason": "a 2023 count restated",
            },
        }
    ]
    line = (
        "ok: 1 ledger file (ledger.yaml), 1 estimates from 1 sources in 2 documents; "
        "no problems; not shown: 1 acknowledged warning"
    )
    assert err.splitlines() == [line]
    assert invoke("validate", "ledger.yaml")[2].splitlines() == [line]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result_github = CliRunner().invoke(app, ["validate", "ledger.yaml"], catch_exceptions=False)
    assert (result_github.exit_code, result_github.stdout) == (0, "")
    assert result_github.stderr.splitlines() == [line]
    assert "No problems in 1 ledger file(s). Not shown: 1 acknowledged warning." in (
        summary.read_text(encoding="utf-8")
    )


def test_validate_counts_warnings_the_settings_ignore(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _dated_ledger(write_ledger, valid_text)
    (path.parent / "reconcile.toml").write_text(
        'ignore = ["as-of-not-in-quote"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(path.parent)
    code, out, err = invoke("validate", "--format", "json", "ledger.yaml")
    counts = json.loads(out)["result"]["counts"]
    assert (code, counts["warnings"], counts["acknowledged"], counts["ignored"]) == (0, 0, 0, 1)
    assert err.splitlines()[-1].endswith("; not shown: 1 warning ignored by settings")


def test_github_escaping() -> None:
    from reconcile.core.issues import Location, error
    from reconcile.render.issues import issues_github

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
    for wrong in ("lots", "0", "-5"):  # refused: never the default instead
        monkeypatch.setenv("RECONCILE_MAX_BYTES", wrong)
        code, out, err = invoke("validate", str(path))
        assert (code, out) == (2, "") and f"RECONCILE_MAX_BYTES={wrong!r} is not a whole" in err


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
    assert document["reconcile"]["schema"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ("validate", str(SHIPPED)),
        ("summary", "--ledger", str(SHIPPED)),
        ("summary", "--history", "--ledger", str(SHIPPED)),
        ("discrepancies", "--ledger", str(SHIPPED)),
        ("diff", "nis", "zelensky", "--ledger", str(SHIPPED)),
        ("timeline", "--ledger", str(SHIPPED)),
        ("coverage", "--ledger", str(SHIPPED)),
        ("estimate", "-m", "casualties", "--ledger", str(SHIPPED)),
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith(("/", "-"))),
)
def test_every_command_has_one_json_envelope(args: tuple[str, ...]) -> None:
    from reconcile.render.tables import JSON_SCHEMA_VERSION

    code, out, _ = invoke(*args, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["reconcile", "ledgers", "result"]
    assert list(document["reconcile"]) == ["schema", "command", "version"]
    assert document["reconcile"]["schema"] == JSON_SCHEMA_VERSION == 2
    assert document["reconcile"]["command"] == args[0]


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
        "table,subject,metric,as_of,claimants,lowest_"
    )
    code, _, err = invoke("summary", "-l", str(SHIPPED), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "cannot tell the format" in err


def test_discrepancies_on_test_ledgers() -> None:
    code, out, _ = invoke("discrepancies", "-l", str(REPORTS_DIR / "discrepant.yaml"), "-f", "csv")
    assert code == 0
    assert [line.split(",")[2] for line in out.splitlines()[1:]] == [
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


def test_reports_leave_out_the_estimates_with_errors(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """The report runs on what is usable, names what it left out, and exits 1."""
    extra = (
        valid_text.split("estimates:\n", 1)[1]
        .replace("id: e1", "id: e2")
        .replace("claimant: officials", "claimant: nobody")
    )
    path = write_ledger(valid_text + extra)
    code, out, err = invoke("summary", "-l", str(path), "-f", "json")
    assert code == 1
    assert json.loads(out)["result"]["metrics"][0]["estimates"] == 1  # e1 only
    assert "[unknown-reference]" in err
    assert "the report leaves out 1 estimate(s) with errors (e2)" in err


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


GERMAN_AND_ENGLISH = """\
title: Two languages
subject: Test troops
archive: archive
sources:
  - id: ministry
    name: Ministry
    kind: government
    party: third-party
documents:
  - id: zeitung
    path: de.txt
    title: Ein Artikel
    publisher: Die Zeitung
    published: 2025-01-12
    language: de
  - id: paper
    path: en.txt
    title: An article
    publisher: The Paper
    published: 2025-01-12
estimates:
  - id: e1
    claimant: ministry
    as_of: 2025-01-10
    killed: 4,000
    reported_in:
      - document: zeitung
        quote: Laut Ministry wurden 4.000 Soldaten getötet
      - document: paper
        quote: Ministry said 4,000 soldiers were killed
"""


def test_a_report_in_a_decimal_comma_language_is_credited_with_what_it_printed(
    tmp_path: Path,
) -> None:
    """A German report's "4.000" is 4,000 wherever a report's own figures are read
    (document diffs, wording lines, the report checks), as provenance reads it."""
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "de.txt").write_text(
        "Laut Ministry wurden 4.000 Soldaten getötet.\n", encoding="utf-8"
    )
    (tmp_path / "archive" / "en.txt").write_text(
        "Ministry said 4,000 soldiers were killed.\n", encoding="utf-8"
    )
    (tmp_path / "reconcile.toml").write_text("", encoding="utf-8")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(GERMAN_AND_ENGLISH, encoding="utf-8")
    code, out, _ = invoke("validate", str(ledger))
    assert (code, out) == (0, "")
    code, out, _ = invoke("diff", "zeitung", "paper", str(ledger), "--format", "csv")
    assert code == 0
    import csv

    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["table"], r["metric"], r["a_best"], r["b_best"], r["verdict"]) for r in rows] == [
        ("diff", "killed", "4000", "4000", "agree")
    ]


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


def test_timeline_png_is_a_png_drawn_from_the_charts(tmp_path: Path) -> None:
    target = tmp_path / "c.png"
    code, out, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(target))
    assert (code, out, err) == (0, "", f"reconcile: wrote {target}\n")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 1440 and 1500 < height < 5000  # 720 px at 2x, five charts stacked


def test_a_timeline_picture_draws_at_most_so_many_charts_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture of every subject and metric of a big ledger would be thousands of
    pixels tall: it draws the first MOST_CHARTS, says so on stderr and under the
    charts, and counts only the estimates it drew."""
    import re
    import xml.etree.ElementTree as ET

    from reconcile.views import geometry

    monkeypatch.setattr(geometry, "MOST_CHARTS", 2)
    target = tmp_path / "c.svg"
    code, out, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(target))
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        "reconcile: 5 charts are too many for one picture: drew the first 2 (by subject, "
        "then metric); --subject or --metric chooses the others",
        f"reconcile: wrote {target}",
    ]
    root = ET.fromstring(target.read_bytes())
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "The first 2 of 5 charts. Source: reconcile ledger" in texts
    assert "5 estimates;" in texts  # deployed (4) and killed (1): what was drawn
    assert len(re.findall(r'id="series-(\d+)-', target.read_text("utf-8"))) == 5


def test_timeline_svg_names_claimants_and_says_its_source(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    target = tmp_path / "c.svg"
    code, _, _ = invoke("timeline", "-l", str(SHIPPED), "-o", str(target), "--metric", "casualties")
    assert code == 0
    root = ET.fromstring(target.read_bytes())
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Volodymyr Zelensky, President of Ukraine"[:29] in " ".join(texts)
    assert "zelensky" not in texts
    assert any(t.startswith("Source: reconcile ledger “North Korean troops") for t in texts)


def test_timeline_image_without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out, err = invoke("timeline", "-l", str(SHIPPED), "-o", str(tmp_path / "c.png"))
    assert (code, out) == (2, "")
    assert "images need the 'charts' extra" in err
    code, _, _ = invoke("timeline", "-l", str(SHIPPED), "-o", str(tmp_path / "c.svg"))
    assert code == 0, "an SVG is written from the template, without matplotlib"


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
        "changed   nis-2025-01-13                 nis killed                300 → at least 300"
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
        assert "changes,changed,estimates,nis-2025-01-13,nis,killed,300,at least 300" in (
            out.splitlines()
        )
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
    assert err == f"1 error, 0 warnings in 2 ledger files ({path} and 1 included)\n"


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
    code, out, err = invoke("extract", str(SEED), "--width", "160")
    assert (code, err) == (0, "")
    assert out.startswith(f"Figures in {SEED}\n")
    assert "around 3,800" in out and "casualties (died" in out
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
    from reconcile.ingest.loader import load_text

    data = load_text(out, "x").data
    assert isinstance(data, dict)
    estimates = data["estimates"]
    assert estimates[0]["deployed"] == "approximately 12,000"
    assert estimates[0]["casualties"] == "around 3,800"
    assert estimates[0]["reported_in"][0]["document"] == "kursk-diary"
    assert estimates[2]["killed"] == "at least 300" and estimates[2]["wounded"] == "2,700"


def test_extract_reads_its_ledger_once_and_runs_no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger gives extract its sources and its documents' ids: read once, the
    models only (it once validated the whole ledger a second time for the ids)."""
    from reconcile.checks import run, run_checks

    reads: list[Path] = []
    checked: list[object] = []
    check_file = run.check_file

    def counted_read(path: Path, **kwargs: Any) -> Any:
        reads.append(path)
        return check_file(path, **kwargs)

    def counted_checks(context: Any, ids: Any, **kwargs: Any) -> Any:
        checked.extend(ids)
        return run_checks(context, ids, **kwargs)

    monkeypatch.setattr(run, "check_file", counted_read)
    monkeypatch.setattr("reconcile.checks.run.run_checks", counted_checks)
    code, out, _ = invoke("extract", str(SEED), "--format", "yaml", "--ledger", str(SHIPPED))
    assert code == 0 and "document: kursk-diary" in out
    assert (reads, checked) == ([SHIPPED], [])


def test_extract_table_json_and_yaml_give_one_claimant(tmp_path: Path) -> None:
    """The table, the JSON and the YAML drafts all resolve the claimant against the
    ledger's sources and aliases (one code path: claimant_of), the article's words
    beside it; a name the ledger lacks is marked new, with the id the draft uses."""
    ledger = ["--ledger", str(SHIPPED)]
    code, out, err = invoke("extract", str(SEED), "--width", "160", *ledger)
    assert (code, err) == (0, "")
    rows = [line.split("   ") for line in out.splitlines()]
    claimants = [
        next(c.strip() for c in row if ":" in c or c.strip() == "unknown")
        for row in rows
        if row[0].strip().isdigit() and len(row) > 3
    ]
    assert claimants[:5] == [
        "zelensky: Ukrainian President Volodymyr Zelensky (stated)",
        "zelensky: Ukrainian President Volodymyr Zelensky (stated)",
        "us-government: Washington (estimated)",
        "nis: South Korean spy agency (stating)",
        "nis: South Korean spy agency (stating)",
    ]
    code, out, _ = invoke("extract", str(SEED), "--format", "json", *ledger)
    figures = json.loads(out)["result"]["files"][0]["figures"]
    json_ids = [
        (f["claimant_id"], f["claimant_in_ledger"]) for f in figures if f["kind"] == "figure"
    ]
    assert (
        json_ids[:5] == [("zelensky", True)] * 2 + [("us-government", True)] + [("nis", True)] * 2
    )
    code, out, _ = invoke("extract", str(SEED), "--format", "yaml", *ledger)
    from reconcile.ingest.loader import load_text

    data = load_text(out, "x").data
    assert isinstance(data, dict)
    assert [e["claimant"] for e in data["estimates"]][:3] == ["zelensky", "us-government", "nis"]
    # a ledger without those sources: the guessed words become new ids, in every view
    bare = tmp_path / "bare.yaml"
    bare.write_text("title: t\nsubject: s\nsources: []\ndocuments: []\nestimates: []\n")
    code, out, _ = invoke("extract", str(SEED), "--width", "160", "--ledger", str(bare))
    assert "south-korean-spy-agency (new): South Korean spy agency (stating)" in out
    code, out, _ = invoke("extract", str(SEED), "--format", "yaml", "--ledger", str(bare))
    assert "claimant: south-korean-spy-agency\n" in out
    code, out, err = invoke("extract", str(SEED), "--ledger", str(tmp_path / "none.yaml"))
    assert code == 0 and "cannot be read as a ledger; claimants are not matched" in err


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
    """`run()` (what the console script runs) sets mypy's thresholds for its run; importing
    or calling the app, as a library user does, leaves the process's alone."""
    import gc

    from reconcile import cli

    before = gc.get_threshold()
    assert before != cli.GC_THRESHOLDS
    code = (
        "import gc, sys; from reconcile.cli import run; sys.argv = ['reconcile', '--version'];"
        "run(); print(gc.get_threshold(), file=sys.stderr)"
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


def test_changes_sees_the_include_of_an_old_ledger_with_schema_errors(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: with any schema error in the old ledger, its header was rebuilt
    from a hand-written field list without `include`, and everything the included
    file held was reported as added."""
    (tmp_path / "more.yaml").write_text(
        "sources:\n  - id: others\n    name: Others\n    kind: media\n    party: third-party\n"
    )
    text = valid_text.replace("archive: archive", "archive: archive\ninclude: [more.yaml]")
    path = write_ledger(text.replace("kind: government", "kind: goverment"))  # a schema error
    commit_all(tmp_path)
    path.write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("changes", "HEAD", path.name)
    assert (code, out) == (2, "")
    assert "includes other files (more.yaml)" in err


def test_the_ledger_header_fields_come_from_the_model() -> None:
    from reconcile.core.models import Header
    from reconcile.ingest.build import build
    from reconcile.ingest.loader import load_text

    text = "title: t\nsubject: s\ninclude: [x.yaml]\narchive: a\nsources: [{id: 1}]\n"
    ledger, _, issues = build([load_text(text, "l.yaml")])
    assert issues and ledger is not None  # a schema error: the slow path
    assert {name: getattr(ledger, name) for name in Header.model_fields} == {
        "title": "t", "subject": "s", "archive": "a", "include": ("x.yaml",),
    }  # fmt: skip


# --- one set of option names, limits everywhere (issue 13) ---------------------


def test_no_short_option_means_two_things() -> None:
    import typer.main

    group = typer.main.get_group(app)
    meaning: dict[str, set[str]] = {}
    for name, command in group.commands.items():
        for param in command.params:
            opts = getattr(param, "opts", [])
            longs = [o for o in opts if o.startswith("--")]
            for short in (o for o in opts if not o.startswith("--")):
                meaning.setdefault(short, set()).update(longs)
        assert name
    assert {short: longs for short, longs in meaning.items() if len(longs) > 1} == {}
    assert meaning["-l"] == {"--ledger"}


@pytest.mark.parametrize(
    "args",
    [["validate"], ["summary"], ["discrepancies"], ["timeline"], ["coverage"],
     ["diff", "nis", "zelensky"], ["changes", str(SHIPPED)]],
)  # fmt: skip
def test_every_ledger_command_takes_the_ledger_as_l_and_positionally(args: list[str]) -> None:
    by_option = invoke(*args, "-l", str(SHIPPED))
    by_position = invoke(*args, str(SHIPPED))
    assert by_option[0] == by_position[0] == 0, by_option[2] + by_position[2]
    assert by_option[1] == by_position[1]
    if args[0] != "validate":  # validate checks every file it is given
        other = ROOT / "docs" / "examples" / "ledger-v1.yaml"
        code, out, err = invoke(*args, str(SHIPPED), "--ledger", str(other))
        assert (code, out) == (2, "") and "give one" in err


@pytest.mark.parametrize(
    "args",
    [["validate", "{ledger}"], ["summary", "{ledger}"], ["discrepancies", "{ledger}"],
     ["timeline", "{ledger}"], ["coverage", "{ledger}"], ["diff", "nis", "zelensky", "{ledger}"],
     ["changes", "{ledger}", "{ledger}"], ["import", "{csv}"], ["extract", "{text}"]],
)  # fmt: skip
def test_max_bytes_from_the_environment_is_honoured_by_every_command(
    tmp_path: Path, args: list[str]
) -> None:
    csv_file = tmp_path / "claims.csv"
    csv_file.write_text("claimant,date,metric,figure\nnis,2025-01-13,killed,300\n" * 20)
    text = tmp_path / "article.txt"
    text.write_text("Officials said 300 soldiers were killed. " * 20)
    paths = {"ledger": str(SHIPPED), "csv": str(csv_file), "text": str(text)}
    argv = [arg.format(**paths) for arg in args]
    result = runner.invoke(app, argv, env={"RECONCILE_MAX_BYTES": "200"})
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "too-large" in result.stdout + result.stderr


def test_estimate_on_the_shipped_ledger_and_its_refusals() -> None:
    code, out, err = invoke("estimate", "-l", str(SHIPPED), "-m", "casualties", "-f", "json")
    assert code == 0, err
    result = json.loads(out)["result"]
    first = result["points"][0]
    assert set(first) == {"date", "low", "best", "high", "claimants", "claims"}
    assert all(isinstance(first[k], int) for k in ("low", "best", "high"))
    assert first["claims"][0]["estimate"] and first["claims"][0]["weight"] > 0
    code, _, err = invoke("estimate", "-l", str(SHIPPED), "-m", "casualties", "--at", "2030")
    assert code == 2 and "never extrapolated" in err
    code, _, err = invoke("estimate", "-l", str(SHIPPED), "-m", "bogus")
    assert code == 2 and "is not a metric" in err
    code, _, err = invoke("estimate", "-l", str(SHIPPED), "-m", "captured", "--independent")
    assert code == 2 and "no stated captured figure" in err


def test_import_merge_option(tmp_path: Path) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "date,claimant,metric,best,url\n"
        "2025-01-13,UK MoD,killed,300,https://a.example/x\n"
        "2025-02-13,UK Ministry of Defence,killed,400,https://a.example/y\n"
    )
    code, out, err = invoke("import", str(csv_file), "--merge", "UK Ministry of Defence=UK MoD")
    assert code == 0, err
    assert "aliases:\n      - UK Ministry of Defence\n" in out
    assert out.count("claimant: uk-mod\n") == 2
    code, _, err = invoke("import", str(csv_file), "--merge", "UK MoD")
    assert code == 2 and "ALIAS=NAME" in err


# --- report, export (issue 17) -------------------------------------------------


def test_report_writes_one_html_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, stdout, stderr = invoke("report", "--ledger", str(SHIPPED), "-o", str(out))
    assert code == 0, stderr
    assert stdout == ""
    assert stderr == f"reconcile: wrote {out}\n"
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "North Korean troops in Russia" in html and "~3,800" in html


def test_report_filters_and_refusals(tmp_path: Path, write_ledger: WriteLedger) -> None:
    code, stdout, _ = invoke("report", "--ledger", str(SHIPPED), "--metric", "killed")
    assert code == 0
    assert "metric: killed" in stdout and "Casualties — " not in stdout
    code, _, stderr = invoke("report", "--ledger", str(SHIPPED), "--metric", "kiled")
    assert code == 2 and "did you mean killed?" in stderr
    broken = write_ledger("title: x\n")
    code, stdout, stderr = invoke("report", "--ledger", str(broken))
    # the report runs on the usable part (nothing here), says so, and exits 1
    assert code == 1 and "leaves out" in stderr and "fix them" in stderr


def test_export_formats(tmp_path: Path) -> None:
    code, stdout, stderr = invoke(
        "export", "--ledger", str(SHIPPED), "-f", "datapackage", "-o", str(tmp_path / "dp")
    )
    assert (code, stdout) == (0, "")
    assert stderr == f"reconcile: wrote 9 file(s) to {tmp_path / 'dp'}\n"
    assert (tmp_path / "dp" / "datapackage.json").is_file()
    code, _, _ = invoke(
        "export", "--ledger", str(SHIPPED), "-f", "sqlite", "-o", str(tmp_path / "x.db")
    )
    assert code == 0 and (tmp_path / "x.db").stat().st_size > 0
    code, _, stderr = invoke(
        "export", "--ledger", str(SHIPPED), "-f", "datawrapper", "-o", str(tmp_path / "dw")
    )
    assert code == 0 and "wrote 10 file(s)" in stderr and "not written" not in stderr
    # a second export over a folder holding a CSV it did not write names that file
    (tmp_path / "dw" / "old-chart.csv").write_text("x\n", encoding="utf-8")
    code, _, stderr = invoke(
        "export", "--ledger", str(SHIPPED), "-f", "datawrapper", "-o", str(tmp_path / "dw")
    )
    stale = tmp_path / "dw" / "old-chart.csv"
    assert code == 0 and stderr.splitlines()[1:] == [
        f"reconcile: {stale} was not written by this export (left from before?)"
    ]
    assert stale.is_file()  # never deleted: it may be the user's
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, stderr = invoke("export", "-l", str(SHIPPED), "-f", "datapackage", "-o", str(blocker))
    assert code == 2 and stderr.startswith(f"reconcile: cannot write {blocker}")
    code, _, stderr = invoke("export", "-l", str(SHIPPED), "-f", "excel", "-o", str(tmp_path))
    assert code == 2 and "excel" in stderr


def test_report_without_jinja2_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.render import html as html_report

    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.setattr(html_report, "_ENV", None)
    code, out, err = invoke("report", "-l", str(SHIPPED), "-o", str(tmp_path / "r.html"))
    assert (code, out) == (2, "")
    assert "pip install 'reconcile-ledger[report]'" in err
    assert not (tmp_path / "r.html").exists()


def test_timeline_picture_of_nothing_says_so(tmp_path: Path) -> None:
    target = tmp_path / "c.svg"
    code, _, err = invoke("timeline", "-l", str(SHIPPED), "--since", "2030", "-o", str(target))
    assert code == 0 and "no estimates match" in err
    assert "No estimates match the filters." in target.read_text(encoding="utf-8")


# --- authoring: add, archive add, init, import --into (issue 16) ---------------


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


def test_import_into_suggests_a_source_of_the_same_institution(tmp_path: Path) -> None:
    """A claimant whose name shares no spelling with the ledger's source but names the
    same institution (core/institutions.toml) is suggested, with the reason."""
    code, _, err = invoke("init", str(tmp_path), "--title", "Ukraine war", "--subject", "losses")
    assert code == 0, err
    ledger = tmp_path / "data" / "estimates.yaml"
    code, _, err = invoke(
        "add", "source", "-l", str(ledger), "--id", "us-dod", "--kind", "government",
        "--name", "US Department of Defense",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = invoke("import", str(ECONOMIST), "--map", PARTY_MAP, "--into", str(ledger))
    assert code == 0, err
    assert (
        "warning: claimant 'Pentagon leak' and the ledger's source 'us-dod' both name the US "
        "Department of Defense (the Pentagon is its headquarters"
    ) in " ".join(err.split())
    assert 'import again with --alias "US Sec of Def=us-dod"' in err
    assert "claimant 'US DoD' looks like the ledger's source 'us-dod'" not in err


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


# --- --limit (issue 18) --------------------------------------------------------

LIMITED = [
    (["summary"], ["latest"], ("metrics", "latest")),
    (["discrepancies"], ["discrepancies"], ("discrepancies",)),
    (["diff", "nis", "zelensky"], ["diff"], ("rows",)),
    (["timeline"], ["timeline"], ("panels", "entries")),
    (["coverage", "--all"], ["in-ledger", "not-casualty"], ("documents", "figures")),
]


def _count(result: dict[str, Any], path: tuple[str, ...]) -> int:
    outer, *inner = path
    return sum(len(item[inner[0]]) for item in result[outer]) if inner else len(result[outer])


@pytest.mark.parametrize(("args", "names", "path"), LIMITED)
def test_limit_cuts_the_long_lists_and_says_how_many_rows_it_left_out(
    args: list[str], names: list[str], path: tuple[str, ...]
) -> None:
    import csv as csv_module
    import io

    def rows(text: str) -> dict[str, int]:
        counted: dict[str, int] = {}
        for row in csv_module.DictReader(io.StringIO(text)):
            counted[row["table"]] = counted.get(row["table"], 0) + 1
        return counted

    _, every, _ = invoke(*args, str(SHIPPED), "--format", "csv")
    _, cut, err = invoke(*args, str(SHIPPED), "--format", "csv", "--limit", "2")
    before, after = rows(every), rows(cut)
    assert any(before[name] > 2 for name in names)
    for name in before:
        expected = min(before[name], 2) if name in names else before[name]
        assert after.get(name, 0) == expected, name
        if before[name] > 2 and name in names:
            assert (
                f"reconcile: --limit 2: {before[name] - 2:,} more row(s) of {name} left out" in err
            )
    # the table form shows the same rows, and every row without --limit
    _, table, _ = invoke(*args, str(SHIPPED), "--limit", "2", "--width", "200")
    _, whole, _ = invoke(*args, str(SHIPPED), "--width", "200")
    assert len(table.splitlines()) < len(whole.splitlines())
    # JSON: the lists cut to 2 in all, and a field saying what was left out
    _, text, err = invoke(*args, str(SHIPPED), "--format", "json", "--limit", "2")
    _, full, _ = invoke(*args, str(SHIPPED), "--format", "json")
    limited, complete = json.loads(text)["result"], json.loads(full)["result"]
    key = path[0] if len(path) == 1 else f"{path[0]}[].{path[1]}"
    lost = _count(complete, path) - _count(limited, path)
    assert _count(limited, path) == min(2, _count(complete, path))
    assert limited["limit"] == {"limit": 2, "left_out": {**limited["limit"]["left_out"], key: lost}}
    assert "limit" not in complete
    assert (f"{lost:,} more row(s) of {key} left out" in err) == (lost > 0)


def test_limit_is_refused_for_an_image_and_below_one(tmp_path: Path) -> None:
    code, _, err = invoke("timeline", str(SHIPPED), "-o", str(tmp_path / "t.png"), "--limit", "3")
    assert code == 2 and "--limit applies to text output only" in err
    assert invoke("timeline", str(SHIPPED), "--limit", "0")[0] == 2


def _console(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`reconcile ARGS` as the console script runs it (`main()`, ending with os._exit)."""
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100"},
        timeout=120,
        check=False,
        **kwargs,
    )


def test_the_console_script_writes_all_its_output_and_keeps_the_exit_code(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """`main()` ends the process with os._exit once stdout and stderr are flushed:
    every byte a command printed arrives, and the exit code is the command's."""
    done = _console("summary", "--history", "--format", "json", capture_output=True)
    assert (done.returncode, done.stderr) == (0, "reconcile: ledger data/estimates.yaml\n")
    assert done.stdout == invoke("summary", "--history", "--format", "json")[1]
    assert json.loads(done.stdout)["result"]
    broken = write_ledger(valid_text.replace("killed: ", "killed: twelve-ish ", 1))
    done = _console("validate", str(broken), capture_output=True)
    assert done.returncode == 1, done.stderr
    assert "[bad-figure]" in done.stdout
    assert done.stdout == invoke("validate", str(broken))[1]
    unusable = write_ledger("estimates: [\n")
    assert _console("validate", str(unusable), capture_output=True).returncode == 2


def test_a_reader_gone_before_the_first_byte_ends_the_run_quietly() -> None:
    """`reconcile timeline | head -0`: every write to stdout fails (EPIPE). The run
    says nothing more (no traceback, no "Exception ignored" from a last flush) and
    exits as click does on a closed pipe, with 1: not a crash (3)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = _console("timeline", stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "reconcile: ledger data/estimates.yaml\n")


def test_a_report_cut_short_leaves_its_output_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports are written as they are rendered; a run that fails half-way leaves
    --output's file as it was (and no file at all where there was none), with no
    partial file beside it."""
    from collections.abc import Iterator

    from reconcile.render import tables

    def cut_short(*args: Any, **kwargs: Any) -> Iterator[str]:
        yield "| the first rows |\n"
        raise RuntimeError("cut short")

    monkeypatch.setattr(tables, "report_chunks", cut_short)
    kept, new = tmp_path / "kept.md", tmp_path / "new.md"
    kept.write_text("the last good report\n", encoding="utf-8")
    for output in (kept, new):
        with pytest.raises(RuntimeError, match="cut short"):
            invoke("summary", "--format", "md", "--output", str(output))
    assert kept.read_text(encoding="utf-8") == "the last good report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.md"]


def test_output_replaces_a_file_keeping_its_mode_and_writes_through_a_link(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.md"
    report.write_text("old\n", encoding="utf-8")
    report.chmod(0o640)
    code, _, err = invoke("summary", "--format", "md", "--output", str(report))
    assert (code, err) == (0, f"reconcile: ledger data/estimates.yaml\nreconcile: wrote {report}\n")
    assert report.read_text(encoding="utf-8").startswith("#")
    assert report.stat().st_mode & 0o777 == 0o640
    link = tmp_path / "latest.md"
    link.symlink_to(report)
    report.write_text("old\n", encoding="utf-8")
    assert invoke("summary", "--format", "md", "--output", str(link))[0] == 0
    assert link.is_symlink() and report.read_text(encoding="utf-8").startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.md", "report.md"]


def test_a_report_makes_only_what_its_format_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is made from the result alone, the table, CSV and Markdown from the
    tables alone: neither is built for nothing (a summary of 100,000 estimates
    spent a tenth of a second on JSON it did not print)."""
    from reconcile.reports.summary import Summary
    from reconcile.views import reports as views

    def unwanted(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("made for nothing")

    tables = views.summary_tables
    monkeypatch.setattr(views, "summary_tables", unwanted)
    code, out, _ = invoke("summary", "--format", "json")
    assert code == 0 and json.loads(out)["result"]
    monkeypatch.setattr(views, "summary_tables", tables)
    monkeypatch.setattr(Summary, "to_json", unwanted)
    for fmt in ("table", "csv", "md"):
        code, out, _ = invoke("summary", "--format", fmt)
        assert code == 0 and out, fmt


def test_reconcile_jobs_sets_the_processes_and_refuses_anything_else(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.cli.options import MAX_AUTO_JOBS, MAX_JOBS, jobs

    monkeypatch.delenv("RECONCILE_JOBS", raising=False)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert jobs() == max(1, min(cores or 1, MAX_AUTO_JOBS))
    for given, wanted in (("1", 1), (" 3 ", 3), (str(MAX_JOBS), MAX_JOBS)):
        monkeypatch.setenv("RECONCILE_JOBS", given)
        assert jobs() == wanted
    path = write_ledger(valid_text)
    for wrong in ("0", "two", "-1", str(MAX_JOBS + 1), "2.5"):
        monkeypatch.setenv("RECONCILE_JOBS", wrong)
        code, out, err = invoke("validate", str(path))
        assert (code, out) == (2, "") and f"RECONCILE_JOBS={wrong.strip()!r} is not" in err
