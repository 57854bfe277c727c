"""The funding planner's chart: costs stacked against secured, pending and gap, and its key as HTML.

Drawn with Matplotlib's Agg canvas (no pyplot state, so nothing leaks between redraws). The key
is an HTML table beside the chart: text a screen reader can read, with the same figures as the
bars, and drawing a legend would double the time each redraw takes.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netcourse.widgets.alerts import ERROR_COLOUR, SUCCESS_COLOUR
from netcourse.widgets.render import render

ChartData = dict[str, list[tuple[str, float]]]

COST_COLOURS = ["#4c72b0", "#55a868", "#8172b2", "#ccb974", "#64b5cd"]
PENDING_COLOUR = "#e3a008"
_FUNDING_STYLES = {"Secured": dict(color=SUCCESS_COLOUR), "Pending": dict(color=PENDING_COLOUR),
                   "Gap": dict(color="white", edgecolor=ERROR_COLOUR, hatch="///")}
_FUNDING_SWATCH = {"Secured": f"background:{SUCCESS_COLOUR}", "Pending": f"background:{PENDING_COLOUR}",
                   "Gap": f"background:repeating-linear-gradient(45deg,#fff 0 3px,{ERROR_COLOUR} 3px 4px);"
                          f"border:1px solid {ERROR_COLOUR}"}


def chart_png(data: ChartData, surplus: float = 0.0) -> bytes:
    """The chart for ``data`` (:func:`netcourse.funding.chart_data`) as PNG bytes."""
    fig = Figure(figsize=(4.6, 3.0), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    bottom = 0.0
    for (label, value), colour in zip(data["costs"], COST_COLOURS, strict=False):
        ax.bar("Costs", value, bottom=bottom, color=colour, label=label, edgecolor="white")
        bottom += value
    bottom = 0.0
    for label, value in data["funding"]:
        ax.bar("Funding", value, bottom=bottom, label=label, **_FUNDING_STYLES[label])
        if value:
            ax.text(1, bottom + value / 2, label, ha="center", va="center", fontsize=8)
        bottom += value
    if surplus:
        ax.set_title(f"Over-funded by ${surplus:,.2f}", fontsize=9)
    ax.locator_params(axis="y", nbins=5)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"${v:,.0f}")
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.1, top=0.9)  # fixed margins; tight_layout costs more
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer)
    return buffer.getvalue()


def chart_key_html(data: ChartData) -> str:
    """The chart's key with the amounts, as a small table (the same figures as the bars)."""
    costs = [(f"background:{colour}", label, value)
             for (label, value), colour in zip(data["costs"], COST_COLOURS, strict=False)]
    funding = [(_FUNDING_SWATCH[label], label, value) for label, value in data["funding"]]
    return render("funding.html", "chart_key", costs=costs, funding=funding)
