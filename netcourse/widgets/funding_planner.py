"""FundingPlanner: plan what an event costs, who might pay, and whom to ask first.

Every edit goes through one path (:meth:`FundingPlanner._update`): the form's strings are
checked by :func:`netcourse.funding.plan_from_fields`; when everything is usable the plan,
totals, chart, checklist and draft follow, and when something is not, a message appears
next to that field and the plan stays exactly as it was (saving and exporting wait until
the problem is fixed). Plans are saved as JSON, atomically, under ``work_dir()/plans``.
"""

from __future__ import annotations

import html
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netcourse import funding, storage
from netcourse.content import Content, load_content
from netcourse.funding import EventPlan
from netcourse.widgets.alerts import ERROR_STYLE, alert_html

_WIDE = widgets.Layout(width="360px")
_STYLE = {"description_width": "170px"}
_COST_COLOURS = ["#4c72b0", "#55a868", "#8172b2", "#ccb974", "#64b5cd"]
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


_FUNDING_STYLES = {"Secured": dict(color="#1a7f37"), "Pending": dict(color="#e3a008"),
                   "Gap": dict(color="white", edgecolor="#b42318", hatch="///")}
_FUNDING_SWATCH = {"Secured": "background:#1a7f37", "Pending": "background:#e3a008",
                   "Gap": "background:repeating-linear-gradient(45deg,#fff 0 3px,#b42318 3px 4px);"
                          "border:1px solid #b42318"}


def chart_png(data: dict[str, list[tuple[str, float]]], surplus: float = 0.0) -> bytes:
    """Draw costs stacked against secured, pending and gap (Agg, no pyplot state) as PNG bytes.

    The key is HTML beside the chart (:func:`chart_key_html`): text a screen reader can read,
    and drawing a legend would double the time each redraw takes.
    """
    fig = Figure(figsize=(4.6, 3.0), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    bottom = 0.0
    for (label, value), colour in zip(data["costs"], _COST_COLOURS, strict=False):
        ax.bar("Costs", value, bottom=bottom, color=colour, label=label, edgecolor="white")
        bottom += value
    bottom = 0.0
    for label, value in data["funding"]:
        ax.bar("Funding", value, bottom=bottom, label=label, **_FUNDING_STYLES[label])
        if value:
            ax.text(1, bottom + value / 2, label, ha="center", va="center", fontsize=8)
        bottom += value
    if surplus:
        ax.set_title(f"Over-funded by ${surplus:,.2f}", fontsize=9)
    ax.locator_params(axis="y", nbins=5)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"${v:,.0f}")
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.1, top=0.9)  # fixed margins; tight_layout costs more
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer)
    return buffer.getvalue()


def chart_key_html(data: dict[str, list[tuple[str, float]]]) -> str:
    """The chart's key with the amounts, as a small table (the same figures as the bars)."""
    def row(swatch: str, label: str, value: float) -> str:
        return (f'<tr><td><span style="display:inline-block;width:12px;height:12px;{swatch}"></span></td>'
                f"<td>{html.escape(label)}</td><td style='text-align:right'>${value:,.2f}</td></tr>")

    costs = "".join(row(f"background:{colour}", label, value)
                    for (label, value), colour in zip(data["costs"], _COST_COLOURS, strict=False))
    money = "".join(row(_FUNDING_SWATCH[label], label, value) for label, value in data["funding"])
    return (f'<table aria-label="Chart key"><tr><th colspan="3" style="text-align:left">Costs bar</th></tr>{costs}'
            f'<tr><th colspan="3" style="text-align:left">Funding bar</th></tr>{money}</table>')


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
        self._last_chart: dict[str, list[tuple[str, float]]] = {}
        self._drawn: tuple | None = None
        self._loading = False
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
        # What the student last saved or opened: a Load compares against it to keep unsaved work.
        self._saved_state = funding.plan_to_dict(self.plan)

    # ------------------------------------------------------------ building
    def _text(self, key: str, placeholder: str = "") -> widgets.Text:
        box = widgets.Text(description=funding.FIELD_LABELS[key], placeholder=placeholder, continuous_update=False,
                           tooltip=_TOOLTIPS.get(key, ""), style=_STYLE, layout=_WIDE)
        box.observe(self._update, names="value")
        return box

    def _create_event_fields(self) -> None:
        self.fields: dict[str, widgets.Widget] = {}
        self.messages: dict[str, widgets.HTML] = {}
        self.fields["name"] = self._text("name")
        self.fields["level"] = widgets.Dropdown(
            description="Level", options=[(funding.LEVEL_NAMES[lv], lv) for lv in funding.PLAN_LEVELS],
            tooltip="School, local (county), state or national event", style=_STYLE, layout=_WIDE)
        self.fields["level"].observe(self._update, names="value")
        self.preset_button = widgets.Button(
            description="Fill typical costs", icon="magic",
            tooltip="Replace the cost lines with typical figures for this level; then edit them to your event")
        self.preset_button.on_click(self._apply_preset)
        self.fields["event_date"] = self._text("event_date", "YYYY-MM-DD")

    def _create_cost_fields(self) -> None:
        self.fields["registration"] = self._text("registration", "0.00")
        self.fields["travel_mode"] = widgets.Dropdown(
            description="Travel", options=[(funding.TRAVEL_MODE_NAMES[m], m) for m in funding.TRAVEL_MODES],
            tooltip="How you get there: no cost, driving (miles x rate) or a fare", style=_STYLE, layout=_WIDE)
        self.fields["travel_mode"].observe(self._update, names="value")
        for key in ("distance_miles", "mileage_rate", "fare", "nights", "lodging_rate", "meal_days", "meal_rate",
                    "other", "other_label"):
            self.fields[key] = self._text(key)
        for key in self.fields:
            self.messages[key] = widgets.HTML()

    def _create_funding_rows(self) -> None:
        self.funding_rows: list[dict[str, widgets.Widget]] = []
        for i, route in enumerate(self.routes):
            row = {
                "label": widgets.HTML(f'<b title="{html.escape(route.wording)}">{html.escape(route.name)}</b>',
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
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="420px"))
        self.chart_key = widgets.HTML(layout=widgets.Layout(margin="8px 0 0 8px"))
        self.chart_text = widgets.HTML()

    def _create_checklist(self) -> None:
        self.checklist = widgets.HTML()
        self.student_name = widgets.Text(description="Your name", placeholder="signs the drafts",
                                         tooltip="Your name, to sign the draft messages", style=_STYLE, layout=_WIDE)
        self.draft_route = widgets.Dropdown(description="Draft to", options=[(r.name, r.id) for r in self.routes],
                                            tooltip="Which funder's draft message to show", style=_STYLE,
                                            layout=_WIDE)
        self.student_name.observe(self._show_draft, names="value")
        self.draft_route.observe(self._show_draft, names="value")
        self.draft = widgets.HTML()

    def _create_comparison(self) -> None:
        self.compare_button = widgets.Button(description="Add to comparison", icon="plus",
                                             tooltip="Keep a copy of this plan in the comparison table")
        self.clear_compare_button = widgets.Button(description="Clear comparison", icon="trash",
                                                   tooltip="Empty the comparison table")
        self.compare_button.on_click(self._add_to_comparison)
        self.clear_compare_button.on_click(self._clear_comparison)
        self.comparison_html = widgets.HTML()

    def _create_files(self) -> None:
        # Sync on Enter or leaving the box, so a quick click on Save never races the last keystrokes.
        self.file_name = widgets.Text(description="Plan file name", value="my-plan", tooltip="Name to save under",
                                      continuous_update=False,
                                      style=_STYLE, layout=_WIDE)
        self.save_button = widgets.Button(description="Save", icon="save", button_style="primary",
                                          tooltip="Save this plan (only when no field shows a problem)")
        self.saved = widgets.Dropdown(description="Saved plans", options=[], tooltip="Plans you saved before",
                                      style=_STYLE, layout=_WIDE)
        self.load_button = widgets.Button(description="Load", icon="folder-open", tooltip="Open the chosen plan")
        self.export_csv_button = widgets.Button(description="Export CSV", icon="table",
                                                tooltip="Write the plan as a spreadsheet file")
        self.export_md_button = widgets.Button(description="Export Markdown", icon="file-text",
                                               tooltip="Write the plan, totals and checklist as a Markdown page")
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load(self.saved.value or ""))
        self.export_csv_button.on_click(lambda _b: self.export("csv"))
        self.export_md_button.on_click(lambda _b: self.export("md"))
        self.status = widgets.HTML()
        self._refresh_saved()

    def _with_message(self, key: str) -> widgets.HBox:
        self.messages[key].layout = widgets.Layout(max_width="320px")
        self.rows[key] = widgets.HBox([self.fields[key], self.messages[key]])
        return self.rows[key]

    def _layout(self) -> widgets.VBox:
        self.rows: dict[str, widgets.HBox] = {}
        event = [self._with_message("name"), widgets.HBox([self.fields["level"], self.preset_button]),
                 self._with_message("event_date")]
        costs = [self._with_message(k) for k in ("registration", "travel_mode", "distance_miles", "mileage_rate",
                                                 "fare", "nights", "lodging_rate", "meal_days", "meal_rate", "other",
                                                 "other_label")]
        routes = []
        for i, row in enumerate(self.funding_rows):
            routes.append(widgets.HBox([row["label"], row["amount"], row["status"], row["deadline"]]))
            routes.append(widgets.HBox([self.messages[f"funding.{i}.{p}"] for p in ("amount", "status", "deadline")]))
        short = html.escape(self.content.sources["article"].short)
        left = widgets.VBox([widgets.HTML("<h4>The event</h4>"), *event, widgets.HTML("<h4>Costs</h4>"), *costs],
                            layout=widgets.Layout(min_width="540px"))
        right = widgets.VBox([widgets.HTML("<h4>Totals</h4>"), self.banner, self.totals_html,
                              widgets.HBox([self.chart, self.chart_key]), self.chart_text],
                             layout=widgets.Layout(min_width="420px", margin="0 0 0 16px"))
        return widgets.VBox([
            widgets.HTML("<h3>Funding planner</h3><p>What an event costs (a ticket, travel, lodging, food and more) "
                         "and the five routes to funding that may cover all or part of it, as the article lists "
                         f"them <small>({short})</small>.</p>"),
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            widgets.HTML("<h4>Funding routes</h4><p><small>Awarded money counts as secured; asked or pending as "
                         "pending; ideas are not counted until you ask.</small></p>"), *routes,
            widgets.HTML("<h4>Whom to ask, in what order</h4>"), self.checklist,
            widgets.HBox([self.draft_route, self.student_name]), self.draft,
            widgets.HTML("<h4>Compare events</h4>"),
            widgets.HBox([self.compare_button, self.clear_compare_button]), self.comparison_html,
            widgets.HTML("<h4>Save, load, export</h4>"),
            widgets.HBox([self.file_name, self.save_button]), widgets.HBox([self.saved, self.load_button]),
            widgets.HBox([self.export_csv_button, self.export_md_button]), self.status,
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
                            "deadline": row["deadline"].value} for route, row in zip(self.routes, self.funding_rows,
                                                                                     strict=True)]
        return data

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
            used = tuple(r for r in plan.funding if r.amount or r.status != "idea" or r.deadline)
            self.plan = replace(plan, funding=used)
            self.banner.value = ""
        else:
            unplaced = [text for key, text in problems.items() if key not in self.messages]
            self.banner.value = (f'<div role="alert" style="{ERROR_STYLE}">Please fix the field(s) marked ⚠. '
                                 "Totals and chart show your last complete plan; saving waits until it is fixed."
                                 + "".join(f"<br>{html.escape(t)}" for t in unplaced) + "</div>")
        self._show_results()

    def _show_results(self) -> None:
        self.totals = funding.totals(self.plan)
        t = self.totals
        cells = [("Total cost", t.cost), ("Secured (awarded)", t.secured), ("Pending (asked)", t.pending),
                 ("Planned, not asked", t.ideas), ("Gap", t.gap)]
        rows = "".join(f"<tr><th style='text-align:left'>{name}</th><td style='text-align:right'>"
                       f"{funding.format_money(v)}</td></tr>" for name, v in cells)
        share = funding.format_share(t.share_secured)
        note = ""
        if t.surplus:
            note = (f"<p>Over-funded by {funding.format_money(t.surplus)}: tell your funders and return or decline "
                    "the extra.</p>")
        elif t.fully_covered:
            note = "<p>Fully covered by money already awarded.</p>"
        self.totals_html.value = (f'<table aria-label="Totals">{rows}<tr><th style="text-align:left">Share secured'
                                  f"</th><td style='text-align:right'>{share}</td></tr></table>{note}")
        drawn = (funding.chart_data(self.plan, self.content), float(t.surplus))
        if drawn != self._drawn:  # a redraw costs ~60 ms of CPU; skip it when the bars are the same
            self._drawn = drawn
            self._last_chart = drawn[0]
            self.chart.value = chart_png(*drawn)
        self.chart_key.value = chart_key_html(self._last_chart)
        self.chart_text.value = f"<small>Chart: {html.escape(t.describe())}</small>"
        self._show_checklist()
        self._show_draft()

    def _show_checklist(self) -> None:
        items = []
        for step in funding.ask_order(self.plan, self.content, self.today):
            by = ""
            if step.ask_by:
                by = f" — ask by {step.ask_by.isoformat()}" + (" (suggested)" if step.ask_by_is_suggested else "")
            flag = ' <b style="color:#b42318">(overdue)</b>' if step.overdue else ""
            tick = "☑" if step.done else "☐"
            items.append(f"<li>{tick} <b>{html.escape(step.route.name)}</b> ({html.escape(step.route.who)}): "
                         f"{html.escape(step.status)}, {funding.format_money(step.amount)}{by}{flag}</li>")
        self.checklist.value = "<ol>" + "".join(items) + "</ol>"

    def _show_draft(self, _change: Any = None) -> None:
        name = self.student_name.value.strip() or "[your name]"
        text = funding.draft_request(self.plan, self.draft_route.value, self.content, student=name)
        self.draft.value = ('<pre style="white-space:pre-wrap;border:1px solid #d0d7de;padding:6px" '
                            f'aria-label="Draft message">{html.escape(text)}</pre>'
                            "<small>Copy this draft into your email and make it your own.</small>")

    # ------------------------------------------------------------ actions
    def chart_data(self) -> dict[str, list[tuple[str, float]]]:
        """What the chart last drew: cost bars and the secured/pending/gap stack (dollars)."""
        return self._last_chart

    def load_plan(self, plan: EventPlan) -> None:
        """Show ``plan`` in the form (from a preset, a file or the opportunity finder)."""
        fields = funding.plan_to_fields(plan)
        by_route = {}
        for request in fields["funding"]:
            by_route.setdefault(request["route"], request)
        self._loading = True
        try:
            for key, box in self.fields.items():
                box.value = fields[key]
            for route, row in zip(self.routes, self.funding_rows, strict=True):
                request = by_route.get(route.id, {"amount": "", "status": "idea", "deadline": ""})
                row["amount"].value = "" if request["amount"] in ("", "0.00") else request["amount"]
                row["status"].value = request["status"]
                row["deadline"].value = request["deadline"]
        finally:
            self._loading = False
        self.plan = plan
        self._update()

    def replace_plan(self, plan: EventPlan, what: str) -> str | None:
        """Show ``plan`` instead of the current one, first keeping unsaved changes in a backup file.

        Returns a sentence for the status line ("" when nothing needed keeping), or None when the
        backup could not be written, in which case the current plan stays as it is.
        """
        current = funding.plan_to_dict(self.plan)
        note = ""
        if current != self._saved_state:
            path = self.plans_dir() / f"{storage.BACKUP_STEM}.json"
            try:
                storage.save_json(path, current, funding.PLAN_KIND)
            except storage.StorageError as exc:
                self.status.value = alert_html(f"Not opening {what}: your unsaved changes could not be kept "
                                               f"({exc}). Save them first.")
                return None
            self._refresh_saved()
            note = f" Your unsaved changes were kept as {path.name}."
        self.load_plan(plan)
        self._saved_state = funding.plan_to_dict(plan)
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
        self.status.value = (f"Filled typical costs for a {funding.LEVEL_NAMES[self.fields['level'].value].lower()} "
                             "event: edit them to match yours.")

    def _add_to_comparison(self, _button: Any = None) -> None:
        if self.problems:
            self.status.value = alert_html("Fix the marked fields before adding this plan to the comparison.")
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
        return storage.work_dir(self.folder) / "plans"

    def _refresh_saved(self) -> None:
        folder = self.plans_dir()
        names = sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []
        self.saved.options = names

    def _target(self, suffix: str) -> Path | None:
        try:
            return self.plans_dir() / storage.safe_filename(self.file_name.value, suffix)
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None

    def save(self) -> Path | None:
        """Save the plan as JSON (atomically); refused while any field shows a problem."""
        if self.problems:
            self.status.value = alert_html("Not saved: fix the fields marked ⚠ first. Your saved file is "
                                              "unchanged.")
            return None
        path = self._target(".json")
        if path is None:
            return None
        try:
            storage.save_json(path, funding.plan_to_dict(self.plan), funding.PLAN_KIND)
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None
        self._saved_state = funding.plan_to_dict(self.plan)
        self._refresh_saved()
        self.saved.value = path.name
        self.status.value = f"Saved {html.escape(path.name)} in {html.escape(str(path.parent))}."
        return path

    def load(self, name: str) -> EventPlan | None:
        """Open a saved plan by file name; a damaged file leaves the current plan as it is."""
        if not name:
            self.status.value = alert_html("Choose a saved plan first.")
            return None
        path = self.plans_dir() / Path(name).name
        try:
            plan = funding.plan_from_dict(storage.load_json(path, funding.PLAN_KIND), self.content)
        except (storage.StorageError, funding.PlanError) as exc:
            self.status.value = alert_html(f"Could not load {path.name}: {exc} Your current plan is unchanged.")
            return None
        note = self.replace_plan(plan, path.name)
        if note is None:
            return None
        self.file_name.value = path.stem
        self.status.value = f"Loaded {html.escape(path.name)}.{html.escape(note)}"
        return plan

    def export(self, kind: str) -> Path | None:
        """Write the plan as ``csv`` or ``md`` next to the saved plans."""
        if self.problems:
            self.status.value = alert_html("Not exported: fix the fields marked ⚠ first.")
            return None
        path = self._target(".csv" if kind == "csv" else ".md")
        if path is None:
            return None
        text = (funding.plan_to_csv(self.plan, self.content) if kind == "csv"
                else funding.plan_to_markdown(self.plan, self.content, self.today))
        try:
            storage.atomic_write_text(path, text)
        except storage.StorageError as exc:
            self.status.value = alert_html(str(exc))
            return None
        self.status.value = f"Exported {html.escape(path.name)} in {html.escape(str(path.parent))}."
        return path
