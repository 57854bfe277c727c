"""Every practice exercise of the lessons, built from the article's data and the course's teaching text.

The options (levels, steps, benefits, routes...) always come from :mod:`netcourse.content`, so a
fact is written once. The teaching text -- titles, instructions, situations, cases, sample
introductions, hints -- lives in ``netcourse/data/practice.json`` (course text, CC BY), checked
against ``schemas/practice.schema.json``; each case names the id of its answer, and the builders
fail loudly if the content no longer has that id or has an item no case practises.
:data:`EXERCISES` maps the name a lesson uses to its builder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from netcourse.content import Content, ContentError, Item, data_path, load_content, read_json_file
from netcourse.practice.tasks import AssignmentTask, ChecklistTask, Option, Prompt, SelectTask
from netcourse.schemas import first_problem

PRACTICE_FILE = "practice.json"


class PracticeError(ContentError):
    """The practice text file is missing or malformed."""


def load_practice_file(path: Path | str | None = None) -> dict[str, Any]:
    """The whole practice file (exercises, option notes, challenges); the packaged one (cached) by default."""
    if path is None:
        return _packaged_practice()
    return _read_practice(path, str(path))


def load_practice(path: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """The teaching text of every exercise, by exercise name; the packaged file (cached) by default."""
    return load_practice_file(path)["exercises"]


@cache
def _packaged_practice() -> dict[str, Any]:
    return _read_practice(data_path(PRACTICE_FILE), PRACTICE_FILE)


def _read_practice(path: Path | str, name: str) -> dict[str, Any]:
    try:
        data = read_json_file(path, name)
    except ContentError as exc:
        raise PracticeError(str(exc)) from None
    problem = first_problem(data, "practice")
    if problem is not None:
        raise PracticeError(f"{name}: {problem}")
    return data


def _text(name: str) -> dict[str, Any]:
    return load_practice()[name]


def option_notes(list_name: str) -> dict[str, str]:
    """What each option of one of the article's lists means, in the course's words (for hints)."""
    return dict(load_practice_file()["option_notes"].get(list_name, {}))


def _task_words(text: Mapping[str, Any]) -> dict[str, Any]:
    """The title, instructions, success line and sources every task takes from its text."""
    words = {key: text[key] for key in ("title", "instructions", "success")}
    if "sources" in text:
        words["sources"] = tuple(text["sources"])
    return words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _by_id(items: Iterable[Item], what: str) -> dict[str, Item]:
    found = {item.id: item for item in items}
    if not found:
        raise ValueError(f"no {what} in the content")
    return found


def _require(known: Mapping[str, object], wanted: Iterable[str], what: str) -> None:
    wanted = set(wanted)
    missing = sorted(set(wanted) - set(known))
    if missing:
        raise ValueError(f"exercise refers to {what} {missing} that the content does not have")
    uncovered = sorted(set(known) - set(wanted))
    if uncovered:
        raise ValueError(f"exercise has no case for {what} {uncovered}; add one so every item is practised")


def _content(content: Content | None) -> Content:
    return content if content is not None else load_content()


def _noted(items: tuple[Item, ...], list_name: str) -> tuple[Option, ...]:
    """Options for a list of the content, each with what it means in the course's words.

    Every item needs a note: a hint that only repeated an option's name ("Travel means: travel")
    would tell the student nothing.
    """
    notes = option_notes(list_name)
    missing = [item.id for item in items if item.id not in notes]
    if missing:
        raise ValueError(f"option_notes.{list_name} has no note for {missing}")
    return tuple(Option(item.id, item.name, notes[item.id]) for item in items)


def _matching_task(items: tuple[Item, ...], name: str, what: str, prompt_prefix: str, list_name: str,
                   task_id: str) -> AssignmentTask:
    """An exercise matching the cases of ``name`` in the practice text to one list of the content.

    Every item of the list must have a case and every case must name a known item, so the
    exercise can neither drop an item nor drift from the data.
    """
    text = _text(name)
    cases = text["cases"]
    _require(_by_id(items, what), (case["answer"] for case in cases), what)
    prompts = tuple(
        Prompt(id=f"{prompt_prefix}-{i}", text=case["text"], answer=case["answer"], hint=case.get("hint", ""),
               explanation=case["why"])
        for i, case in enumerate(cases, start=1)
    )
    return AssignmentTask(id=task_id, prompts=prompts, options=_noted(items, list_name), **_task_words(text))


def _interleave(prompts: tuple[Prompt, ...]) -> tuple[Prompt, ...]:
    """Mix prompts so answers do not come in blocks (deterministic, no randomness)."""
    groups: dict[str, list[Prompt]] = {}
    for p in prompts:
        groups.setdefault(p.answer, []).append(p)
    mixed: list[Prompt] = []
    queues = list(groups.values())
    while any(queues):
        for queue in queues:
            if queue:
                mixed.append(queue.pop(0))
        queues = queues[1:] + queues[:1]
    return tuple(mixed)


def _keyed(texts: Mapping[str, Any], keys: list[str], what: str) -> None:
    """The practice text has exactly one entry per generated item (no item without its hint and why)."""
    _require({key: None for key in keys}, texts, what)


# ---------------------------------------------------------------- options from the content


def level_options(content: Content) -> tuple[Option, ...]:
    # No "about" text: a level's summary would give the answer away in the hint.
    return tuple(Option(lv.id, lv.name) for lv in content.levels)


def etiquette_options(content: Content) -> tuple[Option, ...]:
    return _noted(content.etiquette_steps, "etiquette_steps")


def benefit_options(content: Content) -> tuple[Option, ...]:
    return _noted(content.benefits, "benefits")


def route_options(content: Content) -> tuple[Option, ...]:
    return _noted(content.funding_routes, "funding_routes")


_OPTIONS = {"levels": level_options, "etiquette_steps": etiquette_options, "benefits": benefit_options,
            "funding_routes": route_options}


# ---------------------------------------------------------------- lesson 1: levels


def sort_examples_by_level(content: Content | None = None) -> AssignmentTask:
    """Every example of every level, to be sorted back into school, local or national."""
    content = _content(content)
    text = _text("sort_examples_by_level")
    clues = text["examples"]
    _keyed(clues, [ex.id for lv in content.levels for ex in lv.examples], "level examples")
    prompts = tuple(
        Prompt(id=f"{lv.id}:{ex.id}", text=ex.name, answer=lv.id, hint=clues[ex.id]["clue"],
               explanation=clues[ex.id]["why"])
        for lv in content.levels
        for ex in lv.examples
    )
    return AssignmentTask(id="sort-examples", prompts=_interleave(prompts), options=level_options(content),
                          **_task_words(text))


def sort_how_to_find(content: Content | None = None) -> AssignmentTask:
    """Every "how to find more" step, to be matched to the level it belongs to."""
    content = _content(content)
    text = _text("sort_how_to_find")
    steps = text["steps"]
    _keyed(steps, [f"{lv.id}-{i}" for lv in content.levels for i in range(1, len(lv.how_to_find) + 1)],
           "search steps")
    prompts = tuple(
        Prompt(id=f"{lv.id}:find-{i}", text=line, answer=lv.id, hint=steps[f"{lv.id}-{i}"]["hint"],
               explanation=steps[f"{lv.id}-{i}"]["why"], accept=tuple(steps[f"{lv.id}-{i}"].get("accept", ())))
        for lv in content.levels
        for i, line in enumerate(lv.how_to_find, start=1)
    )
    return AssignmentTask(id="sort-how-to-find", prompts=_interleave(prompts), options=level_options(content),
                          **_task_words(text))


# ---------------------------------------------------------------- lesson 2: how to network


def sort_etiquette_parts(content: Content | None = None) -> AssignmentTask:
    """Everything each etiquette step involves, to be put back under its step."""
    content = _content(content)
    text = _text("sort_etiquette_parts")
    parts = text["parts"]
    _keyed(parts, [f"{s.id}-{i}" for s in content.etiquette_steps for i in range(1, len(s.involves) + 1)],
           "etiquette parts")
    prompts = tuple(
        Prompt(id=f"{step.id}:{_slug(part)}", text=part, answer=step.id, hint=parts[f"{step.id}-{i}"]["hint"],
               explanation=parts[f"{step.id}-{i}"]["why"], accept=tuple(parts[f"{step.id}-{i}"].get("accept", ())))
        for step in content.etiquette_steps
        for i, part in enumerate(step.involves, start=1)
    )
    return AssignmentTask(id="sort-etiquette", prompts=_interleave(prompts), options=etiquette_options(content),
                          **_task_words(text))


def match_harvard_advice(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.harvard_advice, "match_harvard_advice", "Harvard advice", "situation",
                          "harvard_advice", "match-harvard")


def introduction_parts(content: Content) -> dict[str, Option]:
    """The parts of a good introduction (from the data), keyed by the practice text's short names.

    Each short name must match exactly one line that the "Introducing oneself" step involves.
    """
    steps = _by_id(content.etiquette_steps, "etiquette steps")
    if "introduce" not in steps:
        raise ValueError("the content has no 'introduce' etiquette step")
    lines = steps["introduce"].involves
    parts: dict[str, Option] = {}
    for key, word in _text("spot_missing_introductions")["part_keys"].items():
        hits = [line for line in lines if word in line.lower()]
        if len(hits) != 1:
            raise ValueError(f"introduction part {key!r}: expected one line with {word!r} in {list(lines)}")
        parts[key] = Option(key, hits[0])
    if len(parts) != len(lines):
        raise ValueError(f"introduction parts {sorted(parts)} do not cover all {len(lines)} lines of the step")
    return parts


def sample_introductions() -> tuple[dict[str, Any], ...]:
    """The sample introductions: text, the parts present (with the words that show them), a hint."""
    return tuple(_text("spot_missing_introductions")["introductions"])


def spot_missing_introductions(content: Content | None = None) -> tuple[SelectTask, ...]:
    """One task per sample introduction: tick the parts it is missing."""
    content = _content(content)
    parts = introduction_parts(content)
    words = _task_words(_text("spot_missing_introductions"))
    tasks = []
    for intro in sample_introductions():
        present = intro["present"]
        unknown = set(present) - set(parts)
        if unknown:
            raise ValueError(f"{intro['id']}: unknown parts {sorted(unknown)}")
        tasks.append(SelectTask(id=intro["id"], text=intro["text"], options=tuple(parts.values()),
                                answer=frozenset(set(parts) - set(present)), evidence=dict(present),
                                hint=intro["hint"], explanation=intro["why"], **words))
    return tuple(tasks)


# The five kinds of reply in the active-listening exercise; one case offers one of each.
REPLY_KINDS = ("builds", "topic-switch", "yes-no", "transactional", "self-focus")


def choose_next_reply(content: Content | None = None) -> AssignmentTask:
    """Active listening: after a physician's answer, pick the reply that builds on it.

    Each case offers one reply of every kind: the one that builds on what was said, and four
    diagnostic distractors (a topic switch, a yes/no question, a transactional ask, a turn to
    yourself), each with its own explanation.
    """
    text = _text("choose_next_reply")
    prompts = []
    for i, case in enumerate(text["cases"], start=1):
        kinds = sorted(option["kind"] for option in case["options"])
        if kinds != sorted(REPLY_KINDS):
            raise ValueError(f"choose_next_reply case {i}: needs one reply of each kind {list(REPLY_KINDS)}, "
                             f"found {kinds}")
        options = tuple(Option(f"reply{i}-{option['kind']}", option["text"], explanation=option["why"],
                               kind=option["kind"])
                        for option in case["options"])
        prompts.append(Prompt(id=f"reply-{i}", text=f"{case['speaker']}: “{case['said']}” {text['question']}",
                              answer=f"reply{i}-builds", options=options, hint=case["hint"]))
    return AssignmentTask(id="choose-next-reply", prompts=tuple(prompts), **_task_words(text))


# ---------------------------------------------------------------- lesson 3: why network


def match_benefits(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.benefits, "match_benefits", "benefits", "situation", "benefits", "match-benefits")


def choose_explorative_questions(content: Content | None = None) -> AssignmentTask:
    """One meeting per explorative question of the article: pick the question that explores, put
    as a student would ask it, among transactional ones of the same form."""
    content = _content(content)
    text = _text("choose_explorative_questions")
    article_questions = tuple(content.mindset.get("explorative_questions", ()))
    if not article_questions:
        raise ValueError("the content has no explorative questions")
    used = sorted(q["article_question"] for q in text["questions"])
    if used != list(range(1, len(article_questions) + 1)):
        raise ValueError(f"choose_explorative_questions must practise each of the article's "
                         f"{len(article_questions)} questions once, found {used}")
    prompts = []
    for i, question in enumerate(text["questions"], start=1):
        options = tuple(Option(f"q{i}-{j}", choice["text"], explanation=choice["why"])
                        for j, choice in enumerate(question["options"], start=1))
        right = [o.id for o, choice in zip(options, question["options"], strict=True) if choice["explorative"]]
        if len(right) != 1:
            raise ValueError(f"choose_explorative_questions question {i}: exactly one option must be explorative")
        prompts.append(Prompt(id=f"question-{i}", text=f"{question['situation']} {text['question']}", answer=right[0],
                              options=options, hint=question["hint"]))
    return AssignmentTask(id="choose-explorative", prompts=tuple(prompts), **_task_words(text))


def explorative_sources(content: Content | None = None) -> dict[str, str]:
    """For each prompt of :func:`choose_explorative_questions`, the article's question it puts in a student's words."""
    content = _content(content)
    questions = content.mindset["explorative_questions"]
    return {f"question-{i}": questions[q["article_question"] - 1]
            for i, q in enumerate(_text("choose_explorative_questions")["questions"], start=1)}


# ---------------------------------------------------------------- lesson 4: paying for it


def sort_trip_costs(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.costs, "sort_trip_costs", "costs", "expense", "costs", "sort-costs")


def choose_funding_route(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.funding_routes, "choose_funding_route", "funding routes", "case",
                          "funding_routes", "choose-funding")


# ---------------------------------------------------------------- lesson 5: review


def review_quiz(content: Content | None = None) -> AssignmentTask:
    """One question per lesson, with options from the data, for the closing lesson."""
    content = _content(content)
    text = _text("review_quiz")
    prompts = tuple(Prompt(q["id"], q["text"], q["answer"], options=_OPTIONS[q["options"]](content), hint=q["hint"],
                           explanation=q["why"])
                    for q in text["questions"])
    return AssignmentTask(id="review", prompts=prompts, **_task_words(text))


def plan_checklist(content: Content | None = None) -> ChecklistTask:
    """The steps of a personal networking plan, each built from the lesson it draws on."""
    content = _content(content)
    text = _text("plan_checklist")
    steps = text["steps"]
    levels = ", ".join(lv.name for lv in content.levels)
    options = [
        Option("event", steps["event"], text["levels_about"].format(levels=levels)),
        *(Option(f"step-{s.id}", steps["etiquette"].format(order=s.order, name=s.name.lower()), "; ".join(s.involves))
          for s in content.etiquette_steps),
        Option("explore", steps["explore"], " ".join(content.mindset.get("explorative_questions", ()))),
        Option("budget", steps["budget"], ", ".join(c.name for c in content.costs)),
        Option("funding", steps["funding"], ", ".join(r.name for r in content.funding_routes)),
        Option("follow-up", steps["follow-up"], content.follow_up.get("wording", "")),
    ]
    return ChecklistTask(id="plan-checklist", options=tuple(options), **_task_words(text))


# Every exercise the lessons use, by the name a lesson calls it with.
EXERCISES = {
    "sort_examples_by_level": sort_examples_by_level,
    "sort_how_to_find": sort_how_to_find,
    "sort_etiquette_parts": sort_etiquette_parts,
    "match_harvard_advice": match_harvard_advice,
    "spot_missing_introductions": spot_missing_introductions,
    "choose_next_reply": choose_next_reply,
    "match_benefits": match_benefits,
    "choose_explorative_questions": choose_explorative_questions,
    "sort_trip_costs": sort_trip_costs,
    "choose_funding_route": choose_funding_route,
    "review_quiz": review_quiz,
    "plan_checklist": plan_checklist,
}
