"""The extractor, on text written for the tests and on the seeds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.authoring.extract import Confidence, Extracted, Kind, extract, sentences
from reconcile.core.figures import Qualifier
from reconcile.core.models import Metric


def figures(text: str) -> list[Extracted]:
    return [f for f in extract(text) if f.kind is Kind.FIGURE]


def one(text: str) -> Extracted:
    found = figures(text)
    assert len(found) == 1, [f.phrase for f in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Officials said 3800 soldiers were killed.", 3800),
        ("Officials said 3,800 soldiers were killed.", 3800),
        ("Officials said 3 800 soldiers were killed.", 3800),
        ("Officials said 3\u00a0800 soldiers were killed.", 3800),
        ("Officials said 12 thousand soldiers were killed.", 12000),
        ("Officials said a thousand soldiers were killed.", 1000),
        ("Officials said two soldiers were killed.", 2),
        ("Officials said twelve thousand soldiers were killed.", 12000),
    ],
)
def test_each_grouping_and_word_form(text: str, value: int) -> None:
    found = one(text)
    assert found.figure.numbers == (value,)
    assert found.metric is Metric.KILLED


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("at least 300", Qualifier.AT_LEAST),
        ("nearly 300", Qualifier.NEARLY),
        ("almost 300", Qualifier.NEARLY),
        ("more than 300", Qualifier.MORE_THAN),
        ("over 300", Qualifier.MORE_THAN),
        ("around 300", Qualifier.ABOUT),
        ("approximately 300", Qualifier.ABOUT),
        ("up to 300", Qualifier.UP_TO),
        ("fewer than 300", Qualifier.FEWER_THAN),
        ("300 or more", Qualifier.AT_LEAST),
    ],
)
def test_each_qualifier_is_kept(phrase: str, qualifier: Qualifier) -> None:
    text = f"The ministry said {phrase} soldiers were wounded."
    found = one(text)
    assert found.phrase == phrase
    assert found.figure.qualifier is qualifier
    assert text[found.start : found.end] == phrase
    assert found.metric is Metric.WOUNDED


@pytest.mark.parametrize(
    ("phrase", "numbers"),
    [
        ("10,000-12,000", (10000, 12000)),
        ("10,000–12,000", (10000, 12000)),
        ("between 10,000 and 12,000", (10000, 12000)),
        ("from 10,000 to 12,000", (10000, 12000)),
    ],
)
def test_ranges_are_one_figure(phrase: str, numbers: tuple[int, int]) -> None:
    found = one(f"Seoul said {phrase} troops were deployed to Russia.")
    assert found.figure.qualifier is Qualifier.RANGE
    assert found.figure.numbers == numbers
    assert found.phrase == phrase
    assert found.metric is Metric.DEPLOYED


def test_vague_amounts_with_a_casualty_word() -> None:
    found = one("Analysts said hundreds of soldiers were killed in the assault.")
    assert found.phrase == "hundreds"
    assert found.figure.qualifier is Qualifier.VAGUE
    assert found.numbers == ()
    assert found.confidence is Confidence.LOW


@pytest.mark.parametrize(
    ("text", "claimant", "cue"),
    [
        ("The Defence Ministry said 400 soldiers were killed.", "Defence Ministry", "said"),
        ("400 soldiers were killed, the Defence Ministry said.", "Defence Ministry", "said"),
        ("According to Ukrainian intelligence, 400 soldiers were killed.", "Ukrainian intelligence",
         "According to"),
        ("400 soldiers were killed, according to the Pentagon.", "Pentagon", "according to"),
        ("Kyiv estimated that 400 soldiers were killed.", "Kyiv", "estimated"),
    ],
)  # fmt: skip
def test_attribution_before_and_after_the_number(text: str, claimant: str, cue: str) -> None:
    found = one(text)
    assert (found.claimant, found.claimant_cue) == (claimant, cue)
    assert found.confidence is Confidence.HIGH


@pytest.mark.parametrize(
    ("text", "metric", "cue"),
    [
        ("Officials said 50 soldiers were killed or wounded.", Metric.CASUALTIES,
         "killed or wounded"),
        ("Officials said the army suffered 50 casualties.", Metric.CASUALTIES, "casualties"),
        ("Officials said 50 soldiers died.", Metric.KILLED, "died"),
        ("Officials said 50 soldiers were injured.", Metric.WOUNDED, "injured"),
        ("Officials said 50 soldiers were taken prisoner.", Metric.CAPTURED, "taken prisoner"),
        ("Officials said 50 soldiers are missing.", Metric.MISSING, "missing"),
        ("Officials said 5,000 troops were sent to the front.", Metric.DEPLOYED, "sent"),
        ("Officials said 300 soldiers sent to the front have died.", Metric.KILLED, "died"),
    ],
)  # fmt: skip
def test_metric_and_its_cue(text: str, metric: Metric, cue: str) -> None:
    found = one(text)
    assert (found.metric, found.metric_cue) == (metric, cue)


def test_part_of_a_whole() -> None:
    found = figures(
        "Zelensky said around 3,800 of the approximately 12,000 soldiers deployed had died "
        "or been injured."
    )
    assert [(f.phrase, f.metric) for f in found] == [
        ("around 3,800", Metric.CASUALTIES),
        ("approximately 12,000", Metric.DEPLOYED),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Paek (21) said he was captured.", "an age"),
        ("A 26-year-old soldier was killed.", "an age"),
        ("He was wounded for five days before he was captured.", "a duration"),
        ("In a three-minute video, the soldier was wounded.", "a duration"),
        ("He was killed on January 9 near the village.", "a date"),
        ("Soldiers were killed in November 2024.", "a date"),
        ("The war killed soldiers in 2024, officials said.", "a year"),
        ("They paid $500 to the families of those killed.", "money"),
        ("Russia lost 40 tanks and many soldiers were killed.", "a count of things, not people"),
        ("One of them was wounded.", "'one' as a pronoun"),
    ],
)
def test_figures_that_must_be_ignored(text: str, reason: str) -> None:
    found = extract(text)
    assert found, text
    assert all(f.kind is not Kind.FIGURE for f in found)
    assert any(reason in f.kind_reason for f in found), [f.kind_reason for f in found]


def test_unit_sizes_and_breakdowns_are_people_but_not_figures() -> None:
    found = extract(
        "As part of a detachment of 10 soldiers, he was wounded. There are 12,000 soldiers, "
        "including 500 officers and three generals."
    )
    kinds = {f.phrase: (f.kind, f.kind_reason) for f in found}
    assert kinds["10"][0] is Kind.PEOPLE and "unit" in kinds["10"][1]
    assert kinds["500"][0] is Kind.PEOPLE and "breakdown" in kinds["500"][1]
    assert kinds["three"][0] is Kind.PEOPLE and "breakdown" in kinds["three"][1]
    assert kinds["12,000"][0] is Kind.FIGURE


def test_date_hints() -> None:
    found = one("Last week, on January 9, 2025, Kyiv said 40 soldiers were captured.")
    assert found.dates == ("Last week", "January 9, 2025")


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = "Mr. Kim said approx. 300 died. The U.S. said 200 were hurt.\nA heading\nNext one."
    found = sentences(text)
    assert [s.text for s in found] == [
        "Mr. Kim said approx. 300 died.",
        "The U.S. said 200 were hurt.",
        "A heading",
        "Next one.",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_the_quote_to_paste_is_the_sentence() -> None:
    text = "First sentence. Seoul said at least 300 soldiers died. Last sentence."
    found = one(text)
    assert found.sentence.text == "Seoul said at least 300 soldiers died."


@given(st.text(max_size=400))
def test_extract_never_raises_and_sentences_are_substrings(text: str) -> None:
    for found in extract(text):
        assert found.sentence.text in text
        assert text[found.sentence.start : found.sentence.end] == found.sentence.text
        assert found.sentence.start <= found.start <= found.end <= found.sentence.end


@given(
    st.lists(
        st.sampled_from(
            ["at least", "3,800", "killed", "said", "Kyiv", "(21)", "of the", "soldiers",
             "between", "and", "Mr.", ".", "\n", "two", "hundreds", "January", "2025", "-"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_extract_on_figure_like_text(words: list[str]) -> None:
    text = " ".join(words)
    for found in extract(text):
        assert found.sentence.text in text


@pytest.mark.parametrize(
    "text",
    ["said 1 " * 15000, "(1) " * 20000, "Kyiv said 300 soldiers were killed and " * 2500,
     "Mr. " * 25000, "Zelensky Kim Lee " * 6000 + "said 300 killed"],
)  # fmt: skip
def test_long_unpunctuated_text_does_not_hang(text: str) -> None:
    from tests.conftest import within

    found = within(60, extract, text)  # a child process stopped if it blows up quadratically
    assert all(f.sentence.text in text for f in found[:50])
