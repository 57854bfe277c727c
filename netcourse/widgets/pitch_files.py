"""The pitch studio's file bar: saves what can be loaded back, and keeps each draft's earlier versions.

:class:`DraftFiles` is the shared :class:`~netcourse.widgets.file_bar.FileBar` with two additions
for drafts. Save refuses a box longer than :data:`~netcourse.pitch.drafts.MAX_SAVED_CHARS` with a
sentence naming it (the text stays on screen), so nothing is saved that Load would refuse. Each save
over a file keeps the version it replaces in the file's ``history`` (at most
:data:`~netcourse.pitch.history.HISTORY_LIMIT`), and after a save or a load
:attr:`DraftFiles.versions` (newest first) and :attr:`DraftFiles.changes` say what changed, word
by word, shown in :attr:`DraftFiles.history_panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse.pitch import drafts
from netcourse.pitch.analysis import analyse
from netcourse.pitch.history import Change, Version, changes, next_history
from netcourse.pitch.parts import Pitch
from netcourse.storage import BACKUP_STEM, StorageError, load_json, safe_filename
from netcourse.widgets import pitch_views as views
from netcourse.widgets.file_bar import FileBar, Wording

WORDING = Wording(
    name_label="Draft name", default_name="my-pitch",
    name_tooltip="Save several versions under different names (e.g. 'ACEP conference')",
    list_label="Saved drafts", list_tooltip="Drafts saved in your working folder",
    load_tooltip="Open the chosen saved draft (unsaved text is kept as a backup)",
    save_tooltip="Save this draft in your working folder",
    saved="Saved “{name}” to {path}.",
    nothing_chosen="There is no saved draft to load yet: write one and press Save.", nothing_chosen_level="tip",
    load_failed="{error} Your other drafts are still listed and can be loaded.",
    backup_failed="Not loading, because your unsaved text could not be backed up: {error}",
    backup_kept=f" Your unsaved text (“{{kept}}”) was kept as the draft “{BACKUP_STEM}”.",
    loaded="Loaded “{name}” from {path}.{note}",
    exported="Exported to {paths}.",
)


def spoken_text(state: dict[str, Any]) -> str:
    """What a saved state says aloud: the parts joined in part mode, else the free draft."""
    if state["mode"] == "parts":
        return Pitch(**state["parts"]).text()
    return state["draft"]


def version_of(state: dict[str, Any], saved_at: str) -> Version:
    """The version a state is: its text, words and the parts the coach finds in it."""
    draft = Pitch(**state["parts"]) if state["mode"] == "parts" else state["draft"]
    report = analyse(draft, pace_wpm=state["pace_wpm"], target_seconds=state["target_seconds"])
    return Version(saved_at, spoken_text(state), report.word_count, report.parts_present)


class DraftFiles(FileBar):
    """Save, Load, Export and download for drafts, with the length limit and the history of versions."""

    def __init__(self, folder: Path, wording: Wording, *, state: Callable[[], dict[str, Any]],
                 show: Callable[[dict[str, Any]], None], **options: Any):
        self._draft_state = state
        self._pending: tuple[Version, ...] = ()
        self.versions: tuple[Version, ...] = ()
        self.changes: tuple[Change | None, ...] = ()
        self.history_panel = widgets.HTML(views.history_html((), ()))
        super().__init__(folder, drafts.DRAFT_KIND, wording, state=self._state_to_save, read=drafts.draft_from_dict,
                         show=lambda loaded: self._show_loaded(loaded, show), **options)

    def save(self) -> Path | None:
        problem = drafts.too_long_to_save(self._draft_state())
        if problem:
            self.say(f"Not saved: {problem}. Shorten it and save again; your saved file is unchanged.", "error")
            return None
        self._pending = ()
        path = super().save()
        if path is not None and self._pending:
            self.show_versions(self._pending)
        return path

    def show_versions(self, versions: tuple[Version, ...]) -> None:
        self.versions = tuple(versions)
        self.changes = changes(self.versions)
        self.history_panel.value = views.history_html(self.versions, self.changes)

    def _state_to_save(self) -> dict[str, Any]:
        state = self._draft_state()
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        current, previous = self._on_disk()
        new = version_of(state, now)
        history = next_history(previous, current, new.text)
        self._pending = (new, *history)
        return {**state, "saved_at": now, "history": [v.to_dict() for v in history]}

    def _on_disk(self) -> tuple[Version | None, tuple[Version, ...]]:
        """The version and history of the file a save under the current name replaces (none when new or damaged)."""
        try:
            path = self.folder / safe_filename(self.name.value)
            if not path.is_file():
                return None, ()
            saved = drafts.draft_from_dict(load_json(path, self.kind), path.name)
        except (StorageError, OSError):
            return None, ()
        return version_of(saved, saved["saved_at"]), tuple(Version.from_dict(v) for v in saved["history"])

    def _show_loaded(self, loaded: dict[str, Any], show: Callable[[dict[str, Any]], None]) -> None:
        show(loaded)
        self.show_versions((version_of(loaded, loaded["saved_at"]),
                            *(Version.from_dict(v) for v in loaded["history"])))
