"""Reading a plan from a form or a saved file, and writing it back, with a message per problem field.

:func:`plan_from_fields` reads what the student typed (strings), checks each field, then the
fields against each other, and returns either a new :class:`~netcourse.funding.plan.EventPlan` or
messages keyed by field. :func:`plan_from_dict` reads a saved plan: its shape against
``schemas/funding-plan.schema.json``, then the same checks as the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from netcourse.content import Content, load_content
from netcourse.funding.amounts import (
    ZERO,
    MoneyError,
    format_money,
    parse_count,
    parse_date,
    parse_money,
    parse_quantity,
)
from netcourse.funding.plan import PLAN_LEVELS, STATUSES, TRAVEL_MODES, EventPlan, FundingRequest, total_cost
from netcourse.schemas import first_problem

PLAN_KIND = "funding-plan"
FORMAT = "netcourse-funding/1"
MAX_LABEL = 200  # the event's name and what the other costs are for
MAX_NOTE = 500  # a funding request's note (from a saved file)


class PlanError(ValueError):
    """A saved plan cannot be read back; the message is written for the student."""


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
    problems: dict[str, str] = {}
    values = _read_event(fields, problems)
    _check_rates(values, problems)
    route_ids = [route.id for route in content.funding_routes]
    rows = [(i, _read_request(i, row, route_ids, today, problems))
            for i, row in enumerate(fields.get("funding", []) or [])]
    requests = [(i, request) for i, request in rows if request is not None]
    _check_requests_against_cost(values, requests, problems)
    if problems:
        return None, problems
    return EventPlan(**values, funding=tuple(request for _i, request in requests)), {}


# Each cost field's parser; the event's name, level and travel mode are choices, read apart.
_PARSERS = {
    "event_date": parse_date, "registration": parse_money, "mileage_rate": parse_money, "fare": parse_money,
    "lodging_rate": parse_money, "meal_rate": parse_money, "other": parse_money, "distance_miles": parse_quantity,
    "nights": parse_count, "meal_days": parse_count,
}
_CHOICES = (("level", "local", PLAN_LEVELS), ("travel_mode", "none", TRAVEL_MODES))
# (quantity, rate, message): a quantity above zero needs a rate above zero.
_NEEDS_RATE = (
    ("nights", "lodging_rate", "Lodging per night: you planned {n} night(s) but no rate; enter the nightly rate, "
                               "or 0 nights if you stay for free."),
    ("meal_days", "meal_rate", "Meals per day: you planned {n} day(s) of meals but no daily amount; enter it, or "
                               "0 days."),
    ("distance_miles", "mileage_rate", "Rate per mile: enter the rate for the miles you drive."),
)


def _read_event(fields: Mapping[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    """The event's name, choices and cost fields as values; each unreadable one gets a message."""
    name = str(fields.get("name", "")).strip()
    if not name:
        problems["name"] = "Event name: give the event a name."
    elif len(name) > MAX_LABEL:
        problems["name"] = f"Event name: keep it under {MAX_LABEL} characters (it has {len(name)})."
    values: dict[str, Any] = {"name": name}
    for key, default, allowed in _CHOICES:
        values[key] = fields.get(key, default)
        if values[key] not in allowed:
            problems[key] = f"{FIELD_LABELS[key]}: choose one of {', '.join(allowed)}."
    for key, parser in _PARSERS.items():
        try:
            values[key] = parser(fields.get(key, ""), FIELD_LABELS[key])
        except MoneyError as exc:
            problems[key] = str(exc)
    values["other_label"] = str(fields.get("other_label", "")).strip()
    if len(values["other_label"]) > MAX_LABEL:
        problems["other_label"] = (f"Other costs: what: keep it under {MAX_LABEL} characters "
                                   f"(it has {len(values['other_label'])}).")
    return values


def _check_rates(values: dict[str, Any], problems: dict[str, str]) -> None:
    """Cross-field checks, once the fields they need are readable (miles only count when driving)."""
    for quantity, rate, message in _NEEDS_RATE:
        if quantity in problems or rate in problems:
            continue
        if quantity == "distance_miles" and values["travel_mode"] != "drive":
            continue
        if values[quantity] > 0 and values[rate] == ZERO:
            problems[rate] = message.format(n=values[quantity])


def _read_request(i: int, row: Mapping[str, Any], route_ids: list[str], today: date | None,
                  problems: dict[str, str]) -> FundingRequest | None:
    """Funding row ``i`` as a request, or None when its route, status or amount cannot be used."""
    where = f"funding.{i}"
    route, status = row.get("route", ""), row.get("status", "idea")
    if route not in route_ids:
        problems[f"{where}.route"] = f"Funding row {i + 1}: unknown route {route!r}."
        return None
    if status not in STATUSES:
        problems[f"{where}.status"] = f"Status: choose one of {', '.join(STATUSES)}."
        return None
    amount = deadline = None
    try:
        amount = parse_money(row.get("amount", ""), FIELD_LABELS["amount"])
    except MoneyError as exc:
        problems[f"{where}.amount"] = str(exc)
    try:
        deadline = parse_date(row.get("deadline", ""), FIELD_LABELS["deadline"])
    except MoneyError as exc:
        problems[f"{where}.deadline"] = str(exc)
    if today is not None and deadline is not None and deadline < today and status == "idea":
        problems[f"{where}.deadline"] = (f"Deadline: {deadline.isoformat()} has already passed (today is "
                                         f"{today.isoformat()}); pick a later date or look for another route.")
    note = str(row.get("note", "") or "").strip()
    if len(note) > MAX_NOTE:
        problems[f"{where}.note"] = (f"Funding row {i + 1}: keep its note under {MAX_NOTE} characters "
                                     f"(it has {len(note)}).")
    if amount is None:
        return None
    return FundingRequest(route, amount, status, deadline, note)


def _check_requests_against_cost(values: dict[str, Any], requests: list[tuple[int, FundingRequest]],
                                 problems: dict[str, str]) -> None:
    """No award or request may be larger than the whole event (declined ones do not count)."""
    if any(key in problems for key in (*COST_FIELDS, "travel_mode")):
        return
    cost = total_cost(EventPlan(**values))
    for i, request in requests:
        key = f"funding.{i}.amount"
        if key in problems or request.status == "declined" or request.amount <= cost:
            continue
        what = "An award" if request.status == "awarded" else "A request"
        problems[key] = (f"{what} of {format_money(request.amount)} is more than the whole event costs "
                         f"({format_money(cost)}); enter at most the cost.")


def plan_to_dict(plan: EventPlan) -> dict[str, Any]:
    """A JSON-ready form of the plan; amounts as strings so they stay exact."""
    return {"format": FORMAT, **plan_to_fields(plan)}


def plan_from_dict(data: Any, content: Content | None = None) -> EventPlan:
    """Read a saved plan; a damaged or foreign one raises :class:`PlanError` saying what is wrong."""
    plan, problems = checked_dict(data, content)
    if plan is None:
        raise PlanError("The saved plan has problems: " + " ".join(problems.values()))
    return plan


def checked_dict(data: Any, content: Content | None = None) -> tuple[EventPlan | None, dict[str, str]]:
    """A saved plan's shape checked (:class:`PlanError` when damaged or foreign), then its fields, as the form's.

    For a backup of a form that did not check yet: its fields can be shown with their messages.
    """
    problem = first_problem(data, "funding-plan")
    if problem is not None:
        raise PlanError(problem.message)
    return plan_from_fields(data, today=None, content=content)
