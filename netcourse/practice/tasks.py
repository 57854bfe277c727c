"""The two shapes of practice task, with answer checking and feedback that hints without telling.

* :class:`AssignmentTask` -- each prompt gets exactly one option. Sorting examples into
  levels, matching situations to benefits and choosing a funding route for a case are all
  this shape; only the widget that presents them differs.
* :class:`SelectTask` -- tick every option that applies, e.g. the parts an introduction
  is missing.
* :class:`ChecklistTask` -- steps to tick off, with the next step named.

``check`` returns :class:`Feedback`: whether the answer is right, a message, a hint for each
wrong answer that adds something to think about without giving the answer away, and a note
for each right answer saying why it is right. Items are named by their number (the widget
shows the same numbers), so a hint never has to cut a long text short. Nothing here imports
ipywidgets; :mod:`netcourse.widgets.practice` presents these tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CHOOSE = "— choose —"


@dataclass(frozen=True)
class Option:
    """One answer a student can pick.

    ``about`` says what the option means in words other than its label (shown when it was chosen
    wrongly); ``explanation``, for a question's own options, says why this option is or is not
    the one to pick (shown whenever it is chosen).
    """

    id: str
    label: str
    about: str = ""
    explanation: str = ""
    kind: str = ""  # what sort of choice it is, when a task sorts them (e.g. "topic-switch")


@dataclass(frozen=True)
class Prompt:
    """One thing to sort, match or answer. ``options`` overrides the task's shared options.

    ``hint`` is added to the feedback on a wrong answer, ``explanation`` (why the answer is right)
    to the feedback on a right one; ``accept`` lists other answers that are right as well (when
    the article's own categories overlap).
    """

    id: str
    text: str
    answer: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    explanation: str = ""
    accept: tuple[str, ...] = ()

    def accepts(self, option_id: str) -> bool:
        return option_id == self.answer or option_id in self.accept


@dataclass(frozen=True)
class Feedback:
    """The result of checking: ``correct``, a ``message`` for the student, per-prompt marks.

    ``marks`` maps each prompt (or option, for a :class:`SelectTask`) to True (right),
    False (wrong) or None (not answered or not marked). ``hints`` are lines of advice that
    go under the message, one per thing to look at again; ``notes`` say why the right answers
    are right, one per right answer.
    """

    correct: bool
    message: str
    marks: Mapping[str, bool | None] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


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
            for answer in (prompt.answer, *prompt.accept):
                if answer not in known:
                    raise ValueError(f"task {self.id!r}, prompt {prompt.id!r}: answer {answer!r} not in {known}")

    def options_for(self, prompt: Prompt) -> tuple[Option, ...]:
        return prompt.options or self.options

    def option(self, prompt: Prompt, option_id: str) -> Option | None:
        for opt in self.options_for(prompt):
            if opt.id == option_id:
                return opt
        return None

    def check(self, answers: Mapping[str, str | None]) -> Feedback:
        """Check ``answers`` (prompt id -> option id or None): why the right ones are right, and
        what to think about for the wrong ones."""
        marks: dict[str, bool | None] = {}
        hints: list[str] = []
        notes: list[str] = []
        for number, prompt in enumerate(self.prompts, start=1):
            given = answers.get(prompt.id)
            if given is None or given == "":
                marks[prompt.id] = None
                continue
            chosen = self.option(prompt, given)
            if chosen is None:
                marks[prompt.id] = False
                hints.append(f"{number}. “{given}” is not one of the choices.")
                continue
            right = prompt.accepts(chosen.id)
            marks[prompt.id] = right
            if right:
                note = _sentences(chosen.explanation or prompt.explanation)
                if note:
                    notes.append(f"{number}. {note}")
            else:
                hints.append(_wrong_hint(number, prompt, chosen))
        missing = sum(1 for m in marks.values() if m is None)
        total = len(self.prompts)
        if missing == total:
            return Feedback(False, f"Choose an answer for each of the {total} items, then press Check.", marks)
        n_right = sum(1 for m in marks.values() if m)
        if n_right == total:
            message = f"Correct! All {total} right." + (f" {self.success}" if self.success else "")
            return Feedback(True, message, marks, (), tuple(notes))
        parts = [f"{n_right} of {total} right."]
        if missing:
            parts.append(f"{missing} still without an answer.")
        if hints:
            parts.append("Look again at the ones marked ✗:")
        return Feedback(False, " ".join(parts), marks, tuple(hints), tuple(notes))

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
    explanation: str = ""  # why exactly these options are the answer, shown when it is found

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
            return Feedback(True, message, marks, (), (_sentences(self.explanation),) if self.explanation else ())
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


def _sentences(*parts: str) -> str:
    """Parts joined as sentences: each ends with one stop (never "..") and empty parts drop out."""
    out = []
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        part = part.rstrip(" .")
        out.append(part if part.endswith(("?", "!", "?”", "!”", ".”")) else part + ".")
    return " ".join(out)


def _wrong_hint(number: int, prompt: Prompt, chosen: Option) -> str:
    if chosen.explanation:  # a question's own choice, with why it is not the one
        return f"{number}. " + _sentences(chosen.explanation, prompt.hint)
    meaning = f"Not “{chosen.label}”" + (f", which is {chosen.about.rstrip(' .')}" if chosen.about else "")
    return f"{number}. " + _sentences(meaning, prompt.hint)


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
