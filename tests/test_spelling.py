"""core.spelling: close spellings from an index give exactly the pairs of the loop
over every pair that import and alike_pairs used before, with far fewer comparisons."""

from __future__ import annotations

import csv
import difflib
import io
import random
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.authoring import importer
from reconcile.authoring.columns import bare_name
from reconcile.authoring.importer import import_csv
from reconcile.core.issues import Issue, Location, warning
from reconcile.core.names import CLOSE_SPELLING, alike_pairs, close_spelling
from reconcile.core.spelling import Work, close_pairs, is_close
from tests.conftest import ROOT

ECONOMIST = ROOT / "tests" / "data" / "economist-ukraine" / "estimates.csv"
ECONOMIST_MERGES = [
    ("UK Ministry of Defence", "UK MoD"),
    ("The Centre for Strategic and International Studies", "CSIS"),
]


def pairwise(names: list[str], threshold: float) -> list[tuple[int, int]]:
    """The loop close_pairs replaces (core.names.alike_pairs before it): every pair,
    the later name against a matcher of the earlier."""
    found = []
    for i, name in enumerate(names):
        matcher = difflib.SequenceMatcher(None, b=name)
        for j in range(i + 1, len(names)):
            if is_close(matcher, names[j], threshold):
                found.append((i, j))
    return found


def economist_claimants() -> list[str]:
    with ECONOMIST.open(encoding="utf-8") as f:
        return list(dict.fromkeys(" ".join(row["source"].split()) for row in csv.DictReader(f)))


def spellings(rng: random.Random, count: int, alphabet: str, longest: int) -> list[str]:
    """`count` names: a few stems, each spelled several ways (letters dropped, added
    or changed), so that close pairs are many."""
    stems = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))
        for _ in range(max(1, count // 3))
    ]
    names = []
    for _ in range(count):
        letters = list(rng.choice(stems))
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.33 and letters:
                del letters[rng.randrange(len(letters))]
            elif roll < 0.66:
                letters.insert(rng.randint(0, len(letters)), rng.choice(alphabet))
            elif letters:
                letters[rng.randrange(len(letters))] = rng.choice(alphabet)
        names.append("".join(letters))
    return names


def random_names(count: int, seed: int) -> list[str]:
    """Distinct names of one to four random words (as the issue's measurement)."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        words = [
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))
            for _ in range(rng.randint(1, 4))
        ]
        out[" ".join(words)] = None
    return list(out)


@pytest.mark.parametrize("seed", range(20))
def test_the_pairs_are_those_of_the_pairwise_loop(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = rng.choice(["ab", "abc", "abcdef", string.ascii_lowercase + " "])
    names = spellings(rng, rng.randint(0, 60), alphabet, 30)
    for threshold in (CLOSE_SPELLING, 0.3, 0.6, 0.95, 1.0):
        assert close_pairs(names, threshold) == pairwise(names, threshold)


@given(
    st.lists(st.text(alphabet="abé cd.-", max_size=14), max_size=25),
    st.sampled_from([CLOSE_SPELLING, 0.5, 0.9]),
)
def test_the_pairs_are_those_of_the_pairwise_loop_on_any_text(
    names: list[str], threshold: float
) -> None:
    assert close_pairs(names, threshold) == pairwise(names, threshold)


def test_the_economist_claimants_give_the_pairwise_pairs() -> None:
    names = economist_claimants()
    for folded in ([name.lower() for name in names], [name.casefold() for name in names]):
        for threshold in (CLOSE_SPELLING, 0.7, 0.5):
            assert close_pairs(folded, threshold) == pairwise(folded, threshold)
        # none of its names is a close spelling of another (its alike pairs are
        # abbreviations and remarks); at lower thresholds some are, and compared
        assert not close_pairs(folded, CLOSE_SPELLING) and close_pairs(folded, 0.5)
    assert close_pairs(random_names(600, 3), CLOSE_SPELLING) == pairwise(
        random_names(600, 3), CLOSE_SPELLING
    )


def test_the_work_grows_far_slower_than_the_pairs() -> None:
    """Four times the names: the pairwise loop compares sixteen times the pairs; the
    index's work (look-ups, the names they return, comparisons) grows about fourfold."""
    small, large = Work(), Work()
    close_pairs(random_names(400, 1), CLOSE_SPELLING, small)
    close_pairs(random_names(1600, 1), CLOSE_SPELLING, large)
    assert large.total < 6 * small.total
    every_pair = 1600 * 1599 // 2
    assert large.compared < every_pair // 200
    assert large.lookups + large.hits < every_pair // 2


def test_names_spelled_many_ways_are_compared_only_when_near() -> None:
    names = spellings(random.Random(9), 900, string.ascii_lowercase + " ", 40)
    work = Work()
    found = close_pairs(names, CLOSE_SPELLING, work)
    assert len(found) > 300
    assert work.compared < 900 * 899 // 2 // 10


def old_claimant_issues(self: Any) -> list[Issue]:
    """The import's pairwise loop, as it was before core.spelling (358f156)."""
    issues: list[Issue] = []
    names = list(self.names.items())
    lowered = [name.lower() for name, _ in names]
    bare = [bare_name(name) for name, _ in names]
    matchers = [difflib.SequenceMatcher(None, "", name) for name in lowered]
    shortened = set(alike_pairs([name for name, _ in names], spelling=False))
    for i, (name, (source_id, first)) in enumerate(names):
        for j, (other, (other_id, other_first)) in enumerate(names[:i]):
            if source_id == other_id:
                if self.merge.get(name) == other or self.merge.get(other) == name:
                    continue
                if name in self.merge or other in self.merge:
                    continue
                message = f"'{name}' and '{other}' are read as one claimant, id '{source_id}'"
                hint = "use one spelling for one source"
            elif (
                bare[i] == bare[j] or close_spelling(matchers[j], lowered[i]) or (j, i) in shortened
            ):
                message = (
                    f"claimant '{name}' (id '{source_id}') looks like '{other}' "
                    f"(id '{other_id}', row {other_first}): the same source?"
                )
                alias, kept = (name, other) if len(name) >= len(other) else (other, name)
                hint = f"if so, merge them: --merge '{alias}={kept}'"
            else:
                continue
            issues.append(
                warning(
                    "import-near-duplicate-claimant",
                    f"row {first}: {message}",
                    Location(self.name, first, self.columns["claimant"] + 1),
                    hint=hint,
                )
            )
    return issues


def names_csv(names: list[str]) -> str:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["date", "source", "metric", "best", "url", "quote"])
    for row, name in enumerate(names):
        writer.writerow(["2025-01-10", name, "killed", row + 1, f"https://example.org/{row}", "q"])
    return text.getvalue()


@pytest.mark.parametrize(
    ("label", "text", "merge"),
    [
        ("spellings", names_csv(spellings(random.Random(4), 150, "abcde .", 16)), {}),
        ("random", names_csv(random_names(300, 8)), {}),
        ("economist", ECONOMIST.read_text(encoding="utf-8"), {}),
        ("economist merged", ECONOMIST.read_text(encoding="utf-8"), dict(ECONOMIST_MERGES)),
    ],
)
def test_the_import_warns_as_its_pairwise_loop_did(
    label: str, text: str, merge: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping = {"country": "subject"} if label.startswith("economist") else {}
    new = import_csv(text, "names.csv", mapping=mapping, merge=merge).issues
    monkeypatch.setattr(importer._State, "claimant_issues", old_claimant_issues)
    old = import_csv(text, "names.csv", mapping=mapping, merge=merge).issues
    assert [str(issue) for issue in new] == [str(issue) for issue in old]
    near = [i for i in new if i.check == "import-near-duplicate-claimant"]
    assert near or label == "random", label  # the comparison compares warnings
