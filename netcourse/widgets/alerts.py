"""The error look the apps share: one style and one escaped alert line, so every app warns alike."""

from __future__ import annotations

import html

ERROR_STYLE = "color:#b42318"


def alert_html(text: str | None) -> str:
    """``text`` as a red, escaped ``role="alert"`` line; nothing for no text."""
    if not text:
        return ""
    return f'<span role="alert" style="{ERROR_STYLE}">⚠ {html.escape(text)}</span>'
