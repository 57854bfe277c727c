"""Widget tests of PitchStudio: type into it, read the feedback, pick questions, rehearse, save, load, export."""

from __future__ import annotations

import json

import ipywidgets as widgets
import pytest

from netcourse.pitch import MAX_QUESTIONS, PART_IDS, count_words
from netcourse.widgets import PitchStudio

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
INTRO = "Hi, I'm Maya Chen, a second-year medical student at Riverside University."
GOAL = "I'm hoping to find a research project in emergency medicine."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def studio(work_dir, clock) -> PitchStudio:
    return PitchStudio(clock=clock)


def parts_state(studio: PitchStudio) -> dict[str, str]:
    html = studio.feedback.value
    return {pid: ("present" if f'data-part="{pid}" data-state="present"' in html else "missing") for pid in PART_IDS}


def test_builds_without_writing_files(work_dir, studio):
    assert not work_dir.exists()
    assert studio.saved.options == ()
    assert studio.summary.value.startswith("0 words")
    assert set(parts_state(studio).values()) == {"missing"}
    assert isinstance(studio.container, widgets.VBox)
    bundle = studio._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == studio.container.model_id


def test_typing_parts_updates_the_feedback_live(studio):
    studio.parts["intro"].value = INTRO
    assert studio.summary.value.startswith(f"{count_words(INTRO)} words")
    assert "parts 1/7" in studio.summary.value
    assert parts_state(studio)["intro"] == "present" and parts_state(studio)["goal"] == "missing"
    assert 'data-suggestion="missing-goal"' in studio.feedback.value
    studio.parts["goal"].value = GOAL
    assert parts_state(studio)["goal"] == "present"
    assert 'data-suggestion="missing-goal"' not in studio.feedback.value
    assert "parts 2/7" in studio.summary.value
    assert studio.report is not None and studio.report.word_count == count_words(INTRO) + count_words(GOAL)


def test_pace_and_target_change_the_time(studio):
    studio.parts["background"].value = " ".join(["word"] * 130)
    assert "about 60 s at 130 words/min" in studio.summary.value
    studio.pace.value = 195
    assert "about 40 s at 195 words/min" in studio.summary.value
    studio.target.value = 30
    assert "10 s over" in studio.summary.value
    assert 'data-suggestion="too-long"' in studio.feedback.value


def test_free_draft_mode_finds_parts_from_cue_phrases(studio):
    studio.mode.value = "free"
    assert studio.parts_box.layout.display == "none" and studio.draft_box.layout.display is None
    studio.draft.value = f"{INTRO} {GOAL} How did you choose your specialty?"
    state = parts_state(studio)
    assert state["intro"] == state["goal"] == state["question"] == "present"
    assert state["background"] == "missing"
    assert "How did you choose your specialty?" in studio.feedback.value


def test_audience_selector_changes_what_to_emphasise(studio):
    studio.parts["intro"].value = INTRO
    studio.audience.value = "physician"
    physician = studio.audience_panel.value
    assert "A physician" in physician and "Emphasise</b>: Goal" in physician
    assert "Harvard Medical School" in physician
    studio.audience.value = "leader"
    leader = studio.audience_panel.value
    assert leader != physician and "society or committee leader" in leader
    assert "Emphasise</b>: Reason for being here" in leader


def test_question_picker_filters_and_adds_up_to_three(studio):
    studio.only_audience.value = False
    everything = len(studio.results.options)
    studio.search.value = "shadowing"
    assert 0 < len(studio.results.options) < everything
    # A word matches the question or its topic ("Shadowing and clinical experience").
    assert all("shadow" in label.lower() or qid.startswith("shadow-") for label, qid in studio.results.options)
    studio.search.value = ""
    studio.topic.value = "research"
    research = studio.results.options
    assert research and all(qid.startswith("research-") for _label, qid in research)
    studio.add_question.click()
    assert "Choose a question" in studio.status.value
    for _label, qid in research[:MAX_QUESTIONS]:
        studio.results.value = qid
        studio.add_question.click()
    assert [s.value for s in studio.question_slots] == [label for label, _ in research[:MAX_QUESTIONS]]
    studio.results.value = research[3][1]
    studio.add_question.click()
    assert "clear one" in studio.status.value
    studio.question_slots[1].value = ""
    studio.add_question.click()
    assert studio.question_slots[1].value == research[3][0]
    studio.add_question.click()
    assert "already in your list" in studio.status.value
    # The plan shows the chosen questions and the student's edits.
    studio.question_slots[0].value = "How did you get into research, Dr. Rivera?"
    assert "How did you get into research, Dr. Rivera?" in studio.plan_panel.value


def test_audience_filter_limits_the_question_bank(studio):
    studio.audience.value = "leader"
    leader_ids = {qid for _label, qid in studio.results.options}
    assert "mentor-programs" in leader_ids
    studio.audience.value = "resident"
    assert "mentor-programs" not in {qid for _label, qid in studio.results.options}


def test_plan_and_follow_up_draft(studio):
    studio.parts["intro"].value = INTRO
    studio.parts["goal"].value = GOAL
    studio.person.value = "Dr. Rivera"
    studio.event.value = "the county society mixer"
    studio.notes.value = "- her path through EMS"
    assert 'data-stage="listening"' in studio.plan_panel.value and "her path through EMS" in studio.plan_panel.value
    studio.draft_follow_up.click()
    message = studio.follow_up.value
    assert message.startswith("Dear Dr. Rivera,")
    assert "the county society mixer" in message and "her path through EMS" in message
    assert GOAL in message and message.rstrip().endswith("Maya")


def test_rehearsal_measures_words_per_minute(studio, clock):
    words = " ".join(["word"] * 120)
    studio.parts["background"].value = words
    studio.rehearse.value = True
    assert studio.rehearse.description == "Stop rehearsal"
    clock.now += 30
    studio.tick()
    assert "0:30 elapsed" in studio.rehearse_panel.value and "word 65 of 120" in studio.rehearse_panel.value
    clock.now += 30
    studio.rehearse.value = False
    assert studio.rehearse.description == "Start rehearsal"
    assert studio.rehearsal_result == {"seconds": 60.0, "wpm": 120, "pace": 130}
    assert 'data-wpm="120"' in studio.rehearse_panel.value
    assert "on your 130 words/min pace" in studio.rehearse_panel.value
    studio.rehearse.value = True
    clock.now += 36
    studio.rehearse.value = False
    assert studio.rehearsal_result["wpm"] == 200
    assert "faster than your 130" in studio.rehearse_panel.value
    studio.rehearse.value = True
    clock.now += 0.5
    studio.rehearse.value = False
    assert "too short to measure" in studio.rehearse_panel.value


def test_rehearsal_without_text_asks_for_a_draft(studio, clock):
    studio.rehearse.value = True
    clock.now += 20
    studio.rehearse.value = False
    assert "Write your introduction first" in studio.rehearse_panel.value


def test_save_change_load_restores_the_text(studio, work_dir):
    studio.parts["intro"].value = INTRO
    studio.parts["goal"].value = GOAL
    studio.person.value = "Dr. Rivera"
    studio.question_slots[0].value = "How did you choose EM?"
    studio.pace.value = 150
    studio.name.value = "ACEP conference"
    studio.save_button.click()
    path = work_dir / "pitches" / "ACEP-conference.json"
    assert path.exists() and "Saved" in studio.status.value
    saved = json.loads(path.read_text())
    assert saved["kind"] == "pitch-draft" and saved["data"]["parts"]["intro"] == INTRO
    assert studio.saved.options == ("ACEP-conference",) and studio.saved.value == "ACEP-conference"

    studio.parts["intro"].value = "Something else entirely."
    studio.person.value = ""
    studio.pace.value = 130
    studio.load_button.click()
    assert studio.parts["intro"].value == INTRO
    assert studio.person.value == "Dr. Rivera" and studio.pace.value == 150
    assert studio.question_slots[0].value == "How did you choose EM?"
    assert studio.summary.value.startswith(f"{count_words(INTRO) + count_words(GOAL)} words")
    # Nothing the student wrote is lost: the unsaved text went to a backup draft.
    assert "unsaved-backup" in studio.saved.options and "kept as the draft" in studio.status.value
    backup = json.loads((work_dir / "pitches" / "unsaved-backup.json").read_text())
    assert backup["data"]["parts"]["intro"] == "Something else entirely."


def test_several_named_drafts(studio):
    studio.parts["intro"].value = "Hi, I'm Maya."
    studio.save("for residents")
    studio.parts["intro"].value = "Hello, I'm Maya Chen."
    studio.mode.value = "free"
    studio.draft.value = "A free draft."
    studio.save("for physicians")
    assert studio.saved.options == ("for-physicians", "for-residents")
    assert studio.load("for-residents")
    assert studio.parts["intro"].value == "Hi, I'm Maya." and studio.mode.value == "parts"
    assert studio.load("for-physicians")
    assert studio.mode.value == "free" and studio.draft.value == "A free draft."
    assert "unsaved-backup" not in studio.saved.options  # nothing was unsaved


def test_corrupted_file_gives_a_message_and_other_drafts_still_load(studio, work_dir):
    studio.parts["intro"].value = INTRO
    studio.save("good")
    folder = work_dir / "pitches"
    (folder / "broken.json").write_text('{"kind": "pitch-draft", "data": {"parts": ')
    (folder / "wrong-kind.json").write_text(json.dumps({"kind": "funding-plan", "data": {}}))
    (folder / "bad-pace.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"pace_wpm": 9000}}))
    studio.refresh_drafts()
    assert set(studio.saved.options) == {"good", "broken", "wrong-kind", "bad-pace"}
    studio.parts["intro"].value = INTRO  # unchanged since save
    assert not studio.load("broken")
    assert "broken.json is damaged" in studio.status.value and "other drafts" in studio.status.value
    assert studio.parts["intro"].value == INTRO
    assert not studio.load("wrong-kind")
    assert "not a saved pitch-draft" in studio.status.value
    assert not studio.load("bad-pace")
    assert "pace_wpm must be a whole number" in studio.status.value
    assert set(studio.saved.options) == {"good", "broken", "wrong-kind", "bad-pace"}
    studio.parts["intro"].value = "changed"
    studio.saved.value = "good"
    studio.load_button.click()
    assert studio.parts["intro"].value == INTRO and "Loaded" in studio.status.value


def test_bad_names_and_empty_folder_give_messages(studio, work_dir):
    studio.name.value = "   "
    studio.save_button.click()
    assert "give the file a name" in studio.status.value
    assert not (work_dir / "pitches").exists()
    studio.load_button.click()
    assert "no saved draft" in studio.status.value


def test_export_writes_markdown_and_plain_text(studio, work_dir):
    studio.parts["intro"].value = INTRO
    studio.parts["goal"].value = GOAL
    studio.person.value = "Dr. Rivera"
    studio.question_slots[0].value = "How did you choose EM?"
    studio.name.value = "mixer"
    studio.export_button.click()
    md = work_dir / "pitches" / "exports" / "mixer.md"
    txt = work_dir / "pitches" / "exports" / "mixer.txt"
    assert md.exists() and txt.exists()
    assert str(md) in studio.status.value and str(txt) in studio.status.value
    markdown = md.read_text()
    assert markdown.startswith("# My introduction: mixer")
    assert INTRO in markdown and "## Conversation plan" in markdown and "1. How did you choose EM?" in markdown
    assert "University of Utah" in markdown and "Harvard Medical School" in markdown
    plain = txt.read_text()
    assert "MY INTRODUCTION" in plain and GOAL in plain and "Dr. Rivera" in plain
    assert not list(md.parent.glob("*.tmp"))


def test_script_and_img_tags_are_shown_as_text_never_markup(studio, work_dir):
    studio.parts["goal"].value = XSS
    studio.parts["intro"].value = XSS
    studio.question_slots[0].value = XSS
    studio.person.value = XSS
    studio.notes.value = XSS
    studio.audience.value = "physician"  # emphasises the goal, so the goal text is quoted
    studio.draft_follow_up.click()
    studio.name.value = XSS
    studio.save_button.click()
    rendered = [studio.feedback.value, studio.audience_panel.value, studio.plan_panel.value, studio.status.value]
    for html in rendered:
        assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in studio.audience_panel.value
    assert "&lt;script&gt;" in studio.plan_panel.value
    assert "&lt;script&gt;" in studio.feedback.value  # the read-through of the parts
    studio.mode.value = "free"
    studio.draft.value = f"Hello. {XSS} I'm hoping to learn."
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img" in studio.feedback.value
    assert "<script" not in studio.feedback.value and "<img" not in studio.feedback.value
    studio.rehearse.value = True
    assert "<script" not in studio.rehearse_panel.value
    studio.rehearse.value = False
    paths = studio.export()
    assert paths is not None
    assert "<script" not in paths[0].read_text()


def _controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


def test_every_control_has_a_label_and_a_description(studio):
    controls = [
        w
        for w in _controls(studio.container)
        if isinstance(w, (widgets.ValueWidget, widgets.Button)) and not isinstance(w, (widgets.HTML, widgets.Label))
    ]
    assert len(controls) >= 25
    for control in controls:
        assert control.description.strip(), control
        assert control.tooltip and control.tooltip.strip(), control.description
        assert not control.disabled
    # Each control is in the tree once, so keyboard focus order follows the page.
    ids = [c.model_id for c in controls]
    assert len(ids) == len(set(ids))
