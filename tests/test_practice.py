"""Practice exercises: built from the data, checked right, and driven as widgets without a browser."""

from __future__ import annotations

import dataclasses
import re

import pytest
from rendered import elements, shown_text

from netcourse import practice
from netcourse.content import load_content
from netcourse.figures import figure_svg, opportunity_levels_figure, save_figure
from netcourse.practice import AssignmentTask, ChecklistTask, Option, Prompt, SelectTask
from netcourse.widgets.practice import (
    Checklist,
    ChoiceExercise,
    ExerciseGroup,
    MatchingExercise,
    SortingExercise,
    SpotMissingExercise,
    exercise_for,
)


@pytest.fixture(scope="module")
def content():
    return load_content()


def all_tasks():
    for name, build in practice.EXERCISES.items():
        built = build()
        for task in built if isinstance(built, tuple) else (built,):
            yield name, task


def wrong_answers(task: AssignmentTask) -> dict[str, str]:
    """For each prompt, an option that is not one of its answers."""
    return {p.id: next(o.id for o in task.options_for(p) if not p.accepts(o.id)) for p in task.prompts}


def assignment_tasks():
    return [(name, task) for name, task in all_tasks() if isinstance(task, AssignmentTask)]


STOP = {"the", "and", "for", "you", "your", "not", "which", "is", "a", "an", "of", "to", "it", "in", "on", "what",
        "this", "that", "are", "with", "its", "or", "be", "do", "at", "as", "by", "from", "one", "than", "more"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in STOP}


def every_wrong_hint(task: AssignmentTask):
    """(prompt, chosen option, hint) for every wrong option of every prompt."""
    for prompt in task.prompts:
        for option in task.options_for(prompt):
            if not prompt.accepts(option.id):
                (hint,) = task.check({prompt.id: option.id}).hints
                yield prompt, option, hint


# ------------------------------------------------------------------ tasks come from the data


def test_sorting_covers_every_level_example_and_search_step(content):
    examples = practice.sort_examples_by_level(content)
    expected = {(lv.id, ex.name) for lv in content.levels for ex in lv.examples}
    assert {(p.answer, p.text) for p in examples.prompts} == expected
    steps = practice.sort_how_to_find(content)
    assert {(p.answer, p.text) for p in steps.prompts} == {
        (lv.id, line) for lv in content.levels for line in lv.how_to_find
    }
    assert [o.label for o in examples.options] == [lv.name for lv in content.levels]


def test_interleaving_keeps_every_prompt_and_mixes_answers(content):
    task = practice.sort_examples_by_level(content)
    answers = [p.answer for p in task.prompts]
    assert answers[:3] != ["school"] * 3  # not in blocks, as the data lists them
    assert sorted(answers) == sorted(lv.id for lv in content.levels for _ in lv.examples)


def test_etiquette_sorting_has_everything_each_step_involves(content):
    task = practice.sort_etiquette_parts(content)
    assert {(p.answer, p.text) for p in task.prompts} == {
        (s.id, part) for s in content.etiquette_steps for part in s.involves
    }


@pytest.mark.parametrize(
    ("build", "items"),
    [
        (practice.match_benefits, "benefits"),
        (practice.match_harvard_advice, "harvard_advice"),
        (practice.choose_funding_route, "funding_routes"),
        (practice.sort_trip_costs, "costs"),
    ],
)
def test_every_item_of_a_list_is_an_answer_and_an_option(content, build, items):
    task = build(content)
    ids = [item.id for item in content.lists()[items]]
    assert [o.id for o in task.options] == ids
    assert sorted({p.answer for p in task.prompts}) == sorted(ids)


def test_builders_refuse_content_that_no_longer_matches_the_cases(content):
    renamed = dataclasses.replace(
        content, benefits=tuple(dataclasses.replace(b, id=f"{b.id}-x") for b in content.benefits)
    )
    with pytest.raises(ValueError, match="does not have"):
        practice.match_benefits(renamed)
    fewer = dataclasses.replace(content, funding_routes=content.funding_routes[:4])
    with pytest.raises(ValueError, match="refers to funding routes"):
        practice.choose_funding_route(fewer)


def test_introduction_parts_are_the_lines_of_the_first_step(content):
    parts = practice.introduction_parts(content)
    assert sorted(o.label for o in parts.values()) == sorted(content.etiquette_steps[0].involves)
    tasks = practice.spot_missing_introductions(content)
    assert len(tasks) == len(practice.sample_introductions())
    # Every part is missing from at least one sample, so every part is practised.
    assert set().union(*(t.answer for t in tasks)) == set(parts)


def test_explorative_choice_puts_each_of_the_articles_questions_in_a_students_words(content):
    task = practice.choose_explorative_questions(content)
    sources = practice.explorative_sources(content)
    assert sorted(sources.values()) == sorted(content.mindset["explorative_questions"])
    for prompt in task.prompts:
        right = task.option(prompt, prompt.answer).label
        assert right != sources[prompt.id]  # asked of the person ("you"), not quoted ("they")
        assert "you" in right.lower().split() or "your" in right.lower()
    positions = [[o.id for o in p.options].index(p.answer) for p in task.prompts]
    assert len(set(positions)) > 1  # the right answer is not always in the same place


def test_plan_checklist_names_each_etiquette_step_and_funding_route(content):
    task = practice.plan_checklist(content)
    text = " ".join(f"{o.label} {o.about}" for o in task.options)
    for step in content.etiquette_steps:
        assert step.name.lower() in text
    for route in content.funding_routes:
        assert route.name in text


# ------------------------------------------------------------------ checking answers


@pytest.mark.parametrize(("name", "task"), assignment_tasks(), ids=lambda v: getattr(v, "id", v))
def test_every_right_answer_is_explained(name, task):
    """Feedback teaches on a right answer too: a note per item saying why it is right."""
    notes = task.check(task.solution()).notes
    assert len(notes) == len(task.prompts)
    for number, note in enumerate(notes, start=1):
        assert note.startswith(f"{number}. ") and len(words(note)) >= 4, note


def test_a_sample_introduction_found_gets_its_explanation(content):
    for task in practice.spot_missing_introductions(content):
        (note,) = task.check(task.solution()).notes
        assert len(words(note)) >= 8


@pytest.mark.parametrize(("name", "task"), assignment_tasks(), ids=lambda v: getattr(v, "id", v))
def test_every_hint_adds_something_and_reads_cleanly(name, task):
    """A hint for a wrong choice says more than the item and the choice already did ("'Travel' means:
    travel" would not), never breaks a sentence (".."), never cuts text short ("…"), and never names
    the right answer."""
    for prompt, chosen, hint in every_wrong_hint(task):
        new = words(hint) - words(prompt.text) - words(chosen.label)
        assert len(new) >= 3, (hint, prompt.text)
        assert ".." not in hint and "…" not in hint, hint
        assert "means:" not in hint
        right = task.option(prompt, prompt.answer)
        assert right.label.lower() not in hint.lower(), (hint, right.label)


@pytest.mark.parametrize(("name", "task"), assignment_tasks(), ids=lambda v: getattr(v, "id", v))
def test_each_item_has_its_own_hint(name, task):
    hints = [p.hint for p in task.prompts]
    assert all(h.strip() for h in hints), "an item without a hint"
    assert len(set(hints)) == len(hints), "two items share a hint, so it cannot be about either"


def test_level_clues_do_not_name_a_level(content):
    """A clue that says "A school chapter..." gives the answer away, and one that says "national"
    about a school-level item fights its own key."""
    level_words = {w for lv in content.levels for w in re.findall(r"[a-z]+", lv.name.lower())}
    task = practice.sort_examples_by_level(content)
    for prompt in task.prompts:
        assert not words(prompt.hint) & level_words, prompt.hint


def test_overlapping_categories_accept_both_answers(content):
    """The article puts passions in the introduction and in communicating goals: either is right."""
    task = practice.sort_etiquette_parts(content)
    passion = [p for p in task.prompts if "passion" in p.text]
    assert len(passion) == 2
    for prompt in passion:
        assert {prompt.answer, *prompt.accept} == {"introduce", "goals"}
        assert task.check({prompt.id: "goals"}).marks[prompt.id] is True
        assert task.check({prompt.id: "introduce"}).marks[prompt.id] is True
    school = content.level("school")
    chapter_items = [ex.name for ex in school.examples if ex.id in ("committees", "executive-boards",
                                                                    "chapter-conferences")]
    assert all("chapter" in name.lower() for name in chapter_items), chapter_items


def features(text: str) -> tuple:
    tokens = set(re.findall(r"[a-z]+", text.lower()))
    return (text.strip().endswith("?"), bool(tokens & {"you", "your", "yours"}),
            bool(tokens & {"they", "them", "their"}))


@pytest.mark.parametrize("build", [practice.choose_explorative_questions, practice.choose_next_reply])
def test_grammar_alone_does_not_pick_the_answer(build):
    """Every option is a line a student might say to the person; the right one shares its form
    (a question, to "you", no "they") with a distractor, is not always in the same place and not
    always the longest."""
    task = build()
    longest = []
    for prompt in task.prompts:
        right = task.option(prompt, prompt.answer)
        others = [o for o in prompt.options if o.id != right.id]
        assert features(right.label) in {features(o.label) for o in others}, right.label
        assert not features(right.label)[2], "the right answer talks about 'them', the others to 'you'"
        longest.append(len(right.label) >= max(len(o.label) for o in others))
    assert not all(longest)
    positions = {[o.id for o in p.options].index(p.answer) for p in task.prompts}
    assert len(positions) > 1


def test_active_listening_offers_each_kind_of_distractor_with_its_own_explanation():
    task = practice.choose_next_reply()
    assert len(task.prompts) >= 3
    for prompt in task.prompts:
        assert sorted(o.kind for o in prompt.options) == sorted(practice.REPLY_KINDS)
        assert task.option(prompt, prompt.answer).kind == "builds"
        explanations = [o.explanation for o in prompt.options]
        assert len(set(explanations)) == len(explanations) and all(len(words(e)) >= 6 for e in explanations)
        said = prompt.text.split("“", 1)[1].split("”", 1)[0]
        builds = task.option(prompt, prompt.answer).label
        switch = next(o.label for o in prompt.options if o.kind == "topic-switch")
        assert words(builds) & words(said), "the reply that listens takes up the physician's words"
        assert len(words(switch) & words(said)) < len(words(builds) & words(said))
    # Each distractor's explanation is shown for it, whichever prompt it is.
    first = task.prompts[0]
    for option in first.options:
        if option.id != first.answer:
            (hint,) = task.check({first.id: option.id}).hints
            assert option.explanation in hint


def test_practice_data_that_drops_an_explanation_is_refused(tmp_path, monkeypatch):
    import json

    from netcourse.content import data_path

    data = json.loads(data_path("practice.json").read_text(encoding="utf-8"))
    del data["exercises"]["sort_examples_by_level"]["examples"]["soma"]
    path = tmp_path / "practice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    from netcourse.practice import exercises

    monkeypatch.setattr(exercises, "_packaged_practice", lambda: exercises.load_practice_file(path))
    with pytest.raises(ValueError, match=r"no case for level examples \['soma'\]"):
        practice.sort_examples_by_level()
    del data["exercises"]["sort_examples_by_level"]["examples"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(practice.PracticeError, match="missing field 'examples'"):
        practice.load_practice_file(path)



@pytest.mark.parametrize(("name", "task"), list(all_tasks()), ids=lambda v: getattr(v, "id", v))
def test_solution_is_acknowledged_and_wrong_answers_get_hints(name, task):
    if isinstance(task, AssignmentTask):
        right = task.check(task.solution())
        assert right.correct and right.message.startswith("Correct!")
        wrong = task.check(wrong_answers(task))
        assert not wrong.correct
        assert len(wrong.hints) == len(task.prompts)
        assert all(mark is False for mark in wrong.marks.values())
        empty = task.check({})
        assert not empty.correct and "Choose an answer" in empty.message
    elif isinstance(task, SelectTask):
        assert task.check(task.solution()).correct
        wrong = task.check({o.id for o in task.options} - task.answer)
        assert not wrong.correct and wrong.hints
    else:
        assert isinstance(task, ChecklistTask)
        assert task.check({o.id for o in task.options}).correct
        partial = task.check({task.options[0].id})
        assert not partial.correct and partial.hints[0].startswith(f"Next: {task.options[1].label}")


def test_hint_explains_the_wrong_choice_without_giving_the_answer(content):
    task = practice.match_benefits(content)
    research = next(p for p in task.prompts if p.answer == "research")
    number = task.prompts.index(research) + 1
    feedback = task.check({p.id: p.answer for p in task.prompts} | {research.id: "mentorship"})
    assert not feedback.correct
    assert feedback.marks[research.id] is False
    assert sum(feedback.marks.values()) == len(task.prompts) - 1
    assert feedback.message.startswith(f"{len(task.prompts) - 1} of {len(task.prompts)} right")
    (hint,) = feedback.hints
    assert hint.startswith(f"{number}. Not “Mentorship”, which is ")
    assert practice.option_notes("benefits")["mentorship"] in hint  # what the chosen option means
    assert research.hint in hint
    assert "Research opportunities" not in hint
    assert len(feedback.notes) == len(task.prompts) - 1  # and why each right one is right


def test_partial_answers_say_how_many_are_left(content):
    task = practice.choose_funding_route(content)
    first = task.prompts[0]
    feedback = task.check({first.id: first.answer})
    assert not feedback.correct
    assert f"1 of {len(task.prompts)} right" in feedback.message
    assert f"{len(task.prompts) - 1} still without an answer" in feedback.message
    assert feedback.marks[first.id] is True and feedback.marks[task.prompts[1].id] is None


def test_unknown_option_is_reported_not_raised(content):
    task = practice.sort_trip_costs(content)
    feedback = task.check({task.prompts[0].id: "caviar"})
    assert not feedback.correct
    assert feedback.hints[0] == "1. “caviar” is not one of the choices."


def test_spotting_quotes_the_evidence_for_a_part_that_is_there(content):
    task = next(t for t in practice.spot_missing_introductions(content) if t.id == "intro-name-only")
    assert task.answer == {"background", "reason", "passions"}
    feedback = task.check({"name", "background"})
    assert not feedback.correct
    assert "already there" in feedback.hints[0] and "Maya Chen" in feedback.hints[0]
    assert feedback.hints[1].startswith("2 more parts are missing")
    assert task.check(set()).message.startswith("Tick at least one")


def test_task_definitions_reject_inconsistent_answers():
    with pytest.raises(ValueError, match="not in"):
        AssignmentTask("t", "T", "i", (Prompt("p", "text", "nope"),), (Option("a", "A"),))
    with pytest.raises(ValueError, match="duplicate prompt"):
        AssignmentTask("t", "T", "i", (Prompt("p", "x", "a"), Prompt("p", "y", "a")), (Option("a", "A"),))
    with pytest.raises(ValueError, match="non-empty subset"):
        SelectTask("t", "T", "i", "text", (Option("a", "A"),), frozenset({"b"}))


def test_markdown_fallback_states_the_whole_question(content):
    task = practice.choose_funding_route(content)
    text = practice.task_markdown(task)
    for prompt in task.prompts:
        assert prompt.text in text
    for route in content.funding_routes:
        assert route.name in text


# ------------------------------------------------------------------ widgets, driven without a browser


def test_sorting_widget_hint_then_acknowledgement_then_reset(content):
    task = practice.sort_examples_by_level(content)
    widget = SortingExercise(task, noun="Level")
    first, second = task.prompts[0], task.prompts[1]
    wrong = next(o.id for o in task.options if o.id != first.answer)
    widget.controls[first.id].value = wrong
    widget.controls[second.id].value = second.answer
    widget.check_button.click()
    assert widget.last_feedback is not None and not widget.last_feedback.correct
    assert "✗" in widget.marks[first.id].value and "✓" in widget.marks[second.id].value
    assert "Look again" in widget.feedback.value and "<li>" in widget.feedback.value
    assert "Based on: Bakly (2024)" in widget.header.value

    for prompt in task.prompts:
        widget.controls[prompt.id].value = prompt.answer
    widget.check_button.click()
    assert widget.last_feedback.correct
    assert "Correct!" in widget.feedback.value
    assert all("✓" in mark.value for mark in widget.marks.values())

    widget.reset_button.click()
    assert all(answer is None for answer in widget.answers().values())
    assert all(control.value == "" for control in widget.controls.values())  # back on "— choose —"
    assert widget.feedback.value == "" and widget.last_feedback is None
    assert all(mark.value == "" for mark in widget.marks.values())


def test_changing_an_answer_clears_a_stale_verdict(content):
    task = practice.sort_trip_costs(content)
    widget = SortingExercise(task)
    for prompt in task.prompts:
        widget.controls[prompt.id].value = prompt.answer
    widget.check_button.click()
    assert widget.last_feedback.correct
    widget.controls[task.prompts[0].id].value = task.prompts[1].answer
    assert widget.feedback.value == "" and widget.last_feedback is None


def test_choice_widget_uses_radio_buttons_with_descriptions(content):
    task = practice.choose_explorative_questions(content)
    widget = exercise_for(task)
    assert isinstance(widget, ChoiceExercise)
    for number, prompt in enumerate(task.prompts, start=1):
        control = widget.controls[prompt.id]
        assert type(control).__name__ == "RadioButtons"
        assert control.description == f"Answer for {number}" and control.tooltip == prompt.text
        control.value = next(o.id for o in prompt.options if o.id != prompt.answer)
    widget.check_button.click()
    assert not widget.last_feedback.correct
    assert task.prompts[0].hint in shown_text(widget.feedback.value)
    for prompt in task.prompts:
        widget.controls[prompt.id].value = prompt.answer
    widget.check_button.click()
    assert widget.last_feedback.correct
    widget.reset_button.click()
    assert all(control.value is None for control in widget.controls.values())


def test_radio_mark_is_drawn_on_the_chosen_option_not_the_first(content):
    """The ✓/✗ belongs to the option the student picked: its position is named on the radio group
    (nc-mark-N) and the page's style draws the mark after that option's label only."""
    task = practice.choose_explorative_questions(content)
    widget = exercise_for(task)
    first, second = task.prompts[0], task.prompts[1]
    wrong_last = first.options[-1]
    assert wrong_last.id != first.answer
    widget.controls[first.id].value = wrong_last.id
    widget.controls[second.id].value = second.answer
    widget.check_button.click()
    assert widget.drawn[first.id] == (wrong_last.id, False)
    assert widget.drawn[second.id] == (second.answer, True)
    position = len(first.options)
    classes = widget.controls[first.id]._dom_classes
    assert f"nc-mark-{position}" in classes and "nc-wrong" in classes and "nc-mark-1" not in classes
    right_position = [o.id for o in second.options].index(second.answer) + 1
    assert {f"nc-mark-{right_position}", "nc-right"} <= set(widget.controls[second.id]._dom_classes)
    style = widget.header.value
    assert f".nc-choice.nc-wrong.nc-mark-{position} .widget-radio-box > label:nth-child({position})::after" in style
    assert widget.drawn[task.prompts[2].id] is None  # not answered: no mark anywhere
    widget.controls[first.id].value = first.answer  # a changed answer drops the old marks
    assert all(mark is None for mark in widget.drawn.values())
    assert not any(c.startswith("nc-mark-") for c in widget.controls[second.id]._dom_classes)


def test_feedback_explains_right_answers_under_why(content):
    task = practice.sort_trip_costs(content)
    widget = SortingExercise(task)
    for prompt in task.prompts:
        widget.controls[prompt.id].value = prompt.answer
    widget.check_button.click()
    details = elements(widget.feedback.value, "details")
    assert len(details) == 1
    assert task.prompts[0].explanation in shown_text(widget.feedback.value)


def test_matching_widget_for_long_situations(content):
    widget = exercise_for(practice.match_benefits(content), noun="Benefit")
    assert isinstance(widget, MatchingExercise)
    assert [c.description for c in widget.controls.values()] == [f"Benefit for {i}" for i in range(1, 7)]
    assert all(c.options[0] == ("— choose —", "") and c.value == "" for c in widget.controls.values())
    widget.check_button.click()
    assert "Choose an answer" in widget.feedback.value


def test_spot_missing_widget(content):
    group = ExerciseGroup([exercise_for(t) for t in practice.spot_missing_introductions(content)])
    widget = group[0]
    assert isinstance(widget, SpotMissingExercise) and len(group) == len(practice.sample_introductions())
    assert widget.task.text.startswith("Hi, I'm Maya Chen") and widget.task.text in shown_text(widget.text.value)
    widget.controls["name"].value = True
    widget.check_button.click()
    assert not widget.last_feedback.correct and "already there" in widget.feedback.value
    # Only the ticked box is marked; unticked missing parts stay unmarked, so the answer is not given away.
    assert "✗" in widget.marks["name"].value
    assert all(widget.marks[part].value == "" for part in widget.task.answer)
    widget.controls["name"].value = False
    for part in widget.task.answer:
        widget.controls[part].value = True
    widget.check_button.click()
    assert widget.last_feedback.correct and "Correct!" in widget.feedback.value
    widget.reset_button.click()
    assert widget.answers() == set() and widget.feedback.value == ""


def test_checklist_widget_counts_progress(content):
    widget = exercise_for(practice.plan_checklist(content))
    assert isinstance(widget, Checklist)
    ids = list(widget.controls)
    widget.controls[ids[0]].value = True
    widget.check_button.click()
    assert f"1 of {len(ids)} steps done" in widget.feedback.value
    assert "→" in widget.feedback.value and "✗" not in widget.feedback.value  # progress, not a mistake
    for box in widget.controls.values():
        box.value = True
    widget.check_button.click()
    assert widget.last_feedback.correct
    widget.reset_button.click()
    assert widget.answers() == set()


def test_feedback_is_escaped():
    task = AssignmentTask("t", "T", "i", (Prompt("p", "<b>x</b>", "a"),), (Option("a", "A"), Option("b", "<i>B</i>")))
    widget = SortingExercise(task)
    widget.controls["p"].value = "b"
    widget.check_button.click()
    assert not elements(widget.feedback.value, "i") and "<i>B</i>" in shown_text(widget.feedback.value)
    prompt = widget.container.children[1].children[0].value  # "1. <b>x</b>", the number in bold
    assert len(elements(prompt, "b")) == 1 and shown_text(prompt) == "1. <b>x</b>"


def test_every_control_has_a_description_and_display_has_a_text_fallback():
    for _, task in all_tasks():
        widget = exercise_for(task)
        for control in widget.controls.values():
            assert control.description.strip()
        bundle = widget._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["text/markdown"] == practice.task_markdown(task)


def test_widget_refuses_the_wrong_kind_of_task(content):
    with pytest.raises(TypeError, match="AssignmentTask"):
        SortingExercise(practice.spot_missing_introductions(content)[0])
    with pytest.raises(TypeError, match="SelectTask"):
        SpotMissingExercise(practice.match_benefits(content))


# ------------------------------------------------------------------ Figure 1


def test_figure_shows_every_level_example_and_search_step(content):
    fig = opportunity_levels_figure(content)
    drawn = " ".join(" ".join(t.get_text() for t in ax.texts) for ax in fig.axes)
    flat = " ".join(drawn.split())
    for level in content.levels:
        assert level.name in flat
        for example in level.examples:
            assert " ".join(example.name.split()[:2]) in flat
    assert len([t for ax in fig.axes for t in ax.texts if t.get_text() == "How to find more"]) == 3


def test_figure_follows_the_data(content):
    renamed = dataclasses.replace(
        content, levels=(dataclasses.replace(content.levels[0], name="Campus clubs"), *content.levels[1:])
    )
    texts = [t.get_text() for ax in opportunity_levels_figure(renamed).axes for t in ax.texts]
    assert "1. Campus clubs" in texts and "1. School (institutional)" not in texts


def test_figure_saves_as_svg_and_png(tmp_path, content):
    svg = save_figure(tmp_path / "fig" / "figure-1.svg", content)
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "National" in text  # text kept as text
    assert figure_svg(content) == text  # deterministic: no dates, fixed ids
    png = save_figure(tmp_path / "figure-1.png", content)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        save_figure(tmp_path / "figure-1.gif", content)


def test_figure_command_writes_and_detects_a_stale_copy(tmp_path, capsys):
    from netcourse.figures import figure_description, main

    target = tmp_path / "figure-1.svg"
    target.write_text("<svg/>", encoding="utf-8")
    assert main([str(target), "--check"]) == 1 and "STALE" in capsys.readouterr().out
    assert main([str(target)]) == 0
    assert main([str(target), "--check"]) == 0
    svg = target.read_text(encoding="utf-8")
    assert 'role="img"' in svg and "<title>Figure 1." in svg and "<desc>" in svg
    assert "Clark County Medical Society" in figure_description()
    assert main([str(tmp_path / "figure.gif")]) == 2


# ------------------------------------------------------------------ challenges: answer cell and rubric self-check


def test_self_check_compares_ticks_with_what_the_answer_shows():
    from netcourse.practice.challenges import challenge, self_check

    item = challenge("own-introduction")
    long = "Hi, I'm Sam, a first-year at Lakeside. I came today to learn. " + "I like many things about medicine. " * 20
    result = self_check(item, long, {c.id for c in item.rubric})
    brief = next(r for r in result.results if r.criterion.id == "brief")
    assert brief.signal is False and brief.advice.startswith("You ticked this, but look again: It has ")
    hand_over = next(r for r in result.results if r.criterion.id == "hand-over")
    assert hand_over.signal is False and "question" in hand_over.advice
    assert not result.complete and result.message.startswith(f"{len(item.rubric) - 2} of {len(item.rubric)}")
    good = ("Hi, I'm Priya, a second-year at Mountain View. I coached youth soccer, which got me into sports "
            "medicine. I came today to hear how physicians combine primary care with it. What drew you to the field?")
    done = self_check(item, good, {c.id for c in item.rubric})
    assert done.complete and "All" in done.message
    unticked = self_check(item, good, set())
    assert all(r.advice for r in unticked.results)
    assert "seems to do this already" in next(r.advice for r in unticked.results if r.criterion.id == "brief")
    assert self_check(item, "   ", set()).message.startswith("Write your answer")


@pytest.mark.parametrize(("text", "expected"), [
    ("Do you like rural medicine?", False),
    ("How did the town come to know you?", True),
    ("That sounds wonderful. What changed when your patients became your neighbours?", True),
    ("Tell me about it.", False),
])
def test_open_question_signal(text, expected):
    from netcourse.practice.challenges import signal

    assert signal({"kind": "open_question", "missing": "x"}, text) is expected


def test_every_challenge_check_is_one_the_course_can_run():
    from netcourse.practice.challenges import challenges, signal

    for item in challenges().values():
        for criterion in item.rubric:
            if criterion.check:
                assert signal(criterion.check, "How are you? I'm a student at school.") in (True, False)
                assert criterion.check["missing"].format(words=3)


def test_challenge_box_checks_saves_and_brings_the_answer_back(tmp_path):
    from netcourse.widgets.challenge import ChallengeBox

    box = ChallengeBox.named("transaction-to-exploration", folder=tmp_path)
    box.save_button.click()
    assert "nothing to save" in shown_text(box.status.value) and not box.path.exists()
    box.answer.value = "Do you have any shadowing spots?"
    box.boxes["open"].value = True
    box.check_button.click()
    assert not box.last_check.complete
    assert "It still asks for something for you." in shown_text(box.feedback.value)
    box.answer.value = "What was it like when you first shadowed, and how did it shape your path?"
    assert box.last_check is None and box.feedback.value == ""  # the old verdict described another answer
    for check in box.boxes.values():
        check.value = True
    box.check_button.click()
    assert box.last_check.complete
    path = box.save()
    assert path == tmp_path / "challenges" / "transaction-to-exploration.md"
    assert "Download transaction-to-exploration.md" in shown_text(box.downloads.value)
    again = ChallengeBox.named("transaction-to-exploration", folder=tmp_path)
    assert again.answer.value == box.answer.value and again.ticked() == set(box.boxes)
    assert "is back in the box" in shown_text(again.status.value)
    path.write_bytes(b"\xff\xfe broken")
    damaged = ChallengeBox.named("transaction-to-exploration", folder=tmp_path)
    assert damaged.answer.value == "" and "could not be read" in shown_text(damaged.status.value)
    bundle = damaged._repr_mimebundle_()
    assert "- [ ] Is open: it cannot be answered with yes or no." in bundle["text/markdown"]


def test_challenge_answer_survives_markdown_round_trip_with_odd_text():
    from netcourse.practice.challenges import challenge
    from netcourse.widgets.challenge import answer_from_markdown, answer_markdown

    item = challenge("first-follow-up")
    text = "Dear Dr. Okafor,\n\n## Self-check looks like a heading\n- [x] Thanks them"
    saved = answer_markdown(item, text, {"thanks"})
    assert answer_from_markdown(item, saved) == (text, {"thanks"})


def test_practice_agrees_with_how_the_coach_judges_a_question():
    """The lessons' practice and the pitch coach (netcourse.asking) never disagree about a question."""
    from netcourse import asking

    expected = {"builds": asking.OPEN, "topic-switch": asking.OPEN, "yes-no": asking.YES_NO,
                "transactional": asking.FAVOUR, "self-focus": asking.NOT_A_QUESTION}
    replies = practice.choose_next_reply()
    for prompt in replies.prompts:
        for option in prompt.options:
            assert asking.classify(option.label) == expected[option.kind], option.label
    explorative = practice.choose_explorative_questions()
    for prompt in explorative.prompts:
        for option in prompt.options:
            kind = asking.OPEN if option.id == prompt.answer else asking.FAVOUR
            assert asking.classify(option.label) == kind, option.label
