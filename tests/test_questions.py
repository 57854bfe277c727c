"""Tests of the prepared-questions bank (netcourse.questions)."""

from __future__ import annotations

import pandas as pd
import pytest

from netcourse import questions as Q
from netcourse.content import load_content
from netcourse.pitch import load_audiences


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return Q.load_questions()


def test_bank_covers_every_topic_with_valid_rows(bank):
    assert set(bank["topic"]) == set(Q.TOPICS)
    assert bank["id"].is_unique
    assert bank["question"].str.endswith("?").all()
    assert (bank["topic_label"] == bank["topic"].map(Q.TOPICS)).all()
    audiences = {a.id for a in load_audiences()}
    for ids in bank["audiences"]:
        assert set(ids.split(";")) <= audiences
    assert set(bank["benefit"]) <= {b.id for b in load_content().benefits}
    assert bank.groupby("topic").size().min() >= 3


def test_the_articles_explorative_questions_come_from_content_in_the_second_person(bank):
    article = bank[bank["source"] == "article"]
    originals = load_content().mindset["explorative_questions"]
    assert len(article) == len(originals) == 3
    assert list(article.index) == [0, 1, 2]
    assert article["question"].tolist()[0] == "How did you know you wanted to pursue this field?"
    assert article["question"].tolist()[1] == "How did you get to this point?"
    assert article["question"].tolist()[2] == originals[2]
    assert (article["topic"] == "journey").all()


def test_search_by_words_topic_audience_and_benefit(bank):
    hits = Q.search_questions(bank, "RESEARCH student")
    assert len(hits) >= 2
    searched = (hits["question"] + " " + hits["topic_label"]).str.lower()
    assert searched.str.contains("research").all() and searched.str.contains("student").all()
    assert Q.search_questions(bank, "").equals(bank)
    assert Q.search_questions(bank, "zzzz-not-there").empty
    shadow = Q.search_questions(bank, topics="shadowing-clinical")
    assert set(shadow["topic"]) == {"shadowing-clinical"}
    assert len(shadow) == (bank["topic"] == "shadowing-clinical").sum()
    both = Q.search_questions(bank, topics=["research", "mentorship"], audience="leader")
    assert set(both["topic"]) <= {"research", "mentorship"}
    assert both["audiences"].str.contains("leader").all()
    assert "mentor-programs" in set(both["id"])
    assert "mentor-programs" not in set(Q.search_questions(bank, audience="resident")["id"])
    events = Q.search_questions(bank, benefit="events")
    assert (events["benefit"] == "events").all() and not events.empty


def test_for_audience_puts_recommended_topics_first(bank):
    for aud in load_audiences():
        ordered = Q.for_audience(bank, aud.id)
        assert ordered["audiences"].str.split(";").apply(lambda ids, a=aud.id: a in ids).all()
        assert ordered["topic"].iloc[0] == aud.question_topics[0]
    with pytest.raises(KeyError):
        Q.for_audience(bank, "dean")


def test_pick_three_questions_with_edits(bank):
    picked = Q.pick_questions(
        bank, ["day-typical", "article-how-did-you-know", "research-start"], {"day-typical": " What's your day like? "}
    )
    assert picked == (
        "What's your day like?",
        "How did you know you wanted to pursue this field?",
        "How can a student get started in research in this field?",
    )
    with pytest.raises(ValueError, match="at most 3"):
        Q.pick_questions(bank, ["day-typical", "research-start", "mentor-find", "events-join"])
    with pytest.raises(ValueError, match="twice"):
        Q.pick_questions(bank, ["day-typical", "day-typical"])
    with pytest.raises(ValueError, match="nope"):
        Q.pick_questions(bank, ["nope"])
    with pytest.raises(ValueError, match="empty"):
        Q.pick_questions(bank, ["day-typical"], {"day-typical": "  "})


def test_load_returns_a_fresh_copy(bank):
    first = Q.load_questions()
    first.loc[0, "question"] = "changed?"
    assert Q.load_questions().loc[0, "question"] != "changed?"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x1,no-such-topic,Why?,student,insight,course", "line 3: unknown topic"),
        ("x1,research,No question mark,student,insight,course", "line 3: a question must end"),
        ("x1,research,Why?,student;dean,insight,course", r"line 3: unknown audiences \['dean'\]"),
        ("x1,research,Why?,student,money,course", "line 3: unknown benefit"),
        ("x1,research,Why?,student,insight,blog", "line 3: unknown source"),
        ("day-typical,research,Why?,student,insight,course", "duplicate ids"),
        ("x1,research,,student,insight,course", "line 3: empty 'question'"),
    ],
)
def test_bad_bank_files_name_the_line(tmp_path, row, message):
    path = tmp_path / "questions.csv"
    path.write_text("id,topic,question,audiences,benefit,source\n"
                    "day-typical,field-and-day,What is a day like?,student,insight,course\n" + row + "\n")
    with pytest.raises(Q.QuestionBankError, match=message):
        Q.load_questions(path)


def test_missing_columns_and_missing_file(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("id,topic\nx,research\n")
    with pytest.raises(Q.QuestionBankError, match="missing columns"):
        Q.load_questions(path)
    with pytest.raises(Q.QuestionBankError, match="not found"):
        Q.load_questions(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- how a question asks (asking.py)

from netcourse import asking as A  # noqa: E402


def test_every_bank_question_is_open_as_the_coach_judges_it(bank):
    # The bank offered "Do you or your colleagues take students on research projects?" and other
    # yes/no questions the coach (and lesson 3) warn against.
    judged = {q: A.explain(q) for q in bank["question"]}
    assert {q: a.kind for q, a in judged.items() if a.kind != A.OPEN} == {}


def test_the_lessons_transactional_openers_are_favours_with_a_rewrite_on_the_same_topic():
    import json

    from netcourse.content import data_path

    exercise = json.loads(data_path("practice.json").read_text(encoding="utf-8"))["exercises"]
    openers = [option["text"] for question in exercise["choose_explorative_questions"]["questions"]
               for option in question["options"] if not option["explorative"]]
    assert openers
    for opener in openers:
        asked = A.explain(opener)
        assert asked.kind == A.FAVOUR, opener
        example = asked.rewrite.split('"')[1]
        assert A.explain(example).kind == A.OPEN, (opener, example)
    assert "letter" in A.explain("Can you write me a letter of recommendation?").rewrite.lower() or \
        "support" in A.explain("Can you write me a letter of recommendation?").rewrite
    assert "shadow" in A.explain("Do you have any shadowing spots for students?").rewrite


@pytest.mark.parametrize(("question", "kind"), [
    ("Do you have any research spots?", A.FAVOUR),
    ("Can you get me a research position?", A.FAVOUR),
    ("Could you be my mentor?", A.FAVOUR),
    ("Are you taking students this summer?", A.FAVOUR),
    ("Do you like your job?", A.YES_NO),
    ("Is it busy?", A.YES_NO),
    ("How did you know you wanted to pursue this field?", A.OPEN),
    ("Could I ask how you chose your residency program?", A.OPEN),  # lesson 2's transition
    ("Could you tell me what a typical day looks like?", A.OPEN),
    ("Would you mind telling me how you chose it?", A.OPEN),
    ("Did you consider a fellowship, and how did you decide?", A.OPEN),
    ("If you were a student today, what would you focus on?", A.OPEN),
    ("What was it like when you first shadowed in this specialty, and how did it shape your path?", A.OPEN),
    ("你好吗？", A.OPEN),
    ("I wonder how you chose it.", A.NOT_A_QUESTION),
    ("1?", A.NOT_A_QUESTION),  # no words: nothing to answer
    ("???", A.NOT_A_QUESTION),
    ("How?", A.NOT_A_QUESTION),  # a fragment: too short to take up
    ("And you?", A.NOT_A_QUESTION),
    ("How are you?", A.OPEN),
])
def test_how_a_question_asks(question, kind):
    asked = A.explain(question)
    assert asked.kind == kind and asked.why
    assert A.classify(question) == kind
    assert bool(asked.rewrite) == (kind != A.OPEN)


def test_a_request_to_stay_in_touch_is_a_close_not_a_favour():
    for close in ("May I follow up by email?", "I'd love to stay in touch; may I connect with you online?",
                  "Could I have your card?"):
        assert A.is_follow_up_request(close), close
    for other in ("Can you get me a research position?", "How did you choose it?"):
        assert not A.is_follow_up_request(other)


def test_the_articles_explorative_questions_are_open(bank):
    for q in load_content().mindset["explorative_questions"]:
        assert A.explain(q).kind == A.OPEN, q
