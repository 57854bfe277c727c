"""How every app tells people things: one red for problems, one alert line, one status line.

``alert_html`` marks a problem (``role="alert"``, red, with a ⚠); ``message_html`` is a status
line at a level: ``"error"`` is an alert, ``"tip"`` and ``"info"`` are polite ``role="status"``
lines. The pitch studio's suggestions use :data:`SEVERITY_COLOUR`, whose warning red is the same.
"""

from __future__ import annotations

from netcourse.widgets.render import render

ERROR_COLOUR = "#b42318"
ERROR_STYLE = f"color:{ERROR_COLOUR}"
SUCCESS_COLOUR = "#1a7f37"
TIP_COLOUR = "#5a4a00"
INFO_COLOUR = "#1f4e79"
SEVERITY_COLOUR = {"warning": ERROR_COLOUR, "tip": TIP_COLOUR, "info": INFO_COLOUR}
LEVELS = ("error", "tip", "info")


def alert_html(text: str | None) -> str:
    """``text`` as a red, escaped ``role="alert"`` line; nothing for no text."""
    if not text:
        return ""
    return render("common.html", "alert", text=text, style=ERROR_STYLE)


def message_html(text: str | None, level: str = "info") -> str:
    """A status line: an alert for ``"error"``, a polite status for ``"tip"`` or ``"info"``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if not text:
        return ""
    if level == "error":
        return alert_html(text)
    return render("common.html", "status", text=text, style=f"color:{TIP_COLOUR}" if level == "tip" else "")
