"""Time every `reconcile` command as a whole process and write docs/performance.md.

    python benchmarks/run.py                  # the full run (~10 minutes on 2 cores)
    python benchmarks/run.py --sizes 1000 10000 --repeats 5 --no-conformance
    python benchmarks/run.py --quick --out /tmp/perf.md   # the smoke test's run

Each command runs as its own process, as a user or CI runs it, `--repeats`
times after one warm-up run (fewer at 100k: `--big-repeats`); the report gives
the median, the spread (min-max) and the peak memory (max RSS from wait4).
The baselines run in the same session, so the figures are ratios that hold on
a noisy machine: `python -c "import typer"` for start-up, and the raw parse of
the same file by PyYAML's C loader and by yaml-rs for the ledgers.
Ledgers come from benchmarks/generate.py (written on demand to benchmarks/out/).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from conformance import available, evaluate  # noqa: E402

SHIPPED = ROOT / "data" / "estimates.yaml"
REPORTS = ("summary", "diff", "timeline")
BIG = 100_000
TIME = "/usr/bin/time"


@dataclass
class Timing:
    label: str
    median: float  # seconds
    low: float
    high: float
    rss_mb: float
    runs: int
    code: int


def launcher(out: Path) -> Path:
    """A `reconcile` script like the console entry pip writes, running this checkout."""
    script = out / "bin" / "reconcile"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "import sys\nfrom reconcile.cli import main\nsys.exit(main())\n", encoding="utf-8"
    )
    return script


def minimal_app(out: Path) -> Path:
    """The smallest typer app with completion: the floor for `reconcile`'s completion."""
    script = out / "bin" / "minimal"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef one() -> None:\n"
        "    pass\n\n\n@app.command()\ndef two() -> None:\n    pass\n\n\napp()\n",
        encoding="utf-8",
    )
    return script


def make(n: int, out: Path, errors: int = 0) -> Path:
    """Generate a ledger in a child process: the harness stays small, so that a
    child's peak memory (which on Linux counts the forked harness) is its own."""
    argv = [sys.executable, str(HERE / "generate.py"), str(n), "--out", str(out)]
    done = subprocess.run(
        [*argv, "--errors", str(errors)], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.split()[0])


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def peak_memory(argv: list[str], env: dict[str, str]) -> float | None:
    """Peak RSS in MB of one more run under /usr/bin/time, which forks from a
    small process (wait4's figure from this harness counts the forked harness)."""
    if not Path(TIME).exists():
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as out:
        subprocess.run(
            [TIME, "-f", "%M", "-o", out.name, *argv],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        text = out.read().strip().splitlines()
    return int(text[-1]) / 1024 if text and text[-1].isdigit() else None


def measure(label: str, argv: list[str], env: dict[str, str], repeats: int) -> Timing:
    run_once(argv, env)  # warm-up: file cache, .pyc files
    times, peaks, code = [], [], 0
    for _ in range(repeats):
        elapsed, peak, code = run_once(argv, env)
        times.append(elapsed)
        peaks.append(peak)
    measured = peak_memory(argv, env)
    timing = Timing(
        label,
        statistics.median(times),
        min(times),
        max(times),
        measured if measured is not None else max(peaks),
        repeats,
        code,
    )
    print(f"  {label:58s} {timing.median * 1000:9.1f} ms  (exit {code})", flush=True)
    return timing


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
    """In-process time of each step of `validate`, for the profile section."""
    from reconcile.checks import consistency, provenance, references
    from reconcile.checks import dates as date_checks
    from reconcile.checks.context import Context
    from reconcile.ingest.archive import read_archive
    from reconcile.ingest.build import build
    from reconcile.ingest.loader import load_file

    out: list[tuple[str, float]] = []
    started = time.perf_counter()
    loaded = load_file(ledger)
    out.append(("load (YAML → data)", time.perf_counter() - started))
    started = time.perf_counter()
    built, origins, _ = build([loaded])
    out.append(("schema (pydantic, figures, dates)", time.perf_counter() - started))
    assert built is not None
    started = time.perf_counter()
    archive = read_archive(built, origins, ledger)
    out.append(("read archive", time.perf_counter() - started))
    started = time.perf_counter()
    context = Context(built, origins, archive.texts, date.today())
    references.check(context)
    date_checks.check(context)
    consistency.check(context)
    out.append(("references, dates, consistency", time.perf_counter() - started))
    started = time.perf_counter()
    provenance.check(context)
    out.append(("provenance (quotes, figures in quotes)", time.perf_counter() - started))
    return out


def profile(ledger: Path, top: int = 14) -> str:
    from reconcile.checks.run import check_file

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
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 10_000, BIG])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--big-repeats", type=int, default=3, help="repeats at 100k and more")
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
    parser.add_argument("--quick", action="store_true", help="smoke test: 100 estimates, 1 run")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeats, args.big_repeats, args.errors = [100], 1, 1, 2
        args.no_conformance = True
    started_all = time.perf_counter()
    command_line = "python benchmarks/run.py " + " ".join(sys.argv[1:])

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("GITHUB_ACTIONS", None)
    py = sys.executable
    script = launcher(args.data)
    rc = [py, str(script)]
    have = commands_available(script, env)

    ledgers: dict[str, Path] = {"shipped": SHIPPED}
    for n in args.sizes:
        path = args.data / f"ledger_{n}.yaml"
        if not path.exists():
            print(f"generating {n:,} estimates", flush=True)
            make(n, args.data)
        ledgers[f"{n:,}"] = path
    middle = sorted(args.sizes)[len(args.sizes) // 2] if len(args.sizes) > 1 else args.sizes[0]
    errors_path = make(middle, args.data, errors=args.errors)

    def reps(name: str) -> int:
        return int(
            args.big_repeats
            if name in (f"{n:,}" for n in args.sizes if n >= BIG)
            else (args.repeats)
        )

    timings: dict[str, Timing] = {}
    print("start-up", flush=True)
    timings["typer"] = measure(
        'python -c "import typer"', [py, "-c", "import typer"], env, args.repeats
    )
    timings["python"] = measure('python -c "pass"', [py, "-c", "pass"], env, args.repeats)
    timings["help"] = measure("reconcile --help", [*rc, "--help"], env, args.repeats)
    complete_env = {
        **env,
        "_RECONCILE_COMPLETE": "complete_bash",
        "COMP_WORDS": "reconcile ",
        "COMP_CWORD": "1",
    }
    timings["complete"] = measure(
        "shell completion (bash, `reconcile <TAB>`)", rc, complete_env, args.repeats
    )
    # Floors: what the stack costs before reconcile does anything, so a target
    # below its floor is seen to be out of reach of any typer + pydantic tool.
    timings["floor stack"] = measure(
        'floor: python -c "import typer; from pydantic import BaseModel"',
        [py, "-c", "import typer; from pydantic import BaseModel"],
        env,
        args.repeats,
    )
    minimal = minimal_app(args.data)
    timings["floor complete"] = measure(
        "floor: shell completion of a two-command typer app",
        [py, str(minimal)],
        {**complete_env, "_MINIMAL_COMPLETE": "complete_bash", "COMP_WORDS": "minimal "},
        args.repeats,
    )
    for name, path in ledgers.items():
        print(f"ledger {name} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
        n = reps(name)
        read = f"open({str(path)!r}, encoding='utf-8').read()"
        timings[f"pyyaml {name}"] = measure(
            f"PyYAML CSafeLoader raw parse, {name}",
            [py, "-c", f"import yaml; yaml.load({read}, Loader=yaml.CSafeLoader)"],
            env,
            n,
        )
        if available("yaml-rs"):
            timings[f"yaml-rs {name}"] = measure(
                f"yaml-rs raw parse, {name}",
                [py, "-c", f"import yaml_rs; yaml_rs.loads({read})"],
                env,
                n,
            )
            stack = "import typer; from pydantic import BaseModel; import yaml_rs"
            timings[f"floor parse {name}"] = measure(
                f"floor: typer and pydantic imported, yaml-rs raw parse, {name}",
                [py, "-c", f"{stack}; yaml_rs.loads({read})"],
                env,
                n,
            )
        timings[f"validate {name}"] = measure(
            f"reconcile validate, {name}", [*rc, "validate", str(path)], env, n
        )
        for command in REPORTS:
            if command in have:
                timings[f"{command} {name}"] = measure(
                    f"reconcile {command}, {name}", [*rc, *report_argv(command, path)], env, n
                )
    mid = f"{middle:,}"
    timings["validate composer"] = measure(
        f"reconcile validate, {mid}, composer only (RECONCILE_YAML_FAST=0)",
        [*rc, "validate", str(ledgers[mid])],
        {**env, "RECONCILE_YAML_FAST": "0"},
        args.repeats,
    )
    timings["validate errors"] = measure(
        f"reconcile validate, {mid} with {args.errors} planted errors",
        [*rc, "validate", str(errors_path)],
        env,
        args.repeats,
    )

    conformance: dict[str, dict[str, int]] = {}
    if not args.no_conformance and not args.suite.is_dir():
        print(f"no YAML test suite at {args.suite}: conformance not run", flush=True)
    if not args.no_conformance and args.suite.is_dir():
        print("conformance", flush=True)
        for name in ("pyyaml", "yaml-rs", "py-yaml12"):
            if available(name):
                conformance[name] = evaluate(args.suite, name)

    text = write_report(
        args=args,
        timings=timings,
        ledgers=ledgers,
        have=have,
        mid=mid,
        conformance=conformance,
        command_line=command_line,
        elapsed=time.perf_counter() - started_all,
        env=env,
        complete_env=complete_env,
        rc=rc,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - started_all:.0f} s")


def write_report(  # noqa: PLR0915 - the report, section by section
    *,
    args: argparse.Namespace,
    timings: dict[str, Timing],
    ledgers: dict[str, Path],
    have: set[str],
    mid: str,
    conformance: dict[str, dict[str, int]],
    command_line: str,
    elapsed: float,
    env: dict[str, str],
    complete_env: dict[str, str],
    rc: list[str],
) -> str:
    lines: list[str] = []
    w = lines.append
    typer_t = timings["typer"].median
    sizes = sorted(args.sizes)

    def fastest_raw(name: str) -> tuple[float, str]:
        options = [
            (timings[k].median, k.split()[0])
            for k in (f"pyyaml {name}", f"yaml-rs {name}")
            if k in timings
        ]
        return min(options)

    targets: list[
        tuple[str, str, float | None, float, str]
    ] = []  # what, measured, ratio, limit, note
    for what, key, limit in (
        ("`reconcile --help` vs `import typer`", "help", 1.3),
        ("shell completion vs `import typer`", "complete", 1.3),
        ("`reconcile validate` (shipped ledger) vs `import typer`", "validate shipped", 2.0),
    ):
        targets.append((what, ms(timings[key].median), timings[key].median / typer_t, limit, ""))
    raw, raw_name = fastest_raw(mid)
    for command in ("validate", *REPORTS):
        key = f"{command} {mid}"
        if key in timings:
            limit = 1.5 if command == "validate" else 2.0
            targets.append(
                (
                    f"`reconcile {command}`, {mid} estimates, vs fastest raw parse "
                    f"({raw_name}, {ms(raw)})",
                    ms(timings[key].median),
                    timings[key].median / raw,
                    limit,
                    "",
                )
            )
        else:
            targets.append(
                (
                    f"`reconcile {command}`, {mid} estimates",
                    "—",
                    None,
                    2.0,
                    "not available in this build",
                )
            )
    if len(sizes) > 1:
        big, small = f"{sizes[-1]:,}", f"{sizes[-2]:,}"
        for command in ("validate", *REPORTS):
            a, b = f"{command} {big}", f"{command} {small}"
            if a in timings and b in timings:
                targets.append(
                    (
                        f"`reconcile {command}`: {big} vs {small} estimates",
                        ms(timings[a].median),
                        timings[a].median / timings[b].median,
                        12.0,
                        "",
                    )
                )
            else:
                targets.append(
                    (
                        f"`reconcile {command}`: {big} vs {small} estimates",
                        "—",
                        None,
                        12.0,
                        "not available in this build",
                    )
                )

    w("# Performance")
    w("")
    w("Generated by `benchmarks/run.py`; do not edit by hand. Regenerate with:")
    w("")
    w("```sh")
    w("python benchmarks/generate.py   # once: synthetic ledgers into benchmarks/out/")
    w(command_line.rstrip())
    w("```")
    w("")
    w(
        f"Run on {date.today()}: Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {cpu()}, {os.cpu_count()} cores; {versions()}. "
        f"The whole run took {elapsed / 60:.1f} minutes."
    )
    w("")
    w(
        "Every figure is the median wall time of whole processes (as a user or CI runs "
        f"them): {args.repeats} runs after one warm-up, {args.big_repeats} at "
        f"{BIG:,} estimates; the spread is min–max. Ratios compare medians of the same run. "
        "Peak memory is the process's maximum resident set size (`/usr/bin/time -f %M`, one "
        "more run)."
    )
    w("")
    w("## Targets")
    w("")
    w("| target | measured | ratio | limit | met |")
    w("|---|---:|---:|---:|:---:|")
    for what, measured, ratio, limit, note in targets:
        if ratio is None:
            w(f"| {what} | {measured} | — | ≤ {limit:g}× | {note} |")
        else:
            w(
                f"| {what} | {measured} | {ratio:.2f}× | ≤ {limit:g}× | "
                f"{'✓' if ratio <= limit else '✗'} |"
            )
    unmet = [what for what, _, ratio, limit, _ in targets if ratio is not None and ratio > limit]
    if unmet:
        w("")
        w("Targets not met, and the profile below that shows why:")
        w("")
        for what in unmet:
            w(f"- {what}: {why(what)}")
    w("")
    w("## What the stack costs before reconcile does anything")
    w("")
    w(
        "Each floor is measured in the same run. When a floor is above a target's limit, "
        "no tool built on typer and pydantic (the stack this project uses) can meet that "
        "target; the last column is what reconcile adds on top of the floor."
    )
    w("")
    w("| target | limit | floor | floor's ratio | reconcile | reconcile ÷ floor |")
    w("|---|---:|---|---:|---:|---:|")
    floors = [
        ("shell completion", "complete", "floor complete", typer_t, 1.3),
        ("`validate`, shipped ledger", "validate shipped", "floor stack", typer_t, 2.0),
    ]
    if f"floor parse {mid}" in timings:
        raw_mid = fastest_raw(mid)[0]
        floors.append((f"`validate`, {mid}", f"validate {mid}", f"floor parse {mid}", raw_mid, 1.5))
        for command in REPORTS:
            if f"{command} {mid}" in timings:
                floors.append(
                    (f"`{command}`, {mid}", f"{command} {mid}", f"floor parse {mid}", raw_mid, 2.0)
                )
    for what, ours, floor, base, limit in floors:
        w(
            f"| {what} | ≤ {limit:g}× | {timings[floor].label.removeprefix('floor: ')}, "
            f"{ms(timings[floor].median)} | {timings[floor].median / base:.2f}× | "
            f"{ms(timings[ours].median)} | {timings[ours].median / timings[floor].median:.2f}× |"
        )
    w("")
    w("## All timings")
    w("")
    w("| command | median | spread (min–max) | peak memory | runs | exit |")
    w("|---|---:|---:|---:|---:|---:|")
    for timing in timings.values():
        w(
            f"| {timing.label} | {ms(timing.median)} | {ms(timing.low)}–{ms(timing.high)} | "
            f"{timing.rss_mb:.0f} MB | {timing.runs} | {timing.code} |"
        )
    missing = [c for c in REPORTS if c not in have]
    if missing:
        w("")
        w(
            f"Not available in this build: {', '.join(f'`{c}`' for c in missing)}; "
            "`benchmarks/run.py` times every command `reconcile --help` lists."
        )
    w("")
    w(
        "Ledgers: "
        + "; ".join(f"{name}: {path.stat().st_size / 1e6:.1f} MB" for name, path in ledgers.items())
        + "."
    )
    w(
        "Synthetic ledgers (`benchmarks/generate.py`) have 200 sources and 25 subjects whose "
        "tolls rise over six years, one document per "
        "five estimates with its archived text, and validate clean under every check."
    )
    w("")
    w("## Where the time goes")
    w("")
    w(f"`reconcile validate` on {mid} estimates, in process, step by step:")
    w("")
    w("| step | time |")
    w("|---|---:|")
    for step, seconds in stages(ledgers[mid]):
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
    w("and of `reconcile validate` on the shipped ledger:")
    w("")
    w("```")
    w(importtime([*rc[1:], "validate", str(SHIPPED)], env))
    w("```")
    w("")
    w("and of shell completion:")
    w("")
    w("```")
    w(importtime(rc[1:], complete_env))
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


def why(target: str) -> str:
    if "--help" in target:
        return (
            "`import typer` is most of it; on top, typer builds the click objects of every "
            "command and option for the help screen (about 20 ms for reconcile's ten "
            "commands in a cProfile of `app()` with `--help`), and `reconcile.cli`'s own "
            "module body (its option declarations) adds about 7 ms (`-X importtime`). "
            "No pydantic, YAML parser or rich table is imported (tests/test_startup.py)."
        )
    if "reconcile diff" in target:
        return (
            "a report first validates the ledger (everything in the validate rows): diff's "
            "own analysis and its two-claimant table are a small part; see the validate "
            "rows and profile."
        )
    if any(f"reconcile {report}" in target for report in REPORTS):
        return (
            "a report first validates the ledger (everything in the validate rows), then "
            "analyses it — in well under a second at 10,000 estimates (cProfile of "
            "`summarise`/`timeline` in process) — and then draws every row with rich, which "
            "dominates: the summary's latest-estimate table has a row per claimant, subject "
            "and metric (over 12,000 at 10,000 estimates) and the timeline a row per "
            "figure (over 18,000); rich spends about half a millisecond a row. The limit "
            "cannot be met while a report validates first: validating alone is several "
            "times the limit (the validate row)."
        )
    if "completion" in target:
        return (
            "typer (0.29) converts every parameter through a pydantic TypeAdapter, and "
            "completion converts typer's own `--help`, `--install-completion` and "
            "`--show-completion` options, so completing any typer app imports pydantic "
            "(`typer._adapters` in the completion import profile): see the floor below, "
            "a two-command typer app."
        )
    if "shipped" in target:
        return (
            "importing typer and pydantic alone is above the limit (the floor below); "
            "on top, the model classes' schema build (`reconcile.core.models` in the import "
            "profile), typer's TypeAdapters for the command's options and the figure and "
            "number grammars' regexes (PyYAML is not imported when yaml-rs reads the file)."
        )
    return (
        "parsing is a small part of validating: the pydantic models with their figure "
        "and date grammars, and provenance (finding every number in every quote, and "
        "the words around it) dominate; see the step table and the cProfile lines. "
        "The floor below (typer and pydantic imported, then yaml-rs's parse) is itself "
        "above the limit."
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
  located error. Positions are computed only when an issue needs locating
  (one composer pass), so a clean ledger — CI's common case — never pays for
  them; a ledger with errors pays for both passes (see the planted-errors row).
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
