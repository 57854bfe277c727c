"""Pitch studio: write, check, tailor, rehearse and keep an introduction for a networking event.

An app class over :mod:`netcourse.pitch` and :mod:`netcourse.questions`. Widgets are built in small
``_create_*`` methods; every change goes through :meth:`PitchStudio._update`; ``.container`` is the
whole app, and the object displays itself, so a lesson cell can end with ``PitchStudio()`` and Voila
can serve the same class as a page. Drafts are saved as JSON in ``work_dir()/pitches`` through
:mod:`netcourse.storage` (atomic writes); anything the student typed is ``html.escape``d before it
is shown as HTML.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from netcourse import pitch as P
from netcourse.content import load_content
from netcourse.questions import TOPICS, for_audience, load_questions, search_questions
from netcourse.storage import (
    BACKUP_STEM,
    StorageError,
    atomic_write_text,
    load_json,
    safe_filename,
    save_json,
    work_dir,
)

DRAFT_KIND = "pitch-draft"
DRAFT_FORMAT = "netcourse-pitch/1"
BACKUP_NAME = BACKUP_STEM
SEVERITY_LABEL = {"warning": "Fix", "tip": "Tip", "info": "Note"}
SEVERITY_COLOUR = {"warning": "#8a1c1c", "tip": "#5a4a00", "info": "#1f4e79"}
# Within this share of the chosen pace counts as "on pace" when rehearsing.
PACE_TOLERANCE = 0.10

_WIDE = widgets.Layout(width="98%")
# Wide enough for the longest part label ("Greeting, name, year and school") without cutting it.
_LABEL_STYLE = {"description_width": "19em"}


def _field() -> widgets.Layout:
    # A 19em label plus room to read the value; each control gets its own Layout object.
    return widgets.Layout(width="37em", max_width="98%")


def _text(description: str, placeholder: str, tooltip: str) -> widgets.Text:
    return widgets.Text(
        description=description, placeholder=placeholder, tooltip=tooltip, style=_LABEL_STYLE, layout=_field()
    )


def _textarea(description: str, placeholder: str, tooltip: str, *, rows: int) -> widgets.Textarea:
    return widgets.Textarea(
        description=description, placeholder=placeholder, tooltip=tooltip, rows=rows, layout=_WIDE,
        style=_LABEL_STYLE,
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _mmss(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


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
        audience: str = "physician",
        pace_wpm: int = P.DEFAULT_PACE_WPM,
        target_seconds: int = P.DEFAULT_TARGET_SECONDS,
    ):
        # Absolute, so the paths shown after Save and Export stay right if the kernel's folder changes.
        self.folder = work_dir(folder).absolute()
        self._clock = clock
        self._bank = load_questions() if bank is None else bank
        self._audiences = P.load_audiences()
        self._content = load_content()
        self.report: P.PitchReport | None = None
        self.rehearsal_result: dict[str, float] | None = None
        self._rehearsal_started: float | None = None
        self._ticker: asyncio.Task | None = None
        self._saved_snapshot: dict[str, Any] | None = None
        self._result_ids: tuple[str, ...] = ()
        self._results_key: tuple[Any, ...] | None = None
        self._applying = False

        self._create_header()
        self._create_writing(pace_wpm, target_seconds)
        self._create_feedback()
        self._create_audience(audience)
        self._create_questions()
        self._create_plan()
        self._create_rehearsal()
        self._create_storage()
        self._create_layout()
        self._observe()
        self.refresh_drafts()
        self._update()

    # ------------------------------------------------------------------ building

    def _create_header(self) -> None:
        sources = self._content.sources
        article, utah, hms = sources["article"], sources["utah"], sources["hms"]
        self.header = widgets.HTML(
            "<p><b>Pitch studio.</b> Write the introduction you will give at a networking event: more than your "
            "name, a brief account of your background, why you are here and your passion, then a goal and a "
            "question that hands the conversation over. Feedback updates as you type.</p>"
            f"<p><small>After the article ({_esc(article.short)}), {_esc(utah.short)} on networking etiquette and "
            f"{_esc(hms.short)} on identifying your audience and practising.</small></p>"
        )

    def _create_writing(self, pace_wpm: int, target_seconds: int) -> None:
        self.mode = widgets.ToggleButtons(
            options=[("Part by part", "parts"), ("Free draft", "free")],
            value="parts",
            description="Write",
            tooltip="Write each part in its own box, or the whole introduction as one free draft",
            tooltips=["One box per part of the introduction", "One box for the whole introduction"],
        )
        self.parts: dict[str, widgets.Textarea] = {}
        for spec in P.PARTS:
            self.parts[spec.id] = _textarea(spec.label, spec.prompt, f"{spec.label}: {spec.hint}", rows=2)
        self.parts_box = widgets.VBox(list(self.parts.values()))
        self.draft = _textarea(
            "Free draft",
            "Hi, I'm ... a second-year medical student at ... Before medical school I ... "
            "I came to this session because ... I'm hoping to ... How did you ...?",
            "Write the whole introduction here; the studio finds the parts from cue phrases",
            rows=10,
        )
        self.draft_box = widgets.VBox([self.draft])
        self.pace = widgets.IntSlider(
            value=pace_wpm,
            min=P.MIN_PACE_WPM,
            max=P.MAX_PACE_WPM,
            step=5,
            description="Speaking pace",
            layout=widgets.Layout(width="30em"),
            tooltip="Words a minute you speak at; about 130 is a calm conversational pace",
            style=_LABEL_STYLE,
        )
        targets = sorted(set(P.TARGET_CHOICES) | {target_seconds})
        self.target = widgets.Dropdown(
            options=[(f"{t} seconds", t) for t in targets],
            value=target_seconds,
            description="Target length",
            tooltip="How long the introduction should take to say",
            style=_LABEL_STYLE,
            layout=_field(),
        )

    def _create_feedback(self) -> None:
        self.summary = widgets.Label(value="", layout=_WIDE)
        self.feedback = widgets.HTML(value="", layout=_WIDE)

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

    def _create_questions(self) -> None:
        self.search = _text(
            "Search questions", "e.g. research, shadowing, residency", "Words to look for in the question bank"
        )
        self.topic = widgets.Dropdown(
            options=[("All topics", "")] + [(label, tid) for tid, label in TOPICS.items()],
            value="",
            description="Topic",
            tooltip="Show only questions on one topic",
            style=_LABEL_STYLE,
            layout=_field(),
        )
        self.only_audience = widgets.Checkbox(
            value=True,
            description="Only questions suited to who you are meeting",
            tooltip="Filter the bank by the audience chosen above",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.results = widgets.Select(
            options=[],
            rows=7,
            description="Matching questions",
            tooltip="Choose a question, then press Add question (or edit it after adding)",
            layout=_WIDE,
            style=_LABEL_STYLE,
        )
        self.results_count = widgets.Label()
        self.add_question = widgets.Button(
            description="Add question",
            tooltip=f"Copy the chosen question into the first empty slot (up to {P.MAX_QUESTIONS})",
            icon="plus",
        )
        self.question_slots = [
            widgets.Text(
                description=f"Question {i}",
                placeholder="Pick from the bank or write your own",
                tooltip=f"Prepared question {i}; edit it to fit the person, clear it to remove it",
                layout=_WIDE,
                style=_LABEL_STYLE,
            )
            for i in range(1, P.MAX_QUESTIONS + 1)
        ]

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

    def _create_rehearsal(self) -> None:
        self.rehearse = widgets.ToggleButton(
            value=False,
            description="Start rehearsal",
            tooltip="Press, read your introduction aloud, press again to see your pace",
            icon="play",
        )
        self.rehearse_panel = widgets.HTML(layout=_WIDE)

    def _create_storage(self) -> None:
        self.name = widgets.Text(
            value="my-pitch",
            description="Draft name",
            # Sync on Enter or leaving the box, so a quick click on Save never races the last keystrokes.
            continuous_update=False,
            tooltip="Save several versions under different names (e.g. 'ACEP conference')",
            style=_LABEL_STYLE,
            layout=_field(),
        )
        self.save_button = widgets.Button(
            description="Save", tooltip="Save this draft in your working folder", icon="save"
        )
        self.saved = widgets.Dropdown(
            options=[],
            description="Saved drafts",
            tooltip="Drafts saved in your working folder",
            style=_LABEL_STYLE,
            layout=_field(),
        )
        self.load_button = widgets.Button(
            description="Load",
            tooltip="Open the chosen saved draft (unsaved text is kept as a backup)",
            icon="folder-open",
        )
        self.export_button = widgets.Button(
            description="Export", tooltip="Write this draft as Markdown and plain text files", icon="download"
        )
        self.status = widgets.HTML(layout=_WIDE)

    def _section(self, title: str, *children: widgets.Widget) -> widgets.VBox:
        return widgets.VBox([widgets.HTML(f"<h3>{_esc(title)}</h3>"), *children], layout=widgets.Layout(width="100%"))

    def _create_layout(self) -> None:
        column = widgets.Layout(flex="1 1 420px", min_width="320px", padding="0 0.5em")
        write = widgets.VBox([self.mode, self.parts_box, self.draft_box, self.pace, self.target], layout=column)
        feedback = widgets.VBox(
            [widgets.HTML("<h4>Feedback</h4>"), self.summary, self.feedback], layout=column
        )
        self.container = widgets.VBox(
            [
                self.header,
                self._section("1. Write", widgets.HBox([write, feedback], layout=widgets.Layout(flex_flow="row wrap"))),
                self._section("2. Your audience", self.audience, self.audience_panel),
                self._section(
                    "3. Prepared questions",
                    widgets.HBox([self.search, self.topic], layout=widgets.Layout(flex_flow="row wrap")),
                    self.only_audience,
                    self.results,
                    widgets.HBox([self.add_question, self.results_count]),
                    *self.question_slots,
                ),
                self._section(
                    "4. Conversation plan and follow-up",
                    widgets.HBox([self.person, self.event], layout=widgets.Layout(flex_flow="row wrap")),
                    self.notes,
                    self.plan_panel,
                    self.draft_follow_up,
                    self.follow_up,
                ),
                self._section("5. Rehearse", self.rehearse, self.rehearse_panel),
                self._section(
                    "6. Save and export",
                    widgets.HBox([self.name, self.save_button], layout=widgets.Layout(flex_flow="row wrap")),
                    widgets.HBox([self.saved, self.load_button, self.export_button],
                                 layout=widgets.Layout(flex_flow="row wrap")),
                    self.status,
                ),
            ]
        )

    def _observe(self) -> None:
        watched = [
            *self.parts.values(),
            self.draft,
            self.mode,
            self.pace,
            self.target,
            self.audience,
            self.search,
            self.topic,
            self.only_audience,
            *self.question_slots,
            self.person,
            self.event,
            self.notes,
        ]
        for widget in watched:
            widget.observe(self._on_change, names="value")
        self.rehearse.observe(self._on_rehearse, names="value")
        self.add_question.on_click(lambda _b: self.add_selected_question())
        self.draft_follow_up.on_click(lambda _b: self.fill_follow_up())
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load())
        self.export_button.on_click(lambda _b: self.export())

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.container._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ the one update path

    def _on_change(self, _change: dict) -> None:
        if not self._applying:  # a load sets many values; update once at the end
            self._update()

    def current_draft(self) -> str | P.Pitch:
        """The draft being written: a :class:`~netcourse.pitch.Pitch` in part mode, else the free text."""
        if self.mode.value == "parts":
            return P.Pitch(**{pid: area.value for pid, area in self.parts.items()})
        return self.draft.value

    def _update(self) -> None:
        parts_mode = self.mode.value == "parts"
        self.parts_box.layout.display = None if parts_mode else "none"
        self.draft_box.layout.display = "none" if parts_mode else None
        draft = self.current_draft()
        try:
            report = P.analyse(draft, pace_wpm=self.pace.value, target_seconds=self.target.value)
        except ValueError as exc:  # cannot happen from the controls; a clear message if it ever does
            self._set_status(str(exc), "warning")
            return
        self.report = report
        self.summary.value = self._summary_text(report)
        self.feedback.value = self._feedback_html(report)
        self.audience_panel.value = self._audience_html(draft, report)
        self._update_results()
        self.plan_panel.value = self._plan_html(report)
        if self._rehearsal_started is None and self.rehearsal_result is None:
            self.rehearse_panel.value = self._rehearse_idle_html(report)

    # ------------------------------------------------------------------ rendering (everything escaped)

    @staticmethod
    def _summary_text(report: P.PitchReport) -> str:
        if report.is_empty:
            return f"0 words. Target {report.target_seconds} s."
        if report.over_by >= 0.5:
            where = f"{report.over_by:.0f} s over"
        elif report.under_by >= 0.5:
            where = f"{report.under_by:.0f} s under"
        else:
            where = "on the dot"
        return (
            f"{report.word_count} words · about {report.seconds:.0f} s at {report.pace_wpm} words/min · "
            f"target {report.target_seconds} s: {where} · parts {len(report.parts_present)}/{len(P.PARTS)}"
        )

    @staticmethod
    def _feedback_html(report: P.PitchReport) -> str:
        rows = []
        for spec in P.PARTS:
            present = spec.id in report.parts_present
            mark = "✓" if present else "✗"
            state = "present" if present else "missing"
            found = report.evidence_for(spec.id)
            detail = f" <small>— “{_esc(P.shorten(found[0], 70))}”</small>" if found and report.mode == "free" else ""
            rows.append(
                f'<li data-part="{spec.id}" data-state="{state}"><span aria-hidden="true">{mark}</span> '
                f"<b>{_esc(spec.label)}</b>: {state}{detail}</li>"
            )
        tips = []
        for s in report.suggestions:
            colour = SEVERITY_COLOUR[s.severity]
            tips.append(
                f'<li data-suggestion="{_esc(s.id)}"><b style="color:{colour}">{SEVERITY_LABEL[s.severity]}:</b> '
                f"{_esc(s.message)}</li>"
            )
        spoken = " ".join(text for pid, text in report.evidence) if report.mode == "parts" else ""
        read_through = f"<blockquote>{_esc(spoken)}</blockquote>" if spoken else ""
        extra = [f"Longest sentence: {report.longest_sentence_words} words (aim for {P.BREATH_WORDS} or fewer)."]
        return (
            '<div class="pitch-feedback">'
            f"<ul>{''.join(rows)}</ul>{read_through}"
            + (f"<p><b>Suggestions</b></p><ul>{''.join(tips)}</ul>" if tips else "<p>No suggestions: well done.</p>")
            + f"<p><small>{_esc(' '.join(extra))}</small></p></div>"
        )

    def _audience_html(self, draft: str | P.Pitch, report: P.PitchReport) -> str:
        tailoring = P.tailor(draft, self.audience.value, pace_wpm=self.pace.value, report=report)
        aud = tailoring.audience
        items = []
        ordered = sorted(tailoring.outline, key=lambda line: {"emphasise": 0, "keep-brief": 1}.get(line.emphasis, 2))
        for line in ordered:
            if line.emphasis == "emphasise":
                tag, note = "<b>Emphasise</b>", _esc(line.why)
            elif line.emphasis == "keep-brief":
                tag, note = "<i>Keep brief</i>", ""
            else:
                continue
            if line.text:
                text = f" <small>Yours: “{_esc(P.shorten(line.text, 90))}”</small>"
            else:
                text = f' <small style="color:{SEVERITY_COLOUR["warning"]}">(not written yet)</small>'
            items.append(f'<li data-emphasis="{line.emphasis}">{tag}: {_esc(line.label)}. {note}{text}</li>')
        # Missing emphasised parts are already flagged in the list; show the other checks.
        checks = "".join(
            f"<li>{_esc(c.message)}</li>" for c in tailoring.checks if not c.id.startswith("emphasise-")
        )
        topics = ", ".join(_esc(TOPICS.get(t, t)) for t in aud.question_topics)
        return (
            f"<p><b>{_esc(aud.name)}</b>: {_esc(aud.who)}. Aim for about {aud.target_seconds} s "
            f"(yours: about {tailoring.seconds:.0f} s).</p>"
            f"<ul>{''.join(items)}</ul>"
            + (f"<p><b>For this listener</b></p><ul>{checks}</ul>" if checks else "")
            + f"<p>{_esc(aud.tip)} Good question topics: {topics}.</p>"
            f"<p><small>Source: {_esc(tailoring.citation)}</small></p>"
        )

    def _filtered_questions(self) -> pd.DataFrame:
        audience = self.audience.value if self.only_audience.value else None
        if audience:
            pool = for_audience(self._bank, audience)
        else:
            pool = self._bank
        return search_questions(pool, self.search.value, topics=self.topic.value or None)

    def _update_results(self) -> None:
        key = (self.audience.value, self.only_audience.value, self.search.value, self.topic.value)
        if key == self._results_key:  # typing in the draft does not change the question list
            return
        self._results_key = key
        found = self._filtered_questions()
        ids = tuple(found["id"])
        if ids != self._result_ids:
            self._result_ids = ids
            self.results.options = [(q, i) for q, i in zip(found["question"], found["id"], strict=True)]
        n = len(ids)
        self.results_count.value = f"{n} matching question{'s' if n != 1 else ''}"

    def chosen_questions(self) -> tuple[str, ...]:
        return tuple(s.value.strip() for s in self.question_slots if s.value.strip())

    def plan(self, report: P.PitchReport | None = None) -> P.ConversationPlan:
        """The conversation plan from the current draft, questions, person, event and notes."""
        return P.plan_conversation(
            self.current_draft(),
            audience_id=self.audience.value,
            person=self.person.value,
            event=self.event.value,
            questions=self.chosen_questions(),
            listening_notes=self.notes.value,
            follow_up=self.follow_up.value,
            report=report,
        )

    def _plan_html(self, report: P.PitchReport) -> str:
        plan = self.plan(report)
        rows = []
        for sid, label, text in plan.stages():
            body = _esc(P.shorten(text.replace("\n", " · "), 160)) if text else "<i>not prepared yet</i>"
            rows.append(f'<li data-stage="{sid}"><b>{_esc(label)}</b>: {body}</li>')
        return (
            "<p>Introduction → goals → questions → listening → close and follow-up "
            "<small>(University of Utah's etiquette steps, in the article)</small></p>"
            f"<ol>{''.join(rows)}</ol>"
        )

    # ------------------------------------------------------------------ actions

    def _set_status(self, message: str, level: str = "info") -> None:
        colour = SEVERITY_COLOUR.get(level, "#1f4e79")
        self.status.value = f'<div role="status" aria-live="polite" style="color:{colour}">{_esc(message)}</div>'

    def add_selected_question(self) -> None:
        qid = self.results.value
        if qid is None:
            self._set_status("Choose a question in the list first.", "tip")
            return
        wording = str(self._bank.loc[self._bank["id"] == qid, "question"].iloc[0])
        if wording in self.chosen_questions():
            self._set_status("That question is already in your list.", "tip")
            return
        for slot in self.question_slots:
            if not slot.value.strip():
                slot.value = wording
                self._set_status(f"Added: {wording}")
                return
        self._set_status(
            f"You already have {P.MAX_QUESTIONS} questions; clear one of them to add another.", "warning"
        )

    def fill_follow_up(self) -> None:
        report = self.report or P.analyse(self.current_draft())
        goal = " ".join(report.evidence_for("goal"))
        self.follow_up.value = P.follow_up_message(
            person=self.person.value,
            event=self.event.value,
            student_name=report.name,
            goal=goal,
            notes=self.notes.value,
        )
        self._update()

    # rehearsal ----------------------------------------------------------

    def _on_rehearse(self, change: dict) -> None:
        if change["new"]:
            self._start_rehearsal()
        else:
            self._stop_rehearsal()

    def _start_rehearsal(self) -> None:
        self.rehearsal_result = None
        self._rehearsal_started = self._clock()
        self.rehearse.description = "Stop rehearsal"
        self.rehearse.icon = "stop"
        self.tick()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (tests, plain Python): the display updates on Stop
            return
        self._ticker = loop.create_task(self._tick_while_running())

    async def _tick_while_running(self) -> None:
        while self._rehearsal_started is not None:
            await asyncio.sleep(0.5)
            self.tick()

    def tick(self) -> None:
        """Show the time so far and where, at the chosen pace, the reader should be."""
        if self._rehearsal_started is None:
            return
        elapsed = self._clock() - self._rehearsal_started
        words = (self.report.word_count if self.report else 0) or 0
        expected = min(words, int(self.pace.value * elapsed / 60))
        text = self._spoken_text().split()
        cue = " ".join(text[max(0, expected - 4): expected]) if expected and text else ""
        self.rehearse_panel.value = (
            f"<p><b>Rehearsing:</b> {_mmss(elapsed)} elapsed. At {self.pace.value} words/min you would be at "
            f"word {expected} of {words}" + (f" (“…{_esc(cue)}”)" if cue else "") + ".</p>"
        )

    def _spoken_text(self) -> str:
        draft = self.current_draft()
        return draft.text() if isinstance(draft, P.Pitch) else draft

    def _stop_rehearsal(self) -> None:
        started, self._rehearsal_started = self._rehearsal_started, None
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.rehearse.description = "Start rehearsal"
        self.rehearse.icon = "play"
        if started is None:
            return
        elapsed = self._clock() - started
        words = self.report.word_count if self.report else 0
        if words == 0:
            self.rehearse_panel.value = "<p>Write your introduction first, then read it aloud while the timer runs.</p>"
            return
        if elapsed < 2:
            self.rehearse_panel.value = (
                f"<p>That took {elapsed:.1f} s, too short to measure. Press Start, read the whole introduction "
                "aloud, then press Stop.</p>"
            )
            return
        wpm = words / elapsed * 60
        self.rehearsal_result = {"seconds": round(elapsed, 1), "wpm": round(wpm), "pace": self.pace.value}
        pace = self.pace.value
        if wpm > pace * (1 + PACE_TOLERANCE):
            verdict = f"faster than your {pace} words/min pace: slow down and breathe between sentences."
        elif wpm < pace * (1 - PACE_TOLERANCE):
            verdict = f"slower than your {pace} words/min pace: practise until it flows (or cut a sentence)."
        else:
            verdict = f"on your {pace} words/min pace."
        target = self.target.value
        length = f"{elapsed - target:.0f} s over" if elapsed > target else f"{target - elapsed:.0f} s under"
        self.rehearse_panel.value = (
            f'<p data-wpm="{round(wpm)}"><b>{_mmss(elapsed)}</b> for {words} words: <b>{round(wpm)} words/min</b>, '
            f"{_esc(verdict)} That is {length} your {target}-second target.</p>"
            "<p><small>Harvard Medical School advises practising conversations and transitions; say it until it "
            "sounds natural, not memorised.</small></p>"
        )

    @staticmethod
    def _rehearse_idle_html(report: P.PitchReport) -> str:
        return (
            f"<p>Press <b>Start rehearsal</b>, read your introduction aloud, then press <b>Stop</b>. "
            f"At {report.pace_wpm} words/min it should take about {report.seconds:.0f} s.</p>"
        )

    # saving ----------------------------------------------------------------

    @property
    def pitches_dir(self) -> Path:
        return self.folder / "pitches"

    @property
    def exports_dir(self) -> Path:
        return self.pitches_dir / "exports"

    def state(self) -> dict[str, Any]:
        """Everything the student wrote or chose, as saved to JSON."""
        return {
            "format": DRAFT_FORMAT,
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

    def _content_of(self, state: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in state.items() if k not in ("name", "format")}

    def refresh_drafts(self, select: str | None = None) -> None:
        """List saved drafts by file; a damaged file still lists (loading it explains the problem)."""
        try:
            stems = sorted(p.stem for p in self.pitches_dir.glob("*.json") if not p.name.startswith("."))
        except OSError:
            stems = []
        current = select or self.saved.value
        self.saved.options = stems
        if current in stems:
            self.saved.value = current

    def save(self, name: str | None = None) -> Path | None:
        """Save the draft as ``pitches/<safe name>.json``; returns the path, or None with a message."""
        if name is not None:
            self.name.value = name
        try:
            filename = safe_filename(self.name.value)
            state = self.state()
            state["saved_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            path = save_json(self.pitches_dir / filename, state, DRAFT_KIND)
        except StorageError as exc:
            self._set_status(str(exc), "warning")
            return None
        self._saved_snapshot = self._content_of(self.state())
        self.refresh_drafts(select=path.stem)
        self._set_status(f"Saved “{self.name.value}” to {path}.")
        return path

    def _is_dirty(self) -> bool:
        content = self._content_of(self.state())
        if self._saved_snapshot is not None:
            return content != self._saved_snapshot
        typed = [*content["parts"].values(), content["draft"], content["person"], content["event"],
                 *content["questions"], content["listening_notes"], content["follow_up"]]
        return any(str(t).strip() for t in typed)

    def load(self, stem: str | None = None) -> bool:
        """Load a saved draft; a damaged file gives a message and changes nothing."""
        stem = stem if stem is not None else self.saved.value
        if not stem:
            self._set_status("There is no saved draft to load yet: write one and press Save.", "tip")
            return False
        path = self.pitches_dir / f"{stem}.json"
        try:
            data = load_json(path, DRAFT_KIND)
            state = P.draft_from_dict(data, path.name)
        except StorageError as exc:
            self.refresh_drafts()
            self._set_status(f"{exc} Your other drafts are still listed and can be loaded.", "warning")
            return False
        backup_note = ""
        if self._is_dirty() and stem != BACKUP_NAME:
            kept = self.name.value
            try:
                save_json(self.pitches_dir / safe_filename(BACKUP_NAME), self.state(), DRAFT_KIND)
                backup_note = f" Your unsaved text (“{kept}”) was kept as the draft “{BACKUP_NAME}”."
            except StorageError as exc:
                self._set_status(f"Not loading, because your unsaved text could not be backed up: {exc}", "warning")
                return False
        self._apply_state(state)
        self._saved_snapshot = self._content_of(self.state())
        self.refresh_drafts(select=stem)
        self._set_status(f"Loaded “{state['name']}” from {path}.{backup_note}")
        return True

    def _apply_state(self, state: dict[str, Any]) -> None:
        self._applying = True
        try:
            self.name.value = state["name"]
            self.mode.value = state["mode"]
            for pid, area in self.parts.items():
                area.value = state["parts"][pid]
            self.draft.value = state["draft"]
            self.pace.value = state["pace_wpm"]
            if state["target_seconds"] not in [v for _l, v in self.target.options]:
                options = sorted({*[v for _l, v in self.target.options], state["target_seconds"]})
                self.target.options = [(f"{t} seconds", t) for t in options]
            self.target.value = state["target_seconds"]
            if state["audience"] in [a.id for a in self._audiences]:
                self.audience.value = state["audience"]
            self.person.value = state["person"]
            self.event.value = state["event"]
            slots = state["questions"] + [""] * (P.MAX_QUESTIONS - len(state["questions"]))
            for slot, text in zip(self.question_slots, slots, strict=True):
                slot.value = text
            self.notes.value = state["listening_notes"]
            self.follow_up.value = state["follow_up"]
        finally:
            self._applying = False
        self._update()

    def export(self) -> tuple[Path, Path] | None:
        """Write ``pitches/exports/<name>.md`` and ``.txt`` (atomically); returns their paths."""
        draft = self.current_draft()
        report = P.analyse(draft, pace_wpm=self.pace.value, target_seconds=self.target.value)
        parts = ()
        if isinstance(draft, P.Pitch):
            parts = tuple((spec.label, draft.part(spec.id).strip()) for spec in P.PARTS)
        aud = P.get_audience(self.audience.value)
        bundle = P.ExportBundle(
            title=f"My introduction: {self.name.value.strip() or 'untitled'}",
            pitch_text=draft.text() if isinstance(draft, P.Pitch) else draft.strip(),
            report=report,
            parts=parts,
            audience=aud.name,
            plan=self.plan(report),
            sources=tuple(self._content.cite(s) for s in ("article", "utah", "hms", "aafp")),
        )
        try:
            md = atomic_write_text(self.exports_dir / safe_filename(self.name.value, ".md"), P.to_markdown(bundle))
            txt = atomic_write_text(self.exports_dir / safe_filename(self.name.value, ".txt"), P.to_plain_text(bundle))
        except StorageError as exc:
            self._set_status(str(exc), "warning")
            return None
        self._set_status(f"Exported to {md} and {txt}.")
        return md, txt
