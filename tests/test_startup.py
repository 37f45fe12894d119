"""Start-up stays lean: `reconcile --help` imports no heavy module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, SHIPPED, copy_shipped

HEAVY = ("pydantic", "pydantic_core", "yaml", "_yaml", "yaml_rs", "rich", "reconcile.core.models")


def _imported(*args: str, usage: bool = True) -> set[str]:
    """Every module a `reconcile` process imports, from `python -X importtime`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    code = "import sys; sys.argv[0] = 'reconcile'; from reconcile.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert ("Usage" in done.stdout) == usage
    modules = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "typer" in modules  # the probe sees imports at all
    return modules


def test_help_imports_neither_pydantic_nor_a_yaml_parser_nor_rich() -> None:
    modules = _imported("--help")
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []


def test_a_command_s_help_is_lean_too() -> None:
    modules = _imported("validate", "--help")
    assert (
        not {"yaml", "yaml_rs", "rich", "reconcile.core.models", "reconcile.ingest.loader"}
        & modules
    )


def test_reading_a_ledger_with_yaml_rs_leaves_pyyaml_unimported() -> None:
    """With the `fast` extra, a clean ledger is read by yaml-rs alone; PyYAML
    (its composer and dumper) is imported only when needed."""
    from reconcile.ingest.fast import FAST_AVAILABLE

    modules = _imported("validate", str(SHIPPED), usage=False)
    assert "reconcile.ingest.loader" in modules and "reconcile.core.models" in modules
    assert ("yaml_rs" in modules) == FAST_AVAILABLE
    assert ("yaml" in modules) == (not FAST_AVAILABLE)


# --- lazy commands (issue 18): --help lists them from a table ------------------


def _eager_app() -> typer.Typer:
    """The application as it was built before commands loaded lazily: every
    command registered on a plain typer group, in the table's order."""
    from reconcile.cli.app import _root
    from reconcile.cli.commands import COMMANDS, target

    eager = typer.Typer(
        name="reconcile",
        help="Keep disagreeing casualty figures in one traceable ledger, and reconcile them.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    eager.callback()(_root)
    for name in COMMANDS:
        implementation = target(name)
        if isinstance(implementation, typer.Typer):
            eager.add_typer(implementation, name=name)
        else:
            eager.command(name=name)(implementation)
    return eager


def test_the_command_table_is_the_real_commands() -> None:
    """Each name of `COMMANDS` is a command whose help starts with the paragraph
    the table keeps for `--help`, and no command is missing from the table."""
    import typer.main

    from reconcile.cli.commands import COMMANDS

    eager = typer.main.get_group(_eager_app())
    for name, (_, _, first) in COMMANDS.items():
        help_text = eager.commands[name].help or ""
        assert help_text.split("\n\n", 1)[0] == first, name
    lazy = typer.main.get_group(app)
    assert list(lazy.commands) == list(eager.commands)
    for name, command in lazy.commands.items():
        assert command.help == eager.commands[name].help
        assert [p.opts for p in command.params] == [p.opts for p in eager.commands[name].params]


@pytest.mark.parametrize("columns", ["100", "60", "200"])
def test_help_is_what_the_eager_application_prints(columns: str) -> None:
    runner = CliRunner()
    env = {"COLUMNS": columns, "NO_COLOR": "1"}
    for args in (["--help"], [], ["summary", "--help"], ["add", "--help"], ["sumary"]):
        lazy = runner.invoke(app, args, env=env, prog_name="reconcile")
        eager = runner.invoke(_eager_app(), args, env=env, prog_name="reconcile")
        assert (lazy.exit_code, lazy.output) == (eager.exit_code, eager.output), args
    assert "Did you mean 'summary'?" in runner.invoke(app, ["sumary"], env=env).output


def _cli_modules(*args: str) -> set[str]:
    """The reconcile.cli modules loaded once `reconcile ARGS` has run."""
    code = (
        "import sys; sys.argv[0] = 'reconcile'\n"
        "from reconcile.cli import run\n"
        "run()\n"
        "print(*sorted(m for m in sys.modules if m.startswith('reconcile.cli.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    return set(done.stdout.splitlines()[-1].split())


def test_help_imports_no_command_module() -> None:
    from reconcile.cli.commands import COMMANDS

    modules = {module for module, _, _ in COMMANDS.values()}
    assert not modules & _cli_modules("--help")
    assert modules & _cli_modules("summary", "--help") == {"reconcile.cli.reports"}


def test_completion_still_finds_commands_and_their_options() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_RECONCILE_COMPLETE": "complete_bash"}
    code = "import sys; sys.argv[0] = 'reconcile'; from reconcile.cli import main; main()"

    def complete(words: str, index: int) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**env, "COMP_WORDS": words, "COMP_CWORD": str(index)},
            timeout=60,
            check=False,
        )
        return done.stdout.split()

    assert complete("reconcile sum", 1) == ["summary"]
    assert complete("reconcile summary --wi", 2) == ["--window", "--width"]
    assert complete("reconcile add ", 2) == ["source", "document", "estimate"]


# --- what a validate run loads (issue 18, start-up of the validate process) ----

_PROBE = """
import os, sys
sys.argv[0] = "reconcile"
real_exit = os._exit

def probe(code):
    loader = sys.modules.get("pydantic.plugin._loader")
    models = sys.modules.get("reconcile.core.models")
    sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
    sys.stderr.write("SCANNED %s\\n" % (loader is not None and loader._plugins is not None))
    built = [c.__name__ for c in vars(models).values() if isinstance(c, type) and
             issubclass(c, models._Model) and c.__pydantic_complete__] if models else []
    sys.stderr.write("BUILT %s\\n" % " ".join(sorted(built)))
    sys.stderr.write("PURGE %s\\n" % os.environ.get("MIMALLOC_PURGE_DELAY"))
    sys.stderr.flush()
    real_exit(code)

os._exit = probe
from reconcile.cli import main
main()
"""


def _at_exit(*args: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """What a `reconcile` process holds when it ends (main's os._exit): its modules,
    whether pydantic scanned the installed distributions for plugins, and which
    models' validators were built.  The environment is this one's, less
    any PYDANTIC_DISABLE_PLUGINS or cache folder, plus `env`."""
    unset = (
        "PYDANTIC_DISABLE_PLUGINS",
        "MIMALLOC_PURGE_DELAY",
        "RECONCILE_CACHE_DIR",
        "GITHUB_STEP_SUMMARY",
    )
    inherited = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env={**inherited, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = dict(
        line.split(" ", 1)
        for line in done.stderr.splitlines()
        if line.startswith(("MODULES ", "SCANNED ", "BUILT ", "PURGE "))
    )
    assert "reconcile.checks.provenance" in found["MODULES"].split()  # the probe saw the run
    return found


# The one module of a layer above the checks that a validate run needs besides
# render.issues: cli/options.py types the reports' shared --format option with
# views.tabular.OutputFormat (plain data, no rendering).
_ALLOWED_ABOVE_CHECKS = {"reconcile.render", "reconcile.render.issues", "reconcile.views",
                         "reconcile.views.tabular"}  # fmt: skip


def test_a_validate_run_imports_no_report_view_rendering_or_authoring_module() -> None:
    """validate imports what it runs: the checks (every module of the registry),
    the models, the reader; no report, table, renderer (but its issue printer),
    authoring module, rich, matplotlib or Jinja2, and not the cache's JSON writer
    when it has no cache."""
    modules = set(_at_exit("validate", str(SHIPPED))["MODULES"].split())
    layers = ("reconcile.reports", "reconcile.views", "reconcile.render", "reconcile.authoring")
    above = {m for m in modules if m.startswith(layers)}
    assert above == _ALLOWED_ABOVE_CHECKS & modules
    assert "reconcile.render.issues" in modules
    assert not {"rich", "matplotlib", "jinja2", "json"} & modules
    from reconcile.checks import REGISTRY

    functions = [f for check in REGISTRY for f in (check.run, *check.also) if f is not None]
    assert {f.__module__ for f in functions} <= modules


def test_a_json_validate_run_loads_only_the_writers_it_uses() -> None:
    modules = set(_at_exit("validate", "--format", "json", str(SHIPPED))["MODULES"].split())
    assert {"json", "reconcile.render.tables"} <= modules
    assert not {m for m in modules if m.startswith(("reconcile.reports", "reconcile.authoring"))}


def test_pydantic_plugins_are_not_scanned_for_unless_the_user_says_so() -> None:
    """main() sets pydantic's documented PYDANTIC_DISABLE_PLUGINS (as typer does for its
    own adapters): no scan of every distribution's entry points.  A value the user
    set is kept: empty turns plugins back on, and pydantic scans."""
    assert _at_exit("validate", str(SHIPPED))["SCANNED"] == "False"
    on = _at_exit("validate", str(SHIPPED), env={"PYDANTIC_DISABLE_PLUGINS": ""})
    assert on["SCANNED"] == "True"


def test_yaml_rs_s_allocator_returns_what_it_frees_unless_the_user_says_otherwise() -> None:
    """main() sets mimalloc's documented MIMALLOC_PURGE_DELAY to 0 (yaml-rs's allocator
    gives back the memory of its parse at once: see main); a value the
    user set is kept."""
    assert _at_exit("validate", str(SHIPPED))["PURGE"] == "0"
    assert _at_exit("validate", str(SHIPPED), env={"MIMALLOC_PURGE_DELAY": "10"})["PURGE"] == "10"


def test_a_clean_validate_run_builds_only_the_ledger_s_validator(tmp_path: Path) -> None:
    """Models are built on first use (defer_build): a clean ledger is validated by
    `Ledger` alone, so no other model's validator is built; one with a bad entry
    builds those of the sections it validates entry by entry (not `Report`, inside
    `Estimate`'s, nor `Included`, for included files), and reports as before
    (the gallery: tests/test_gallery.py).  The schemas still equal the committed
    ones (tests/test_schema.py)."""
    assert _at_exit("validate", str(SHIPPED))["BUILT"] == "Ledger"
    broken = copy_shipped(tmp_path)
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("claimant:", "claimant: '#'\n    x:", 1), encoding="utf-8")
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, "validate", str(broken)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert probe.returncode == 1, probe.stderr[-2000:]
    assert "bad-id" in probe.stdout
    built = next(line for line in probe.stderr.splitlines() if line.startswith("BUILT "))
    assert built.split()[1:] == ["Document", "Estimate", "Header", "Ledger", "Source"]
