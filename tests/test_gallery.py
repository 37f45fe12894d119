"""A gallery of broken ledgers: one edit of tests/gallery/valid.yaml per case.

Each case asserts every issue found (line, column, check id) and the exit code,
so a check that moves its location or stops firing fails here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reconcile.checks import CHECKS
from reconcile.checks.run import check_file, collector_spared
from reconcile.core.issues import exit_code
from tests.conftest import GALLERY, WriteLedger

TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple[tuple[str, str], ...]
    expected: tuple[tuple[int, int, str], ...]
    exit: int
    strict_exit: int | None = None
    whole: bytes | None = None  # replaces the whole file instead of editing it


QUOTE = (
    "        quote: officials said that at least 300 soldiers were killed and about 2,700 were "
    "wounded"
)
QUOTE_DEPLOYED = QUOTE + ". Around 12 000 troops had been deployed"
SECOND = (
    "\n  - id: e2\n    claimant: officials\n    as_of: {}\n{}    reported_in:\n"
    "      - document: {}\n" + QUOTE
)
BOTH = "    killed: at least 300\n    wounded: about 2,700\n"
ARTICLE2 = (
    "  - id: article2\n    path: article.txt\n    title: Another article\n"
    "    publisher: The Test\n    published: 2025-01-12\nestimates:"
)

CASES = [
    Case(
        "unknown field with did-you-mean",
        (("    name: Officials", "    nmae: Officials"),),
        ((5, 5, "missing-field"), (6, 5, "unknown-field")),
        1,
    ),
    Case(
        "unknown top-level field",
        (("subject: Test troops", "subjet: Test troops"),),
        ((1, 1, "missing-field"), (2, 1, "unknown-field")),
        1,
    ),
    Case(
        "wrong type",
        (("    title: An article", "    title: [An, article]"),),
        ((12, 12, "wrong-type"),),
        1,
    ),
    Case(
        "wrong value with did-you-mean",
        (("kind: government", "kind: goverment"),),
        ((7, 11, "wrong-value"),),
        1,
    ),
    Case("missing field", (("    title: An article\n", ""),), ((10, 5, "missing-field"),), 1),
    Case(
        "bad figure phrase",
        (("killed: at least 300", "killed: at leest 300"),),
        ((19, 13, "bad-figure"),),
        1,
    ),
    Case(
        "negative figure", (("killed: at least 300", "killed: -300"),), ((19, 13, "bad-figure"),), 1
    ),
    Case(
        "impossible date", (("as_of: 2025-01-10", "as_of: 2025-02-30"),), ((18, 20, "bad-date"),), 1
    ),
    Case("id with a space", (("  - id: e1", "  - id: e 1"),), ((16, 9, "bad-id"),), 1),
    Case(
        "no figures",
        (("    killed: at least 300\n    wounded: about 2,700\n", ""),),
        ((16, 5, "no-figures"),),
        1,
    ),
    Case(
        "path leaves the archive",
        (("path: article.txt", "path: ../../etc/passwd"),),
        ((11, 11, "path-outside-archive"),),
        1,
    ),
    Case(
        "archive leaves the repository",
        (("archive: archive", "archive: .."),),
        ((3, 10, "path-outside-repository"),),
        1,
    ),
    Case(
        "archive inside .git",
        (("archive: archive", "archive: archive/.git"),),
        ((3, 10, "path-outside-repository"),),
        1,
    ),
    Case(
        "document inside .git",
        (("archive: archive", "archive: ."), ("path: article.txt", "path: .git/config")),
        ((11, 11, "path-outside-repository"),),
        1,
    ),
    Case(
        "include glob climbs after a wildcard",
        (("archive: archive", "archive: archive\ninclude: ['*/**/../**/../x.yaml']"),),
        ((4, 11, "include-too-costly"),),
        1,
    ),
    Case(
        "date in Arabic-Indic digits",
        (("as_of: 2025-01-10", "as_of: '٢٠٢٥-٠١-١٠'"),),
        ((18, 13, "bad-date"),),
        1,
    ),
    Case(
        "figure in full-width digits",
        (("killed: at least 300", "killed: at least ３٠٠"),),
        ((19, 22, "bad-figure"),),
        1,
    ),
    Case(
        "figure in mathematical bold digits",
        (("killed: at least 300", "killed: 𝟑𝟎𝟎"),),
        ((19, 13, "bad-figure"),),
        1,
    ),
    Case(
        "ids that differ only by look-alike characters",
        (
            (
                "documents:",
                "  - id: officia1s\n    name: Look-alike\n    kind: media\n"
                "    party: third-party\ndocuments:",
            ),
        ),
        ((9, 9, "lookalike-id"),),
        0,
        1,
    ),
    Case(
        "bidi control in a name",
        (("name: Officials", 'name: "Offi\\u202Ecials"'),),
        # the control also hides the name from the quote (issue 16's check)
        ((6, 16, "bidi-control"), (23, 16, "claimant-not-in-quote")),
        0,
        1,
    ),
    Case(
        "ESC in a document's title (from a scraped page)",
        (("title: An article", 'title: "An\\x1b[2Jarticle"'),),
        ((12, 15, "control-character"),),
        0,
        1,
    ),
    Case(
        "form feed between a figure's words, read as a space",
        (("killed: at least 300", 'killed: "at least\\f300"'),),
        ((19, 22, "control-character"),),
        0,
        1,
    ),
    Case(
        "next-line control on the second line of a quote",
        (
            (
                "        quote: officials said that at least 300 soldiers were killed and about "
                "2,700 were wounded",
                '        quote: "officials said that at least 300 soldiers were killed\n'
                '          and about 2,700\\N were wounded"',
            ),
        ),
        ((24, 26, "control-character"),),
        0,
        1,
    ),
    Case(
        "bidi control in an id",
        (("  - id: e1", '  - id: "e\\u202E1"'),),
        ((16, 9, "bad-id"), (16, 11, "bidi-control")),
        1,
    ),
    Case(
        "bad url",
        (("    published: 2025-01-12", "    published: 2025-01-12\n    url: ftp://x"),),
        ((15, 10, "bad-url"),),
        1,
    ),
    Case(
        "duplicate id",
        (
            (
                "documents:",
                "  - id: officials\n    name: Twice\n    kind: media\n"
                "    party: third-party\ndocuments:",
            ),
        ),
        ((9, 9, "duplicate-id"),),
        1,
    ),
    Case(
        "unknown claimant",
        (("claimant: officials", "claimant: officals"),),
        ((17, 15, "unknown-reference"),),
        1,
    ),
    Case(
        "unknown document",
        (("      - document: article", "      - document: artcle"),),
        ((22, 19, "unknown-reference"),),
        1,
    ),
    Case(
        "published in the future",
        (("published: 2025-01-12", "published: 2999-01-01"),),
        ((14, 16, "future-date"),),
        1,
    ),
    Case(
        "as_of after publication",
        (("as_of: 2025-01-10", "as_of: 2025-01-20"),),
        ((18, 12, "as-of-after-publication"),),
        1,
    ),
    Case(
        "part above total, parts do not sum",
        (("    wounded: about 2,700", "    wounded: about 2,700\n    casualties: 300"),),
        (
            (21, 17, "sum-mismatch"),
            (20, 14, "part-exceeds-total"),
            (24, 16, "wording-not-in-quote"),
        ),
        0,
        strict_exit=1,
    ),
    Case(
        "a report prints one metric's figure under another",
        (
            (
                "    wounded: about 2,700\n",
                "    wounded: about 2,700\n    deployed: around 12 000\n",
            ),
            (QUOTE, QUOTE_DEPLOYED + "\n        wording: {wounded: around 12 000}"),
        ),
        ((25, 28, "report-metric-swapped"),),
        0,
        strict_exit=1,
    ),
    Case(
        "a report contradicts the claim it relays",
        ((QUOTE, QUOTE_DEPLOYED + "\n        wording: {wounded: around 12 000}"),),
        ((24, 28, "report-contradicts-claim"),),
        0,
        strict_exit=1,
    ),
    Case(
        "the figures a report printed do not add up",
        (
            (
                "    wounded: about 2,700\n",
                "    wounded: about 2,700\n    casualties: around 12 000\n",
            ),
            (QUOTE, QUOTE_DEPLOYED + "\n        wording: {killed: around 12 000}"),
        ),
        # the article gives 12 000 as deployed, so the casualties figure is also
        # one metric's number under another (issue 16's check, rightly)
        ((21, 17, "metric-not-in-quote"), (23, 19, "report-parts-vs-total")),
        0,
        strict_exit=1,
    ),
    Case(
        "a claimant contradicts itself the same day",
        (
            (
                "    wounded: about 2,700\n",
                "    wounded: about 2,700\n    deployed: around 12 000\n",
            ),
            (
                QUOTE,
                QUOTE_DEPLOYED
                + SECOND.format("2025-01-10", "    deployed: about 2,700\n", "article"),
            ),
        ),
        # 2,700 is wounded in the quote, so it is also under the wrong metric
        ((28, 15, "metric-not-in-quote"), (28, 15, "same-day-contradiction")),
        0,
        strict_exit=1,
    ),
    Case(
        "a later estimate repeats an earlier claim (a stale re-report)",
        (
            ("estimates:", ARTICLE2),
            (QUOTE, QUOTE + SECOND.format("2025-01-11", BOTH, "article2")),
        ),
        ((31, 12, "re-report"),),
        0,
        strict_exit=1,
    ),
    Case(
        "two sources that look like one organisation",
        (
            (
                "documents:",
                "  - id: officials-nyt\n    name: Officials (via NYT)\n    kind: media\n"
                "    party: third-party\ndocuments:",
            ),
        ),
        ((10, 11, "near-duplicate-source"),),
        0,
        strict_exit=1,
    ),
    Case(
        "two sources that name one institution (core/institutions.toml)",
        (
            (
                "documents:",
                "  - id: pentagon\n    name: Pentagon\n    kind: government\n"
                "    party: third-party\n"
                "  - id: us-dod\n    name: US DoD\n    kind: government\n"
                "    party: third-party\ndocuments:",
            ),
        ),
        ((14, 11, "near-duplicate-source"),),
        0,
        strict_exit=1,
    ),
    Case(
        "an alias merges them: no warning",
        (
            (
                "documents:",
                "  - id: officials-nyt\n    name: Officials (via NYT)\n    kind: media\n"
                "    party: third-party\n    aliases: [officials]\ndocuments:",
            ),
        ),
        (),
        0,
    ),
    Case(
        "one statement recorded twice",
        ((QUOTE, QUOTE + SECOND.format("2025-01-10", BOTH, "article")),),
        ((24, 9, "duplicate-statement"),),
        0,
        strict_exit=1,
    ),
    Case(
        "above those deployed",
        (("    wounded: about 2,700", "    wounded: about 2,700\n    deployed: 300"),),
        (
            (20, 14, "exceeds-deployed"),
            (21, 15, "metric-not-in-quote"),  # the quote's 300 were killed, not deployed
            (24, 16, "wording-not-in-quote"),
        ),
        0,
        strict_exit=1,
    ),
    Case(
        "quote not in the document",
        (("were killed and", "were slain and"),),
        ((23, 16, "quote-not-found"),),
        1,
    ),
    Case(
        "figure not in its quote",
        (("wounded: about 2,700", "wounded: about 2,800"),),
        ((20, 14, "figure-not-in-quote"),),
        1,
    ),
    Case(
        "words flattened: at least 300 recorded as 300",
        (("killed: at least 300", "killed: 300"),),
        ((23, 16, "wording-not-in-quote"),),
        0,
        strict_exit=1,
    ),
    Case(
        "archived file missing",
        (("path: article.txt", "path: missing.txt"),),
        ((11, 11, "archive-missing"),),
        1,
    ),
    Case(
        "document not archived yet",
        (("    path: article.txt\n", ""),),
        ((10, 9, "unarchived"),),
        0,
        strict_exit=1,
    ),
    Case(
        "duplicate key",
        (("    title: An article", "    title: An article\n    title: Another"),),
        ((13, 5, "duplicate-key"),),
        1,
    ),
    Case(
        "broken YAML",
        (("    title: An article", '    title: "An article'),),
        ((24, 1, "yaml-syntax"),),
        2,
    ),
    Case(
        "alias",
        (("    title: An article", "    title: &t An article\n    notes: *t"),),
        ((13, 12, "yaml-alias"),),
        2,
    ),
    Case(
        "custom tag",
        (("    title: An article", "    title: !!python/name:os.system x"),),
        ((12, 12, "yaml-tag"),),
        2,
    ),
    Case(
        "complex key",
        (("    title: An article", "    ? [a, b]\n    : c"),),
        ((12, 7, "yaml-complex-key"),),
        2,
    ),
    Case(
        "two documents",
        (("title: Gallery", "title: Gallery\n---\ntitle: Again"),),
        ((2, 1, "yaml-multiple-documents"),),
        2,
    ),
    Case(
        "nesting too deep",
        (("    title: An article", "    title: " + "[" * 70 + "]" * 70),),
        # depth counts from the root: ledger mapping, documents list, document mapping = 3
        ((12, 12 + 61, "yaml-too-deep"),),
        2,
    ),
    Case(
        "no report",
        (
            (
                "    reported_in:\n      - document: article\n        quote: officials said that "
                "at least 300 soldiers were killed and about 2,700 were wounded\n",
                "    reported_in: []\n",
            ),
        ),
        ((21, 18, "no-report"),),
        1,
    ),
    Case("a list at the top", (), ((1, 1, "not-a-ledger"),), 2, whole=b"- title: Gallery\n"),
    Case("empty file", (), ((1, 1, "not-a-ledger"),), 2, whole=b""),
    Case("not UTF-8", (), ((2, 13, "encoding"),), 2, whole=b"title: x\nsubject: caf\xe9\n"),
    Case(
        "misspelled wording key",
        (
            (
                "        quote: officials",
                '        wording: {casulties: "about 2,700"}\n        quote: officials',
            ),
        ),
        ((23, 19, "wrong-value"),),
        1,
    ),
    Case(
        "one bad report is not 'no report'",
        (("        quote: officials", "        wording: {killed: [1]}\n        quote: officials"),),
        ((23, 27, "bad-figure"),),
        1,
    ),
    Case(
        "a NUL in a document path (found by the fuzzer)",
        (("    path: article.txt", '    path: "art\\0icle.txt"'),),
        ((11, 15, "bad-path"),),
        1,
    ),
    Case(
        "a NUL in the archive folder",
        (("archive: archive", 'archive: "arch\\0ive"'),),
        ((3, 15, "bad-path"),),
        1,
    ),
    Case(
        "a document field still to review (archive add)",
        (
            (
                "    published: 2025-01-12",
                "    published: 2025-01-12\n    needs_review: [publisher]",
            ),
        ),
        ((15, 19, "needs-review"),),
        0,
        strict_exit=1,
    ),
    Case(
        "an estimate the schema refuses is still checked for references and quotes",
        (
            ("    as_of: 2025-01-10\n", ""),
            ("claimant: officials", "claimant: oficials"),
            ("wounded: about 2,700", "wounded: about 2,800"),
            ("quote: officials said that", "quote: officals said that"),
        ),
        (
            (16, 5, "missing-field"),
            (17, 15, "unknown-reference"),
            (19, 14, "figure-not-in-quote"),
            (22, 16, "quote-not-found"),
        ),
        1,
    ),
    Case(
        "killed and wounded swapped: the quote says which is which",
        (
            ("killed: at least 300", "killed: about 2,700"),
            ("wounded: about 2,700", "wounded: at least 300"),
        ),
        ((19, 13, "metric-not-in-quote"), (20, 14, "metric-not-in-quote")),
        0,
        strict_exit=1,
    ),
    Case(
        "a claimant the quote does not name",
        (
            (
                "  - id: officials\n    name: Officials",
                "  - id: officials\n    name: Officials\n    kind: government\n"
                "    party: third-party\n  - id: kremlin\n    name: Kremlin",
            ),
            ("claimant: officials", "claimant: kremlin"),
        ),
        ((27, 16, "claimant-not-in-quote"),),
        0,
        strict_exit=1,
    ),
    Case(
        "a quote that dates the figure in a year as_of does not overlap",
        (
            (
                "    published: 2025-01-12\nestimates:",
                "    published: 2025-01-12\n  - id: dated\n    path: dated.txt\n"
                "    title: A dated article\n    publisher: The Test\n"
                "    published: 2025-01-12\nestimates:",
            ),
            ("      - document: article\n", "      - document: dated\n"),
        ),
        ((28, 16, "as-of-not-in-quote"),),
        0,
        strict_exit=1,
    ),
    Case(
        "the same quote with the figure's period: nothing to say",
        (
            (
                "    published: 2025-01-12\nestimates:",
                "    published: 2025-01-12\n  - id: dated\n    path: dated.txt\n"
                "    title: A dated article\n    publisher: The Test\n"
                "    published: 2025-01-12\nestimates:",
            ),
            ("      - document: article\n", "      - document: dated\n"),
            ("    as_of: 2025-01-10\n", '    as_of: 2025-01-10\n    period: "2023"\n'),
        ),
        (),
        0,
    ),
    Case(
        "an acknowledged warning is set aside; a stale acknowledgement is reported",
        (
            (
                "    wounded: about 2,700\n",
                "    wounded: about 2,700\n    deployed: 300\n    acknowledged:\n"
                "      exceeds-deployed: the source's own figures\n"
                "      sum-mismatch: nothing to acknowledge\n",
            ),
        ),
        (
            (21, 15, "metric-not-in-quote"),
            (24, 7, "unused-acknowledgement"),
            (27, 16, "wording-not-in-quote"),
        ),
        0,
        strict_exit=1,
    ),
    Case(
        "entries after ones the schema refuses are located by entry, not by position",
        (
            (
                "documents:\n  - id: article",
                "documents:\n  - id: broken\n    path: article.txt\n    published: someday\n"
                "  - id: article",
            ),
            (
                "    published: 2025-01-12",
                "    published: 2025-01-12\n    needs_review: [publisher]",
            ),
            (
                "estimates:\n  - id: e1",
                "estimates:\n  - id: e0\n    claimant: officials\n  - id: e1",
            ),
            ("killed: at least 300", "killed: about 2,700"),
            ("wounded: about 2,700", "wounded: at least 300"),
        ),
        (
            (10, 5, "missing-field"),
            (10, 5, "missing-field"),
            (12, 16, "bad-date"),
            (18, 19, "needs-review"),
            (20, 5, "missing-field"),
            (20, 5, "missing-field"),
            (25, 13, "metric-not-in-quote"),
            (26, 14, "metric-not-in-quote"),
        ),
        1,
    ),
    Case(
        "an archived original that changed",
        (
            (
                "    path: article.txt",
                "    path: article.txt\n    original: article.txt\n    sha256: " + "0" * 64,
            ),
        ),
        ((13, 13, "original-changed"),),
        1,
    ),
]


def _sorted(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    return sorted(found)


def written(case: Case, write_ledger: WriteLedger, valid_text: str) -> Path:
    """The gallery's valid ledger with `case`'s edits, written; its path."""
    text = valid_text
    for old, new in case.edits:
        assert old in text, f"the edit {old!r} does not apply"
        text = text.replace(old, new, 1)
    path = write_ledger(text)
    if case.whole is not None:
        path.write_bytes(case.whole)
    return path


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_gallery_case(case: Case, write_ledger: WriteLedger, valid_text: str) -> None:
    path = written(case, write_ledger, valid_text)
    checked = check_file(path, display="ledger.yaml", today=TODAY)
    found = [(i.location.line, i.location.column, i.check) for i in checked.issues]
    assert _sorted(found) == _sorted(list(case.expected)), [str(i) for i in checked.issues]
    assert all(i.location.path == "ledger.yaml" for i in checked.issues)
    # the registry says each check's severity (a glob that matches no file is a warning)
    assert all(
        i.severity is CHECKS[i.check].severity or i.check == "include-missing"
        for i in checked.issues
    ), [str(i) for i in checked.issues]
    assert exit_code(checked.issues) == case.exit
    strict = case.strict_exit if case.strict_exit is not None else case.exit
    assert exit_code(checked.issues, strict=True) == strict


def test_the_gallery_base_is_clean(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_file(write_ledger(valid_text), today=TODAY)
    assert checked.issues == ()
    assert checked.ledger is not None
    assert [e.id for e in checked.ledger.estimates] == ["e1"]


def test_every_problem_in_one_run(write_ledger: WriteLedger, valid_text: str) -> None:
    """Three independent mistakes in three entries: all three are reported, and the
    source dropped for its bad kind does not make its estimate's claimant 'unknown'."""
    text = (
        valid_text.replace("kind: government", "kind: goverment")
        .replace("published: 2025-01-12", "published: 2025-12-31\n    url: https://example.org/x")
        .replace("as_of: 2025-01-10", "as_of: 2999-01-10")
    )
    checked = check_file(write_ledger(text), today=TODAY)
    assert sorted(i.check for i in checked.issues) == [
        "as-of-after-publication",
        "future-date",
        "wrong-value",
    ]


def test_a_symlink_out_of_the_archive_is_refused_and_not_read(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(GALLERY.joinpath("archive", "article.txt").read_text(encoding="utf-8"))
    path = write_ledger(valid_text.replace("path: article.txt", "path: link.txt"))
    os.symlink(secret, tmp_path / "archive" / "link.txt")
    checked = check_file(path, display="ledger.yaml", today=TODAY)
    assert [(i.location.line, i.location.column, i.check) for i in checked.issues] == [
        (11, 11, "path-outside-archive")
    ]
    assert checked.texts == {}, "the file outside the archive must not be read"


def test_the_size_cap_is_a_gallery_case(write_ledger: WriteLedger, valid_text: str) -> None:
    checked = check_file(write_ledger(valid_text), display="ledger.yaml", max_bytes=100)
    assert [(i.check, i.unusable) for i in checked.issues] == [("too-large", True)]
    assert exit_code(checked.issues) == 2


def test_every_check_id_has_a_gallery_case() -> None:
    """Each check id is asserted by a case here or in the hardening gallery
    (tests/test_hardening.py); `import-*` ids belong to the CSV importer's tests."""
    covered = {check for case in CASES for (_, _, check) in case.expected}
    covered |= {"path-outside-archive", "too-large"}  # the two tests above
    covered |= {"read"}  # tests/test_cli.py: a file that does not exist
    hardening = (GALLERY.parent / "test_hardening.py").read_text(encoding="utf-8")
    hardening += (GALLERY.parent / "test_dot_grouped.py").read_text(encoding="utf-8")
    hardening += (GALLERY.parent / "test_security.py").read_text(encoding="utf-8")
    covered |= {check for check in CHECKS if f'"{check}"' in hardening}
    importer_tests = GALLERY.parent / "test_importer.py"
    importer = importer_tests.read_text(encoding="utf-8") if importer_tests.exists() else ""
    covered |= {
        check
        for check in CHECKS
        if check.startswith("import-") and re.search(rf"\b{check}\b(?!-)", importer)
    }
    assert sorted(set(CHECKS) - covered) == []


def test_a_checked_ledger_survives_pickling(write_ledger: WriteLedger, valid_text: str) -> None:
    """A check run in a child process returns its result pickled: origins are keyed
    by entry, so they are keyed again by the entries as unpickled."""
    import pickle

    checked = check_file(write_ledger(valid_text), display="ledger.yaml", today=TODAY)
    assert checked.ledger is not None
    where = checked.origins.at(checked.ledger.estimates[0], "as_of")
    again = pickle.loads(pickle.dumps(checked))
    assert again.ledger is not None and again.ledger.estimates[0] is not checked.ledger.estimates[0]
    assert again.origins.at(again.ledger.estimates[0], "as_of") == where
    assert again.origins.file_of(again.ledger.documents[0]).path == "ledger.yaml"


def test_an_acknowledgement_after_a_refused_entry_sets_its_own_warnings_aside(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """The warnings a check sets aside are keyed by the entry that acknowledges
    them: a refused estimate before it does not shift them onto another."""
    text = (
        valid_text.replace(
            "estimates:\n  - id: e1", "estimates:\n  - id: e0\n    claimant: x\n  - id: e1"
        )
        .replace("killed: at least 300", "killed: about 2,700")
        .replace(
            "wounded: about 2,700\n",
            "wounded: at least 300\n    acknowledged:\n      metric-not-in-quote: checked\n",
        )
    )
    checked = check_file(write_ledger(text), display="ledger.yaml", today=TODAY)
    assert not any(i.check == "metric-not-in-quote" for i in checked.issues)
    assert [(a.check, a.issue.message, a.entry) for a in checked.acknowledged] == [
        ("metric-not-in-quote", "acknowledged in estimate 'e1'", "e1")
    ] * 2


def _cycles_left_by_load_and_build(path: Path) -> int:
    """Objects in cycles that the load and the build of `path` left as garbage."""
    import gc

    from reconcile.ingest.build import build
    from reconcile.ingest.includes import load_ledger

    gc.collect()
    gc.disable()
    try:
        files = load_ledger(path)
        if files.root.usable:
            build(files.files)
        del files
        return gc.collect()
    finally:
        gc.enable()


def test_loading_and_building_leave_no_cycle_for_the_collector(
    write_ledger: WriteLedger, valid_text: str, quote_ledgers: list[Path]
) -> None:
    """check_file keeps the cyclic collector off what it loads and builds (checks/run.py
    `collector_spared`): sound only while neither leaves garbage in a cycle, which
    would stay until the checks end.  Every broken input of the gallery, and the
    shipped, Economist and generated ledgers.  Each is read twice: the first time
    a model is validated on its own (an entry that fails), pydantic builds its
    validator (`defer_build`), which leaves a few objects in cycles (11), once
    per process."""
    for case in CASES:
        path = written(case, write_ledger, valid_text)
        _cycles_left_by_load_and_build(path)  # pydantic builds a model's validator once
        assert _cycles_left_by_load_and_build(path) == 0, case.name
    for path in quote_ledgers:
        assert _cycles_left_by_load_and_build(path) == 0, path


def test_the_collector_spares_the_load_and_build_and_is_left_as_it_was(
    write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from reconcile.checks import run

    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collector_spared() as made:
        assert not gc.isenabled()
        made()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with collector_spared() as made:
            made()
            assert not gc.isenabled()  # as it was
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_spared():
        raise RuntimeError
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # check_file: no collection while it loads and builds, everything made frozen after
    from reconcile.ingest.archive import read_archive
    from reconcile.ingest.build import build

    seen: list[tuple[str, bool, int]] = []

    def watched(*args: Any, **options: Any) -> Any:
        seen.append(("build", gc.isenabled(), gc.get_freeze_count()))
        return build(*args, **options)

    monkeypatch.setattr(run, "build", watched)

    def archive(*args: Any, **options: Any) -> Any:
        seen.append(("archive", gc.isenabled(), gc.get_freeze_count()))
        return read_archive(*args, **options)

    monkeypatch.setattr(run, "read_archive", archive)
    assert check_file(write_ledger(valid_text), today=TODAY).issues == ()
    assert seen[0] == ("build", False, 0)
    assert seen[1][:2] == ("archive", True) and seen[1][2] > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
