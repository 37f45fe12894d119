"""Result models as tables: what each report shows, cell by cell, before rendering.

Pure functions from analysis results to `tabular.Table`s, cells written the way
a reporter would ("~3,800", "≥300", "10,000–12,000").  No rich here: drawing
is `render.py`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reconcile.core.figure_text import format_interval
from reconcile.core.numbers import format_count
from reconcile.reports.diff import MARKERS, VERDICT_WORDS, Diff, Row
from reconcile.reports.discrepancies import Discrepancy
from reconcile.reports.observations import Observation
from reconcile.reports.summary import Median, MetricSummary, Summary
from reconcile.reports.timeline import Timeline
from reconcile.views.tabular import Align, Column, Record, Records, Table

if TYPE_CHECKING:  # numpy and scipy only when `estimate` runs
    from reconcile.reports.estimate import Estimate
    from reconcile.reports.estimate import Point as EstimatePoint

NONE = "—"
R = Align.RIGHT


def said(o: Observation) -> str:
    """ "~1,000 us-government 2024-12-20/2024-12-31", derived totals marked."""
    return f"{o.shown}{' (derived)' if o.derived else ''} {o.claimant} {o.as_of}"


def figure(o: Observation) -> str:
    return f"{o.shown} (derived)" if o.derived else o.shown


def observed(o: Observation | None, prefix: str = "") -> Record:
    """An observation as CSV data: ids, ISO dates, the counts its words allow as
    plain integers (`high` empty when open), the best value and the words."""
    keys = ("estimate", "claimant", "as_of", "as_of_start", "as_of_end", "low", "best", "high",
            "words", "derived")  # fmt: skip
    if o is None:
        return dict.fromkeys((prefix + key for key in keys), None)
    if not prefix:  # the common call (a row per observation): no keys to make
        interval = o.interval
        return {
            "estimate": o.estimate,
            "claimant": o.claimant,
            "as_of": o.as_of.text,
            "as_of_start": o.as_of.start.isoformat(),
            "as_of_end": o.as_of.end.isoformat(),
            "low": interval.first(),
            "best": o.best,
            "high": interval.last(),
            "words": o.words,
            "derived": o.derived,
        }
    values: tuple[str | int | bool | None, ...] = (
        o.estimate, o.claimant, o.as_of.text, o.as_of.start.isoformat(), o.as_of.end.isoformat(),
        o.interval.first(), o.best, o.interval.last(), o.words, o.derived,
    )  # fmt: skip
    return {prefix + key: value for key, value in zip(keys, values, strict=True)}


def ratio(value: float | None) -> str:
    return NONE if value is None else f"{value:g}×"


def signed(value: int | None) -> str:
    if value is None:
        return NONE
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_count(abs(value))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _titled(title: str, subjects: Sequence[str]) -> tuple[str, bool]:
    """The title, and whether a subject column is needed (several subjects).

    With one subject it is named in the title rather than repeated on every row.
    """
    distinct = list(dict.fromkeys(subjects))
    if len(distinct) == 1:
        return f"{title} — {distinct[0]}", False
    return title, len(distinct) > 1


def _table(
    title: str,
    subjects: Sequence[str],
    columns: tuple[Column, ...],
    rows: Sequence[tuple[str, ...]],
    caption: str | None = None,
    *,
    name: str = "",
    records: Sequence[Record] | None = None,
) -> Table:
    """A table whose rows start with their subject: the column is kept only for
    several (in `records`, the data for CSV, the subject is always there)."""
    shown, several = _titled(title, subjects)
    data = None if records is None else records if isinstance(records, Records) else tuple(records)
    if several:
        cells = (Column("subject", wrap=True), *columns)
        return Table(shown, cells, tuple(rows), caption, data, name)
    return Table(shown, columns, tuple(row[1:] for row in rows), caption, data, name)


def discrepancies_table(
    found: Sequence[Discrepancy], window: int, total: int | None = None
) -> Table:
    """The discrepancies found; `total` when only the highest-ranked are shown."""
    caption = f"Conflicts: dates within {window} days. Kinds and ranking: docs/reports.md."
    if total is not None and total > len(found):
        caption = (
            f"The {len(found)} highest ranked of {format_count(total)}; "
            "reconcile discrepancies lists them all. " + caption
        )
    return _table(
        "Discrepancies",
        [d.subject for d in found],
        (Column("#", R), Column("kind"), Column("metric"), Column("reason", wrap=True)),
        [(d.subject, str(d.rank), d.kind.value, d.metric, d.reason) for d in found],
        caption=caption,
        name="discrepancies",
        records=Records(
            lambda: [
                {
                    "rank": d.rank,
                    "kind": d.kind.value,
                    "subject": d.subject,
                    "metric": d.metric,
                    "estimate_ids": " ".join(d.estimates),
                    "claimant_ids": " ".join(d.claimants),
                    "factor": d.factor,
                    "days_apart_min": d.days_apart[0] if d.days_apart else None,
                    "days_apart_max": d.days_apart[1] if d.days_apart else None,
                    "derived": d.derived,
                    "reason": d.reason,
                }
                for d in found
            ]
        ),
    )


def median_words(median: Median | None) -> str:
    """'3,800', or 'between 1,000 and 3,800' when the median lies between two stated
    figures; '—' when there is none."""
    if median is None:
        return NONE
    if median.low == median.high:
        return format_count(median.low)
    return f"between {format_count(median.low)} and {format_count(median.high)}"


def summary_tables(summary: Summary) -> list[Table]:
    subjects = [m.subject for m in summary.metrics]
    if summary.as_of is None:
        main = _table(
            "Summary: the whole history",
            subjects,
            (
                Column("metric"),
                Column("figures", R),
                Column("claimants", R),
                Column("lowest ever", wrap=True),
                Column("highest ever", wrap=True),
            ),
            [
                (
                    m.subject,
                    m.metric,
                    str(m.estimates),
                    str(m.claimants),
                    said(m.lowest),
                    said(m.highest),
                )
                for m in summary.metrics
            ],
            caption="Every running total stated over time, by stated value; no median or "
            "spread, which would mix tolls of different dates. Figures for a period are "
            "left out. docs/reports.md.",
            name="summary",
            records=Records(
                lambda: [
                    {
                        "subject": m.subject,
                        "metric": m.metric,
                        "figures": m.estimates,
                        "claimants": m.claimants,
                        **observed(m.lowest, "lowest_"),
                        **observed(m.highest, "highest_"),
                    }
                    for m in summary.metrics
                ]
            ),
        )
    else:
        day = summary.as_of.isoformat()
        aged = (summary.ages_from or summary.as_of).isoformat()
        periods = sum(m.period_figures for m in summary.metrics)
        older = sum(len(m.older) for m in summary.metrics)
        notes = [
            f"Range of claims as of {day}: each claimant's latest figure, each claimant once "
            "(not a confidence interval). Lowest, highest and median of the numbers as "
            "stated; spread = highest ÷ lowest.",
            *([summary.as_of_note] if summary.as_of_note else []),
        ]
        if older:
            notes.append(
                f"{older} latest figure(s) older than {summary.recent} days before {aged} "
                "are listed below but not in the range."
            )
        if periods:
            notes.append(f"{periods} figure(s) for a period (not running totals) left out.")
        main = _table(
            f"State of knowledge as of {day}",
            subjects,
            (
                Column("metric"),
                Column("claimants", R),
                Column("lowest", wrap=True),
                Column("highest", wrap=True),
                Column("median", R),
                Column("spread", R),
            ),
            [
                (
                    m.subject,
                    m.metric,
                    str(m.claimants),
                    said(m.lowest),
                    said(m.highest),
                    median_words(m.median),
                    ratio(m.spread),
                )
                for m in summary.metrics
            ],
            caption=" ".join(notes),
            name="summary",
            records=Records(
                lambda: [
                    {
                        "subject": m.subject,
                        "metric": m.metric,
                        "as_of": day,
                        "claimants": m.claimants,
                        **observed(m.lowest, "lowest_"),
                        **observed(m.highest, "highest_"),
                        "median_low": None if m.median is None else m.median.low,
                        "median_high": None if m.median is None else m.median.high,
                        "spread": m.spread,
                    }
                    for m in summary.metrics
                ]
            ),
        )

    aged_out: dict[int, tuple[set[str], set[str]]] = {}  # per row of the summary, made once

    def place(m: MetricSummary, o: Observation) -> str:
        if summary.as_of is None:
            return NONE
        if id(m) not in aged_out:
            aged_out[id(m)] = ({x.estimate for x in m.older}, {x.claimant for x in m.older})
        estimates, claimants = aged_out[id(m)]
        if o.estimate in estimates and o.claimant in claimants:
            return f"no: {((summary.ages_from or summary.as_of) - o.as_of.end).days} days old"
        if o.derived and not m.from_derived:
            return "no: derived"
        return "yes"

    latest = _table(
        "Latest estimate of each claimant"
        + ("" if summary.as_of is None else f" as of {summary.as_of.isoformat()}"),
        subjects,
        (
            Column("metric"),
            Column("claimant"),
            Column("figure", wrap=True),
            Column("words", wrap=True),
            Column("as of", wrap=True),
            *(() if summary.as_of is None else (Column("in range"),)),
        ),
        [
            (
                m.subject,
                m.metric,
                o.claimant,
                figure(o),
                o.words,
                o.as_of.text,
                *(() if summary.as_of is None else (place(m, o),)),
            )
            for m in summary.metrics
            for o in m.latest
        ],
        name="latest",
        records=Records(
            lambda: (
                {"subject": m.subject, "metric": m.metric, **observed(o)}
                for m in summary.metrics
                for o in m.latest
            )
        ),
    )
    return [
        main,
        latest,
        discrepancies_table(summary.discrepancies, summary.window, summary.discrepancies_total),
    ]


def _verdict(row: Row) -> str:
    verdict = row.verdict
    return "only one side" if verdict is None else f"{MARKERS[verdict]} {VERDICT_WORDS[verdict]}"


def diff_headline(result: Diff) -> str:
    """The summary line: who against whom and how the figures compare."""
    counts = [f"{result.count(v)} {VERDICT_WORDS[v]}" for v in MARKERS]
    one_side = sum(row.verdict is None for row in result.rows)
    line = (
        f"A {result.a.id} ({result.a.kind}) vs B {result.b.id} ({result.b.kind}): "
        f"{_plural(len(result.rows) - one_side, 'pair')} of figures: {', '.join(counts)}"
    )
    if one_side:
        line += f"; {one_side} on one side only"
    if result.only_a or result.only_b:
        line += f"; claims only in {result.a.id}: {len(result.only_a)}, only in {result.b.id}: "
        line += str(len(result.only_b))
    return line


def diff_tables(result: Diff) -> list[Table]:
    def cell(o: Observation | None) -> tuple[str, str]:
        return (NONE, NONE) if o is None else (figure(o), o.as_of.text)

    rows = [
        (
            row.subject,
            row.metric,
            *cell(row.a),
            *cell(row.b),
            signed(row.difference),
            ratio(row.ratio),
            NONE if row.gap is None else str(row.gap),
            _verdict(row),
        )
        for row in result.rows
    ]
    tables = [
        _table(
            diff_headline(result),
            [row.subject for row in result.rows],
            (
                Column("metric"),
                Column("A", wrap=True),
                Column("A as of", wrap=True),
                Column("B", wrap=True),
                Column("B as of", wrap=True),
                Column("B − A", R),
                Column("B ÷ A", R),
                Column("days", R),
                Column("verdict"),
            ),
            rows,
            caption="= agree (same best value), ≈ consistent (some count fits both, allowing "
            "for rounding and for growth between the dates), ≠ conflict (none does), "
            f"… too far apart to compare (more than {result.window} days); days: days apart. "
            "docs/reports.md.",
            name="diff",
            records=Records(
                lambda: [
                    {
                        "subject": row.subject,
                        "metric": row.metric,
                        **observed(row.a, "a_"),
                        **observed(row.b, "b_"),
                        "difference": row.difference,
                        "ratio": row.ratio,
                        "days_apart": row.gap,
                        "verdict": row.verdict.value if row.verdict else "one side only",
                    }
                    for row in result.rows
                ]
            ),
        )
    ]
    if result.a.kind == result.b.kind == "document":
        for letter, side, claims in (
            ("a", result.a.id, result.only_a),
            ("b", result.b.id, result.only_b),
        ):
            tables.append(
                Table(
                    f"Claims only {side} carries",
                    (
                        Column("estimate"),
                        Column("claimant"),
                        Column("metric"),
                        Column("figure", wrap=True),
                    ),
                    tuple((c.estimate, c.claimant, c.metric, c.shown) for c in claims),
                    records=tuple(
                        {
                            "document": side,
                            "estimate": c.estimate,
                            "claimant": c.claimant,
                            "metric": c.metric,
                            "low": c.low,
                            "best": c.best,
                            "high": c.high,
                            "words": c.words,
                        }
                        for c in claims
                    ),
                    name=f"only-in-{letter}",
                )
            )
    return tables


def timeline_tables(result: Timeline) -> list[Table]:
    return [
        _table(
            "Timeline",
            [panel.subject for panel in result.panels],
            (
                Column("metric"),
                Column("as of", wrap=True),
                Column("claimant"),
                Column("figure", wrap=True),
                Column("words", wrap=True),
                Column("interval", wrap=True),
            ),
            [
                (
                    panel.subject,
                    f"{panel.metric} (for a period)" if panel.period else panel.metric,
                    o.as_of.text,
                    o.claimant,
                    figure(o),
                    o.words,
                    format_interval(o.interval),
                )
                for panel in result.panels
                for o in panel.entries
            ],
            name="timeline",
            records=Records(
                lambda: (
                    {"subject": panel.subject, "metric": panel.metric, **observed(o)}
                    for panel in result.panels
                    for o in panel.entries
                )
            ),
        )
    ]


def estimate_tables(result: Estimate) -> list[Table]:
    """The consensus estimate: one row per date, then each claimant's share and influence."""

    def largest(point: EstimatePoint) -> str:
        if not point.shares:
            return NONE
        claimant, share = point.shares[0]
        return f"{claimant} {share:.0%}"

    title = f"Consensus estimate of {result.metric} — {result.subject}"
    if result.independent:
        title += " (independent claimants)"
    points = Table(
        title,
        (
            Column("date"),
            Column("low", R),
            Column("best", R),
            Column("high", R),
            Column("claimants", R),
            Column("largest share", wrap=True),
        ),
        tuple(
            (
                p.day.isoformat(),
                format_count(p.low),
                format_count(p.best),
                format_count(p.high),
                str(len(p.shares)),
                largest(p),
            )
            for p in result.points
        ),
        caption=f"From {_plural(len(result.claims), 'claim')}; 95% interval from a bootstrap "
        "over claimants and the model's error; each claimant weighs at most one at each "
        "date; never past the last claim. Not a count: a summary of the claims. "
        "Method and limits: docs/estimate.md.",
    )
    changes = {s.claimant: s for s in result.sensitivity}
    claimants = Table(
        "Claimants: mean share of the weight, and the largest change when left out",
        (Column("claimant"), Column("share", R), Column("left out", R), Column("at")),
        tuple(
            (
                claimant,
                f"{share:.1%}",
                f"{changes[claimant].change:+.1%}" if claimant in changes else NONE,
                changes[claimant].day.isoformat() if claimant in changes else NONE,
            )
            for claimant, share in result.shares
        ),
    )
    return [points, claimants]
