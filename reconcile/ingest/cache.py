"""The opt-in cache of per-entry check results (`validate --cache DIR`,
`$RECONCILE_CACHE_DIR`): where it may live, how it is read and written.

What is cached, and under which key, is the checks' business
(checks/cached.py); this module stores opaque JSON values under hex keys and
promises only this:

- **the location comes from the person running reconcile**, never from a file
  of the checkout (no setting in reconcile.toml or pyproject.toml names it),
  and a folder inside the ledger's repository (or its project folder) is
  refused, whatever .gitignore says: a pull request controls every file there;
- **entries are verified**: each value is stored under the hash of everything
  it depends on (the caller's key) inside a pack that carries the format and
  the tool's fingerprint; a pack that is not JSON, too large, of another
  version or shape is a miss for every entry, never trusted, never a traceback;
- **bounded**: one pack per ledger file, holding only the entries of its last
  run (so it never outgrows the ledger), at most `MAX_PACK_BYTES` read, and at
  most `MAX_PACKS` packs kept in the folder (the least recently written go);
- **atomic and safe with two processes at once**: a pack is written to a
  temporary file in the same folder and renamed over the old one, so a reader
  sees a whole pack or none, and of two runs at once the last one's pack stays.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reconcile
from reconcile.ingest.confine import confinement_root, resolve
from reconcile.ingest.reader import read_regular
from reconcile.ingest.replacing import replacing, temporaries

ENV_CACHE = "RECONCILE_CACHE_DIR"
"""The cache folder, when `--cache` is not given."""
FORMAT = 1
MAX_PACK_BYTES = 512 * 1024 * 1024
"""A pack larger than this is not read (a miss) and not written."""
MAX_PACKS = 32
"""Packs kept in one cache folder (one per ledger file validated)."""
PREFIX = "reconcile-"


def cache_problem(folder: Path, ledger: Path) -> str | None:
    """Why `folder` may not hold the cache of `ledger`, or None.

    Refused: a folder inside the ledger's repository (or, in none, its project
    folder), which a pull request controls; and a path that exists and is not
    a folder."""
    where = resolve(folder)
    root = confinement_root(ledger)
    if where.is_relative_to(root):
        return (
            f"{folder} is inside {root}, the ledger's repository: a pull request controls "
            "every file there, so reconcile keeps no cache in it; use a folder outside it "
            "(such as ~/.cache/reconcile)"
        )
    if where.exists() and not where.is_dir():
        return f"{folder} is not a folder"
    return None


@functools.cache
def fingerprint() -> str:
    """The tool's version and a hash of its own source: a cache written by another
    version, or by this one edited, never matches."""
    package = Path(reconcile.__file__).parent
    digest = hashlib.sha256(reconcile.__version__.encode())
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(source.read_bytes())
    return f"{reconcile.__version__}+{digest.hexdigest()[:16]}"


@dataclass
class Pack:
    """The cached entries of one ledger file: read once, written once.

    `get` counts hits and misses; `put` records the entries of this run, which
    are all that `save` writes (so entries no longer used fall out)."""

    path: Path | None
    tool: str
    found: Mapping[str, Any] = field(default_factory=dict)
    used: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def get(self, key: str) -> Any:
        value = self.found.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def forget(self, key: str) -> None:
        """A hit whose value turned out unusable: counted a miss, not kept."""
        self.hits -= 1
        self.misses += 1
        self.used.pop(key, None)

    def save(self) -> None:
        """Write this run's entries (atomically); a folder that cannot be written
        leaves the cache as it was: the results never depend on it."""
        if self.path is None:
            return
        import json  # noqa: PLC0415 (here and in `_read`: a run without a cache loads neither)

        text = json.dumps(
            {"format": FORMAT, "tool": self.tool, "entries": self.used},
            separators=(",", ":"),
            ensure_ascii=True,
        )
        if len(text) > MAX_PACK_BYTES:
            return
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with replacing(self.path) as new:
                new.path.write_text(text, encoding="ascii")
        except OSError:
            return
        _prune(folder)


def open_pack(folder: Path, ledger: Path, tool: str) -> Pack:
    """The pack of `ledger` in `folder` (checked by `cache_problem` first): its
    entries if it is a whole pack of this tool, else none."""
    name = hashlib.sha256(str(resolve(ledger)).encode()).hexdigest()[:24]
    path = resolve(folder) / f"{PREFIX}{name}.json"
    return Pack(path, tool, _read(path, tool))


def _read(path: Path, tool: str) -> Mapping[str, Any]:
    import json  # noqa: PLC0415 (see `Pack.save`)

    raw = read_regular(path, MAX_PACK_BYTES)
    if isinstance(raw, str):
        return {}
    try:
        pack = json.loads(raw.decode("ascii"))
    except (ValueError, RecursionError):  # not JSON, not ASCII: not ours
        return {}
    if (
        not isinstance(pack, dict)
        or pack.get("format") != FORMAT
        or pack.get("tool") != tool
        or not isinstance(pack.get("entries"), dict)
    ):
        return {}
    entries: dict[str, Any] = pack["entries"]
    return entries


def _prune(folder: Path) -> None:
    """Keep the `MAX_PACKS` most recently written packs; remove temporary files a
    killed run left behind (older than an hour)."""
    try:
        packs = [p for p in folder.iterdir() if p.name.startswith(PREFIX)]
        stale = temporaries(folder, f"{PREFIX}*")
    except OSError:
        return
    dated = []
    for pack in packs:
        with contextlib.suppress(OSError):
            dated.append((pack.stat().st_mtime, pack))
    dated.sort(reverse=True)
    for _, old in dated[MAX_PACKS:]:
        with contextlib.suppress(OSError):
            old.unlink()
    for temporary in stale:
        with contextlib.suppress(OSError):
            if time.time() - temporary.stat().st_mtime > 3600:
                temporary.unlink()
