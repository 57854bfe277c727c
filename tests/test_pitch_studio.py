"""Widget tests of PitchStudio: type into it, read the feedback, pick questions, rehearse, save, load, export.

The studio is driven through its controls (``.value``, ``.click()``) and checked on what it computed
(``studio.report``, ``studio.tailoring``, ``studio.conversation``, the rehearsal and file bar state)
and on widget values; the rendered panels are read only for the wiring the browser relies on and
for escaping, through ``rendered.shown_text``/``elements`` rather than markup substrings.
"""

from __future__ import annotations

import json

import ipywidgets as widgets
import pytest
from rendered import elements, shown_text

from netcourse.pitch import HISTORY_LIMIT as P_LIMIT
from netcourse.pitch import MAX_QUESTIONS, PART_IDS, analyse, count_words, speaking_seconds
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


def shown_parts(studio: PitchStudio) -> dict[str, str]:
    """The state each part shows in the feedback list (the attributes the browser test reads)."""
    return {li["data-part"]: li["data-state"] for li in elements(studio.feedback.value, "li") if "data-part" in li}


def test_builds_without_writing_files(work_dir, studio):
    assert not work_dir.exists()
    assert studio.saved.options == ()
    assert studio.summary_line.startswith("0 words")
    assert studio.report.is_empty and studio.report.parts_present == ()
    assert shown_parts(studio) == dict.fromkeys(PART_IDS, "missing")
    assert isinstance(studio.container, widgets.VBox)
    bundle = studio._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == studio.container.model_id


def test_typing_parts_updates_the_feedback_live(studio):
    studio.parts["intro"].value = INTRO
    assert studio.summary_line.startswith(f"{count_words(INTRO)} words")
    assert "parts 1/7" in studio.summary_line
    assert studio.report.parts_present == ("intro",)
    assert "missing-goal" in studio.report.suggestion_ids()
    studio.parts["goal"].value = GOAL
    assert studio.report.parts_present == ("intro", "goal")
    assert "missing-goal" not in studio.report.suggestion_ids()
    assert "parts 2/7" in studio.summary_line
    assert studio.report.word_count == count_words(INTRO) + count_words(GOAL)
    # What the panel shows follows the report, part by part.
    assert shown_parts(studio) == {p: "present" if p in ("intro", "goal") else "missing" for p in PART_IDS}
    suggested = [li["data-suggestion"] for li in elements(studio.feedback.value, "li") if "data-suggestion" in li]
    assert suggested == list(studio.report.suggestion_ids())


def test_pace_and_target_change_the_time(studio):
    studio.parts["background"].value = " ".join(["word"] * 130)
    assert (studio.report.seconds, studio.report.pace_wpm) == (60.0, 130)
    assert "about 60 s at 130 words/min" in studio.summary_line
    studio.pace.value = 195
    assert (studio.report.seconds, studio.report.pace_wpm) == (40.0, 195)
    assert studio.tailoring.seconds == 40.0  # the audience panel uses the same pace
    studio.target.value = 30
    assert studio.report.over_by == 10.0 and "10 s over" in studio.summary_line
    assert "too-long" in studio.report.suggestion_ids()


def test_free_draft_mode_finds_parts_from_cue_phrases(studio):
    studio.mode.value = "free"
    assert studio.parts_box.layout.display == "none" and studio.draft_box.layout.display is None
    studio.draft.value = f"{INTRO} {GOAL} How did you choose your specialty?"
    assert {"intro", "goal", "question"} <= set(studio.report.parts_present)
    assert "background" in studio.report.parts_missing
    assert studio.report.evidence_for("question") == ("How did you choose your specialty?",)
    assert "How did you choose your specialty?" in shown_text(studio.feedback.value)


def test_audience_selector_changes_what_to_emphasise(studio):
    studio.parts["intro"].value = INTRO
    studio.audience.value = "physician"
    physician = studio.tailoring
    assert physician.audience.name == "A physician" and "goal" in physician.emphasised_parts
    assert "Harvard Medical School" in physician.citation
    studio.audience.value = "leader"
    leader = studio.tailoring
    assert leader.audience.id == "leader" and "reason" in leader.emphasised_parts
    assert leader.emphasised_parts != physician.emphasised_parts
    assert "society or committee leader" in shown_text(studio.audience_panel.value)
    shown = [li["data-emphasis"] for li in elements(studio.audience_panel.value, "li") if "data-emphasis" in li]
    assert shown[: len(leader.emphasised_parts)] == ["emphasise"] * len(leader.emphasised_parts)


def test_question_picker_filters_and_adds_up_to_three(studio):
    studio.only_audience.value = False
    everything = len(studio.results.options)
    studio.search.value = "shadowing"
    assert 0 < len(studio.results.options) < everything
    # A word matches the question or its topic ("Shadowing and clinical experience").
    assert all("shadow" in label.lower() or qid.startswith("shadow-") for label, qid in studio.results.options)
    assert studio.results_count.value == f"{len(studio.results.options)} matching questions"
    studio.search.value = ""
    studio.topic.value = "research"
    research = studio.results.options
    assert research and all(qid.startswith("research-") for _label, qid in research)
    studio.add_question.click()
    assert (studio.files.level, studio.files.message) == ("tip", "Choose a question in the list first.")
    for _label, qid in research[:MAX_QUESTIONS]:
        studio.results.value = qid
        studio.add_question.click()
    assert [s.value for s in studio.question_slots] == [label for label, _ in research[:MAX_QUESTIONS]]
    studio.results.value = research[3][1]
    studio.add_question.click()
    assert studio.files.level == "error" and "clear one" in studio.files.message
    studio.question_slots[1].value = ""
    studio.add_question.click()
    assert studio.question_slots[1].value == research[3][0]
    studio.add_question.click()
    assert studio.files.message == "That question is already in your list."
    # The plan holds the chosen questions with the student's edits.
    studio.question_slots[0].value = "How did you get into research, Dr. Rivera?"
    assert studio.conversation.questions[0] == "How did you get into research, Dr. Rivera?"
    assert len(studio.conversation.questions) == MAX_QUESTIONS


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
    plan = studio.conversation
    assert (plan.person, plan.event, plan.listening_notes) == ("Dr. Rivera", "the county society mixer",
                                                               "- her path through EMS")
    assert plan.goals == GOAL and plan.missing() == ("questions", "close")
    studio.draft_follow_up.click()
    message = studio.follow_up.value
    assert message.startswith("Dear Dr. Rivera,")
    assert "the county society mixer" in message and "her path through EMS" in message
    assert GOAL in message and message.rstrip().endswith("Maya")
    assert studio.conversation.follow_up == message.strip()


def test_rehearsal_measures_words_per_minute(studio, clock):
    studio.parts["background"].value = " ".join(["word"] * 120)
    studio.rehearse.value = True
    assert studio.rehearse.description == "Stop rehearsal" and studio.rehearsal.running
    clock.now += 30
    studio.tick()
    assert studio.rehearsal.position == 65  # 130 words a minute for 30 s
    assert "0:30 elapsed" in shown_text(studio.rehearse_panel.value)
    clock.now += 30
    studio.rehearse.value = False
    assert studio.rehearse.description == "Start rehearsal" and not studio.rehearsal.running
    assert studio.rehearsal_result == {"seconds": 60.0, "wpm": 120, "pace": 130}
    assert studio.rehearsal.outcome == "on-pace"
    assert elements(studio.rehearse_panel.value, "p")[0]["data-wpm"] == "120"
    studio.rehearse.value = True
    clock.now += 36
    studio.rehearse.value = False
    assert studio.rehearsal_result["wpm"] == 200 and studio.rehearsal.outcome == "too-fast"
    studio.rehearse.value = True
    clock.now += 0.5
    studio.rehearse.value = False
    assert studio.rehearsal.outcome == "too-short" and studio.rehearsal_result is None


def test_rehearsal_without_text_asks_for_a_draft(studio, clock):
    studio.rehearse.value = True
    clock.now += 20
    studio.rehearse.value = False
    assert studio.rehearsal.outcome == "no-text"
    assert "Write your introduction first" in shown_text(studio.rehearse_panel.value)


def test_save_change_load_restores_the_text(studio, work_dir):
    studio.parts["intro"].value = INTRO
    studio.parts["goal"].value = GOAL
    studio.person.value = "Dr. Rivera"
    studio.question_slots[0].value = "How did you choose EM?"
    studio.pace.value = 150
    studio.name.value = "ACEP conference"
    studio.save_button.click()
    path = work_dir / "pitches" / "ACEP-conference.json"
    assert path.exists() and studio.files.message == f"Saved “ACEP conference” to {path}."
    saved = json.loads(path.read_text())
    assert saved["kind"] == "pitch-draft" and saved["data"]["parts"]["intro"] == INTRO
    assert studio.saved.options == ("ACEP-conference.json",) and studio.saved.value == "ACEP-conference.json"
    assert studio.files.offered == (path,)  # a download link for the saved file

    studio.parts["intro"].value = "Something else entirely."
    studio.person.value = ""
    studio.pace.value = 130
    studio.load_button.click()
    assert studio.parts["intro"].value == INTRO
    assert studio.person.value == "Dr. Rivera" and studio.pace.value == 150 and studio.name.value == "ACEP conference"
    assert studio.question_slots[0].value == "How did you choose EM?"
    assert studio.report.word_count == count_words(INTRO) + count_words(GOAL)
    # Nothing the student wrote is lost: the unsaved text went to a backup draft.
    assert "unsaved-backup.json" in studio.saved.options
    assert "kept as the draft “unsaved-backup”" in studio.files.message
    backup = json.loads((work_dir / "pitches" / "unsaved-backup.json").read_text())
    assert backup["data"]["parts"]["intro"] == "Something else entirely."


def test_several_named_drafts(studio):
    studio.parts["intro"].value = "Hi, I'm Maya."
    studio.save("for residents")
    studio.parts["intro"].value = "Hello, I'm Maya Chen."
    studio.mode.value = "free"
    studio.draft.value = "A free draft."
    studio.save("for physicians")
    assert studio.saved.options == ("for-physicians.json", "for-residents.json")
    assert studio.load("for-residents.json") == studio.pitches_dir / "for-residents.json"
    assert studio.parts["intro"].value == "Hi, I'm Maya." and studio.mode.value == "parts"
    assert studio.load("for-physicians.json")
    assert studio.mode.value == "free" and studio.draft.value == "A free draft."
    assert "unsaved-backup.json" not in studio.saved.options  # nothing was unsaved


def test_loading_the_backup_over_unsaved_text_swaps_them(studio, work_dir):
    studio.parts["intro"].value = "First thoughts."
    studio.save("first")
    studio.parts["intro"].value = "Unsaved one."
    studio.load("first.json")  # "Unsaved one." goes to the backup
    studio.parts["intro"].value = "Unsaved two."
    assert studio.load("unsaved-backup.json")
    assert studio.parts["intro"].value == "Unsaved one."
    backup = json.loads((work_dir / "pitches" / "unsaved-backup.json").read_text())
    assert backup["data"]["parts"]["intro"] == "Unsaved two."  # nothing is lost either way


def test_corrupted_file_gives_a_message_and_other_drafts_still_load(studio, work_dir):
    studio.parts["intro"].value = INTRO
    studio.save("good")
    folder = work_dir / "pitches"
    (folder / "broken.json").write_text('{"kind": "pitch-draft", "data": {"parts": ')
    (folder / "wrong-kind.json").write_text(json.dumps({"kind": "funding-plan", "data": {}}))
    (folder / "bad-pace.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"pace_wpm": 9000}}))
    (folder / "bad-part.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"parts": {"goal": 7}}}))
    (folder / "too-many.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"questions": ["a?"] * 4}}))
    studio.refresh_drafts()
    names = {"good.json", "broken.json", "wrong-kind.json", "bad-pace.json", "bad-part.json", "too-many.json"}
    assert set(studio.saved.options) == names
    for name, words in (("broken.json", "broken.json is damaged"),
                        ("wrong-kind.json", "not a saved pitch-draft"),
                        ("bad-pace.json", "pace_wpm must be a whole number from 60 to 250"),
                        ("bad-part.json", "the pitch part 'goal' must be text, found int"),
                        ("too-many.json", "at most 3 questions")):
        assert studio.load(name) is None, name
        assert words in studio.files.message and "other drafts" in studio.files.message
        assert studio.files.level == "error" and studio.parts["intro"].value == INTRO
    assert set(studio.saved.options) == names
    studio.parts["intro"].value = "changed"
    studio.saved.value = "good.json"
    studio.load_button.click()
    assert studio.parts["intro"].value == INTRO and studio.files.message.startswith("Loaded “good”")


def test_bad_names_and_empty_folder_give_messages(studio, work_dir):
    studio.name.value = "   "
    studio.save_button.click()
    assert studio.files.message == "Please give the file a name (letters or digits)."
    assert not (work_dir / "pitches").exists()
    studio.load_button.click()
    assert studio.files.level == "tip" and "no saved draft" in studio.files.message


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
    assert studio.files.message == f"Exported to {md} and {txt}." and studio.files.offered == (md, txt)
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
    panels = [studio.feedback, studio.audience_panel, studio.plan_panel, studio.status, studio.files.downloads]
    for panel in panels:
        assert not elements(panel.value, "script") and not elements(panel.value, "img"), panel
    assert XSS in shown_text(studio.feedback.value)  # the tags are pointed at, as text
    assert "<script>alert(1)</script>" in shown_text(studio.audience_panel.value)
    assert "<script>alert(1)</script>" in shown_text(studio.plan_panel.value)
    studio.mode.value = "free"
    studio.draft.value = f"Hello. {XSS} I'm hoping to learn."
    assert "markup" in studio.report.suggestion_ids()
    assert XSS in shown_text(studio.feedback.value) and not elements(studio.feedback.value, "img")
    studio.rehearse.value = True
    assert not elements(studio.rehearse_panel.value, "script")
    studio.rehearse.value = False
    paths = studio.export()
    assert paths is not None
    assert "<script" not in paths[0].read_text()


def test_tailoring_follows_the_pace_it_is_given(studio):
    studio.parts["background"].value = " ".join(["word"] * 100)
    report = analyse(studio.current_draft())
    assert studio.tailoring.seconds == report.seconds == speaking_seconds(100, 130)
    studio.pace.value = 200
    assert studio.tailoring.seconds == speaking_seconds(100, 200) == 30.0


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


@pytest.mark.parametrize("data, words", [
    ({"mode": None}, "mode must be 'parts' or 'free'"),
    ({"pace_wpm": 130.5}, "pace_wpm must be a whole number"),
    ({"pace_wpm": True}, "pace_wpm must be a whole number"),
    ({"target_seconds": 1e3}, "target_seconds must be a whole number from 10 to 300"),
    ({"parts": ["intro"]}, "the pitch parts must be a mapping"),
    ({"questions": "How?"}, "questions must be a list of text"),
    ({"audience": 5}, "audience must be text"),
    ([], "expected an object"),
])
def test_hand_edited_drafts_are_refused_with_the_reason(studio, work_dir, data, words):
    folder = work_dir / "pitches"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edited.json").write_text(json.dumps({"kind": "pitch-draft", "data": data}))
    assert studio.load("edited.json") is None
    assert studio.files.message.startswith("edited.json is not a valid saved pitch") and words in studio.files.message


def test_an_old_draft_without_the_newer_fields_still_loads(studio, work_dir):
    folder = work_dir / "pitches"
    folder.mkdir(parents=True)
    (folder / "old.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"parts": {"intro": INTRO,
                                                                                           "goal": None}}}))
    assert studio.load("old.json")
    assert studio.parts["intro"].value == INTRO and studio.parts["goal"].value == ""
    # No saved target: the saved audience's (a physician: 30 s), never a stray 60 s.
    assert (studio.pace.value, studio.target.value, studio.audience.value) == (130, 30, "physician")
    assert studio.name.value == "old" and studio.files.message.startswith("Loaded “old”")


# --------------------------------------------------------------------------- the coach in the studio


def test_the_target_follows_the_audience_chosen(studio, work_dir):
    assert studio.target.value == 30 == studio.report.target_seconds  # a physician, as its panel says
    studio.audience.value = "student"
    assert studio.target.value == 45 and studio.report.target_seconds == 45
    studio.target.value = 60  # the student's own choice holds...
    studio.parts["background"].value = "I studied biology."
    assert studio.report.target_seconds == 60
    studio.audience.value = "physician"  # ...until another audience is chosen
    assert studio.target.value == 30
    studio.target.value = 90
    studio.save("long one")
    studio.audience.value = "resident"
    assert studio.load("long-one.json")
    assert (studio.audience.value, studio.target.value) == ("physician", 90)  # a load restores what was saved
    assert PitchStudio(audience="leader").target.value == 45


def test_problems_are_shown_on_the_words_they_concern_and_escaped(studio):
    from netcourse.widgets.pitch_views import shown_suggestions

    studio.mode.value = "free"
    studio.draft.value = "Hi, um, so I'm Jordan <b>x</b>. Can you get me a research position?"
    shown = {item.suggestion.id: item for item in shown_suggestions(studio.report)}
    assert [marked for _b, marked, _a in shown["filler"].excerpts] == ["um", "so"]
    assert [marked for _b, marked, _a in shown["favour-ask"].excerpts] == ["Can you get me a research position?"]
    assert [marked for _b, marked, _a in shown["markup"].excerpts] == ["<b>", "</b>"]
    marks = [m for m in elements(studio.feedback.value, "mark")]
    assert len(marks) == sum(len(item.excerpts) for item in shown.values())
    assert "<b>x</b>" in shown_text(studio.feedback.value)  # the tag is text, not bold


def test_feedback_does_not_repeat_the_draft_whatever_its_length(studio):
    long_part = "I studied biology and worked in a lab for years. " * 180  # 9,000 characters
    studio.parts["background"].value = long_part
    assert "background" in studio.report.parts_present
    assert len(studio.feedback.value) < 5000 and long_part.strip() not in shown_text(studio.feedback.value)
    studio.mode.value = "free"
    studio.draft.value = "Hello, I'm Maya. " + "I really love medicine, like, a lot. " * 30_000  # about 1 MB
    report = studio.report
    assert report.truncated and report.suggestions[0].id == "draft-too-long"
    assert report.word_count == count_words(studio.draft.value)
    assert len(studio.feedback.value) < 8000  # 20 filler places at most, 3 excerpts of each shown
    assert "first 9," in studio.summary_line or "first 10," in studio.summary_line


def test_a_draft_too_long_to_load_back_is_not_saved(studio, work_dir):
    from netcourse.pitch import MAX_SAVED_CHARS

    studio.mode.value = "free"
    studio.draft.value = "word " * (MAX_SAVED_CHARS // 5 + 1)
    assert studio.save("huge") is None
    assert studio.files.level == "error" and "The free draft is 100,005 characters long" in studio.files.message
    assert not (work_dir / "pitches" / "huge.json").exists()
    assert len(studio.draft.value) > MAX_SAVED_CHARS  # nothing typed is lost
    folder = work_dir / "pitches"
    (folder).mkdir(parents=True, exist_ok=True)
    (folder / "edited.json").write_text(json.dumps({"kind": "pitch-draft", "data": {"draft": "x" * 200_000}}))
    assert studio.load("edited.json") is None
    assert "the free draft is 200,000 characters long" in studio.files.message.lower()


def test_the_draft_history_shows_what_changed_between_saves(studio, work_dir):
    studio.mode.value = "free"
    studio.draft.value = "Hi, um, so I'm Jordan."
    studio.save("jordan")
    assert [v.text for v in studio.files.versions] == ["Hi, um, so I'm Jordan."] and studio.files.changes == (None,)
    studio.draft.value = "Hi, I'm Jordan, a second-year at Rowan University. What drew you to surgery?"
    studio.save()
    studio.save()  # saving again without a change keeps no copy
    studio.draft.value += " I love surgery."
    studio.save()
    versions, changes = studio.files.versions, studio.files.changes
    assert [v.words for v in versions] == [16, 13, 5]
    assert changes[0].added == ("I love surgery.",) and changes[0].parts_gained == ("passion",)
    assert changes[1].removed_words >= 2 and "um," in " ".join(changes[1].removed)
    assert set(changes[1].parts_gained) == {"intro", "question"}
    saved = json.loads((work_dir / "pitches" / "jordan.json").read_text())["data"]
    assert [v["text"] for v in saved["history"]] == [v.text for v in versions[1:]]
    rows = elements(studio.history_panel.value, "li")
    assert [r["data-version"] for r in rows] == ["0", "1", "2"]
    for i in range(P_LIMIT + 3):
        studio.draft.value += f" Extra {i}."
        studio.save()
    assert len(studio.files.versions) == P_LIMIT + 1
    fresh = PitchStudio()
    assert fresh.load("jordan.json")
    assert fresh.files.versions == studio.files.versions and fresh.files.changes == studio.files.changes


def test_prepared_questions_that_ask_a_favour_or_for_a_yes_get_advice(studio):
    studio.question_slots[0].value = "Can you get me a research position?"
    studio.question_slots[1].value = "Do you like your job?"
    studio.question_slots[2].value = "May I follow up by email?"
    assert [c.kind for c in studio.questions.flagged()] == ["favour", "yes-no"]
    assert [li["data-kind"] for li in elements(studio.questions.advice.value, "li")] == ["favour", "yes-no"]
    studio.only_audience.value = False
    for i, (_label, qid) in enumerate(studio.results.options[:3]):
        studio.question_slots[i].value = ""
        studio.results.value = qid
        studio.add_question.click()
    assert studio.questions.flagged() == ()


def test_the_summary_wraps_and_the_pace_has_a_unit(studio):
    studio.parts["intro"].value = INTRO
    assert isinstance(studio.summary, widgets.HTML)  # a Label cuts its text with "…"
    assert shown_text(studio.summary.value) == studio.summary_line
    assert "words/min" in studio.pace.description and isinstance(studio.pace, widgets.BoundedIntText)
    studio.pace.value = 150
    assert studio.report.pace_wpm == 150
