"""Reading a ledger as it was at a git revision, for `reconcile changes`.

Git is run as a subprocess with list-form arguments (never a shell), a
timeout and a size cap; every failure is a message, never an exception.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from reconcile.ingest.reader import DEFAULT_MAX_BYTES

TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Revision:
    """The bytes of a file at a revision (`raw`), or why they cannot be had (`problem`)."""

    name: str
    raw: bytes | None = None
    problem: str | None = None


def read_revision(spec: str, new: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Revision:
    """`REV:path` (path as git takes it: from the repository's top, or `./` for the
    current folder), or a bare `REV`: the file `new` as it was at that revision."""
    if spec.startswith("-"):
        return Revision(spec, problem=f"{spec!r} is not a revision")
    if ":" in spec:
        revision, path = spec.split(":", 1)
        cwd = Path.cwd()
    else:
        revision = spec
        top = _git(["rev-parse", "--show-toplevel"], new.resolve().parent)
        if isinstance(top, str):
            return Revision(spec, problem=top)
        cwd = Path(top.decode().strip())
        try:
            path = new.resolve().relative_to(cwd.resolve()).as_posix()
        except ValueError:
            return Revision(spec, problem=f"{new} is not in the git repository at {cwd}")
    if not revision:
        return Revision(spec, problem=f"{spec!r} names no revision")
    name = f"{revision}:{path}"
    size = _git(["cat-file", "-s", name], cwd)
    if isinstance(size, str):
        return Revision(name, problem=size)
    if int(size.decode().strip() or 0) > max_bytes:
        return Revision(name, problem=f"{name} is over the {max_bytes:,}-byte cap")
    raw = _git(["cat-file", "blob", name], cwd)
    if isinstance(raw, str):
        return Revision(name, problem=raw)
    return Revision(name, raw=raw)


def _git(arguments: list[str], cwd: Path) -> bytes | str:
    """git's stdout, or a message saying why it failed."""
    try:
        done = subprocess.run(
            ["git", *arguments],
            cwd=cwd,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return "git is not installed; give the old ledger as a file"
    except subprocess.TimeoutExpired:
        return f"git {arguments[0]} took longer than {TIMEOUT:.0f} s"
    except OSError as exc:
        return f"cannot run git: {exc.strerror or exc}"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"git {arguments[0]} failed: {said[-1] if said else done.returncode}"
    return done.stdout
