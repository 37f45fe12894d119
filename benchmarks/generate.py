"""Generate realistic synthetic ledgers that validate clean under every real check.

    python benchmarks/generate.py                 # 1k, 10k and 100k into benchmarks/out/
    python benchmarks/generate.py 10000 --errors 5 --out benchmarks/out

Each ledger `ledger_<n>.yaml` comes with its own archive folder of documents
(`archive_<n>/`) holding every quote verbatim, so provenance is checked for
real.  200 sources and 25 subjects over six years of coverage; one document
per five estimates.  Each subject's toll rises over the years and each
claimant reads it with its own bias (within ±15%) and some scatter (±10%), so
claimants mostly agree and some do not; each claimant's series for a subject rises strictly from one
date to the next (no claimant repeats an old figure later, and none gives two
figures for one subject on one day), as cumulative tolls do.  A claimant's
figures agree with each other (a range of troops deployed holds the
approximate figure).  Figures are worded as their quotes word them ("at least
300", "about 2,700", ranges, small counts in words), and dates fall before the
documents that report them.  Deterministic for a given size (seeded), block
style like the shipped ledger, a few flow lists and folded quotes.  `--errors
N` plants N located errors (a misspelt field, a figure not in its quote, a
dangling claimant, a duplicate key, a bad date) for timing the error-locating
path separately.  Without planted errors, `reconcile validate` reports nothing
(tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

KINDS = ["government", "military", "intelligence", "media", "ngo", "individual", "other"]
PARTIES = ["Ukraine", "Russia", "North Korea", "third-party", "third-party"]
PUBLISHERS = ["Reuters", "Yonhap", "BBC News", "Kyiv Independent", "The Guardian", "NK News"]
BASE = dt.date(2019, 1, 1)
SPAN_DAYS = 6 * 365
"""Years of coverage: documents are spread evenly over six years."""
N_SOURCES = 200
N_SUBJECTS = 25
"""A newsroom's ledger covers several conflicts and populations, each its own subject."""

# (ledger field, figure words, quote template); {k}/{w}/{d} are formatted numbers
TEMPLATES = [
    (
        {"killed": "at least {k}", "wounded": "about {w}"},
        "Officials said that at least {k} soldiers were killed and about {w} were wounded "
        "in the fighting near the border.",
    ),
    (
        {"casualties": "around {c}", "deployed": "approximately {d}"},
        "The minister stated that around {c} of the approximately {d} troops deployed had "
        '"died or been injured" in recent weeks.',
    ),
    (
        {"killed": "{k}", "wounded": "{w}"},
        "According to the intelligence service, {k} were killed and {w} wounded since the "
        "troops reached the front.",
    ),
    (
        {"casualties": "more than {c}"},
        "He said that more than {c} soldiers have already been killed or wounded.",
    ),
    (
        {"deployed": "{d1}-{d2}"},
        "Analysts estimate that {d1}-{d2} troops were sent in the latest rotation.",
    ),
    (
        {"captured": "{p}"},
        "The army said on Saturday that {p} fighters had been captured alive.",
    ),
]

FILLER = (
    "The report could not be independently verified. Fighting continued along the "
    "front line, and officials declined to give further details about the units involved.\n"
)


def _num(n: int) -> str:
    return f"{n:,}"


def _day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset % SPAN_DAYS)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(n: int, out: Path, *, errors: int = 0, seed: int = 20250113) -> Path:
    """Write ledger_<n>.yaml and archive_<n>/ under `out`; return the ledger's path."""
    rnd = random.Random(seed + n)
    out.mkdir(parents=True, exist_ok=True)
    tag = f"{n}" if not errors else f"{n}_errors{errors}"
    archive = out / f"archive_{tag}"
    archive.mkdir(exist_ok=True)
    n_docs = max(1, n // 5)
    published = [_day(30 + i * SPAN_DAYS // n_docs) for i in range(n_docs)]
    # each subject's toll starts somewhere and rises over the years, as tolls do;
    # each claimant reads every toll with its own bias
    bases = [rnd.randrange(100, 2000) for _ in range(N_SUBJECTS)]
    biases = [rnd.uniform(0.85, 1.15) for _ in range(N_SOURCES)]
    bodies: list[list[str]] = [[] for _ in range(n_docs)]

    lines: list[str] = []
    w = lines.append
    w("# A synthetic ledger for benchmarks (benchmarks/generate.py); not real data.")
    w(f"title: Synthetic casualty estimates ({n:,} estimates)")
    w("subject: North Korean troops sent to Russia")
    w(f"archive: {archive.name}")
    w("")
    w("sources:")
    _sources(lines, rnd)
    claims = _claims(n, rnd, n_docs, published)
    _levels(claims, bases, biases)
    estimates = [_estimate(i, claim, bodies) for i, claim in enumerate(claims)]

    w("")
    w("documents:")
    for i in range(n_docs):
        w(f"  - id: doc-{i:06d}")
        w(f"    path: doc-{i:06d}.txt")
        w(f"    title: {_q(f'Report {i} on the deployment: losses, positions and rotation')}")
        w(f"    publisher: {rnd.choice(PUBLISHERS)}")
        w(f"    published: {published[i].isoformat()}")
        w("    language: en")
        w(f"    url: https://example.org/reports/{i}")
        text = f"Report {i}\n\n" + FILLER + "\n".join(bodies[i]) + "\n" + FILLER
        (archive / f"doc-{i:06d}.txt").write_text(text, encoding="utf-8")

    for j in range(min(errors, n)):
        _plant(estimates[(j * 7919 + 13) % n], j)

    w("")
    w("estimates:")
    for entry in estimates:
        lines.extend(entry)
    path = out / f"ledger_{tag}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class _Claim:
    doc: int
    subject: int
    claimant: int
    as_of: dt.date
    scatter: float = 1.0
    """How far this reading strays from the claimant's usual bias."""
    level: int = 0
    """The claimant's reading of the subject's toll on `as_of` (its killed)."""


def _claims(n: int, rnd: random.Random, n_docs: int, published: list[dt.date]) -> list[_Claim]:
    """Who claims what when: a document, a subject, a claimant and a date each,
    never two claims of one claimant on one subject and day."""
    taken: set[tuple[int, int, dt.date]] = set()
    claims = []
    for i in range(n):
        doc = rnd.randrange(n_docs)
        subject = i % N_SUBJECTS
        as_of = published[doc] - dt.timedelta(days=rnd.randrange(0, 20))
        claimant = rnd.randrange(N_SOURCES)
        while (claimant, subject, as_of) in taken:
            claimant = rnd.randrange(N_SOURCES)
        taken.add((claimant, subject, as_of))
        claims.append(_Claim(doc, subject, claimant, as_of, rnd.uniform(0.9, 1.1)))
    return claims


def _levels(claims: list[_Claim], bases: list[int], biases: list[float]) -> None:
    """Each claim's level: the subject's toll, rising over the years, as its claimant
    reads it, and strictly above the claimant's earlier level for that subject
    (by at least `STEP`, so that every figure derived from it rises too)."""
    series: dict[tuple[int, int], list[_Claim]] = {}
    for claim in claims:
        series.setdefault((claim.claimant, claim.subject), []).append(claim)
    for found in series.values():
        found.sort(key=lambda claim: claim.as_of)
        previous = 0
        for claim in found:
            growth = 1 + 9 * (claim.as_of - BASE).days / SPAN_DAYS
            toll = bases[claim.subject] * growth * biases[claim.claimant] * claim.scatter
            claim.level = previous = max(round(toll), previous + STEP)


STEP = 50
"""The least rise of a claimant's level from one date to the next."""
WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _estimate(i: int, claim: _Claim, bodies: list[list[str]]) -> list[str]:
    """The lines of estimate `i`; its quote goes into its document's body.

    Its figures follow its claim's level: killed, three times as many wounded,
    the casualties their sum, and ten times as many deployed again (a range of
    ±10% around the deployed when given as a range); captured a fiftieth of the
    level, in words when small, as reports write small counts.
    """
    fields, template = TEMPLATES[i % len(TEMPLATES)]
    k = claim.level
    wd = 3 * k
    deployed = k + wd + 10 * k
    captured = max(1, k // STEP)
    values = {
        "k": _num(k),
        "w": _num(wd),
        "c": _num(k + wd),
        "d": _num(deployed),
        "d1": _num(round(deployed * 0.9)),
        "d2": _num(round(deployed * 1.1)),
        "p": WORDS[captured] if captured < len(WORDS) else _num(captured),
    }
    quote = template.format(**values)
    # the article names the claimant just before the quote, as validate's
    # claimant-not-in-quote check expects
    bodies[claim.doc].append(f"Source number {claim.claimant} gave these figures. {quote}")
    entry = [
        f"  - id: est-{i:06d}",
        f"    claimant: src-{claim.claimant:04d}",
        f"    as_of: {claim.as_of.isoformat()}",
        f"    subject: Subject {claim.subject:02d} of the synthetic ledger",
    ]
    for field, words in fields.items():
        entry.append(f"    {field}: {words.format(**values)}")
    entry.append("    reported_in:")
    entry.append(f"      - document: doc-{claim.doc:06d}")
    if i % 3 == 0:  # a folded quote over two lines
        cut = quote.rfind(" ", 0, len(quote) // 2)
        entry.append("        quote: >-")
        entry.append(f"          {quote[:cut]}")
        entry.append(f"          {quote[cut + 1 :]}")
    else:
        entry.append(f"        quote: {_q(quote)}")
    if i % 10 == 0:
        entry.append("    notes: Reported again in later briefings.")
    return entry


def _sources(lines: list[str], rnd: random.Random) -> None:
    w = lines.append
    for i in range(N_SOURCES):
        w(f"  - id: src-{i:04d}")
        w(f"    name: Source number {i}, a {rnd.choice(['ministry', 'agency', 'outlet'])}")
        w(f"    kind: {rnd.choice(KINDS)}")
        w(f"    party: {rnd.choice(PARTIES)}")
        if i % 4 == 0:
            w(f"    aliases: [Source {i}, S{i}]")
        if i % 7 == 0:
            w("    notes: >-")
            w("      A longer note about this source, folded over two lines so that the")
            w("      ledger has the folded scalars real ledgers have.")


def _plant(entry: list[str], j: int) -> None:
    """One located error in an estimate's lines."""
    kind = j % 5
    if kind == 0:
        entry.insert(3, "    kiled: 10")  # unknown field (did you mean 'killed'?)
    elif kind == 1:
        entry.insert(3, "    missing: 99999")  # figure not in its quote
    elif kind == 2:
        entry[1] = "    claimant: nobody-at-all"  # dangling reference
    elif kind == 3:
        entry.insert(3, entry[2])  # duplicate key as_of
    else:
        entry[2] = "    as_of: 2025-13-40"  # not a date


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--errors", type=int, default=0, help="plant this many errors")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    for n in args.sizes:
        path = generate(n, args.out, errors=args.errors)
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
