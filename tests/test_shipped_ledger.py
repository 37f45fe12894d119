"""The shipped ledger: clean, complete and traceable to the archived articles."""

from __future__ import annotations

from reconcile.checks.run import check_file
from reconcile.core.models import Metric
from reconcile.core.numbers import mentions
from reconcile.core.text import normalise
from tests.conftest import ROOT, SHIPPED


def test_seeds_are_the_shared_articles_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    ours = sorted((ROOT / "seeds").iterdir())
    assert [p.name for p in ours] == [
        "000_773b0f538302f50c.txt",
        "001_cf7ffd0df13b3f0f.txt",
        "002_5f0afd19f206e2ef.txt",
        "003_8a1f61af35b5ee82.txt",
        "004_1412b5c1e3fcfdfa.txt",
    ]
    if shared.is_dir():
        for path in ours:
            assert path.read_bytes() == (shared / path.name).read_bytes(), path.name


def test_shipped_ledger_validates_clean() -> None:
    checked = check_file(SHIPPED)
    assert [str(issue) for issue in checked.issues] == []
    assert checked.ledger is not None
    assert len(checked.ledger.documents) == 5
    assert {d.path for d in checked.ledger.documents} == {
        p.name for p in (ROOT / "seeds").iterdir()
    }


def test_every_figure_is_found_in_its_quotes_and_every_quote_in_its_document() -> None:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    texts = {doc_id: normalise(text) for doc_id, text in checked.texts.items()}
    assert len(texts) == 5
    for estimate in checked.ledger.estimates:
        quotes = [normalise(report.quote) for report in estimate.reported_in]
        for report, quote in zip(estimate.reported_in, quotes, strict=True):
            assert quote in texts[report.document], (estimate.id, report.document)
        for metric, figure in estimate.figures().items():
            assert figure.numbers, (estimate.id, metric)
            assert any(all(mentions(q, n) for n in figure.numbers) for q in quotes), (
                estimate.id,
                metric,
            )


def test_the_claims_from_the_brief_are_recorded_with_their_words() -> None:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    by_id = {e.id: e for e in checked.ledger.estimates}
    zelensky = by_id["zelensky-2025-01-casualties"]
    assert zelensky.casualties is not None and zelensky.casualties.text == "around 3,800"
    wording = zelensky.reported_in[1].wording
    assert wording is not None and wording[Metric.CASUALTIES].text == "nearly 3,800"
    assert zelensky.reported_in[0].wording is None
    nis = by_id["nis-2025-01-13"]
    assert nis.killed is not None and nis.killed.text == "at least 300"
    assert nis.wounded is not None and nis.wounded.best == 2700
    us = by_id["us-2024-12-casualties"]
    assert us.casualties is not None and us.casualties.best == 1000
    assert us.as_of.text == "2024-12-20/2024-12-31"
    deployed = {e.id: e.deployed.text for e in checked.ledger.estimates if e.deployed is not None}
    assert deployed["nikkei-2025"] == "more than 10,000"
    assert deployed["zelensky-2025-01-casualties"] == "approximately 12,000"
    sources = {s.id: s for s in checked.ledger.sources}
    assert not sources["nis"].is_party and sources["zelensky"].is_party
