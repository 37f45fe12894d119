"""The quote checks' fast paths against the plain forms they replaced: the same
answers on hypothesis text and on every quote and archived text of the shipped,
Economist and a generated ledger (tests/quotes.py)."""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations, product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.checks import characters, meaning
from reconcile.checks.provenance import Numbers
from reconcile.checks.run import check_file
from reconcile.core import claims
from reconcile.core.claims import merged_ids, statement_key
from reconcile.core.cues import CLAUSE_END, CUE, cue_metric
from reconcile.core.escape import BIDI
from reconcile.core.models import Ledger, Metric
from reconcile.core.numbers import NumberMention
from reconcile.core.text import normalise
from tests.quotes import every_report

_WORDS = st.sampled_from([
    *(" ", "-", "_", ".", "(", ";", ":", "a", "é", "Σ", "ſ", "İ", "K", "ı", "3", "²", "\u0301"),
    *("'", "killed", "KILLED", "Died", "wounded", "injured", "dead", "deaths", "captured"),
    *("pows", "sent", "missing", "unaccounted  for", "killed or wounded", "loss", "while"),
    *("But", " - ", "lost their lives", "prisoners of war", "casualties", "deployed", "kılled"),
])  # fmt: skip
_TEXT = st.lists(_WORDS, max_size=30).map("".join)


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in pattern.finditer(text)]


def _same_cues(text: str, step: int = 1) -> None:
    assert _matches(meaning._CUE, text) == _matches(CUE, text)
    if text.isascii():
        assert _matches(meaning._CUE_LOWER, text.lower()) == _matches(CUE, text)
        for start in range(0, len(text) + 1, step):
            for end in (start, (start + len(text)) // 2, len(text)):
                lower = meaning._CLAUSE_END_LOWER.search(text.lower(), start, end)
                plain = CLAUSE_END.search(text, start, end)
                assert (lower and lower.span()) == (plain and plain.span())


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=30)))
def test_the_cue_patterns_find_what_cues_finds(text: str) -> None:
    _same_cues(text)


def test_the_lower_case_clause_end_was_written_for_core_cues_clause_end() -> None:
    """meaning._CLAUSE_END_LOWER is CLAUSE_END rewritten by hand: if CLAUSE_END
    changes, so must it."""
    assert CLAUSE_END.pattern == r"[;:()]|\s[-–—]\s|\bwhile\b|\bwhereas\b|\bbut\b"
    assert CLAUSE_END.flags == re.IGNORECASE | re.UNICODE


def _cues_after(quote: str, mentions: list[NumberMention]) -> dict[int, frozenset[Metric]]:
    """meaning._cues_after as first written: core/cues.py's patterns as they are."""
    found: dict[int, frozenset[Metric]] = {}
    for position, mention in enumerate(mentions):
        if found.get(mention.value) == frozenset():
            continue
        end = mentions[position + 1].start if position + 1 < len(mentions) else len(quote)
        end = min(end, mention.end + meaning._WINDOW)
        clause = CLAUSE_END.search(quote, mention.end, end)
        window = quote[mention.end : clause.start() if clause else end]
        metrics = frozenset(cue_metric(match) for match in CUE.finditer(window))
        found[mention.value] = (
            found.get(mention.value, frozenset()) | metrics if metrics else (frozenset())
        )
    return found


def _same_cues_after(quote: str) -> None:
    for comma in (False, True):
        mentions = Numbers()[quote, comma]
        found = meaning._cues_after(quote, mentions)
        assert found == _cues_after(quote, mentions)
        # each set of metrics held once for the run (memory: one per number of every quote)
        assert all(metrics is meaning._SETS[metrics] for metrics in found.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.sampled_from(["3", " 3,800 ", " two ", "12 "])), max_size=30))
def test_cues_after_equal_their_reference(parts: list[str]) -> None:
    _same_cues_after(normalise("".join(parts)))


def test_cues_equal_their_reference_on_every_quote_and_text(
    every_quote_and_text: list[str],
) -> None:
    for text in every_quote_and_text:
        _same_cues_after(normalise(text))
        _same_cues(text, step=97)


def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """The claimant's names as meaning first searched them: one regex per source."""
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


_NAME_CHARS = st.sampled_from(["a", "b", "ab", " ", "_", "-", "3", "é", "\u0301", "²", "Σ", "."])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.lists(_NAME_CHARS, min_size=1, max_size=4).map("".join), min_size=1, max_size=3),
    st.lists(_NAME_CHARS, max_size=30).map("".join),
    st.integers(0, 35),
    st.integers(0, 35),
)
def test_names_are_found_where_the_regex_finds_them(
    names: list[str], body: str, start: int, end: int
) -> None:
    wanted = tuple(names)
    expected = _name_pattern(wanted).search(body, start, end) is not None
    assert meaning._named(wanted, body, start, end) is expected


def test_word_characters_are_the_regex_word_characters() -> None:
    word = re.compile(r"\w")
    for code in range(0x110000):
        char = chr(code)
        assert meaning._word(char) is (word.fullmatch(char) is not None)


_BIDI_REFERENCE = re.compile(
    BIDI.pattern[:-1] + r"]|\\(?:u|U0000)(?:202[a-eA-E]|206[6-9]|200[eEfF]|061[cC])"
)
_ESCAPES = st.lists(
    st.sampled_from(["\\", "u", "U", "0000", "202", "e", "E", "f", "6", "9", "061c", "a", " "])
    | st.sampled_from(["\u202e", "\u2066", "\u200f", "\u061c", "\n", "\\\\u202e"]),
    max_size=16,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_ESCAPES, st.text(max_size=20)))
def test_bidi_controls_are_found_where_the_plain_pattern_finds_them(text: str) -> None:
    assert _matches(characters._BIDI_IN_FILE, text) == _matches(_BIDI_REFERENCE, text)


def test_bidi_controls_are_found_in_every_shipped_file_as_the_plain_pattern_finds_them(
    quote_ledgers: list[Path],
) -> None:
    for path in quote_ledgers:
        text = path.read_text(encoding="utf-8")
        for planted in ("", "\u202e", "\\u2066 and \\U0000200F and \\u2067x \\\\u202e \\"):
            assert _matches(characters._BIDI_IN_FILE, text + planted) == _matches(
                _BIDI_REFERENCE, text + planted
            )


def _reference_duplicates(ledger: Ledger) -> dict[int, int]:
    """core/claims.py `_duplicates` as first written: every estimate's reports read."""
    merged = merged_ids(ledger)
    seen: dict[tuple[str, ...], list[tuple[int, set[tuple[str, str]]]]] = {}
    found: dict[int, int] = {}
    for index, estimate in enumerate(ledger.estimates):
        reports = {(r.document, " ".join(r.quote.split())) for r in estimate.reported_in}
        key = statement_key(ledger, estimate, merged)
        for earlier, theirs in seen.get(key, []):
            if reports & theirs:
                found[index] = earlier
                break
        else:
            seen.setdefault(key, []).append((index, reports))
    return found


def _restated(ledger: Ledger) -> Ledger:
    """The ledger with some statements recorded again: the same report with its
    quote's white space changed, another document, or another quote."""
    again = []
    for number, estimate in enumerate(ledger.estimates[::5]):
        report = estimate.reported_in[0]
        change = number % 3
        if change == 0:
            report = report.model_copy(update={"quote": "  " + report.quote.replace(" ", "\n ")})
        elif change == 1:
            report = report.model_copy(update={"document": ledger.documents[0].id})
        else:
            report = report.model_copy(update={"quote": report.quote + " More."})
        again.append(
            estimate.model_copy(update={"id": f"{estimate.id}-again", "reported_in": [report]})
        )
    return ledger.model_copy(update={"estimates": [*ledger.estimates, *again]})


def test_duplicates_equal_their_reference(quote_ledgers: list[Path]) -> None:
    for path in quote_ledgers:
        ledger = check_file(path, today=date(2026, 12, 1)).ledger
        assert ledger is not None
        restated = _restated(ledger)
        found = claims._duplicates(restated)
        assert found == _reference_duplicates(restated)
        keys = [claims.figures_key(e) for e in restated.estimates]  # as evidence passes them
        assert claims._duplicates(restated, keys) == found
        assert found  # restated statements are found
        assert claims._duplicates(ledger) == _reference_duplicates(ledger)


def _reference_re_reports(
    ledger: Ledger, folded: set[int], figures: list[tuple[tuple[str, str], ...]]
) -> list[tuple[str, str]]:
    """checks/evidence.py `_re_reports` as first written: (estimate, earlier) pairs."""
    merged = merged_ids(ledger)
    earlier: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[int]] = {}
    order = sorted(
        (estimate.as_of.start, estimate.as_of.end, i)
        for i, estimate in enumerate(ledger.estimates)
        if i not in folded
    )
    found = []
    for _, _, index in order:
        estimate = ledger.estimates[index]
        claimant = merged.get(estimate.claimant, estimate.claimant)
        key = (claimant, ledger.subject_of(estimate), figures[index])
        for before in earlier.get(key, []):
            first = ledger.estimates[before]
            if first.as_of.end < estimate.as_of.start and not (
                {r.document for r in estimate.reported_in} & {r.document for r in first.reported_in}
            ):
                found.append((estimate.id, first.id))
                break
        earlier.setdefault(key, []).append(index)
    return found


def test_re_reports_equal_their_reference(quote_ledgers: list[Path]) -> None:
    """Restated claims dated later, some in other documents, some the same day: the
    re-report check finds exactly what its first form found, in the same order."""
    from datetime import timedelta
    from typing import cast

    from reconcile.checks import evidence
    from reconcile.core.dates import DateSpan
    from reconcile.core.issues import Location
    from reconcile.ingest.origins import Origins

    class Nowhere:  # the restated estimates were never read from a file
        def at(self, *_: object) -> Location:
            return Location("ledger.yaml", 0, 0)

    every = []
    for path in quote_ledgers:
        ledger = check_file(path, today=date(2026, 12, 1)).ledger
        assert ledger is not None
        restated = _restated(ledger)
        later = []
        for number, estimate in enumerate(restated.estimates[len(ledger.estimates) :]):
            span = estimate.as_of
            shift = timedelta(days=40 * (number % 4))  # 0: the same date, no re-report
            moved = DateSpan(span.start + shift, span.end + shift, span.text)
            later.append(estimate.model_copy(update={"as_of": moved}))
        dated = restated.model_copy(update={"estimates": [*ledger.estimates, *later]})
        keys = [claims.figures_key(e) for e in dated.estimates]
        folded = set(claims._duplicates(dated, keys))
        found = [
            (issue.message.split("'")[1], issue.message.split("'")[3])
            for issue in evidence._re_reports(dated, cast(Origins, Nowhere()), folded, keys)
        ]
        assert found == _reference_re_reports(dated, folded, keys)
        every.append(len(found))
    assert all(every[1:]), every  # found in the Economist and the generated ledger


def test_each_estimates_figures_key_is_made_once_per_run(
    quote_ledgers: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """duplicates and the re-report check share each estimate's figures key (it was
    made twice per estimate)."""
    from collections import Counter

    from reconcile.checks import evidence
    from reconcile.core.models import Estimate

    made = Counter[int]()
    real = claims.figures_key

    def counted(estimate: Estimate) -> tuple[tuple[str, str], ...]:
        made[id(estimate)] += 1
        return real(estimate)

    monkeypatch.setattr(claims, "figures_key", counted)
    monkeypatch.setattr(evidence, "figures_key", counted)
    for path in quote_ledgers:
        made.clear()
        claims._LAST.clear()
        checked = check_file(path, today=date(2026, 12, 1))
        assert checked.ledger is not None
        assert sorted(made) == sorted(id(e) for e in checked.ledger.estimates)
        assert max(made.values()) == 1


def _same_lowered(body: str, quote: str, prefix: int = meaning.PREFIX) -> None:
    """`meaning._found_lowered` against the reference, `body.lower()` searched whole:
    the same place, and the same lower-case text up to the end of the quote's window."""
    folded = quote.lower()
    whole = body.lower()
    at = whole.find(folded)
    lowered: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(meaning, "PREFIX", prefix)
        found = meaning._found_lowered(body, quote, folded, lowered, {})
    if at < 0:
        assert found is None, (body, quote)
        return
    assert found is not None, (body, quote)
    text, where = found
    assert where == at, (body, quote)
    end = at + len(folded) + meaning.AFTER
    assert len(text) >= min(end, len(whole))
    assert text == whole[: len(text)], (body, quote)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(_WORDS, st.sampled_from(["Officials", "OFFICIALS", "said"])), max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([meaning.PREFIX, 8, 300]),
)
def test_the_quotes_place_in_lower_case_is_the_whole_texts(
    parts: list[str], begin: int, length: int, prefix: int
) -> None:
    """On hypothesis text ('İ', 'Σ', 'K' among its words), quotes cut from it, in other
    case too, with `PREFIX` small enough to take each way."""
    body = normalise("".join(parts))
    quote = body[begin : begin + length]
    for each in (quote, quote.upper(), quote.lower(), "officials"):
        if each:
            _same_lowered(body, each, prefix)


def test_the_quotes_place_in_lower_case_on_every_quote_and_text(
    quote_ledgers: list[Path],
) -> None:
    compared = 0
    for checked, _, report in every_report(quote_ledgers):
        text = checked.texts.get(report.document)
        if text is not None:
            for prefix in (meaning.PREFIX, 200):
                _same_lowered(normalise(text), normalise(report.quote), prefix)
            compared += 1
    assert compared > 300


def test_printed_figures_equal_printed_by(quote_ledgers: list[Path]) -> None:
    """provenance's `_printed` against `Estimate.printed_by`, on every report of the
    shipped, Economist and a benchmark ledger, each quote read both ways, and with
    every subset of the figures' numbers as what the quote said."""
    from reconcile.checks import provenance

    compared = 0
    for _, estimate, report in every_report(quote_ledgers):
        own = estimate.figures()
        numbers = sorted({n for f in own.values() for n in f.numbers})
        said_sets = [
            {m.value for m in Numbers()[normalise(report.quote), comma]} for comma in (False, True)
        ]
        if len(numbers) <= 4:
            said_sets += [set(c) for k in range(3) for c in combinations(numbers, k)]
        for comma, said in product((False, True), said_sets):
            assert provenance._printed(estimate, report, own, comma, said) == estimate.printed_by(
                report, comma=comma, said=said
            ), estimate.id
            compared += 1
    assert compared > 1000
