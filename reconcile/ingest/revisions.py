"""Reading a ledger as it was at a git revision, for `reconcile changes`.

A pull request from a stranger controls every file of the checkout, so git is
run defensively:

- always from the process's working directory (the checkout), never from a
  folder the ledger names: a pull request that commits `data/HEAD`,
  `data/config`, `data/objects/` as ordinary files must not have git take
  `data/` for a repository, obey its config or read a "base" it chose;
- with `safe.bareRepository=explicit` (a bare repository is only used when
  named), `protocol.allow=never` (no transport: no lazy fetch, no
  `core.sshCommand`), `core.fsmonitor=false`, hooks pointed at /dev/null,
  `GIT_NO_LAZY_FETCH=1`, no pager and no prompt;
- as a subprocess with list-form arguments (never a shell), a timeout and a
  size cap; every failure is a message, never an exception.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reconcile.ingest.reader import DEFAULT_MAX_BYTES

TIMEOUT = 30.0
MAX_SPEC = 1024
"""The longest revision argument taken (a longer one is refused, not passed on)."""

HARDENING = (
    "-c",
    "safe.bareRepository=explicit",
    "-c",
    "protocol.allow=never",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "--no-pager",
)
"""Options before every git command: nothing a checkout holds can make git run a
program, fetch, or take a folder of the checkout for a repository."""


def git_environment() -> dict[str, str]:
    """The environment git runs in: ours, with lazy fetches, prompts and pagers off."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_NO_LAZY_FETCH": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_PROTOCOL_FROM_USER": "0",
        }
    )
    return env


@dataclass(frozen=True, slots=True)
class Revision:
    """The bytes of a file at a revision (`raw`), or why they cannot be had (`problem`)."""

    name: str
    raw: bytes | None = None
    problem: str | None = None


def spec_problem(spec: str) -> str | None:
    """Why `spec` cannot be a revision argument at all, or None."""
    if spec.startswith("-"):
        return f"{spec[:80]!r} is not a revision"
    if len(spec) > MAX_SPEC:
        return f"the revision argument is {len(spec):,} characters long (at most {MAX_SPEC:,})"
    if not spec.isprintable():
        return f"{spec[:80]!r} holds control characters"
    return None


def is_revision(spec: str, *, cwd: Path | None = None) -> bool | str:
    """Whether git, in the checkout, resolves `spec` (`REV` or `REV:path`) to an
    object: True, False (also outside any repository), or why git cannot tell."""
    if spec_problem(spec) is not None:
        return False
    done = _git(["rev-parse", "--verify", "--quiet", spec], cwd or Path.cwd())
    if not isinstance(done, str):
        return True
    if done.endswith("failed: 1") or "not a git repository" in done:
        return False
    return done


def read_revision(
    spec: str, new: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, cwd: Path | None = None
) -> Revision:
    """`REV:path` (path as git takes it: from the repository's top, or `./` for the
    current folder), or a bare `REV`: the file `new` as it was at that revision.

    Git runs in `cwd` (default: the process's working directory), the checkout
    the command was started in, whatever folder `new` is in."""
    problem = spec_problem(spec)
    if problem is not None:
        return Revision(spec[:80], problem=problem)
    here = cwd or Path.cwd()
    if ":" in spec:
        revision, path = spec.split(":", 1)
    else:
        revision = spec
        top = _git(["rev-parse", "--show-toplevel"], here)
        if isinstance(top, str):
            return Revision(spec, problem=top)
        root = Path(top.decode("utf-8", "replace").strip())
        try:
            path = new.resolve().relative_to(root.resolve()).as_posix()
        except (OSError, RuntimeError, ValueError):
            return Revision(spec, problem=f"{new} is not in the git repository at {root}")
        here = root
    if not revision:
        return Revision(spec, problem=f"{spec!r} names no revision")
    name = f"{revision}:{path}"
    size = _git(["cat-file", "-s", name], here)
    if isinstance(size, str):
        return Revision(name, problem=size)
    if int(size.decode().strip() or 0) > max_bytes:
        return Revision(name, problem=f"{name} is over the {max_bytes:,}-byte cap")
    raw = _git(["cat-file", "blob", name], here)
    if isinstance(raw, str):
        return Revision(name, problem=raw)
    return Revision(name, raw=raw)


def _git(arguments: list[str], cwd: Path) -> bytes | str:
    """git's stdout, or a message saying why it failed."""
    try:
        done = subprocess.run(
            ["git", *HARDENING, *arguments],
            cwd=cwd,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
            env=git_environment(),
        )
    except FileNotFoundError:
        return "git is not installed; give the old ledger as a file"
    except subprocess.TimeoutExpired:
        return f"git {arguments[0]} took longer than {TIMEOUT:.0f} s"
    except (OSError, ValueError) as exc:
        return f"cannot run git: {getattr(exc, 'strerror', None) or exc}"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"git {arguments[0]} failed: {said[-1] if said else done.returncode}"
    return done.stdout
