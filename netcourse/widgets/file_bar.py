"""The file bar every tool shares: save, load, keep unsaved work, status line, exports and downloads.

A tool (funding planner, networking log, pitch studio) hands a :class:`FileBar` its folder, the
storage kind of its files, the words of its messages (:class:`Wording`) and four functions: what
to save, how to read a saved file back (raising a ``ValueError`` with a message when it is
damaged), how to show what was read, and why saving is refused right now (or ``None``). The bar
then does the rest the same way for every tool:

* files are listed by file name (``county-evening.json``) from one folder, fixed when the bar is made;
* a Load or any other replacement (:meth:`FileBar.keep_unsaved`) first writes unsaved work, as the
  screen shows it (the tool's ``draft``, which keeps fields that do not check yet), to
  ``unsaved-backup.json``; the last five backups are kept (``unsaved-backup-2.json``...), and the
  replacement is refused when the backup cannot be written;
* a Save over a file someone else saved since this bar last read or wrote it (another tool, another
  tab, an earlier session) is held back once with a warning; a second Save replaces it;
* every file action returns the :class:`~pathlib.Path` it wrote or read, or ``None`` after saying why
  in the status line (:mod:`netcourse.widgets.alerts`);
* after a save or export, a download link per file lets the browser keep a copy (works in Voila too).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse.storage import (
    BACKUP_SLOTS,
    StorageError,
    atomic_write_text,
    fingerprint,
    is_backup_name,
    keep_backup,
    load_json_stamped,
    safe_filename,
    save_json,
)
from netcourse.widgets.alerts import message_html
from netcourse.widgets.render import render

_MIME = {".json": "application/json", ".csv": "text/csv", ".md": "text/markdown", ".txt": "text/plain"}


@dataclass(frozen=True)
class Wording:
    """What the bar says for one tool. Messages are ``str.format`` templates.

    Every message may use ``{file}`` (a file name), ``{folder}``, ``{path}`` and the values the
    tool's ``details`` function gives (such as ``{count}`` entries); ``load_failed`` and
    ``backup_failed`` also get ``{error}``, ``backup_failed`` gets ``{what}`` (what was about to
    replace the work), ``backup_kept`` gets ``{backup}``, ``{kept}`` (the name before) and ``{slots}``
    (how many backups are kept), ``loaded`` gets ``{note}`` (``backup_kept`` or nothing) and
    ``exported`` gets ``{paths}``.
    """

    name_label: str
    default_name: str
    list_label: str
    list_tooltip: str
    load_tooltip: str
    save_tooltip: str
    saved: str
    nothing_chosen: str
    load_failed: str
    backup_failed: str
    backup_kept: str
    loaded: str
    name_tooltip: str = "Name to save under"
    exported: str = "Exported {file} in {folder}."
    refused_save: str = "Not saved: fix the fields marked ⚠ first. Your saved file is unchanged."
    refused_export: str = "Not exported: fix the fields marked ⚠ first."
    changed_on_disk: str = ("Not saved yet: {file} was saved again (by another tool or tab) since you opened it here. "
                            "Press Save again to replace that version, or Load it first to see it.")
    already_exists: str = ("Not saved yet: {file} already exists. Press Save again to replace it, "
                           "or choose another name.")
    reserved_name: str = "Not saved: {file} is where backups are kept; give this file a name of its own."
    nothing_chosen_level: str = "error"
    primary_save: bool = False


@dataclass(frozen=True)
class Export:
    """One export button: its label, icon and tooltip, and the files it writes (suffix -> text)."""

    label: str
    icon: str
    tooltip: str
    files: Callable[[], dict[str, str]]
    subfolder: str = ""


class FileBar:
    """Save / Load / Export buttons, the saved-files list, a status line and download links, for one tool."""

    def __init__(
        self,
        folder: Path,
        kind: str,
        wording: Wording,
        *,
        state: Callable[[], Any],
        read: Callable[[Any, str], Any],
        show: Callable[[Any], None],
        blocked: Callable[[], bool] = lambda: False,
        draft: Callable[[], Any] | None = None,
        details: Callable[[], dict[str, Any]] = dict,
        comparable: Callable[[Any], Any] = lambda data: data,
        exports: Sequence[Export] = (),
        style: dict[str, str] | None = None,
        layout: Callable[[], widgets.Layout] | None = None,
    ):
        self.folder = folder
        self.kind = kind
        self.wording = wording
        self._state, self._read, self._show = state, read, show
        self._draft = draft or state  # what the screen holds, even where it does not check yet
        self._blocked, self._details, self._comparable = blocked, details, comparable
        self.exports = tuple(exports)
        style = style or {}
        layout = layout or (lambda: widgets.Layout())
        # Sync on Enter or leaving the box, so a quick click on Save never races the last keystrokes.
        self.name = widgets.Text(value=wording.default_name, description=wording.name_label, continuous_update=False,
                                 tooltip=wording.name_tooltip, style=style, layout=layout())
        self.save_button = widgets.Button(description="Save", icon="save", tooltip=wording.save_tooltip,
                                          button_style="primary" if wording.primary_save else "")
        self.saved = widgets.Dropdown(description=wording.list_label, options=[], tooltip=wording.list_tooltip,
                                      style=style, layout=layout())
        self.load_button = widgets.Button(description="Load", icon="folder-open", tooltip=wording.load_tooltip)
        self.export_buttons = [widgets.Button(description=e.label, icon=e.icon, tooltip=e.tooltip)
                               for e in self.exports]
        self.status = widgets.HTML()
        self.message, self.level = "", "info"  # what the status line says, as text
        self.downloads = widgets.HTML()
        self.offered: tuple[Path, ...] = ()  # the files the download links are for
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load())
        for button, export in zip(self.export_buttons, self.exports, strict=True):
            button.on_click(lambda _b, export=export: self.export(export))
        row = widgets.Layout(flex_flow="row wrap")
        self.container = widgets.VBox([
            widgets.HBox([self.name, self.save_button], layout=row),
            widgets.HBox([self.saved, self.load_button, *self.export_buttons], layout=row),
            self.status,
            self.downloads,
        ])
        self._clean: Any = None
        self._seen: dict[str, str | None] = {}  # file name -> fingerprint when this bar last read or wrote it
        self._confirm: tuple[str, str | None] | None = None  # a Save held back, to go through when pressed again
        self.refresh()

    # ------------------------------------------------------------ state
    def mark_clean(self) -> None:
        """What the tool shows now counts as saved (after a save, a load or a fresh start)."""
        self._clean = self._comparable(self._draft())

    def has_unsaved_changes(self) -> bool:
        return self._comparable(self._draft()) != self._clean

    def say(self, text: str, level: str = "info") -> None:
        """Show ``text`` in the status line (``level``: ``"error"``, ``"tip"`` or ``"info"``)."""
        self.status.value = message_html(text, level)
        self.message, self.level = text, level

    def refresh(self, select: str | None = None) -> None:
        """List the saved files; a damaged one still lists (loading it explains the problem)."""
        try:
            names = sorted(p.name for p in self.folder.glob("*.json") if not p.name.startswith("."))
        except OSError:
            names = []
        current = select or self.saved.value
        self.saved.options = names
        if current in names:
            self.saved.value = current

    def _words(self, template: str, path: Path | None = None, **values: Any) -> str:
        where = {"file": path.name, "folder": path.parent, "path": path} if path is not None else {}
        return template.format(**{**self._details(), **where, **values})

    # ------------------------------------------------------------ actions
    def save(self) -> Path | None:
        """Save what the tool holds as ``<name>.json``; refused while the tool says it is blocked.

        A file saved by someone else since this bar last read or wrote it is not replaced at the first
        press: the status line says so, and pressing Save again (the file unchanged since) replaces it.
        """
        if self._blocked():
            self.say(self.wording.refused_save, "error")
            return None
        try:
            path = self.folder / safe_filename(self.name.value)
        except StorageError as exc:
            self.say(str(exc), "error")
            return None
        if is_backup_name(path.name):
            self.say(self._words(self.wording.reserved_name, path), "error")
            return None
        on_disk = fingerprint(path)
        if on_disk is not None and on_disk != self._seen.get(path.name) and self._confirm != (path.name, on_disk):
            self._confirm = (path.name, on_disk)
            warning = self.wording.changed_on_disk if path.name in self._seen else self.wording.already_exists
            self.say(self._words(warning, path), "error")
            return None
        data = self._state()
        try:
            save_json(path, data, self.kind)
        except StorageError as exc:
            self.say(str(exc), "error")
            return None
        self._seen[path.name], self._confirm = fingerprint(path), None
        self._clean = self._comparable(self._draft())
        self.refresh(select=path.name)
        self.say(self._words(self.wording.saved, path))
        self._offer([path])
        return path

    def load(self, filename: str | None = None) -> Path | None:
        """Open a saved file (the chosen one by default); a damaged file changes nothing."""
        filename = self.saved.value if filename is None else filename
        if not filename:
            self.say(self._words(self.wording.nothing_chosen), self.wording.nothing_chosen_level)
            return None
        path = self.folder / Path(filename).name
        try:
            data, stamp = load_json_stamped(path, self.kind)
            loaded = self._read(data, path.name)
        except ValueError as exc:  # StorageError and the tools' own PlanError, LogError...
            self.refresh()
            self.say(self._words(self.wording.load_failed, path, error=exc), "error")
            return None
        note = self.keep_unsaved(path.name)
        if note is None:
            return None
        self.name.value = path.stem
        self._show(loaded)
        self.mark_clean()
        self._seen[path.name], self._confirm = stamp, None
        self.refresh(select=path.name)
        self.say(self._words(self.wording.loaded, path, note=note))
        return path

    def keep_unsaved(self, what: str) -> str | None:
        """Before ``what`` replaces the tool's work: back up unsaved changes, as the screen shows them.

        Returns the sentence to add to the status line ("" when nothing needed keeping), or None
        (with the reason shown) when the backup could not be written: the caller must then stop.
        """
        if not self.has_unsaved_changes():
            return ""
        kept = self._details().get("name", "")
        try:
            backup = keep_backup(self.folder, self._draft(), self.kind)
        except StorageError as exc:
            self.say(self._words(self.wording.backup_failed, what=what, error=exc), "error")
            return None
        self.refresh()
        return self._words(self.wording.backup_kept, backup=backup.name, kept=kept, slots=BACKUP_SLOTS)

    def export(self, export: Export) -> tuple[Path, ...] | None:
        """Write ``export``'s files as ``<name><suffix>``; refused while the tool says it is blocked."""
        if self._blocked():
            self.say(self.wording.refused_export, "error")
            return None
        folder = self.folder / export.subfolder if export.subfolder else self.folder
        try:
            paths = tuple(atomic_write_text(folder / safe_filename(self.name.value, suffix), text)
                          for suffix, text in export.files().items())
        except StorageError as exc:
            self.say(str(exc), "error")
            return None
        self.say(self._words(self.wording.exported, paths[0], paths=" and ".join(str(p) for p in paths)))
        self._offer(paths)
        return paths

    def _offer(self, paths: Sequence[Path]) -> None:
        """Download links for the files just written: the browser saves them, also in Voila."""
        files = []
        self.offered = tuple(paths)
        for path in paths:
            mime = _MIME.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            files.append({"name": path.name, "href": f"data:{mime};charset=utf-8;base64,{data}"})
        self.downloads.value = render("common.html", "downloads", files=files)
