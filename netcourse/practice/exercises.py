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
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from netcourse.content import Content, ContentError, Item, data_path, load_content, read_json_file
from netcourse.practice.tasks import AssignmentTask, ChecklistTask, Option, Prompt, SelectTask
from netcourse.schemas import first_problem

PRACTICE_FILE = "practice.json"


class PracticeError(ContentError):
    """The practice text file is missing or malformed."""


def load_practice(path: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """The teaching text of every exercise, by exercise name; the packaged file (cached) by default."""
    if path is None:
        return _packaged_practice()
    return _read_practice(path, str(path))


@cache
def _packaged_practice() -> dict[str, dict[str, Any]]:
    return _read_practice(data_path(PRACTICE_FILE), PRACTICE_FILE)


def _read_practice(path: Path | str, name: str) -> dict[str, dict[str, Any]]:
    try:
        data = read_json_file(path, name)
    except ContentError as exc:
        raise PracticeError(str(exc)) from None
    problem = first_problem(data, "practice")
    if problem is not None:
        raise PracticeError(f"{name}: {problem}")
    return data["exercises"]


def _text(name: str) -> dict[str, Any]:
    return load_practice()[name]


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


def _matching_task(items: tuple[Item, ...], name: str, what: str, prompt_prefix: str,
                   about: Callable[[Item], str], task_id: str) -> AssignmentTask:
    """An exercise matching the cases of ``name`` in the practice text to one list of the content.

    Every item of the list must have a case and every case must name a known item, so the
    exercise can neither drop an item nor drift from the data.
    """
    text = _text(name)
    cases = text["cases"]
    _require(_by_id(items, what), (case["answer"] for case in cases), what)
    options = tuple(Option(item.id, item.name, about(item)) for item in items)
    prompts = tuple(
        Prompt(id=f"{prompt_prefix}-{i}", text=case["text"], answer=case["answer"], hint=case.get("hint", ""))
        for i, case in enumerate(cases, start=1)
    )
    return AssignmentTask(id=task_id, prompts=prompts, options=options, **_task_words(text))


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


# ---------------------------------------------------------------- options from the content


def level_options(content: Content) -> tuple[Option, ...]:
    # No "about" text: a level's summary would give the answer away in the hint.
    return tuple(Option(lv.id, lv.name) for lv in content.levels)


def etiquette_options(content: Content) -> tuple[Option, ...]:
    return tuple(Option(s.id, s.name, s.wording) for s in content.etiquette_steps)


def benefit_options(content: Content) -> tuple[Option, ...]:
    return tuple(Option(b.id, b.name, b.wording) for b in content.benefits)


def route_options(content: Content) -> tuple[Option, ...]:
    return tuple(Option(r.id, r.name, f"asking {r.who}") for r in content.funding_routes)


_OPTIONS = {"levels": level_options, "etiquette_steps": etiquette_options, "benefits": benefit_options,
            "funding_routes": route_options}


# ---------------------------------------------------------------- lesson 1: levels


def sort_examples_by_level(content: Content | None = None) -> AssignmentTask:
    """Every example of every level, to be sorted back into school, local or national."""
    content = _content(content)
    text = _text("sort_examples_by_level")
    prompts = tuple(
        Prompt(id=f"{lv.id}:{ex.id}", text=ex.name, answer=lv.id, hint=text["clue"].format(detail=ex.detail))
        for lv in content.levels
        for ex in lv.examples
    )
    return AssignmentTask(id="sort-examples", prompts=_interleave(prompts), options=level_options(content),
                          **_task_words(text))


def sort_how_to_find(content: Content | None = None) -> AssignmentTask:
    """Every "how to find more" step, to be matched to the level it belongs to."""
    content = _content(content)
    text = _text("sort_how_to_find")
    prompts = tuple(
        Prompt(id=f"{lv.id}:find-{i}", text=line, answer=lv.id, hint=text["hint"])
        for lv in content.levels
        for i, line in enumerate(lv.how_to_find, start=1)
    )
    return AssignmentTask(id="sort-how-to-find", prompts=_interleave(prompts), options=level_options(content),
                          **_task_words(text))


# ---------------------------------------------------------------- lesson 2: how to network


def sort_etiquette_parts(content: Content | None = None) -> AssignmentTask:
    """Everything each etiquette step involves, to be put back under its step."""
    content = _content(content)
    prompts = tuple(
        Prompt(id=f"{step.id}:{_slug(part)}", text=part, answer=step.id)
        for step in content.etiquette_steps
        for part in step.involves
    )
    return AssignmentTask(id="sort-etiquette", prompts=_interleave(prompts), options=etiquette_options(content),
                          **_task_words(_text("sort_etiquette_parts")))


def match_harvard_advice(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.harvard_advice, "match_harvard_advice", "Harvard advice", "situation",
                          lambda a: a.wording, "match-harvard")


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
                                hint=intro["hint"], **words))
    return tuple(tasks)


# ---------------------------------------------------------------- lesson 3: why network


def match_benefits(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.benefits, "match_benefits", "benefits", "situation", lambda b: b.wording,
                          "match-benefits")


def choose_explorative_questions(content: Content | None = None) -> AssignmentTask:
    """One question per explorative question of the article, among transactional openers."""
    content = _content(content)
    text = _text("choose_explorative_questions")
    questions = tuple(content.mindset.get("explorative_questions", ()))
    if not questions:
        raise ValueError("the content has no explorative questions")
    openers = text["transactional_openers"]
    prompts = []
    for i, question in enumerate(questions, start=1):
        # Rotate the right answer's position so it is not always first.
        distractors = [openers[(i + k) % len(openers)] for k in range(2)]
        choices = distractors[: i % 3] + [question] + distractors[i % 3:]
        options = tuple(
            Option(f"q{i}-{j}", choice,
                   text["about_explorative"] if choice == question else text["about_transactional"])
            for j, choice in enumerate(choices, start=1)
        )
        answer = next(o.id for o in options if o.label == question)
        prompts.append(Prompt(id=f"question-{i}", text=text["question"], answer=answer, options=options,
                              hint=text["hint"]))
    return AssignmentTask(id="choose-explorative", prompts=tuple(prompts), **_task_words(text))


# ---------------------------------------------------------------- lesson 4: paying for it


def sort_trip_costs(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.costs, "sort_trip_costs", "costs", "expense", lambda c: c.wording, "sort-costs")


def choose_funding_route(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(content.funding_routes, "choose_funding_route", "funding routes", "case",
                          lambda r: f"asking {r.who}", "choose-funding")


# ---------------------------------------------------------------- lesson 5: review


def review_quiz(content: Content | None = None) -> AssignmentTask:
    """One question per lesson, with options from the data, for the closing lesson."""
    content = _content(content)
    text = _text("review_quiz")
    prompts = tuple(Prompt(q["id"], q["text"], q["answer"], options=_OPTIONS[q["options"]](content), hint=q["hint"])
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
    "match_benefits": match_benefits,
    "choose_explorative_questions": choose_explorative_questions,
    "sort_trip_costs": sort_trip_costs,
    "choose_funding_route": choose_funding_route,
    "review_quiz": review_quiz,
    "plan_checklist": plan_checklist,
}
