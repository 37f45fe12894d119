"""A budgeted fuzz run of `reconcile validate`, every report command, `changes`,
`import` and every output format over mutated inputs.

    python scripts/fuzz.py --seconds 120

Runs the strategies of tests/fuzzing.py (structural and byte-level mutations
of the gallery and shipped ledgers, byte mutations of the example CSV) until
the budget is spent: each example is validated, then run through one command
in one format (under GitHub Actions or not).  Prints how many inputs were
tried and their exit codes, and exits 1 on the first input that breaks the
contract (an exception, an unlocated issue, an unknown check id, an exit code
outside 0/1/2, output that could drive a terminal or a CI runner), printing
hypothesis's shrunk example.  .ci/run runs it after the tests.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import Sandbox, check_command, check_outcome, command_cases, inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="time budget")
    parser.add_argument("--round", type=int, default=200, help="examples per hypothesis run")
    options = parser.parse_args()

    sandbox = Sandbox()
    codes: Counter[int] = Counter()
    commands: Counter[str] = Counter()
    deadline = time.monotonic() + options.seconds
    rounds = 0

    @settings(
        max_examples=options.round,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=inputs, command=command_cases())
    def run(case: tuple[str, bytes], command: tuple[str, str, str, bool, bytes]) -> None:
        if time.monotonic() > deadline:
            return
        codes[check_outcome(sandbox, *case)] += 1
        check_command(sandbox, command)
        commands[f"{command[0]} --format {command[1]}"] += 1

    try:
        while time.monotonic() < deadline:
            rounds += 1
            run()
    except Exception:  # a broken contract: hypothesis has shrunk and printed the input
        traceback.print_exc()
        print(f"fuzz: FAILED after {sum(codes.values()):,} inputs", file=sys.stderr)
        return 1
    finally:
        sandbox.close()
    tried = sum(codes.values())
    spread = ", ".join(f"exit {code}: {n:,}" for code, n in sorted(codes.items()))
    budget = f"{options.seconds:.0f} s, {rounds} rounds"
    print(f"fuzz: {tried:,} inputs ({budget}), no failures ({spread})")
    pairs = len(commands)
    print(f"fuzz: {sum(commands.values()):,} command runs over {pairs} command/format pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
