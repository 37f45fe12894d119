"""The timeline as an image (SVG or PNG) with matplotlib, the `charts` extra."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reconcile.render.chart import MARKERS, ChartsMissing
from reconcile.views.charts import charts_of

if TYPE_CHECKING:
    from pathlib import Path

    from reconcile.reports.timeline import Timeline


def timeline_image(timeline: Timeline, path: Path) -> list[dict[str, Any]]:
    """Draw the timeline as an SVG or PNG (from `path`'s extension) with matplotlib.

    One panel per subject and metric, split like the terminal chart when it
    has more than CHART_CLAIMANTS claimants; in each, one series per claimant
    (its line's gid is `series-<panel>-<claimant>`): a marker at each
    estimate's best value, a vertical bar over the counts its words allow (an
    arrow when there is no upper bound) and a horizontal bar over the days it
    spans.  Every panel shares one time axis, and a claimant keeps one colour
    and marker across panels (up to 100 claimants; beyond, styles are unique
    within each panel).  Returns, per panel, its title, the series drawn and
    their colours and markers (read back from the figure).
    """
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ChartsMissing(str(exc)) from None
    from datetime import timedelta

    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    matplotlib.rcParams["svg.hashsalt"] = "reconcile"
    panels = timeline.panels
    charts = charts_of(timeline)
    figure = Figure(figsize=(9, 3.2 * max(1, len(charts))), layout="constrained")
    # one time axis for every panel, so that panels can be compared at a glance
    axes = figure.subplots(max(1, len(charts)), 1, squeeze=False, sharex=True)[:, 0]
    # one style (colour and marker) per claimant across the whole figure while
    # there are styles enough; else per chart, where claimants are few enough
    palette = matplotlib.colormaps["tab10"]
    styles = [(palette(i % 10), MARKERS[i // 10]) for i in range(10 * len(MARKERS))]
    claimants = list(dict.fromkeys(c for panel in panels for c in panel.claimants))
    everywhere = dict(zip(claimants, styles, strict=False)) if len(claimants) <= len(styles) else {}
    drawn: list[dict[str, Any]] = []
    for number, (ax, (panel, title, part)) in enumerate(zip(axes, charts, strict=False)):
        style = everywhere or dict(zip(part, styles, strict=False))
        ceiling = max(
            o.interval.high if o.interval.high is not None else o.interval.low
            for o in panel.entries
        )
        ceiling = max(1, -(-ceiling * 12 // 10))  # 20% headroom, rounded up
        for claimant in part:
            mine = [o for o in panel.entries if o.claimant == claimant]
            xs = [o.as_of.midpoint() for o in mine]
            ys = [o.best for o in mine]
            below = [o.best - o.interval.low for o in mine]
            above = [
                (o.interval.high if o.interval.high is not None else ceiling) - o.best for o in mine
            ]
            open_top = [o.interval.high is None for o in mine]
            early = [o.as_of.midpoint() - o.as_of.start for o in mine]
            late = [o.as_of.end - o.as_of.midpoint() for o in mine]
            drawn_series = ax.errorbar(
                xs,
                ys,
                yerr=[below, above],
                xerr=[early, late],
                lolims=open_top,
                fmt=style[claimant][1],
                capsize=3,
                color=style[claimant][0],
                label=claimant + (" (derived)" if any(o.derived for o in mine) else ""),
            )
            drawn_series.lines[0].set_gid(f"series-{number}-{claimant}")
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylim(bottom=0, top=ceiling)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole ticks only
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        ax.grid(alpha=0.3)
        drawn.append(
            {
                "subject": panel.subject,
                "metric": panel.metric,
                "title": title,
                "series": [
                    line.get_gid()
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                ],
                "colours": {
                    str(line.get_gid()).split("-", 2)[2]: matplotlib.colors.to_hex(line.get_color())
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                },
                "markers": {
                    str(line.get_gid()).split("-", 2)[2]: str(line.get_marker())
                    for line in ax.get_lines()
                    if str(line.get_gid() or "").startswith("series-")
                },
            }
        )
    spans = [o.as_of for panel in panels for o in panel.entries]
    if spans:
        margin = timedelta(days=7)
        axes[0].set_xlim(min(d.start for d in spans) - margin, max(d.end for d in spans) + margin)
    kind = str(path).lower().rsplit(".", 1)[-1]
    metadata = {"Date": None} if kind == "svg" else {"Software": "reconcile"}
    figure.savefig(path, format=kind, metadata=metadata)
    return drawn
