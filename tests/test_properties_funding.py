"""Property tests of the funding planner's inputs and outputs: money, counts, dates, plans, CSV and Markdown.

Whatever is typed, a parser returns a value or raises its own error with a message (nothing else
reaches the student); a plan read from fields writes back to the same fields and the same saved
file; the exports re-parse with the shape the plan says. The widget properties drive a real
FundingPlanner: what Save writes is what the screen shows, and Load shows it back.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import mistune
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from netcourse import funding
from netcourse.content import load_content
from netcourse.storage import load_json
from netcourse.widgets.funding_planner import FundingPlanner

TODAY = date(2026, 1, 15)
CONTENT = load_content()
ROUTES = [route.id for route in CONTENT.funding_routes]
FAST = settings(max_examples=150, deadline=None)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

# ---------------------------------------------------------------- what people type

amounts = st.decimals(min_value=0, max_value=funding.MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)
SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
WRITINGS = [
    lambda d, _s: str(d), lambda d, _s: f"{d:,}", lambda d, _s: f"${d:,.2f}", lambda d, _s: f"  {d}  ",
    lambda d, s: f"{d:,}".replace(",", s), lambda d, s: f"${s}{d:,}".replace(",", s),
    lambda d, _s: str(d).rstrip("0").rstrip(".") or "0", lambda d, _s: str(int(d)) if d == int(d) else str(d),
]
written_amounts = st.builds(lambda d, w, s: (d, w(d, s)), amounts, st.sampled_from(WRITINGS), st.sampled_from(SPACES))
junk = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789 ,.$-()eE+_٣²") + SPACES), max_size=45),
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(repr),
    st.sampled_from(["1" * 27, "9" * 30 + ".99", "1e400", "NaN", "-0", "(5)", "$-1", "1 2", "0001-01-05"]),
)
money_text = st.one_of(written_amounts.map(lambda pair: pair[1]), junk)
date_text = st.one_of(st.dates().map(date.isoformat), junk, st.just(""))


@FAST
@given(money_text)
def test_an_amount_is_read_exactly_or_refused_with_a_message(text):
    try:
        amount = funding.parse_money(text, "Registration")
    except funding.MoneyError as exc:
        assert str(exc).startswith("Registration: ")
        return
    assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2
    assert funding.ZERO <= amount <= funding.MAX_AMOUNT
    assert funding.parse_money(str(amount)) == amount == funding.parse_money(funding.format_money(amount))


@FAST
@given(written_amounts)
def test_every_usual_way_of_writing_an_amount_reads_as_that_amount(pair):
    amount, text = pair
    assert funding.parse_money(text) == amount


@FAST
@given(st.one_of(st.integers(min_value=0, max_value=funding.MAX_COUNT).map(str), junk))
def test_a_count_is_a_whole_number_in_range_or_a_message(text):
    try:
        count = funding.parse_count(text, "Nights")
    except funding.MoneyError as exc:
        assert str(exc).startswith("Nights: ")
        return
    assert isinstance(count, int) and 0 <= count <= funding.MAX_COUNT


@FAST
@given(st.dates())
def test_a_date_is_read_back_or_refused_when_no_plan_can_use_it(day):
    if funding.FIRST_DATE <= day <= funding.LAST_DATE:
        assert funding.parse_date(day.isoformat(), "Event date") == day
    else:
        with pytest.raises(funding.MoneyError, match="check the year"):
            funding.parse_date(day.isoformat(), "Event date")


@FAST
@given(date_text)
def test_any_date_text_gives_a_date_none_or_a_message(text):
    try:
        day = funding.parse_date(text, "Deadline")
    except funding.MoneyError as exc:
        assert str(exc).startswith("Deadline: ")
        return
    assert day is None or funding.FIRST_DATE <= day <= funding.LAST_DATE


# ---------------------------------------------------------------- whole plans

names = st.text(max_size=220).filter(lambda s: "\x00" not in s)
row_fields = st.fixed_dictionaries({
    "route": st.sampled_from(ROUTES), "amount": st.one_of(st.just(""), money_text),
    "status": st.sampled_from(funding.STATUSES), "deadline": st.one_of(st.just(""), date_text),
    "note": st.one_of(st.just(""), st.text(max_size=30)),
})
plan_fields = st.fixed_dictionaries({
    "name": names, "level": st.sampled_from(funding.PLAN_LEVELS), "event_date": st.one_of(st.just(""), date_text),
    "registration": money_text, "travel_mode": st.sampled_from(funding.TRAVEL_MODES), "distance_miles": money_text,
    "mileage_rate": money_text, "fare": money_text, "nights": st.one_of(st.integers(0, 61).map(str), junk),
    "lodging_rate": money_text, "meal_days": st.one_of(st.integers(0, 61).map(str), junk), "meal_rate": money_text,
    "other": money_text, "other_label": st.text(max_size=210),
    "funding": st.lists(row_fields, max_size=5, unique_by=lambda row: row["route"]),
})
# Half anything, half usable plans (amounts and dates that read), so the round trips see many plans.
usable_fields = st.fixed_dictionaries({
    "name": st.text(min_size=1, max_size=120).filter(str.strip), "level": st.sampled_from(funding.PLAN_LEVELS),
    "event_date": st.one_of(st.just(""), st.dates(funding.FIRST_DATE, funding.LAST_DATE).map(date.isoformat)),
    "registration": amounts.map(str), "travel_mode": st.sampled_from(funding.TRAVEL_MODES),
    "distance_miles": amounts.map(str), "mileage_rate": st.decimals(Decimal("0.01"), 5, places=2).map(str),
    "fare": amounts.map(str), "nights": st.integers(0, 60).map(str), "lodging_rate": st.just("99.50"),
    "meal_days": st.integers(0, 60).map(str), "meal_rate": st.just("20"), "other": amounts.map(str),
    "other_label": st.text(max_size=200),
    "funding": st.lists(st.fixed_dictionaries({
        "route": st.sampled_from(ROUTES), "amount": st.decimals(0, 5, places=2).map(str),
        "status": st.sampled_from(funding.STATUSES),
        "deadline": st.one_of(st.just(""), st.dates(TODAY, funding.LAST_DATE).map(date.isoformat)),
        "note": st.text(max_size=40)}), max_size=5, unique_by=lambda row: row["route"]),
})
good_fields = st.one_of(plan_fields, usable_fields)


def read(fields):
    return funding.plan_from_fields(fields, TODAY, CONTENT)


@settings(max_examples=200, deadline=None)
@given(good_fields)
def test_any_form_gives_a_plan_or_messages_and_a_plan_round_trips_exactly(fields):
    plan, problems = read(fields)
    assert (plan is None) == bool(problems)
    assert all(isinstance(text, str) and text for text in problems.values())
    event("a plan" if plan else "messages")
    if plan is None:
        return
    assert read(funding.plan_to_fields(plan)) == (plan, {})
    saved = json.loads(json.dumps(funding.plan_to_dict(plan), ensure_ascii=False))
    assert funding.plan_from_dict(saved, CONTENT) == plan
    t = funding.totals(plan)
    assert t.gap + t.secured + t.pending >= t.cost and t.over_asked <= t.pending
    for route in ROUTES:
        assert funding.draft_request(plan, route, CONTENT, totals=t)


@settings(max_examples=100, deadline=None)
@given(usable_fields)
def test_the_csv_export_re_parses_with_one_row_per_line_and_exact_amounts(fields):
    plan, _problems = read(fields)
    assume(plan is not None)
    rows = list(csv.reader(io.StringIO(funding.plan_to_csv(plan, CONTENT), newline="")))
    assert rows[0] == ["section", "item", "amount", "status", "deadline"] and all(len(r) == 5 for r in rows)
    assert [r[0] for r in rows[1:]] == ["cost"] * 5 + ["funding"] * len(plan.funding) + ["total"] * 4
    assert [Decimal(r[2]) for r in rows if r[0] == "funding"] == [request.amount for request in plan.funding]
    assert Decimal(rows[-4][2]) == funding.totals(plan).cost


_parse_markdown = mistune.create_markdown(renderer="ast", plugins=["table"])


def _text(node) -> str:
    return node.get("raw", "") + "".join(_text(child) for child in node.get("children", []))


def _kinds(node) -> set[str]:
    return {node["type"]} | set().union(*(_kinds(child) for child in node.get("children", [])))


@settings(max_examples=100, deadline=None)
@given(usable_fields)
def test_the_markdown_export_re_parses_with_the_same_shape_and_the_name_as_plain_text(fields):
    plan, _problems = read(fields)
    assume(plan is not None)
    tokens = [t for t in _parse_markdown(funding.plan_to_markdown(plan, CONTENT, TODAY)) if t["type"] != "blank_line"]
    assert [t["type"] for t in tokens] == ["heading", "paragraph", "heading", "table", "heading", "table", "heading",
                                           "paragraph", "heading", "list", "paragraph"]
    heading = tokens[0]
    assert _kinds(heading) == {"heading", "text"}  # no HTML, link, emphasis or code from the name
    assert html.unescape(_text(heading)) == "Funding plan: " + " ".join(plan.name.splitlines()).strip()
    costs, requests = tokens[3], tokens[5]
    assert len(costs["children"][1]["children"]) == 6  # five costs and the total
    body = requests["children"][1]["children"] if len(requests["children"]) > 1 else []
    assert len(body) == len(plan.funding)
    assert all(len(row["children"]) == 4 for row in body)
    assert len(tokens[9]["children"]) == len(ROUTES)


# ---------------------------------------------------------------- the widget: what is saved is what is shown

FIELD_KEYS = ["name", "event_date", "registration", "distance_miles", "mileage_rate", "fare", "nights",
              "lodging_rate", "meal_days", "meal_rate", "other", "other_label"]
typed = written_amounts.map(lambda pair: pair[1])
edits = st.lists(st.one_of(
    st.tuples(st.sampled_from(FIELD_KEYS), st.one_of(typed, typed, money_text, names)),
    st.tuples(st.just("level"), st.sampled_from(funding.PLAN_LEVELS)),
    st.tuples(st.just("travel_mode"), st.sampled_from(funding.TRAVEL_MODES)),
    st.tuples(st.sampled_from([f"{route}.{part}" for route in ROUTES for part in ("amount", "deadline")]),
              st.one_of(typed, st.dates(TODAY, funding.LAST_DATE).map(date.isoformat), money_text, date_text)),
    st.tuples(st.sampled_from([f"{route}.status" for route in ROUTES]), st.sampled_from(funding.STATUSES)),
), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def planners(tmp_path_factory):
    folder = tmp_path_factory.mktemp("work")
    return FundingPlanner(today=TODAY, folder=folder), FundingPlanner(today=TODAY, folder=folder)


def type_into(planner, key, value):
    if "." in key:
        route, part = key.split(".")
        planner.funding_rows[ROUTES.index(route)][part].value = value
    else:
        planner.fields[key].value = value


def in_plan(plan):
    """The requests a plan keeps from the form: a route left at zero, idea, no deadline and no note is not one."""
    return tuple(r for r in plan.funding if r.amount or r.status != "idea" or r.deadline or r.note)


@SLOW
@given(edits)
def test_typing_anything_then_saving_writes_exactly_what_the_screen_shows(planners, steps):
    planner, other = planners
    planner.file_name.value = "typed"
    planner.load_plan(funding.preset("state"))  # each example starts from a usable plan, as a student would
    for key, value in steps:
        type_into(planner, key, value)  # an exception here is one a student would see
    screen = planner.form_as_typed()
    plan, problems = read(screen)
    assert planner.problems == problems
    path = planner.files.folder / "typed.json"
    before = path.read_bytes() if path.exists() else None
    saved = planner.save()
    event("refused" if problems else "saved")
    if problems:
        assert saved is None and planner.files.level == "error"
        assert (path.read_bytes() if path.exists() else None) == before
        return
    assert saved == path
    kept = funding.plan_from_dict(load_json(path, funding.PLAN_KIND), CONTENT)
    assert kept == planner.plan == replace(plan, funding=in_plan(plan))  # the file holds what the boxes say
    assert other.load("typed.json") == path and other.plan == kept
    shown, problems = read(other.form_as_typed())
    assert problems == {} and replace(shown, funding=in_plan(shown)) == kept  # and Load shows it back
