"""HTML and SVG text from the report's content, with Jinja2 (the optional `report` extra).

Autoescaping is on for every template: a ledger is untrusted input (a pull
request from a stranger writes it), so every string it gives — names, quotes,
titles, urls, notes — is escaped for HTML and XML wherever it lands, text or
attribute, its control characters first shown as codes (`finalize`): XML refuses
most of them, and a bidi control would reorder what a reader sees.  The page also
declares a Content-Security-Policy that allows no script and no request to any
host: it is one offline file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconcile.core import escape
from reconcile.views.geometry import LEGEND, SHAPES, Chart, marker_points, stack


class ReportMissing(RuntimeError):
    """Jinja2 (the optional 'report' extra) is not installed."""


_ENV: Any = None


def environment() -> Any:
    """The Jinja2 environment over the package's templates, autoescaping everything."""
    global _ENV  # noqa: PLW0603 (built once per process)
    if _ENV is None:
        try:
            import jinja2
            from markupsafe import Markup  # Jinja2's own
        except ImportError as exc:
            raise ReportMissing(str(exc)) from None

        def finalize(value: Any) -> Any:
            """Every value a template prints, before autoescaping: a string's
            control characters shown as codes (core/escape.py `markup`); markup the
            templates made themselves (macros, `tojson`) as it is."""
            if isinstance(value, str) and not isinstance(value, Markup):
                return escape.markup(value)
            return value

        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("reconcile", "templates"),
            autoescape=True,
            finalize=finalize,
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
    source line; its text is SVG text an editor can change.  Each claimant's
    marks in the n-th chart (from 0) are the group `series-<n>-<claimant>`."""
    return str(
        environment()
        .get_template("timeline.svg.j2")
        .render(
            charts=list(charts),
            title=title,
            source=source,
            layout=stack(charts, title, [LEGEND, source]),
            legend=LEGEND,
        )
    )
