"""DraftPanel: a generated message the student can edit, copy and download (funding request, follow-up).

The tool offers a draft with :meth:`DraftPanel.offer`; it fills the box unless the student has
edited what was there, in which case their text is kept and *Start again from the draft* brings
the new draft in. *Copy* puts the box's current text on the clipboard and *Download* saves it as a
text file; both read the box in the browser, so they take the latest keystrokes, and the download
link also carries the last text the kernel saw, for a browser without scripts.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from netcourse.widgets.downloads import text_downloads
from netcourse.widgets.render import render


class DraftPanel:
    """An editable draft with Copy, Download and Start again."""

    def __init__(self, label: str, tooltip: str, filename: str = "draft.txt", rows: int = 14):
        self.filename = filename
        self.generated = ""  # the last draft the tool put in the box
        self.latest = ""  # the newest draft the tool made (differs while the student's edits are kept)
        self._offering = False
        self.box = widgets.Textarea(description=label, tooltip=tooltip, style={"description_width": "initial"},
                                    rows=rows, layout=widgets.Layout(width="98%"))
        self.tools = widgets.HTML()
        self.note = widgets.HTML()
        self.restart_button = widgets.Button(description="Start again from the draft", icon="refresh",
                                             tooltip="Replace your edits with a fresh draft from the tool",
                                             layout=widgets.Layout(width="auto", display="none"))
        self.restart_button.on_click(lambda _b: self.restart())
        self.box.observe(self._edited_now, names="value")
        self.container = widgets.VBox([self.box, widgets.HBox([self.tools, self.restart_button]), self.note])
        self.container.add_class("nc-draft")

    @property
    def text(self) -> str:
        return self.box.value

    @property
    def edited(self) -> bool:
        return self.box.value != self.generated and self.box.value.strip() != ""

    @property
    def pending(self) -> bool:
        """A newer draft waits while the student's edits are kept."""
        return self.edited and self.latest != self.generated

    def offer(self, text: str, filename: str | None = None) -> None:
        """A new draft from the tool: shown at once, unless the student's own edits are in the box."""
        self.latest = text
        if filename:
            self.filename = filename
        if self.edited:
            self._show_tools()
        else:
            self._set(text)

    def restart(self) -> None:
        self._set(self.latest)

    def _set(self, text: str) -> None:
        self._offering = True
        try:
            self.generated = text
            self.box.value = text
        finally:
            self._offering = False
        self._show_tools()

    def _edited_now(self, _change: Any) -> None:
        if not self._offering:
            self._show_tools()

    def _show_tools(self) -> None:
        self.tools.value = render("common.html", "draft_tools", links=text_downloads({self.filename: self.box.value}))
        self.restart_button.layout.display = "" if self.edited else "none"
        self.note.value = render("common.html", "draft_note", edited=self.edited, pending=self.pending)
