"""ingest/replacing.py: a file is replaced whole or not at all, with its permissions;
nothing is left beside it but by a run killed while writing, which the cache's
pruning then clears."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reconcile.ingest import cache as store
from reconcile.ingest.replacing import Replacement, replacing, temporaries
from tests.conftest import ROOT


def test_the_file_is_replaced_with_its_permissions_kept(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    with replacing(path) as new:
        assert new.path.parent == tmp_path
        assert new.path.name.startswith(".report.md.") and new.path.suffix == ".part"
        assert new.path.read_bytes() == b""  # made empty, by this call
        new.path.write_text("new\n", encoding="utf-8")
        assert path.read_text(encoding="utf-8") == "old\n"  # not before the block ends
    assert new.done
    assert path.read_text(encoding="utf-8") == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_a_new_file_gets_the_umask_s_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with replacing(tmp_path / "new.csv") as new:
            new.path.write_text("a,b\n", encoding="utf-8")
    finally:
        os.umask(old)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o640


def test_an_error_in_the_block_leaves_the_old_file_and_nothing_beside_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("old\n", encoding="utf-8")
    made: list[Replacement] = []

    def half_way() -> None:
        with replacing(path) as new:
            made.append(new)
            new.path.write_text("ne", encoding="utf-8")
            raise RuntimeError("half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        half_way()
    assert not made[0].done
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_an_unwanted_file_is_not_put_in_place(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    with replacing(path) as new:
        new.path.write_text("refused\n", encoding="utf-8")
        new.wanted = False
    assert not new.done
    assert list(tmp_path.iterdir()) == []


def test_a_durable_file_is_synced_before_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    sync = os.fsync

    def counted(handle: int) -> None:
        synced.append(handle)
        sync(handle)

    monkeypatch.setattr(os, "fsync", counted)
    with replacing(tmp_path / "a.txt") as new:
        new.path.write_text("a\n", encoding="utf-8")
    assert synced == []
    with replacing(tmp_path / "a.txt", durable=True) as new:
        new.path.write_text("b\n", encoding="utf-8")
    assert len(synced) == 1
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "b\n"


def test_a_run_killed_while_writing_leaves_the_old_file_and_one_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pack.json"
    path.write_text("old\n", encoding="utf-8")
    child = f"""
import os, signal
from pathlib import Path
from reconcile.ingest.replacing import replacing
with replacing(Path({str(path)!r})) as new:
    new.path.write_text("half", encoding="utf-8")
    os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run(
        [sys.executable, "-c", child],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert path.read_text(encoding="utf-8") == "old\n"
    left = temporaries(tmp_path, "pack.json")
    assert [p.read_text(encoding="utf-8") for p in left] == ["half"]
    assert temporaries(tmp_path, "*") == left
    assert temporaries(tmp_path, "other.json") == []


def test_the_cache_clears_temporaries_killed_runs_left_an_hour_ago(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = folder / f".{store.PREFIX}old.json.0123456789ab.part"
    fresh = folder / f".{store.PREFIX}old.json.ba9876543210.part"
    for left in (stale, fresh):
        left.write_text("half", encoding="utf-8")
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    pack = store.Pack(folder / f"{store.PREFIX}new.json", "tool", {})
    pack.save()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [fresh.name, f"{store.PREFIX}new.json"]
    )
