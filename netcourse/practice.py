"""Practice exercises for the lessons, built from the article's data, with answer checking.

Two kinds of task cover every exercise in the course:

* :class:`AssignmentTask` -- each prompt gets exactly one option. Sorting examples into
  levels, matching situations to benefits and choosing a funding route for a case are all
  this shape; only the widget that presents them differs.
* :class:`SelectTask` -- tick every option that applies, e.g. the parts an introduction
  is missing.

The options (levels, steps, benefits, routes...) always come from :mod:`netcourse.content`,
so a fact is written once. The situations and cases below are our own teaching text; each
names the id of its answer, and the builders fail loudly if the data no longer has that id.
``check`` returns :class:`Feedback`: whether the answer is right and a message that either
acknowledges it or gives a hint without giving the answer away. Nothing here imports
ipywidgets; :mod:`netcourse.widgets.practice` presents these tasks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netcourse.content import Content, Item, load_content

CHOOSE = "— choose —"


@dataclass(frozen=True)
class Option:
    """One answer a student can pick; ``about`` says what it means, for hints."""

    id: str
    label: str
    about: str = ""


@dataclass(frozen=True)
class Prompt:
    """One thing to sort, match or answer. ``options`` overrides the task's shared options."""

    id: str
    text: str
    answer: str
    hint: str = ""
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Feedback:
    """The result of checking: ``correct``, a ``message`` for the student, per-prompt marks.

    ``marks`` maps each prompt (or option, for a :class:`SelectTask`) to True (right),
    False (wrong) or None (not answered or not marked). ``hints`` are lines of advice that
    go under the message, one per thing to look at again.
    """

    correct: bool
    message: str
    marks: Mapping[str, bool | None] = field(default_factory=dict)
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentTask:
    """Give each prompt one option; right when every prompt has its answer."""

    id: str
    title: str
    instructions: str
    prompts: tuple[Prompt, ...]
    options: tuple[Option, ...] = ()
    success: str = ""
    sources: tuple[str, ...] = ("article",)  # ids in content.sources, shown under the title

    def __post_init__(self) -> None:
        if not self.prompts:
            raise ValueError(f"task {self.id!r} has no prompts")
        ids = [p.id for p in self.prompts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"task {self.id!r} has duplicate prompt ids: {ids}")
        for prompt in self.prompts:
            known = [o.id for o in self.options_for(prompt)]
            if prompt.answer not in known:
                raise ValueError(f"task {self.id!r}, prompt {prompt.id!r}: answer {prompt.answer!r} not in {known}")

    def options_for(self, prompt: Prompt) -> tuple[Option, ...]:
        return prompt.options or self.options

    def option(self, prompt: Prompt, option_id: str) -> Option | None:
        for opt in self.options_for(prompt):
            if opt.id == option_id:
                return opt
        return None

    def check(self, answers: Mapping[str, str | None]) -> Feedback:
        """Check ``answers`` (prompt id -> option id or None) and explain what to look at again."""
        marks: dict[str, bool | None] = {}
        hints: list[str] = []
        for prompt in self.prompts:
            given = answers.get(prompt.id)
            if given is None or given == "":
                marks[prompt.id] = None
                continue
            chosen = self.option(prompt, given)
            if chosen is None:
                marks[prompt.id] = False
                hints.append(f"{_short(prompt.text)}: “{given}” is not one of the choices.")
                continue
            right = chosen.id == prompt.answer
            marks[prompt.id] = right
            if not right:
                hints.append(_wrong_hint(prompt, chosen))
        missing = sum(1 for m in marks.values() if m is None)
        total = len(self.prompts)
        if missing == total:
            return Feedback(False, f"Choose an answer for each of the {total} items, then press Check.", marks)
        n_right = sum(1 for m in marks.values() if m)
        if n_right == total:
            message = f"Correct! All {total} right." + (f" {self.success}" if self.success else "")
            return Feedback(True, message, marks)
        parts = [f"{n_right} of {total} right."]
        if missing:
            parts.append(f"{missing} still without an answer.")
        if hints:
            parts.append("Look again at the ones marked ✗:")
        return Feedback(False, " ".join(parts), marks, tuple(hints))

    def solution(self) -> dict[str, str]:
        return {p.id: p.answer for p in self.prompts}


@dataclass(frozen=True)
class SelectTask:
    """Tick every option that applies; ``evidence`` quotes why an unticked option does not apply."""

    id: str
    title: str
    instructions: str
    text: str
    options: tuple[Option, ...]
    answer: frozenset[str]
    evidence: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""
    success: str = ""
    sources: tuple[str, ...] = ("article",)

    def __post_init__(self) -> None:
        known = {o.id for o in self.options}
        if not self.answer or not self.answer <= known:
            raise ValueError(f"task {self.id!r}: answer {sorted(self.answer)} must be a non-empty subset of {known}")

    def check(self, selected: Iterable[str]) -> Feedback:
        chosen = set(selected)
        labels = {o.id: o.label for o in self.options}
        unknown = chosen - set(labels)
        if unknown:
            return Feedback(False, f"Unknown choice(s): {', '.join(sorted(unknown))}.")
        if not chosen:
            return Feedback(False, "Tick at least one part that is missing, then press Check.")
        # Only ticked boxes get a mark: marking unticked ones would give the answer away.
        marks = {oid: (oid in self.answer) if oid in chosen else None for oid in labels}
        if chosen == self.answer:
            message = "Correct! You found exactly what is missing." + (f" {self.success}" if self.success else "")
            return Feedback(True, message, marks)
        hints = []
        for oid in sorted(chosen - self.answer, key=list(labels).index):
            quote = self.evidence.get(oid)
            where = f" Listen: “{quote}”" if quote else ""
            hints.append(f"“{labels[oid]}” is already there.{where}")
        overlooked = len(self.answer - chosen)
        if overlooked:
            more = "part is" if overlooked == 1 else "parts are"
            hints.append(f"{overlooked} more {more} missing. {self.hint}".strip())
        return Feedback(False, "Not yet. Look again:", marks, tuple(hints))

    def solution(self) -> frozenset[str]:
        return self.answer


@dataclass(frozen=True)
class ChecklistTask:
    """Steps to tick off; "correct" means all done, and the message names the next step."""

    id: str
    title: str
    instructions: str
    options: tuple[Option, ...]
    success: str = ""
    sources: tuple[str, ...] = ("article",)

    def check(self, done: Iterable[str]) -> Feedback:
        done_ids = set(done)
        labels = {o.id: o.label for o in self.options}
        unknown = done_ids - set(labels)
        if unknown:
            return Feedback(False, f"Unknown step(s): {', '.join(sorted(unknown))}.")
        marks = {oid: (True if oid in done_ids else None) for oid in labels}
        remaining = [o for o in self.options if o.id not in done_ids]
        if not remaining:
            return Feedback(True, f"All {len(labels)} steps done. {self.success}".strip(), marks)
        nxt = remaining[0]
        hint = f"Next: {nxt.label}" + (f" ({nxt.about})" if nxt.about else "")
        return Feedback(False, f"{len(done_ids)} of {len(labels)} steps done.", marks, (hint,))


Task = AssignmentTask | SelectTask | ChecklistTask


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrong_hint(prompt: Prompt, chosen: Option) -> str:
    extra = f" {prompt.hint}" if prompt.hint else ""
    if prompt.options:  # a question with its own choices: name the question, then the wrong choice
        about = f", which is {chosen.about}" if chosen.about else ""
        return f"{_short(prompt.text)} Not “{_short(chosen.label)}”{about}.{extra}"
    about = f" “{chosen.label}” means: {chosen.about.rstrip('.')}." if chosen.about else ""
    return f"“{_short(prompt.text)}” is not “{chosen.label}”.{about}{extra}"


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


def _matching_task(
    items: tuple[Item, ...],
    cases: Iterable[tuple[str, ...]],
    what: str,
    prompt_prefix: str,
    about: Callable[[Item], str],
    **task: Any,
) -> AssignmentTask:
    """An exercise matching our own cases ``(answer id, text[, hint])`` to one list of the content.

    Every item of the list must have a case and every case must name a known item, so the
    exercise can neither drop an item nor drift from the data.
    """
    cases = tuple(cases)
    _require(_by_id(items, what), (case[0] for case in cases), what)
    options = tuple(Option(item.id, item.name, about(item)) for item in items)
    prompts = tuple(
        Prompt(id=f"{prompt_prefix}-{i}", text=text, answer=answer, hint=rest[0] if rest else "")
        for i, (answer, text, *rest) in enumerate(cases, start=1)
    )
    return AssignmentTask(prompts=prompts, options=options, **task)


# ---------------------------------------------------------------- lesson 1: levels


def level_options(content: Content) -> tuple[Option, ...]:
    # No "about" text: a level's summary would give the answer away in the hint.
    return tuple(Option(lv.id, lv.name) for lv in content.levels)


def sort_examples_by_level(content: Content | None = None) -> AssignmentTask:
    """Every example of every level, to be sorted back into school, local or national."""
    content = _content(content)
    prompts = tuple(
        Prompt(id=f"{lv.id}:{ex.id}", text=ex.name, answer=lv.id, hint=f"Clue: {ex.detail}")
        for lv in content.levels
        for ex in lv.examples
    )
    return AssignmentTask(
        id="sort-examples",
        title="Sort the opportunities",
        instructions="Where does each opportunity come from? Choose school, local or national for each one.",
        prompts=_interleave(prompts),
        options=level_options(content),
        success="Each level opens different doors; use all three.",
    )


def sort_how_to_find(content: Content | None = None) -> AssignmentTask:
    """Every "how to find more" step, to be matched to the level it belongs to."""
    content = _content(content)
    prompts = tuple(
        Prompt(id=f"{lv.id}:find-{i}", text=line, answer=lv.id,
               hint="Ask yourself who you would talk to or where you would look.")
        for lv in content.levels
        for i, line in enumerate(lv.how_to_find, start=1)
    )
    return AssignmentTask(
        id="sort-how-to-find",
        title="Which level is this search step for?",
        instructions="Each step helps you find more opportunities at one level. Choose the level.",
        prompts=_interleave(prompts),
        options=level_options(content),
        success="You now have a search plan for every level.",
    )


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


# ---------------------------------------------------------------- lesson 2: how to network


def etiquette_options(content: Content) -> tuple[Option, ...]:
    return tuple(Option(s.id, s.name, s.wording) for s in content.etiquette_steps)


def sort_etiquette_parts(content: Content | None = None) -> AssignmentTask:
    """Everything each etiquette step involves, to be put back under its step."""
    content = _content(content)
    prompts = tuple(
        Prompt(id=f"{step.id}:{_slug(part)}", text=part, answer=step.id)
        for step in content.etiquette_steps
        for part in step.involves
    )
    return AssignmentTask(
        id="sort-etiquette",
        title="What belongs to each step?",
        instructions="Each line is part of one of the four etiquette steps. Choose the step.",
        prompts=_interleave(prompts),
        options=etiquette_options(content),
        success="Those are the four steps and what each one asks of you.",
        sources=("utah", "aafp"),
    )


# Our own situations, one or more per piece of Harvard advice (by id).
HARVARD_SITUATIONS: tuple[tuple[str, str, str], ...] = (
    ("audience",
     "Before a cardiology reception you read the speaker list and decide which two physicians work in the "
     "area you care about.",
     "The student is choosing whom to talk to."),
    ("brief",
     "You give a thirty-second version of who you are and then ask the resident about her path, instead of "
     "a five-minute life story.",
     "Think about the length of what the student says."),
    ("practise",
     "The night before the event you rehearse, with a classmate, how to move from your introduction to a "
     "question and how to close politely.",
     "The student is rehearsing, not meeting anyone yet."),
    ("meet-many",
     "At a conference mixer you thank the first physician after ten minutes and go on to talk to three more "
     "people.",
     "Count the people the student talks to."),
    ("online",
     "After the event you connect with the speaker on a professional social network and mention the talk "
     "you enjoyed.",
     "Where does this contact happen?"),
)


def match_harvard_advice(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(
        content.harvard_advice, HARVARD_SITUATIONS, "Harvard advice", "situation", lambda a: a.wording,
        id="match-harvard",
        title="Which advice is the student following?",
        instructions="Match each situation to the piece of Harvard Medical School's advice it shows.",
        success="Harvard's five points, in action.",
        sources=("hms",),
    )


# Keys name the parts of an introduction; each must match exactly one line that the
# "Introducing oneself" step involves (checked in introduction_parts).
INTRO_PART_KEYS = {
    "name": "name",
    "background": "background",
    "reason": "reason",
    "passions": "passion",
    "brief": "brief",
}

# Our own sample introductions: the text, the parts it has (with the words that show it),
# and a hint for what else to look for.
INTRODUCTIONS: tuple[dict, ...] = (
    {
        "id": "intro-name-only",
        "text": "Hi, I'm Maya Chen, a second-year student at Riverside College of Osteopathic Medicine. "
                "Nice to meet you!",
        "present": {"name": "I'm Maya Chen, a second-year student", "brief": "Nice to meet you!"},
        "hint": "A name is a start; what else would help the physician know who Maya is?",
    },
    {
        "id": "intro-no-name",
        "text": "Hello! Before medical school I worked three years as a paramedic, and that is where my love "
                "of emergency medicine comes from. I came tonight hoping to hear how residents chose their "
                "programs. What brought you here?",
        "present": {
            "background": "I worked three years as a paramedic",
            "reason": "I came tonight hoping to hear how residents chose their programs",
            "passions": "my love of emergency medicine",
            "brief": "What brought you here?",
        },
        "hint": "Would the physician know whom to remember after this conversation?",
    },
    {
        "id": "intro-too-long",
        "text": "I'm Sam Ortiz, a first-year at Lakeside School of Medicine. I grew up helping at my aunt's "
                "rural clinic, which is why I love family medicine, and I'm here to learn about rural "
                "residency tracks. Also, in college I studied chemistry, and I played the cello, and I spent a "
                "summer in a lab on zebrafish, and then I... (Sam keeps going for five minutes and never "
                "pauses for the doctor to speak.)",
        "present": {
            "name": "I'm Sam Ortiz, a first-year at Lakeside School of Medicine",
            "background": "I grew up helping at my aunt's rural clinic",
            "reason": "I'm here to learn about rural residency tracks",
            "passions": "I love family medicine",
        },
        "hint": "Think about the other person in this conversation.",
    },
)


def introduction_parts(content: Content) -> dict[str, Option]:
    """The parts of a good introduction (from the data), keyed by our short names."""
    steps = _by_id(content.etiquette_steps, "etiquette steps")
    if "introduce" not in steps:
        raise ValueError("the content has no 'introduce' etiquette step")
    lines = steps["introduce"].involves
    parts: dict[str, Option] = {}
    for key, word in INTRO_PART_KEYS.items():
        hits = [line for line in lines if word in line.lower()]
        if len(hits) != 1:
            raise ValueError(f"introduction part {key!r}: expected one line with {word!r} in {list(lines)}")
        parts[key] = Option(key, hits[0])
    if len(parts) != len(lines):
        raise ValueError(f"introduction parts {sorted(parts)} do not cover all {len(lines)} lines of the step")
    return parts


def spot_missing_introductions(content: Content | None = None) -> tuple[SelectTask, ...]:
    """One task per sample introduction: tick the parts it is missing."""
    content = _content(content)
    parts = introduction_parts(content)
    tasks = []
    for intro in INTRODUCTIONS:
        present = intro["present"]
        unknown = set(present) - set(parts)
        if unknown:
            raise ValueError(f"{intro['id']}: unknown parts {sorted(unknown)}")
        tasks.append(
            SelectTask(
                id=intro["id"],
                title="What is this introduction missing?",
                instructions="Read the introduction, then tick every part of a good introduction it is missing.",
                text=intro["text"],
                options=tuple(parts.values()),
                answer=frozenset(set(parts) - set(present)),
                evidence=dict(present),
                hint=intro["hint"],
                success="Now you can check your own introduction the same way.",
                sources=("utah",),
            )
        )
    return tuple(tasks)


# ---------------------------------------------------------------- lesson 3: why network


# Our own situations, one per benefit (by id), with a hint that does not name the answer.
BENEFIT_SITUATIONS: tuple[tuple[str, str, str], ...] = (
    ("insight",
     "A pediatric resident tells you which rotations helped her decide on pediatrics and what she wishes she "
     "had known as a student.",
     "What does the student come away with: a position, or knowledge?"),
    ("research",
     "A neurologist you met at a poster session says her team needs a student to help with a chart review "
     "this summer.",
     "What kind of project is on offer?"),
    ("mentorship",
     "A surgeon offers to meet you once a month to talk through your application plans and career questions.",
     "This is an ongoing relationship, not a single favour."),
    ("referral",
     "A physician you talked to gives you the name and email of a colleague in dermatology and says to use "
     "her name when you write.",
     "The physician is pointing you to another person."),
    ("events",
     "A fourth-year student tells you about next month's specialty interest night and a workshop you had "
     "not heard of.",
     "What is the student being told about?"),
    ("shadowing",
     "An emergency physician invites you to spend a shift with him in the department.",
     "Where would the student spend the day?"),
)


def match_benefits(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(
        content.benefits, BENEFIT_SITUATIONS, "benefits", "situation", lambda b: b.wording,
        id="match-benefits",
        title="What did networking give this student?",
        instructions="Match each situation to the benefit of networking it shows.",
        success="Six benefits, each one a reason to go to the next event.",
    )


# Transactional openers we wrote as distractors for the mindset question.
TRANSACTIONAL_OPENERS: tuple[str, ...] = (
    "Can you write me a letter of recommendation?",
    "Do you have any research positions I could put on my CV?",
    "Could you get me an away rotation at your hospital?",
)


def choose_explorative_questions(content: Content | None = None) -> AssignmentTask:
    """One question per explorative question of the article, among transactional openers."""
    content = _content(content)
    questions = tuple(content.mindset.get("explorative_questions", ()))
    if not questions:
        raise ValueError("the content has no explorative questions")
    prompts = []
    for i, question in enumerate(questions, start=1):
        # Rotate the right answer's position so it is not always first.
        distractors = [TRANSACTIONAL_OPENERS[(i + k) % len(TRANSACTIONAL_OPENERS)] for k in range(2)]
        choices = distractors[: i % 3] + [question] + distractors[i % 3:]
        options = tuple(
            Option(f"q{i}-{j}", text, "asking to learn about their path" if text == question
                   else "asking for something for yourself")
            for j, text in enumerate(choices, start=1)
        )
        answer = next(o.id for o in options if o.label == question)
        prompts.append(Prompt(id=f"question-{i}", text="Which of these questions explores the other person's journey?",
                              answer=answer, options=options,
                              hint="An explorative question asks about the other person's journey."))
    return AssignmentTask(
        id="choose-explorative",
        title="Explorative, not transactional",
        instructions="For each question, pick the question that explores the other person's journey.",
        prompts=tuple(prompts),
        success="Those questions turn a contact into a conversation.",
    )


# ---------------------------------------------------------------- lesson 4: paying for it


# Our own expense lines from a sample trip, by cost id.
TRIP_EXPENSES: tuple[tuple[str, str], ...] = (
    ("ticket", "Student registration for the national conference: $150"),
    ("travel", "Return flight to the host city: $320"),
    ("lodging", "Two nights in a shared hotel room: $180"),
    ("food", "Meals not covered by the conference: $60"),
    ("other", "Printing your research poster and a shuttle from the airport: $45"),
)


def sort_trip_costs(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(
        content.costs, TRIP_EXPENSES, "costs", "expense", lambda c: c.wording,
        id="sort-costs",
        title="Budget a trip",
        instructions="Put each expense of this sample trip under the kind of cost it is.",
        success="Those are the costs to plan for; next, who can help pay them.",
    )


# Our own funding cases, one per route (by id), with a hint that does not name the route.
FUNDING_CASES: tuple[tuple[str, str, str], ...] = (
    ("chapter",
     "Your school's ACOFP student chapter is sending members to the national conference you want to attend.",
     "Who at your school is already going?"),
    ("school-leadership",
     "No club is going, but you are presenting a poster, and your school has an office that supports "
     "students presenting their work.",
     "Think of the people who run your school."),
    ("medical-society",
     "Your county's medical society sends a newsletter that mentions support for students attending "
     "conferences.",
     "This group is local and not tied to one specialty."),
    ("specialty-society",
     "The state chapter of the specialty you love offers financial aid to students from your state.",
     "This group is tied to one specialty, close to home."),
    ("event-scholarship",
     "The conference's own website lists student travel awards, with an application due next month.",
     "Who is offering the money here?"),
)


def choose_funding_route(content: Content | None = None) -> AssignmentTask:
    content = _content(content)
    return _matching_task(
        content.funding_routes, FUNDING_CASES, "funding routes", "case", lambda r: f"asking {r.who}",
        id="choose-funding",
        title="Pick the funding route",
        instructions="For each case, choose the funding route that fits best.",
        success="Remember: you can combine routes, and full or partial cover both help.",
    )


# ---------------------------------------------------------------- lesson 5: review


def review_quiz(content: Content | None = None) -> AssignmentTask:
    """One question per lesson, with options from the data, for the closing lesson."""
    content = _content(content)
    steps = content.etiquette_steps
    national = content.level("national")
    prompts = (
        Prompt("review-level", "You want to meet people from one specialty from all over the country. "
               "Which level of opportunity fits?", national.id, options=level_options(content),
               hint="Think about how far the people come from."),
        Prompt("review-first-step", "Which etiquette step comes first when you meet someone?",
               steps[0].id, options=etiquette_options(content),
               hint="What do you say in the first seconds?"),
        Prompt("review-benefit", "A physician invites you to spend a clinic day with her. Which benefit is that?",
               "shadowing", options=tuple(Option(b.id, b.name, b.wording) for b in content.benefits),
               hint="You would watch her work with patients."),
        Prompt("review-funding", "The event itself offers travel awards to students who apply. Which route is that?",
               "event-scholarship",
               options=tuple(Option(r.id, r.name, f"asking {r.who}") for r in content.funding_routes),
               hint="Who is giving the money?"),
    )
    return AssignmentTask(
        id="review",
        title="Quick review",
        instructions="One question from each lesson.",
        prompts=prompts,
        success="You are ready to make your plan.",
    )




def plan_checklist(content: Content | None = None) -> ChecklistTask:
    """The steps of a personal networking plan, each built from the lesson it draws on."""
    content = _content(content)
    steps = {s.id: s for s in content.etiquette_steps}
    options = [
        Option("event", "Choose a level and one event to attend",
               "levels: " + ", ".join(lv.name for lv in content.levels)),
        *(Option(f"step-{s.id}", f"Etiquette step {s.order}, {s.name.lower()}: prepare it", "; ".join(s.involves))
          for s in steps.values()),
        Option("explore", "Write down questions about their journey",
               " ".join(content.mindset.get("explorative_questions", ()))),
        Option("budget", "Budget the costs", ", ".join(c.name for c in content.costs)),
        Option("funding", "Choose the funding routes you will ask", ", ".join(r.name for r in content.funding_routes)),
        Option("follow-up", "Plan how you will follow up after the event", content.follow_up.get("wording", "")),
    ]
    return ChecklistTask(
        id="plan-checklist",
        title="Your networking plan",
        instructions="Tick each step when it is done. Your plan is ready when every box is ticked.",
        options=tuple(options),
        success="Your plan is complete. Go and meet people!",
        sources=("article", "utah", "hms", "aafp"),
    )


def task_markdown(task: Task) -> str:
    """The task as plain Markdown, for places where widgets cannot render."""
    lines = [f"**{task.title}**", "", task.instructions, ""]
    if isinstance(task, ChecklistTask):
        lines += [f"- [ ] {o.label}" for o in task.options]
        return "\n".join(lines)
    if isinstance(task, SelectTask):
        lines += [f"> {task.text}", ""]
        lines += [f"- [ ] {o.label}" for o in task.options]
        return "\n".join(lines)
    shared = ", ".join(o.label for o in task.options)
    if shared:
        lines += [f"Choices: {shared}.", ""]
    for i, prompt in enumerate(task.prompts, start=1):
        lines.append(f"{i}. {prompt.text}")
        if prompt.options:
            lines += [f"    - {o.label}" for o in prompt.options]
    return "\n".join(lines)


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
