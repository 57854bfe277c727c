"""NetworkingLog: record the people you meet and keep your follow-ups on time.

The form is checked by :func:`netcourse.netlog.contact_from_fields`; a problem shows next to
its field and nothing is added (what you typed stays in the form). The log, the follow-ups
due and the benefits-by-place table are redrawn through one path (:meth:`NetworkingLog._show`).
A long log shows a page of :data:`PAGE_SIZE` people at a time (with Previous / Next and which
entries are shown); the follow-ups and places lists show their first rows and say how many more.
Logs save as JSON, atomically, under ``work_dir()/logs`` and export as CSV, through the shared
:class:`~netcourse.widgets.file_bar.FileBar`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse import ics, netlog, storage
from netcourse.content import Content, load_content
from netcourse.netlog import Contact
from netcourse.widgets.alerts import ERROR_STYLE, alert_html, message_html
from netcourse.widgets.draft_panel import DraftPanel
from netcourse.widgets.file_bar import Export, FileBar, Wording
from netcourse.widgets.render import render

_STYLE = {"description_width": "130px"}
PAGE_SIZE = 50  # people in the table (and the Entry list) at once
DUE_SHOWN = 50  # follow-ups listed
PLACES_SHOWN = 30  # rows of the benefits-by-place table
_WIDE = widgets.Layout(width="420px")
WORDING = Wording(
    name_label="Log file name", default_name="my-contacts",
    list_label="Saved logs", list_tooltip="Logs you saved before",
    load_tooltip="Open the chosen log", save_tooltip="Save the log",
    saved="Saved {count} entries to {file}.",
    nothing_chosen="Choose a saved log first.",
    load_failed="Could not load {file}: {error} Your current log is unchanged.",
    backup_failed="Not opening {what}: your unsaved entries could not be kept ({error}). Save them first.",
    backup_kept=" Your unsaved entries were kept as {backup} (the last {slots} backups are kept).",
    loaded="Loaded {count} entries from {file}.{note}",
)


class NetworkingLog:
    """A log of contacts with follow-up reminders, benefits by place, Save/Load and CSV export."""

    def __init__(self, log: Sequence[Contact] = (), *, content: Content | None = None, today: date | None = None,
                 folder: Path | str | None = None):
        self.content = content or load_content()
        self.today = today or date.today()
        self.folder = folder
        self.log: tuple[Contact, ...] = tuple(log)
        self.problems: dict[str, str] = {}
        self._removed: list[tuple[int, Contact]] = []
        self.page = 0
        self._create_form()
        self._create_views()
        self._create_files()
        self.container = widgets.VBox([
            widgets.HTML(render("netlog.html", "header", utah=self.content.sources["utah"].short,
                                article=self.content.sources["article"].short)),
            *[widgets.HBox([self.form[k], self.messages[k]]) for k in self.form],
            self.questions,
            self.add_button, self.form_status,
            widgets.HTML("<h4>People you met</h4>"), self.counts, self.table,
            widgets.HBox([self.previous_button, self.page_label, self.next_button]),
            widgets.HBox([self.entry, self.done_button, self.remove_button, self.undo_button]),
            widgets.HTML(f"<h4>Follow-ups due in the next {netlog.DUE_WITHIN_DAYS} days</h4>"), self.due,
            widgets.HTML("<h4>Draft a follow-up message</h4><p>For the person chosen under <i>Entry</i> above. "
                         "Edit it in your own words, then copy or download it.</p>"),
            self.student_name, self.notes_for_draft, self.follow_up_panel.container,
            widgets.HTML("<h4>Benefits by where you met people</h4>"), self.by_source,
            widgets.HTML("<h4>Save, load, export</h4>"), self.files.container,
        ])
        self._show()
        self.files.mark_clean()

    # ------------------------------------------------------------ building
    def _create_form(self) -> None:
        def text(key: str, placeholder: str, tooltip: str, area: bool = False) -> widgets.Widget:
            kind = widgets.Textarea if area else widgets.Text
            return kind(description=netlog.LABELS[key], placeholder=placeholder, tooltip=tooltip, style=_STYLE,
                        layout=_WIDE)

        self.form: dict[str, widgets.Widget] = {
            "name": text("name", "e.g. Dr. Lee", "The person's name"),
            "role": text("role", "e.g. family medicine resident", "Their role or specialty"),
            "where": text("where", "e.g. county medical society evening", "The event or place where you met"),
            "met_on": text("met_on", "YYYY-MM-DD", "The day you met (YYYY-MM-DD)"),
            "learned": text("learned", "What did they tell you about their path?",
                            "What you learned; the article's explorative questions help", area=True),
            "follow_up": text("follow_up", "YYYY-MM-DD", "When to write or call them again (YYYY-MM-DD)"),
            "benefit": widgets.Dropdown(description=netlog.LABELS["benefit"], options=[("Not sure yet", "")] + [
                (b.name, b.id) for b in self.content.benefits], tooltip="Which of the six benefits this may lead to",
                style=_STYLE, layout=_WIDE),
        }
        self.form["met_on"].value = self.today.isoformat()
        self.questions = widgets.HTML(render("netlog.html", "questions",
                                             items=self.content.mindset["explorative_questions"],
                                             article=self.content.sources["article"].short))
        self.messages = {key: widgets.HTML() for key in self.form}
        self.add_button = widgets.Button(description="Add to log", icon="plus", button_style="primary",
                                         tooltip="Add this person to your log")
        self.add_button.on_click(lambda _b: self.add_from_form())
        self.form_status = widgets.HTML()

    def _create_views(self) -> None:
        self.table = widgets.HTML()
        self.counts = widgets.HTML()
        self.entry = widgets.Dropdown(description="Entry", options=[], tooltip="Choose a person in your log",
                                      style=_STYLE, layout=_WIDE)
        self.done_button = widgets.Button(description="Mark followed up", icon="check",
                                          tooltip="Record that you followed up with this person")
        self.remove_button = widgets.Button(description="Remove", icon="trash", tooltip="Remove this entry")
        self.undo_button = widgets.Button(description="Undo remove", icon="undo", disabled=True,
                                          tooltip="Put back the last entry you removed")
        self.done_button.on_click(lambda _b: self._change_entry("done"))
        self.remove_button.on_click(lambda _b: self._change_entry("remove"))
        self.undo_button.on_click(lambda _b: self._change_entry("undo"))
        self.previous_button = widgets.Button(description="Previous", icon="chevron-left",
                                              tooltip=f"The {PAGE_SIZE} people before these")
        self.next_button = widgets.Button(description="Next", icon="chevron-right",
                                          tooltip=f"The {PAGE_SIZE} people after these")
        self.previous_button.on_click(lambda _b: self.show_page(self.page - 1))
        self.next_button.on_click(lambda _b: self.show_page(self.page + 1))
        self.page_label = widgets.HTML()
        self.due = widgets.HTML()
        self.by_source = widgets.HTML()
        self.student_name = widgets.Text(description="Your name", placeholder="signs the message",
                                         tooltip="Your name, to sign the follow-up message", style=_STYLE,
                                         layout=_WIDE)
        self.notes_for_draft = widgets.HTML()
        self.follow_up_panel = DraftPanel("Follow-up message", "Edit the message until it reads like you",
                                          filename="follow-up.txt", rows=10)
        self.entry.observe(lambda _c: self._show_follow_up(), names="value")
        self.student_name.observe(lambda _c: self._show_follow_up(), names="value")

    def _create_files(self) -> None:
        self.files = FileBar(
            storage.tool_dir("logs", self.folder), netlog.LOG_KIND, WORDING,
            state=lambda: netlog.log_to_dict(self.log),
            read=lambda data, _name: netlog.log_from_dict(data, self.content),
            show=self._show_loaded,
            details=lambda: {"count": len(self.log)},
            exports=(Export("Export CSV", "table", "Write the log as a spreadsheet file",
                            lambda: {".csv": netlog.log_to_csv(self.log)}),
                     Export("Export calendar", "calendar", "Write the open follow-up dates as a calendar file "
                            "(.ics) for your own calendar", lambda: {".ics": self.calendar_text()})),
            style=_STYLE, layout=lambda: _WIDE,
        )
        # The names lessons, tests and the browser checks use.
        self.file_name, self.saved, self.status = self.files.name, self.files.saved, self.files.status
        self.save_button, self.load_button = self.files.save_button, self.files.load_button
        self.export_button, self.export_ics_button = self.files.export_buttons

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.container._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------ actions
    def add_from_form(self) -> Contact | None:
        fields = {key: box.value for key, box in self.form.items()}
        contact, problems = netlog.contact_from_fields(fields, self.content)
        self.problems = problems
        for key, box in self.messages.items():
            box.value = alert_html(problems.get(key))
        if contact is None:
            self.form_status.value = alert_html("Not added: fix the fields marked ⚠ (what you typed is kept).")
            return None
        self.log = netlog.add(self.log, contact)
        for key in ("name", "role", "learned", "follow_up"):
            self.form[key].value = ""
        self.form["benefit"].value = ""
        self.form_status.value = message_html(f"Added {contact.name}. Remember to save.")
        self.page = self.pages() - 1  # where the new entry is
        self._show()
        self.entry.value = len(self.log) - 1  # the follow-up draft is for the person just added
        return contact

    def _change_entry(self, action: str) -> None:
        index = self.entry.value
        if action == "undo":
            if self._removed:
                position, contact = self._removed.pop()
                self.log = (*self.log[:position], contact, *self.log[position:])
        elif index is None:
            self.files.say("Choose an entry first.", "error")
            return
        elif action == "done":
            self.log = netlog.mark_followed_up(self.log, index)
        else:
            self._removed.append((index, self.log[index]))
            self.log = netlog.remove(self.log, index)
        self._show()

    # ------------------------------------------------------------ the one display path
    def pages(self) -> int:
        return max(1, -(-len(self.log) // PAGE_SIZE))

    def show_page(self, page: int) -> None:
        """Show page ``page`` (from 0) of the log; out-of-range pages show the nearest one."""
        self.page = page
        self._show_page()  # the summaries do not change with the page

    def _show(self) -> None:
        self._show_page()
        self.undo_button.disabled = not self._removed
        self.due_frame = netlog.follow_ups_due(self.log, self.today)
        self.due.value = render("netlog.html", "due", rows=list(self.due_frame.head(DUE_SHOWN).itertuples()),
                                late_style=ERROR_STYLE, more=max(0, len(self.due_frame) - DUE_SHOWN))
        self.source_frame = netlog.benefits_by_source(self.log, self.content)
        self.by_source.value = render("netlog.html", "by_source", table=self.source_frame.head(PLACES_SHOWN).to_html(
            escape=True, border=0), more=max(0, len(self.source_frame) - PLACES_SHOWN)) if len(self.source_frame) \
            else "<p>Nothing yet.</p>"
        self.summary = netlog.summary(self.log, self.today, due=self.due_frame)
        self.counts.value = render("netlog.html", "counts", s=self.summary)

    def _show_page(self) -> None:
        self.page = min(max(self.page, 0), self.pages() - 1)
        first = self.page * PAGE_SIZE
        shown = self.log[first:first + PAGE_SIZE]
        benefit_names = {b.id: b.name for b in self.content.benefits}
        rows = []
        for c in shown:
            follow = c.follow_up.isoformat() if c.follow_up else ""
            if c.followed_up:
                follow += " ✓ done"
            rows.append([c.name, c.role, c.where, c.met_on.isoformat() if c.met_on else "", c.learned, follow,
                         benefit_names.get(c.benefit, "Not sure yet")])
        self.table.value = render("netlog.html", "table", rows=rows)
        self.page_label.value = render("netlog.html", "page", first=first + 1, last=first + len(shown),
                                       total=len(self.log)) if len(self.log) > PAGE_SIZE else ""
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= self.pages() - 1
        for button in (self.previous_button, self.next_button, self.page_label):
            button.layout.display = "" if len(self.log) > PAGE_SIZE else "none"
        self.entry.options = [(f"{i + 1}. {c.name} ({c.where})", i) for i, c in enumerate(shown, first)]
        self._show_follow_up()

    def _show_follow_up(self) -> None:
        """The draft to the person chosen under Entry (the newest one until the student picks)."""
        index = self.entry.value
        if index is None or not 0 <= index < len(self.log):
            self.notes_for_draft.value = "<p>Add someone to the log to draft a message to them.</p>"
            self.follow_up_panel.offer("")
            return
        contact = self.log[index]
        self.notes_for_draft.value = render("netlog.html", "notes_for_draft", contact=contact)
        stem = storage.safe_filename(f"follow-up-{contact.name}", "").rstrip("-") or "follow-up"
        self.follow_up_panel.offer(netlog.follow_up_draft(contact, self.student_name.value, self.today), f"{stem}.txt")

    def calendar_text(self) -> str:
        """The open follow-ups with a date, as an .ics calendar file."""
        events = netlog.follow_up_events(self.log)
        if not events:
            raise storage.StorageError("No follow-up dates to export yet: give someone a Follow up by date.")
        return ics.calendar_text(events, name="Networking follow-ups")

    # ------------------------------------------------------------ files
    def _show_loaded(self, log: tuple[Contact, ...]) -> None:
        self.log = log
        self._removed = []
        self.page = 0
        self._show()

    def logs_dir(self) -> Path:
        return self.files.folder

    def save(self) -> Path | None:
        return self.files.save()

    def load(self, name: str) -> Path | None:
        """Open a saved log by file name; a damaged file leaves the current log as it is."""
        return self.files.load(name)

    def export_csv(self) -> Path | None:
        paths = self.files.export(self.files.exports[0])
        return paths[0] if paths else None
