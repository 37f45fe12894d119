"""Run the YAML test suite through each raw parser, one process per case.

    python benchmarks/conformance.py [SUITE_DIR] [PARSER ...]

A case is any folder holding `in.yaml` (402 in the suite).  A case with an
`error` file must be refused; any other must load, and where `in.json` holds
exactly one document the data must equal it (bool is not int, a date is not a
string).  "Outcome" counts only accept/refuse.  Each case runs in its own
process (10 s timeout, 2 GiB address space) so a crash or hang is counted,
not fatal.  Adapted from the parser evaluation done for issue 7.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

PARSERS = {
    "pyyaml": "import yaml\ndef load(t): return list(yaml.load_all(t, Loader=yaml.CSafeLoader))",
    "yaml-rs": "import yaml_rs\ndef load(t): return [yaml_rs.loads(t)]",
    "py-yaml12": "import yaml12\ndef load(t): return yaml12.parse_yaml(t, multi=True)",
}
TIMEOUT = 10
GIB = 1 << 30

RUNNER = r"""
import json, os, sys
{loader}
def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
def docs(path):
    s, dec, i, out = open(path, encoding="utf-8").read(), json.JSONDecoder(), 0, []
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            return out
        v, i = dec.raw_decode(s, i)
        out.append(v)
case = sys.argv[1]
text = open(os.path.join(case, "in.yaml"), "rb").read().decode("utf-8")
jpath = os.path.join(case, "in.json")
expected = docs(jpath) if os.path.exists(jpath) else None
try:
    got = load(text)
except BaseException:
    print(json.dumps({{"accepted": False}}))
    raise SystemExit(0)
match = None
if expected is not None and len(expected) == 1:
    match = len(got) == 1 and same(got[0], expected[0])
print(json.dumps({{"accepted": True, "match": match}}))
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))


def cases(suite: Path) -> list[Path]:
    return sorted(path.parent for path in suite.rglob("in.yaml"))


def available(parser: str) -> bool:
    module = {"pyyaml": "yaml", "yaml-rs": "yaml_rs", "py-yaml12": "yaml12"}[parser]
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, check=False
    )
    return probe.returncode == 0


def run_case(parser: str, case: Path) -> str:
    """'correct', 'wrong-data', 'wrong-outcome', 'hang' or 'crash'."""
    code = RUNNER.format(loader=PARSERS[parser])
    must_refuse = (case / "error").exists()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(case)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang"
    try:
        verdict: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return "crash"
    if verdict["accepted"] == must_refuse:
        return "wrong-outcome"
    if verdict.get("match") is False:
        return "wrong-data"
    return "correct"


def evaluate(suite: Path, parser: str) -> dict[str, int]:
    found = cases(suite)
    with cf.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda case: run_case(parser, case), found))
    counts = {"cases": len(found)}
    for kind in ("correct", "wrong-data", "wrong-outcome", "hang", "crash"):
        counts[kind] = results.count(kind)
    counts["outcome"] = counts["correct"] + counts["wrong-data"]
    return counts


def main() -> None:
    default = Path(__file__).resolve().parent.parent / "tests" / "data" / "yaml-test-suite"
    suite = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    for parser in sys.argv[2:] or list(PARSERS):
        if not available(parser):
            print(f"{parser}: not installed")
            continue
        counts = evaluate(suite, parser)
        print(parser, json.dumps(counts))


if __name__ == "__main__":
    main()
