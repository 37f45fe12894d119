"""The HTML report's content (publish.py), its charts' geometry (charts.py) and the
page itself (html_report.py), without a browser (tests/test_browser.py opens it)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.checks.run import check_file
from reconcile.core.models import Metric
from reconcile.render.html import report_html, timeline_svg
from reconcile.reports.observations import Filters, observations
from reconcile.views.geometry import (
    CHAR,
    MIN_TICK_GAP,
    PALETTE,
    chart,
    claimant_styles,
    date_ticks,
    nice_step,
)
from reconcile.views.publish import (
    EXCERPT_CHARS,
    MAX_INLINE_CHARS,
    Page,
    locate,
    normalised_with_offsets,
    page,
    pieces,
)
from tests import hostile
from tests.conftest import SHIPPED, WriteLedger


def shipped_page(filters: Filters | None = None) -> tuple[Page, str]:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    content = page(
        checked.ledger,
        checked.texts,
        filters or Filters(),
        ledger_name="data/estimates.yaml",
        window=14,
        version="0.0.0",
        today=date(2025, 2, 1),
    )
    return content, report_html(content)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


# --- quotes in their documents ----------------------------------------------


def test_locate_finds_a_quote_as_validate_compares_it() -> None:
    text = "Intro.  He said “around\n 3,800 were killed” — says Kyiv."
    start, end = locate(text, 'said "around 3,800 were killed" - says') or (0, 0)
    assert text[start:end] == "said “around\n 3,800 were killed” — says"
    assert locate(text, "not there") is None
    assert locate("abc", "b") == (1, 2)


@given(
    st.text(
        st.sampled_from(list("ab 3,.\n\t\u00a0\u2019\u201c\u2013\ufb01\uff13\u0301é\u2028x")),
        max_size=40,
    )
)
def test_normalising_by_runs_is_what_coverage_does_by_character(text: str) -> None:
    from reconcile.reports.coverage import _normalised_with_offsets

    assert normalised_with_offsets(text) == _normalised_with_offsets(text)


def test_pieces_mark_quotes_and_share_overlapping_ones() -> None:
    text = "aaa QUOTE one bbb"
    cut, excerpted = pieces(text, [("q-a-1", (4, 13)), ("q-b-1", (10, 17))])
    assert not excerpted
    assert [(p.text, p.marks) for p in cut] == [("aaa ", ()), ("QUOTE one bbb", ("q-a-1", "q-b-1"))]


def test_long_texts_are_cut_to_excerpts_around_their_quotes() -> None:
    text = "x" * MAX_INLINE_CHARS + "THE QUOTE" + "y" * MAX_INLINE_CHARS
    at = text.index("THE QUOTE")
    cut, excerpted = pieces(text, [("q-e-1", (at, at + 9))])
    assert excerpted
    assert sum(len(p.text) for p in cut) == 9 + 2 * EXCERPT_CHARS
    assert [p.gap for p in cut] == [True, False, False, False, True]
    assert cut[2].marks == ("q-e-1",)


# --- chart geometry ------------------------------------------------------------


@given(st.integers(1, 10**12), st.integers(1, 12))
def test_nice_step_cuts_a_span_into_few_parts(span: int, most: int) -> None:
    step = nice_step(span, most)
    assert span / step <= most
    assert re.fullmatch(r"[125]0*", str(step))


@given(
    st.dates(date(1990, 1, 1), date(2040, 1, 1)),
    st.integers(0, 20_000),
    st.integers(200, 2000),
)
def test_date_labels_never_overlap(first: date, days: int, width: int) -> None:
    last = first + timedelta(days=days)
    ticks = date_ticks(first, last, width)
    assert ticks
    span = max(1, days)
    places = [(d - first).days * width / span for d, _ in ticks]
    for (a, label_a), (b, label_b), pa, pb in zip(
        ticks, ticks[1:], places, places[1:], strict=False
    ):
        assert first <= a < b <= last
        assert pb - pa >= (len(label_a) + len(label_b)) * CHAR / 2 or days == 0
    assert len(ticks) <= max(1, width // MIN_TICK_GAP) + 1


def test_chart_draws_what_the_words_say() -> None:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    found = [o for o in observations(checked.ledger) if o.metric is Metric.CASUALTIES]
    styles = claimant_styles(s.id for s in checked.ledger.sources)
    names = {s.id: s.name for s in checked.ledger.sources}
    drawn = chart("NK", "casualties", found, styles, names)
    marks = {m.estimate: m for m in drawn.marks}
    nis = marks["nis-2025-01-13"]  # ≥3,000 derived: open-ended, hollow
    assert nis.open and nis.derived and nis.y_high is None
    nikkei = marks["nikkei-2025"]  # "around 4,000" in 2025: a span over the year
    assert nikkei.spans and nikkei.x1 - nikkei.x0 > 100
    assert nikkei.ranged and not nikkei.open
    assert "Nikkei Asia" in nikkei.label
    # everything inside the plot, labels inside the picture
    for m in drawn.marks:
        assert drawn.left <= m.x0 <= m.x <= m.x1 <= drawn.right
        assert drawn.top <= m.y <= drawn.bottom
    assert all(t.at - len(t.label) * CHAR / 2 >= 0 for t in drawn.x_ticks)
    assert all(t.at + len(t.label) * CHAR / 2 <= drawn.width for t in drawn.x_ticks)
    assert drawn.y_ticks[0].label == "0"


def test_a_claimant_keeps_its_style_whatever_is_filtered() -> None:
    ids = ["a", "b", "c"]
    assert claimant_styles(ids)["c"] == claimant_styles([*ids, "d"])["c"]
    many = claimant_styles(f"s{n}" for n in range(60))
    assert len({(s.colour, s.shape) for s in many.values()}) == 60
    assert many["s10"].colour == PALETTE[0] and many["s10"].shape != many["s0"].shape


# --- the page ---------------------------------------------------------------


def test_every_quote_of_the_shipped_ledger_is_linked_to_its_place_in_its_text() -> None:
    _, html = shipped_page()
    elements = parse(html)
    ids = {attrs["id"] for _, attrs in elements.tags if attrs.get("id")}
    hrefs = [attrs["href"] for tag, attrs in elements.tags if tag == "a" and attrs.get("href")]
    internal = [h for h in hrefs if h and h.startswith("#")]
    assert internal
    missing = {h for h in internal if h[1:] not in ids}
    assert not missing
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    for estimate in checked.ledger.estimates:
        for n, _ in enumerate(estimate.reported_in, 1):
            assert f'href="#q-{estimate.id}-{n}"' in html
            anchor = f'id="q-{estimate.id}-{n}"'
            assert f"<mark {anchor}" in html or f"<span {anchor}" in html


def test_the_page_is_one_offline_file() -> None:
    _, html = shipped_page()
    elements = parse(html)
    tags = {tag for tag, _ in elements.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    for _, attrs in elements.tags:
        for name in ("src", "srcset", "action", "data"):
            assert name not in attrs
    assert "default-src 'none'" in html
    assert "url(" not in html and "@import" not in html


def test_the_page_is_accessible_text() -> None:
    content, html = shipped_page()
    elements = parse(html)
    svgs = [attrs for tag, attrs in elements.tags if tag == "svg" and attrs.get("role") == "img"]
    assert len(svgs) == len(content.panels) >= 1
    assert all(attrs.get("aria-labelledby") for attrs in svgs)
    assert html.count("<desc") == len(svgs)
    assert '<th scope="col">' in html
    text = " ".join(elements.text)
    for figure in ("~3,800", "≥300", "2,700", "~1,000", "12,000"):
        assert figure in text
    assert "Volodymyr Zelensky, President of Ukraine" in text
    assert "conflict" in text and "wording" in text


@pytest.mark.parametrize("metric", list(Metric))
def test_every_link_of_a_filtered_page_lands(metric: Metric) -> None:
    content, html = shipped_page(Filters(metrics=frozenset({metric})))
    elements = parse(html)
    ids = {attrs["id"] for _, attrs in elements.tags if attrs.get("id")}
    hrefs = {attrs.get("href") or "" for tag, attrs in elements.tags if tag == "a"}
    assert {h for h in hrefs if h.startswith("#") and h[1:] not in ids} == set()
    if metric is Metric.CASUALTIES:  # nis gives killed and wounded: its derived total
        assert "nis-2025-01-13" in {e.id for e in content.estimates}


def test_filters_narrow_the_page_and_are_named() -> None:
    content, html = shipped_page(Filters(metrics=frozenset({Metric.KILLED})))
    assert [row.metric for row in content.summary] == ["killed"]
    assert "metric: killed" in html
    assert all(any(f.metric == "killed" for f in e.figures) for e in content.estimates)


def test_a_hostile_ledger_renders_inert(tmp_path: Path) -> None:
    checked = check_file(hostile.write(tmp_path))
    assert checked.ledger is not None
    assert not [i for i in checked.issues if i.severity.value == "error"]
    content = page(
        checked.ledger,
        checked.texts,
        Filters(),
        ledger_name="ledger.yaml",
        window=14,
        version="0",
        today=date(2025, 2, 1),
    )
    html = report_html(content)
    elements = parse(html)
    assert not [t for t, _ in elements.tags if t in {"script", "img", "iframe"}]
    assert [t for t, _ in elements.tags].count("svg") == html.count("<svg")
    for tag, attrs in elements.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript")
    text = "".join(elements.text)
    assert hostile.SCRIPT in text and hostile.IMG in text
    assert "&lt;script&gt;" in html


def test_standalone_svg_is_valid_xml_with_editable_text(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    checked = check_file(hostile.write(tmp_path))
    assert checked.ledger is not None
    found = observations(checked.ledger)
    styles = claimant_styles(s.id for s in checked.ledger.sources)
    names = {s.id: s.name for s in checked.ledger.sources}
    svg = timeline_svg(
        [chart("s", "killed", [o for o in found if o.metric is Metric.KILLED], styles, names)],
        title=hostile.SCRIPT,
        source="Source: " + hostile.SVG,
    )
    root = ET.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(ns + "script"))
    texts = [t.text or "" for t in root.iter(ns + "text")]
    assert hostile.SCRIPT in texts
    assert any("Officials" in t for t in texts)
    assert not [name for element in root.iter() for name in element.attrib if name.startswith("on")]


@pytest.mark.parametrize("width", [360, 720])
def test_chart_width_is_honoured(width: int) -> None:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    found = observations(checked.ledger)
    styles = claimant_styles(s.id for s in checked.ledger.sources)
    drawn = chart("s", "m", found, styles, {}, width=width)
    assert drawn.right == width - 18
    assert all(m.x <= drawn.right for m in drawn.marks)


def test_many_charts_become_small_multiples_with_one_key() -> None:
    from reconcile.views.geometry import GRID_AFTER, GRID_COLUMNS, SMALL_WIDTH, stack

    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    found = observations(checked.ledger)
    styles = claimant_styles(s.id for s in checked.ledger.sources)
    names = {s.id: s.name for s in checked.ledger.sources}
    one = chart("s", "casualties", found, styles, names, width=SMALL_WIDTH)
    few = stack([one] * GRID_AFTER, "title", ["source"])
    assert few.shared == () and all(few.keys)
    assert {x for x, _ in few.places} == {0}
    many = stack([one] * (GRID_AFTER + 1), "title " * 40, ["source " * 80])
    assert many.width == GRID_COLUMNS * SMALL_WIDTH
    assert {x for x, _ in many.places} == {0, SMALL_WIDTH, 2 * SMALL_WIDTH}
    assert not any(many.keys)
    assert [item.claimant for item in many.shared] == [c for c, _, _ in one.claimants]
    assert len(many.header) > 1 and len(many.footer) > 1, "long text is wrapped, not clipped"
    assert all(len(line.text) * line.size * 0.62 <= many.width for line in many.footer)
    assert max(line.y for line in many.footer) < many.height


def test_a_period_figure_is_drawn_over_its_period(
    write_ledger: WriteLedger, valid_text: str
) -> None:
    path = write_ledger(
        valid_text.replace(
            "    as_of: 2025-01-10\n", "    as_of: 2025-01-10\n    period: 2024-10/2024-12\n"
        )
    )
    checked = check_file(path)
    assert checked.ledger is not None and checked.ledger.estimates[0].period is not None
    found = observations(checked.ledger)
    styles = claimant_styles(s.id for s in checked.ledger.sources)
    drawn = chart("s", "killed", [o for o in found if o.metric is Metric.KILLED], styles, {})
    (mark,) = drawn.marks
    assert mark.period is not None
    start, end = mark.period
    assert drawn.left <= start < end < mark.x, "October to December, before the claim"
    assert "counted over 2024-10/2024-12" in mark.label
    svg = timeline_svg([drawn], title="t", source="s")
    assert 'stroke-dasharray="4 3"' in svg


def test_the_report_gives_the_consensus_estimate_where_one_exists(tmp_path: Path) -> None:
    """Issue 17 asks for 'the consensus estimate where one exists': on The Economist's
    claims, one row per subject and cumulative metric, its interval around its central
    value, at the last month of the claims; the shipped ledger's independent claimants
    state running totals too (nis killed and wounded, US casualties)."""
    from reconcile.views.publish import consensus
    from tests import economist

    checked = check_file(economist.import_ledger(tmp_path))
    assert checked.ledger is not None
    rows, note = consensus(checked.ledger, {s.id: s.name for s in checked.ledger.sources})
    assert note == ""
    assert [(r.subject, r.metric) for r in rows] == [
        ("russia", "killed"), ("russia", "casualties"),
        ("ukraine", "killed"), ("ukraine", "casualties"),
    ]  # fmt: skip
    for row in rows:
        low, best, high = (int(v.replace(",", "")) for v in (row.low, row.best, row.high))
        assert low <= best <= high and row.day == "2026-06-30"
        assert row.shares and all(share.endswith("%") for _, share in row.shares)
    _, html = shipped_page()
    assert 'id="consensus"' in html and "Consensus estimate" in html


def test_the_header_names_the_subjects_the_page_covers(tmp_path: Path) -> None:
    """The imported ledger's default subject is only its most common one: a page over both
    countries names both, and a page filtered to one names that one."""
    from tests import economist

    checked = check_file(economist.import_ledger(tmp_path))
    ledger = checked.ledger
    assert ledger is not None and ledger.subject == "russia"

    def header(filters: Filters) -> str:
        content = page(
            ledger, checked.texts, filters, ledger_name="economist.yaml",
            window=14, version="0.0.0", today=date(2026, 11, 30),
        )  # fmt: skip
        found = re.search(r"<p><strong>Subjects?:</strong> ([^<]*)</p>", report_html(content))
        assert found is not None
        return found.group(0)

    assert header(Filters()).endswith("Subjects:</strong> russia, ukraine</p>")
    assert header(Filters(subject="ukraine")).endswith("Subject:</strong> ukraine</p>")
    _, html = shipped_page()
    assert "<strong>Subject:</strong> North Korean troops sent to Russia</p>" in html


def test_without_the_estimate_extra_the_report_says_how_to_get_the_consensus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    from reconcile.views.publish import consensus

    real = builtins.__import__

    def no_numpy(name: str, *args: object, **kwargs: object) -> object:
        if name == "reconcile.reports.estimate":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_numpy)
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    rows, note = consensus(checked.ledger, {})
    assert rows == () and "reconcile-ledger[estimate]" in note
