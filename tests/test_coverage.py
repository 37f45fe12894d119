"""Coverage of the archive by the ledger, and the extraction measurement."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from reconcile.authoring.extract import Extracted, Kind, extract
from reconcile.checks.run import check_file
from reconcile.core.models import Metric
from reconcile.reports.coverage import coverage, locate
from tests.conftest import ROOT, SHIPPED, WriteLedger


def test_every_seed_figure_is_covered_or_set_aside_with_a_reason() -> None:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    result = coverage(checked.ledger, checked.texts)
    assert [d.document for d in result.documents] == [
        "kursk-diary", "losses-piling-up", "nikkei-notes", "wsj-prisoners", "soldier-notebook"
    ]  # fmt: skip
    assert result.complete and result.todo == 0 and result.missing_quotes == 0
    for doc in result.documents:
        assert doc.archived
        for match in doc.matches:
            if match.status in ("covered", "restated"):
                assert match.estimate is not None and match.metric is match.found.metric
            else:
                assert match.status == "not-casualty"
                assert match.found.kind is not Kind.FIGURE or match.found.metric is None
                assert match.found.kind_reason
    diary = result.documents[0]
    assert [(m.found.phrase, m.estimate) for m in diary.with_status("covered")] == [
        ("around 3,800", "zelensky-2025-01-casualties"),
        ("approximately 12,000", "zelensky-2025-01-casualties"),
        ("around a thousand", "us-2024-12-casualties"),
        ("at least 300", "nis-2025-01-13"),
        ("2,700", "nis-2025-01-13"),
        ("two", "zelensky-2025-01-11-captured"),
    ]
    assert len(diary.with_status("restated")) == 2


def test_uncovered_figures_and_missing_quotes(write_ledger: WriteLedger, valid_text: str) -> None:
    archive = Path(write_ledger("x").parent / "archive" / "article.txt")
    archive.write_text(
        archive.read_text(encoding="utf-8")
        + "\nLater, officials said 75 soldiers were captured.\n",
        encoding="utf-8",
    )
    path = write_ledger(valid_text)
    checked = check_file(path)
    assert checked.ledger is not None
    result = coverage(checked.ledger, checked.texts)
    todo = [
        (m.found.phrase, m.metric.value if m.metric else None)
        for d in result.documents
        for m in d.with_status("todo")
    ]
    # the gallery article's deployment figure is not in its ledger either
    assert todo == [("Around 12 000", "deployed"), ("75", "captured")]
    assert result.missing_quotes == 0 and not result.complete

    changed = write_ledger(valid_text.replace("were killed and", "died and"))
    checked = check_file(changed)
    assert checked.ledger is not None
    result = coverage(checked.ledger, checked.texts)
    missing = [(q.estimate, q.quote[:22]) for d in result.documents for q in d.missing_quotes]
    assert missing == [("e1", "officials said that at")]


def test_locate_maps_normalised_quotes_back_to_the_text() -> None:
    text = "He said \u201cnearly  3\u00a0800\u201d were\nkilled \u2014 in total."
    span = locate('said "nearly 3 800" were killed - in', text)
    assert span is not None
    assert text[span[0] : span[1]] == "said \u201cnearly  3\u00a0800\u201d were\nkilled \u2014 in"
    assert locate("not there", text) is None


def test_docs_extraction_is_up_to_date_and_recall_is_complete() -> None:
    spec = importlib.util.spec_from_file_location(
        "measure_extraction", ROOT / "scripts" / "measure_extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.measure()
    assert (ROOT / "docs" / "extraction.md").read_text(encoding="utf-8") == text, (
        "docs/extraction.md is out of date: run python scripts/measure_extraction.py"
    )
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == 5
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2] == cells[3], row  # every ledger figure found
    assert "Ledger figures not found:\n\n- none" in text


def test_documents_sharing_a_file_read_it_each_in_its_own_language(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    """The figures of a shared text were cached by the text alone, so the second
    document got the first one's reading: with `language: de`, '4.000' is 4,000;
    in English it is no count at all."""
    archive = Path(write_ledger("x").parent / "archive" / "article.txt")
    archive.write_text(
        archive.read_text(encoding="utf-8")
        + "\nLater, officials said 4.000 soldiers were captured.\n",
        encoding="utf-8",
    )
    second = (
        "  - id: artikel\n    path: article.txt\n    title: Ein Artikel\n"
        "    publisher: Die Probe\n    published: 2025-01-12\n    language: de\n"
    )
    path = write_ledger(valid_text.replace("estimates:", second + "estimates:"))
    checked = check_file(path)
    assert checked.ledger is not None
    for order in (checked.texts, dict(reversed(checked.texts.items()))):
        result = coverage(checked.ledger, order)
        captured = {
            d.document: [m.found.figure.numbers for m in d.matches if m.found.phrase == "4.000"]
            for d in result.documents
        }
        assert captured["artikel"] == [(4000,)]
        assert captured["article"] == []


def _sharing(count: int, valid_text: str) -> str:
    """The gallery ledger with `count` more documents naming its one archived file,
    the last of them cited by a second estimate."""
    copies = "".join(
        f"  - id: copy{n}\n    path: article.txt\n    title: t\n    publisher: p\n"
        "    published: 2025-01-12\n"
        for n in range(count)
    )
    second = (
        "  - id: e2\n    claimant: officials\n    as_of: 2025-01-10\n    captured: 4,100\n"
        f"    reported_in:\n      - document: copy{count - 1}\n"
        "        quote: Later, 4,100 soldiers were captured.\n"
    )
    return valid_text.replace("documents:\n", "documents:\n" + copies, 1) + second


@pytest.mark.parametrize("count", [1, 8, 40])
def test_documents_sharing_a_text_are_scanned_and_reported_once(
    count: int, write_ledger: WriteLedger, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile layout (many documents naming one figure-dense file) at a small
    scale: the text is scanned once and its figures listed once, however many
    documents name it; a figure is covered by the quote of any of them."""
    from reconcile.reports import coverage as module

    archive = write_ledger("x").parent / "archive" / "article.txt"
    dense = "".join(f"Officials said {100 + n} soldiers were killed. " for n in range(300))
    later = "\nLater, 4,100 soldiers were captured.\n"
    archive.write_text(archive.read_text(encoding="utf-8") + later + dense, encoding="utf-8")
    checked = check_file(write_ledger(_sharing(count, valid_text)))
    assert checked.ledger is not None and len(checked.ledger.documents) == count + 1
    scans: list[str] = []

    def counted(text: str) -> list[Extracted]:
        scans.append(text)
        return extract(text)

    monkeypatch.setattr(module, "extract", counted)
    result = coverage(checked.ledger, checked.texts)
    assert len(scans) == 1
    (entry,) = result.documents
    assert entry.document == "copy0"
    assert entry.same_text == (*(f"copy{n}" for n in range(1, count)), "article")
    assert len(entry.matches) == 306 and result.todo == 300  # the same for every count
    # covered by e1's quote (in "article") and by e2's (in the last copy)
    covered = [(m.estimate, m.metric) for m in entry.with_status("covered")]
    assert covered == [
        ("e1", Metric.KILLED), ("e1", Metric.WOUNDED), ("e2", Metric.CAPTURED)
    ]  # fmt: skip
    assert result.to_json()["documents"][0]["same_text"] == list(entry.same_text)
