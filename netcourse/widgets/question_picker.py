"""The pitch studio's question picker: search the bank, filter by topic and audience, fill three slots.

:class:`QuestionPicker` owns its controls; the studio tells it the audience (:meth:`QuestionPicker.update`)
and reads the chosen questions (:meth:`QuestionPicker.chosen`). Typing in the draft does not
re-filter the bank: the list only changes when the search, topic, audience or filter changes. Each
prepared question is judged as the coach judges the draft's (:mod:`netcourse.asking`): a favour or a
yes/no question gets its reason and an explorative rewrite under the slots (:attr:`QuestionPicker.checked`).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from netcourse.asking import OPEN, Asking, explain, is_follow_up_request
from netcourse.pitch.parts import MAX_QUESTIONS
from netcourse.questions import COURSE_SOURCE_NOTE, TOPICS, for_audience, search_questions
from netcourse.widgets.render import render


class QuestionPicker:
    """Search box, topic menu, audience filter, matching questions, Add button and the prepared slots."""

    def __init__(self, bank: pd.DataFrame, *, say: Callable[[str, str], None], style: dict[str, str],
                 wide: widgets.Layout, field: Callable[[], widgets.Layout]):
        self._bank = bank
        self._say = say
        self._key: tuple | None = None
        self._ids: tuple[str, ...] = ()
        self.audience = ""
        self.search = widgets.Text(description="Search questions", placeholder="e.g. research, shadowing, residency",
                                   tooltip="Words to look for in the question bank", style=style, layout=field())
        self.topic = widgets.Dropdown(
            options=[("All topics", "")] + [(label, tid) for tid, label in TOPICS.items()],
            value="", description="Topic", tooltip="Show only questions on one topic", style=style, layout=field())
        self.only_audience = widgets.Checkbox(
            value=True, description="Only questions suited to who you are meeting",
            tooltip="Filter the bank by the audience chosen above", indent=False, layout=widgets.Layout(width="auto"))
        self.results = widgets.Select(
            options=[], rows=7, description="Matching questions",
            tooltip="Choose a question, then press Add question (or edit it after adding)", layout=wide, style=style)
        self.count = widgets.Label()
        self.add_button = widgets.Button(
            description="Add question", icon="plus",
            tooltip=f"Copy the chosen question into the first empty slot (up to {MAX_QUESTIONS})")
        self.slots = [
            widgets.Text(description=f"Question {i}", placeholder="Pick from the bank or write your own",
                         tooltip=f"Prepared question {i}; edit it to fit the person, clear it to remove it",
                         layout=wide, style=style)
            for i in range(1, MAX_QUESTIONS + 1)
        ]
        self.checked: tuple[Asking, ...] = ()  # how each prepared question asks, in slot order
        self.advice = widgets.HTML(layout=wide)
        self.add_button.on_click(lambda _b: self.add_selected())
        self.filters = [self.search, self.topic, self.only_audience]
        # Whose questions these are: the course's own, not the AAFP's list the article points to.
        self.source_note = widgets.HTML(f"<small>The question bank: {COURSE_SOURCE_NOTE} "
                                        "These are not the AAFP's own questions.</small>")

    def rows(self) -> list[widgets.Widget]:
        return [widgets.HBox([self.search, self.topic], layout=widgets.Layout(flex_flow="row wrap")),
                self.only_audience, self.source_note, self.results, widgets.HBox([self.add_button, self.count]),
                *self.slots,
                self.advice]

    def update(self, audience: str) -> None:
        """Re-filter the bank for ``audience`` when the filters changed since last time."""
        self.audience = audience
        key = (audience, self.only_audience.value, self.search.value, self.topic.value)
        if key == self._key:
            return
        self._key = key
        pool = for_audience(self._bank, audience) if self.only_audience.value else self._bank
        found = search_questions(pool, self.search.value, topics=self.topic.value or None)
        ids = tuple(found["id"])
        if ids != self._ids:
            self._ids = ids
            self.results.options = [(q, i) for q, i in zip(found["question"], found["id"], strict=True)]
        n = len(ids)
        self.count.value = f"{n} matching question{'s' if n != 1 else ''}"

    def show_advice(self) -> None:
        """Judge the prepared questions; the ones that ask a favour or for a yes or no get advice."""
        checked = tuple(explain(q) for q in self.chosen())
        if checked != self.checked or not self.advice.value:
            self.checked = checked
            self.advice.value = render("pitch.html", "prepared", flagged=self.flagged())

    def flagged(self) -> tuple[Asking, ...]:
        return tuple(c for c in self.checked if c.kind != OPEN and not is_follow_up_request(c.text))

    def chosen(self) -> tuple[str, ...]:
        """The prepared questions, in slot order, without empty slots."""
        return tuple(s.value.strip() for s in self.slots if s.value.strip())

    def fill(self, questions: list[str]) -> None:
        for slot, text in zip(self.slots, questions + [""] * (MAX_QUESTIONS - len(questions)), strict=True):
            slot.value = text

    def add_selected(self) -> None:
        """Copy the chosen question into the first empty slot, or say why not."""
        qid = self.results.value
        if qid is None:
            self._say("Choose a question in the list first.", "tip")
            return
        wording = str(self._bank.loc[self._bank["id"] == qid, "question"].iloc[0])
        if wording in self.chosen():
            self._say("That question is already in your list.", "tip")
            return
        for slot in self.slots:
            if not slot.value.strip():
                slot.value = wording
                self._say(f"Added: {wording}", "info")
                return
        self._say(f"You already have {MAX_QUESTIONS} questions; clear one of them to add another.", "error")
