"""Pitch studio: write, check, tailor, rehearse and keep an introduction for a networking event.

An app class over :mod:`netcourse.pitch` and :mod:`netcourse.questions`. Widgets are built in small
``_create_*`` methods; every change goes through :meth:`PitchStudio._update`, which builds the
draft once, analyses it once and keeps the results (:attr:`~PitchStudio.report`,
:attr:`~PitchStudio.tailoring`, :attr:`~PitchStudio.conversation`) for the panels
(:mod:`netcourse.widgets.pitch_views`). The question picker, the rehearsal timer and the file bar
are components of their own. ``.container`` is the whole app, and the object displays itself, so a
lesson cell can end with ``PitchStudio()`` and Voila can serve the same class as a page. Drafts are
saved as JSON in ``work_dir()/pitches`` (format: :mod:`netcourse.pitch.drafts`), each with its
earlier versions (:mod:`netcourse.widgets.pitch_files`). The target length follows the audience
chosen (a physician: 30 s) until the student picks another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from netcourse.content import load_content
from netcourse.pitch import drafts
from netcourse.pitch.analysis import PitchReport, analyse
from netcourse.pitch.audiences import get_audience, load_audiences
from netcourse.pitch.drafts import target_for
from netcourse.pitch.export import ExportBundle, to_markdown, to_plain_text
from netcourse.pitch.parts import PARTS, Pitch
from netcourse.pitch.plan import ConversationPlan, follow_up_message, plan_conversation
from netcourse.pitch.tailoring import Tailoring, tailor
from netcourse.pitch.text import DEFAULT_PACE_WPM, MAX_PACE_WPM, MIN_PACE_WPM, TARGET_CHOICES
from netcourse.questions import load_questions
from netcourse.storage import tool_dir
from netcourse.widgets import pitch_views as views
from netcourse.widgets.file_bar import Export
from netcourse.widgets.pitch_files import WORDING, DraftFiles
from netcourse.widgets.question_picker import QuestionPicker
from netcourse.widgets.rehearsal import Rehearsal, Script

_WIDE = widgets.Layout(width="98%")
# Wide enough for the longest part label ("Greeting, name, year and school") without cutting it.
_LABEL_STYLE = {"description_width": "19em"}
# Not part of what was written: a draft renamed or re-saved is not an unsaved change.
_NOT_CONTENT = ("name", "format", "saved_at", "history")
# Text areas with their label above, so the box gets the column's whole width (a 130-word draft fits).
_STACKED = {"description_width": "auto"}


def _field() -> widgets.Layout:
    # A 19em label plus room to read the value; each control gets its own Layout object.
    return widgets.Layout(width="37em", max_width="98%")


def _text(description: str, placeholder: str, tooltip: str) -> widgets.Text:
    return widgets.Text(
        description=description, placeholder=placeholder, tooltip=tooltip, style=_LABEL_STYLE, layout=_field()
    )


def _textarea(description: str, placeholder: str, tooltip: str, *, rows: int) -> widgets.Textarea:
    return widgets.Textarea(
        description=description, placeholder=placeholder, tooltip=tooltip, rows=rows, style=_STACKED,
        layout=widgets.Layout(width="98%", flex_flow="column", align_items="stretch"),
    )


class PitchStudio:
    """Write an introduction part by part or as a free draft and get live feedback.

    ``folder`` is the student's working folder (default :func:`netcourse.storage.work_dir`);
    ``clock`` returns seconds (``time.monotonic``), injectable so tests can drive the rehearsal
    timer; ``bank`` is the question bank (default :func:`netcourse.questions.load_questions`).
    """

    def __init__(
        self,
        folder: Path | str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        bank: pd.DataFrame | None = None,
        audience: str = drafts.DEFAULT_AUDIENCE,
        pace_wpm: int = DEFAULT_PACE_WPM,
        target_seconds: int | None = None,
    ):
        self._audiences = load_audiences()
        self._content = load_content()
        self.report: PitchReport | None = None
        self.tailoring: Tailoring | None = None
        self.conversation: ConversationPlan | None = None
        self._draft: str | Pitch = ""
        self._applying = False

        self.header = widgets.HTML(views.header_html(self._content))
        self._create_audience(audience)
        self._create_writing(pace_wpm, target_for(self.audience.value) if target_seconds is None else target_seconds)
        self.summary_line = ""  # what the summary says, as text
        self.summary = widgets.HTML(value="", layout=_WIDE)
        self.feedback = widgets.HTML(value="", layout=_WIDE)
        self._create_questions(load_questions() if bank is None else bank)
        self._create_plan()
        self.rehearsal = Rehearsal(self._script, clock, _WIDE)
        self.rehearse, self.rehearse_panel = self.rehearsal.button, self.rehearsal.panel
        self._create_files(folder)
        self._create_layout()
        self._observe()
        self._update()
        self.files.mark_clean()

    # ------------------------------------------------------------------ building

    def _create_writing(self, pace_wpm: int, target_seconds: int) -> None:
        self.mode = widgets.ToggleButtons(
            options=[("Part by part", "parts"), ("Free draft", "free")],
            value="parts",
            description="Write",
            tooltip="Write each part in its own box, or the whole introduction as one free draft",
            tooltips=["One box per part of the introduction", "One box for the whole introduction"],
        )
        self.parts: dict[str, widgets.Textarea] = {
            spec.id: _textarea(spec.label, spec.prompt, f"{spec.label}: {spec.hint}", rows=2) for spec in PARTS
        }
        self.parts_box = widgets.VBox(list(self.parts.values()))
        self.draft = _textarea(
            "Free draft",
            "Hi, I'm ... a second-year medical student at ... Before medical school I ... "
            "I came to this session because ... I'm hoping to ... How did you ...?",
            "Write the whole introduction here; the studio finds the parts from cue phrases",
            rows=12,
        )
        self.draft_box = widgets.VBox([self.draft])
        # A number box, not a slider: its label names it for screen readers, and arrow keys step it.
        self.pace = widgets.BoundedIntText(
            value=pace_wpm, min=MIN_PACE_WPM, max=MAX_PACE_WPM, step=5, description="Speaking pace (words/min)",
            tooltip="Words a minute you speak at; about 130 is a calm conversational pace", style=_LABEL_STYLE,
            layout=_field(),
        )
        self.target = widgets.Dropdown(
            options=self._target_options(target_seconds), value=target_seconds, description="Target length",
            tooltip="How long the introduction should take to say; it follows who you are meeting",
            style=_LABEL_STYLE, layout=_field(),
        )

    @staticmethod
    def _target_options(*extra: int) -> list[tuple[str, int]]:
        return [(f"{t} seconds", t) for t in sorted(set(TARGET_CHOICES) | set(extra))]

    def _create_audience(self, audience: str) -> None:
        ids = [a.id for a in self._audiences]
        self.audience = widgets.Dropdown(
            options=[(a.name, a.id) for a in self._audiences],
            value=audience if audience in ids else ids[0],
            description="Who you are meeting",
            tooltip="Tailor the introduction to the person you will meet (Harvard: identify your audience)",
            style=_LABEL_STYLE,
            layout=_field(),
        )
        self.audience_panel = widgets.HTML(layout=_WIDE)

    def _create_questions(self, bank: pd.DataFrame) -> None:
        self.questions = QuestionPicker(bank, say=lambda text, level: self.files.say(text, level),
                                        style=_LABEL_STYLE, wide=_WIDE, field=_field)
        # The names lessons, tests and the browser checks use.
        q = self.questions
        self.search, self.topic, self.only_audience, self.results = q.search, q.topic, q.only_audience, q.results
        self.results_count, self.add_question, self.question_slots = q.count, q.add_button, q.slots

    def _create_plan(self) -> None:
        self.person = _text("Person", "e.g. Dr. Rivera, emergency physician", "The person you plan to talk to")
        self.event = _text("Event", "e.g. the county medical society mixer", "Where you will meet them")
        self.notes = _textarea(
            "Listening notes",
            "During or right after the talk: what they told you, names, advice, next steps",
            "Active listening: note what you learned about the person and their field",
            rows=3,
        )
        self.follow_up = _textarea(
            "Follow-up message",
            "Press 'Draft follow-up' for a starting point, then make it yours",
            "A short thank-you message to keep the relationship after the event",
            rows=9,
        )
        self.draft_follow_up = widgets.Button(
            description="Draft follow-up",
            tooltip="Fill the follow-up message from your goal, the person, the event and your notes",
            icon="envelope",
        )
        self.plan_panel = widgets.HTML(layout=_WIDE)

    def _create_files(self, folder: Path | str | None) -> None:
        self.files = DraftFiles(
            tool_dir("pitches", folder), WORDING,
            state=self.state,
            show=self._apply_state,
            details=lambda: {"name": self.name.value},
            comparable=lambda data: {k: v for k, v in data.items() if k not in _NOT_CONTENT},
            exports=(Export("Export", "download", "Write this draft as Markdown and plain text files",
                            self._export_files, subfolder="exports"),),
            style=_LABEL_STYLE, layout=_field,
        )
        self.folder = self.files.folder.parent
        # The names lessons, tests and the browser checks use.
        self.name, self.saved, self.status = self.files.name, self.files.saved, self.files.status
        self.save_button, self.load_button = self.files.save_button, self.files.load_button
        (self.export_button,) = self.files.export_buttons
        self.history_panel = self.files.history_panel

    def _section(self, title: str, *children: widgets.Widget) -> widgets.VBox:
        return widgets.VBox([widgets.HTML(views.section_html(title)), *children], layout=widgets.Layout(width="100%"))

    def _create_layout(self) -> None:
        column = widgets.Layout(flex="1 1 420px", min_width="320px", padding="0 0.5em")
        write = widgets.VBox([self.mode, self.parts_box, self.draft_box, self.pace, self.target], layout=column)
        feedback = widgets.VBox([widgets.HTML("<h4>Feedback</h4>"), self.summary, self.feedback], layout=column)
        self.container = widgets.VBox([
            self.header,
            self._section("1. Write", widgets.HBox([write, feedback], layout=widgets.Layout(flex_flow="row wrap"))),
            self._section("2. Your audience", self.audience, self.audience_panel),
            self._section("3. Prepared questions", *self.questions.rows()),
            self._section(
                "4. Conversation plan and follow-up",
                widgets.HBox([self.person, self.event], layout=widgets.Layout(flex_flow="row wrap")),
                self.notes, self.plan_panel, self.draft_follow_up, self.follow_up,
            ),
            self._section("5. Rehearse", self.rehearse, self.rehearse_panel),
            self._section("6. Save and export", self.files.container, self.history_panel),
        ])

    def _observe(self) -> None:
        watched = [*self.parts.values(), self.draft, self.mode, self.pace, self.target,
                   *self.questions.filters, *self.question_slots, self.person, self.event, self.notes]
        for widget in watched:
            widget.observe(self._on_change, names="value")
        self.audience.observe(self._on_audience, names="value")
        self.draft_follow_up.on_click(lambda _b: self.fill_follow_up())

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.container._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ the one update path

    def _on_change(self, _change: dict) -> None:
        if not self._applying:  # a load sets many values; update once at the end
            self._update()

    def _on_audience(self, change: dict) -> None:
        """A new audience brings its target length (a load restores the saved target instead)."""
        if self._applying:
            return
        self._applying = True
        try:
            self._set_target(target_for(change["new"]))
        finally:
            self._applying = False
        self._update()

    def _set_target(self, seconds: int) -> None:
        if seconds not in [v for _label, v in self.target.options]:
            self.target.options = self._target_options(*[v for _l, v in self.target.options], seconds)
        self.target.value = seconds

    def current_draft(self) -> str | Pitch:
        """The draft being written: a :class:`~netcourse.pitch.parts.Pitch` in part mode, else the free text."""
        if self.mode.value == "parts":
            return Pitch(**{pid: area.value for pid, area in self.parts.items()})
        return self.draft.value

    def _update(self) -> None:
        parts_mode = self.mode.value == "parts"
        self.parts_box.layout.display = None if parts_mode else "none"
        self.draft_box.layout.display = "none" if parts_mode else None
        draft = self.current_draft()  # built once per change, used by every panel below
        try:
            report = analyse(draft, pace_wpm=self.pace.value, target_seconds=self.target.value)
        except ValueError as exc:  # cannot happen from the controls; a clear message if it ever does
            self.files.say(str(exc), "error")
            return
        self._draft, self.report = draft, report
        self.tailoring = tailor(draft, self.audience.value, pace_wpm=self.pace.value, report=report)
        self.conversation = self.plan(report, draft)
        self.summary_line = views.summary_text(report)
        self.summary.value = views.summary_html(report)
        self.feedback.value = views.feedback_html(report)
        self.audience_panel.value = views.audience_html(self.tailoring)
        self.questions.update(self.audience.value)
        self.questions.show_advice()
        self.plan_panel.value = views.plan_html(self.conversation)
        self.rehearsal.show_idle()

    def chosen_questions(self) -> tuple[str, ...]:
        return self.questions.chosen()

    def plan(self, report: PitchReport | None = None, draft: str | Pitch | None = None) -> ConversationPlan:
        """The conversation plan from the draft (the current one by default), questions, person, event and notes."""
        return plan_conversation(
            self.current_draft() if draft is None else draft,
            audience_id=self.audience.value,
            person=self.person.value,
            event=self.event.value,
            questions=self.chosen_questions(),
            listening_notes=self.notes.value,
            follow_up=self.follow_up.value,
            report=report,
        )

    # ------------------------------------------------------------------ actions

    def add_selected_question(self) -> None:
        self.questions.add_selected()

    def fill_follow_up(self) -> None:
        report = self.report or analyse(self.current_draft())
        self.follow_up.value = follow_up_message(
            person=self.person.value,
            event=self.event.value,
            student_name=report.name,
            goal=" ".join(report.evidence_for("goal")),
            notes=self.notes.value,
        )
        self._update()

    def _script(self) -> Script:
        report = self.report
        draft = self._draft
        return Script(
            words=report.word_count if report else 0,
            pace_wpm=self.pace.value,
            target_seconds=self.target.value,
            expected_seconds=report.seconds if report else 0.0,
            spoken=lambda: draft.text() if isinstance(draft, Pitch) else draft,
        )

    def tick(self) -> None:
        """Show the rehearsal's time so far and where, at the chosen pace, the reader should be."""
        self.rehearsal.tick()

    @property
    def rehearsal_result(self) -> dict[str, float] | None:
        return self.rehearsal.result

    # ------------------------------------------------------------------ files

    @property
    def pitches_dir(self) -> Path:
        return self.files.folder

    @property
    def exports_dir(self) -> Path:
        return self.files.folder / "exports"

    def state(self) -> dict[str, Any]:
        """Everything the student wrote or chose, as saved to JSON."""
        return {
            "format": drafts.DRAFT_FORMAT,
            "name": self.name.value,
            "mode": self.mode.value,
            "parts": {pid: area.value for pid, area in self.parts.items()},
            "draft": self.draft.value,
            "pace_wpm": self.pace.value,
            "target_seconds": self.target.value,
            "audience": self.audience.value,
            "person": self.person.value,
            "event": self.event.value,
            "questions": [s.value for s in self.question_slots],
            "listening_notes": self.notes.value,
            "follow_up": self.follow_up.value,
        }

    def refresh_drafts(self, select: str | None = None) -> None:
        """List saved drafts by file name; a damaged file still lists (loading it explains the problem)."""
        self.files.refresh(select)

    def save(self, name: str | None = None) -> Path | None:
        """Save the draft as ``pitches/<safe name>.json``; returns the path, or None with a message."""
        if name is not None:
            self.name.value = name
        return self.files.save()

    def load(self, filename: str | None = None) -> Path | None:
        """Load a saved draft (the chosen one by default); a damaged file gives a message and changes nothing."""
        return self.files.load(filename)

    def _apply_state(self, state: dict[str, Any]) -> None:
        self._applying = True
        try:
            self.name.value = state["name"] or self.name.value  # a draft saved without a name keeps its file's
            self.mode.value = state["mode"]
            for pid, area in self.parts.items():
                area.value = state["parts"][pid]
            self.draft.value = state["draft"]
            self.pace.value = state["pace_wpm"]
            if state["audience"] in [a.id for a in self._audiences]:
                self.audience.value = state["audience"]
            self._set_target(state["target_seconds"])
            self.person.value = state["person"]
            self.event.value = state["event"]
            self.questions.fill(state["questions"])
            self.notes.value = state["listening_notes"]
            self.follow_up.value = state["follow_up"]
        finally:
            self._applying = False
        self._update()

    def _export_files(self) -> dict[str, str]:
        draft = self.current_draft()
        report = analyse(draft, pace_wpm=self.pace.value, target_seconds=self.target.value)
        parts = tuple((spec.label, draft.part(spec.id).strip()) for spec in PARTS) if isinstance(draft, Pitch) else ()
        bundle = ExportBundle(
            title=f"My introduction: {self.name.value.strip() or 'untitled'}",
            pitch_text=draft.text() if isinstance(draft, Pitch) else draft.strip(),
            report=report,
            parts=parts,
            audience=get_audience(self.audience.value).name,
            plan=self.plan(report, draft),
            sources=tuple(self._content.cite(s) for s in ("article", "utah", "hms", "aafp")),
        )
        return {".md": to_markdown(bundle), ".txt": to_plain_text(bundle)}

    def export(self) -> tuple[Path, ...] | None:
        """Write ``pitches/exports/<name>.md`` and ``.txt`` (atomically); returns their paths."""
        return self.files.export(self.files.exports[0])
