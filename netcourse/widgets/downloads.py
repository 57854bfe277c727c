"""Download links for text a tool made: the browser saves the file itself, so they work in Voila too.

:func:`download_links` offers files a tool just wrote; :func:`text_downloads` offers text held in
memory (an edited draft, a calendar file) without writing anything on the server. Both use the
``downloads`` macro of ``common.html``, the same links the file bar shows.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping, Sequence
from pathlib import Path

from netcourse.widgets.render import render

MIME = {".json": "application/json", ".csv": "text/csv", ".md": "text/markdown", ".txt": "text/plain",
        ".ics": "text/calendar"}


def _mime(name: str) -> str:
    return MIME.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _href(name: str, data: bytes) -> str:
    return f"data:{_mime(name)};charset=utf-8;base64,{base64.b64encode(data).decode('ascii')}"


def download_links(paths: Sequence[Path]) -> str:
    """HTML links that hand the browser each file in ``paths``."""
    return render("common.html", "downloads", files=[{"name": p.name, "href": _href(p.name, p.read_bytes())}
                                                     for p in paths])


def text_downloads(files: Mapping[str, str]) -> str:
    """HTML links that hand the browser each ``name -> text`` as a file, nothing written on the server."""
    return render("common.html", "downloads", files=[{"name": name, "href": _href(name, text.encode("utf-8"))}
                                                     for name, text in files.items()])
