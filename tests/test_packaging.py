"""The installed package carries its ledger and archive: `reconcile validate` works
right after `pip install .`, from any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.integration
def test_wheel_ships_the_ledger_and_works_from_anywhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("reconcile_ledger-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "reconcile/_shipped/data/estimates.yaml" in names
    # the HTML report's templates are package data
    assert {"reconcile/templates/report.html.j2", "reconcile/templates/_chart.svg.j2"} <= names
    shipped_seeds = {
        n.rsplit("/", 1)[1] for n in names if n.startswith("reconcile/_shipped/seeds/")
    }
    assert shipped_seeds == {p.name for p in (ROOT / "seeds").iterdir()}

    # a venv of its own, with nothing from this interpreter: the wheel's declared
    # dependencies are what pip installs into it (from PyPI, or the machine's
    # wheel cache / $PIP_FIND_LINKS), so a missing or wrong requirement fails here
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "from reconcile.ingest.discover import find_ledger; print(find_ledger()[0])",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env,
        check=True,
    )
    assert where.stdout.strip().endswith("site-packages/reconcile/_shipped/data/estimates.yaml")
    done = subprocess.run(
        [str(python), "-m", "reconcile", "validate"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("ok: 1 ledger file (")
    assert "_shipped/data/estimates.yaml, the shipped demo ledger), 8 estimates" in done.stderr
