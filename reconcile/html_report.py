"""HTML and SVG text from the report's content, with Jinja2 (the optional `report` extra).

Autoescaping is on for every template: a ledger is untrusted input (a pull
request from a stranger writes it), so every string it gives — names, quotes,
titles, urls, notes — is escaped for HTML and XML wherever it lands, text or
attribute.  The page also declares a Content-Security-Policy that allows no
script and no request to any host: it is one offline file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconcile.charts import SHAPES, Chart, marker_points


class ReportMissing(RuntimeError):
    """Jinja2 (the optional 'report' extra) is not installed."""


_ENV: Any = None


def environment() -> Any:
    """The Jinja2 environment over the package's templates, autoescaping everything."""
    global _ENV  # noqa: PLW0603 (built once per process)
    if _ENV is None:
        try:
            import jinja2
        except ImportError as exc:
            raise ReportMissing(str(exc)) from None
        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("reconcile", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _ENV.globals["marker_points"] = marker_points
        _ENV.globals["shapes"] = SHAPES
    return _ENV


def report_html(page: Any) -> str:
    """The self-contained HTML page of a `publish.Page`."""
    return str(environment().get_template("report.html.j2").render(page=page))


def timeline_svg(charts: Sequence[Chart], *, title: str, source: str) -> str:
    """A standalone SVG of one or more charts, stacked, each with its key, and a
    source line; text is SVG text an editor can change."""
    return str(
        environment()
        .get_template("timeline.svg.j2")
        .render(charts=list(charts), title=title, source=source, layout=svg_layout(charts))
    )


KEY_COLUMNS = 3
KEY_ROW = 18
TITLE_ROW = 26
KEY_NAME_CHARS = 30


def key_rows(chart: Chart) -> int:
    return -(-len(chart.claimants) // KEY_COLUMNS)


def svg_layout(charts: Sequence[Chart]) -> dict[str, Any]:
    """Where each chart and its key go in a standalone SVG, and its total size."""
    offsets: list[float] = []
    y = 34.0  # the figure's title
    for c in charts:
        offsets.append(y)
        y += TITLE_ROW + c.height + key_rows(c) * KEY_ROW + 16
    width = max((c.width for c in charts), default=720)
    return {
        "offsets": offsets,
        "width": width,
        "height": int(y + 40),
        "key_row": KEY_ROW,
        "title_row": TITLE_ROW,
        "key_columns": KEY_COLUMNS,
        "key_width": (width - 24) // KEY_COLUMNS,
        "name_chars": KEY_NAME_CHARS,
    }
