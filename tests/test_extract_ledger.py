"""extract knows the ledger: claimants matched to sources, relative dates resolved."""

from __future__ import annotations

import pytest

from reconcile.authoring.extract_ledger import LedgerContext
from reconcile.checks.run import check_file
from reconcile.core.dates import parse_span
from reconcile.core.prose_dates import relative_as_of
from tests.conftest import SHIPPED


@pytest.mark.parametrize(
    ("words", "published", "as_of"),
    [
        ("This Monday", "2025-01-13/2025-01-19", "2025-01-13"),  # kursk-diary's briefing
        ("Last week", "2025-01-13/2025-01-19", "2025-01-06/2025-01-12"),
        ("the end of December", "2025-01-13/2025-01-19", "2024-12-20/2024-12-31"),
        ("on Wednesday", "2025-01-17", "2025-01-15"),
        ("on Friday", "2025-01-17", "2025-01-17"),
        ("last Friday", "2025-01-17", "2025-01-10"),
        ("on Saturday", "2025-01-13/2025-01-19", "2025-01-11/2025-01-18"),
        ("yesterday", "2025-03-01", "2025-02-28"),
        ("last month", "2025-03-10", "2025-02-01/2025-02-28"),
        ("on January 9", "2025-01-20", "2025-01-09"),
        ("December 30th", "2025-01-02", "2024-12-30"),
        ("ten days ago", "2025-01-19", "2025-01-09"),
        ("two weeks ago", "2025-01-29", "2025-01-12/2025-01-18"),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(
    words: str, published: str, as_of: str
) -> None:
    resolved = relative_as_of((words,), parse_span(published))
    assert resolved is not None
    assert (resolved.as_of, resolved.words) == (as_of, words)


@pytest.mark.parametrize("words", ["in recent weeks", "recently", "the weekend", "in 2024"])
def test_words_it_does_not_know_give_no_date(words: str) -> None:
    assert relative_as_of((words,), parse_span("2025-01-17")) is None


def test_no_publication_date_no_resolution() -> None:
    assert relative_as_of(("yesterday",), None) is None
    assert relative_as_of(("yesterday",), parse_span("2025")) is None  # a year: too wide


@pytest.fixture(scope="module")
def context() -> LedgerContext:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    return LedgerContext(checked.ledger)


@pytest.mark.parametrize(
    ("guess", "source"),
    [
        ("nis", "nis"),
        ("NIS", "nis"),
        ("South Korean spy agency", "nis"),
        ("South Korea's National Intelligence Service", "nis"),
        ("Ukrainian President Volodymyr Zelensky", "zelensky"),
        ("Washington", "us-government"),
        ("Nikkei Asia", "nikkei"),
        ("Ukrainian intelligence", "ukraine-intelligence"),
        ("The Kremlin", None),
        (None, None),
    ],
)
def test_claimants_are_matched_to_the_ledgers_sources(
    context: LedgerContext, guess: str | None, source: str | None
) -> None:
    assert context.claimant(guess) == source


def test_claimant_of_is_one_answer_for_every_view() -> None:
    """claimant_of: the ledger's source id when it has the guessed name, else an id
    made from the words (marked new), else "unknown"; the words and cue kept."""
    from reconcile.authoring.extract import extract
    from reconcile.authoring.extract_ledger import claimant_of

    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    context = LedgerContext(checked.ledger)
    text = (
        "The South Korean spy agency said 300 soldiers were killed. "
        "The Kremlin said 40 soldiers were captured. 12 soldiers were wounded."
    )
    found = [f for f in extract(text) if f.metric is not None]
    known, new, nobody = (claimant_of(f, context) for f in found)
    assert (known.id, known.known, known.words, known.cue) == (
        "nis",
        True,
        "South Korean spy agency",
        "said",
    )
    assert known.label() == "nis: South Korean spy agency (said)"
    assert (new.id, new.known, new.label()) == ("kremlin", False, "kremlin (new): Kremlin (said)")
    assert (nobody.id, nobody.known, nobody.words, nobody.label()) == (
        "unknown",
        False,
        None,
        "unknown",
    )
    # without a ledger nothing is known; the ids are the drafts' ids
    assert claimant_of(found[0], None).label() == (
        "south-korean-spy-agency (new): South Korean spy agency (said)"
    )
