"""The timeline's charts as a PNG, the `charts` extra: marks by matplotlib's Agg
renderer, text by Pillow (matplotlib's own image library), no figure or axes.

Why not a matplotlib figure (as until 0.1): matplotlib 3.11 lays out, hints and
renders every glyph of a `Text` from Python, about 1.3 ms a label, and importing
`matplotlib.figure` (axes, projections, widgets) costs about a tenth of a second;
the timeline of 1,000 estimates has 310 labels.  The marks are the same
collections drawn by the same renderer call, pixel for pixel
(tests/test_image.py holds them to the figure they replace); the text is the same
font at the same size and baseline, drawn by FreeType through Pillow in one call
a line, with the same libraqm layout where Pillow has it (bidi, shaping), over
every mark (on the axes, a marker was drawn over the labels; the layout keeps
them apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconcile.core import escape
from reconcile.render.chart import ChartsMissing

BIG_PICTURE = 4000
"""Pixels of height above which a PNG is drawn at 1x rather than 2x."""
DPI = 100
"""Pixels per inch of the picture at 1x (the PNG says 200 at 2x)."""
FAMILY = ["DejaVu Sans", "sans-serif"]
"""The font of every label, as matplotlib finds it (matplotlib ships DejaVu Sans)."""
_ANCHOR = {"left": "ls", "center": "ms", "right": "rs"}
"""Pillow's anchor for each alignment: at the baseline, as in the SVG."""


class _Canvas:
    """What a PNG chart is drawn of, in canvas pixels (the SVG's), gathered so that
    each kind of mark becomes one matplotlib collection (fast at thousands of
    estimates)."""

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
    """Draw charts (reconcile.views.geometry geometry) as a PNG: the same picture as
    their SVG (reconcile/templates/timeline.svg.j2), in pixels, twice as many as the
    SVG's unless the picture is already taller than BIG_PICTURE."""
    try:
        import matplotlib.backends.backend_agg  # noqa: F401 (ChartsMissing before any work)
        import PIL.Image
    except ImportError as exc:
        raise ChartsMissing(str(exc)) from None

    layout, canvas = canvas_of(charts, title=title, source=source)
    # twice the pixels for sharp text, unless the picture is already huge (the
    # small multiples of a whole ledger): then its own size, a quarter of the cost
    scale = 2 if layout.height <= BIG_PICTURE else 1
    size = (layout.width * scale, layout.height * scale)
    marks = draw_marks(canvas, size, scale)
    # opaque (white under everything), so RGB: a quarter fewer bytes to compress
    picture = PIL.Image.frombuffer("RGBA", size, marks, "raw", "RGBA", 0, 1).convert("RGB")
    draw_texts(picture, canvas.texts, scale)
    _save_png(picture, path, DPI * scale)


def canvas_of(charts: Sequence[Any], *, title: str, source: str) -> tuple[Any, _Canvas]:
    """The picture's layout (views.geometry.stack) and every mark and text on it."""
    from reconcile.views.geometry import LEGEND, stack

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
    return layout, canvas


def draw_marks(canvas: _Canvas, size: tuple[int, int], scale: int) -> Any:
    """Every mark of the canvas on white, `scale` pixels per canvas pixel, by Agg
    (its RGBA buffer): one collection per kind of mark, in the order they were
    stacked on the axes: translucent bands, lines, markers, circles."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
    from matplotlib.patches import Circle
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D, IdentityTransform

    pt = 72 / DPI  # points per canvas pixel
    width, height = size
    renderer = RendererAgg(width, height, DPI * scale)
    # canvas pixels (y down) to Agg's (y up, `scale` to a canvas pixel)
    pixels = Affine2D().scale(scale, -scale).translate(0, height)
    white = renderer.new_gc()
    white.set_linewidth(0)
    corners = [(0, 0), (width, 0), (width, height), (0, height), (0, 0)]
    renderer.draw_path(white, Path(corners, closed=True), IdentityTransform(), (1, 1, 1, 1))
    white.restore()
    lines, polygons, circles = canvas.lines, canvas.polygons, canvas.circles

    def shapes(alpha: float) -> Any:
        """The polygons of one opacity (opaque ones drawn without an alpha)."""
        chosen = [p for p in polygons if p[3] == alpha]
        return PolyCollection(
            [points for points, *_ in chosen],
            facecolors=[face for _, face, _, _ in chosen],
            edgecolors=[edge for _, _, edge, _ in chosen],
            linewidths=1.5 * pt,
            alpha=None if alpha == 1.0 else alpha,
        )

    # translucent bands under the lines, opaque shapes and the points above them
    layers: list[Any] = [shapes(alpha) for alpha in sorted({a for *_, a in polygons} - {1.0})]
    layers.append(
        LineCollection(
            [points for points, _, _ in lines],
            colors=[colour for _, colour, _ in lines],
            linewidths=[stroke * pt for _, _, stroke in lines],
        )
    )
    layers.append(shapes(1.0))
    layers.append(
        PatchCollection(
            [Circle((x, y), 4.5) for x, y, _, _ in circles],
            facecolors=[face for _, _, face, _ in circles],
            edgecolors=[edge for _, _, _, edge in circles],
            linewidths=1.5 * pt,
        )
    )
    for layer in layers:
        if not layer.get_paths():
            continue
        gc = renderer.new_gc()
        # what Collection.draw passes, with our transform for the axes' own
        renderer.draw_path_collection(
            gc,
            pixels,
            layer.get_paths(),
            layer.get_transforms(),
            layer.get_offsets(),
            IdentityTransform(),
            layer.get_facecolor(),
            layer.get_edgecolor(),
            layer.get_linewidth(),
            layer.get_linestyle(),
            layer.get_antialiased(),
            [None],
            "screen",
        )
        gc.restore()
    return renderer.buffer_rgba()


def draw_texts(picture: Any, texts: Sequence[Any], scale: int) -> None:
    """Each text at its baseline (starting, centred or ending at its x), in the font
    matplotlib finds for FAMILY (bold where asked), `scale` pixels per canvas pixel.
    A ledger's words are escaped as plain text (core/escape): a control character
    is shown as its code, never obeyed (a bidi override would reverse what a reader
    sees; a paragraph separator would stop the layout)."""
    from matplotlib.font_manager import FontProperties, findfont
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(picture)
    fonts: dict[tuple[float, str], Any] = {}
    for x, y, words, size, style in texts:
        key = (size * scale, style.get("weight", "normal"))
        if key not in fonts:
            face = FontProperties(family=FAMILY, weight=key[1])
            fonts[key] = ImageFont.truetype(findfont(face), key[0])
        draw.text(
            (x * scale, y * scale),
            escape.plain(words),
            fill=style.get("color", "black"),
            font=fonts[key],
            anchor=_ANCHOR[style.get("ha", "left")],
        )


def _save_png(picture: Any, path: Any, dpi: int) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Software", "reconcile")
    picture.save(path, format="png", pnginfo=info, dpi=(dpi, dpi))
