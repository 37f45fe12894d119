"""Numbers are never silently rescaled: a dot-grouped figure (`4.000`, `12.000`,
`1.234.567`) is read by an explicit rule (a document's declared decimal-comma
language, `--decimal-comma` on import and extract) or refused, located; never
read as a decimal (before: `4.000` was 4, in a ledger figure and in import)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconcile.authoring.extract import extract
from reconcile.checks.run import check_file
from reconcile.cli import app
from reconcile.core.figures import FigureError, parse_figure
from reconcile.core.issues import exit_code
from reconcile.core.numbers import comma_language, decimal_comma, find_numbers
from tests.conftest import WriteLedger

runner = CliRunner(env={"NO_COLOR": "1", "RECONCILE_LEDGER": None})

GROUPINGS: dict[str, Callable[[int], str]] = {
    "comma": lambda n: f"{n:,}",
    "space": lambda n: f"{n:,}".replace(",", " "),
    "no-break space": lambda n: f"{n:,}".replace(",", "\u00a0"),
    "thin space": lambda n: f"{n:,}".replace(",", "\u2009"),
    "dot": lambda n: f"{n:,}".replace(",", "."),
    "plain": str,
}
COUNTS = st.integers(min_value=1_000, max_value=999_999_999_999)


@pytest.mark.parametrize("text", ["4.000", "12.000", "1.234.567", "about 4.000", "nearly 12.000",
                                  "1.500 million", "4.000-5.000", "at least 3.800"])  # fmt: skip
def test_dot_grouped_figures_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(FigureError, match=r"could be .* reconcile never guesses"):
        parse_figure(text)


@given(COUNTS, st.sampled_from(sorted(GROUPINGS)), st.booleans())
def test_a_grouped_count_is_read_whole_or_not_at_all(n: int, style: str, comma: bool) -> None:
    """Whatever the grouping and the decimal mark in force, a written count is read
    as itself or refused: never as a thousandth of itself."""
    written = GROUPINGS[style](n)
    with decimal_comma(comma):
        values = [m.value for m in find_numbers(f"some {written} soldiers")]
        try:
            figure: int | None = parse_figure(written).best
        except FigureError:
            figure = None
    ambiguous = (style == "dot" and not comma) or (style == "comma" and comma)
    if ambiguous:
        assert values == [] and figure is None
    else:
        assert values == [n] and figure == n


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_dot_and_three_digits_is_never_a_decimal(whole: int, thousandths: int) -> None:
    written = f"{whole}.{thousandths:03d}"
    assert find_numbers(written) == []
    with pytest.raises(FigureError):
        parse_figure(written)
    with decimal_comma():
        assert [m.value for m in find_numbers(written)] == [whole * 1000 + thousandths]


def test_decimal_comma_reads_decimals_with_a_scale_word() -> None:
    with decimal_comma():
        assert parse_figure("3,8 thousand").best == 3_800
        assert parse_figure("about 12.000").numbers == (12_000,)
    assert parse_figure("3.8 thousand").best == 3_800


def test_a_dot_grouped_ledger_figure_is_a_located_error(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    path = write_ledger(valid_text.replace("wounded: about 2,700", "wounded: about 2.700"))
    checked = check_file(path, display="ledger.yaml")
    bad = [issue for issue in checked.issues if issue.check == "bad-figure"]
    assert len(bad) == 1 and exit_code(checked.issues) == 1
    assert (bad[0].location.line, bad[0].location.column) == (20, 20)
    assert "'2.700' could be 2,700" in bad[0].message


def test_quotes_follow_their_documents_language(
    write_ledger: WriteLedger, valid_text: str, tmp_path: Path
) -> None:
    german = "Beamte sagten, mindestens 300 Soldaten seien getötet und etwa 2.700 verwundet worden."
    (tmp_path / "archive" / "article.txt").write_text(german, encoding="utf-8")
    text = valid_text.replace(
        "officials said that at least 300 soldiers were killed and about 2,700 were wounded",
        "mindestens 300 Soldaten seien getötet und etwa 2.700 verwundet worden",
    )
    # no language: 2.700 is no number, so the figure is not in its quote
    path = write_ledger(text)
    checks = [issue.check for issue in check_file(path, display="l.yaml").issues]
    assert "figure-not-in-quote" in checks
    # declared German: dots group thousands in its quotes
    path = write_ledger(
        text.replace("published: 2025-01-12", "published: 2025-01-12\n    language: de")
    )
    checks = [issue.check for issue in check_file(path, display="l.yaml").issues]
    assert "figure-not-in-quote" not in checks, checks
    assert comma_language("de-AT") and comma_language("FR") and not comma_language("en")


def test_import_refuses_dot_grouping_unless_told(tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "claimant,date,metric,low,words,url,quote\n"
        "nis,2025-01-13,killed,4.000,,https://a.example/x,some 4.000 killed\n"
        "nis,2025-01-14,wounded,,about 12.000,https://a.example/y,about 12.000 wounded\n",
        encoding="utf-8",
    )
    plain = runner.invoke(app, ["import", str(claims)])
    assert plain.exit_code == 1
    assert f"{claims}:2:4: error: row 2: low '4.000' could be a grouped count" in plain.stderr
    assert f"{claims}:3:5: error: row 3: the words 'about 12.000'" in plain.stderr
    assert "4000" not in plain.stdout and "killed: at least 4\n" not in plain.stdout
    told = runner.invoke(app, ["import", "--decimal-comma", str(claims)])
    assert told.exit_code == 0, told.stderr
    assert "killed: at least 4,000" in told.stdout
    assert "wounded: about 12,000" in told.stdout


def test_extract_reads_dot_grouping_only_when_told() -> None:
    text = "Die Behörden sagten, 4.000 Soldaten seien getötet worden."
    assert all(f.figure.numbers != (4,) for f in extract(text))
    assert not any(4_000 in f.figure.numbers for f in extract(text))
    with decimal_comma():
        assert any(4_000 in f.figure.numbers for f in extract(text))


def test_extract_warns_where_it_does_not_read_and_writes_ledger_figures(tmp_path: Path) -> None:
    article = tmp_path / "de.txt"
    article.write_text(
        "Officials said 4.000 soldiers were killed.\nLater, about 12.000 were wounded.\n",
        encoding="utf-8",
    )
    plain = runner.invoke(app, ["extract", str(article)])
    assert plain.exit_code == 0
    assert f"{article}:1:16: warning: '4.000' could be a grouped count" in plain.stderr
    assert f"{article}:2:14: warning: '12.000'" in plain.stderr
    told = runner.invoke(app, ["extract", "--decimal-comma", "-f", "yaml", str(article)])
    assert told.exit_code == 0 and "ambiguous-number" not in told.stderr
    # the ledger reads its figures with a decimal point: written 4,000 and about 12,000
    assert "killed: 4,000\n" in told.stdout and "wounded: about 12,000\n" in told.stdout
    assert "quote: Officials said 4.000 soldiers were killed." in told.stdout
