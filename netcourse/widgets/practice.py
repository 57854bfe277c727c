"""Practice widgets: a task from :mod:`netcourse.practice` with Check, Reset and instant feedback.

Each class takes a task, builds its controls in small ``_create_*`` methods, sends every
change through one update path (``_show``) and exposes ``.container``. Every control has
a description (what a screen reader announces) and a tooltip with the full item text.
Displayed in a notebook, an exercise also offers a Markdown version of its question, which
front ends without a widget manager show instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from netcourse.content import load_content
from netcourse.practice import (
    CHOOSE,
    AssignmentTask,
    ChecklistTask,
    Feedback,
    Prompt,
    SelectTask,
    Task,
    task_markdown,
)
from netcourse.widgets.alerts import ERROR_COLOUR, SUCCESS_COLOUR
from netcourse.widgets.render import render

_MARK = {True: ("✓", "right", SUCCESS_COLOUR), False: ("✗", "look again", ERROR_COLOUR), None: ("", "", "")}
PROGRESS_COLOUR = "#0969da"


def _mark_html(mark: bool | None) -> str:
    symbol, label, colour = _MARK[mark]
    return render("practice.html", "mark", symbol=symbol, label=label, colour=colour)


def feedback_html(feedback: Feedback | None, progress: bool = False) -> str:
    """The feedback area's HTML: the message and any hints, all escaped.

    ``progress`` shows an unfinished checklist as a neutral step forward, not as a mistake.
    """
    if feedback is None:
        return ""
    symbol, _, colour = _MARK[feedback.correct]
    if progress and not feedback.correct:
        symbol, colour = "→", PROGRESS_COLOUR
    return render("practice.html", "feedback", symbol=symbol, colour=colour, message=feedback.message,
                  hints=feedback.hints, notes=feedback.notes)


class _Exercise:
    """Shared parts: title, instructions, Check/Reset buttons, feedback area, Markdown fallback."""

    task: Task
    progress = False  # True for checklists: "not done yet" is not an error

    def __init__(self, task: Task):
        self.task = task
        self.last_feedback: Feedback | None = None
        self._updating = False
        self._create_header()
        self._create_inputs()
        self._create_buttons()
        self._create_feedback()
        self.container = widgets.VBox(
            [self.header, *self._input_rows(), self.buttons, self.feedback],
            layout=widgets.Layout(border="1px solid #d0d7de", padding="8px", margin="8px 0"),
        )

    # -- building
    def _create_header(self) -> None:
        sources = load_content().sources
        based_on = "; ".join(sources[sid].short for sid in self.task.sources if sid in sources)
        self.header = widgets.HTML(render("practice.html", "header", title=self.task.title,
                                          instructions=self.task.instructions, based_on=based_on))

    def _create_inputs(self) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def _input_rows(self) -> list[widgets.Widget]:  # pragma: no cover
        raise NotImplementedError

    def _create_buttons(self) -> None:
        self.check_button = widgets.Button(
            description="Check", button_style="primary", icon="check", tooltip="Check your answers"
        )
        self.reset_button = widgets.Button(
            description="Reset", icon="undo", tooltip="Clear your answers and start again"
        )
        self.check_button.on_click(lambda _button: self.check())
        self.reset_button.on_click(lambda _button: self.reset())
        self.buttons = widgets.HBox([self.check_button, self.reset_button])

    def _create_feedback(self) -> None:
        self.feedback = widgets.HTML("")

    # -- behaviour
    def check(self) -> Feedback:
        feedback = self.task.check(self.answers())
        self._show(feedback)
        return feedback

    def reset(self) -> None:
        self._updating = True
        try:
            self._clear_inputs()
        finally:
            self._updating = False
        self._show(None)

    def _on_answer_change(self, _change: dict) -> None:
        # An old verdict would describe answers that are no longer there.
        if not self._updating and self.last_feedback is not None:
            self._show(None)

    def _show(self, feedback: Feedback | None) -> None:
        """The one update path: remember the verdict, draw marks and the feedback area."""
        self.last_feedback = feedback
        marks = feedback.marks if feedback is not None else {}
        for key, mark_widget in self.marks.items():
            mark_widget.value = _mark_html(marks.get(key))
        self.feedback.value = feedback_html(feedback, progress=self.progress)

    # -- display
    def _repr_mimebundle_(self, **kwargs):
        bundle = self.container._repr_mimebundle_(**kwargs)
        text = task_markdown(self.task)
        bundle["text/markdown"] = text
        bundle["text/plain"] = text
        return bundle

    def answers(self):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def _clear_inputs(self) -> None:  # pragma: no cover
        raise NotImplementedError


class _AssignmentExercise(_Exercise):
    """One control per prompt, each holding one option id (or None)."""

    task: AssignmentTask

    def __init__(self, task: AssignmentTask, noun: str = "Answer"):
        if not isinstance(task, AssignmentTask):
            raise TypeError(f"{type(self).__name__} needs an AssignmentTask, got {type(task).__name__}")
        self.noun = noun
        super().__init__(task)

    def _create_inputs(self) -> None:
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.marks: dict[str, widgets.HTML] = {}
        for number, prompt in enumerate(self.task.prompts, start=1):
            control = self._create_control(number, prompt)
            control.observe(self._on_answer_change, names="value")
            self.controls[prompt.id] = control
            self.marks[prompt.id] = widgets.HTML("", layout=widgets.Layout(width="2em"))

    def _choices(self, prompt: Prompt) -> list[tuple[str, str | None]]:
        return [(opt.label, opt.id) for opt in self.task.options_for(prompt)]

    def _create_control(self, number: int, prompt: Prompt) -> widgets.ValueWidget:
        return widgets.Dropdown(
            # "" rather than None: a Dropdown shows nothing at all when its value is None.
            options=[(CHOOSE, ""), *self._choices(prompt)],
            value="",
            description=f"{self.noun} for {number}",
            style={"description_width": "initial"},
            tooltip=prompt.text,
            layout=widgets.Layout(width="30em"),
        )

    def _prompt_html(self, number: int, prompt: Prompt) -> widgets.HTML:
        return widgets.HTML(render("practice.html", "prompt", number=number, text=prompt.text))

    def _input_rows(self) -> list[widgets.Widget]:
        rows = []
        for number, prompt in enumerate(self.task.prompts, start=1):
            text = self._prompt_html(number, prompt)
            text.layout = widgets.Layout(width="50%")
            rows.append(widgets.HBox([text, self.controls[prompt.id], self.marks[prompt.id]],
                                     layout=widgets.Layout(align_items="center")))
        return rows

    def answers(self) -> dict[str, str | None]:
        return {pid: control.value or None for pid, control in self.controls.items()}

    def _clear_inputs(self) -> None:
        for control in self.controls.values():
            control.value = "" if isinstance(control, widgets.Dropdown) else None


class SortingExercise(_AssignmentExercise):
    """Sort short items into shared categories: item text on the left, a category menu on the right."""


class MatchingExercise(_AssignmentExercise):
    """Match longer situations to options: the situation as a paragraph, the menu below it."""

    def _input_rows(self) -> list[widgets.Widget]:
        rows = []
        for number, prompt in enumerate(self.task.prompts, start=1):
            rows.append(widgets.VBox([
                self._prompt_html(number, prompt),
                widgets.HBox([self.controls[prompt.id], self.marks[prompt.id]],
                             layout=widgets.Layout(align_items="center")),
            ], layout=widgets.Layout(margin="0 0 6px 0")))
        return rows


class ChoiceExercise(MatchingExercise):
    """Questions or cases, each answered by picking one of its options from radio buttons.

    The ✓ or ✗ is drawn right after the label of the option the student chose (a CSS class on
    the radio group names the option and the verdict), so it can never sit beside another one.
    :attr:`drawn` says, per prompt, which option carries a mark and whether it is ✓ (True) or ✗.
    """

    def _create_header(self) -> None:
        super()._create_header()
        longest = max(len(self.task.options_for(p)) for p in self.task.prompts)
        self.header.value += render("practice.html", "choice_style", count=longest, right=SUCCESS_COLOUR,
                                    wrong=ERROR_COLOUR)

    def _create_inputs(self) -> None:
        super()._create_inputs()
        self.marks = {}  # no column of marks: the mark goes on the chosen option itself
        self.drawn: dict[str, tuple[str, bool] | None] = {pid: None for pid in self.controls}

    def _create_control(self, number: int, prompt: Prompt) -> widgets.ValueWidget:
        control = widgets.RadioButtons(
            options=self._choices(prompt),
            value=None,
            description=f"{self.noun} for {number}",
            style={"description_width": "initial"},
            tooltip=prompt.text,
            layout=widgets.Layout(width="auto"),
        )
        control.add_class("nc-choice")
        return control

    def _show(self, feedback: Feedback | None) -> None:
        super()._show(feedback)
        marks = feedback.marks if feedback is not None else {}
        for prompt in self.task.prompts:
            control = self.controls[prompt.id]
            for name in list(control._dom_classes):
                if name.startswith("nc-mark-") or name in ("nc-right", "nc-wrong"):
                    control.remove_class(name)
            mark = marks.get(prompt.id)
            if mark is None or control.value is None:
                self.drawn[prompt.id] = None
                continue
            position = [o.id for o in self.task.options_for(prompt)].index(control.value) + 1
            control.add_class(f"nc-mark-{position}")
            control.add_class("nc-right" if mark else "nc-wrong")
            self.drawn[prompt.id] = (control.value, mark)

    def _input_rows(self) -> list[widgets.Widget]:
        return [widgets.VBox([self._prompt_html(number, prompt), self.controls[prompt.id]],
                             layout=widgets.Layout(margin="0 0 6px 0"))
                for number, prompt in enumerate(self.task.prompts, start=1)]


class _CheckboxExercise(_Exercise):
    """One checkbox per option; the answer is the set of ticked option ids."""

    def _use_boxes(self, boxes: dict[str, widgets.Checkbox]) -> None:
        self.controls = boxes
        self.marks: dict[str, widgets.HTML] = {}
        for oid, box in boxes.items():
            box.observe(self._on_answer_change, names="value")
            self.marks[oid] = widgets.HTML("", layout=widgets.Layout(width="2em"))

    def _box_rows(self) -> list[widgets.Widget]:
        return [widgets.HBox([box, self.marks[oid]], layout=widgets.Layout(align_items="center"))
                for oid, box in self.controls.items()]

    def answers(self) -> set[str]:
        return {oid for oid, box in self.controls.items() if box.value}

    def _clear_inputs(self) -> None:
        for box in self.controls.values():
            box.value = False


class SpotMissingExercise(_CheckboxExercise):
    """A text to read and a checkbox per part; tick the parts the text is missing."""

    task: SelectTask

    def __init__(self, task: SelectTask):
        if not isinstance(task, SelectTask):
            raise TypeError(f"SpotMissingExercise needs a SelectTask, got {type(task).__name__}")
        super().__init__(task)

    def _create_inputs(self) -> None:
        self.text = widgets.HTML(render("practice.html", "quote", text=self.task.text))
        self._use_boxes({
            option.id: widgets.Checkbox(value=False, description=f"Missing: {option.label}", indent=False,
                                        tooltip=f"Tick if the introduction is missing {option.label}",
                                        layout=widgets.Layout(width="auto"))
            for option in self.task.options
        })

    def _input_rows(self) -> list[widgets.Widget]:
        return [self.text, *self._box_rows()]


class Checklist(_CheckboxExercise):
    """Tick steps as you do them; Check says how far you are and what comes next."""

    task: ChecklistTask
    progress = True

    def __init__(self, task: ChecklistTask):
        if not isinstance(task, ChecklistTask):
            raise TypeError(f"Checklist needs a ChecklistTask, got {type(task).__name__}")
        super().__init__(task)
        self.check_button.description = "How am I doing?"
        self.check_button.layout.width = "auto"  # the default 148 px cuts the words off
        self.check_button.tooltip = "Count the steps you have ticked"

    def _create_inputs(self) -> None:
        self._use_boxes({
            option.id: widgets.Checkbox(value=False, description=option.label, indent=False,
                                        tooltip=option.about or option.label, layout=widgets.Layout(width="auto"))
            for option in self.task.options
        })

    def _input_rows(self) -> list[widgets.Widget]:
        return self._box_rows()


def exercise_for(task: Task, noun: str = "Answer") -> _Exercise:
    """The usual widget for ``task``: menus for sorting/matching, radio buttons for own-option questions."""
    if isinstance(task, SelectTask):
        return SpotMissingExercise(task)
    if isinstance(task, ChecklistTask):
        return Checklist(task)
    if all(prompt.options for prompt in task.prompts):
        return ChoiceExercise(task, noun=noun)
    if max(len(prompt.text) for prompt in task.prompts) > 90:
        return MatchingExercise(task, noun=noun)
    return SortingExercise(task, noun=noun)


class ExerciseGroup:
    """Several exercises shown together (e.g. one per sample introduction), each checked on its own."""

    def __init__(self, exercises: Sequence[_Exercise]):
        if not exercises:
            raise ValueError("an exercise group needs at least one exercise")
        self.exercises = list(exercises)
        self.container = widgets.VBox([exercise.container for exercise in self.exercises])

    def __getitem__(self, index: int) -> _Exercise:
        return self.exercises[index]

    def __len__(self) -> int:
        return len(self.exercises)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.container._repr_mimebundle_(**kwargs)
        text = "\n\n".join(task_markdown(exercise.task) for exercise in self.exercises)
        bundle["text/markdown"] = text
        bundle["text/plain"] = text
        return bundle
