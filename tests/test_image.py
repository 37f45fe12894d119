"""The timeline's PNG (render/image.py) against the picture it replaces.

Until 0.1 the PNG was one matplotlib figure: the marks as collections on axes in
pixels, each label a `Text` artist, written by `savefig`.  `_reference` below is
that code (a73f9e4), kept as the reference.  The marks are now drawn by the same
Agg call without the figure, and must be the same pixels; the labels are drawn by
Pillow, and must be the same text at the same place in the same colour: the ink
of each label lies where matplotlib's `Text` put it, of about the same amount and
extent, and nothing else on the picture differs."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from reconcile.render import image
from reconcile.render.image import canvas_of, charts_png, draw_marks

Pixels = Any  # an (height, width, 3) uint8 array


def _reference(layout: Any, canvas: Any, scale: int, *, text: bool) -> tuple[Pixels, list[Any]]:
    """The picture as charts_png drew it until 0.1 (a73f9e4) from the same canvas, and
    each text's box in pixels (left, top, right, bottom; y down)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "sans-serif"]
    dpi = 100
    pt = 72 / dpi
    figure = Figure(figsize=(layout.width / dpi, layout.height / dpi), dpi=scale * dpi)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    artists = []
    if text:
        for x, y, words, size, style in canvas.texts:
            artists.append(
                ax.text(x, y, words, fontsize=size * pt, va="baseline", parse_math=False, **style)
            )
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
    agg = FigureCanvasAgg(figure)
    agg.draw()
    pixels = np.asarray(agg.buffer_rgba())[..., :3].copy()
    height = pixels.shape[0]
    renderer = agg.get_renderer()
    boxes = []
    for artist in artists:
        box = artist.get_window_extent(renderer)
        boxes.append((box.x0, height - box.y1, box.x1, height - box.y0))
    return pixels, boxes


def _scale(layout: Any) -> int:
    return 2 if layout.height <= image.BIG_PICTURE else 1


def _marks(layout: Any, canvas: Any) -> Pixels:
    scale = _scale(layout)
    size = (layout.width * scale, layout.height * scale)
    return np.asarray(draw_marks(canvas, size, scale))[..., :3].copy()


def _png(charts: Sequence[Any], title: str, source: str) -> tuple[Pixels, Image.Image]:
    buffer = io.BytesIO()
    charts_png(charts, title=title, source=source, path=buffer)
    buffer.seek(0)
    picture = Image.open(buffer)
    picture.load()
    return np.asarray(picture).copy(), picture


def _aligned(new: Pixels, reference: Pixels) -> Pixels:
    """`new` cut to the reference's rows.  The reference's figure is sized in inches
    (height / 100 at 200 dpi) and matplotlib 3.8 truncates that to whole pixels
    (1,781 px at 2x: 3,561.99... -> 3,561): it drew everything a pixel higher and
    lost the top row, where 3.11 rounds.  The PNG is now sized in pixels."""
    cut = new.shape[0] - reference.shape[0]
    assert cut in (0, 1) and new.shape[1:] == reference.shape[1:], (new.shape, reference.shape)
    return new[cut:]


def _ink(pixels: Pixels, marks: Pixels) -> Any:
    """Where text was drawn: what differs from the marks alone."""
    return (pixels != marks).any(axis=2)


def _colour(spec: str) -> tuple[int, int, int]:
    from PIL import ImageColor

    red, green, blue = ImageColor.getrgb(spec)[:3]
    return red, green, blue


def _compare(charts: Sequence[Any], title: str, source: str) -> None:
    """The PNG against the reference: marks equal; each label's ink where, how much
    and in which colour matplotlib drew it; nothing else differs."""
    layout, canvas = canvas_of(charts, title=title, source=source)
    scale = _scale(layout)
    marks = _marks(layout, canvas)
    assert marks.shape == (layout.height * scale, layout.width * scale, 3)
    reference_marks, _ = _reference(layout, canvas, scale, text=False)
    marks = _aligned(marks, reference_marks)
    assert (marks == reference_marks).all(), "every mark the same pixels as before"

    reference, boxes = _reference(layout, canvas, scale, text=True)
    new, picture = _png(charts, title, source)
    assert picture.size == (layout.width * scale, layout.height * scale)
    new = _aligned(new, reference)
    assert picture.mode == "RGB" and picture.info["Software"] == "reconcile"
    assert round(picture.info["dpi"][0]) == 100 * scale
    new_ink, old_ink = _ink(new, marks), _ink(reference, marks)
    # the label areas, a little wider than matplotlib's boxes: Pillow rounds each
    # glyph's advance to whole pixels where matplotlib keeps fractions, so a long
    # line at 11 px drawn at 1x ends up to 4% sooner
    near = np.zeros(new_ink.shape, dtype=bool)
    height, width = new_ink.shape
    margin = 3 * scale

    def window(box: tuple[float, float, float, float]) -> tuple[slice, slice]:
        left, top, right, bottom = box
        slack = margin + 0.05 * (right - left)
        return (
            slice(max(0, int(top) - margin), min(height, int(bottom) + margin + 1)),
            slice(max(0, int(left - slack)), min(width, int(right + slack) + 1)),
        )

    for box in boxes:
        near[window(box)] = True
    assert not (new_ink & ~near).any(), "text drawn where the reference drew none"
    assert not (old_ink & ~near).any()
    for (x, y, words, _, style), box in zip(canvas.texts, boxes, strict=True):
        rows, columns = window(box)
        new_here, old_here = new_ink[rows, columns], old_ink[rows, columns]
        if not old_here.any():  # nothing visible (blank words)
            assert not words.strip()
            continue
        where = (words, x, y)
        assert 0.8 <= new_here.sum() / old_here.sum() <= 1.25, where
        for axis in (0, 1):
            new_span = np.flatnonzero(new_here.any(axis=1 - axis))
            old_span = np.flatnonzero(old_here.any(axis=1 - axis))
            slack = 2 * scale + (0.05 * old_span.size if axis == 1 else 0)
            assert abs(new_span[0] - old_span[0]) <= slack, where
            assert abs(new_span[-1] - old_span[-1]) <= slack, where
        # the label's colour: its darkest ink is the colour asked for
        colour = np.array(_colour(style.get("color", "black")))
        for pixels, ink in ((new, new_here), (reference, old_here)):
            inked = pixels[rows, columns][ink].astype(int)
            darkest = inked[np.argmin(inked.sum(axis=1))]
            assert np.abs(darkest - colour).max() <= 40, (where, darkest, colour)


@pytest.fixture(scope="module")
def economist_charts(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    from reconcile.checks.run import check_file
    from reconcile.reports.timeline import timeline
    from reconcile.views.geometry import timeline_charts
    from tests.economist import import_ledger

    checked = check_file(import_ledger(tmp_path_factory.mktemp("economist")))
    assert checked.ledger is not None
    return timeline_charts(checked.ledger, timeline(checked.ledger))


def test_the_economist_picture_keeps_every_mark_and_label(economist_charts: list[Any]) -> None:
    assert len(economist_charts) == 4
    _compare(economist_charts, "The Economist: estimates over time", "Source: the Economist")


def test_small_multiples_at_one_pixel_a_pixel_keep_every_mark_and_label(
    economist_charts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More than GRID_AFTER charts: small multiples and one shared key; a picture
    taller than BIG_PICTURE is drawn at its own size."""
    from reconcile.views import geometry

    small = [
        replace(chart, title=f"{chart.title} ({n})") for n in range(2) for chart in economist_charts
    ]
    layout, _ = canvas_of(small, title="t", source="s")
    assert len(small) > geometry.GRID_AFTER and layout.shared
    monkeypatch.setattr(image, "BIG_PICTURE", layout.height - 1)
    _compare(small, "Small multiples", "Source: the Economist")


def _charts(names: dict[str, str], subject: str, counts: list[int]) -> list[Any]:
    from reconcile.checks.run import check_file
    from reconcile.core.figures import Interval
    from reconcile.reports.timeline import timeline
    from reconcile.views.geometry import chart, claimant_styles
    from tests.conftest import SHIPPED

    ledger = check_file(SHIPPED).ledger
    assert ledger is not None
    seed = timeline(ledger).panels[0].entries[0]
    claimants = list(names)
    entries = [
        replace(
            seed,
            estimate=f"e{n}",
            claimant=claimants[n % len(claimants)],
            best=count,
            interval=Interval(count, count + n * 7),
            as_of=replace(
                seed.as_of,
                start=seed.as_of.start + timedelta(days=3 * n),
                end=seed.as_of.start + timedelta(days=3 * n + n % 3),
            ),
        )
        for n, count in enumerate(counts)
    ]
    return [chart(subject, seed.metric.value, entries, claimant_styles(claimants), names)]


_WORDS = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(["$", "$\\frac{1}{0}$", "<b>", "\r", "\n", "\u202e", "\u2029", " "]),
    ),
    max_size=20,
).map("".join)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(_WORDS, min_size=1, max_size=8),
    _WORDS,
    st.lists(st.integers(0, 10**9), min_size=1, max_size=30),
)
def test_any_names_and_figures_draw_the_same_marks_and_a_png(
    names: list[str], subject: str, counts: list[int]
) -> None:
    """Whatever a ledger calls its claimants and subjects (dollars, markup, control
    characters, any script) and whatever its figures, the PNG is written and its
    marks are the reference's."""
    charts = _charts({f"c{n}": name for n, name in enumerate(names)}, subject, counts)
    layout, canvas = canvas_of(charts, title=subject, source="$ source")
    reference, _ = _reference(layout, canvas, _scale(layout), text=False)
    assert (_aligned(_marks(layout, canvas), reference) == reference).all()
    _, picture = _png(charts, subject, "$ source")
    assert picture.size == (layout.width * _scale(layout), layout.height * _scale(layout))


def test_a_control_character_is_drawn_as_its_code() -> None:
    """A bidi override would reverse the rest of the label (as matplotlib's layout
    did); a paragraph separator would stop the layout: each is drawn as its escape,
    the same picture as a name that spells the escape out."""
    names = {"a": "evil\u202eelif.exe", "b": "one\u2029two\r"}
    spelled = {"a": "evil\\u202eelif.exe", "b": "one\\u2029two\\x0d"}
    drawn, _ = _png(_charts(names, "s", [10, 20]), "t", "s")
    written, _ = _png(_charts(spelled, "s", [10, 20]), "t", "s")
    assert (drawn == written).all()


def test_the_picture_is_drawn_without_a_figure_axes_or_text_artist(
    economist_charts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The work charts_png does: one Pillow call per label, no matplotlib text, and
    (in a fresh interpreter) neither pyplot nor matplotlib.figure imported."""
    from matplotlib.backends.backend_agg import RendererAgg
    from PIL import ImageDraw

    calls = {"pillow": 0, "matplotlib": 0}
    pillow_text = ImageDraw.ImageDraw.text

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["pillow"] += 1
        return pillow_text(self, *args, **kwargs)

    def refused(*args: Any, **kwargs: Any) -> Any:
        calls["matplotlib"] += 1

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", counted)
    monkeypatch.setattr(RendererAgg, "draw_text", refused)
    _, canvas = canvas_of(economist_charts, title="t", source="s")
    _png(economist_charts, "t", "s")
    assert calls == {"pillow": len(canvas.texts), "matplotlib": 0}

    script = (
        "import io, sys\n"
        "from tests.test_image import _charts\n"
        "from reconcile.render.image import charts_png\n"
        "charts_png(_charts({'a': 'A'}, 's', [1, 2]), title='t', source='s', "
        "path=io.BytesIO())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['matplotlib', 'figure'], ['matplotlib', 'pyplot'], ['matplotlib', 'axes'])))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"


def test_the_png_is_no_bigger_than_the_figure_wrote(economist_charts: list[Any]) -> None:
    """RGB, not RGBA (the picture is opaque): fewer bytes at the same compression."""
    buffer = io.BytesIO()
    charts_png(economist_charts, title="t", source=f"s {date(2026, 1, 1)}", path=buffer)
    layout, canvas = canvas_of(economist_charts, title="t", source=f"s {date(2026, 1, 1)}")
    reference, _ = _reference(layout, canvas, _scale(layout), text=True)
    old = io.BytesIO()
    Image.fromarray(np.dstack([reference, np.full(reference.shape[:2], 255, np.uint8)])).save(
        old, format="png"
    )
    assert len(buffer.getvalue()) < len(old.getvalue())
