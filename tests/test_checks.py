"""Unit tests of the checks that carry judgement: provenance and consistency."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.checks import provenance
from reconcile.core import consistency
from reconcile.core.issues import Issue
from reconcile.core.models import Estimate
from reconcile.core.text import normalise
from reconcile.ingest.loader import load_text
from reconcile.ingest.origins import Origins
from tests.conftest import WriteLedger


def estimate(quote: str, **figures: Any) -> Estimate:
    return Estimate.model_validate(
        {
            "id": "e",
            "claimant": "c",
            "as_of": "2025-01-13",
            "reported_in": [{"document": "d", "quote": quote}],
            **figures,
        }
    )


@pytest.mark.parametrize(
    ("copied", "archived"),
    [
        ("Pyongyang’s losses", "Pyongyang's losses"),
        ("“died or been injured”", '"died or been injured"'),
        ("the front — in Kursk", "the front - in Kursk"),
        ("300 dead and\n   2 700 injured", "300 dead and 2 700 injured"),
        ("12\u00a0000 soldiers", "12 000 soldiers"),
        ("New Yearʼs greeting", "New Year's greeting"),
    ],
)
def test_normalise_folds_what_copying_changes(copied: str, archived: str) -> None:
    assert normalise(copied) == normalise(archived)


def test_normalise_keeps_words_and_case() -> None:
    assert normalise("At least 300") != normalise("at least 300")
    assert normalise("nearly 3,800") != normalise("around 3,800")


def test_first_difference_points_after_the_matching_prefix() -> None:
    body = normalise("Officials said that at least 300 soldiers were killed.")
    hint = provenance._first_difference(
        "Officials said that at least 300 soldiers were slain.", body
    )
    expected = "the document matches up to '…said that at least 300 soldiers were '"
    assert hint == expected + " and differs after it"
    assert "not even its first character" in provenance._first_difference("zzz", body)


@pytest.mark.parametrize(
    ("quote", "figure", "problem"),
    [
        ("at least 300 died", "300", "the quote says 'at least 300' but the ledger records '300'"),
        (
            "nearly 3,800 were hurt",
            "around 3,800",
            "the quote says 'nearly 3,800' but the ledger records 'around 3,800'",
        ),
        (
            "over 10,000 sent",
            "more than 10,000",
            "the quote says 'over 10,000' but the ledger records 'more than 10,000'",
        ),
        (
            "3,800 were hurt",
            "about 3,800",
            "the ledger says 'about 3,800' but the quote gives the bare number",
        ),
    ],
)
def test_flattened_words_are_found(quote: str, figure: str, problem: str) -> None:
    issues = _figure_issues(estimate(quote, killed=figure))
    assert [(i.check, i.message) for i in issues] == [
        ("wording-not-in-quote", f"killed: {problem}")
    ]


@pytest.mark.parametrize(
    ("quote", "figure"),
    [
        ("at least 300 died", "at least 300"),
        ("around a thousand were killed", "around a thousand"),
        ("two fighters had been captured", "two"),
        ("~3,800 hurt", "~3800"),
        ("between 10,000 and 12,000 deployed", "10,000-12,000"),
        ("hundreds were killed", "hundreds"),
    ],
)
def test_faithful_words_pass(quote: str, figure: str) -> None:
    assert _figure_issues(estimate(quote, killed=figure)) == []


def test_a_figure_missing_from_every_quote_is_an_error() -> None:
    issues = _figure_issues(estimate("at least 300 died", killed="at least 300", wounded="2,700"))
    assert [(i.check, i.message) for i in issues] == [
        ("figure-not-in-quote", "wounded '2,700' does not occur in any of its quotes")
    ]


@pytest.mark.parametrize(
    ("figures", "problems"),
    [
        ({"killed": "300", "wounded": "2700", "casualties": "3000"}, []),
        ({"killed": "at least 300", "wounded": "2,700", "casualties": "around 3,000"}, []),
        ({"killed": "more than 3000", "casualties": "3000"}, ["part-exceeds-total"]),
        ({"killed": "at least 3000", "casualties": "3000"}, []),
        ({"killed": "300", "wounded": "2700", "casualties": "5000"}, ["sum-mismatch"]),
        ({"killed": "hundreds", "wounded": "thousands", "casualties": "about 4,000"}, []),
        ({"deployed": "12,000", "casualties": "more than 12,000"}, ["exceeds-deployed"]),
        ({"deployed": "about 12,000", "casualties": "12,500"}, []),
        ({"deployed": "more than 10,000", "captured": "two"}, []),
    ],
)
def test_consistency_reports_only_what_must_be_wrong(
    figures: dict[str, str], problems: list[str]
) -> None:
    found = consistency.problems(estimate("q", **figures))
    assert [check for check, _, _ in found] == problems


def _figure_issues(one: Estimate) -> list[Issue]:
    """Provenance's figure checks on one estimate, as `provenance.check` runs them."""
    quotes = [normalise(report.quote) for report in one.reported_in]
    return provenance._figures(one, _where(one), quotes, provenance._Numbers())


def _where(one: Estimate) -> Origins:
    """Origins for one estimate, at line 2 of a small file."""
    loaded = load_text("estimates:\n  - id: e\n", "l.yaml")
    return Origins.of(loaded, {"estimates": [one]}, {"estimates": [(loaded, 0)]})


def test_one_statement_in_two_included_files_is_located_there_and_counted_once(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    """Issue 15 item 5: 'fold one statement recorded in several included files'.
    The same statement (claimant, date, figures, report) in two included files:
    a warning at the second one's id, in its own file, and every report counts
    the statement once."""
    from reconcile.checks.run import check_file
    from reconcile.reports.summary import summarise

    header, estimates = valid_text.split("estimates:\n")
    entry = "estimates:\n" + estimates
    (tmp_path / "a.yaml").write_text(entry, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(entry.replace("id: e1", "id: e1-again"), encoding="utf-8")
    path = write_ledger(
        header.replace("archive: archive", "archive: archive\ninclude: [a.yaml, b.yaml]")
    )
    checked = check_file(path)
    found = [(str(i.location), i.check) for i in checked.issues]
    assert found == [(f"{tmp_path / 'b.yaml'}:2:9", "duplicate-statement")], found
    assert checked.ledger is not None
    killed = next(m for m in summarise(checked.ledger).metrics if m.metric == "killed")
    assert (killed.estimates, killed.claimants) == (1, 1)


# --- as-of-not-in-quote: what a quote says about time (checks/timing.py) -----


def _dated(
    write_ledger: WriteLedger,
    valid_text: str,
    sentence: str,
    quote: str,
    edits: dict[str, str] | None = None,
) -> Any:
    """The gallery ledger with its article replaced by `sentence` and its quote by `quote`."""
    from reconcile.checks.run import check_file

    path = write_ledger(valid_text)
    (path.parent / "archive" / "article.txt").write_text(sentence + "\n", encoding="utf-8")
    text = valid_text.replace(
        "quote: officials said that at least 300 soldiers were killed and about 2,700 were wounded",
        f"quote: {quote}",
    )
    for old, new in (edits or {}).items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return check_file(path, display="ledger.yaml")


QUOTE_300 = "officials said that at least 300 soldiers were killed and about 2,700 were wounded"


def test_a_year_in_the_quote_that_as_of_does_not_overlap_is_a_located_warning(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    checked = _dated(write_ledger, valid_text, f"In 2023, {QUOTE_300}.", f"In 2023, {QUOTE_300}")
    found = [(str(i.location), i.check, i.message) for i in checked.issues]
    assert found == [
        (
            "ledger.yaml:23:16",
            "as-of-not-in-quote",
            "the quote dates it 'In 2023', which as_of 2025-01-10 does not overlap",
        )
    ]


def test_the_sentence_around_the_quote_is_read_too(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """The quote starts after the date; its sentence in the archived text has it."""
    checked = _dated(write_ledger, valid_text, f"On 3 March 2024, {QUOTE_300}.", QUOTE_300)
    assert [(i.check, i.message) for i in checked.issues] == [
        (
            "as-of-not-in-quote",
            "the quote (in its sentence) dates it '3 March 2024', which as_of 2025-01-10 "
            "does not overlap",
        )
    ]


@pytest.mark.parametrize(
    ("sentence", "edits"),
    [
        # one stated date overlapping as_of is enough: the other dates the events
        (f"On January 10, 2025, {QUOTE_300} in 2023.", {}),
        # the figure covers 2023 and the estimate says so
        (f"In 2023, {QUOTE_300}.", {"as_of: 2025-01-10": 'as_of: 2025-01-10\n    period: "2023"'}),
        # as_of a year, the quote a day of it
        (f"On 10 January 2025, {QUOTE_300}.", {"as_of: 2025-01-10": 'as_of: "2025"'}),
        # years that are not dates
        (f"Since 2022, {QUOTE_300}.", {}),
        (f"During the 2022 invasion {QUOTE_300}.", {}),
        # no year: not judged
        (f"On January 9 {QUOTE_300}.", {}),
    ],
)
def test_quotes_whose_dates_agree_or_are_not_dates_pass(
    write_ledger: WriteLedger, valid_text: str, sentence: str, edits: dict[str, str]
) -> None:
    checked = _dated(write_ledger, valid_text, sentence, QUOTE_300, edits)
    assert [str(i) for i in checked.issues] == []


def test_an_acknowledged_date_warning_is_set_aside_and_counted(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    checked = _dated(
        write_ledger,
        valid_text,
        f"In 2023, {QUOTE_300}.",
        QUOTE_300,
        {
            "    reported_in:": "    acknowledged:\n      as-of-not-in-quote: the claim restates"
            " its 2023 count\n    reported_in:"
        },
    )
    assert checked.issues == ()
    assert [i.check for i in checked.acknowledged] == ["as-of-not-in-quote"]


def test_real_ledgers_have_no_date_warning(tmp_path: Path) -> None:
    """The shipped ledger (one quote dated 'October 24, 2024', as of that day) and the
    Economist's 124 claims (placeholder quotes) have no quote dated outside as_of."""
    from reconcile.checks.run import check_file
    from tests.conftest import SHIPPED
    from tests.economist import import_ledger

    for path in (SHIPPED, import_ledger(tmp_path)):
        checked = check_file(path)
        assert [str(i) for i in checked.issues if i.check == "as-of-not-in-quote"] == []
        assert [i for i in checked.acknowledged if i.check == "as-of-not-in-quote"] == []


def test_a_date_far_from_the_quote_in_one_long_sentence_is_not_read(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """A text without full stops is one "sentence": only AROUND characters either side
    of the quote are read (a bounded cost per quote, and a date that far away is
    another matter's)."""
    from reconcile.checks.timing import AROUND

    far = f"In 2023 {'and more ' * (AROUND // 8 + 10)}{QUOTE_300} and so on"
    near = f"{'and more ' * (AROUND // 8 + 10)}in 2023, {QUOTE_300} and so on"
    assert _dated(write_ledger, valid_text, far, QUOTE_300).issues == ()
    checked = _dated(write_ledger, valid_text, near, QUOTE_300)
    assert [i.check for i in checked.issues] == ["as-of-not-in-quote"]


@given(
    st.integers(min_value=1990, max_value=2030),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
    st.sampled_from(["In {}, officials", "officials said in {} that", "during {} some"]),
)
def test_a_stated_year_warns_exactly_when_as_of_does_not_overlap_it(
    year: int, day: date, precision: str, form: str
) -> None:
    """The rule itself, over any year and any as_of (a day, a month or a year): a
    warning, located at the quote, exactly when the two do not overlap."""
    from reconcile.checks import timing
    from reconcile.checks.context import Context
    from reconcile.core.models import Ledger

    as_of = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}
    quote = form.format(year) + " 300 soldiers were killed"
    one = Estimate.model_validate(
        {
            "id": "e",
            "claimant": "c",
            "as_of": as_of[precision],
            "killed": "300",
            "reported_in": [{"document": "d", "quote": quote}],
        }
    )
    ledger = Ledger.model_validate({"title": "t", "subject": "s", "estimates": [one]})
    kept = ledger.estimates[0]
    loaded = load_text("estimates:\n  - id: e\n", "l.yaml")
    origins = Origins.of(loaded, {"estimates": [kept]}, {"estimates": [(loaded, 0)]})
    issues = timing.check(Context(ledger, origins))
    assert [i.check for i in issues] == ([] if day.year == year else ["as-of-not-in-quote"])
    assert all(str(i.location) == "l.yaml:2:5" for i in issues)


def _one_quote_two_languages(english_first: bool) -> str:
    """The gallery ledger with one quote cited through two documents naming the same
    archived file, one of them in German: '4.000' is 4,000 captured there, and no
    count at all in English."""
    documents = (
        "  - id: artikel\n    path: article.txt\n    title: Ein Artikel\n"
        "    publisher: Die Probe\n    published: 2025-01-12\n    language: de\n"
    )
    quote = "Later, 4.000 soldiers were captured and 120 wounded."
    english = (
        "  - id: en\n    claimant: officials\n    as_of: 2025-01-10\n    wounded: 120\n"
        f"    reported_in:\n      - document: article\n        quote: {quote}\n"
    )
    german = (
        "  - id: de\n    claimant: officials\n    as_of: 2025-01-11\n    killed: 4,000\n"
        f"    reported_in:\n      - document: artikel\n        quote: {quote}\n"
    )
    head = (GALLERY_LEDGER).split("estimates:\n")[0]
    both = english + german if english_first else german + english
    return head.replace("documents:\n", "documents:\n" + documents, 1) + "estimates:\n" + both


GALLERY_LEDGER = (Path(__file__).parent / "gallery" / "valid.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("english_first", [True, False])
def test_a_quote_cited_in_two_languages_is_read_for_its_cues_in_each(
    write_ledger: WriteLedger, english_first: bool
) -> None:
    """meaning kept each quote's cue words by the quote alone, so a quote cited
    through an English and a German document got the reading of whichever came
    first: in German its '4.000 soldiers were captured' is 4,000 captured, which
    the German estimate records as killed; read in English there is no 4,000."""
    from reconcile.checks.run import check_file

    path = write_ledger(_one_quote_two_languages(english_first))
    archive = path.parent / "archive" / "article.txt"
    archive.write_text(
        archive.read_text(encoding="utf-8")
        + "\nLater, 4.000 soldiers were captured and 120 wounded.\n",
        encoding="utf-8",
    )
    checked = check_file(path, today=date(2026, 12, 1))
    found = sorted((i.check, i.message) for i in checked.issues)
    assert found == [
        ("metric-not-in-quote", "killed '4,000': its quotes give this number as captured")
    ]
