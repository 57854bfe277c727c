"""Paying for an event: exact money, a plan's costs and funding, the gap, and whom to ask.

One concern a module:

* :mod:`~netcourse.funding.amounts` -- Decimal cents: parse what a student typed, add, format;
* :mod:`~netcourse.funding.plan` -- :class:`EventPlan`, the presets per level and :func:`totals`;
* :mod:`~netcourse.funding.fields` -- :func:`plan_from_fields` (a form's strings, checked) and the saved format;
* :mod:`~netcourse.funding.tables` -- cost and funding tables, :func:`compare_events`, :func:`chart_data`;
* :mod:`~netcourse.funding.asking` -- :func:`ask_order` and :func:`draft_request`: whom to ask, by when, how;
* :mod:`~netcourse.funding.export` -- :func:`plan_to_csv` and :func:`plan_to_markdown`.

The article's costs and funding routes come from :func:`netcourse.content.load_content`. Floats
appear only in :func:`chart_data`, for plotting. Nothing here imports ipywidgets.
``from netcourse import funding; funding.totals(...)`` works for every public name below.
"""

from __future__ import annotations

from netcourse._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "amounts": ("CENTS", "ZERO", "MAX_AMOUNT", "MAX_COUNT", "DATE_HINT", "FIRST_DATE", "LAST_DATE", "MoneyError",
                "money", "parse_money", "parse_count", "parse_quantity", "parse_date", "format_money", "format_share",
                "sum_money"),
    "plan": ("DEFAULT_MILEAGE_RATE", "PLAN_LEVELS", "LEVEL_NAMES", "TRAVEL_MODES", "TRAVEL_MODE_NAMES", "STATUSES",
             "WAITING", "FundingRequest", "EventPlan", "preset", "travel_cost", "cost_lines", "total_cost", "Totals",
             "totals", "gap", "share_covered"),
    "fields": ("PLAN_KIND", "FORMAT", "PlanError", "COST_FIELDS", "FIELD_LABELS", "plan_to_fields", "plan_from_fields",
               "plan_to_dict", "plan_from_dict", "checked_dict", "MAX_LABEL", "MAX_NOTE"),
    "tables": ("cost_table", "funding_table", "COMPARE_MONEY", "compare_events", "format_table", "chart_data"),
    "asking": ("ASK_LEAD_DAYS", "NOT_ASKED", "AskStep", "ask_order", "first_to_ask", "ask_by_events",
               "draft_request"),
    "export": ("plan_to_csv", "plan_to_markdown"),
})
