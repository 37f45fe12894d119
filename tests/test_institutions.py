"""Institutional synonyms (reconcile/core/institutions.py and its institutions.toml):
one organisation under names that share no spelling, suggested and never merged."""

from __future__ import annotations

import csv

import pytest

from reconcile.core.institutions import institutions, mentioned, synonym_pairs
from reconcile.core.names import name_words
from tests.conftest import ROOT


def test_the_table_is_well_formed_and_unambiguous() -> None:
    table = institutions()
    assert len(table) >= 10
    seen: dict[tuple[str, ...], str] = {}
    for institution in table:
        assert institution.name and institution.why and institution.names
        for name in institution.names:
            run = tuple(name_words(name))
            assert run, name
            # a listed name belongs to one institution only, and mentions only it
            assert seen.setdefault(run, institution.name) == institution.name, name
            assert [i.name for i in mentioned(name)] == [institution.name], name


@pytest.mark.parametrize(
    ("name", "institution"),
    [
        ("Pentagon leak", "the US Department of Defense"),
        ("US DoD", "the US Department of Defense"),
        ("U.S. DoD", "the US Department of Defense"),
        ("US Sec of Def", "the US Department of Defense"),
        ("the Pentagon (via NYT)", "the US Department of Defense"),
        ("UK Defence Intelligence", "the UK Ministry of Defence"),
        ("Russian Ministry of Defense", "the Russian Ministry of Defence"),
        ("Kremlin spokesman", "the Russian presidency"),
        ("South Korea's spy agency", "South Korea's National Intelligence Service"),
        ("National Intelligence Service of South Korea (NIS)",
         "South Korea's National Intelligence Service"),
    ],
)  # fmt: skip
def test_a_name_mentions_its_institution(name: str, institution: str) -> None:
    assert [i.name for i in mentioned(name)] == [institution]


@pytest.mark.parametrize(
    "name",
    [
        "Ministry of Defence",  # every country has one: a bare generic name says nothing
        "US officials (via NYT)",
        "US intelligence services",  # the intelligence community, not the Pentagon
        "Pentagonal Research",  # a whole word only
        "Dodge county sheriff",
        "Mediazona; Meduza",
    ],
)
def test_other_names_mention_none(name: str) -> None:
    assert mentioned(name) == []


def test_a_country_keeps_generic_names_apart() -> None:
    names = ["UK MoD", "Russian Ministry of Defense", "Ukrainian MoD", "UK Foreign ministry"]
    assert synonym_pairs(names) == []


def test_the_economist_sources_name_one_institution() -> None:
    with (ROOT / "tests/data/economist-ukraine/estimates.csv").open(encoding="utf-8") as f:
        names = list(dict.fromkeys(" ".join(row["source"].split()) for row in csv.DictReader(f)))
    pairs = {(names[i], names[j], found.name) for i, j, found in synonym_pairs(names)}
    # each paired with the shortest name of its institution, so that following every
    # suggestion makes one source; UK MoD / UK Ministry of Defence is found by spelling too
    assert pairs == {
        ("UK MoD", "UK Ministry of Defence", "the UK Ministry of Defence"),
        ("Pentagon leak", "US DoD", "the US Department of Defense"),
        ("US Sec of Def", "US DoD", "the US Department of Defense"),
    }


def test_many_names_of_one_institution_give_one_suggestion_each() -> None:
    names = [f"Pentagon briefing {n}" for n in range(2_000)] + ["DoD"]
    pairs = synonym_pairs(names)
    assert len(pairs) == 2_000  # each paired with "DoD", never every pair
    assert {j for _, j, _ in pairs} == {2_000}
