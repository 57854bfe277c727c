"""The file bar every tool shares, driven with a small state of its own: save, list, load, back up, download."""

from __future__ import annotations

import base64
import json

import pytest
from rendered import elements, shown_text

from netcourse.storage import StorageError
from netcourse.widgets.alerts import message_html
from netcourse.widgets.file_bar import Export, FileBar, Wording

WORDING = Wording(
    name_label="Notes file", default_name="notes", list_label="Saved notes", list_tooltip="Notes saved before",
    load_tooltip="Open the chosen notes", save_tooltip="Save the notes",
    saved="Saved {count} notes to {file}.", nothing_chosen="Choose saved notes first.",
    load_failed="Could not load {file}: {error} Nothing changed.",
    backup_failed="Not opening {what}: {error}", backup_kept=" Unsaved notes kept as {backup}.",
    loaded="Loaded {count} notes from {file}.{note}",
)


class Notes:
    """The smallest tool: a list of strings, refused while it holds an empty one."""

    def __init__(self, folder):
        self.items: list[str] = []
        self.bar = FileBar(folder, "notes", WORDING, state=lambda: {"items": list(self.items)}, read=self.read,
                           show=self.show, blocked=lambda: "" in self.items,
                           details=lambda: {"count": len(self.items)},
                           exports=(Export("Export text", "file", "Write the notes as text",
                                           lambda: {".txt": "\n".join(self.items)}),))
        self.bar.mark_clean()

    @staticmethod
    def read(data, filename):
        if not isinstance(data, dict) or not all(isinstance(i, str) for i in data.get("items", [None])):
            raise StorageError(f"{filename} holds no notes.")
        return data["items"]

    def show(self, items):
        self.items = list(items)


@pytest.fixture
def notes(tmp_path):
    return Notes(tmp_path / "notes")


def test_save_lists_the_file_and_offers_a_download_of_exactly_its_bytes(notes, tmp_path):
    notes.items = ["ask about research", "café ☕ <b>x</b>"]
    path = notes.bar.save()
    assert path == tmp_path / "notes" / "notes.json" and notes.bar.saved.options == ("notes.json",)
    assert notes.bar.message == "Saved 2 notes to notes.json." and notes.bar.level == "info"
    (link,) = elements(notes.bar.downloads.value, "a")
    assert link["download"] == "notes.json"
    header, payload = link["href"].split(",", 1)
    assert header == "data:application/json;charset=utf-8;base64"
    assert base64.b64decode(payload) == path.read_bytes()
    assert json.loads(path.read_text())["data"]["items"][1] == "café ☕ <b>x</b>"


def test_load_backs_up_unsaved_work_and_swaps_when_the_backup_itself_is_loaded(notes):
    notes.items = ["saved one"]
    notes.bar.save()
    notes.items = ["unsaved"]
    assert notes.bar.load("notes.json").name == "notes.json"
    assert notes.items == ["saved one"]
    assert notes.bar.message == "Loaded 1 notes from notes.json. Unsaved notes kept as unsaved-backup.json."
    notes.items = ["unsaved two"]
    notes.bar.load("unsaved-backup.json")
    assert notes.items == ["unsaved"]
    assert notes.bar.load("unsaved-backup.json") and notes.items == ["unsaved two"]  # nothing is ever lost


def test_refusals_and_damage_change_nothing(notes, tmp_path):
    assert notes.bar.load() is None and notes.bar.message == "Choose saved notes first."
    notes.items = ["a", ""]
    assert notes.bar.save() is None and notes.bar.message.startswith("Not saved")
    assert notes.bar.export(notes.bar.exports[0]) is None and notes.bar.message.startswith("Not exported")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "odd.json").write_text(json.dumps({"kind": "notes", "data": {"items": [3]}}))
    (folder / ".hidden.json").write_text("{}")
    notes.bar.refresh()
    assert notes.bar.saved.options == ("odd.json",)
    assert notes.bar.load("odd.json") is None
    assert notes.bar.message == "Could not load odd.json: odd.json holds no notes. Nothing changed."
    assert notes.items == ["a", ""] and notes.bar.level == "error"


def test_export_writes_each_file_and_offers_each(notes, tmp_path):
    notes.items = ["one", "two"]
    notes.bar.name.value = "for the mixer"
    (path,) = notes.bar.export(notes.bar.exports[0])
    assert path == tmp_path / "notes" / "for-the-mixer.txt" and path.read_text() == "one\ntwo"
    assert notes.bar.message == f"Exported for-the-mixer.txt in {path.parent}." and notes.bar.offered == (path,)


def test_the_status_line_escapes_and_marks_its_level():
    alert = message_html("<img src=x> went wrong", "error")
    assert elements(alert, "span")[0]["role"] == "alert" and not elements(alert, "img")
    assert shown_text(alert) == "⚠ <img src=x> went wrong"
    assert elements(message_html("Saved.", "info"), "div")[0]["role"] == "status"
    assert message_html("", "info") == ""
    with pytest.raises(ValueError, match="level"):
        message_html("x", "loud")


def test_a_file_where_the_folder_should_be_gives_a_message_not_a_traceback(tmp_path):
    (tmp_path / "notes").write_text("I am a file, not a folder")
    notes = Notes(tmp_path / "notes")
    assert notes.bar.saved.options == ()
    notes.items = ["x"]
    assert notes.bar.save() is None and notes.bar.level == "error" and "Could not save notes.json" in notes.bar.message
    assert notes.bar.load("notes.json") is None and notes.bar.level == "error"
