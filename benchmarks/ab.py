"""Before/after timings of one step, in process, two source trees alternating.

    git archive <before-commit> | tar -x -C /tmp/before
    python benchmarks/ab.py summary /tmp/ledger_10000.yaml --before /tmp/before --after .

Each round runs one child process per tree (before, then after, then before...),
each child times the step in process `--repeats` times after loading the ledger,
and the minimum over every run of a tree is reported: on a shared, noisy machine
the minimum is the least disturbed run.  The child imports `reconcile` from the
tree it is given (PYTHONPATH first), and prints where it imported it from.

Steps: `summary` (summarise, validated ledger given), `discrepancies` (find),
`load` (the loader on the ledger file, pre-scan included), `prescan` (the
loader's pre-scan alone), `figures` (parse_figure over every figure text of the
ledger, memo cleared), `schema` (the models built from the loaded files, figure and
date grammars included), `validate` (check_file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEPS = ("summary", "discrepancies", "load", "prescan", "figures", "schema", "validate")


def _child(step: str, ledger: Path, repeats: int) -> dict[str, Any]:
    import reconcile

    setup: Callable[[], Any]
    run: Callable[[Any], Any]
    if step in ("summary", "discrepancies"):
        from reconcile.checks.run import check_file
        from reconcile.reports.discrepancies import find
        from reconcile.reports.summary import summarise

        checked = check_file(ledger)
        assert checked.ledger is not None

        def setup() -> Any:
            return checked.ledger

        def run(value: Any) -> Any:
            if step == "summary":
                return summarise(value).discrepancies_total
            return len(find(value))

    elif step in ("load", "prescan"):
        from reconcile.ingest import loader, prescan

        text = ledger.read_text(encoding="utf-8")

        def setup() -> Any:
            return text

        def run(value: Any) -> Any:
            if step == "load":
                return loader.load_text(value, str(ledger)).usable
            return prescan.fast_safe(value)

    elif step == "figures":
        from reconcile.core import figures
        from reconcile.ingest.loader import load_file

        data: Any = load_file(ledger).data
        texts = [
            value
            for estimate in data["estimates"]
            for key, value in estimate.items()
            if key in ("deployed", "killed", "wounded", "casualties", "captured", "missing")
            and isinstance(value, str)
        ]

        def setup() -> Any:
            cache = getattr(figures.parse_figure, "cache_clear", None)
            if cache is not None:
                cache()
            return texts

        def run(value: Any) -> Any:
            return sum(figures.stated_value(figures.parse_figure(t)) for t in value)

    elif step == "schema":
        from reconcile.ingest import build as schema
        from reconcile.ingest.includes import load_ledger

        files = load_ledger(ledger)

        def setup() -> Any:
            return files.files

        def run(value: Any) -> Any:
            return len(schema.build(value)[2])

    else:  # validate
        from reconcile.checks.run import check_file

        def setup() -> Any:
            return ledger

        def run(value: Any) -> Any:
            return len(check_file(value).issues)

    times: list[float] = []
    result: Any = None
    for _ in range(repeats):
        value = setup()
        start = time.perf_counter()
        result = run(value)
        times.append(time.perf_counter() - start)
    return {"from": os.path.dirname(reconcile.__file__), "times": times, "result": repr(result)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--after", type=Path, default=Path("."))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--process", action="store_true", help="validate as a whole process, medians"
    )
    args = parser.parse_args()
    if args.process:
        _processes(args)
        return
    if args.child:
        print(json.dumps(_child(args.step, args.ledger, args.repeats)))
        return
    if args.before is None:
        parser.error("--before is required")
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    found: dict[str, list[float]] = {name: [] for name in trees}
    results: dict[str, set[str]] = {name: set() for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    args.step,
                    str(args.ledger),
                    "--child",
                    "--repeats",
                    str(args.repeats),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            child = json.loads(out.stdout)
            if Path(child["from"]).resolve() != tree / "reconcile":
                raise SystemExit(f"{name}: imported reconcile from {child['from']}, not {tree}")
            found[name].extend(child["times"])
            results[name].add(child["result"])
    before, after = min(found["before"]), min(found["after"])
    runs = args.rounds * args.repeats
    print(f"{args.step} on {args.ledger}: min of {runs} runs each, alternating")
    print(f"  before {before * 1000:9.1f} ms   ({args.before})")
    print(f"  after  {after * 1000:9.1f} ms   ({args.after})")
    print(
        f"  ratio  {before / after:9.2f}x   results: before {sorted(results['before'])} "
        f"after {sorted(results['after'])}"
    )


def _processes(args: argparse.Namespace) -> None:
    """`python -m reconcile validate LEDGER` from each tree, alternating; medians."""
    if args.before is None:
        raise SystemExit("--before is required")
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    ledger = str(args.ledger.resolve())
    found: dict[str, list[float]] = {name: [] for name in trees}
    codes: dict[str, set[int]] = {name: set() for name in trees}
    for name, tree in trees.items():  # `python -m` puts the working folder first
        where = subprocess.run(
            [sys.executable, "-c", "import reconcile; print(reconcile.__file__)"],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if Path(where).resolve() != tree / "reconcile" / "__init__.py":
            raise SystemExit(f"{name}: imports reconcile from {where}, not {tree}")
    for _ in range(args.rounds):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}
            env.pop("RECONCILE_CACHE_DIR", None)
            for _ in range(args.repeats):
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "reconcile", "validate", ledger],
                    cwd=tree,
                    env=env,
                    capture_output=True,
                    check=False,
                )
                found[name].append(time.perf_counter() - start)
                codes[name].add(done.returncode)
    before, after = (statistics.median(found[name]) for name in trees)
    runs = args.rounds * args.repeats
    print(f"validate on {args.ledger}: whole process, median of {runs} runs each, alternating")
    print(f"  before {before * 1000:9.1f} ms   ({args.before})  exit {sorted(codes['before'])}")
    print(f"  after  {after * 1000:9.1f} ms   ({args.after})  exit {sorted(codes['after'])}")
    print(f"  ratio  {before / after:9.2f}x")


if __name__ == "__main__":
    main()
