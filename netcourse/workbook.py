"""What the workbook's questions use: checks of a student's own draft, answer letters, objectives and rubrics.

The same functions serve the student (``pitch_check(my_pitch, my_audience)`` shows what the grader will
see) and the grader's tests, which call them in the trusted judge on the student's text. They are built
on the course's own tools (the pitch analysis of the Pitch Studio, :mod:`netcourse.asking` for questions),
so the workbook, the lessons and the tools always agree.

:func:`load_objectives` reads ``data/objectives.json`` (lesson objectives and which workbook item
assesses which), :func:`load_rubrics` reads ``data/rubrics.json`` (the written answers' criteria), and
:func:`alignment_markdown` makes the instructor guide's alignment table from both.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from netcourse.asking import OPEN, Asking, explain, last_sentence
from netcourse.content import ContentError

PACE_WPM = 130  # words a minute: the pace the lessons and the Pitch Studio use
MIN_SECONDS = 15  # shorter than this is a greeting, not an introduction
TOLERANCE = 0.10  # a draft may run 10% over its audience's time (as the Pitch Studio allows)
WHO_PARTS = ("intro", "background")
WHY_PARTS = (("reason", "goal"), ("passion",))


# --------------------------------------------------------------------------------------------------- answers


def is_choice(answer, letters: str) -> bool:
    """True when ``answer`` is text holding exactly one of ``letters`` (case and spaces ignored)."""
    return isinstance(answer, str) and len(answer.strip()) == 1 and answer.strip().lower() in letters.lower()


def choice(answer) -> str:
    """The letter a student chose, lower-cased ('' when the answer is not a single letter)."""
    return answer.strip().lower() if isinstance(answer, str) and len(answer.strip()) == 1 else ""


def letters_in_order(answer, letters: str) -> str:
    """An order of letters such as "eab" from "e, a, b" or "E A B" ('' when it is not made of ``letters``)."""
    if not isinstance(answer, str):
        return ""
    found = "".join(ch for ch in answer.lower() if ch.isalpha())
    return found if found and all(ch in letters.lower() for ch in found) else ""


def funding_gap_now(total_cost, awarded) -> float:
    """The gap lesson 4 teaches: cost minus awarded money, never below zero (pending money may not come).

    The workbook's check of a student's own plan compares their ``my_gap`` with this, computed in the
    grader from their numbers, so a wrong ``funding_gap`` cannot agree with itself."""
    return max(total_cost - awarded, 0)


# --------------------------------------------------------------------------------------------------- drafts


@cache
def _audiences() -> dict:
    from netcourse.pitch import load_audiences

    return {a.id: a for a in load_audiences()}


def audiences() -> list[tuple[str, str, int]]:
    """(id, who, seconds) for each audience the course knows, for ``my_audience``."""
    return [(a.id, a.name, int(a.target_seconds)) for a in _audiences().values()]


@dataclass(frozen=True)
class PitchCheck:
    """What the workbook's checks see in an introduction, with advice in the lessons' words."""

    seconds: float
    target: int
    parts: frozenset
    handover: Asking | None
    audience: str
    problems: tuple[str, ...] = field(default=())

    @property
    def fits(self) -> bool:
        return MIN_SECONDS <= self.seconds <= self.target * (1 + TOLERANCE)

    @property
    def says_who(self) -> bool:
        return all(part in self.parts for part in WHO_PARTS)

    @property
    def says_why(self) -> bool:
        return all(any(part in self.parts for part in group) for group in WHY_PARTS)

    @property
    def hands_over(self) -> bool:
        return self.handover is not None and self.handover.kind == OPEN

    def lines(self) -> list[str]:
        if self.problems:
            return list(self.problems)
        lines = [f"About {self.seconds:g} seconds at {PACE_WPM} words a minute; your audience ({self.audience}) "
                 f"gives you about {self.target} (at least {MIN_SECONDS}): " + ("fits." if self.fits else "adjust.")]
        lines.append("Who you are and your background: " + ("found." if self.says_who else
                     "say your name, year and school, and one line of background."))
        lines.append("Why you are here and your passion: " + ("found." if self.says_why else
                     "say why you came (or what you hope to learn) and where your interest comes from."))
        if self.hands_over:
            lines.append("Hand-over: your last sentence is an open question. Good.")
        else:
            why = self.handover.why if self.handover else "There is no last sentence."
            rewrite = f" {self.handover.rewrite}" if self.handover and self.handover.rewrite else ""
            lines.append(f"Hand-over: end with an open question to the other person. {why}{rewrite}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return ('<div role="status"><strong>What the grader will see in your introduction</strong>'
                f"<ul>{items}</ul></div>")


def pitch_check(text, audience="physician") -> PitchCheck:
    """Time ``text`` for ``audience`` and find its parts and its hand-over, as the workbook's checks do."""
    known = _audiences()
    if not isinstance(text, str) or not text.strip():
        return PitchCheck(0.0, 0, frozenset(), None, str(audience),
                          ("my_pitch should be your introduction as text: between triple quotes, \"\"\" … \"\"\".",))
    if audience not in known:
        names = ", ".join(f'"{a}"' for a in known)
        return PitchCheck(0.0, 0, frozenset(), None, str(audience),
                          (f"my_audience should be one of {names} (you wrote {str(audience)[:40]!r}).",))
    from netcourse.pitch import analyse

    target = int(known[audience].target_seconds)
    report = analyse(text, pace_wpm=PACE_WPM, target_seconds=target)
    last = last_sentence(text)
    return PitchCheck(report.seconds, target, frozenset(report.parts_present), explain(last) if last else None,
                      audience)


def question_check(questions) -> list[Asking]:
    """How each of ``questions`` asks (open, yes/no, favour, not a question): see :mod:`netcourse.asking`."""
    if not isinstance(questions, (list, tuple)):
        return []
    return [explain(q) if isinstance(q, str) else Asking(str(q), "not-a-question", "This is not text.")
            for q in questions]


# --------------------------------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Objective:
    id: str
    lesson: int
    text: str


@dataclass(frozen=True)
class Objectives:
    objectives: tuple[Objective, ...]
    workbook: dict  # {notebook: {grade_id: [objective ids]}}

    def by_id(self) -> dict[str, Objective]:
        return {o.id: o for o in self.objectives}

    def for_lesson(self, lesson: int) -> list[Objective]:
        return [o for o in self.objectives if o.lesson == lesson]

    def items_for(self, objective_id: str) -> list[tuple[str, str]]:
        return [(nb, gid) for nb, items in self.workbook.items() for gid, ids in items.items() if objective_id in ids]


def _read(name: str, schema: str) -> dict:
    from netcourse.schemas import first_problem

    try:
        data = json.loads(resources.files("netcourse").joinpath("data", name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ContentError(f"{name}: cannot be read ({error})") from None
    problem = first_problem(data, schema)
    if problem is not None:
        raise ContentError(f"{name}: {problem}")
    return data


@cache
def load_objectives() -> Objectives:
    """The lesson objectives and the workbook items that assess them (validated)."""
    data = _read("objectives.json", "objectives")
    objectives = tuple(Objective(o["id"], int(o["lesson"]), o["text"]) for o in data["objectives"])
    known = {o.id for o in objectives}
    if len(known) != len(objectives):
        raise ContentError("objectives.json: objective ids must be unique")
    for notebook, items in data["workbook"].items():
        for grade_id, ids in items.items():
            unknown = [i for i in ids if i not in known]
            if not ids or unknown:
                raise ContentError(f"objectives.json: {notebook}/{grade_id} names no objective or unknown ones "
                                   f"{unknown}")
    return Objectives(objectives, data["workbook"])


@cache
def load_rubrics() -> dict:
    """{grade_id: {"title": ..., "criteria": [{"id", "text"}]}}: one point per criterion."""
    rubrics = _read("rubrics.json", "rubrics")["rubrics"]
    for grade_id, rubric in rubrics.items():
        if not rubric.get("criteria") or not all(c.get("id") and c.get("text") for c in rubric["criteria"]):
            raise ContentError(f"rubrics.json: {grade_id} needs criteria with an id and a text")
    return rubrics


def alignment_markdown(points: dict[str, float] | None = None) -> str:
    """The instructor guide's table: each objective, its lesson, and the workbook items assessing it.

    ``points`` ({grade_id: points}) adds each item's points (from the source notebooks)."""
    objectives = load_objectives()
    rows = ["| Objective | Lesson | Workbook items (points) |", "|---|---|---|"]
    for objective in objectives.objectives:
        items = objectives.items_for(objective.id)
        shown = ", ".join(f"`{gid}`" + (f" ({points[gid]:g})" if points and gid in points else "")
                          for _, gid in items)
        rows.append(f"| {objective.text} | {objective.lesson} | {shown} |")
    return "\n".join(rows)
