"""Claimant names that look like one organisation (reconcile/core/names.py)."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.core.names import alike_pairs, looks_alike
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UK MoD", "UK Ministry of Defence"),
        ("CSIS", "The Centre for Strategic and International Studies"),
        ("Mediazona; Meduza (cumulative)", "Mediazona; Meduza"),
        ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
        ("N.I.S.", "NIS"),
    ],
)
def test_real_alias_pairs_look_alike(a: str, b: str) -> None:
    assert looks_alike(a, b) and looks_alike(b, a)


@pytest.mark.parametrize(
    ("a", "b"), [("UK MoD", "US DoD"), ("CIA", "IISS"), ("Pentagon leak", "BBC Russia")]
)
def test_different_organisations_do_not(a: str, b: str) -> None:
    assert not looks_alike(a, b)


def test_the_economist_sources_alike_pairs() -> None:
    with (ROOT / "tests/data/economist-ukraine/estimates.csv").open(encoding="utf-8") as f:
        names = sorted({" ".join(row["source"].split()) for row in csv.DictReader(f)})
    pairs = {frozenset((names[i], names[j])) for i, j in alike_pairs(names)}
    assert frozenset(("UK MoD", "UK Ministry of Defence")) in pairs
    assert frozenset(("CSIS", "The Centre for Strategic and International Studies")) in pairs
    assert len(pairs) == 6


names_st = st.lists(
    st.sampled_from(["UK MoD", "UK Ministry of Defence", "Zelensky", "Zelenskyy", "CSIS",
                     "The Centre for Strategic and International Studies", "NIS", "N.I.S.",
                     "Kyiv", "BBC (Russian)", "BBC", "Volodymyr Zelensky",
                     "Vadym Zelensky"]) | st.text(max_size=12),
    max_size=8,
)  # fmt: skip


@given(names_st, st.booleans())
def test_alike_pairs_is_every_pair_that_looks_alike(names: list[str], spelling: bool) -> None:
    brute = {
        (i, j)
        for j in range(len(names))
        for i in range(j)
        if looks_alike(names[i], names[j], spelling=spelling)
        or looks_alike(names[j], names[i], spelling=spelling)
    }
    assert set(alike_pairs(names, spelling=spelling)) == brute


def test_numbered_names_are_not_abbreviations_of_each_other() -> None:
    names = [f"Source number {n}, a outlet" for n in range(1, 30)]
    assert alike_pairs(names, spelling=False) == []
