"""Validation: read one ledger file and run every check over it.

This is the whole of `reconcile validate` apart from printing: it reads the
file and the files it includes, builds the ledger, reads its archive and
collects every check's issues.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconcile.checks import CHECKS, references, run_checks
from reconcile.checks.acknowledge import Acknowledged, acknowledge
from reconcile.checks.cached import ProvenanceCache
from reconcile.checks.context import Context
from reconcile.checks.provenance import Numbers
from reconcile.checks.settings import DEFAULT_SETTINGS, Settings, find_settings
from reconcile.core.issues import Issue, Severity, sort_issues
from reconcile.core.models import Ledger
from reconcile.ingest.archive import read_archive
from reconcile.ingest.aside import start_aside, stop_aside, take_aside
from reconcile.ingest.build import build
from reconcile.ingest.cache import cache_problem, fingerprint, open_pack
from reconcile.ingest.confine import confinement_root
from reconcile.ingest.includes import load_ledger
from reconcile.ingest.loader import load_bytes
from reconcile.ingest.originals import Originals
from reconcile.ingest.origins import Origins, as_built
from reconcile.ingest.reader import DEFAULT_MAX_BYTES


@dataclass(frozen=True, slots=True)
class Checked:
    """A ledger as far as it could be read, and every problem found in it."""

    path: str
    ledger: Ledger | None
    origins: Origins
    issues: tuple[Issue, ...]
    texts: dict[str, str]
    files: tuple[str, ...] = ()
    """The display names of the ledger's files: the root, then those it includes."""
    acknowledged: tuple[Acknowledged, ...] = ()
    """Warnings the ledger's entries acknowledge (`acknowledged:`), set aside, with
    the entry and its reason."""
    settings: Settings = DEFAULT_SETTINGS
    """reconcile.toml or [tool.reconcile] (strict, ignore), if the ledger has them."""
    ignored: tuple[Issue, ...] = ()
    """Warnings set aside by the settings' `ignore`."""
    left_out: tuple[str, ...] = ()
    """Estimates a report leaves out because they have errors (usable.usable_part)."""
    partial: bool = False
    """A report runs on the usable part of a ledger with errors (exit 1 after it)."""
    cached: tuple[int, int] = (0, 0)
    """With a cache: estimates whose provenance came from it, and those computed."""
    alongside: Alongside | None = None
    """What `check_file`'s `alongside` gave, when it ran while the checks ran."""


@dataclass(frozen=True, slots=True)
class Alongside:
    """The result of a call made alongside the checks, or the exception it raised."""

    result: object = None
    error: Exception | None = None

    @classmethod
    def of(cls, call: Callable[[Ledger], object], ledger: Ledger) -> Alongside:
        try:
            return cls(call(ledger))
        except Exception as exc:  # raised where the caller takes the result
            return cls(error=exc)

    def value(self) -> object:
        """The result, or the exception raised again."""
        if self.error is not None:
            raise self.error
        return self.result


def check_file(
    path: Path,
    *,
    display: str | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ids: Collection[str] = CHECKS.keys(),
    cache: Path | None = None,
    jobs: int = 1,
    alongside: Callable[[Ledger], object] | None = None,
) -> Checked:
    """Read `path` (and what it includes), build the ledger, read its archive and run
    the checks whose ids are in `ids`; issues of other checks are left out, except
    those that make the input unusable.  With `cache` (a folder `cache_problem`
    allows), provenance's per-estimate results are read from and kept there.  With
    `jobs` above 1, a large ledger is read in two processes (ingest/fast.py) and
    checked in `jobs` (checks/parallel.py); the data and issues are the same.
    `alongside` (a report's analysis) is called with the built ledger in this
    process while the other processes check, its result or exception kept on
    `Checked.alongside`; it is not called when the checks run in one process, nor
    when reading and building the ledger found errors already (cli/ledgers.py then
    calls it after them, on the ledger's usable part)."""
    with collector_spared() as made:
        return _check_file(
            path,
            display=display,
            today=today,
            max_bytes=max_bytes,
            ids=ids,
            cache=cache,
            jobs=jobs,
            alongside=alongside,
            made=made,
        )


def _check_file(
    path: Path,
    *,
    display: str | None,
    today: date | None,
    max_bytes: int,
    ids: Collection[str],
    cache: Path | None,
    jobs: int,
    alongside: Callable[[Ledger], object] | None,
    made: Callable[[], None],
) -> Checked:
    name = display if display is not None else str(path)
    files = load_ledger(path, max_bytes=max_bytes, display=name, jobs=jobs)
    reading = start_aside(files.files, path, files.archives) if jobs > 1 else None
    try:
        built = build(files.files) if files.root.usable else None
    except BaseException:
        stop_aside(reading)
        raise
    made()  # what the load and the build made is long-lived: the collector spares it
    names = tuple(loaded.path for loaded in files.files)
    issues: list[Issue] = [issue for loaded in files.files for issue in loaded.issues]
    issues.extend(files.issues)
    if built is None or built[0] is None:
        stop_aside(reading)
    if built is None:
        return Checked(name, None, Origins(), tuple(sort_issues(issues)), {}, names)
    ledger, origins, found = built
    issues.extend(found)
    texts: dict[str, str] = {}
    if ledger is not None:
        read = take_aside(reading, ledger, origins)
        archive, bodies = read or (read_archive(ledger, origins, path, files.archives), {})
        texts = archive.texts
        issues.extend(archive.issues)
        pack = None if cache is None else open_pack(cache, path, fingerprint())
        if pack is None:  # the cache keys each entry by its data (checks/cached.py)
            same = as_built(origins)
            for loaded in files.files:
                loaded.release(same)  # the checks read the models
        context = Context(
            ledger,
            origins,
            texts,
            today or date.today(),
            files.files,
            originals=Originals(archive.folder, confinement_root(path)),
            numbers=Numbers(),
            bodies=bodies,
            cache=None if pack is None else ProvenanceCache(pack),
        )
        ran: list[Alongside] = []
        known = any(issue.severity is Severity.ERROR for issue in issues)
        call = None if alongside is None or known else _kept(alongside, ran)
        issues.extend(run_checks(context, ids, jobs=jobs, alongside=call))
        if pack is not None:
            pack.save()
        issues, aside = acknowledge(ledger, origins, issues, context.acknowledged)
        settings = find_settings(path)
        ignored = [
            issue
            for issue in issues
            if issue.severity is Severity.WARNING and issue.check in settings.ignore
        ]
        kept = [issue for issue in issues if issue not in ignored]
        kept.extend(settings.issues)
        return Checked(
            name,
            ledger,
            origins,
            tuple(sort_issues(_selected(kept, ids))),
            texts,
            names,
            tuple(aside),
            settings,
            tuple(ignored),
            cached=(0, 0) if pack is None else (pack.hits, pack.misses),
            alongside=ran[0] if ran else None,
        )
    return Checked(name, ledger, origins, tuple(sort_issues(_selected(issues, ids))), texts, names)


def _kept(analyse: Callable[[Ledger], object], ran: list[Alongside]) -> Callable[[Ledger], None]:
    """`analyse`, its result or exception put in `ran`."""
    return lambda ledger: ran.append(Alongside.of(analyse, ledger))


@contextmanager
def collector_spared() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector kept off what the load and the build make.

    They make a container for every key, value, entry and figure of the ledger,
    none of them garbage and none in a cycle, which the collector (starting each
    time 200,000 more are made: cli `GC_THRESHOLDS`) walked 8 times at 100,000
    estimates for nothing (0.39 s of CPU), and would walk again in each forked
    process, writing to every object it walks and so copying its memory page
    (the `gc.freeze` documentation).  So the collector is off until the caller
    calls what this yields, once the ledger is built; that call freezes every
    object made so far (they skip the young generations: `gc.freeze`, no walk)
    and turns the collector back on.  On leaving, the frozen objects are let go
    to the oldest generation (`gc.unfreeze`: including any the caller froze) and
    the collector is as it was.  Garbage with no cycle is freed as ever;
    tests/test_gallery.py holds the load and the build of every gallery case and
    of the shipped, Economist and generated ledgers to leaving no cycle (but the
    few pydantic leaves once per process, building a model's deferred validator)."""
    enabled = gc.isenabled()
    gc.disable()
    frozen = False

    def made() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            if enabled:
                gc.enable()

    try:
        yield made
    finally:
        if frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


INCOMPLETE = frozenset({"archive-budget"})
"""Checks whose issues say that others could not run in full (texts or originals
left unread): shown whatever is selected, or a selected check would pass unseen."""


def _selected(issues: list[Issue], ids: Collection[str]) -> list[Issue]:
    """The issues of the selected checks, and any that make the input unusable or
    say that the selected checks could not run in full."""
    return [
        issue
        for issue in issues
        if issue.unusable or issue.check in ids or issue.check in INCOMPLETE
    ]


def check_bytes(raw: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """A ledger from bytes (a file at a git revision): read and schema only.

    Its `include:`s are not followed and its archive is not read, since neither
    is at hand as it was at that revision.
    """
    loaded = load_bytes(raw, name, max_bytes=max_bytes)
    issues: list[Issue] = list(loaded.issues)
    if not loaded.usable:
        return Checked(name, None, Origins(), tuple(sort_issues(issues)), {}, (name,))
    ledger, origins, found = build([loaded])
    issues.extend(found)
    if ledger is not None:
        issues.extend(references.check(Context(ledger, origins)))
    return Checked(name, ledger, origins, tuple(sort_issues(issues)), {}, (name,))


@dataclass(frozen=True, slots=True)
class Validation:
    """`reconcile validate`'s result over one or more ledger files: every issue,
    and the counts its summary line and JSON give."""

    issues: tuple[Issue, ...]
    files: int
    sources: int
    documents: int
    estimates: int
    acknowledged: int = 0
    """Warnings acknowledged in the ledgers (`acknowledged:`), not shown."""
    ignored: int = 0
    """Warnings of checks the settings ignore, not shown."""
    strict_by: str | None = None
    """The settings file that asks for strict (warnings fail too), if one does."""
    set_aside: tuple[Acknowledged, ...] = ()
    """The acknowledged warnings themselves: each with its entry and reason."""
    cached: tuple[int, int] = (0, 0)
    """With a cache: estimates whose provenance came from it, and those computed."""

    @property
    def errors(self) -> int:
        return sum(issue.severity is Severity.ERROR for issue in self.issues)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    def counts(self) -> dict[str, int]:
        """The counts as validate's JSON and summary line give them (docs/json.md)."""
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "acknowledged": self.acknowledged,
            "ignored": self.ignored,
            "sources": self.sources,
            "documents": self.documents,
            "estimates": self.estimates,
        }


def validate(
    paths: Sequence[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ids: Collection[str] = CHECKS.keys(),
    cache: Path | None = None,
    jobs: int = 1,
) -> Validation:
    """Check each ledger file (and the files it includes); `cache` and `jobs` as
    `check_file`."""
    issues: list[Issue] = []
    set_aside: list[Acknowledged] = []
    files = len(paths)
    sources = documents = estimates = acknowledged = ignored = 0
    strict_by: str | None = None
    hits = misses = 0
    for path in paths:
        checked = check_file(
            path, display=str(path), max_bytes=max_bytes, ids=ids, cache=cache, jobs=jobs
        )
        hits, misses = hits + checked.cached[0], misses + checked.cached[1]
        issues.extend(checked.issues)
        acknowledged += len(checked.acknowledged)
        set_aside.extend(checked.acknowledged)
        ignored += len(checked.ignored)
        if checked.settings.strict and strict_by is None:
            strict_by = str(checked.settings.path)
        files += max(len(checked.files), 1) - 1  # files pulled in by include:
        if checked.ledger is not None:
            sources += len(checked.ledger.sources)
            documents += len(checked.ledger.documents)
            estimates += len(checked.ledger.estimates)
    return Validation(
        tuple(issues),
        files,
        sources,
        documents,
        estimates,
        acknowledged,
        ignored,
        strict_by,
        tuple(set_aside),
        (hits, misses),
    )


def cache_refused(cache: Path, ledgers: Sequence[Path]) -> str | None:
    """Why `cache` may not hold the cache of these ledgers (ingest.cache), or None."""
    for ledger in ledgers:
        problem = cache_problem(cache, ledger)
        if problem is not None:
            return problem
    return None
