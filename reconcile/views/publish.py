"""The HTML report's content: what the page shows, as plain data, before any HTML.

`page()` gathers, for the estimates the filters keep: the summary, the
discrepancies with their reasons, one chart per subject and metric, every
estimate with its claimant, date, words and quotes, and the archived text of
every document they quote, each quote marked where it occurs so that a link
reaches it.  `reconcile/html.py` writes it with Jinja2 (autoescape on: every
string here may come from a stranger's ledger and is never trusted as HTML).

Anchors (stable, for linking from outside too): `est-<estimate id>`,
`doc-<document id>`, `q-<estimate id>-<n>` (the n-th report of an estimate,
from 1, marked in its document's text), `src-<source id>`, `chart-<n>`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from reconcile.core.figure_text import format_figure
from reconcile.core.models import Ledger
from reconcile.core.numbers import format_count
from reconcile.core.text import normalise
from reconcile.reports.discrepancies import KINDS
from reconcile.reports.observations import (
    CUMULATIVE,
    Filters,
    Observation,
    grouped,
    kept_estimates,
    observations,
)
from reconcile.reports.summary import Summary, summarise
from reconcile.reports.timeline import timeline
from reconcile.views.geometry import Chart, Style, chart, claimant_styles, span_of
from reconcile.views.reports import median_words

MAX_INLINE_CHARS = 200_000
"""A document text longer than this is shown as excerpts around its quotes, so a
page stays a size a browser opens (an archived text may be 16 MiB)."""
EXCERPT_CHARS = 1_500
"""Characters kept either side of a quote in an excerpt."""


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A figure as the page cites it: who, what, when, and where its entry is."""

    estimate: str
    claimant: str
    name: str
    shown: str
    words: str
    as_of: str
    derived: bool
    style: Style

    @property
    def anchor(self) -> str:
        return f"est-{self.estimate}"


@dataclass(frozen=True, slots=True)
class ConsensusRow:
    """The consensus estimate (`reconcile estimate --independent`) at its last month."""

    subject: str
    metric: str
    day: str
    low: str
    best: str
    high: str
    claims: int
    claimants: int
    shares: tuple[tuple[str, str], ...]
    """The claimants weighing most (name, share in percent), largest first."""


CONSENSUS_PANELS = 12
"""At most this many subject/metric pairs get a consensus (each is a bootstrap fit)."""


def consensus(ledger: Ledger, names: dict[str, str]) -> tuple[tuple[ConsensusRow, ...], str]:
    """The consensus estimate of each cumulative subject and metric, from independent
    claimants, at the last month of their claims; and a note when it cannot be shown
    (the optional `estimate` extra missing)."""
    try:
        from reconcile.reports.estimate import NoClaims, estimate  # noqa: PLC0415 (the extra)
    except ImportError:  # numpy and SciPy are the optional `estimate` extra
        return (), (
            "The consensus estimate needs the optional estimate extra "
            "(python3 -m pip install 'reconcile-ledger[estimate]')."
        )
    pairs = [
        (subject, metric)
        for subject, metric in grouped(observations(ledger, Filters(independent=True)))
        if metric in CUMULATIVE and metric.value != "deployed"
    ]
    rows: list[ConsensusRow] = []
    for subject, metric in pairs[:CONSENSUS_PANELS]:
        try:
            found = estimate(ledger, metric, subject=subject, independent=True)
        except NoClaims:
            continue
        if not found.points:
            continue
        last = found.points[-1]
        rows.append(
            ConsensusRow(
                subject,
                metric.value,
                last.day.isoformat(),
                format_count(last.low),
                format_count(last.best),
                format_count(last.high),
                len(found.claims),
                len({c.claimant for c in found.claims}),
                tuple(
                    (names.get(claimant, claimant), f"{share * 100:.0f}%")
                    for claimant, share in found.shares[:3]
                ),
            )
        )
    note = ""
    if len(pairs) > CONSENSUS_PANELS:
        note = (
            f"Consensus shown for the first {CONSENSUS_PANELS} of {len(pairs)} "
            "subjects and metrics."
        )
    return tuple(rows), note


@dataclass(frozen=True, slots=True)
class SummaryRow:
    subject: str
    metric: str
    estimates: int
    claimants: int
    lowest: FigureRef
    highest: FigureRef
    median: str
    spread: str
    from_derived: bool
    latest: tuple[FigureRef, ...]


@dataclass(frozen=True, slots=True)
class DiscrepancyRow:
    rank: int
    kind: str
    kind_meaning: str
    subject: str
    metric: str
    reason: str
    estimates: tuple[str, ...]
    certain: bool


@dataclass(frozen=True, slots=True)
class PanelView:
    anchor: str
    chart: Chart
    rows: tuple[FigureRef, ...]


@dataclass(frozen=True, slots=True)
class FigureLine:
    metric: str
    words: str
    shown: str


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One document reporting an estimate."""

    anchor: str
    """The id of the quote's mark in the document text (`q-<estimate>-<n>`)."""
    document: str
    title: str
    quote: str
    found: bool
    """Whether the quote was found in the archived text (the link then reaches it)."""
    archived: bool
    url: str | None
    wording: tuple[FigureLine, ...]
    notes: str | None


@dataclass(frozen=True, slots=True)
class EstimateView:
    id: str
    claimant: str
    name: str
    party: str
    subject: str
    as_of: str
    period: str | None
    figures: tuple[FigureLine, ...]
    reports: tuple[ReportLine, ...]
    notes: str | None
    style: Style

    @property
    def anchor(self) -> str:
        return f"est-{self.id}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a document's text; `marks` are the quote anchors that start it
    (a marked stretch is a quote), `gap` an elision between excerpts."""

    text: str
    marks: tuple[str, ...] = ()
    gap: bool = False


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: str
    title: str
    publisher: str | None
    published: str | None
    url: str | None
    language: str | None
    relays: tuple[str, ...]
    archived: bool
    excerpted: bool
    pieces: tuple[Piece, ...]
    notes: str | None
    quoted_by: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"doc-{self.id}"


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    name: str
    kind: str
    party: str
    aliases: tuple[str, ...]
    notes: str | None
    style: Style


@dataclass(frozen=True, slots=True)
class Page:
    title: str
    subject: str
    ledger: str
    generated: str
    version: str
    filters: tuple[str, ...]
    window: int
    counts: dict[str, int]
    summary: tuple[SummaryRow, ...]
    discrepancies: tuple[DiscrepancyRow, ...]
    kinds: tuple[tuple[str, str], ...]
    panels: tuple[PanelView, ...]
    estimates: tuple[EstimateView, ...]
    documents: tuple[DocumentView, ...]
    sources: tuple[SourceView, ...]
    warnings: int = 0
    consensus: tuple[ConsensusRow, ...] = ()
    consensus_note: str = ""
    as_of: str | None = None
    """The summary's date D: each claimant's latest figure as of D (docs/reports.md)."""
    recent: int = 0
    """Days before D within which a latest figure enters the range of claims."""
    as_of_note: str = ""
    """How D was chosen (`Summary.as_of_note`)."""

    @property
    def subjects(self) -> tuple[str, ...]:
        """The subjects the page covers (a subject column is shown only for several)."""
        return tuple(dict.fromkeys(row.subject for row in self.summary))


def _ref(o: Observation, names: dict[str, str], styles: dict[str, Style]) -> FigureRef:
    return FigureRef(
        o.estimate,
        o.claimant,
        names.get(o.claimant, o.claimant),
        o.shown,
        o.words,
        o.as_of.text,
        o.derived,
        styles[o.claimant],
    )


def describe_filters(filters: Filters) -> tuple[str, ...]:
    """The filters in words, for the page's header ("none" is said too)."""
    out: list[str] = []
    if filters.metrics:
        out.append("metric: " + ", ".join(sorted(m.value for m in filters.metrics)))
    if filters.subject:
        out.append(f"subject: {filters.subject}")
    if filters.claimants:
        out.append("claimants: " + ", ".join(sorted(filters.claimants)))
    if filters.since:
        out.append(f"dated on or after {filters.since.isoformat()}")
    if filters.until:
        out.append(f"dated on or before {filters.until.isoformat()}")
    if filters.as_of:
        out.append(f"as of {filters.as_of.isoformat()}: only what had certainly been claimed")
    if filters.independent:
        out.append("independent claimants only (parties to the conflict left out)")
    return tuple(out)


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `text` (start, end), compared as `validate` compares
    quotes (NFKC, plain quotes and dashes, single spaces)."""
    return Quotes(text).find(quote)


_RUNS = re.compile(r"\s+|[\x21-\x7e]+(?: [\x21-\x7e]+)*|.", re.DOTALL)
"""White space; runs of printable ASCII words one space apart (which
normalising leaves as they are); any other character (normalised alone)."""


def normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` normalised as `validate` compares quotes, and for each character of
    the result the offset in `text` it came from: what `reconcile coverage`
    computes character by character, here by runs (a hundred times faster on
    the mostly-ASCII texts of an archive)."""
    parts: list[str] = []
    offsets: list[int] = []
    space = False
    for match in _RUNS.finditer(text):
        run, start = match.group(), match.start()
        if run[0] < "\x7f" and not run[0].isspace():
            parts.append(run)
            offsets.extend(range(start, match.end()))
            space = False
            continue
        out = "" if run[0].isspace() else normalise(unicodedata.normalize("NFKC", run))
        if not out:
            if not space and parts:
                parts.append(" ")
                offsets.append(start)
            space = True
            continue
        parts.append(out)
        offsets.extend([start] * len(out))
        space = False
    return "".join(parts), offsets


class Quotes:
    """Finds quotes in one document's text: as written first, else as `validate`
    compares them, normalising the text once however many quotes it holds (an
    archived text may be 16 MiB)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalised: tuple[str, list[int]] | None = None

    def find(self, quote: str) -> tuple[int, int] | None:
        at = self.text.find(quote) if quote else -1
        if at >= 0:
            return at, at + len(quote)
        wanted = normalised_with_offsets(quote)[0].strip()
        if not wanted:
            return None
        if self._normalised is None:
            self._normalised = normalised_with_offsets(self.text)
        body, offsets = self._normalised
        at = body.find(wanted)
        if at < 0:
            return None
        return offsets[at], offsets[at + len(wanted) - 1] + 1


def pieces(text: str, quotes: list[tuple[str, tuple[int, int]]]) -> tuple[list[Piece], bool]:
    """A document's text cut at its quotes (overlapping quotes share one mark), and
    cut down to excerpts around them when it is longer than MAX_INLINE_CHARS."""
    regions: list[tuple[int, int, list[str]]] = []
    for anchor, (start, end) in sorted(quotes, key=lambda q: q[1]):
        if regions and start < regions[-1][1]:
            last = regions[-1]
            regions[-1] = (last[0], max(last[1], end), [*last[2], anchor])
        else:
            regions.append((start, end, [anchor]))
    excerpted = len(text) > MAX_INLINE_CHARS
    out: list[Piece] = []
    at = 0
    for start, end, anchors in regions:
        before = text[at:start]
        if excerpted and len(before) > 2 * EXCERPT_CHARS:
            if at:
                out.append(Piece(before[:EXCERPT_CHARS]))
            out.append(Piece("", gap=True))
            out.append(Piece(before[-EXCERPT_CHARS:]))
        elif before:
            out.append(Piece(before))
        out.append(Piece(text[start:end], tuple(anchors)))
        at = end
    rest = text[at:]
    if excerpted and len(rest) > EXCERPT_CHARS:
        if at:
            out.append(Piece(rest[:EXCERPT_CHARS]))
        out.append(Piece("", gap=True))
    elif rest:
        out.append(Piece(rest))
    return out, excerpted


def page(
    ledger: Ledger,
    texts: dict[str, str],
    filters: Filters,
    *,
    ledger_name: str,
    window: int,
    version: str,
    today: date,
    warnings: int = 0,
) -> Page:
    """Everything the report shows for the estimates `filters` keep."""
    styles = claimant_styles(
        [s.id for s in ledger.sources] + [e.claimant for e in ledger.estimates]
    )
    names = {s.id: s.name for s in ledger.sources}
    result: Summary = summarise(ledger, filters, window, top=0)
    agreed, agreed_note = consensus(ledger, names)
    summary = tuple(
        SummaryRow(
            m.subject,
            m.metric,
            m.estimates,
            m.claimants,
            _ref(m.lowest, names, styles),
            _ref(m.highest, names, styles),
            median_words(m.median),
            "—" if m.spread is None else f"{m.spread:g}×",
            m.from_derived,
            tuple(_ref(o, names, styles) for o in m.latest),
        )
        for m in result.metrics
    )
    discrepancies = tuple(
        DiscrepancyRow(
            d.rank,
            d.kind.value,
            KINDS[d.kind],
            d.subject,
            d.metric,
            d.reason,
            d.estimates,
            d.certain,
        )
        for d in result.discrepancies  # every one: the summary was asked for all (top=0)
    )
    found = timeline(ledger, filters)
    all_entries = [o for panel in found.panels for o in panel.entries]
    days = span_of(all_entries) if all_entries else None
    panels = tuple(
        PanelView(
            f"chart-{n}",
            chart(panel.subject, panel.metric, panel.entries, styles, names, days=days),
            tuple(_ref(o, names, styles) for o in panel.entries),
        )
        for n, panel in enumerate(found.panels, 1)
    )
    documents_by_id = {d.id: d for d in ledger.documents}
    # every estimate a chart, a table or a discrepancy links to: with --metric
    # casualties, an estimate that gives only killed and wounded is one (its
    # derived total is drawn)
    linked = {o.estimate for o in all_entries}
    linked.update(e for d in discrepancies for e in d.estimates)
    kept = [e for e in kept_estimates(ledger, filters) if e.id in linked]
    located: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    finders: dict[str, Quotes] = {}
    quoted_by: dict[str, list[str]] = {}
    estimates: list[EstimateView] = []
    sources = {s.id: s for s in ledger.sources}
    for estimate in kept:
        reports: list[ReportLine] = []
        for n, report in enumerate(estimate.reported_in, 1):
            anchor = f"q-{estimate.id}-{n}"
            text = texts.get(report.document)
            if text is not None and report.document not in finders:
                finders[report.document] = Quotes(text)
            where = finders[report.document].find(report.quote) if text is not None else None
            if where is not None:
                located.setdefault(report.document, []).append((anchor, where))
            quoted_by.setdefault(report.document, []).append(estimate.id)
            document = documents_by_id.get(report.document)
            reports.append(
                ReportLine(
                    anchor,
                    report.document,
                    document.title if document else report.document,
                    report.quote,
                    where is not None,
                    text is not None,
                    document.url if document else None,
                    tuple(
                        FigureLine(metric.value, figure.text, format_figure(figure))
                        for metric, figure in (report.wording or {}).items()
                    ),
                    report.notes,
                )
            )
        source = sources.get(estimate.claimant)
        estimates.append(
            EstimateView(
                estimate.id,
                estimate.claimant,
                names.get(estimate.claimant, estimate.claimant),
                source.party if source else "",
                ledger.subject_of(estimate),
                estimate.as_of.text,
                estimate.period.text if estimate.period else None,
                tuple(
                    FigureLine(metric.value, figure.text, format_figure(figure))
                    for metric, figure in estimate.figures().items()
                ),
                tuple(reports),
                estimate.notes,
                styles[estimate.claimant],
            )
        )
    documents: list[DocumentView] = []
    for document in ledger.documents:
        if document.id not in quoted_by:
            continue
        text = texts.get(document.id)
        cut, excerpted = pieces(text, located.get(document.id, [])) if text else ([], False)
        documents.append(
            DocumentView(
                document.id,
                document.title,
                document.publisher,
                document.published.text if document.published else None,
                document.url,
                document.language,
                document.relays,
                text is not None,
                excerpted,
                tuple(cut),
                document.notes,
                tuple(dict.fromkeys(quoted_by[document.id])),
            )
        )
    speaking = {e.claimant for e in kept}
    return Page(
        title=ledger.title,
        subject=ledger.subject,
        ledger=ledger_name,
        generated=today.isoformat(),
        version=version,
        filters=describe_filters(filters),
        window=window,
        counts={
            "estimates": len(estimates),
            "claimants": len(speaking),
            "documents": len(documents),
            "discrepancies": len(discrepancies),
        },
        summary=summary,
        discrepancies=discrepancies,
        kinds=tuple((kind.value, meaning) for kind, meaning in KINDS.items()),
        panels=panels,
        estimates=tuple(estimates),
        documents=tuple(documents),
        sources=tuple(
            SourceView(s.id, s.name, s.kind.value, s.party, s.aliases, s.notes, styles[s.id])
            for s in ledger.sources
            if s.id in speaking
        ),
        warnings=warnings,
        consensus=agreed,
        consensus_note=agreed_note,
        as_of=None if result.as_of is None else result.as_of.isoformat(),
        recent=result.recent,
        as_of_note=result.as_of_note or "",
    )
