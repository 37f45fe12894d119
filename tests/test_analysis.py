"""The analyses: interval logic, observations, summary, discrepancies, diff, timeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.checks.run import check_file
from reconcile.core.dates import parse_span
from reconcile.core.figures import Interval, parse_figure
from reconcile.core.models import Ledger, Metric
from reconcile.reports.diff import SideKind, UnknownSide, Verdict, diff, resolve
from reconcile.reports.discrepancies import Kind, find
from reconcile.reports.observations import Filters, merged_claimants, observations
from reconcile.reports.summary import (
    Median,
    figure_bounds,
    median_of,
    stated_bounds,
    summarise,
)
from reconcile.reports.timeline import timeline
from tests.conftest import SHIPPED

REPORTS = Path(__file__).resolve().parent / "reports"


def load(path: Path) -> Ledger:
    checked = check_file(path)
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="module")
def shipped() -> Ledger:
    return load(SHIPPED)


# --- interval logic -----------------------------------------------------------


def test_overlap_with_open_bounds() -> None:
    more_than_3000 = parse_figure("more than 3,000").interval
    assert more_than_3000.overlaps(parse_figure("3,001").interval)
    assert not more_than_3000.overlaps(parse_figure("3,000").interval)
    assert not parse_figure("nearly 3,800").interval.overlaps(parse_figure("3,800").interval)
    assert parse_figure("around 3,800").interval.overlaps(parse_figure("nearly 3,800").interval)
    assert not parse_figure("around a thousand").interval.overlaps(more_than_3000)


def test_sum_of_open_and_closed_bounds() -> None:
    total = parse_figure("at least 300").interval + parse_figure("2,700").interval
    assert total == Interval(3000, None)
    assert parse_figure("300").interval + parse_figure("almost 2 700").interval == Interval(
        2730, 3000, high_closed=False
    )


intervals = st.builds(
    lambda low, width, open_top, lc, hc: Interval(
        low, None if open_top else low + width + (0 if lc and hc else 2), lc, hc
    ),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@given(intervals, intervals, st.integers(0, 30_000), st.integers(0, 30_000))
def test_sum_holds_every_sum_of_members(a: Interval, b: Interval, x: int, y: int) -> None:
    if a.contains(x) and b.contains(y):
        assert (a + b).contains(x + y)


@given(intervals, intervals)
def test_overlap_is_symmetric_and_exclusive_of_below(a: Interval, b: Interval) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    if a.entirely_below(b):
        assert not a.overlaps(b)


# --- observations: derived totals ----------------------------------------------


def test_derived_casualties_are_marked_and_explained(shipped: Ledger) -> None:
    derived = [o for o in observations(shipped) if o.derived]
    assert len(derived) == 1
    nis = derived[0]
    assert (nis.claimant, nis.metric, nis.best) == ("nis", Metric.CASUALTIES, 3000)
    assert nis.shown == "≥3,000 = ≥300 killed + 2,700 wounded"
    assert nis.interval == Interval(3000, None)


def test_killed_is_never_compared_with_casualties(shipped: Ledger) -> None:
    for found in summarise(shipped).metrics:
        metrics = {found.lowest.metric.value, found.highest.metric.value}
        assert metrics == {found.metric}


def test_filters(shipped: Ledger) -> None:
    def claimants(filters: Filters) -> set[str]:
        return {o.claimant for o in observations(shipped, filters)}

    assert "zelensky" not in claimants(Filters(independent=True))
    assert "pows-paek-ri" not in claimants(Filters(independent=True))
    assert claimants(Filters(claimants=frozenset({"nis"}))) == {"nis"}
    # what had certainly been claimed by 31 December 2024: only the US estimate and
    # Ukrainian intelligence's of 24 October
    by_new_year = observations(shipped, Filters(as_of=parse_span("2024-12-31").end))
    assert {o.estimate for o in by_new_year} == {
        "us-2024-12-casualties",
        "ukraine-intelligence-2024-10-24",
    }
    since = observations(shipped, Filters(since=parse_span("2025-01-13").start))
    assert "us-2024-12-casualties" not in {o.estimate for o in since}
    only = observations(shipped, Filters(metrics=frozenset({Metric.KILLED})))
    assert {o.metric for o in only} == {Metric.KILLED}


# --- summary ---------------------------------------------------------------------


def test_summary_of_casualties_as_of_the_latest_date(shipped: Ledger) -> None:
    result = summarise(shipped)
    assert result.as_of == date(2025, 12, 31)  # the last day of "2025", the latest date
    casualties = next(m for m in result.metrics if m.metric == "casualties")
    # each claimant once, its latest figure: nis's derived total is left out (others
    # stated the total); zelensky's latest is "around 3,800" (6-12 January 2025)
    assert (casualties.estimates, casualties.derived, casualties.claimants) == (3, 0, 3)
    assert (casualties.lowest.claimant, casualties.lowest.shown) == ("us-government", "~1,000")
    assert (casualties.highest.claimant, casualties.highest.shown) == ("nikkei", "~4,000")
    assert casualties.median == Median(3800, 3800)  # 1,000 3,800 4,000: the middle one
    assert casualties.spread == 4.0
    latest = {o.claimant: o.estimate for o in casualties.latest}
    assert latest["zelensky"] == "zelensky-2025-01-casualties"
    assert isinstance(result.to_json()["metrics"][0]["estimates"], int)


def test_summary_history_has_no_median_and_counts_every_figure(shipped: Ledger) -> None:
    result = summarise(shipped, history=True)
    assert result.as_of is None and result.to_json()["mode"] == "history"
    casualties = next(m for m in result.metrics if m.metric == "casualties")
    assert (casualties.estimates, casualties.claimants) == (4, 3)  # zelensky twice
    assert (casualties.median, casualties.spread) == (None, None)


def test_summary_leaves_old_claims_out_of_the_range_and_lists_them(shipped: Ledger) -> None:
    result = summarise(shipped, recent=30)
    deployed = next(m for m in result.metrics if m.metric == "deployed")
    # D is 2025-12-31, set by nikkei's figure dated only "2025", which may have been made
    # on 2025-01-01: ages count from then, and only the figure of 2024-10-24 is 69 days old
    assert result.ages_from == date(2025, 1, 1)
    assert {o.claimant for o in deployed.older} == {"ukraine-intelligence"}
    on_d = summarise(shipped, Filters(as_of=date(2025, 12, 31)), recent=30)
    deployed = next(m for m in on_d.metrics if m.metric == "deployed")
    # D given with --as-of: ages count from D itself
    assert {o.claimant for o in deployed.older} == {
        "ukraine-intelligence", "zelensky", "pows-paek-ri"
    }  # fmt: skip
    assert (deployed.lowest.claimant, deployed.highest.claimant) == ("nikkei", "nikkei")


def test_the_median_is_of_stated_figures(shipped: Ledger) -> None:
    # two claims: the median lies between them, and is shown so, never their midpoint
    two = summarise(shipped, Filters(as_of=date(2025, 1, 13)))
    casualties = next(m for m in two.metrics if m.metric == "casualties")
    assert casualties.median == Median(1000, 3800)  # ~1,000 and ~3,800, never 2,400
    assert two.to_json()["metrics"][3]["median"] == {"low": 1000, "high": 3800}
    assert median_of([(1000, 1000)]) == Median(1000, 1000)
    # one range claim: its stated bounds (CSIS "125,000–150,000"), never 137,500
    assert median_of([(125_000, 150_000)]) == Median(125_000, 150_000)
    # Russia killed on the Economist ledger: the middle lows and highs of six claims
    economist = [(369_000, 523_000), (400_000, 450_000), (500_000, 500_000)]
    economist += [(200_000, 220_000), (500_000, 500_000), (500_000, 500_000)]
    assert median_of(economist) == Median(400_000, 500_000)
    assert median_of([(1, 1), (2, 2), (3, 3), (4, 4)]) == Median(2, 3)
    assert figure_bounds(parse_figure("more than 10,000")) == (10_000, 10_000)
    assert figure_bounds(parse_figure("an estimated 85,600 (75,600–99,600)")) == (85_600,) * 2
    assert figure_bounds(parse_figure("hundreds")) == (300, 300)  # no number: its best


def test_spread_is_of_stated_bounds(shipped: Ledger) -> None:
    nis = next(o for o in observations(shipped) if o.derived and o.metric is Metric.CASUALTIES)
    assert stated_bounds(nis) == (3000, 3000)  # "at least 300" + "2,700"
    ranged = summarise(shipped).metrics[0]
    assert (ranged.lowest_stated, ranged.highest_stated) == (10_000, 12_000)
    assert ranged.spread == 1.2


_NUMBERS = st.integers(1, 2_000_000)


@st.composite
def _stated_figures(draw: st.DrawFn) -> str:
    """A figure in words, with the numbers it states."""
    low = draw(_NUMBERS)
    high = low + draw(st.integers(1, 500_000))
    central = draw(st.integers(low + 1, high)) if high > low + 1 else None
    forms = [f"{low:,}", f"about {low:,}", f"more than {low:,}", f"at least {low:,}"]
    forms += [f"nearly {low:,}", f"up to {low:,}", f"{low:,}–{high:,}"]
    forms += [f"between {low:,} and {high:,}"]
    if central is not None and central < high:
        forms.append(f"an estimated {central:,} ({low:,}–{high:,})")
    return draw(st.sampled_from(forms))


@given(st.lists(_stated_figures(), min_size=1, max_size=9))
def test_every_median_value_is_a_stated_bound(words: list[str]) -> None:
    figures = [parse_figure(w) for w in words]
    stated = {n for f in figures for n in f.numbers}
    median = median_of([figure_bounds(f) for f in figures])
    assert median.low in stated and median.high in stated
    assert median.low <= median.high
    # each side of the median has at most half of the claims strictly beyond it
    assert sum(figure_bounds(f)[1] < median.low for f in figures) <= len(figures) // 2
    assert sum(figure_bounds(f)[0] > median.high for f in figures) <= len(figures) // 2


@given(
    st.lists(
        st.tuples(_stated_figures(), st.integers(0, 400), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_every_summary_median_is_a_bound_its_claims_stated(
    claims: list[tuple[str, int, bool]],
) -> None:
    """Through `summarise`: each claimant's latest figure (some stated as killed and
    wounded, so derived), ranged as of D; the median, lowest and highest shown are
    numbers the claims in the range stated (a derived total: sums of its parts')."""
    estimates = []
    for n, (words, day, parts) in enumerate(claims):
        figures = {"killed": words, "wounded": "1,000"} if parts else {"casualties": words}
        estimates.append(
            {"id": f"e{n}", "claimant": f"c{n % 5}", "as_of": f"2025-01-{day % 28 + 1:02d}",
             **figures, "reported_in": [{"document": "d", "quote": "q"}]}
        )  # fmt: skip
    ledger = Ledger.model_validate(
        {
            "title": "t",
            "subject": "s",
            "sources": [
                {"id": f"c{n}", "name": f"C{n}", "kind": "media", "party": "third-party"}
                for n in range(5)
            ],
            "documents": [{"id": "d", "title": "d", "publisher": None, "published": None}],
            "estimates": estimates,
        }
    )
    result = summarise(ledger)
    for m in result.metrics:
        older = {o.estimate for o in m.older}
        pool = [o for o in m.latest if o.estimate not in older]
        pool = [o for o in pool if not o.derived] or pool
        stated: set[int] = set()
        for o in pool:  # read from the words, not by the code under test
            if o.derived:  # "<words> killed + 1,000 wounded"
                killed = o.words.split(" killed + ")[0]
                stated |= {n + 1000 for n in parse_figure(killed).numbers}
            else:
                stated |= set(parse_figure(o.words).numbers)
        assert m.median is not None
        assert {m.median.low, m.median.high, m.lowest_stated, m.highest_stated} <= stated
        assert m.median.low <= m.median.high


def _dated(ledger: Ledger, document: str, published: str) -> Ledger:
    """The ledger with one document's publication date set."""
    documents = tuple(
        d.model_copy(update={"published": parse_span(published)}) if d.id == document else d
        for d in ledger.documents
    )
    return ledger.model_copy(update={"documents": documents})


def test_default_as_of_is_the_latest_day_a_claim_is_known_to_be_made(shipped: Ledger) -> None:
    result = summarise(shipped, today=date(2026, 11, 30))
    # nikkei's claim is dated "2025" and its one document only "2025" too: the ledger
    # knows it was made by 2025-12-31, and by no earlier day
    assert (result.as_of, result.set_by, result.ages_from) == (
        date(2025, 12, 31), "nikkei-2025", date(2025, 1, 1)
    )  # fmt: skip
    assert result.as_of_note == (
        "D = 2025-12-31: the latest day by which the ledger knows a claim was made "
        "(nikkei-2025, dated 2025); --as-of DATE chooses another. That date is imprecise, "
        "so a figure's age is counted from its first possible day, 2025-01-01."
    )
    deployed = next(m for m in result.metrics if m.metric == "deployed")
    assert "ukraine-intelligence" in {o.claimant for o in deployed.latest}
    assert deployed.older == ()  # 2024-10-24 is 69 days before 2025-01-01, not 433
    as_json = result.to_json()
    assert (as_json["as_of"], as_json["set_by"], as_json["ages_from"]) == (
        "2025-12-31", "nikkei-2025", "2025-01-01"
    )  # fmt: skip


def test_a_year_only_claim_is_made_by_its_documents_publication(shipped: Ledger) -> None:
    only = Filters(claimants=frozenset({"nikkei", "nis"}))
    undated = summarise(shipped, only)
    assert (undated.as_of, undated.set_by) == (date(2025, 12, 31), "nikkei-2025")
    dated = summarise(_dated(shipped, "nikkei-notes", "2025-01-20"), only)
    # "2025" reported in an article of 2025-01-20 was made by 2025-01-20
    assert (dated.as_of, dated.set_by, dated.ages_from) == (
        date(2025, 1, 20), "nikkei-2025", date(2025, 1, 1)
    )  # fmt: skip
    assert dated.as_of_note is not None
    assert "(nikkei-2025, dated 2025, reported in a document published by then)" in (
        dated.as_of_note
    )
    # the whole ledger: Zelensky's ">3,000" and the prisoners' figure are known only by
    # the end of March 2025 (the month of their undated article), the latest
    whole = summarise(_dated(shipped, "nikkei-notes", "2025-01-20"))
    assert (whole.as_of, whole.set_by, whole.ages_from) == (
        date(2025, 3, 31), "pows-paek-ri-deployed", date(2025, 1, 9)
    )  # fmt: skip
    # --as-of reads a claim's date the same way: "certainly claimed by then"
    kept = observations(
        _dated(shipped, "nikkei-notes", "2025-01-20"), Filters(as_of=date(2025, 1, 20))
    )
    assert "nikkei-2025" in {o.estimate for o in kept}
    kept = observations(shipped, Filters(as_of=date(2025, 1, 20)))
    assert "nikkei-2025" not in {o.estimate for o in kept}


def test_as_of_wins_and_the_default_is_never_after_today(shipped: Ledger) -> None:
    chosen = summarise(shipped, Filters(as_of=date(2025, 1, 13)))
    assert (chosen.as_of, chosen.set_by, chosen.ages_from) == (
        date(2025, 1, 13), None, date(2025, 1, 13)
    )  # fmt: skip
    assert chosen.as_of_note == "D = 2025-01-13, chosen with --as-of."
    early = summarise(shipped, today=date(2025, 6, 1))
    assert early.as_of == date(2025, 6, 1)
    assert early.as_of_note is not None
    assert "(nikkei-2025, dated 2025; never after today)" in early.as_of_note
    assert summarise(shipped, history=True).as_of_note is None


def test_summary_uses_a_derived_total_only_when_nobody_stated_one(shipped: Ledger) -> None:
    only_nis = summarise(shipped, Filters(claimants=frozenset({"nis"})))
    casualties = next(m for m in only_nis.metrics if m.metric == "casualties")
    assert casualties.from_derived and casualties.lowest.derived


# --- discrepancies ---------------------------------------------------------------


def test_each_kind_of_discrepancy_is_found_with_its_reason() -> None:
    found = find(load(REPORTS / "discrepant.yaml"))
    assert [(d.rank, d.kind) for d in found] == [
        (1, Kind.CONFLICT),
        (2, Kind.FALLING),
        (3, Kind.WORDING),
    ]
    assert found[0].reason == (
        "beta 5,000 (2025-03-03) vs alpha ~1,000 (2025-03-01): no count fits both even "
        "allowing 1% growth between the dates, 2 days apart"
    )
    assert found[0].factor == 4.09  # 5,000, read as rounded (4,500-5,500), / 1,100
    assert found[1].reason == (
        "alpha's casualties fall from ~1,000 (2025-03-01) to 400 (2025-03-20); "
        "a cumulative toll only rises"
    )
    assert found[2].reason == "gamma's killed reported as 'nearly 200' (a) vs '200' (b)"


def test_parts_above_their_total_are_a_discrepancy() -> None:
    checked = check_file(REPORTS / "parts.yaml")
    assert {i.check for i in checked.issues} == {"part-exceeds-total"}
    assert checked.ledger is not None
    found = find(checked.ledger)
    assert [(d.kind, d.metric, d.estimates) for d in found] == [
        (Kind.PARTS_VS_TOTAL, "killed", ("delta-parts",))
    ]
    assert found[0].reason == (
        "beta: killed (500) is above casualties (300), which count killed and wounded together"
    )


def test_a_clean_ledger_has_no_discrepancy() -> None:
    assert find(load(REPORTS / "clean.yaml")) == []


def test_window_limits_conflicts() -> None:
    ledger = load(REPORTS / "discrepant.yaml")
    assert [d.kind for d in find(ledger, window=1)] == [Kind.FALLING, Kind.WORDING]


def test_no_fall_without_certainly_ordered_dates(shipped: Ledger) -> None:
    # zelensky: ~3,800 (6-12 Jan 2025) and >3,000 (24 Oct 2024 - March 2025): the
    # second's dates contain the first's, so no order, so no fall is claimed.
    assert not [d for d in find(shipped) if d.kind is Kind.FALLING]


def test_shipped_discrepancies(shipped: Ledger) -> None:
    found = find(shipped)
    # nikkei's "around 4,000" is dated only "2025": it may be a year after us-government's
    # "around a thousand" of late December 2024, time enough to grow, so it is no conflict
    assert [d.kind for d in found].count(Kind.CONFLICT) == 3
    assert not [d for d in found if "nikkei-2025" in d.estimates and d.kind is Kind.CONFLICT]
    assert all("us-government" in d.claimants for d in found if d.kind is Kind.CONFLICT)
    assert sorted((d.estimates[0], d.metric) for d in found if d.kind is Kind.WORDING) == [
        ("nis-2025-01-13", "killed"),
        ("nis-2025-01-13", "wounded"),
        ("zelensky-2025-01-casualties", "casualties"),
    ]
    # the NIS's derived casualties (≥300 killed + 2,700 wounded, a sum nobody stated) stay
    # a conflict with the US "around a thousand" (2,700 wounded alone is more), but rank
    # after the conflicts between stated figures
    conflicts = [d for d in found if d.kind is Kind.CONFLICT]
    assert [(d.claimants[0], d.derived) for d in conflicts] == [
        ("zelensky", False), ("zelensky", False), ("nis", True)
    ]  # fmt: skip
    assert conflicts[2].to_json()["derived"] is True
    # synonyms ("more than" / "over", "around" / "approximately") are not discrepancies
    assert not [d for d in found if "nikkei-2025" in d.estimates and d.kind is Kind.WORDING]


# --- diff --------------------------------------------------------------------------


def test_resolve_claimants_documents_and_aliases(shipped: Ledger) -> None:
    assert resolve(shipped, "Washington").id == "us-government"
    assert resolve(shipped, "kursk-diary").kind is SideKind.DOCUMENT
    with pytest.raises(UnknownSide) as caught:
        resolve(shipped, "zelenski")
    assert "zelensky" in caught.value.suggestions


def test_ambiguous_id_needs_a_prefix() -> None:
    assert resolve(load(REPORTS / "discrepant.yaml"), "Alphaland").id == "alpha"
    both = load(REPORTS / "discrepant.yaml")
    renamed = both.model_copy(
        update={"sources": (*both.sources, both.sources[0].model_copy(update={"id": "a"}))}
    )
    with pytest.raises(UnknownSide, match="both a claimant and a document"):
        resolve(renamed, "a")
    assert resolve(renamed, "document:a").kind is SideKind.DOCUMENT
    assert resolve(renamed, "claimant:a").kind is SideKind.CLAIMANT


def test_diff_of_two_claimants(shipped: Ledger) -> None:
    result = diff(shipped, resolve(shipped, "us-government"), resolve(shipped, "zelensky"))
    casualties = [row for row in result.rows if row.metric == "casualties"]
    assert [(r.a and r.a.shown, r.b and r.b.shown, r.verdict) for r in casualties] == [
        ("~1,000", ">3,000", Verdict.CONFLICT),
        ("~1,000", "~3,800", Verdict.CONFLICT),
    ]
    assert (casualties[1].difference, casualties[1].ratio, casualties[1].gap) == (2800, 3.8, 6)


def test_diff_of_two_documents_uses_their_words(shipped: Ledger) -> None:
    result = diff(shipped, resolve(shipped, "kursk-diary"), resolve(shipped, "losses-piling-up"))
    words = {(r.metric, r.a.words, r.b.words) for r in result.rows if r.a and r.b}
    assert ("casualties", "around 3,800", "nearly 3,800") in words
    # losses-piling-up never printed zelensky's "approximately 12,000" deployed: it is
    # not credited with it, so that figure is kursk-diary's alone
    assert [(c.estimate, c.metric) for c in result.only_a] == [
        ("zelensky-2025-01-casualties", "deployed"),
        ("us-2024-12-casualties", "casualties"),
    ]
    assert result.only_b == ()


@given(st.sampled_from(["zelensky", "nis", "us-government", "nikkei", "kursk-diary",
                        "wsj-prisoners", "nikkei-notes", "pows-paek-ri"]))  # fmt: skip
def test_diff_with_itself_finds_no_conflict(name: str) -> None:
    ledger = load(SHIPPED)
    side = resolve(ledger, name)
    result = diff(ledger, side, side)
    assert result.count(Verdict.CONFLICT) == 0
    assert all(row.verdict is Verdict.AGREE for row in result.rows)


@given(st.integers(0, 5000), st.integers(0, 5000), st.sampled_from(["", "about ", "at least "]))
def test_diff_of_one_estimate_with_itself_agrees(killed: int, wounded: int, word: str) -> None:
    from reconcile.core.models import Estimate
    from reconcile.reports.diff import Row
    from reconcile.reports.observations import observe

    estimate = Estimate.model_validate(
        {
            "id": "e",
            "claimant": "x",
            "as_of": "2025-01",
            "killed": f"{word}{killed}",
            "wounded": wounded,
            "reported_in": [{"document": "d", "quote": "q"}],
        }
    )
    ledger = Ledger(title="t", subject="s", estimates=(estimate,))
    for o in observe(ledger, estimate):
        assert Row("s", o.metric.value, o, o).verdict is Verdict.AGREE


# --- timeline ----------------------------------------------------------------------


def test_timeline_orders_by_date_with_one_series_per_claimant(shipped: Ledger) -> None:
    panels = {p.metric: p for p in timeline(shipped).panels}
    casualties = panels["casualties"]
    assert [o.as_of.text for o in casualties.entries] == [
        "2024-10-24/2025-03",
        "2024-12-20/2024-12-31",
        "2025",
        "2025-01-06/2025-01-12",
        "2025-01-13",
    ]
    assert casualties.claimants == ("zelensky", "us-government", "nikkei", "nis")


def test_a_source_whose_aliases_name_another_merges_their_series() -> None:
    """beta listing "Alpha government" among its aliases takes alpha's estimates into its
    series: the conflict between them is gone (one claimant) and the fall is beta's."""
    ledger = load(REPORTS / "discrepant.yaml")
    beta = next(s for s in ledger.sources if s.id == "beta")
    merged = ledger.model_copy(
        update={
            "sources": tuple(
                s.model_copy(update={"aliases": ("Alpha government",)}) if s is beta else s
                for s in ledger.sources
            )
        }
    )
    assert merged_claimants(merged) == {"alpha": "beta"}
    assert {o.claimant for o in observations(merged, Filters(claimants=frozenset({"alpha"})))} == {
        "beta"
    }
    kinds = [(d.kind, d.claimants) for d in find(merged)]
    assert (Kind.CONFLICT, ("beta", "alpha")) not in kinds
    assert not [k for k, _ in kinds if k is Kind.CONFLICT]
    assert [c for k, c in kinds if k is Kind.FALLING] == [("beta",)]


def test_a_document_is_credited_only_with_what_it_printed(shipped: Ledger) -> None:
    """A report that `omits` a metric never inherits the estimate's figure for it: a diff
    of two documents and the wording lines use only what each printed."""
    estimate = next(e for e in shipped.estimates if e.id == "nis-2025-01-13")
    report = estimate.reported_in[-1]
    omitting = report.model_copy(update={"omits": (Metric.KILLED,)})
    changed = estimate.model_copy(update={"reported_in": (*estimate.reported_in[:-1], omitting)})
    ledger = shipped.model_copy(
        update={"estimates": tuple(changed if e is estimate else e for e in shipped.estimates)}
    )
    side = resolve(ledger, f"document:{report.document}")
    other = resolve(ledger, f"document:{estimate.reported_in[0].document}")
    result = diff(ledger, other, side)
    assert ("nis-2025-01-13", "killed") not in {
        (r.b.estimate, r.metric) for r in result.rows if r.b is not None
    }
    assert ("nis-2025-01-13", "killed") in {(c.estimate, c.metric) for c in result.only_a}
    wordings = [d for d in find(ledger) if d.kind is Kind.WORDING and d.metric == "killed"]
    assert all(report.document not in d.reason for d in wordings)


def test_one_statement_recorded_twice_counts_once(shipped: Ledger) -> None:
    first = shipped.estimates[0]
    twice = shipped.model_copy(
        update={"estimates": (*shipped.estimates, first.model_copy(update={"id": "again"}))}
    )
    assert "again" not in {o.estimate for o in observations(twice)}
    assert summarise(twice).to_json()["metrics"] == summarise(shipped).to_json()["metrics"]


def test_a_drop_in_those_deployed_is_a_soft_note_ranked_last() -> None:
    ledger = load(REPORTS / "discrepant.yaml")
    alpha = [e for e in ledger.estimates if e.claimant == "alpha"]
    deployed = tuple(
        e.model_copy(update={"deployed": e.casualties, "casualties": None}) if e in alpha else e
        for e in ledger.estimates
    )
    found = find(ledger.model_copy(update={"estimates": deployed}))
    assert found[-1].kind is Kind.DROP
    assert "troops may have left" in found[-1].reason
    assert not [d for d in found if d.kind is Kind.FALLING]


def test_figures_for_a_period_stay_out_of_running_totals() -> None:
    """beta's "5,000 in three days" is not a running total: not in the summary's range
    (counted apart), a timeline panel of its own, and in a diff set only beside a figure
    for the same period."""
    ledger = load(REPORTS / "discrepant.yaml")
    beta = next(e for e in ledger.estimates if e.claimant == "beta")
    window = beta.model_copy(
        update={"id": "beta-window", "period": parse_span("2025-03-01/2025-03-03")}
    )
    plain = beta.model_copy(update={"id": "beta-plain", "casualties": parse_figure("300")})
    changed = ledger.model_copy(
        update={"estimates": (*(e for e in ledger.estimates if e is not beta), window, plain)}
    )
    casualties = next(m for m in summarise(changed).metrics if m.metric == "casualties")
    assert casualties.period_figures == 1
    assert "beta-window" not in {o.estimate for o in casualties.latest}
    panels = timeline(changed).panels
    assert [(p.metric, p.period) for p in panels if p.metric == "casualties"] == [
        ("casualties", False),
        ("casualties", True),
    ]
    assert {o.estimate for p in panels if p.period for o in p.entries} == {"beta-window"}
    rows = diff(changed, resolve(changed, "beta"), resolve(changed, "alpha")).rows
    assert [(r.a.estimate if r.a else None, r.b) for r in rows if r.a and r.a.period] == [
        ("beta-window", None)
    ]
    assert not [d for d in find(changed) if "beta-window" in d.estimates]


def test_an_estimates_observations_come_in_metric_order(quote_ledgers: list[Path]) -> None:
    """`observe` sorts only when it adds a derived total (its figures come in
    METRICS order already): on every estimate of the three real ledgers, as a
    whole and as each of its documents words it, the metrics are in order."""
    from reconcile.core.models import METRICS
    from reconcile.reports.observations import observe

    order = {metric: n for n, metric in enumerate(METRICS)}
    derived = 0
    for path in quote_ledgers:
        ledger = check_file(path, today=date(2026, 12, 1)).ledger
        assert ledger is not None
        merged = merged_claimants(ledger)
        for estimate in ledger.estimates:
            for document in (None, *(r.document for r in estimate.reported_in)):
                found = observe(ledger, estimate, document, merged)
                ranks = [order[o.metric] for o in found]
                assert ranks == sorted(ranks), (estimate.id, document)
                derived += any(o.derived for o in found)
    assert derived  # the derived total's place was asked for


def test_stated_bounds_read_each_figures_words_once_in_the_reading_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A summary asks the stated bounds of each claim several times (lowest, highest,
    median): each distinct wording is parsed once; the decimal-comma reading in
    force is part of what is remembered ("4.000" is 4,000 with a decimal comma and
    refused without one, whichever was asked first)."""
    from reconcile.core.figures import FigureError
    from reconcile.core.figures import parse_figure as real
    from reconcile.core.numbers import decimal_comma
    from reconcile.reports import summary as module
    from reconcile.reports.summary import stated_bounds, summarise

    parsed: list[str] = []

    def counted(text: str) -> Any:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr("reconcile.reports.summary.parse_figure", counted)
    module._bounds_of.cache_clear()
    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    summarise(ledger, Filters(), 14, 20)
    assert parsed and len(parsed) == len(set(parsed))
    module._bounds_of.cache_clear()
    found = observations(ledger, Filters())[0]
    dotted = found.__class__(**{**_fields(found), "words": "4.000"})
    with decimal_comma(True):
        assert stated_bounds(dotted) == (4000, 4000)
    with pytest.raises(FigureError):
        stated_bounds(dotted)


def _fields(o: Any) -> dict[str, Any]:
    return {name: getattr(o, name) for name in o.__slots__}
