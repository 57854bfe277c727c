"""Property tests of what the tools save and load: file names, every saved JSON format, the log's CSV.

Whatever a saved file holds (any JSON, any bytes, a good file with any part damaged), Load in each
of the three tools gives the file or a message, never an exception, and a refused file changes
nothing; what one tool instance saves, another loads back exactly; file names keep what tells them
apart on screen and nothing else; the networking log's CSV re-parses to the same rows, defused.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netcourse import funding, netlog, storage
from netcourse.content import load_content
from netcourse.pitch import drafts
from netcourse.pitch.audiences import load_audiences
from netcourse.storage import StorageError, safe_filename
from netcourse.widgets.funding_planner import FundingPlanner
from netcourse.widgets.networking_log import NetworkingLog
from netcourse.widgets.pitch_studio import PitchStudio

TODAY = date(2026, 1, 15)
CONTENT = load_content()
FAST = settings(max_examples=200, deadline=None)
TOOL_RUNS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])

# ---------------------------------------------------------------- file names

visible = st.characters(categories=("Lu", "Ll", "Lo", "Nd"), exclude_characters="\u115f\u1160\u3164\uffa0")


@FAST
@given(st.text(max_size=120))
def test_any_name_gives_a_safe_file_name_or_a_message(tmp_path_factory, name):
    try:
        filename = safe_filename(name)
    except StorageError as exc:
        assert "give the file a name" in str(exc)
        return
    stem = filename.removesuffix(".json")
    assert stem and not stem.startswith((".", "-")) and "/" not in stem and "\\" not in stem
    assert len(stem) <= storage.MAX_NAME_CHARS and len(filename.encode()) <= 160
    assert unicodedata.is_normalized("NFC", stem)
    assert not any(unicodedata.category(c) in ("Cf", "Cc", "Cs", "Zs", "Zl", "Zp") for c in stem)
    assert safe_filename(filename.removesuffix(".json")) == filename  # a file's own name maps to itself
    folder = tmp_path_factory.mktemp("names", numbered=True)
    assert storage.atomic_write_text(folder / filename, "x").name == filename  # the folder accepts it


@FAST
@given(st.text(visible, min_size=1, max_size=35), st.text(visible, min_size=1, max_size=35))
def test_names_made_of_letters_and_digits_are_the_same_file_only_when_they_read_the_same(first, second):
    same_text = unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)
    assert (safe_filename(first) == safe_filename(second)) == same_text


@FAST
@given(st.text(visible, min_size=1, max_size=30))
def test_composed_and_decomposed_accents_and_invisible_characters_give_one_file(name):
    invisible = "\u200b\u200d\ufeff\u2063"
    decomposed = unicodedata.normalize("NFD", name)
    spiked = "".join(c + invisible[i % 4] for i, c in enumerate(decomposed))
    assert safe_filename(decomposed) == safe_filename(name) == safe_filename(spiked)


# ---------------------------------------------------------------- every saved format, damaged any way

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
              st.sampled_from(["", "0001-01-05", "1" * 27, "1 2", "netcourse-funding/1", "netcourse-netlog/1",
                               "netcourse-pitch/1", "chapter", "awarded", "parts", "free", "mentorship"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def good_files():
    plan = funding.plan_to_dict(funding.preset("national", funding=(
        funding.FundingRequest("chapter", funding.money(100), "awarded", date(2026, 3, 1), "Ask Sam"),)))
    log = netlog.log_to_dict((netlog.Contact("Dr. Lee", "Resident", "County evening", "Ask about research",
                                             date(2026, 1, 5), date(2026, 1, 20), "mentorship"),))
    pitch = {"format": drafts.DRAFT_FORMAT, "name": "mine", "mode": "parts",
             "parts": {pid: f"{pid} text." for pid in drafts.PART_IDS}, "draft": "", "pace_wpm": 130,
             "target_seconds": 60, "audience": "physician", "person": "Dr. Lee", "event": "Gala",
             "questions": ["What do you enjoy most?", "", ""], "listening_notes": "", "follow_up": ""}
    return {"plans": (funding.PLAN_KIND, plan), "logs": (netlog.LOG_KIND, log), "pitches": (drafts.DRAFT_KIND, pitch)}


GOOD = good_files()


@st.composite
def damaged(draw, value, depth=0):
    """``value`` with any of its parts replaced, removed or added to (often none, so good files load too)."""
    roll = draw(st.integers(0, 11))
    if roll == 0:
        return draw(json_values)
    if isinstance(value, dict) and depth < 3:
        out = {key: draw(damaged(child, depth + 1)) for key, child in value.items() if draw(st.integers(0, 15))}
        if roll == 1:
            out[draw(st.sampled_from([*value, "extra"]))] = draw(json_values)
        return out
    if isinstance(value, list) and depth < 3:
        items = [draw(damaged(child, depth + 1)) for child in value]
        return items + draw(st.lists(json_values, max_size=2)) if roll == 1 else items
    return value


@pytest.fixture(scope="module")
def tools(tmp_path_factory):
    folder = tmp_path_factory.mktemp("work")
    return {"plans": FundingPlanner(today=TODAY, folder=folder), "logs": NetworkingLog(today=TODAY, folder=folder),
            "pitches": PitchStudio(folder)}


def load_written(app, text_or_bytes):
    app.files.folder.mkdir(parents=True, exist_ok=True)
    path = app.files.folder / "probe.json"
    path.write_bytes(text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode("utf-8", "replace"))
    before = app.files._draft()
    loaded = app.files.load("probe.json")  # an exception here is one a student would see
    if loaded is None:
        assert app.files.level == "error" and app.files.message
        assert app.files._draft() == before  # a refused file changes nothing
    event("loaded" if loaded else "refused")
    return loaded


@TOOL_RUNS
@given(st.sampled_from(sorted(GOOD)), st.data())
def test_any_damage_to_a_saved_file_gives_the_file_or_a_message(tools, tool, data):
    kind, good = GOOD[tool]
    envelope = {"kind": data.draw(st.sampled_from([kind, kind, kind, "other"])), "data": data.draw(damaged(good))}
    app = tools[tool]
    if load_written(app, json.dumps(envelope, ensure_ascii=data.draw(st.booleans()))):
        # What loaded saves and loads back to the same screen.
        app.files.name.value = "again"
        shown = app.files._draft()
        saved = app.files.save()
        if saved is not None:
            assert app.files.load("again.json") and app.files._draft() == shown


@TOOL_RUNS
@given(st.sampled_from(sorted(GOOD)), st.one_of(st.binary(max_size=200), json_values.map(json.dumps),
                                                st.text(max_size=200)))
def test_any_bytes_at_all_give_a_message(tools, tool, raw):
    load_written(tools[tool], raw)


# ---------------------------------------------------------------- what is saved is what is loaded

texts = st.text(max_size=60)
contact_fields = st.fixed_dictionaries({
    "name": st.text(min_size=1, max_size=120).filter(str.strip), "role": texts, "where": st.text(min_size=1,
                                                                                                max_size=160).filter(
        str.strip), "learned": st.text(max_size=300), "met_on": st.one_of(st.just(""), st.dates().map(date.isoformat)),
    "follow_up": st.one_of(st.just(""), st.dates().map(date.isoformat)),
    "benefit": st.sampled_from(["", *[b.id for b in CONTENT.benefits]]), "followed_up": st.booleans(),
})


def contacts(fields_list):
    made = [netlog.contact_from_fields(fields, CONTENT) for fields in fields_list]
    return tuple(contact for contact, _problems in made if contact is not None)


@settings(max_examples=100, deadline=None)
@given(st.lists(contact_fields, max_size=8))
def test_a_log_round_trips_through_its_file_and_its_csv(tmp_path_factory, fields_list):
    log = contacts(fields_list)
    path = storage.save_json(tmp_path_factory.mktemp("log") / "log.json", netlog.log_to_dict(log), netlog.LOG_KIND)
    assert netlog.log_from_dict(storage.load_json(path, netlog.LOG_KIND), CONTENT) == log
    rows = list(csv.reader(io.StringIO(netlog.log_to_csv(log), newline="")))
    assert rows[0] == netlog.CSV_COLUMNS and len(rows) == len(log) + 1
    for row, contact in zip(rows[1:], log, strict=True):
        assert len(row) == len(netlog.CSV_COLUMNS)
        assert not any(cell.startswith(netlog.FORMULA_STARTS) for cell in row)  # nothing runs as a formula
        for key in ("name", "role", "where", "learned"):
            cell, typed = row[netlog.CSV_COLUMNS.index(key)], getattr(contact, key)
            assert cell == ("'" + typed if typed.startswith(netlog.FORMULA_STARTS) else typed)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contact_fields, max_size=6))
def test_what_one_log_saves_another_loads_exactly(tmp_path_factory, fields_list):
    folder = tmp_path_factory.mktemp("logs")
    first = NetworkingLog(contacts(fields_list), today=TODAY, folder=folder)
    assert first.save()
    second = NetworkingLog(today=TODAY, folder=folder)
    assert second.load("my-contacts.json") and second.log == first.log


AUDIENCES = [a.id for a in load_audiences()]
pitch_states = st.fixed_dictionaries({
    "mode": st.sampled_from(["parts", "free"]), "parts": st.fixed_dictionaries({pid: texts for pid in drafts.PART_IDS}),
    "draft": st.text(max_size=200), "pace_wpm": st.integers(100, 160).map(lambda n: n - n % 5),
    "audience": st.sampled_from(AUDIENCES), "person": texts, "event": texts, "listening_notes": texts,
    "follow_up": texts, "questions": st.lists(st.text(min_size=1, max_size=40).filter(str.strip), max_size=3),
})


@pytest.fixture(scope="module")
def studios(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pitch-work")
    return PitchStudio(folder), PitchStudio(folder)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(pitch_states)
def test_what_one_pitch_studio_saves_another_loads_exactly(studios, state):
    first, second = studios
    first.mode.value, first.draft.value, first.pace.value = state["mode"], state["draft"], state["pace_wpm"]
    for pid, area in first.parts.items():
        area.value = state["parts"][pid]
    first.audience.value, first.person.value, first.event.value = state["audience"], state["person"], state["event"]
    first.notes.value, first.follow_up.value = state["listening_notes"], state["follow_up"]
    first.questions.fill(state["questions"])
    first.name.value = "typed"
    assert first.files.save()
    assert second.load("typed.json") and second.state() == first.state()
