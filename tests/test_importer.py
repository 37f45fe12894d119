"""CSV import and the YAML writer it uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.authoring.columns import slug
from reconcile.authoring.importer import import_csv
from reconcile.checks.run import check_file
from reconcile.core.issues import Severity
from reconcile.ingest.loader import load_text
from reconcile.ingest.writer import dump_yaml
from tests.conftest import ROOT

HEADER = "date,claimant,party,metric,low,high,best,words,url,quote\n"


def validated(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "imported.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    checked = check_file(path)
    assert checked.ledger is not None
    return [f"{i.severity.value} {i.check}" for i in checked.issues]


def test_example_csv_round_trip_validates_with_only_unarchived_warnings(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "examples" / "claims.csv").read_text(encoding="utf-8")
    imported = import_csv(text, "claims.csv")
    assert (imported.rows, imported.imported) == (6, 5)
    problems = validated(tmp_path, imported.data)
    assert problems == ["warning unarchived"] * 4
    estimates = imported.data["estimates"]
    nis = estimates[0]
    assert nis["killed"] == "at least 300" and nis["wounded"] == "2,700"
    assert nis["as_of"] == "2025-01-13"  # 13/01/2025 read day first
    assert [r["quote"][:20] for r in nis["reported_in"]] == [
        "at least 300 North K",
        "no quote yet: wounde",
    ]
    assert estimates[1]["captured"] == 2
    assert estimates[3]["casualties"] == "up to 3,800"
    assert imported.data["sources"][1]["party"] == "Ukraine"
    assert imported.data["sources"][0]["party"] == "third-party"


def test_bad_rows_are_each_reported_with_row_and_column() -> None:
    text = HEADER + (
        "2025-01-13,Kyiv,Ukraine,killed,300,,,,https://a.example/x,\n"
        "31/02/2025,Kyiv,Ukraine,killed,300,,,,https://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,exploded,300,,,,https://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,killed,lots,,,,https://a.example/x,\n"
        "2025-01-13,,Ukraine,wounded,300,,,,https://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,wounded,,,,,https://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,wounded,500,400,,,https://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,wounded,5,,,,ftp://a.example/x,\n"
        "2025-01-13,Kyiv,Ukraine,wounded,,,,about lots,https://a.example/x,\n"
    )
    imported = import_csv(text, "c.csv")
    assert (imported.rows, imported.imported) == (9, 1)
    assert [f"{i.location} {i.check}" for i in imported.issues if i.severity is Severity.ERROR] == [
        "c.csv:3:1 import-bad-date",
        "c.csv:4:4 import-bad-metric",
        "c.csv:5:5 import-bad-number",
        "c.csv:6:2 import-missing-field",
        "c.csv:7:5 import-missing-field",
        "c.csv:8:6 import-bad-number",
        "c.csv:9:9 import-bad-url",
        "c.csv:10:8 import-bad-number",
    ]


def test_rows_of_one_claim_become_one_estimate_and_near_duplicates_are_reported(
    tmp_path: Path,
) -> None:
    text = HEADER + (
        "2025-01-13,NIS,no,killed,300,300,,,https://a.example/x,\n"
        "13.01.2025,NIS,no,wounded,,,2700,,https://a.example/x,\n"
        "2025-01-13,N.I.S.,no,wounded,,,2700,,https://a.example/y,\n"
        "2025-01-13,Volodymyr Zelensky,yes,casualties,3000,,,,https://a.example/z,\n"
        "2025-01-13,Volodymyr Zelenskyy,Ukraine,casualties,,,,nearly 3 800,https://a.example/z,\n"
    )
    imported = import_csv(text, "c.csv")
    estimates = imported.data["estimates"]
    assert [(e["id"], e.get("killed"), e.get("wounded")) for e in estimates[:2]] == [
        ("nis-2025-01-13", 300, "2,700"),
        ("n-i-s-2025-01-13", None, "2,700"),
    ]
    warnings = [(i.location.line, i.check) for i in imported.issues]
    assert (4, "import-near-duplicate-claimant") in warnings
    assert (5, "import-party-unnamed") in warnings
    assert (6, "import-near-duplicate-claimant") in warnings
    assert estimates[2]["casualties"] == "at least 3,000"
    assert estimates[3]["casualties"] == "nearly 3 800"
    assert "error" not in validated(tmp_path, imported.data)


def test_column_mapping_and_missing_columns() -> None:
    text = "When,Who,What,Figure,Link\n2025-01-13,Kyiv,killed,300,https://a.example/x\n"
    missing = import_csv(text, "c.csv")
    assert [i.check for i in missing.issues if i.severity is Severity.ERROR] == [
        "import-missing-column"
    ]
    mapped = import_csv(
        text, "c.csv", mapping={"When": "date", "Who": "claimant", "What": "metric"}
    )
    assert mapped.imported == 1
    assert mapped.data["estimates"][0]["killed"] == 300


def test_month_first_and_semicolons() -> None:
    text = "date;claimant;metric;best;url\n01/13/2025;Kyiv;killed;300;https://a.example/x\n"
    assert import_csv(text, "c.csv").imported == 0
    imported = import_csv(text, "c.csv", month_first=True)
    assert imported.data["estimates"][0]["as_of"] == "2025-01-13"


def test_slugs() -> None:
    assert slug("Volodymyr Zelensky") == "volodymyr-zelensky"
    assert slug("Služba bezpeky Ukrayiny (SBU)") == "sluzba-bezpeky-ukrayiny-sbu"
    assert slug("Зеленський") == ""


def test_dump_yaml_reads_back_and_quotes_what_must_be() -> None:
    data = {"a": "no", "b": "1e3", "c": "2025-01-13", "d": "about 3,800, or so", "e": 12,
            "f": None, "g": ["x: y", "#z", ""], "h": "Ünïcode"}  # fmt: skip
    text = dump_yaml(data)
    assert "Ünïcode" in text
    assert load_text(text, "x").data == data


scalars = st.one_of(
    st.text(max_size=30), st.integers(min_value=-(10**15), max_value=10**15), st.booleans(),
    st.none(),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=10), values, max_size=5))
def test_dump_yaml_round_trips(data: dict[str, Any]) -> None:
    loaded = load_text(dump_yaml(data), "x")
    assert loaded.issues == ()
    assert loaded.data == data


@pytest.mark.parametrize("bad", ['"unterminated\n', "a,b\n\x00,1\n"])
def test_unreadable_csv_never_raises(bad: str) -> None:
    imported = import_csv(bad, "c.csv")
    assert imported.imported == 0
    assert imported.issues


def test_every_import_check_id_is_documented() -> None:
    import re

    from reconcile.checks import CHECKS

    source = (ROOT / "reconcile" / "authoring" / "importer.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(import-[a-z-]+)"', source))
    assert len(used) >= 14
    assert used <= set(CHECKS)


ROW = "2025-01-13,Kyiv,Ukraine,killed,300,,,,https://a.example/x,\n"


@pytest.mark.parametrize(
    ("text", "mapping", "where", "check"),
    [
        ("", None, "c.csv", "import-empty"),
        (HEADER + ROW, {"zzz": "nonsense"}, "c.csv", "import-bad-mapping"),
        (
            HEADER.replace(",quote\n", ",quote,zzz\n") + ROW.replace("\n", ",x\n"),
            None,
            "c.csv:1:11",
            "import-unknown-column",
        ),
        (
            HEADER
            + '2025-01-13,Kyiv,Ukraine,killed,"'
            + "9" * 200_000
            + '",,,,https://a.example/x,\n',
            None,
            "c.csv:2",
            "import-unreadable",
        ),
        (
            HEADER.replace(",quote\n", ",quote,kind\n") + ROW.replace("\n", ",aliens\n"),
            None,
            "c.csv:2:11",
            "import-bad-kind",
        ),
        (
            HEADER + "2025-01-13,Kyiv,Ukraine,killed,100,200,500,,https://a.example/x,\n",
            None,
            "c.csv:2:7",
            "import-best-outside",
        ),
        (
            HEADER
            + "2025-01-13,Kyiv,Ukraine,killed,300,,,,https://a.example/x,Kyiv said 400 died\n",
            None,
            "c.csv:2:10",
            "import-figure-not-in-quote",
        ),
        (HEADER + ROW + ROW.replace("300", "400"), None, "c.csv:3", "import-split-claim"),
    ],
)
def test_each_import_problem_is_reported_where_it_is(
    text: str, mapping: dict[str, str] | None, where: str, check: str
) -> None:
    imported = import_csv(text, "c.csv", mapping=mapping)
    found = {(str(issue.location), issue.check) for issue in imported.issues}
    assert any(place.startswith(where) and found_check == check for place, found_check in found), (
        found
    )


def test_central_value_is_kept_and_a_described_source_becomes_a_document_without_url(
    tmp_path: Path,
) -> None:
    text = HEADER + (
        "2024-02-04,Meduza,no,killed,75600,99600,85600,,(via email from Meduza),\n"
        "2024-02-05,Meduza,no,killed,75600,,85600,,https://a.example/m,\n"
        "2024-02-06,Meduza,no,killed,,,85600,,ftp://a.example/m,\n"
    )
    imported = import_csv(text, "c.csv")
    assert [(f"{i.location}", i.check) for i in imported.issues] == [
        ("c.csv:2:9", "import-no-url"),
        ("c.csv:3:7", "import-best-dropped"),
        ("c.csv:4:9", "import-bad-url"),
    ]
    estimates = imported.data["estimates"]
    assert [e["killed"] for e in estimates] == ["85,600 (75,600-99,600)", "at least 75,600"]
    document = imported.data["documents"][0]
    assert ("url" not in document, document["title"]) == (True, "(via email from Meduza)")
    assert "error" not in " ".join(validated(tmp_path, imported.data))


def test_merge_joins_two_names_into_one_source_with_an_alias() -> None:
    text = HEADER + (
        "2025-01-13,UK MoD,no,killed,,,300,,https://a.example/x,\n"
        "2025-02-13,UK Ministry of Defence,no,killed,,,400,,https://a.example/y,\n"
        "2025-03-13,CSIS,no,killed,,,500,,https://a.example/z,\n"
        "2025-04-13,The Centre for Strategic and International Studies,no,killed,,,600,,"
        "https://a.example/w,\n"
    )
    plain = import_csv(text, "c.csv")
    assert [(i.location.line, i.check) for i in plain.issues] == [
        (3, "import-near-duplicate-claimant"),
        (5, "import-near-duplicate-claimant"),
    ]
    assert "--merge 'UK Ministry of Defence=UK MoD'" in (plain.issues[0].hint or "")
    merged = import_csv(
        text, "c.csv", merge={"UK Ministry of Defence": "UK MoD", "Nobody": "UK MoD"}
    )
    assert [(i.location.line, i.check) for i in merged.issues] == [
        (5, "import-near-duplicate-claimant"),
        (0, "import-merge-unused"),
    ]
    uk = merged.data["sources"][0]
    assert (uk["id"], uk["aliases"]) == ("uk-mod", ["UK Ministry of Defence"])
    assert [e["claimant"] for e in merged.data["estimates"]][:2] == ["uk-mod", "uk-mod"]


# --- rows without a url, urls followed by prose, placeholders (issue 16) ------------

ECONOMIST = ROOT / "tests" / "data" / "economist-ukraine" / "estimates.csv"
ECONOMIST_PARTY = {"ignore for chart, data from warring parties": "party"}


def test_a_url_followed_by_prose_is_split_into_url_and_note() -> None:
    from reconcile.authoring.columns import split_url

    assert split_url("https://ualosses.org/en/soldiers/ (note, exclude pre-invasion deaths)") == (
        "https://ualosses.org/en/soldiers/",
        "(note, exclude pre-invasion deaths)",
    )
    assert split_url("(new to this piece, via email from Alexandr at Meduza)") == (
        "",
        "(new to this piece, via email from Alexandr at Meduza)",
    )
    assert split_url("") == ("", "")
    assert split_url("ftp://a.example/x") == (None, "")


def test_rows_without_a_url_become_unarchived_documents_with_their_note(tmp_path: Path) -> None:
    text = HEADER + (
        "2024-01-01,Mediazona,no,killed,,,83000,,(via email from Meduza),\n"
        "2024-02-04,Mediazona,no,killed,,,85600,,(via email from Meduza),\n"
        "2024-02-05,UAlosses,no,killed,,,60000,,https://ualosses.org/en/ (note: dead only),\n"
    )
    imported = import_csv(text, "c.csv")
    assert (imported.rows, imported.imported) == (3, 3)
    assert [i.check for i in imported.issues] == ["import-no-url", "import-no-url"]
    email, ualosses = imported.data["documents"]
    assert email == {
        "id": "unpublished-via-email-from-meduza",
        "title": "(via email from Meduza)",
        "publisher": None,
        "published": None,
        "notes": "Imported from c.csv; not archived yet. The spreadsheet says: "
        "(via email from Meduza)",
    }
    assert ualosses["url"] == "https://ualosses.org/en/"
    assert ualosses["notes"].endswith("The spreadsheet says: (note: dead only)")
    assert [e["reported_in"][0]["document"] for e in imported.data["estimates"]] == [
        "unpublished-via-email-from-meduza",
        "unpublished-via-email-from-meduza",
        "ualosses-org-en",
    ]
    # the placeholder states the figure and nothing about the file it came from
    assert imported.data["estimates"][0]["reported_in"][0]["quote"] == "no quote yet: killed 83,000"
    assert imported.data["estimates"][0]["notes"].startswith("Imported from c.csv row 2.")
    assert "error" not in " ".join(validated(tmp_path, imported.data))


def test_every_row_of_the_economists_spreadsheet_is_imported(tmp_path: Path) -> None:
    imported = import_csv(ECONOMIST.read_text(encoding="utf-8"), "e.csv", mapping=ECONOMIST_PARTY)
    assert (imported.rows, imported.imported) == (124, 124)
    assert [i for i in imported.issues if i.severity is Severity.ERROR] == []
    unpublished = [d for d in imported.data["documents"] if "url" not in d]
    assert [d["id"] for d in unpublished] == ["unpublished-new-to-this-piece-via-email"]
    assert all(" " not in d.get("url", "") for d in imported.data["documents"])
    assert "error" not in " ".join(validated(tmp_path, imported.data))


def _ledger_copy(tmp_path: Path) -> Path:
    from tests.conftest import copy_shipped

    return copy_shipped(tmp_path)


def test_merge_matches_claimants_documents_and_claims(tmp_path: Path) -> None:
    from reconcile.authoring.merging import merge

    ledger = check_file(_ledger_copy(tmp_path)).ledger
    assert ledger is not None
    text = HEADER + (
        # the ledger's own claim, by a name it knows: a duplicate, left out
        "11/01/2025,Zelensky,Ukraine,captured,2,2,,,https://a.example/new,\n"
        # a new claim by an alias, and one by a name only --alias knows
        "14/01/2025,Washington,no,killed,,,500,,https://a.example/new,\n"
        "15/01/2025,Seoul's spies,no,killed,,,600,,https://a.example/new,\n"
        "15/01/2025,Ministry,no,killed,,,700,,https://a.example/other,\n"
    )
    imported = import_csv(text, "c.csv")
    merged = merge(
        imported.data, ledger, aliases={"Seoul's spies": "nis", "Ministry": "uk-mod"}, name="c.csv"
    )
    assert merged.matched_sources == {
        "Zelensky": "zelensky",
        "Washington": "us-government",
        "Seoul's spies": "nis",
    }
    assert [s["id"] for s in merged.sources] == ["ministry"]
    assert [(i.check, i.message) for i in merged.issues] == [
        (
            "import-unknown-alias",
            "--alias 'ministry'='uk-mod': 'uk-mod' is not a source of the ledger; "
            "the alias is not used",
        )
    ]
    assert merged.duplicates == (("zelensky-2025-01-11", "zelensky-2025-01-11-captured"),)
    assert [(e["id"], e["claimant"]) for e in merged.estimates] == [
        ("us-government-2025-01-14", "us-government"),
        ("nis-2025-01-15", "nis"),
        ("ministry-2025-01-15", "ministry"),
    ]


def test_merge_matches_documents_by_url() -> None:
    from reconcile.authoring.merging import url_key

    assert url_key("https://www.Example.org/a/") == url_key("http://example.org/a")
    assert url_key("https://example.org/a?b=1") != url_key("https://example.org/a")


def test_a_url_that_cannot_be_parsed_is_a_located_error_not_a_crash() -> None:
    """Found by the fuzzer after the merge of issues 12 and 16: 'https://[host/x'
    made urlsplit raise (Invalid IPv6 URL) and import end in a traceback."""
    text = HEADER + "2025-01-13,NIS,no,killed,,,300,,https://[example.org/nis,\n"
    imported = import_csv(text, "c.csv")
    assert [(f"{i.location}", i.check) for i in imported.issues] == [
        ("c.csv:2:9", "import-bad-url")
    ]
    assert imported.imported == 0
