"""The self-assessment under each written answer: ticks add up, save at once and come back."""

from __future__ import annotations

import json

import pytest

from netcourse.widgets.self_assessment import FILE, SelfAssessment, record, recorded
from netcourse.workbook import load_rubrics


def test_ticks_add_up_save_at_once_and_come_back(tmp_path):
    widget = SelfAssessment("funding-request", folder=tmp_path)
    criteria = [c["id"] for c in load_rubrics()["funding-request"]["criteria"]]
    assert list(widget.boxes) == criteria and widget.points == 0
    widget.boxes["numbers"].value = True
    widget.boxes["route"].value = True
    assert widget.points == 2 and "2 of 4" in widget.total.value
    assert recorded(tmp_path)["funding-request"] == {c: c in ("numbers", "route") for c in criteria}
    again = SelfAssessment("funding-request", folder=tmp_path)
    assert again.points == 2 and again.boxes["numbers"].value and not again.boxes["give-back"].value


def test_each_question_keeps_its_own_ticks(tmp_path):
    record("my-pitch", {"tailored": True}, tmp_path)
    record("plan-reflection", {"event": True, "follow-up": True, "not-a-criterion": True}, tmp_path)
    saved = recorded(tmp_path)
    assert saved["my-pitch"] == {"tailored": True}
    assert saved["plan-reflection"] == {"event": True, "follow-up": True}  # unknown ids are not kept


def test_a_damaged_file_gives_a_message_and_the_next_tick_saves_what_is_on_screen(tmp_path):
    (tmp_path / FILE).write_text("{not json", encoding="utf-8")
    widget = SelfAssessment("my-questions", folder=tmp_path)
    assert "could not be read" in widget.status.value and widget.points == 0
    widget.boxes["types"].value = True
    assert "Saved" in widget.status.value
    saved = json.loads((tmp_path / FILE).read_text(encoding="utf-8"))["data"]
    assert saved["my-questions"]["criteria"] == {"types": True, "fit": False}


def test_a_hand_edited_file_of_the_wrong_shape_is_refused_with_a_message(tmp_path):
    wrong = {"kind": "workbook-self-assessment", "data": {"my-pitch": {"criteria": {"tailored": "yes"}}}}
    (tmp_path / FILE).write_text(json.dumps(wrong), encoding="utf-8")
    widget = SelfAssessment("my-pitch", folder=tmp_path)
    assert "could not be read" in widget.status.value


def test_an_unknown_question_names_the_written_ones():
    with pytest.raises(KeyError, match="my-pitch"):
        SelfAssessment("no-such-question")
