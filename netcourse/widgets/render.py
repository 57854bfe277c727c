"""HTML for the apps, from the Jinja2 templates in ``widgets/templates/``, with autoescaping on.

Each template file holds the macros of one app (``pitch.html``, ``funding.html``...), plus
``common.html`` for the alert, status and download lines every app shares. :func:`render` calls one
macro; everything passed in is escaped unless a template marks it safe, so a student's
``<script>`` is always shown as text. Templates ship as package data.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from netcourse.funding.amounts import format_money
from netcourse.pitch.text import shorten


def _mmss(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("netcourse.widgets", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=format_money, shorten=shorten, mmss=_mmss)
    return env


def render(template: str, macro: str, **values: Any) -> str:
    """The HTML of ``macro`` in ``template`` (e.g. ``render("pitch.html", "feedback", report=...)``)."""
    return str(getattr(environment().get_template(template).module, macro)(**values)).strip()
