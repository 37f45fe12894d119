"""The timeline as an image (SVG or PNG) with matplotlib, the `charts` extra."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconcile.render.chart import ChartsMissing

BIG_PICTURE = 4000
"""Pixels of height above which a PNG is drawn at 1x rather than 2x."""


class _Canvas:
    """What a PNG chart is drawn of, in pixels, gathered so that each kind of mark
    becomes one matplotlib collection (fast at thousands of estimates)."""

    def __init__(self) -> None:
        self.lines: list[tuple[list[tuple[float, float]], str, float]] = []
        self.polygons: list[tuple[list[tuple[float, float]], str, str, float]] = []
        self.circles: list[tuple[float, float, str, str]] = []
        self.texts: list[tuple[float, float, str, float, dict[str, Any]]] = []

    def text(self, x: float, y: float, words: str, size: float = 12, **style: Any) -> None:
        self.texts.append((x, y, words, size, style))

    def marker(self, shape: str, x: float, y: float, colour: str, hollow: bool) -> None:
        from reconcile.views.geometry import marker_points

        face = "white" if hollow else colour
        if shape == "circle":
            self.circles.append((x, y, face, colour))
            return
        points = [p.split(",") for p in marker_points(shape, x, y).split()]
        self.polygons.append(([(float(a), float(b)) for a, b in points], face, colour, 1.0))

    def key(self, items: Sequence[Any], dx: float = 0, dy: float = 0) -> None:
        for item in items:
            x, y = dx + item.x, dy + item.y
            self.marker(item.style.shape, x + 6, y, item.style.colour, False)
            self.text(x + 16, y + 4, item.short, color="#333")

    def chart(self, chart: Any, place: tuple[float, float], title: str, title_row: int) -> None:
        dx, offset = place
        self.text(dx + 12, offset + 16, title, 13, weight="bold", color="#111")
        top = offset + title_row
        base = top + chart.bottom
        left, right = dx + chart.left, dx + chart.right
        for tick in chart.y_ticks:
            self.lines.append(([(left, top + tick.at), (right, top + tick.at)], "#dddddd", 1))
            self.text(left - 6, top + tick.at + 4, tick.label, color="#333", ha="right")
        self.lines.append(([(left, base), (right, base)], "#333333", 1))
        for tick in chart.x_ticks:
            self.lines.append(([(dx + tick.at, base), (dx + tick.at, base + 5)], "#333333", 1))
            self.text(dx + tick.at, base + 19, tick.label, color="#333", ha="center")
        for m in chart.marks:
            colour, x, y = m.style.colour, dx + m.x, top + m.y
            if m.period:
                self.lines.append(([(dx + m.period[0], y), (dx + m.period[1], y)], colour, 2))
            if m.spans:
                x0, x1 = dx + m.x0, dx + m.x1
                self.polygons.append(
                    ([(x0, y - 3), (x1, y - 3), (x1, y + 3), (x0, y + 3)], colour, colour, 0.3)
                )
            if m.ranged and m.y_high is not None:
                self.lines.append(([(x, top + m.y_low), (x, top + m.y_high)], colour, 2))
            if m.open:
                self.lines.append(([(x, top + m.y_low), (x, y - 14)], colour, 1.5))
                head = [(x - 4, y - 11), (x + 4, y - 11), (x, y - 17)]
                self.polygons.append((head, colour, colour, 1.0))
            self.marker(m.style.shape, x, y, colour, m.derived)


def charts_png(charts: Sequence[Any], *, title: str, source: str, path: Any) -> None:
    """Draw charts (reconcile.views.geometry geometry) as a PNG with matplotlib: the same
    picture as their SVG (reconcile/templates/timeline.svg.j2), on one axes in
    pixels over the whole figure, text as text (never parsed as mathtext)."""
    try:
        import matplotlib
        from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
        from matplotlib.figure import Figure
        from matplotlib.patches import Circle
    except ImportError as exc:
        raise ChartsMissing(str(exc)) from None
    from reconcile.views.geometry import LEGEND, stack

    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "sans-serif"]
    layout = stack(charts, title, [LEGEND, source])
    canvas = _Canvas()
    for line in layout.header:
        canvas.text(12, line.y, line.text, line.size, weight="bold", color="#111")
    for chart, place, title_, keys in zip(
        charts, layout.places, layout.titles, layout.keys, strict=True
    ):
        canvas.chart(chart, place, title_, layout.title_row)
        canvas.key(keys, *place)
    canvas.key(layout.shared)
    for line in layout.footer:
        canvas.text(12, line.y, line.text, line.size, color="#555")
    dpi = 100
    pt = 72 / dpi  # points per pixel
    figure = Figure(figsize=(layout.width / dpi, layout.height / dpi), dpi=dpi)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    for x, y, words, size, style in canvas.texts:
        ax.text(x, y, words, fontsize=size * pt, va="baseline", parse_math=False, **style)
    lines = canvas.lines
    ax.add_collection(
        LineCollection(
            [points for points, _, _ in lines],
            colors=[colour for _, colour, _ in lines],
            linewidths=[width * pt for _, _, width in lines],
        )
    )
    for alpha in sorted({alpha for *_, alpha in canvas.polygons}):
        chosen = [p for p in canvas.polygons if p[3] == alpha]
        ax.add_collection(
            PolyCollection(
                [points for points, *_ in chosen],
                facecolors=[face for _, face, _, _ in chosen],
                edgecolors=[edge for _, _, edge, _ in chosen],
                linewidths=1.5 * pt,
                alpha=alpha,
                zorder=3 if alpha == 1.0 else 1,
            )
        )
    circles = canvas.circles
    ax.add_collection(
        PatchCollection(
            [Circle((x, y), 4.5) for x, y, _, _ in circles],
            facecolors=[face for _, _, face, _ in circles],
            edgecolors=[edge for _, _, _, edge in circles],
            linewidths=1.5 * pt,
            zorder=4,
        )
    )
    # twice the pixels for sharp text, unless the picture is already huge (the
    # small multiples of a whole ledger): then its own size, a quarter of the cost
    scale = 2 if layout.height <= BIG_PICTURE else 1
    figure.savefig(path, format="png", dpi=scale * dpi, metadata={"Software": "reconcile"})
