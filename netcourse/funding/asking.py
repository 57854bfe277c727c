"""Whom to ask, in what order and by when, and a first draft of each request.

:func:`ask_order` turns the article's five funding routes into a checklist for one plan: open
steps with a deadline first, soonest first, then the rest closest to the student first; done
routes last. :func:`first_to_ask` is the route a draft should go to by default (the first one not
asked yet, never one that already gave or said no); :func:`draft_request` writes the message to one
funder; :func:`ask_by_events` gives the ask-by dates as calendar events (:mod:`netcourse.ics`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from netcourse.content import Content, Item, load_content
from netcourse.funding.amounts import ZERO, format_money
from netcourse.funding.plan import EventPlan, FundingRequest, Totals, cost_lines
from netcourse.funding.plan import totals as plan_totals
from netcourse.ics import Event

# When a route has no deadline, ask at least this long before the event.
ASK_LEAD_DAYS = 42


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


def ask_order(plan: EventPlan, content: Content | None = None, today: date | None = None,
              totals: Totals | None = None) -> list[AskStep]:
    """Every funding route as a checklist step, in the order to act on it.

    Open steps come first: those with a deadline, soonest first, then the others in the
    article's order (closest to you first: chapter, school, medical society, specialty society,
    the event). Without a deadline, the suggested ask-by date is six weeks before the event.
    Awarded and declined routes close the list as done. A route without an amount of its own
    suggests asking for what no request (sent or planned) covers yet. ``totals`` may be the
    plan's totals, already computed by the caller.
    """
    content = content or load_content()
    by_route: dict[str, FundingRequest] = {}
    for request in plan.funding:
        by_route.setdefault(request.route, request)
    t = totals or plan_totals(plan)
    # What no request covers yet, minus money already planned but not asked for.
    still_open = max(ZERO, t.gap - t.ideas)
    steps = []
    for route in content.funding_routes:
        request = by_route.get(route.id)
        deadline = request.deadline if request else None
        suggested = deadline is None and plan.event_date is not None
        status = request.status if request else "not planned"
        done = status in ("awarded", "declined")
        ask_by = deadline or (_ask_by(plan.event_date) if plan.event_date else None)
        if done:
            ask_by, suggested = None, False
        amount = request.amount if request and request.amount else still_open
        overdue = bool(today and ask_by and ask_by < today and status in ("idea", "not planned"))
        steps.append(AskStep(route, status, amount, deadline, ask_by, suggested, done, overdue))

    def key(step: AskStep):
        return (step.done, step.deadline is None, step.deadline or date.max, step.route.order)

    return sorted(steps, key=key)


def _ask_by(event_date: date) -> date:
    """Six weeks before the event; never before the first day a date can hold (a plan made in code may say year 1)."""
    return event_date - min(timedelta(days=ASK_LEAD_DAYS), event_date - date.min)


NOT_ASKED = ("idea", "not planned")


def first_to_ask(steps: list[AskStep]) -> AskStep | None:
    """The first step in ask order that has not been asked yet (None when every route is asked or done)."""
    return next((step for step in steps if not step.done and step.status in NOT_ASKED), None)


def ask_by_events(plan: EventPlan, steps: list[AskStep]) -> list[Event]:
    """One calendar reminder per route still to ask that has an ask-by date."""
    events = []
    for step in steps:
        if step.done or step.ask_by is None or step.status not in NOT_ASKED:
            continue
        when = "deadline" if not step.ask_by_is_suggested else "suggested: six weeks before the event"
        events.append(Event(
            day=step.ask_by,
            summary=f"Ask {step.route.name} for funding: {plan.name}",
            description=(f"Ask {step.route.who} for {format_money(step.amount)} toward {plan.name} ({when}). "
                         "The funding planner drafts the message."),
            key=f"ask:{plan.name}:{step.route.id}",
        ))
    return events


_LEVEL_PHRASES = {"school": "an event at my school", "local": "a local event", "state": "a state meeting",
                  "national": "a national conference"}

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
    totals: Totals | None = None,
) -> str:
    """A first draft of the request to ``route_id``'s funder, for the student to edit.

    ``amount`` defaults to the route's step in :func:`ask_order`; ``totals`` may be the plan's
    totals, already computed by the caller.
    """
    content = content or load_content()
    route = next((r for r in content.funding_routes if r.id == route_id), None)
    if route is None:
        raise KeyError(f"no funding route {route_id!r}")
    t = totals or plan_totals(plan)
    names = {cost.id: cost.name.lower() for cost in content.costs}
    parts = [f"{names[k]} {format_money(v)}" for k, v in cost_lines(plan).items() if v]
    if amount is None:
        step = next(s for s in ask_order(plan, content, totals=t) if s.route.id == route_id)
        amount = step.amount
    when = f" on {plan.event_date:%d %B %Y}" if plan.event_date else ""
    lines = [
        f"Subject: Funding request for {plan.name}",
        "",
        f"To: {route.who}",
        "",
        "Dear [name of the person you are writing to],",
        "",
        f"I am a medical student planning to attend {plan.name}, {_LEVEL_PHRASES.get(plan.level, 'an event')}{when}. "
        "Events like this let students meet physicians, residents and researchers in a field they care about.",
        "",
        f"The trip will cost {format_money(t.cost)}" + (f" ({', '.join(parts)})." if parts else "."),
    ]
    so_far = [f"{format_money(t.secured)} is secured"] * bool(t.secured) + \
        [f"{format_money(t.pending)} is requested elsewhere"] * bool(t.pending)
    if so_far:
        lines.append(f"So far {' and '.join(so_far)}.")
    ask = (f"I am asking for {format_money(amount)} toward these costs." if amount > ZERO
           else "I would be grateful for any support toward these costs.")
    lines.append(f"{ask} {_ROUTE_LINES.get(route_id, '')}".strip())
    request = next((r for r in plan.funding if r.route == route_id), None)
    if request and request.deadline:
        lines.append(f"I understand requests are due by {request.deadline:%d %B %Y}.")
    lines += ["", "Thank you for considering my request.", "", "Kind regards,", student]
    return "\n".join(lines)
