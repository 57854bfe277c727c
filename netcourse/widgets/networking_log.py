"""NetworkingLog: record the people you meet and keep your follow-ups on time.

The form is checked by :func:`netcourse.netlog.contact_from_fields`; a problem shows next to
its field and nothing is added (what you typed stays in the form). The log, the follow-ups
due and the benefits-by-place table are redrawn through one path (:meth:`NetworkingLog._show`).
Logs save as JSON, atomically, under ``work_dir()/logs`` and export as CSV.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse import netlog, storage
from netcourse.content import Content, load_content
from netcourse.netlog import Contact
from netcourse.widgets.alerts import ERROR_STYLE, alert_html

_STYLE = {"description_width": "130px"}
_WIDE = widgets.Layout(width="420px")


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
        # What the student last saved or opened: a Load compares against it to keep unsaved entries.
        self._saved_state = netlog.log_to_dict(self.log)
        self._create_form()
        self._create_views()
        self._create_files()
        self.container = widgets.VBox([
            widgets.HTML("<h3>Networking log</h3><p>Keep track of the people you meet and follow up: the University "
                         "of Utah stresses maintaining relationships after the event. "
                         f"<small>({html.escape(self.content.sources['utah'].short)}; benefits from "
                         f"{html.escape(self.content.sources['article'].short)})</small></p>"),
            *[widgets.HBox([self.form[k], self.messages[k]]) for k in self.form],
            self.questions,
            self.add_button, self.form_status,
            widgets.HTML("<h4>People you met</h4>"), self.counts, self.table,
            widgets.HBox([self.entry, self.done_button, self.remove_button, self.undo_button]),
            widgets.HTML(f"<h4>Follow-ups due in the next {netlog.DUE_WITHIN_DAYS} days</h4>"), self.due,
            widgets.HTML("<h4>Benefits by where you met people</h4>"), self.by_source,
            widgets.HTML("<h4>Save, load, export</h4>"),
            widgets.HBox([self.file_name, self.save_button]), widgets.HBox([self.saved, self.load_button]),
            self.export_button, self.status,
        ])
        self._show()

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
        asks = "".join(f"<li>{html.escape(q)}</li>" for q in self.content.mindset["explorative_questions"])
        self.questions = widgets.HTML(f"<small>Explorative questions whose answers are worth noting "
                                      f"({html.escape(self.content.sources['article'].short)}):<ul>{asks}</ul>"
                                      "</small>")
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
        self.due = widgets.HTML()
        self.by_source = widgets.HTML()

    def _create_files(self) -> None:
        # Sync on Enter or leaving the box, so a quick click on Save never races the last keystrokes.
        self.file_name = widgets.Text(description="Log file name", value="my-contacts", tooltip="Name to save under",
                                      continuous_update=False,
                                      style=_STYLE, layout=_WIDE)
        self.save_button = widgets.Button(description="Save", icon="save", tooltip="Save the log")
        self.saved = widgets.Dropdown(description="Saved logs", options=[], tooltip="Logs you saved before",
                                      style=_STYLE, layout=_WIDE)
        self.load_button = widgets.Button(description="Load", icon="folder-open", tooltip="Open the chosen log")
        self.export_button = widgets.Button(description="Export CSV", icon="table",
                                            tooltip="Write the log as a spreadsheet file")
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load(self.saved.value or ""))
        self.export_button.on_click(lambda _b: self.export_csv())
        self.status = widgets.HTML()
        self._refresh_saved()

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
        self.form_status.value = f"Added {html.escape(contact.name)}. Remember to save."
        self._show()
        return contact

    def _change_entry(self, action: str) -> None:
        index = self.entry.value
        if action == "undo":
            if self._removed:
                position, contact = self._removed.pop()
                self.log = (*self.log[:position], contact, *self.log[position:])
        elif index is None:
            self.status.value = alert_html("Choose an entry first.")
            return
        elif action == "done":
            self.log = netlog.mark_followed_up(self.log, index)
        else:
            self._removed.append((index, self.log[index]))
            self.log = netlog.remove(self.log, index)
        self._show()

    # ------------------------------------------------------------ the one display path
    def _show(self) -> None:
        benefit_names = {b.id: b.name for b in self.content.benefits}
        rows = []
        for c in self.log:
            follow = c.follow_up.isoformat() if c.follow_up else ""
            if c.followed_up:
                follow += " ✓ done"
            cells = [c.name, c.role, c.where, c.met_on.isoformat() if c.met_on else "", c.learned, follow,
                     benefit_names.get(c.benefit, "Not sure yet")]
            rows.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in cells) + "</tr>")
        head = "".join(f"<th scope='col'>{h}</th>" for h in ("Name", "Role", "Where", "Met on", "Learned",
                                                               "Follow up by", "May lead to"))
        self.table.value = (f"<table aria-label='People you met'><tr>{head}</tr>{''.join(rows)}</table>" if rows
                            else "<p>No one yet. Add the first person you meet.</p>")
        self.entry.options = [(f"{i + 1}. {c.name} ({c.where})", i) for i, c in enumerate(self.log)]
        self.undo_button.disabled = not self._removed

        self.due_frame = netlog.follow_ups_due(self.log, self.today)
        if self.due_frame.empty:
            self.due.value = "<p>No follow-ups due.</p>"
        else:
            late = f'<b style="{ERROR_STYLE}">'
            items = "".join(
                f"<li>{late if r.overdue else '<b>'}{html.escape(r.when)}</b>: "
                f"{html.escape(r.name)} ({html.escape(r.where)}), by {r.follow_up.isoformat()}</li>"
                for r in self.due_frame.itertuples())
            self.due.value = f"<ul>{items}</ul>"
        self.source_frame = netlog.benefits_by_source(self.log, self.content)
        self.by_source.value = (self.source_frame.to_html(escape=True, border=0) if len(self.source_frame)
                                else "<p>Nothing yet.</p>")
        self.summary = netlog.summary(self.log, self.today)
        s = self.summary
        people = "person" if s["people"] == 1 else "people"
        self.counts.value = (f'<p role="status">{s["people"]} {people} from {s["places"]} place(s); '
                             f'{s["follow_ups_open"]} follow-up(s) open, {s["overdue"]} overdue.</p>')

    # ------------------------------------------------------------ files
    def logs_dir(self) -> Path:
        return storage.work_dir(self.folder) / "logs"

    def _refresh_saved(self) -> None:
        folder = self.logs_dir()
        self.saved.options = sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []

    def _target(self, suffix: str) -> Path | None:
        try:
            return self.logs_dir() / storage.safe_filename(self.file_name.value, suffix)
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None

    def save(self) -> Path | None:
        path = self._target(".json")
        if path is None:
            return None
        try:
            storage.save_json(path, netlog.log_to_dict(self.log), netlog.LOG_KIND)
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None
        self._saved_state = netlog.log_to_dict(self.log)
        self._refresh_saved()
        self.saved.value = path.name
        self.status.value = f"Saved {len(self.log)} entries to {html.escape(path.name)}."
        return path

    def load(self, name: str) -> tuple[Contact, ...] | None:
        if not name:
            self.status.value = alert_html("Choose a saved log first.")
            return None
        path = self.logs_dir() / Path(name).name
        try:
            log = netlog.log_from_dict(storage.load_json(path, netlog.LOG_KIND), self.content)
        except (storage.StorageError, netlog.LogError) as exc:
            self.status.value = alert_html(f"Could not load {path.name}: {exc} Your current log is unchanged.")
            return None
        current = netlog.log_to_dict(self.log)
        note = ""
        if current != self._saved_state:
            backup = self.logs_dir() / f"{storage.BACKUP_STEM}.json"
            try:
                storage.save_json(backup, current, netlog.LOG_KIND)
            except storage.StorageError as exc:
                self.status.value = alert_html(f"Not opening {path.name}: your unsaved entries could not be kept "
                                               f"({exc}). Save them first.")
                return None
            note = f" Your unsaved entries were kept as {backup.name}."
            self._refresh_saved()
        self.log = log
        self._saved_state = netlog.log_to_dict(log)
        self._removed = []
        self.file_name.value = path.stem
        self.status.value = f"Loaded {len(log)} entries from {html.escape(path.name)}.{html.escape(note)}"
        self._show()
        return log

    def export_csv(self) -> Path | None:
        path = self._target(".csv")
        if path is None:
            return None
        try:
            storage.atomic_write_text(path, netlog.log_to_csv(self.log))
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None
        self.status.value = f"Exported {html.escape(path.name)} in {html.escape(str(path.parent))}."
        return path
