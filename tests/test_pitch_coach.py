"""Tests of the pitch coach (netcourse.pitch.coach via analyse): it agrees with the lessons.

Every model answer in the lessons passes; the practice's sample introductions are read as its answer
key reads them; favours and yes/no questions are flagged with why and an explorative rewrite, on
the words they concern; fillers are found where they are; a good pitch gets advice beyond length.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netcourse import pitch as P
from netcourse import workbook
from netcourse.asking import OPEN, explain, is_follow_up_request
from netcourse.content import data_path

LESSONS = Path(__file__).resolve().parent.parent / "notebooks"
# Lesson 2's example introduction and its transition and close (notebooks/02_how_to_network.ipynb).
PRIYA = ("Hi, I'm Priya, a second-year at Mountain View College of Osteopathic Medicine. Before medical school I "
         "coached youth soccer, which got me interested in sports medicine. I came today to hear how physicians "
         "combine primary care with sports medicine. What drew you to the field?")
TRANSITION = "That's what brought me here tonight. Could I ask how you chose your residency program?"
CLOSE = "Thank you so much for your time. I'd love to stay in touch; may I connect with you online?"
GOOD = (
    "Hi, I'm Maya Chen, a second-year medical student at Riverside University. "
    "Before medical school I worked as an EMT in my hometown. "
    "I came to this session because I've been passionate about emergency medicine ever since. "
    "I'm hoping to find a research project this summer. "
    "How did you know emergency medicine was right for you?"
)


def warnings(report: P.PitchReport) -> list[str]:
    return [s.id for s in report.suggestions if s.severity == "warning"]


def said(report: P.PitchReport, spans) -> list[str]:
    return [report.text[s:e] for s, e in spans]


def lesson_model_answers() -> list[tuple[str, str]]:
    """(lesson, quoted text) for every quotation inside an "Example solution" of a lesson."""
    found = []
    for path in sorted(LESSONS.glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            text = "".join(cell["source"])
            for block in re.findall(r"<details>(.*?)</details>", text, flags=re.S):
                for quote in re.findall(r"[\"\u201c]([^\"\u201d]{20,})[\"\u201d]", block):
                    found.append((path.stem, " ".join(quote.split())))
    return found


# --------------------------------------------------------------------------- the lessons' own answers


def test_lesson_twos_priya_introduction_passes():
    report = P.analyse(PRIYA, target_seconds=P.target_for("physician"))
    assert report.intro_found == ("greeting", "name", "year", "school")
    assert report.parts_present == ("intro", "background", "reason", "passion", "goal", "question")
    assert report.parts_missing == () and report.parts_later == ("close",)  # "came today" is a reason
    assert "I came today to hear how physicians combine primary care with sports medicine." in \
        report.evidence_for("reason") + report.evidence_for("goal")
    assert warnings(report) == [] and not any(s.id.startswith("missing-") for s in report.suggestions)
    with_close = P.analyse(f"{PRIYA} {CLOSE}", target_seconds=45)
    assert with_close.parts_present == P.PART_IDS and warnings(with_close) == []


@pytest.mark.parametrize("audience", [a.id for a in P.load_audiences()])
def test_priya_fits_every_audience_and_the_workbook_agrees(audience):
    report = P.analyse(PRIYA, target_seconds=P.target_for(audience))
    assert warnings(report) == []
    check = workbook.pitch_check(PRIYA, audience)
    assert check.fits and check.says_who and check.says_why and check.hands_over


def test_lesson_twos_transition_and_close():
    assert explain("Could I ask how you chose your residency program?").kind == OPEN
    report = P.analyse(TRANSITION)
    assert "question" in report.parts_present and "reason" in report.parts_present
    assert not {"favour-ask", "yes-no-question"} & set(report.suggestion_ids())
    close = P.analyse(CLOSE)
    assert "close" in close.parts_present and close.suggestion("yes-no-question") is None
    assert is_follow_up_request("I'd love to stay in touch; may I connect with you online?")


def test_every_quoted_model_answer_in_the_lessons_passes():
    answers = lesson_model_answers()
    assert any("Priya" in text for _lesson, text in answers)  # the extractor finds lesson 2's example
    for lesson, text in answers:
        if text.startswith("Dear "):
            continue  # emails (lessons 4 and 5) are not spoken introductions
        report = P.analyse(text, target_seconds=45)
        assert not {"favour-ask", "yes-no-question"} & set(report.suggestion_ids()), (lesson, text)
        if "I'm" in text and report.sentence_count >= 3:  # a whole introduction
            assert report.parts_missing == () and warnings(report) == [], (lesson, text, report.suggestions)
        for question in report.questions:
            sentence = report.text[question.start:question.end]
            assert question.kind == OPEN or question.follow_up, (lesson, sentence)


def test_the_practices_sample_introductions_are_read_as_its_key_reads_them():
    exercise = json.loads(data_path("practice.json").read_text(encoding="utf-8"))["exercises"]
    spot = exercise["spot_missing_introductions"]
    keys = spot["part_keys"]
    for intro in spot["introductions"]:
        report = P.analyse(intro["text"], target_seconds=30)
        present = {keys[k] for k in intro["present"]}
        for part, coach_part in (("name", "intro"), ("background", "background"), ("reason", "reason"),
                                 ("passion", "passion")):
            if part == "name":
                assert ("name" in report.intro_found) == ("name" in present), intro["id"]
            else:
                assert (coach_part in report.parts_present) == (part in present), (intro["id"], part)
        assert report.too_long == ("brief" not in present), intro["id"]


# --------------------------------------------------------------------------- questions


@pytest.mark.parametrize("question", [
    "Do you have any research spots?",
    "Can you get me a research position?",
    "Do you have any shadowing spots for students?",  # lesson 3's challenge
    "Could you be my mentor?",
    "Can I shadow you next week?",
])
def test_a_favour_as_the_hand_over_is_flagged_with_why_and_an_explorative_rewrite(question):
    text = f"{GOOD.rsplit('. ', 1)[0]}. {question}"
    report = P.analyse(text)
    assert "question" not in report.parts_present and "question" in report.parts_missing
    flag = report.suggestion("favour-ask")
    assert flag is not None and flag.severity == "warning"
    assert said(report, flag.spans) == [question]
    assert "transaction" in flag.message
    rewrite = re.search(r"\"([^\"]+\?)\"", flag.rewrite).group(1)
    assert explain(rewrite).kind == OPEN
    assert "missing-question" not in report.suggestion_ids()  # said once, precisely


def test_a_favour_opening_the_talk_is_flagged_too():
    report = P.analyse("Do you have any research positions I could put on my CV? I'm Sam, an MS1 at Rowan.")
    assert said(report, report.suggestion("favour-ask").spans) == [
        "Do you have any research positions I could put on my CV?"]


def test_a_yes_no_hand_over_is_flagged_but_a_follow_up_request_is_not():
    report = P.analyse(f"{GOOD.rsplit('. ', 1)[0]}. Do you like your job?")
    flag = report.suggestion("yes-no-question")
    assert flag is not None and said(report, flag.spans) == ["Do you like your job?"]
    assert explain(re.search(r"\"([^\"]+\?)\"", flag.rewrite).group(1)).kind == OPEN
    assert "question" in report.parts_missing
    ok = P.analyse(GOOD + " Thank you, it was great to meet you. May I follow up by email?")
    assert ok.suggestion("yes-no-question") is None and "close" in ok.parts_present
    assert [q.follow_up for q in ok.questions] == [False, True]
    card = P.analyse("Good evening. Could I have your card?")
    assert "close" in card.parts_present and not {"favour-ask", "yes-no-question"} & set(card.suggestion_ids())


def test_part_mode_judges_the_question_box_the_same_way():
    for question in ("Do you have any research spots?", "Do you have any research spots"):
        report = P.analyse(P.Pitch(intro="Hi, I'm Sam, an MS2 at Rowan.", question=question))
        assert "question" not in report.parts_present and "favour-ask" in report.suggestion_ids()
    good = P.analyse(P.Pitch(intro="Hi, I'm Sam, an MS2 at Rowan.", question="What drew you to surgery?"))
    assert "question" in good.parts_present


# --------------------------------------------------------------------------- fillers


def test_fillers_like_so_yeah_honestly_and_um_are_found_where_they_are():
    text = "Hi, um, I'm Jo. Honestly, it was, like, amazing, so yeah. I was like really hooked, you know."
    report = P.analyse(text)
    assert report.filler_found == ("um", "honestly", "like", "so yeah", "you know")
    assert [(w, report.text[s:e].lower()) for w, s, e in report.filler_spans] == [
        ("um", "um"), ("honestly", "honestly"), ("like", "like"), ("so yeah", "so yeah"), ("like", "like"),
        ("you know", "you know")]
    assert said(report, report.suggestion("filler").spans) == ["um", "Honestly", "like", "so yeah", "like",
                                                               "you know"]


@pytest.mark.parametrize("text", [
    "I like surgery.", "I would like to learn more about it.", "I'd like to shadow.",
    "Like many students, I love it.", "It looks like a good fit.", "I'm so glad to be here.",
    "So many people came.", "What kind of research do you do?", "Did you know about the program?",
])
def test_words_that_only_look_like_fillers_are_not_flagged(text):
    assert P.analyse(text).filler_found == ()


# --------------------------------------------------------------------------- coaching beyond length


def test_a_good_pitch_gets_advice_beyond_sentence_length():
    report = P.analyse(GOOD, target_seconds=30)
    assert warnings(report) == []
    ids = set(report.suggestion_ids())
    assert {"listen-next", "rehearse", "close-later"} <= ids
    assert "long-sentence" not in ids


def test_a_passion_without_its_source_gets_a_tip_on_the_passion_sentence():
    text = GOOD.replace(" because I've been passionate about emergency medicine ever since", "") + \
        " I love emergency medicine."
    report = P.analyse(text, target_seconds=30)
    tip = report.suggestion("passion-origin")
    assert tip is not None and said(report, tip.spans) == ["I love emergency medicine."]


def test_every_span_points_at_words_in_the_text():
    text = ("Hi, um, so I'm Jordan. I want to leverage my ED work. Can you get me a research position? "
            "I " + " ".join(["really"] * 30) + " like, love it. <b>bold</b>")
    report = P.analyse(text)
    for s in report.suggestions:
        for start, end in s.spans:
            assert 0 <= start < end <= len(report.text) and report.text[start:end].strip(), s.id
    assert {"filler", "jargon", "favour-ask", "long-sentence", "markup", "intro-incomplete"} <= \
        set(report.suggestion_ids())
