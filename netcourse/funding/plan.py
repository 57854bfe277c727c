"""One event's plan: its costs and the funding asked for it, the article's presets, and the exact totals.

The article lists what an event costs (ticket, travel, lodging, food and more) and five routes to
funding that may cover all or part of it. :class:`EventPlan` holds one event's figures and
:class:`FundingRequest` rows; :func:`totals` gives cost, secured, pending, gap and the share
covered, exactly, in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from netcourse.funding.amounts import CENTS, ZERO, format_money, format_share, money, sum_money

# A typical per-mile allowance for driving; students should use their school's own rate.
DEFAULT_MILEAGE_RATE = Decimal("0.67")
PLAN_LEVELS = ("school", "local", "state", "national")
LEVEL_NAMES = {"school": "School", "local": "Local (county)", "state": "State", "national": "National"}
TRAVEL_MODES = ("none", "drive", "fare")
TRAVEL_MODE_NAMES = {"none": "No travel cost", "drive": "Drive (miles x rate)", "fare": "Fare (bus, train, flight)"}
STATUSES = ("idea", "asked", "pending", "awarded", "declined")
# Statuses whose money is not yet decided but has been requested.
WAITING = ("asked", "pending")


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
    over_asked: Decimal = ZERO  # how far pending requests would over-fund the event if all were awarded

    @property
    def fully_covered(self) -> bool:
        return self.unsecured == ZERO

    def describe(self) -> str:
        text = (f"Cost {format_money(self.cost)}; secured {format_money(self.secured)} "
                f"({format_share(self.share_secured)}); pending {format_money(self.pending)}; "
                f"gap {format_money(self.gap)}.")
        if self.surplus:
            text += f" Over-funded by {format_money(self.surplus)}: tell the funders and return or decline the extra."
        if self.over_asked:
            text += " " + self.over_asked_note()
        return text

    def over_asked_note(self) -> str:
        """The note shown when secured and pending money together come to more than the cost."""
        return (f"If every pending request is awarded, the event is over-funded by {format_money(self.over_asked)}: "
                "tell each funder what else you have asked for.")


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
        # Pending money beyond what the cost still needs once secured money is counted.
        over_asked=min(pending, max(ZERO, secured + pending - cost)),
    )


def gap(plan: EventPlan) -> Decimal:
    """What is still not covered by money awarded or asked for."""
    return totals(plan).gap


def share_covered(plan: EventPlan) -> Decimal:
    """Secured money as a share of the cost (may exceed 1 when over-funded; 1 for free events)."""
    return totals(plan).share_secured
