"""OpportunityFinder: filter the catalogue of networking opportunities, then plan funding for one.

Filters (level, specialty interest, benefit sought, typical cost) feed one update path that
redraws the results table and the list to choose from. "Plan funding for this" hands the
chosen opportunity to a :class:`~netcourse.widgets.funding_planner.FundingPlanner` (the one
given, or one created below the finder) filled with the preset for its level and cost.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from netcourse import funding, opportunities
from netcourse.content import Content, load_content
from netcourse.widgets.alerts import message_html
from netcourse.widgets.funding_planner import FundingPlanner
from netcourse.widgets.render import render

_STYLE = {"description_width": "150px"}
_WIDE = widgets.Layout(width="380px")
ALL = ""
# "" rather than None for "Any cost": a Dropdown whose value is None shows an empty box.
COST_LIMITS = (("Any cost", ALL), ("Free", Decimal("0")), ("Up to $100", Decimal("100")),
               ("Up to $500", Decimal("500")), ("Up to $1,000", Decimal("1000")))
COURSE_NOTE = "the course's own suggestion, not from the article"


class OpportunityFinder:
    """Browse opportunity types; pass one to a funding planner.

    ``catalogue`` defaults to the packaged one; ``planner`` is an existing FundingPlanner to
    fill (else one is created on first use, with ``today`` and ``folder`` passed on).
    """

    def __init__(self, catalogue: pd.DataFrame | None = None, *, planner: FundingPlanner | None = None,
                 content: Content | None = None, today: date | None = None, folder: Path | str | None = None):
        self.content = content or load_content()
        self.catalogue = catalogue if catalogue is not None else opportunities.load_catalogue(content=self.content)
        self.planner = planner
        self.today = today
        self.folder = folder
        self.results = self.catalogue
        self._benefit_names = {b.id: b.name for b in self.content.benefits}
        self._level_names = {lv.id: lv.name for lv in self.content.levels}
        self._create_filters()
        self._create_results()
        self._create_handoff()
        self.container = widgets.VBox([
            widgets.HTML(render("finder.html", "header",
                                specialties=len(opportunities.specialties(self.catalogue)) - 1)),
            widgets.HBox([self.level, self.specialty]), widgets.HBox([self.benefit, self.cost]),
            self.count, self.table, widgets.HBox([self.choice, self.plan_button]), self.details, self.status,
            self.planner_box,
        ])
        self._update()

    # ------------------------------------------------------------ building
    def _create_filters(self) -> None:
        self.level = widgets.Dropdown(description="Level", options=[("All levels", ALL)] + [
            (lv.name, lv.id) for lv in self.content.levels], tooltip="School, local (county and state) or national",
            style=_STYLE, layout=_WIDE)
        self.specialty = widgets.Dropdown(description="Specialty interest", options=[
            ("Any specialty", opportunities.ANY)] + [(s.capitalize(), s) for s in
                                                     opportunities.specialties(self.catalogue)[1:]],
            tooltip="Show opportunities open to this specialty interest (and those open to all)",
            style=_STYLE, layout=_WIDE)
        self.benefit = widgets.Dropdown(description="Benefit sought", options=[("Any benefit", ALL)] + [
            (b.name, b.id) for b in self.content.benefits], tooltip="One of the six benefits of networking "
            "the article lists", style=_STYLE, layout=_WIDE)
        self.cost = widgets.Dropdown(description="Typical cost", options=list(COST_LIMITS),
                                     tooltip="Typical total cost to a student (ticket, travel, lodging, food)",
                                     style=_STYLE, layout=_WIDE)
        for control in (self.level, self.specialty, self.benefit, self.cost):
            control.observe(self._update, names="value")

    def _create_results(self) -> None:
        self.count = widgets.HTML()
        self.table = widgets.HTML()
        self.choice = widgets.Dropdown(description="Choose one", options=[], tooltip="An opportunity from the list",
                                       style=_STYLE, layout=widgets.Layout(width="520px"))
        self.choice.observe(self._show_details, names="value")
        self.details = widgets.HTML()

    def _create_handoff(self) -> None:
        self.plan_button = widgets.Button(description="Plan funding for this", icon="calculator",
                                          tooltip="Open the funding planner with typical costs for this opportunity",
                                          layout=widgets.Layout(width="auto"))
        self.plan_button.on_click(self._plan_funding)
        self.status = widgets.HTML()
        self.planner_box = widgets.VBox([self.planner.container] if self.planner else [])

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.container._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------ the update path
    def _update(self, _change: Any = None) -> None:
        self.results = opportunities.filter_opportunities(
            self.catalogue, level=self.level.value or None, specialty=self.specialty.value,
            benefit=self.benefit.value or None, max_cost=None if self.cost.value == ALL else self.cost.value)
        n = len(self.results)
        self.count.value = render("finder.html", "count", n=n)
        self.table.value = self._table_html(self.results)
        previous = self.choice.value
        self.choice.options = [(name, oid) for oid, name in zip(self.results["id"], self.results["name"],
                                                                strict=True)]
        if previous in self.results.index:
            self.choice.value = previous
        elif n:
            self.choice.value = self.results.index[0]
        self._show_details()

    def _table_html(self, rows: pd.DataFrame) -> str:
        shown = []
        for _, row in rows.iterrows():
            scope = f" ({row['scope']})" if row["scope"] != row["level"] else ""
            shown.append({"name": row["name"], "level": self._level_names[row["level"]] + scope,
                          "specialties": ", ".join(row["specialties"]),
                          "benefits": ", ".join(self._benefit_names[b] for b in row["benefit_ids"]),
                          "cost": row["typical_cost"], "band": row["cost_band"], "source": self._source(row)})
        return render("finder.html", "table", rows=shown)

    def _show_details(self, _change: Any = None) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.details.value = ""
            self.plan_button.disabled = True
            return
        is_funding = chosen["kind"] == "funding"
        self.plan_button.disabled = is_funding
        self.details.value = render(
            "finder.html", "details", name=chosen["name"], how_to_find=chosen["how_to_find"],
            source=self._source(chosen), is_course=chosen["source"] == opportunities.COURSE_SOURCE,
            is_funding=is_funding,
            cost_sentence=self._cost_sentence(chosen), tips=self.content.level(chosen["level"]).how_to_find)

    def _source(self, row: pd.Series) -> str:
        if row["source"] == opportunities.COURSE_SOURCE:
            return "Course addition"
        return self.content.sources[row["source"]].short

    def _cost_sentence(self, chosen: pd.Series) -> str:
        if chosen["typical_cost"] == 0:
            return "Typical cost to you: free."
        names = {cost.id: cost.name.lower() for cost in self.content.costs}
        lines = funding.cost_lines(opportunities.plan_for(chosen))
        extras = [names[key] for key, amount in lines.items() if amount and key != "ticket"]
        what = f"registration {funding.format_money(chosen['registration'])}"
        if extras:
            level = funding.LEVEL_NAMES[chosen["plan_level"]].lower()
            what += f" plus typical {', '.join(extras)} for a {level} event"
        else:
            what += " only"
        return f"Typical cost to you: {funding.format_money(chosen['typical_cost'])} ({what})."

    # ------------------------------------------------------------ hand-off
    def chosen(self) -> pd.Series | None:
        oid = self.choice.value
        if oid is None or oid not in self.results.index:
            return None
        return self.results.loc[oid]

    def _plan_funding(self, _button: Any = None) -> FundingPlanner | None:
        chosen = self.chosen()
        if chosen is None or chosen["kind"] == "funding":
            self.status.value = message_html("Choose an event or role from the list first.", "tip")
            return None
        if self.planner is None:
            self.planner = FundingPlanner(content=self.content, today=self.today, folder=self.folder)
            self.planner_box.children = [self.planner.container]
        note = self.planner.replace_plan(opportunities.plan_for(chosen), chosen["name"])
        if note is None:
            self.status.value = message_html(
                "The funding planner below could not keep your unsaved plan; save it first.", "error")
            return None
        self.status.value = render("finder.html", "handed_over", name=chosen["name"], note=note)
        return self.planner
