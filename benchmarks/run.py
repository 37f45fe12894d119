"""Time every target of issue 18 as whole processes and write docs/performance.md.

    python benchmarks/run.py                  # the full run: 10k and 100k (~20 minutes)
    python benchmarks/run.py --quick          # 10k only, fewer repeats (~5 minutes)
    python benchmarks/run.py --smoke --out /tmp/perf.md   # the test's run: 100 estimates

Each command runs as its own process, as a user or CI runs it, `--repeats`
times after one warm-up run (`--big-repeats` and no warm-up at 100k); the report
gives the median, the spread (min-max) and the peak memory: each run's maximum
resident set size from `/usr/bin/time -f %M`, which forks from a small process
(a child forked from this harness would count the harness).  The commands a
ratio compares run interleaved (each round runs each once), and every target
is a ratio of medians measured in this one run, so it holds on a noisy machine:
`python -c "import typer"` for start-up, yaml-rs's raw parse of the same file
for `validate`, `validate` for the reports.  Ledgers come from
benchmarks/generate.py (written on demand to benchmarks/out/).  Where a target
is missed, the report adds the profile that shows why.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import gc
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from conformance import available, evaluate  # noqa: E402

SHIPPED = ROOT / "data" / "estimates.yaml"
REPORTS = ("summary", "timeline", "diff")
BIG = 100_000
IMAGE = 1_000
"""The ledger size of the timeline-image target."""
TIME = "/usr/bin/time"


@dataclass
class Timing:
    label: str
    median: float  # seconds
    low: float
    high: float
    rss_mb: float  # the largest peak of the runs
    runs: int
    code: int
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    total_mb: float | None = None
    """The peak of all its processes together (sum of PSS, `tree_peak`), where measured."""


@dataclass
class Target:
    what: str
    measured: str
    ratio: float | None  # None: an absolute limit (memory), or not measured
    limit: str
    met: bool | None
    key: str = ""
    """The timing whose profile explains a miss."""


def launcher(out: Path) -> Path:
    """A `reconcile` script like the console entry pip writes, running this checkout."""
    script = out / "bin" / "reconcile"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "import sys\nfrom reconcile.cli import main\nsys.exit(main())\n", encoding="utf-8"
    )
    return script


def make(n: int, out: Path, errors: int = 0) -> Path:
    """Generate a ledger in a child process (the harness stays small)."""
    argv = [sys.executable, str(HERE / "generate.py"), str(n), "--out", str(out)]
    done = subprocess.run(
        [*argv, "--errors", str(errors)], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.split()[0])


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one process."""
    if not Path(TIME).exists():
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as out:
        started = time.perf_counter()
        done = subprocess.run(
            [TIME, "-f", "%M", "-o", out.name, *argv],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        elapsed = time.perf_counter() - started
        text = out.read().strip().splitlines()
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else 0.0
    return elapsed, peak, done.returncode


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in children.read().split():
                    found.extend(_tree(int(child)))
    except OSError:
        pass
    return found


def tree_peak(argv: list[str], env: dict[str, str], every: float = 0.05) -> float | None:
    """The peak memory of a command and the processes it forks, together: the sum
    of their proportional set sizes (PSS: a page shared by two counts half in
    each), sampled every `every` seconds, in MB.  `/usr/bin/time`'s %M is the
    largest single process's peak, which hides what a forked child adds (None
    where /proc has no smaps_rollup)."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kb(pid) for pid in _tree(proc.pid)))
        time.sleep(every)
    return peak / 1024


@dataclass
class Job:
    key: str
    label: str
    argv: list[str]
    env: dict[str, str]
    before: list[str] | None = None


def measure_group(jobs: list[Job], repeats: int, *, warm: bool = True) -> dict[str, Timing]:
    """The jobs' runs interleaved (each round runs every job once), so that the
    ratios between them hold while the machine's load drifts."""
    if warm:
        for job in jobs:
            run_once(job.argv, job.env)  # warm-up: file cache, .pyc files, caches filled
    found: dict[str, list[tuple[float, float, int]]] = {job.key: [] for job in jobs}
    for _ in range(repeats):
        for job in jobs:
            if job.before is not None:
                subprocess.run(job.before, env=job.env, check=True, capture_output=True)
            found[job.key].append(run_once(job.argv, job.env))
    timings = {}
    for job in jobs:
        runs = found[job.key]
        times = [elapsed for elapsed, _, _ in runs]
        timing = Timing(
            job.label,
            statistics.median(times),
            min(times),
            max(times),
            max(peak for _, peak, _ in runs),
            repeats,
            runs[-1][2],
            job.argv,
            job.env,
        )
        print(
            f"  {job.label:64s} {timing.median * 1000:9.1f} ms {timing.rss_mb:6.0f} MB "
            f"(exit {timing.code})",
            flush=True,
        )
        timings[job.key] = timing
    return timings


def png_size(path: Path) -> tuple[int, int] | None:
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


EDIT = """import sys
from pathlib import Path
path = Path(sys.argv[1])
lines = path.read_text(encoding="utf-8").split("\\n")
entry = lines.index("  - id: est-000001")
at = next(n for n in range(entry, len(lines)) if lines[n].startswith("        quote: "))
line = lines[at]
lines[at] = line[:-2] + '"' if line.endswith('."') else line[:-1] + '."'
path.write_text("\\n".join(lines), encoding="utf-8")
"""


def one_entry_edit(ledger: Path, work: Path) -> tuple[Path, list[str]]:
    """A copy of `ledger` beside it and the command that edits one entry's quote
    (its final full stop dropped, then put back: still in its document): each run
    after it finds exactly one estimate changed since the run before."""
    copy = ledger.with_name(ledger.stem + "_edited.yaml")
    shutil.copyfile(ledger, copy)
    script = work / "edit.py"
    script.write_text(EDIT, encoding="utf-8")
    return copy, [sys.executable, str(script), str(copy)]


def commands_available(script: Path, env: dict[str, str]) -> set[str]:
    shown = subprocess.run(
        [sys.executable, str(script), "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    section = shown.split("Commands:", 1)[-1]
    return set(re.findall(r"^\s{2}([a-z][\w-]*)\s", section, re.MULTILINE))


def report_argv(command: str, ledger: Path) -> list[str]:
    """The command line of a report; `diff` compares two claimants the ledger has
    (the shipped ledger's are named, the synthetic ones numbered)."""
    if command == "diff":
        shipped = ledger.resolve() == SHIPPED.resolve()
        a, b = ("nis", "zelensky") if shipped else ("src-0000", "src-0001")
        return ["diff", a, b, "--ledger", str(ledger)]
    return [command, "--ledger", str(ledger)]


def stages(ledger: Path) -> list[tuple[str, float]]:
    """In-process time of each step of `validate`, as `check_file` takes them:
    read, build, archive, then every check function in the order `run_checks`
    runs them (checks.check_functions), then the acknowledgements."""
    from reconcile.checks import check_functions
    from reconcile.checks.acknowledge import acknowledge
    from reconcile.checks.context import Context
    from reconcile.checks.provenance import Numbers
    from reconcile.cli import GC_THRESHOLDS
    from reconcile.ingest.archive import read_archive
    from reconcile.ingest.build import build
    from reconcile.ingest.confine import confinement_root
    from reconcile.ingest.includes import load_ledger
    from reconcile.ingest.originals import Originals

    gc.set_threshold(*GC_THRESHOLDS)  # as the command runs
    out: list[tuple[str, float]] = []
    started = time.perf_counter()
    files = load_ledger(ledger)
    out.append(("load (YAML → data, pre-scan)", time.perf_counter() - started))
    started = time.perf_counter()
    load_ledger(ledger, jobs=2)  # what validate does from 1 MB (ingest/fast.py)
    out.append(
        ("load again, in two processes (validate's way from 1 MB)", time.perf_counter() - started)
    )
    started = time.perf_counter()
    built, origins, _ = build(files.files)
    out.append(("schema (pydantic, figures, dates)", time.perf_counter() - started))
    assert built is not None
    started = time.perf_counter()
    archive = read_archive(built, origins, ledger, files.archives)
    out.append(("read archive", time.perf_counter() - started))
    context = Context(
        built,
        origins,
        archive.texts,
        date.today(),
        files.files,
        originals=Originals(archive.folder, confinement_root(ledger)),
        numbers=Numbers(),
    )
    issues = []
    for function in check_functions():
        started = time.perf_counter()
        issues.extend(function(context))
        name = function.__module__.rsplit(".", 1)[-1]
        out.append((f"check: {name}", time.perf_counter() - started))
    started = time.perf_counter()
    acknowledge(built, origins, issues, context.acknowledged)
    out.append(("acknowledgements", time.perf_counter() - started))
    return out


def profile(ledger: Path, top: int = 14) -> str:
    from reconcile.checks.run import check_file
    from reconcile.cli import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)  # as the command runs
    profiler = cProfile.Profile()
    profiler.enable()
    check_file(ledger)
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(top)
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:])


def importtime(argv: list[str], env: dict[str, str], top: int = 12) -> str:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return "\n".join(f"{us / 1000:7.1f} ms  {name}" for us, name in rows[:top])


SPIN = (
    "import time\nt = time.perf_counter()\nx = 0\n"
    "for i in range(8_000_000): x += i\nprint(time.perf_counter() - t)"
)
"""A CPU-bound loop, the same in every process of `two_at_once`."""


def two_at_once(rounds: int = 3) -> float:
    """How much slower the same CPU-bound loop runs as two processes at once than
    as one alone (the median over `rounds`): 1.0 when both cores are free, 2.0
    when the machine in effect gives one (a virtual machine whose second core is
    busy elsewhere on its host).  `validate` and the reports check on two cores
    (docs/ci.md), the raw parse runs on one: their ratios depend on it."""
    ratios = []
    for _ in range(rounds):
        alone = float(
            subprocess.run(
                [sys.executable, "-c", SPIN], capture_output=True, text=True, check=True
            ).stdout
        )
        pair = [
            subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        together = max(float(proc.communicate()[0]) for proc in pair)
        ratios.append(together / alone)
    return statistics.median(ratios)


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("typer", "pydantic", "PyYAML", "yaml-rs", "rich"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, BIG])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--big-repeats", type=int, default=2, help="repeats at 100k and more")
    parser.add_argument("--errors", type=int, default=5, help="planted errors at 10k")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--data", type=Path, default=HERE / "out")
    parser.add_argument(
        "--suite",
        type=Path,
        default=Path(
            os.environ.get("RECONCILE_YAML_SUITE") or ROOT / "tests" / "data" / "yaml-test-suite"
        ),
        help="the YAML test suite (default: $RECONCILE_YAML_SUITE, else tests/data/...)",
    )
    parser.add_argument("--no-conformance", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10k only, 3 runs each")
    parser.add_argument("--smoke", action="store_true", help="the test's run: 100, 1 run")
    args = parser.parse_args()
    image_size = IMAGE
    if args.quick:
        args.sizes, args.repeats = [10_000], 3
        args.no_conformance = True
    if args.smoke:
        args.sizes, args.repeats, args.big_repeats, args.errors = [100], 1, 1, 2
        args.no_conformance, image_size = True, 100
    started_all = time.perf_counter()
    cores = [two_at_once()]
    command_line = "python benchmarks/run.py " + " ".join(sys.argv[1:])
    # byte-compiled, as `pip install` leaves the package: a checkout run with
    # PYTHONDONTWRITEBYTECODE set compiles every module from source in every
    # process (about 60 ms of start-up), which no user pays
    compileall.compile_dir(ROOT / "reconcile", quiet=1)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100"}
    for name in ("GITHUB_ACTIONS", "RECONCILE_CACHE_DIR", "CI"):
        env.pop(name, None)
    py = sys.executable
    script = launcher(args.data)
    rc = [py, str(script)]
    have = commands_available(script, env)
    work = Path(tempfile.mkdtemp(prefix="reconcile-bench-"))  # outside the repository

    def ledger(n: int) -> Path:
        path: Path = args.data / f"ledger_{n}.yaml"
        if not path.exists():
            print(f"generating {n:,} estimates", flush=True)
            make(n, args.data)
        return path

    sizes = sorted(args.sizes)
    ledgers: dict[str, Path] = {f"{n:,}": ledger(n) for n in sizes}
    image_ledger = ledger(image_size)
    mid = f"{sizes[0]:,}"
    errors_path = make(sizes[0], args.data, errors=args.errors)

    timings: dict[str, Timing] = {}
    print("start-up", flush=True)
    complete_env = {
        **env,
        "_RECONCILE_COMPLETE": "complete_bash",
        "COMP_WORDS": "reconcile ",
        "COMP_CWORD": "1",
    }
    startup = [
        Job("typer", 'python -c "import typer"', [py, "-c", "import typer"], env),
        Job("help", "reconcile --help", [*rc, "--help"], env),
        Job("complete", "shell completion (bash, `reconcile <TAB>`)", rc, complete_env),
        Job(
            "validate shipped",
            "reconcile validate, shipped ledger",
            [*rc, "validate", str(SHIPPED)],
            env,
        ),
    ]
    timings.update(measure_group(startup, args.repeats))
    for name, path in ledgers.items():
        big = int(name.replace(",", "")) >= BIG
        print(f"ledger {name} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
        read = f"open({str(path)!r}, encoding='utf-8').read()"
        jobs: list[Job] = []
        if not big:
            jobs.append(
                Job(
                    f"pyyaml {name}",
                    f"PyYAML CSafeLoader raw parse, {name}",
                    [py, "-c", f"import yaml; yaml.load({read}, Loader=yaml.CSafeLoader)"],
                    env,
                )
            )
        if available("yaml-rs"):
            jobs.append(
                Job(
                    f"yaml-rs {name}",
                    f"yaml-rs raw parse, {name}",
                    [py, "-c", f"import yaml_rs; yaml_rs.loads({read})"],
                    env,
                )
            )
        jobs.append(
            Job(
                f"validate {name}", f"reconcile validate, {name}", [*rc, "validate", str(path)], env
            )
        )
        jobs.append(
            Job(
                f"one-process {name}",
                f"reconcile validate, {name}, one process (RECONCILE_JOBS=1)",
                [*rc, "validate", str(path)],
                {**env, "RECONCILE_JOBS": "1"},
            )
        )
        for command in REPORTS:
            if command in have:
                jobs.append(
                    Job(
                        f"{command} {name}",
                        f"reconcile {command}, {name}",
                        [*rc, *report_argv(command, path)],
                        env,
                    )
                )
        edited, edit = one_entry_edit(path, work)
        jobs.append(
            Job(
                f"cached {name}",
                f"reconcile validate --cache, {name}, warm, one entry edited",
                [*rc, "validate", str(edited), "--cache", str(work / f"cache-{name}")],
                env,
                before=edit,  # the warm-up (or the first edit's run) fills the cache
            )
        )
        if name == mid:
            jobs.append(
                Job(
                    "validate composer",
                    f"reconcile validate, {mid}, composer only (RECONCILE_YAML_FAST=0)",
                    [*rc, "validate", str(path)],
                    {**env, "RECONCILE_YAML_FAST": "0"},
                )
            )
            jobs.append(
                Job(
                    "validate errors",
                    f"reconcile validate, {mid} with {args.errors} planted errors",
                    [*rc, "validate", str(errors_path)],
                    env,
                )
            )
        if big:  # no warm-up at 100k: fill the cache once
            run_once(next(job for job in jobs if job.before).argv, env)
        timings.update(measure_group(jobs, args.big_repeats if big else args.repeats, warm=not big))
        edited.unlink()
        if big:  # memory of every process of a run, once each, untimed
            for job in jobs:
                if job.key.split()[0] in {"validate", *REPORTS}:
                    timings[job.key].total_mb = tree_peak(job.argv, job.env)
    image = f"{image_size:,}"
    png = work / "timeline.png"
    timings.update(
        measure_group(
            [
                Job(
                    f"validate {image} image",
                    f"reconcile validate, {image}",
                    [*rc, "validate", str(image_ledger)],
                    env,
                ),
                Job(
                    "image",
                    f"reconcile timeline --output timeline.png, {image}",
                    [*rc, "timeline", "--ledger", str(image_ledger), "--output", str(png)],
                    env,
                ),
            ],
            args.repeats,
        )
    )
    pixels = png_size(png)

    conformance: dict[str, dict[str, int]] = {}
    if not args.no_conformance and not args.suite.is_dir():
        print(f"no YAML test suite at {args.suite}: conformance not run", flush=True)
    if not args.no_conformance and args.suite.is_dir():
        print("conformance", flush=True)
        for name in ("pyyaml", "yaml-rs", "py-yaml12"):
            if available(name):
                conformance[name] = evaluate(args.suite, name)

    targets = collect_targets(timings, ledgers, have, image, pixels)
    cores.append(two_at_once())
    print("profiles of the targets missed", flush=True)
    profiles = missed_profiles(targets, timings, ledgers, mid)
    text = write_report(
        args=args,
        timings=timings,
        targets=targets,
        profiles=profiles,
        ledgers=ledgers,
        have=have,
        mid=mid,
        conformance=conformance,
        command_line=command_line,
        elapsed=time.perf_counter() - started_all,
        cores=cores,
        env=env,
        complete_env=complete_env,
        rc=rc,
    )
    shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - started_all:.0f} s")


def collect_targets(
    timings: dict[str, Timing],
    ledgers: dict[str, Path],
    have: set[str],
    image: str,
    pixels: tuple[int, int] | None,
) -> list[Target]:
    """Every target of issue 18, with its ratio from this run."""
    targets: list[Target] = []

    def ratio(what: str, key: str, base: str, limit: float, note: str = "") -> None:
        if key not in timings or base not in timings:
            targets.append(Target(what, "—", None, f"≤ {limit:g}×", None))
            return
        value = timings[key].median / timings[base].median
        targets.append(
            Target(
                what + note, ms(timings[key].median), value, f"≤ {limit:g}×", value <= limit, key
            )
        )

    ratio('`reconcile --help` vs `python -c "import typer"`', "help", "typer", 1.3)
    for name in ledgers:
        raw = f"yaml-rs {name}"
        base = f"yaml-rs's raw parse ({ms(timings[raw].median)})" if raw in timings else "raw"
        ratio(f"`validate`, {name} estimates, vs {base}", f"validate {name}", raw, 6.0)
        if f"validate {name}" in timings and raw in timings:
            value = timings[f"validate {name}"].median / timings[raw].median
            targets.append(
                Target(
                    f"stretch: `validate`, {name}, vs yaml-rs's raw parse",
                    ms(timings[f"validate {name}"].median),
                    value,
                    "≤ 4×",
                    value <= 4.0,
                    f"validate {name}",
                )
            )
        ratio(
            f"stretch: `validate --cache`, {name}, warm, one entry edited, vs yaml-rs's raw parse",
            f"cached {name}",
            raw,
            2.0,
        )
        for command in REPORTS:
            if command in have:
                ratio(
                    f"`{command}`, {name}, vs `validate`",
                    f"{command} {name}",
                    f"validate {name}",
                    1.5,
                )
            else:
                targets.append(Target(f"`{command}`, {name}", "—", None, "≤ 1.5×", None))
    big = [name for name in ledgers if int(name.replace(",", "")) >= BIG]
    for name in big:
        key = f"validate {name}"
        peak = memory(timings[key])
        targets.append(
            Target(f"peak memory of `validate`, {name}{ALL}", f"{peak:,.0f} MB", None, "≤ 700 MB",
                   peak <= 700, key)
        )  # fmt: skip
        for command in REPORTS:
            other = f"{command} {name}"
            if other in timings:
                value = memory(timings[other]) / peak
                targets.append(
                    Target(
                        f"peak memory of `{command}`, {name}, vs `validate`'s{ALL}",
                        f"{memory(timings[other]):,.0f} MB",
                        value,
                        "≤ 1.2×",
                        value <= 1.2,
                        other,
                    )
                )
    size = f" ({pixels[0]}×{pixels[1]} px)" if pixels else ""
    ratio(
        f"timeline image of {image} estimates{size} vs `validate` of that ledger",
        "image",
        f"validate {image} image",
        5.0,
    )
    return targets


ALL = " (all its processes)"


def memory(timing: Timing) -> float:
    """A run's peak memory: its processes together where measured (`tree_peak`),
    else the largest one's maximum resident set size."""
    return timing.rss_mb if timing.total_mb is None else max(timing.total_mb, timing.rss_mb)


def missed_profiles(
    targets: list[Target], timings: dict[str, Timing], ledgers: dict[str, Path], mid: str
) -> dict[str, str]:
    """What the report shows for each command whose target was missed: its cProfile
    (at the smaller ledger size when missed at 100k: the same shape, minutes less), or
    for memory a tracemalloc of `validate` holding the ledger.  Start-up's is the
    import profile the report always shows."""
    profiles: dict[str, str] = {}
    for target in targets:
        if target.met is not False or not target.key or target.key == "help":
            continue
        if "memory" in target.what:
            name = target.key.split(" ", 1)[1]
            label = f"validate, {name}, memory"
            if label not in profiles:
                profiles[label] = memory_of(ledgers[name], timings[target.key].env)
            continue
        key = target.key
        for name in ledgers:
            if key.endswith(f" {name}") and name != mid:
                key = key.removesuffix(name) + mid
        timing = timings.get(key)
        if timing is None or timing.label in profiles:
            continue
        print(f"  profiling {timing.label}", flush=True)
        profiles[timing.label] = cprofile_of(timing.argv, timing.env)
    return profiles


PROFILED = "import sys\nfrom reconcile.cli import run\nsys.exit(run())\n"
"""The launcher under cProfile: `run()`, which returns, not `main()`, which ends the
process with os._exit before cProfile can print its table."""


def cprofile_of(argv: list[str], env: dict[str, str], top: int = 16) -> str:
    script = Path(argv[1])
    if script.name == "reconcile":  # the launcher: profile `run()` in its place
        script = script.with_name("reconcile-profiled")
        script.write_text(PROFILED, encoding="utf-8")
    done = subprocess.run(
        [argv[0], "-m", "cProfile", "-s", "tottime", str(script), *argv[2:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), None)
    if start is None:
        return "(no profile)"
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start : start + top + 1])


MEMORY = """import sys, tracemalloc
from pathlib import Path
tracemalloc.start(1)
from reconcile.checks.run import check_file
checked = check_file(Path(sys.argv[1]))
current, peak = tracemalloc.get_traced_memory()
stats = tracemalloc.take_snapshot().statistics("lineno")
print(f"traced: {peak / 1e6:,.0f} MB at the peak, {current / 1e6:,.0f} MB held by the "
      "validated ledger; the largest holders, by line:")
for stat in stats[:12]:
    print(f"{stat.size / 1e6:9.1f} MB  {stat.traceback[0]}")
"""


def memory_of(ledger: Path, env: dict[str, str]) -> str:
    """tracemalloc of `check_file` in a child process, the result still held."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY, str(ledger)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.replace(str(ROOT) + "/", "").strip() or "(no memory profile)"


def write_report(  # noqa: PLR0915 - the report, section by section
    *,
    args: argparse.Namespace,
    timings: dict[str, Timing],
    targets: list[Target],
    profiles: dict[str, str],
    ledgers: dict[str, Path],
    have: set[str],
    mid: str,
    conformance: dict[str, dict[str, int]],
    command_line: str,
    elapsed: float,
    cores: list[float],
    env: dict[str, str],
    complete_env: dict[str, str],
    rc: list[str],
) -> str:
    lines: list[str] = []
    w = lines.append
    w("# Performance")
    w("")
    w("Generated by `benchmarks/run.py`; do not edit by hand. Regenerate with:")
    w("")
    w("```sh")
    w(command_line.rstrip())
    w("```")
    w("")
    w(
        f"Run on {date.today()}: Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {cpu()}, {os.cpu_count()} cores; {versions()}. "
        f"The whole run took {elapsed / 60:.1f} minutes. Two cores at once: a CPU-bound "
        f"loop ran {cores[0]:.2f}× slower as two processes at once than alone before the "
        f"timings, {cores[-1]:.2f}× after them (1.00×: both cores free; 2.00×: one core in "
        "effect, as when a virtual machine's host is busy). `validate` and the reports check "
        "on two cores, the raw parse runs on one: the ratios below depend on it."
    )
    w("")
    w(
        "Every figure is the median wall time of whole processes (as a user or CI runs "
        "them, the package byte-compiled as `pip install` leaves it), the commands of one "
        "ledger interleaved round by round: "
        f"{args.repeats} runs after one warm-up"
        + (
            f", {args.big_repeats} without one at {BIG:,} estimates"
            if max(args.sizes) >= BIG
            else f" (no {BIG:,}-estimate ledger in this run: its rows and targets are absent)"
        )
        + "; the spread is min–max. Ratios compare medians of this one run. "
        "Peak memory is the largest maximum resident set size of the runs "
        "(`/usr/bin/time -f %M`: of the largest single process). A run that checks in "
        "several processes (docs/ci.md, `RECONCILE_JOBS`) uses more than that: the "
        "memory targets at "
        f"{BIG:,} estimates are measured in one more run of each command, untimed, as "
        "the peak of the sum of its processes' proportional set sizes (PSS, sampled "
        "every 50 ms), where that is larger."
    )
    w("")
    w("## Targets (issue 18)")
    w("")
    w("| target | measured | ratio | limit | met |")
    w("|---|---:|---:|---:|:---:|")
    for t in targets:
        shown = "—" if t.ratio is None else f"{t.ratio:.2f}×"
        met = "—" if t.met is None else ("✓" if t.met else "✗")
        w(f"| {t.what} | {t.measured} | {shown} | {t.limit} | {met} |")
    w("")
    w(
        "Retired by issue 18: `validate` ≤ 1.5× and the reports ≤ 2× the raw parse. No "
        "design that checks every quote against its archived document can meet them; "
        "the targets above replace them. `validate --cache` is measured on a copy of the "
        "ledger whose one estimate's quote is edited before each run (its final full stop "
        "dropped, then put back), so each run reuses every other estimate's provenance "
        "from the run before (docs/ci.md)."
    )
    steps = stages(ledgers[mid])
    unmet = [t for t in targets if t.met is False]
    if unmet:
        w("")
        w("## Targets missed, and why")
        w("")
        for t in unmet:
            w(f"- {t.what}: {why(t.what, steps, mid)}")
        for label, text in profiles.items():
            w("")
            w(f"Profile of {label}:")
            w("")
            w("```")
            w(text)
            w("```")
    w("")
    w("## All timings")
    w("")
    w("| command | median | spread (min–max) | peak memory | all processes | runs | exit |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for timing in timings.values():
        together = "—" if timing.total_mb is None else f"{timing.total_mb:.0f} MB"
        w(
            f"| {timing.label} | {ms(timing.median)} | {ms(timing.low)}–{ms(timing.high)} | "
            f"{timing.rss_mb:.0f} MB | {together} | {timing.runs} | {timing.code} |"
        )
    missing = [c for c in REPORTS if c not in have]
    if missing:
        w("")
        w(f"Not available in this build: {', '.join(f'`{c}`' for c in missing)}.")
    w("")
    w(
        "Ledgers: "
        + "; ".join(f"{name}: {path.stat().st_size / 1e6:.1f} MB" for name, path in ledgers.items())
        + ". Synthetic ledgers (`benchmarks/generate.py`) have 200 sources and 25 subjects "
        "over six years, one document per five estimates with its archived text; each "
        "claimant's series for a subject rises from one date to the next; they validate "
        "with no problem at all."
    )
    w("")
    w("## Where the time goes")
    w("")
    w(
        f"`reconcile validate` on {mid} estimates, in one process (as `RECONCILE_JOBS=1` "
        "runs it), step by step:"
    )
    w("")
    w("| step | time |")
    w("|---|---:|")
    for step, seconds in steps:
        w(f"| {step} | {ms(seconds)} |")
    w("")
    w(f"cProfile of `validate` on {mid} estimates (top functions by own time):")
    w("")
    w("```")
    w(profile(ledgers[mid]))
    w("```")
    w("")
    w("Start-up: the largest imports (`python -X importtime`, cumulative) of `reconcile --help`:")
    w("")
    w("```")
    w(importtime([*rc[1:], "--help"], env))
    w("```")
    w("")
    w("## Evidence for the parser choice")
    w("")
    w("Raw parse of the same ledgers, whole process (median):")
    w("")
    w("| ledger | PyYAML CSafeLoader | yaml-rs | validate (fast path) | validate (composer) |")
    w("|---|---:|---:|---:|---:|")
    for name in ledgers:
        py_t = timings.get(f"pyyaml {name}")
        rs_t = timings.get(f"yaml-rs {name}")
        val = timings.get(f"validate {name}")
        comp = timings["validate composer"] if name == mid else None
        w(
            f"| {name} | {ms(py_t.median) if py_t else '—'} | {ms(rs_t.median) if rs_t else '—'} | "
            f"{ms(val.median) if val else '—'} | {ms(comp.median) if comp else '—'} |"
        )
    w("")
    if conformance:
        w(
            "YAML test suite (`tests/data/yaml-test-suite`, each case in its own process; "
            "`benchmarks/conformance.py`):"
        )
        w("")
        w("| parser | correct (outcome and data) | outcome only | wrong data | hangs | crashes |")
        w("|---|---:|---:|---:|---:|---:|")
        for name, c in conformance.items():
            w(
                f"| {name} | {c['correct']} / {c['cases']} | {c['outcome']} / {c['cases']} | "
                f"{c['wrong-data']} | {c['hang']} | {c['crash']} |"
            )
        w("")
    else:
        w("(Conformance not run in this session: `--no-conformance` or no suite.)")
        w("")
    w(CHOICE)
    return "\n".join(lines) + "\n"


def why(target: str, steps: list[tuple[str, float]], size: str) -> str:
    if "--help" in target:
        return (
            "`import typer` is most of it; on top, the help screen lists the commands from "
            "a table (`reconcile/cli/commands.py`: no command module is imported or built "
            "by typer until it runs; `-X importtime` below). No pydantic, YAML parser or "
            "rich table is imported (tests/test_startup.py)."
        )
    if "memory" in target:
        return (
            "the validated ledger is held whole: the parsed data, the pydantic models built "
            "from it, every archived text and its normalised copy; see the tracemalloc "
            "profile below."
        )
    if "image" in target:
        return (
            "importing matplotlib and numpy, drawing the marks with Agg and the labels "
            "with Pillow, and encoding the PNG (see its profile below)."
        )
    if "--cache" in target:
        return (
            "the cache spares provenance only, and working out each estimate's key (its "
            "entry and documents, hashed) and decoding its stored result now cost about "
            "what provenance does; reading the file, building the models, the other "
            "checks and start-up are paid in full on every run (see the step table and "
            "the profile below)."
        )
    if any(f"`{report}`" in target for report in REPORTS):
        return (
            "a report validates the ledger first (the validate rows), then analyses it "
            "(observations, the conflict sweep and its ranking) and writes every row "
            "(without colour through render/plain.py, wrapping each cell to its column); "
            "see its profile below."
        )
    before = [step for step in steps if not step[0].startswith(("check:", "acknowledge"))]
    checks = sorted(
        (step for step in steps if step[0].startswith("check:")), key=lambda step: -step[1]
    )
    return (
        f"parsing is a small part of validating. At {size} estimates, before the checks and "
        "in one process: start-up (the imports: pydantic, typer and the checks), "
        + ", ".join(f"{name} {ms(seconds)}" for name, seconds in before)
        + "; then the checks, "
        + ms(sum(seconds for _, seconds in checks))
        + " in one process (largest: "
        + ", ".join(f"{name[7:]} {ms(seconds)}" for name, seconds in checks[:3])
        + "), shared by two processes from 2,000 estimates (docs/ci.md); see the step "
        "table and the cProfile lines."
    )


CHOICE = """\
**The choice.** The loader stays on PyYAML's libyaml event stream, under our own
composer: it is the reference for every guarantee (located errors, duplicate
keys refused with both lines, YAML 1.2 scalars, no aliases or custom tags,
nesting capped at 64, one document) and PyYAML is mature (since 2006, many
maintainers, wheels for every platform). yaml-rs is used in front of it as an
**optional** fast path (`python3 -m pip install '.[fast]'`, pulled in by the test
extra), never as the authority:

- it is young: version 0.1.x, one maintainer, 24 releases since November 2025,
  Unlicense, wrapping the Rust saphyr parser; a bug there must not become ours;
- measured on its own it drops custom tags silently, stops at a NUL byte,
  keeps a byte-order mark in the first key, returns several documents as a
  list, types `012`, `0x1A`, `1_000` and `.NaN` as numbers, and crashes the
  process on about 11,000 levels of block nesting;
- so `reconcile/ingest/loader.py` sends a text to yaml-rs only when a pre-scan finds
  none of those (tags, anchors, aliases, `?`, directives, document markers,
  control characters, tabs, carriage returns, deep indentation or compact
  nesting, numbers it types differently, multi-line flow collections, a few
  libyaml refusals), and takes its result only when the root is a mapping,
  every key is text, every int fits and nesting is within the cap. Anything
  else, and any yaml-rs error, goes to the composer, which reports the
  located error. Positions are computed only when an issue needs locating,
  so a clean ledger — CI's common case — never pays for them; an issue inside
  an entry is located by composing that entry's lines alone
  (`reconcile/ingest/entry_lines.py`), anything else by one composer pass over
  the file (see the planted-errors row).
- `tests/test_loader_fast.py` proves the two paths give identical data: on
  every case of the YAML test suite the fast path accepts, and on
  hypothesis-generated ledger-like documents and YAML punctuation soup.

py-yaml12 was ruled out by the earlier evaluation (it keeps the last of
duplicate keys silently, reads only the first document by default, and ran out
of memory on an alias bomb); it is timed here only when installed.
Without yaml-rs installed every guarantee holds and `validate` uses the
composer: see the "composer only" row for its cost.
"""


if __name__ == "__main__":
    main()
