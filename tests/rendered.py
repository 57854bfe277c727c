"""What a person sees in a widget's HTML: its text, and the elements it holds.

Tests read rendered panels through these two functions instead of matching markup, so a copy
edit or a change of escaping style does not break them, while a ``<script>`` that became an
element, or text that went missing, still does.
"""

from __future__ import annotations

import html as _html
from html.parser import HTMLParser

# Elements a browser shows apart from their neighbours (cells, rows, items, paragraphs, breaks).
_BREAKS = frozenset("td th tr li p div br ul ol table blockquote pre h1 h2 h3 h4 h5 h6".split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in _BREAKS:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(markup: str) -> _Reader:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader


def shown_text(markup: str) -> str:
    """The text of ``markup`` as a browser shows it, white space collapsed."""
    return " ".join(_html.unescape("".join(_read(markup).text)).split())


def elements(markup: str, tag: str | None = None) -> list[dict[str, str | None]]:
    """The attributes of every element in ``markup`` (only ``tag`` elements when given)."""
    return [attrs for name, attrs in _read(markup).elements if tag is None or name == tag]
