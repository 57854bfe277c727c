"""The plan as tables and chart bars: costs, funding rows, several events side by side.

Amounts stay Decimal in the tables; :func:`format_table` makes display strings and
:func:`chart_data` gives floats, only for plotting.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from netcourse.content import Content, load_content
from netcourse.funding.amounts import ZERO, format_money
from netcourse.funding.plan import EventPlan, Totals, cost_lines
from netcourse.funding.plan import totals as plan_totals


def _route_names(content: Content) -> dict[str, str]:
    return {route.id: route.name for route in content.funding_routes}


def cost_table(plan: EventPlan, content: Content | None = None) -> pd.DataFrame:
    """One row per article cost (Decimal amounts), in the article's order."""
    content = content or load_content()
    lines = cost_lines(plan)
    names = {cost.id: cost.name for cost in content.costs}
    rows = [(cost_id, names[cost_id], amount) for cost_id, amount in lines.items()]
    return pd.DataFrame(rows, columns=["cost", "item", "amount"]).astype({"amount": object})


def funding_table(plan: EventPlan, content: Content | None = None) -> pd.DataFrame:
    content = content or load_content()
    names = _route_names(content)
    rows = [(r.route, names.get(r.route, r.route), r.amount, r.status, r.deadline) for r in plan.funding]
    return pd.DataFrame(rows, columns=["route", "name", "amount", "status", "deadline"]).astype({"amount": object})


COMPARE_MONEY = ["ticket", "travel", "lodging", "food", "other", "total cost", "secured", "pending", "gap"]


def compare_events(plans: Iterable[EventPlan]) -> pd.DataFrame:
    """Several plans side by side: cost per item, totals, gap and share secured (Decimal values)."""
    rows = []
    for plan in plans:
        lines = cost_lines(plan)
        t = plan_totals(plan)
        rows.append({"event": plan.name, "level": plan.level, **lines, "total cost": t.cost,
                     "secured": t.secured, "pending": t.pending, "gap": t.gap,
                     "share secured": (t.share_secured * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)})
    columns = ["event", "level", *COMPARE_MONEY, "share secured"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({col: object for col in [*COMPARE_MONEY, "share secured"]})


def format_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with money columns as "$1,234.50" and shares as "45%", for display."""
    shown = frame.copy()
    for col in shown.columns:
        if col in COMPARE_MONEY or col == "amount":
            shown[col] = [format_money(v) for v in shown[col]]
        elif col == "share secured":
            shown[col] = [f"{v}%" for v in shown[col]]
    return shown


def chart_data(
    plan: EventPlan, content: Content | None = None, totals: Totals | None = None
) -> dict[str, list[tuple[str, float]]]:
    """The bars to draw: costs stacked per item; funding stacked as secured, pending, gap.

    Floats here are only for plotting; sums are exact Decimal elsewhere. ``totals`` may be the
    plan's :func:`~netcourse.funding.plan.totals`, already computed by the caller.
    """
    content = content or load_content()
    names = {cost.id: cost.name for cost in content.costs}
    t = totals or plan_totals(plan)
    return {
        "costs": [(names[k], float(v)) for k, v in cost_lines(plan).items()],
        "funding": [("Secured", float(min(t.secured, t.cost) if t.cost else ZERO)),
                    ("Pending", float(min(t.pending, t.unsecured))),
                    ("Gap", float(t.gap))],
    }
