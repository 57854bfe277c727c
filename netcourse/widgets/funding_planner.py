"""FundingPlanner: plan what an event costs, who might pay, and whom to ask first.

Every edit goes through one path (:meth:`FundingPlanner._update`): the form's strings are
checked by :func:`netcourse.funding.plan_from_fields`; when everything is usable the plan,
totals, chart, checklist and draft follow (the totals computed once and passed on), and when
something is not, a message appears next to that field and the plan stays exactly as it was
(saving and exporting wait until the problem is fixed). Files go through the shared
:class:`~netcourse.widgets.file_bar.FileBar`, under ``work_dir()/plans``; its backups keep the
form as typed (:meth:`FundingPlanner.form_as_typed`), so a field that does not check yet is kept
too, and loading such a backup puts it back in the form with its message.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse import funding, ics, storage
from netcourse.content import Content, load_content
from netcourse.funding import EventPlan
from netcourse.storage import StorageError, safe_filename
from netcourse.widgets.alerts import ERROR_STYLE, alert_html
from netcourse.widgets.draft_panel import DraftPanel
from netcourse.widgets.file_bar import Export, FileBar, Wording
from netcourse.widgets.funding_chart import chart_key_html, chart_png
from netcourse.widgets.render import render

_WIDE = widgets.Layout(width="360px")
_STYLE = {"description_width": "170px"}
_CHOICE_DEFAULTS = {"level": "local", "travel_mode": "none"}  # as funding.plan_from_fields reads a missing one


def _shown(value: Any) -> str:
    """A saved field as its box shows it (a file may hold a number or null where the form has text)."""
    return "" if value is None else str(value)


_STATUS_NAMES = {"idea": "Idea (not asked yet)", "asked": "Asked", "pending": "Pending (applied)",
                 "awarded": "Awarded", "declined": "Declined"}
_TOOLTIPS = {
    "name": "A name for the event, e.g. the conference's title",
    "event_date": "The first day of the event, as YYYY-MM-DD (optional; used to suggest when to ask)",
    "registration": "Student registration fee or ticket price, in dollars",
    "distance_miles": "Miles driven there and back",
    "mileage_rate": "Dollars per mile; check your school's reimbursement rate",
    "fare": "Bus, train or plane fare there and back, in dollars",
    "nights": "How many nights you need a room (0 if you go home or stay for free)",
    "lodging_rate": "Hotel or room price per night, in dollars (your share if you split a room)",
    "meal_days": "How many days you pay for your own meals",
    "meal_rate": "What you expect to spend on food per day, in dollars",
    "other": "Anything else: parking, poster printing, membership fees...",
    "other_label": "What the other costs are for",
}
_COST_ROWS = ("registration", "travel_mode", "distance_miles", "mileage_rate", "fare", "nights", "lodging_rate",
              "meal_days", "meal_rate", "other", "other_label")
WORDING = Wording(
    name_label="Plan file name", default_name="my-plan",
    list_label="Saved plans", list_tooltip="Plans you saved before",
    load_tooltip="Open the chosen plan", save_tooltip="Save this plan (only when no field shows a problem)",
    primary_save=True,
    saved="Saved {file} in {folder}.",
    nothing_chosen="Choose a saved plan first.",
    load_failed="Could not load {file}: {error} Your current plan is unchanged.",
    backup_failed="Not opening {what}: your unsaved changes could not be kept ({error}). Save them first.",
    backup_kept=" Your unsaved changes were kept as {backup} (the last {slots} backups are kept).",
    loaded="Loaded {file}.{note}{fix}",
)


class FundingPlanner:
    """Editable costs and funding for one event, with live totals, chart, checklist and files.

    ``plan`` is the starting plan (default: the local preset); ``today`` decides which
    deadlines have passed (tests pass a fixed date); ``folder`` overrides the work folder.
    """

    def __init__(self, plan: EventPlan | None = None, *, content: Content | None = None,
                 today: date | None = None, folder: Path | str | None = None):
        self.content = content or load_content()
        self.today = today or date.today()
        self.folder = folder
        self.plan: EventPlan = plan or funding.preset("local")
        self.problems: dict[str, str] = {}
        self.comparison: list[EventPlan] = []
        self.steps: list[funding.AskStep] = []
        self.draft_text = ""
        self._last_chart: dict[str, list[tuple[str, float]]] = {}
        self._drawn: tuple | None = None
        self._loading = False
        self._notes: dict[str, str] = {}  # each route's note from a saved plan (no box shows it; it is kept)
        self.routes = self.content.funding_routes
        self._create_event_fields()
        self._create_cost_fields()
        self._create_funding_rows()
        self._create_summary()
        self._create_checklist()
        self._create_comparison()
        self._create_files()
        self.container = self._layout()
        self.load_plan(self.plan)
        self.files.mark_clean()

    # ------------------------------------------------------------ building
    def _text(self, key: str, placeholder: str = "") -> widgets.Text:
        box = widgets.Text(description=funding.FIELD_LABELS[key], placeholder=placeholder, continuous_update=False,
                           tooltip=_TOOLTIPS.get(key, ""), style=_STYLE, layout=_WIDE)
        box.observe(self._update, names="value")
        return box

    def _dropdown(self, key: str, options: list[tuple[str, str]], tooltip: str) -> widgets.Dropdown:
        box = widgets.Dropdown(description=funding.FIELD_LABELS[key], options=options, tooltip=tooltip,
                               style=_STYLE, layout=_WIDE)
        box.observe(self._update, names="value")
        return box

    def _create_event_fields(self) -> None:
        self.fields: dict[str, widgets.Widget] = {
            "name": self._text("name"),
            "level": self._dropdown("level", [(funding.LEVEL_NAMES[lv], lv) for lv in funding.PLAN_LEVELS],
                                    "School, local (county), state or national event"),
            "event_date": self._text("event_date", "YYYY-MM-DD"),
        }
        self.preset_button = widgets.Button(
            description="Fill typical costs", icon="magic",
            tooltip="Replace the cost lines with typical figures for this level; then edit them to your event")
        self.preset_button.on_click(self._apply_preset)

    def _create_cost_fields(self) -> None:
        self.fields["registration"] = self._text("registration", "0.00")
        self.fields["travel_mode"] = self._dropdown(
            "travel_mode", [(funding.TRAVEL_MODE_NAMES[m], m) for m in funding.TRAVEL_MODES],
            "How you get there: no cost, driving (miles x rate) or a fare")
        for key in _COST_ROWS[2:]:
            self.fields[key] = self._text(key)
        self.messages: dict[str, widgets.HTML] = {key: widgets.HTML() for key in self.fields}

    def _create_funding_rows(self) -> None:
        self.funding_rows: list[dict[str, widgets.Widget]] = []
        for i, route in enumerate(self.routes):
            row = {
                "label": widgets.HTML(render("funding.html", "route_label", route=route),
                                      layout=widgets.Layout(width="230px")),
                "amount": widgets.Text(description="Amount", placeholder="0.00", continuous_update=False,
                                       tooltip=f"Dollars you ask {route.who} for",
                                       style={"description_width": "60px"}, layout=widgets.Layout(width="170px")),
                "status": widgets.Dropdown(description="Status", options=[(_STATUS_NAMES[s], s)
                                                                          for s in funding.STATUSES],
                                           tooltip=f"Where your request to {route.name} stands",
                                           style={"description_width": "50px"}, layout=widgets.Layout(width="230px")),
                "deadline": widgets.Text(description="Deadline", placeholder="YYYY-MM-DD", continuous_update=False,
                                         tooltip=f"When {route.name} stops taking requests (YYYY-MM-DD), if known",
                                         style={"description_width": "65px"}, layout=widgets.Layout(width="190px")),
            }
            for part in ("amount", "status", "deadline"):
                row[part].observe(self._update, names="value")
                self.messages[f"funding.{i}.{part}"] = widgets.HTML()
            self.funding_rows.append(row)

    def _create_summary(self) -> None:
        self.banner = widgets.HTML()
        self.totals_html = widgets.HTML()
        # An <img> with alt text (ipywidgets' Image has none, and a tooltip on it breaks its view).
        self.chart = widgets.HTML(layout=widgets.Layout(max_width="420px"))
        self.chart_png = b""
        self.chart_key = widgets.HTML(layout=widgets.Layout(margin="8px 0 0 8px"))
        self.chart_text = widgets.HTML()

    def _create_checklist(self) -> None:
        self.checklist = widgets.HTML()
        self.student_name = widgets.Text(description="Your name", placeholder="signs the drafts",
                                         tooltip="Your name, to sign the draft messages", style=_STYLE, layout=_WIDE)
        self.draft_route = widgets.Dropdown(description="Draft to", options=[(r.name, r.id) for r in self.routes],
                                            tooltip="Which funder's draft message to show (at first: the first "
                                                    "route you have not asked yet)", style=_STYLE,
                                            layout=widgets.Layout(width="470px"))  # room for the longest route
        # Until the student picks a route, the draft follows the first route not asked yet.
        self.route_chosen = False
        self._choosing_route = False
        self.student_name.observe(self._show_draft, names="value")
        self.draft_route.observe(self._route_picked, names="value")
        self.draft_panel = DraftPanel("Draft message", "Edit the request until it reads like you, then copy "
                                      "or download it", filename="funding-request.txt", rows=18)
        self.draft = self.draft_panel.container

    def _create_comparison(self) -> None:
        self.compare_button = widgets.Button(description="Add to comparison", icon="plus",
                                             tooltip="Keep a copy of this plan in the comparison table",
                                             layout=widgets.Layout(width="auto"))  # 148 px cuts the words
        self.clear_compare_button = widgets.Button(description="Clear comparison", icon="trash",
                                                   tooltip="Empty the comparison table",
                                                   layout=widgets.Layout(width="auto"))
        self.compare_button.on_click(self._add_to_comparison)
        self.clear_compare_button.on_click(self._clear_comparison)
        self.comparison_html = widgets.HTML()

    def _create_files(self) -> None:
        self.files = FileBar(
            storage.tool_dir("plans", self.folder), funding.PLAN_KIND, WORDING,
            state=lambda: funding.plan_to_dict(self.plan),
            read=self._read_file,
            show=self._show_file,
            blocked=lambda: bool(self.problems),
            draft=self.form_as_typed,
            details=lambda: {"fix": " Fix the fields marked ⚠ before saving." if self.problems else ""},
            exports=(
                Export("Export CSV", "table", "Write the plan as a spreadsheet file",
                       lambda: {".csv": funding.plan_to_csv(self.plan, self.content)}),
                Export("Export Markdown", "file-text", "Write the plan, totals and checklist as a Markdown page",
                       lambda: {".md": funding.plan_to_markdown(self.plan, self.content, self.today)}),
                Export("Export calendar", "calendar", "Write the dates to ask each route as a calendar file "
                       "(.ics) for your own calendar", lambda: {".ics": self.calendar_text()}),
            ),
            style=_STYLE, layout=lambda: _WIDE,
        )
        # The names lessons, tests and the browser checks use.
        self.file_name, self.saved, self.status = self.files.name, self.files.saved, self.files.status
        self.save_button, self.load_button = self.files.save_button, self.files.load_button
        self.export_csv_button, self.export_md_button, self.export_ics_button = self.files.export_buttons

    def _with_message(self, key: str) -> widgets.HBox:
        self.messages[key].layout = widgets.Layout(max_width="320px")
        self.rows[key] = widgets.HBox([self.fields[key], self.messages[key]])
        return self.rows[key]

    def _layout(self) -> widgets.VBox:
        self.rows: dict[str, widgets.HBox] = {}
        event = [self._with_message("name"), widgets.HBox([self.fields["level"], self.preset_button]),
                 self._with_message("event_date")]
        costs = [self._with_message(k) for k in _COST_ROWS]
        routes = []
        for i, row in enumerate(self.funding_rows):
            routes.append(widgets.HBox([row["label"], row["amount"], row["status"], row["deadline"]]))
            routes.append(widgets.HBox([self.messages[f"funding.{i}.{p}"] for p in ("amount", "status", "deadline")]))
        left = widgets.VBox([widgets.HTML("<h4>The event</h4>"), *event, widgets.HTML("<h4>Costs</h4>"), *costs],
                            layout=widgets.Layout(min_width="540px"))
        right = widgets.VBox([widgets.HTML("<h4>Totals</h4>"), self.banner, self.totals_html,
                              widgets.HBox([self.chart, self.chart_key]), self.chart_text],
                             layout=widgets.Layout(min_width="420px", margin="0 0 0 16px"))
        return widgets.VBox([
            widgets.HTML(render("funding.html", "header", short=self.content.sources["article"].short)),
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            widgets.HTML("<h4>Funding routes</h4><p><small>Awarded money counts as secured; asked or pending as "
                         "pending; ideas are not counted until you ask.</small></p>"), *routes,
            widgets.HTML("<h4>Whom to ask, in what order</h4>"), self.checklist,
            widgets.HBox([self.draft_route, self.student_name]), self.draft,
            widgets.HTML("<h4>Compare events</h4>"),
            widgets.HBox([self.compare_button, self.clear_compare_button]), self.comparison_html,
            widgets.HTML("<h4>Save, load, export</h4>"), self.files.container,
        ])

    def _show_travel_fields(self) -> None:
        """Show the travel fields that count for the chosen mode, and any field with a problem."""
        mode = self.fields["travel_mode"].value
        for key, shown_for in (("distance_miles", "drive"), ("mileage_rate", "drive"), ("fare", "fare")):
            visible = mode == shown_for or key in self.problems
            self.rows[key].layout.display = "" if visible else "none"

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.container._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------ the one update path
    def _read_fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {key: box.value for key, box in self.fields.items()}
        data["funding"] = [{"route": route.id, "amount": row["amount"].value, "status": row["status"].value,
                            "deadline": row["deadline"].value, "note": self._notes.get(route.id, "")}
                           for route, row in zip(self.routes, self.funding_rows, strict=True)]
        return data

    def form_as_typed(self) -> dict[str, Any]:
        """The form exactly as it shows, in the saved format: what a backup keeps, checked or not."""
        return {"format": funding.FORMAT, **self._read_fields()}

    def _update(self, _change: Any = None) -> None:
        if self._loading:
            return
        plan, problems = funding.plan_from_fields(self._read_fields(), self.today, self.content)
        self.problems = problems
        self._show_travel_fields()
        for key, box in self.messages.items():
            box.value = alert_html(problems.get(key))
        if plan is not None:
            # Routes left at zero, "idea" and no deadline are not part of the plan yet.
            used = tuple(r for r in plan.funding if r.amount or r.status != "idea" or r.deadline or r.note)
            self.plan = replace(plan, funding=used)
            self.banner.value = ""
        else:
            unplaced = [text for key, text in problems.items() if key not in self.messages]
            self.banner.value = render("funding.html", "banner", unplaced=unplaced, style=ERROR_STYLE)
        self._show_results()

    def _show_results(self) -> None:
        """Totals, chart, checklist and draft for ``self.plan``; its totals are computed once, here."""
        self.totals = t = funding.totals(self.plan)
        self.totals_html.value = render("funding.html", "totals", t=t, share=funding.format_share(t.share_secured))
        drawn = (funding.chart_data(self.plan, self.content, totals=t), float(t.surplus))
        if drawn != self._drawn:  # a redraw costs ~60 ms of CPU; skip it when the bars are the same
            self._drawn = drawn
            self._last_chart = drawn[0]
            self.chart_png = chart_png(*drawn)
            self.chart_key.value = chart_key_html(self._last_chart)
        self.chart_text.value = render("funding.html", "chart_text", description=t.describe())
        self.chart_alt = f"Bar chart of costs against funding. {t.describe()}"
        self.chart.value = render("funding.html", "chart", png=base64.b64encode(self.chart_png).decode("ascii"),
                                  alt=self.chart_alt)
        self.steps = funding.ask_order(self.plan, self.content, self.today, totals=t)
        self.checklist.value = render("funding.html", "checklist", steps=self.steps, overdue_style=ERROR_STYLE)
        self._show_draft()

    def _route_picked(self, _change: Any) -> None:
        if not self._choosing_route:
            self.route_chosen = True
        self._show_draft()

    def default_route(self) -> str:
        """The route a draft goes to unless the student picks one: the first not asked yet, in ask order."""
        step = funding.first_to_ask(self.steps) or next((s for s in self.steps if not s.done), None)
        return (step or self.steps[0]).route.id

    def _show_draft(self, _change: Any = None) -> None:
        if not self.route_chosen and self.draft_route.value != self.default_route():
            self._choosing_route = True
            try:
                self.draft_route.value = self.default_route()  # calls back here once
            finally:
                self._choosing_route = False
            return
        name = self.student_name.value.strip() or "[your name]"
        route = self.draft_route.value
        amount = next(step.amount for step in self.steps if step.route.id == route)
        self.draft_text = funding.draft_request(self.plan, route, self.content, student=name, amount=amount,
                                                totals=self.totals)
        stem = safe_filename(f"{self.plan.name}-request-{route}", "").rstrip("-") or "funding-request"
        self.draft_panel.offer(self.draft_text, f"{stem}.txt")

    def calendar_text(self) -> str:
        """The ask-by dates of the routes still to ask, as an .ics calendar file."""
        events = funding.ask_by_events(self.plan, self.steps)
        if not events:
            raise StorageError("No ask-by dates to export yet: give the event a date (or a route a deadline), "
                               "and leave at least one route still to ask.")
        return ics.calendar_text(events, name=f"Funding: {self.plan.name}")

    # ------------------------------------------------------------ actions
    def chart_data(self) -> dict[str, list[tuple[str, float]]]:
        """What the chart last drew: cost bars and the secured/pending/gap stack (dollars)."""
        return self._last_chart

    def load_plan(self, plan: EventPlan) -> None:
        """Show ``plan`` in the form (from a preset, a file or the opportunity finder)."""
        self._fill(funding.plan_to_fields(plan))
        self.plan = plan
        self.route_chosen = False  # a new plan: the draft goes to its first route not asked yet
        self._update()

    def _fill(self, fields: dict[str, Any]) -> None:
        """Put a plan's fields (strings, as :func:`funding.plan_to_fields` gives) in the form, then update once."""
        by_route: dict[str, dict[str, Any]] = {}
        for request in fields.get("funding") or []:
            by_route.setdefault(request.get("route", ""), request)
        self._notes = {route: str(request.get("note") or "") for route, request in by_route.items()}
        self._loading = True
        try:
            for key, box in self.fields.items():
                box.value = (fields.get(key) or _CHOICE_DEFAULTS[key]) if key in _CHOICE_DEFAULTS else \
                    _shown(fields.get(key, ""))
            for route, row in zip(self.routes, self.funding_rows, strict=True):
                request = by_route.get(route.id, {})
                amount = _shown(request.get("amount", ""))
                row["amount"].value = "" if amount == "0.00" else amount
                row["status"].value = request.get("status") or "idea"
                row["deadline"].value = _shown(request.get("deadline", ""))
        finally:
            self._loading = False

    def _read_file(self, data: Any, filename: str) -> EventPlan | dict[str, Any]:
        """A saved plan, checked; a backup whose typed fields do not check yet comes back as those fields."""
        plan, problems = funding.checked_dict(data, self.content)
        choices = [key for key in problems if key in ("level", "travel_mode") or key.endswith((".route", ".status"))]
        if plan is None and (not storage.is_backup_name(filename) or choices):
            raise funding.PlanError("The saved plan has problems: " + " ".join(problems.values()))
        seen: set[Any] = set()
        twice = next((r.get("route") for r in data.get("funding") or [] if r.get("route") in seen
                      or seen.add(r.get("route"))), None)
        if twice is not None:
            raise funding.PlanError(f"The saved plan has two requests to {twice!r}; the planner keeps one per route.")
        return plan if plan is not None else data

    def _show_file(self, loaded: EventPlan | dict[str, Any]) -> None:
        if isinstance(loaded, EventPlan):
            self.load_plan(loaded)
            return
        self._fill(loaded)  # a backup as it was typed: its messages show, and Save waits for the fixes
        self._update()

    def replace_plan(self, plan: EventPlan, what: str) -> str | None:
        """Show ``plan`` instead of the current one, first keeping unsaved changes in a backup file.

        Returns a sentence for the status line ("" when nothing needed keeping), or None when the
        backup could not be written, in which case the current plan stays as it is.
        """
        note = self.files.keep_unsaved(what)
        if note is None:
            return None
        self.load_plan(plan)
        self.files.mark_clean()
        return note

    def _apply_preset(self, _button: Any = None) -> None:
        typical = funding.plan_to_fields(funding.preset(self.fields["level"].value))
        self._loading = True
        try:
            for key in funding.COST_FIELDS + ("travel_mode", "other_label"):
                self.fields[key].value = typical[key]
        finally:
            self._loading = False
        self._update()
        self.files.say(f"Filled typical costs for a {funding.LEVEL_NAMES[self.fields['level'].value].lower()} "
                       "event: edit them to match yours.")

    def _add_to_comparison(self, _button: Any = None) -> None:
        if self.problems:
            self.files.say("Fix the marked fields before adding this plan to the comparison.", "error")
            return
        self.comparison.append(self.plan)
        self._show_comparison()

    def _clear_comparison(self, _button: Any = None) -> None:
        self.comparison = []
        self._show_comparison()

    def _show_comparison(self) -> None:
        if not self.comparison:
            self.comparison_html.value = ""
            return
        table = funding.format_table(funding.compare_events(self.comparison))
        self.comparison_html.value = table.to_html(index=False, escape=True, border=0)

    def plans_dir(self) -> Path:
        return self.files.folder

    def save(self) -> Path | None:
        """Save the plan as JSON (atomically); refused while any field shows a problem."""
        return self.files.save()

    def load(self, name: str) -> Path | None:
        """Open a saved plan by file name; a damaged file leaves the current plan as it is."""
        return self.files.load(name)

    def export(self, kind: str) -> Path | None:
        """Write the plan as ``csv`` or ``md`` next to the saved plans."""
        paths = self.files.export(self.files.exports[0 if kind == "csv" else 1])
        return paths[0] if paths else None
