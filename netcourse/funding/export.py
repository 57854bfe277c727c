"""The plan as files: CSV for a spreadsheet and a Markdown page with the ask-order checklist."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

from netcourse.content import Content, load_content
from netcourse.funding.amounts import format_money
from netcourse.funding.asking import ask_order
from netcourse.funding.plan import LEVEL_NAMES, EventPlan, totals
from netcourse.funding.tables import cost_table, funding_table


def plan_to_csv(plan: EventPlan, content: Content | None = None) -> str:
    """Costs, funding and totals as CSV (amounts with two decimals, no currency sign)."""
    content = content or load_content()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "item", "amount", "status", "deadline"])
    for _, row in cost_table(plan, content).iterrows():
        writer.writerow(["cost", row["item"], f"{row['amount']:.2f}", "", ""])
    for _, row in funding_table(plan, content).iterrows():
        writer.writerow(["funding", row["name"], f"{row['amount']:.2f}", row["status"],
                         row["deadline"].isoformat() if row["deadline"] else ""])
    t = totals(plan)
    for label, value in (("total cost", t.cost), ("secured", t.secured), ("pending", t.pending), ("gap", t.gap)):
        writer.writerow(["total", label, f"{value:.2f}", "", ""])
    return buffer.getvalue()


# Markdown punctuation that could start a list, heading, link, emphasis or table cell ("&", "<", ">": entities).
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def _md(text: str) -> str:
    """Student text as Markdown that shows exactly that text: no HTML, no formatting, one line.

    Markdown viewers render raw HTML, so ``<`` and ``&`` become entities (as in the pitch export);
    the punctuation Markdown reads as formatting is backslash-escaped; line breaks become spaces.
    """
    one_line = " ".join(str(text).splitlines())
    return _MD_PUNCTUATION.sub(r"\\\1", html.escape(one_line, quote=False))


def plan_to_markdown(plan: EventPlan, content: Content | None = None, today: date | None = None) -> str:
    """The plan as a Markdown page: costs, funding, totals and the ask-order checklist."""
    content = content or load_content()
    t = totals(plan)
    when = f", {plan.event_date.isoformat()}" if plan.event_date else ""
    out = [f"# Funding plan: {_md(plan.name)}", "", f"{LEVEL_NAMES[plan.level]} event{when}.", "",
           "## Costs", "", "| Item | Amount |", "|---|---:|"]
    for _, row in cost_table(plan, content).iterrows():
        out.append(f"| {_md(row['item'])} | {format_money(row['amount'])} |")
    out += [f"| **Total** | **{format_money(t.cost)}** |", "", "## Funding", "",
            "| Route | Amount | Status | Deadline |", "|---|---:|---|---|"]
    for _, row in funding_table(plan, content).iterrows():
        out.append(f"| {_md(row['name'])} | {format_money(row['amount'])} | {row['status']} | "
                   f"{row['deadline'].isoformat() if row['deadline'] else ''} |")
    out += ["", "## Totals", "", t.describe(), "", "## Whom to ask, in order", ""]
    for n, step in enumerate(ask_order(plan, content, today, totals=t), 1):
        by = f" by {step.ask_by.isoformat()}" + (" (suggested)" if step.ask_by_is_suggested else "") \
            if step.ask_by else ""
        tick = "x" if step.done else " "
        out.append(f"{n}. [{tick}] {step.route.name} ({step.route.who}): {step.status}, "
                   f"{format_money(step.amount)}{by}")
    out += ["", f"Source: {content.cite('article')}", ""]
    return "\n".join(out)
