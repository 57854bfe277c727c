"""Paying for an event: exact money, a plan's costs and funding, the gap, and whom to ask.

The article lists what an event costs (ticket, travel, lodging, food and more) and five
routes to funding that may cover all or part of it; both lists come from
:func:`netcourse.content.load_content`. This module turns them into a plan a student can
edit: :func:`plan_from_fields` reads what the student typed (strings), checks it and returns
either a new :class:`EventPlan` or messages per field; :func:`totals` gives cost, secured,
pending, gap and the share covered; :func:`compare_events` puts several plans in one table;
:func:`ask_order` and :func:`draft_request` say whom to ask, in what order, by when, and how.

Money is :class:`decimal.Decimal` quantised to cents everywhere (never ``float``), so a
thousand lines of $0.10 add up to exactly $100.00. Floats appear only in :func:`chart_data`,
for plotting. Nothing here imports ipywidgets.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from netcourse.content import Content, Item, load_content

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000")
MAX_COUNT = 60
# A typical per-mile allowance for driving; students should use their school's own rate.
DEFAULT_MILEAGE_RATE = Decimal("0.67")
# When a route has no deadline, ask at least this long before the event.
ASK_LEAD_DAYS = 42

PLAN_LEVELS = ("school", "local", "state", "national")
LEVEL_NAMES = {"school": "School", "local": "Local (county)", "state": "State", "national": "National"}
TRAVEL_MODES = ("none", "drive", "fare")
TRAVEL_MODE_NAMES = {"none": "No travel cost", "drive": "Drive (miles x rate)", "fare": "Fare (bus, train, flight)"}
STATUSES = ("idea", "asked", "pending", "awarded", "declined")
# Statuses whose money is not yet decided but has been requested.
WAITING = ("asked", "pending")
DATE_HINT = "use the form YYYY-MM-DD, for example 2026-03-14"
PLAN_KIND = "funding-plan"
FORMAT = "netcourse-funding/1"


class MoneyError(ValueError):
    """An amount, count or date the student typed cannot be used; the message says why."""


class PlanError(ValueError):
    """A saved plan cannot be read back; the message is written for the student."""


# ---------------------------------------------------------------- money, counts and dates

# ASCII digits only: str.isdigit and \d also accept superscripts and other scripts' digits.
_PLAIN = re.compile(r"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")


def money(value: Any) -> Decimal:
    """``value`` as Decimal cents, for trusted values in code (presets, tests)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


def parse_money(value: Any, label: str = "Amount", noun: str = "amount") -> Decimal:
    """Read an amount a student typed (``"45"``, ``"$1,234.50"``, ``""`` for zero) as cents.

    Raises :class:`MoneyError` for negative, non-numeric or absurd amounts and for more
    than two decimals, with a message that names ``label`` (``noun`` says what is expected).
    """
    if isinstance(value, bool):
        raise MoneyError(f"{label}: expected a number such as 45 or 45.50.")
    if isinstance(value, (int, Decimal, float)):
        text = repr(value) if isinstance(value, float) else str(value)
    elif value is None:
        text = ""
    else:
        text = str(value)
    shown = text.strip()
    text = text.strip().replace(" ", "")
    if text in ("", "$"):
        return ZERO
    negative = text.startswith("-") or text.startswith("$-") or text.startswith("(")
    body = text.lstrip("$").lstrip("-(").lstrip("$").rstrip(")")
    if negative and (_PLAIN.match(body) or _GROUPED.match(body)):
        raise MoneyError(f"{label}: {'an' if noun[0] in 'aeiou' else 'a'} {noun} cannot be negative ({shown}); "
                         "enter 0 or more.")
    if not (_PLAIN.match(body) or _GROUPED.match(body)):
        raise MoneyError(f"{label}: {shown!r} is not {'an' if noun[0] in 'aeiou' else 'a'} {noun}; "
                         "type a number such as 45 or 45.50.")
    amount = Decimal(body.replace(",", ""))  # the patterns above only let plain decimals through
    if amount != amount.quantize(CENTS):
        raise MoneyError(f"{label}: use at most two decimals, not {shown}.")
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{label}: {shown} looks too large; check the {noun}.")
    return amount.quantize(CENTS)


def parse_count(value: Any, label: str, maximum: int = MAX_COUNT) -> int:
    """A whole number of nights or days (blank means 0)."""
    text = "" if value is None else str(value).strip()
    if text == "":
        return 0
    if re.fullmatch(r"-\s*[0-9]+", text):
        raise MoneyError(f"{label}: cannot be negative; enter 0 or more.")
    if not re.fullmatch(r"[0-9]+", text):
        raise MoneyError(f"{label}: {text!r} is not a whole number; type for example 2.")
    count = int(text)
    if count > maximum:
        raise MoneyError(f"{label}: {count} is more than {maximum}; check the number.")
    return count


def parse_quantity(value: Any, label: str) -> Decimal:
    """A non-negative quantity such as miles (up to two decimals); blank means 0."""
    return parse_money(value, label, noun="number")


def parse_date(value: Any, label: str) -> date | None:
    """An ISO date (``2026-03-14``) or blank for none."""
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MoneyError(f"{label}: {text!r} is not a date; {DATE_HINT}.") from None


def format_money(amount: Decimal | int) -> str:
    """``$1,234.50``: two decimals, thousands separators, minus sign in front."""
    amount = Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def format_share(share: Decimal) -> str:
    """A share (0.455) as a whole percentage ("46%"), rounded half up."""
    return f"{(share * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def sum_money(amounts: Iterable[Decimal]) -> Decimal:
    """Exact sum of amounts, as cents."""
    return sum((Decimal(a) for a in amounts), ZERO).quantize(CENTS)


# ---------------------------------------------------------------- the plan

@dataclass(frozen=True)
class FundingRequest:
    """One ask: which route, how much, where it stands, and by when to apply."""

    route: str
    amount: Decimal = ZERO
    status: str = "idea"
    deadline: date | None = None
    note: str = ""


@dataclass(frozen=True)
class EventPlan:
    """The cost of one event and the funding asked for it. Amounts are Decimal cents."""

    name: str = "My event"
    level: str = "local"
    event_date: date | None = None
    registration: Decimal = ZERO
    travel_mode: str = "none"
    distance_miles: Decimal = ZERO  # round trip
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE
    fare: Decimal = ZERO  # round trip
    nights: int = 0
    lodging_rate: Decimal = ZERO
    meal_days: int = 0
    meal_rate: Decimal = ZERO
    other: Decimal = ZERO
    other_label: str = ""
    funding: tuple[FundingRequest, ...] = field(default_factory=tuple)


# Illustrative starting figures a student then edits; they are not quoted prices.
_PRESETS: dict[str, dict[str, Any]] = {
    "school": dict(name="Chapter meeting at school", registration=money(0), travel_mode="none",
                   meal_days=0, meal_rate=money(0), other=money(0)),
    "local": dict(name="County medical society evening", registration=money(25), travel_mode="drive",
                  distance_miles=money(30), meal_days=1, meal_rate=money(20)),
    "state": dict(name="State society annual meeting", registration=money(75), travel_mode="drive",
                  distance_miles=money(300), nights=2, lodging_rate=money(140), meal_days=2,
                  meal_rate=money(45), other=money(20), other_label="Parking"),
    "national": dict(name="National specialty conference (out of state)", registration=money(250),
                     travel_mode="fare", fare=money(420), nights=3, lodging_rate=money(185), meal_days=4,
                     meal_rate=money(60), other=money(40), other_label="Airport transfers"),
}


def preset(level: str, **changes: Any) -> EventPlan:
    """A typical plan for an event at ``level`` (school/local/state/national), then ``changes``."""
    if level not in _PRESETS:
        raise KeyError(f"no preset for level {level!r}; choose one of {list(PLAN_LEVELS)}")
    return replace(EventPlan(level=level, **_PRESETS[level]), **changes)


# ---------------------------------------------------------------- arithmetic

def _times(quantity: Decimal | int, rate: Decimal) -> Decimal:
    return (Decimal(quantity) * rate).quantize(CENTS, rounding=ROUND_HALF_UP)


def travel_cost(plan: EventPlan) -> Decimal:
    if plan.travel_mode == "drive":
        return _times(plan.distance_miles, plan.mileage_rate)
    if plan.travel_mode == "fare":
        return plan.fare
    return ZERO


def cost_lines(plan: EventPlan) -> dict[str, Decimal]:
    """The plan's cost per article cost id (ticket, travel, lodging, food, other)."""
    return {
        "ticket": plan.registration,
        "travel": travel_cost(plan),
        "lodging": _times(plan.nights, plan.lodging_rate),
        "food": _times(plan.meal_days, plan.meal_rate),
        "other": plan.other,
    }


def total_cost(plan: EventPlan) -> Decimal:
    return sum_money(cost_lines(plan).values())


@dataclass(frozen=True)
class Totals:
    cost: Decimal
    secured: Decimal  # awarded
    pending: Decimal  # asked or pending
    ideas: Decimal  # planned, not yet asked
    declined: Decimal
    gap: Decimal  # cost not covered by secured or pending money
    unsecured: Decimal  # cost not covered by secured money
    surplus: Decimal  # secured beyond the cost
    share_secured: Decimal  # secured / cost (1 for a free event)

    @property
    def fully_covered(self) -> bool:
        return self.unsecured == ZERO

    def describe(self) -> str:
        text = (f"Cost {format_money(self.cost)}; secured {format_money(self.secured)} "
                f"({format_share(self.share_secured)}); pending {format_money(self.pending)}; "
                f"gap {format_money(self.gap)}.")
        if self.surplus:
            text += f" Over-funded by {format_money(self.surplus)}: tell the funders and return or decline the extra."
        return text


def totals(plan: EventPlan) -> Totals:
    """Cost, secured, pending and the gap for ``plan``, exactly."""
    cost = total_cost(plan)
    by_status = {status: sum_money(r.amount for r in plan.funding if r.status == status) for status in STATUSES}
    secured = by_status["awarded"]
    pending = by_status["asked"] + by_status["pending"]
    share = Decimal(1) if cost == ZERO else secured / cost
    return Totals(
        cost=cost,
        secured=secured,
        pending=pending,
        ideas=by_status["idea"],
        declined=by_status["declined"],
        gap=max(ZERO, cost - secured - pending),
        unsecured=max(ZERO, cost - secured),
        surplus=max(ZERO, secured - cost),
        share_secured=share,
    )


def gap(plan: EventPlan) -> Decimal:
    """What is still not covered by money awarded or asked for."""
    return totals(plan).gap


def share_covered(plan: EventPlan) -> Decimal:
    """Secured money as a share of the cost (may exceed 1 when over-funded; 1 for free events)."""
    return totals(plan).share_secured


# ---------------------------------------------------------------- reading and checking input

COST_FIELDS = ("registration", "distance_miles", "mileage_rate", "fare", "nights", "lodging_rate",
               "meal_days", "meal_rate", "other")
FIELD_LABELS = {
    "name": "Event name", "level": "Level", "event_date": "Event date", "registration": "Registration / ticket",
    "travel_mode": "Travel", "distance_miles": "Round-trip miles", "mileage_rate": "Rate per mile",
    "fare": "Round-trip fare", "nights": "Nights", "lodging_rate": "Lodging per night", "meal_days": "Days of meals",
    "meal_rate": "Meals per day", "other": "Other costs", "other_label": "Other costs: what",
    "amount": "Amount requested", "status": "Status", "deadline": "Deadline",
}


def plan_to_fields(plan: EventPlan) -> dict[str, Any]:
    """The plan as the strings a form shows (the inverse of :func:`plan_from_fields`)."""
    return {
        "name": plan.name,
        "level": plan.level,
        "event_date": plan.event_date.isoformat() if plan.event_date else "",
        "registration": str(plan.registration),
        "travel_mode": plan.travel_mode,
        "distance_miles": str(plan.distance_miles),
        "mileage_rate": str(plan.mileage_rate),
        "fare": str(plan.fare),
        "nights": str(plan.nights),
        "lodging_rate": str(plan.lodging_rate),
        "meal_days": str(plan.meal_days),
        "meal_rate": str(plan.meal_rate),
        "other": str(plan.other),
        "other_label": plan.other_label,
        "funding": [
            {"route": r.route, "amount": str(r.amount), "status": r.status,
             "deadline": r.deadline.isoformat() if r.deadline else "", "note": r.note}
            for r in plan.funding
        ],
    }


def plan_from_fields(
    fields: Mapping[str, Any], today: date | None = None, content: Content | None = None
) -> tuple[EventPlan | None, dict[str, str]]:
    """Check what the student typed and build a plan.

    Returns ``(plan, {})`` when everything is usable, else ``(None, problems)`` where
    ``problems`` maps a field key (``"nights"``, ``"funding.2.deadline"``...) to a message
    for the student. With ``today`` given, a deadline already past on a route not yet
    asked is a problem (it can no longer be met); without it dates are not compared.
    """
    content = content or load_content()
    route_ids = [route.id for route in content.funding_routes]
    problems: dict[str, str] = {}
    values: dict[str, Any] = {}

    def read(key: str, parser, *args):
        try:
            values[key] = parser(fields.get(key, ""), FIELD_LABELS[key], *args)
        except MoneyError as exc:
            problems[key] = str(exc)

    name = str(fields.get("name", "")).strip()
    if not name:
        problems["name"] = "Event name: give the event a name."
    elif len(name) > 200:
        problems["name"] = "Event name: keep it under 200 characters."
    values["name"] = name
    level = fields.get("level", "local")
    if level not in PLAN_LEVELS:
        problems["level"] = f"Level: choose one of {', '.join(PLAN_LEVELS)}."
    values["level"] = level
    mode = fields.get("travel_mode", "none")
    if mode not in TRAVEL_MODES:
        problems["travel_mode"] = f"Travel: choose one of {', '.join(TRAVEL_MODES)}."
    values["travel_mode"] = mode
    read("event_date", parse_date)
    for key in ("registration", "mileage_rate", "fare", "lodging_rate", "meal_rate", "other"):
        read(key, parse_money)
    read("distance_miles", parse_quantity)
    read("nights", parse_count)
    read("meal_days", parse_count)
    values["other_label"] = str(fields.get("other_label", "")).strip()[:200]

    # Cross-field checks, once the parts they need are readable.
    if "nights" not in problems and "lodging_rate" not in problems:
        if values["nights"] > 0 and values["lodging_rate"] == ZERO:
            problems["lodging_rate"] = (f"Lodging per night: you planned {values['nights']} night(s) but no rate; "
                                        "enter the nightly rate, or 0 nights if you stay for free.")
    if "meal_days" not in problems and "meal_rate" not in problems:
        if values["meal_days"] > 0 and values["meal_rate"] == ZERO:
            problems["meal_rate"] = (f"Meals per day: you planned {values['meal_days']} day(s) of meals but no "
                                     "daily amount; enter it, or 0 days.")
    if mode == "drive" and "distance_miles" not in problems and "mileage_rate" not in problems:
        if values["distance_miles"] > 0 and values["mileage_rate"] == ZERO:
            problems["mileage_rate"] = "Rate per mile: enter the rate for the miles you drive."

    requests = []
    for i, row in enumerate(fields.get("funding", []) or []):
        where = f"funding.{i}"
        route = row.get("route", "")
        if route not in route_ids:
            problems[f"{where}.route"] = f"Funding row {i + 1}: unknown route {route!r}."
            continue
        status = row.get("status", "idea")
        if status not in STATUSES:
            problems[f"{where}.status"] = f"Status: choose one of {', '.join(STATUSES)}."
            continue
        try:
            amount = parse_money(row.get("amount", ""), FIELD_LABELS["amount"])
        except MoneyError as exc:
            problems[f"{where}.amount"] = str(exc)
            amount = None
        try:
            deadline = parse_date(row.get("deadline", ""), FIELD_LABELS["deadline"])
        except MoneyError as exc:
            problems[f"{where}.deadline"] = str(exc)
            deadline = None
        if today is not None and deadline is not None and deadline < today and status == "idea":
            problems[f"{where}.deadline"] = (f"Deadline: {deadline.isoformat()} has already passed (today is "
                                             f"{today.isoformat()}); pick a later date or look for another route.")
        if amount is not None:
            requests.append(FundingRequest(route, amount, status, deadline, str(row.get("note", "")).strip()[:500]))

    if not any(key in problems for key in COST_FIELDS) and "travel_mode" not in problems:
        cost = total_cost(EventPlan(**{k: values[k] for k in values}))
        for i, request in enumerate(requests):
            key = f"funding.{i}.amount"
            if key in problems or request.status == "declined" or request.amount <= cost:
                continue
            what = "An award" if request.status == "awarded" else "A request"
            problems[key] = (f"{what} of {format_money(request.amount)} is more than the whole event costs "
                             f"({format_money(cost)}); enter at most the cost.")
    if problems:
        return None, problems
    return EventPlan(**values, funding=tuple(requests)), {}


def plan_to_dict(plan: EventPlan) -> dict[str, Any]:
    """A JSON-ready form of the plan; amounts as strings so they stay exact."""
    return {"format": FORMAT, **plan_to_fields(plan)}


def plan_from_dict(data: Any, content: Content | None = None) -> EventPlan:
    """Read a saved plan; a damaged or foreign one raises :class:`PlanError` saying what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanError("This file is not a funding plan saved by this tool.")
    if not isinstance(data.get("funding", []), list) or not all(isinstance(r, dict) for r in data.get("funding", [])):
        raise PlanError("The plan's funding rows are damaged.")
    plan, problems = plan_from_fields(data, today=None, content=content)
    if plan is None:
        raise PlanError("The saved plan has problems: " + " ".join(problems.values()))
    return plan


# ---------------------------------------------------------------- tables

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
        t = totals(plan)
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


def chart_data(plan: EventPlan, content: Content | None = None) -> dict[str, list[tuple[str, float]]]:
    """The bars to draw: costs stacked per item; funding stacked as secured, pending, gap.

    Floats here are only for plotting; sums are exact Decimal elsewhere.
    """
    content = content or load_content()
    names = {cost.id: cost.name for cost in content.costs}
    t = totals(plan)
    return {
        "costs": [(names[k], float(v)) for k, v in cost_lines(plan).items()],
        "funding": [("Secured", float(min(t.secured, t.cost) if t.cost else ZERO)),
                    ("Pending", float(min(t.pending, t.unsecured))),
                    ("Gap", float(t.gap))],
    }


# ---------------------------------------------------------------- whom to ask, in what order

@dataclass(frozen=True)
class AskStep:
    route: Item
    status: str  # "not planned" when the plan has no row for the route
    amount: Decimal
    deadline: date | None
    ask_by: date | None
    ask_by_is_suggested: bool
    done: bool
    overdue: bool


def ask_order(plan: EventPlan, content: Content | None = None, today: date | None = None) -> list[AskStep]:
    """Every funding route as a checklist step, in the order to act on it.

    Open steps come first: those with a deadline, soonest first, then the others in the
    article's order (closest to you first: chapter, school, medical society, specialty society,
    the event). Without a deadline, the suggested ask-by date is six weeks before the event.
    Awarded and declined routes close the list as done. A route without an amount of its own
    suggests asking for what no request (sent or planned) covers yet.
    """
    content = content or load_content()
    by_route: dict[str, FundingRequest] = {}
    for request in plan.funding:
        by_route.setdefault(request.route, request)
    t = totals(plan)
    # What no request covers yet, minus money already planned but not asked for.
    still_open = max(ZERO, t.gap - t.ideas)
    steps = []
    for route in content.funding_routes:
        request = by_route.get(route.id)
        deadline = request.deadline if request else None
        suggested = deadline is None and plan.event_date is not None
        status = request.status if request else "not planned"
        done = status in ("awarded", "declined")
        ask_by = deadline or (plan.event_date - timedelta(days=ASK_LEAD_DAYS) if plan.event_date else None)
        if done:
            ask_by, suggested = None, False
        amount = request.amount if request and request.amount else still_open
        overdue = bool(today and ask_by and ask_by < today and status in ("idea", "not planned"))
        steps.append(AskStep(route, status, amount, deadline, ask_by, suggested, done, overdue))

    def key(step: AskStep):
        return (step.done, step.deadline is None, step.deadline or date.max, step.route.order)

    return sorted(steps, key=key)


_ROUTE_LINES = {
    "chapter": "Our chapter may already be sending members to this event, and I would be glad to represent it "
               "and report back at a chapter meeting.",
    "school-leadership": "I hope the school can help with some or all of the cost; I will share what I learn "
                         "with my classmates afterwards.",
    "medical-society": "I understand the society supports students' travel to conferences, and I would value "
                       "the chance to bring back what I learn to our local community.",
    "specialty-society": "As a student interested in this specialty, I would be grateful for any financial aid "
                         "the society offers students attending its events.",
    "event-scholarship": "I would like to apply for a student scholarship for this event.",
}


def draft_request(
    plan: EventPlan,
    route_id: str,
    content: Content | None = None,
    student: str = "[your name]",
    amount: Decimal | None = None,
) -> str:
    """A first draft of the request to ``route_id``'s funder, for the student to edit."""
    content = content or load_content()
    route = next((r for r in content.funding_routes if r.id == route_id), None)
    if route is None:
        raise KeyError(f"no funding route {route_id!r}")
    t = totals(plan)
    names = {cost.id: cost.name.lower() for cost in content.costs}
    parts = [f"{names[k]} {format_money(v)}" for k, v in cost_lines(plan).items() if v]
    if amount is None:
        step = next(s for s in ask_order(plan, content) if s.route.id == route_id)
        amount = step.amount
    when = f" on {plan.event_date:%d %B %Y}" if plan.event_date else ""
    lines = [
        f"Subject: Funding request for {plan.name}",
        "",
        f"To: {route.who}",
        "",
        "Dear [name of the person you are writing to],",
        "",
        f"I am a medical student planning to attend {plan.name}, a {LEVEL_NAMES[plan.level].lower()} event{when}. "
        "Events like this let students meet physicians, residents and researchers in a field they care about.",
        "",
        f"The trip will cost {format_money(t.cost)}" + (f" ({', '.join(parts)})." if parts else "."),
    ]
    if t.secured or t.pending:
        lines.append(f"So far {format_money(t.secured)} is secured and {format_money(t.pending)} is requested "
                     "elsewhere.")
    lines.append(f"I am asking for {format_money(amount)} toward these costs. {_ROUTE_LINES.get(route_id, '')}".strip())
    request = next((r for r in plan.funding if r.route == route_id), None)
    if request and request.deadline:
        lines.append(f"I understand requests are due by {request.deadline:%d %B %Y}.")
    lines += ["", "Thank you for considering my request.", "", "Kind regards,", student]
    return "\n".join(lines)


# ---------------------------------------------------------------- export

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


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def plan_to_markdown(plan: EventPlan, content: Content | None = None, today: date | None = None) -> str:
    """The plan as a Markdown page: costs, funding, totals and the ask-order checklist."""
    content = content or load_content()
    t = totals(plan)
    when = f", {plan.event_date.isoformat()}" if plan.event_date else ""
    out = [f"# Funding plan: {_md(plan.name)}", "", f"{LEVEL_NAMES[plan.level]} event{when}.", "",
           "## Costs", "", "| Item | Amount |", "|---|---:|"]
    for _, row in cost_table(plan, content).iterrows():
        out.append(f"| {row['item']} | {format_money(row['amount'])} |")
    out += [f"| **Total** | **{format_money(t.cost)}** |", "", "## Funding", "",
            "| Route | Amount | Status | Deadline |", "|---|---:|---|---|"]
    for _, row in funding_table(plan, content).iterrows():
        out.append(f"| {row['name']} | {format_money(row['amount'])} | {row['status']} | "
                   f"{row['deadline'].isoformat() if row['deadline'] else ''} |")
    out += ["", "## Totals", "", t.describe(), "", "## Whom to ask, in order", ""]
    for n, step in enumerate(ask_order(plan, content, today), 1):
        by = f" by {step.ask_by.isoformat()}" + (" (suggested)" if step.ask_by_is_suggested else "") \
            if step.ask_by else ""
        tick = "x" if step.done else " "
        out.append(f"{n}. [{tick}] {step.route.name} ({step.route.who}): {step.status}, "
                   f"{format_money(step.amount)}{by}")
    out += ["", f"Source: {content.cite('article')}", ""]
    return "\n".join(out)
