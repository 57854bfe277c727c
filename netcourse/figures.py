"""Figure 1 of the article, redrawn from the data: opportunities at three levels.

The article's Figure 1 ("Networking Opportunities") is missing from the published text.
:func:`opportunity_levels_figure` draws it again from ``content.levels``: one column per
level (institutional, local, national), each with its examples and how to find more. It
builds a :class:`matplotlib.figure.Figure` directly (no pyplot), so nothing is left open
in a global figure list and the lessons need no ``%matplotlib`` magic.
"""

from __future__ import annotations

import argparse
import html
import io
import sys
import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from netcourse.content import Content, Level, load_content
from netcourse.storage import atomic_write_text

# Okabe-Ito colours: distinguishable with the common kinds of colour blindness.
LEVEL_COLOURS = {"school": "#0072B2", "local": "#009E73", "national": "#D55E00"}
_FALLBACK_COLOUR = "#555555"

_COL_WIDTH = 3.7   # inches
_GAP = 0.35
_LINE = 0.22       # inches per text line
_WRAP = 40         # characters per line inside a column


def _column_lines(level: Level, wrap: int = _WRAP) -> list[tuple[str, str]]:
    """(style, text) lines for one column: headings, bullets and their continuation lines."""
    lines: list[tuple[str, str]] = []
    for line in textwrap.wrap(level.summary, wrap):
        lines.append(("summary", line))
    lines.append(("gap", ""))
    lines.append(("heading", "Examples"))
    for example in level.examples:
        for i, part in enumerate(textwrap.wrap(example.name, wrap - 2)):
            lines.append(("bullet" if i == 0 else "cont", part))
    lines.append(("gap", ""))
    lines.append(("heading", "How to find more"))
    for number, step in enumerate(level.how_to_find, start=1):
        for i, part in enumerate(textwrap.wrap(step, wrap - 3)):
            lines.append(("step" if i == 0 else "cont", f"{number}. {part}" if i == 0 else part))
    return lines


def opportunity_levels_figure(content: Content | None = None) -> Figure:
    """Figure 1 redrawn: three columns (school, local, national) with examples and how to find more."""
    content = content if content is not None else load_content()
    columns = [(_column_lines(level), level) for level in content.levels]
    n_lines = max(len(lines) for lines, _ in columns)
    width = len(columns) * _COL_WIDTH + (len(columns) + 1) * _GAP
    top_space, header, bottom_space = 1.0, 0.55, 0.75
    height = top_space + header + 0.25 + n_lines * _LINE + bottom_space

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()

    ax.text(_GAP, height - 0.45, "Figure 1. Networking opportunities at three levels",
            fontsize=15, fontweight="bold", va="center")
    # The reach of an opportunity widens from left to right.
    ax.add_patch(FancyArrowPatch((width - 3.6, height - 0.45), (width - _GAP, height - 0.45),
                                 arrowstyle="-|>", mutation_scale=16, color="#444444"))
    ax.text(width - 3.7, height - 0.45, "wider reach", ha="right", va="center", fontsize=10, color="#444444")

    body_top = height - top_space - header
    for index, (lines, level) in enumerate(columns):
        x = _GAP + index * (_COL_WIDTH + _GAP)
        colour = LEVEL_COLOURS.get(level.id, _FALLBACK_COLOUR)
        ax.add_patch(FancyBboxPatch((x, bottom_space), _COL_WIDTH, body_top - bottom_space,
                                    boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor="#f6f8fa", edgecolor=colour, linewidth=1.5))
        ax.add_patch(FancyBboxPatch((x, body_top), _COL_WIDTH, header,
                                    boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=colour, edgecolor=colour))
        ax.text(x + _COL_WIDTH / 2, body_top + header / 2, f"{level.order}. {level.name}",
                ha="center", va="center", color="white", fontsize=13, fontweight="bold")
        y = body_top - 0.3
        for style, text in lines:
            if style == "heading":
                ax.text(x + 0.12, y, text, fontsize=11, fontweight="bold", color=colour, va="center")
            elif style == "bullet":
                ax.text(x + 0.14, y, "•", fontsize=10, va="center")
                ax.text(x + 0.3, y, text, fontsize=9.5, va="center")
            elif style == "cont":
                ax.text(x + 0.3, y, text, fontsize=9.5, va="center")
            elif style == "step":
                ax.text(x + 0.14, y, text, fontsize=9.5, va="center")
            elif style == "summary":
                ax.text(x + 0.12, y, text, fontsize=9.5, style="italic", va="center", color="#333333")
            y -= _LINE

    source = content.sources["article"].short
    ax.text(_GAP, bottom_space / 2,
            f"Redrawn from the course data after the description of Figure 1 in {source}; "
            "the original figure is missing from the published article.",
            fontsize=9, color="#444444", va="center")
    return fig


TITLE = "Figure 1. Networking opportunities at three levels"
# Where the lessons keep the committed copy, so static viewers show the figure without running code.
COMMITTED_SVG = Path("notebooks") / "figures" / "figure-1.svg"


def figure_description(content: Content | None = None) -> str:
    """A one-paragraph text alternative for the figure, from the same data."""
    content = content if content is not None else load_content()
    parts = []
    for level in content.levels:
        examples = ", ".join(ex.name for ex in level.examples)
        parts.append(f"{level.name}: examples {examples}; to find more: {' '.join(level.how_to_find)}")
    return "Three columns, from narrow to wide reach. " + " | ".join(parts)


def figure_svg(content: Content | None = None) -> str:
    """Figure 1 as SVG text; text stays text, and a title and description make it accessible.

    The output is deterministic (no date, fixed ids), so a committed copy can be checked for staleness.
    """
    fig = opportunity_levels_figure(content)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "netcourse-figure-1"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    head_end = svg.index(">", svg.index("<svg")) + 1
    accessible = (f"\n <title>{html.escape(TITLE)}</title>"
                  f"\n <desc>{html.escape(figure_description(content))}</desc>")
    opening = svg[:head_end].replace("<svg ", '<svg role="img" aria-label="' + html.escape(TITLE) + '" ', 1)
    return opening + accessible + svg[head_end:]


def save_figure(path: Path | str, content: Content | None = None) -> Path:
    """Save Figure 1 to ``path``; the suffix (.svg or .png) picks the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return atomic_write_text(path, figure_svg(content))
    if suffix == ".png":
        path.parent.mkdir(parents=True, exist_ok=True)
        opportunity_levels_figure(content).savefig(path, format="png", dpi=150)
        return path
    raise ValueError(f"Cannot save the figure as {path.name!r}: use a name ending in .svg or .png.")


def main(argv: list[str] | None = None) -> int:
    """``python -m netcourse.figures [PATH] [--check]``: write Figure 1, or check a copy is current."""
    parser = argparse.ArgumentParser(description="Redraw Figure 1 from the course data.")
    parser.add_argument("path", nargs="?", default=str(COMMITTED_SVG), help="where to write (.svg or .png)")
    parser.add_argument("--check", action="store_true", help="only check that the SVG at PATH is current")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if args.check:
        current = path.exists() and path.read_text(encoding="utf-8") == figure_svg()
        print(f"{path}: {'up to date' if current else 'STALE; run: python -m netcourse.figures ' + str(path)}")
        return 0 if current else 1
    try:
        save_figure(path)
    except (ValueError, OSError) as exc:
        print(f"Could not save the figure: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
