"""The file bar every tool shares, driven with a small state of its own: save, list, load, back up, download."""

from __future__ import annotations

import base64
import json
import unicodedata
from datetime import date

import pytest
from rendered import elements, shown_text

from netcourse import storage
from netcourse.storage import StorageError, atomic_write_text, backup_names, keep_backup, safe_filename
from netcourse.widgets.alerts import message_html
from netcourse.widgets.file_bar import Export, FileBar, Wording
from netcourse.widgets.funding_planner import FundingPlanner
from netcourse.widgets.networking_log import NetworkingLog
from netcourse.widgets.pitch_studio import PitchStudio

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


# ---------------------------------------------------------------- names, limits, other savers (issue 17)

@pytest.mark.parametrize("first, second", [("café", "cafè"), ("Café", "café"), ("Мой план", "Мой плач"),
                                           ("计划", "計劃"), ("résumé", "resume")])
def test_names_that_differ_on_screen_are_different_files(first, second):
    # "café" and "cafè" both became caf.json and overwrote each other.
    assert safe_filename(first) != safe_filename(second)


@pytest.mark.parametrize("name, expected", [
    ("café", "café.json"), ("cafe\u0301", "café.json"), ("Мой план", "Мой-план.json"), ("计划", "计划.json"),
    ("हिन्दी नोट्स", "हिन्दी-नोट्स.json"), ("ca\u200bfé", "café.json"), ("../../etc/passwd", "etc-passwd.json"),
    ("a / b : c", "a-b-c.json"), ("\u202eevil", "evil.json"), (".hidden", "hidden.json"),
])
def test_letters_of_every_script_stay_and_invisible_characters_go(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2063\u2063", "\u3164",
                                  "...", "--", "/", "\u0301", "\x00"])
def test_a_name_with_nothing_visible_is_refused_with_a_message(notes, name):
    with pytest.raises(StorageError, match="give the file a name"):
        safe_filename(name)
    notes.items, notes.bar.name.value = ["x"], name
    assert notes.bar.save() is None and notes.bar.level == "error" and "give the file a name" in notes.bar.message


def test_long_names_are_cut_without_splitting_a_letter_from_its_accent(tmp_path):
    name = safe_filename("e\u0301" * 200)
    assert name == "é" * 75 + ".json"  # NFC, and 150 bytes at most (é is two)
    assert safe_filename("x" * 200) == "x" * 80 + ".json"
    devanagari = safe_filename("नि" * 100)  # a letter and its vowel sign, three UTF-8 bytes each
    stem = devanagari.removesuffix(".json")
    assert len(stem.encode()) <= 150 and stem.endswith("नि") and len(stem) % 2 == 0
    assert unicodedata.category(stem[0]) == "Lo" and unicodedata.category(stem[-1]) == "Mc"
    assert atomic_write_text(tmp_path / devanagari, "ok").read_text() == "ok"


def test_saving_under_a_name_already_taken_asks_once(notes, tmp_path):
    notes.items = ["mine"]
    notes.bar.save()
    newcomer = Notes(tmp_path / "notes")  # another tab, or the next session, with the same default name
    newcomer.items = ["theirs"]
    assert newcomer.bar.save() is None and newcomer.bar.level == "error"
    assert newcomer.bar.message == ("Not saved yet: notes.json already exists. Press Save again to replace it, or "
                                    "choose another name.")
    assert json.loads((tmp_path / "notes" / "notes.json").read_text())["data"]["items"] == ["mine"]
    notes.items = ["mine, later"]
    assert notes.bar.save()  # the first bar wrote the file it sees: no question
    assert newcomer.bar.save() is None and "already exists" in newcomer.bar.message  # changed since it asked
    assert newcomer.bar.save() and json.loads((tmp_path / "notes" / "notes.json").read_text())["data"]["items"] == [
        "theirs"]
    assert notes.bar.save() is None and "was saved again (by another tool or tab)" in notes.bar.message


def test_backup_names_are_kept_for_backups(notes):
    notes.items = ["x"]
    for name in ("unsaved-backup", "Unsaved-Backup", "unsaved-backup-3"):
        notes.bar.name.value = name
        assert notes.bar.save() is None and "where backups are kept" in notes.bar.message
    notes.bar.name.value = "unsaved-backup-9"
    assert notes.bar.save()  # beyond the five slots: an ordinary name


def test_keep_backup_rotates_five_slots(tmp_path):
    for n in range(7):
        assert keep_backup(tmp_path, {"n": n}, "notes").name == "unsaved-backup.json"
    assert {p.name: json.loads(p.read_text())["data"]["n"] for p in tmp_path.iterdir()} == {
        "unsaved-backup.json": 6, "unsaved-backup-2.json": 5, "unsaved-backup-3.json": 4, "unsaved-backup-4.json": 3,
        "unsaved-backup-5.json": 2}
    assert backup_names() == ["unsaved-backup.json", *[f"unsaved-backup-{n}.json" for n in range(2, 6)]]


def test_too_big_to_save_is_refused_before_anything_is_written(notes, tmp_path):
    notes.items = ["x" * (storage.MAX_FILE_BYTES + 1)]
    assert notes.bar.save() is None and notes.bar.level == "error"
    assert "more than the 5.0 MB a file may hold" in notes.bar.message
    assert not (tmp_path / "notes" / "notes.json").exists()


def test_a_lone_surrogate_from_the_browser_is_saved_and_read_back_exactly(notes, tmp_path):
    notes.items = ["half an emoji \ud83d", "ok"]
    path = notes.bar.save()
    assert storage.load_json(path, "notes") == {"items": ["half an emoji \ud83d", "ok"]}


def envelope(kind, data):
    return '{"kind": "' + kind + '", "data": ' + data + "}"


def big(folder, name, kind):
    (folder / name).write_text(envelope(kind, '"' + "x" * (storage.MAX_FILE_BYTES + 10) + '"'))


def nested(folder, name, kind):  # json.loads itself raised RecursionError
    (folder / name).write_text(envelope(kind, "[" * 100_000 + "]" * 100_000))


def shallow_but_deep(folder, name, kind):  # parses, but deeper than any saved format
    (folder / name).write_text(envelope(kind, '{"format": ' + "[" * 500 + "]" * 500 + "}"))


def huge_number(folder, name, kind):  # more digits than Python converts: a ValueError, not a JSONDecodeError
    (folder / name).write_text(envelope(kind, '{"registration": ' + "9" * 5000 + "}"))


TOOLS = {"plans": ("funding-plan", lambda: FundingPlanner(today=date(2026, 1, 15))),
         "logs": ("networking-log", lambda: NetworkingLog(today=date(2026, 1, 15))),
         "pitches": ("pitch-draft", lambda: PitchStudio())}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_every_tool_loads_oversized_deep_or_odd_files_with_a_message(work_dir, tool):
    kind, make = TOOLS[tool]
    app = make()
    folder = work_dir / tool
    folder.mkdir(parents=True, exist_ok=True)
    before = app.files._draft()
    for write, words in ((big, "the tools open files up to 5.0 MB"), (nested, "nested too deeply"),
                         (shallow_but_deep, "nested too deeply"), (huge_number, "is damaged")):
        write(folder, f"{write.__name__}.json", kind)
        assert app.files.load(f"{write.__name__}.json") is None, write.__name__
        assert app.files.level == "error" and words in app.files.message, (write.__name__, app.files.message)
    assert app.files._draft() == before  # nothing changed in the tool
