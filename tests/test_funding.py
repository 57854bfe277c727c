"""The funding arithmetic: exact money, totals, gap, share, validation, ordering and exports."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import mistune
import pandas as pd
import pytest

from netcourse import funding as f
from netcourse.content import load_content

TODAY = date(2026, 1, 15)


def request(route, amount, status="idea", deadline=None):
    return f.FundingRequest(route, f.money(amount), status, deadline)


def fields_of(plan, **changes):
    data = f.plan_to_fields(plan)
    data.update(changes)
    return data


# ---------------------------------------------------------------- exact money

def test_a_thousand_dimes_make_exactly_one_hundred_dollars():
    plan = f.EventPlan(name="Dimes", funding=tuple(request("chapter", "0.10", "awarded") for _ in range(1000)))
    secured = f.totals(plan).secured
    assert secured == Decimal("100.00")
    assert str(secured) == "100.00" and f.format_money(secured) == "$100.00"
    # Every way out of the planner keeps the cents exact (a float sum of the dimes gives 99.9999999999986).
    csv_rows = list(csv.DictReader(io.StringIO(f.plan_to_csv(plan))))
    assert next(r["amount"] for r in csv_rows if r["item"] == "secured") == "100.00"
    assert "secured $100.00" in f.totals(plan).describe()


def test_point_one_plus_point_two_is_point_three():
    plan = f.EventPlan(registration=f.parse_money("0.10"), other=f.parse_money("0.20"))
    assert f.total_cost(plan) == Decimal("0.30")
    assert f.format_money(f.total_cost(plan)) == "$0.30"


def test_many_small_cost_lines_sum_exactly():
    amounts = [f.parse_money(f"{cents / 100:.2f}") for cents in range(1, 2001)]
    assert f.sum_money(amounts) == Decimal(sum(range(1, 2001))) / 100


def test_rates_times_quantities_round_to_cents():
    plan = f.EventPlan(travel_mode="drive", distance_miles=f.money("33.3"), mileage_rate=f.money("0.67"),
                       nights=3, lodging_rate=f.money("99.99"), meal_days=3, meal_rate=f.money("33.33"))
    lines = f.cost_lines(plan)
    assert lines["travel"] == Decimal("22.31")  # 22.311 -> 22.31
    assert lines["lodging"] == Decimal("299.97")
    assert lines["food"] == Decimal("99.99")
    assert f.total_cost(plan) == Decimal("422.27")


@pytest.mark.parametrize("text, expected", [
    ("45", "45.00"), ("45.5", "45.50"), ("$1,234.50", "1234.50"), ("  12.00 ", "12.00"), ("", "0.00"),
    (".75", "0.75"), (7, "7.00"), (0.1, "0.10"),
])
def test_parse_money_reads_what_students_type(text, expected):
    assert f.parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text, words", [
    ("-5", "negative"), ("$-5.00", "negative"), ("abc", "not an amount"), ("12.345", "two decimals"),
    ("1,23", "not an amount"), ("5e3", "not an amount"), ("nan", "not an amount"), ("2000000", "too large"),
    ("٣", "not an amount"), ("Infinity", "not an amount"),
])
def test_parse_money_rejects_bad_amounts_with_a_message(text, words):
    with pytest.raises(f.MoneyError, match=words):
        f.parse_money(text, "Registration")
    with pytest.raises(f.MoneyError, match="Registration"):
        f.parse_money(text, "Registration")


def test_format_money_shows_two_decimals_and_separators():
    assert f.format_money(Decimal("1234.5")) == "$1,234.50"
    assert f.format_money(0) == "$0.00"
    assert f.format_money(Decimal("-3")) == "-$3.00"
    assert f.format_share(Decimal("0.455")) == "46%"


# ---------------------------------------------------------------- totals, gap, share

def test_totals_split_secured_pending_and_gap():
    plan = f.preset("national", funding=(
        request("chapter", 200, "awarded"), request("school-leadership", 300, "asked"),
        request("medical-society", 250, "pending"), request("specialty-society", 100, "idea"),
        request("event-scholarship", 400, "declined"),
    ))
    t = f.totals(plan)
    assert t.cost == Decimal("1505.00")
    assert (t.secured, t.pending, t.ideas, t.declined) == (Decimal("200.00"), Decimal("550.00"),
                                                          Decimal("100.00"), Decimal("400.00"))
    assert t.gap == Decimal("755.00") == f.gap(plan)
    assert t.unsecured == Decimal("1305.00")
    assert f.format_share(t.share_secured) == "13%"
    assert not t.fully_covered


def test_zero_cost_event_has_no_gap_and_counts_as_covered():
    plan = f.preset("school")
    t = f.totals(plan)
    assert t.cost == f.ZERO and t.gap == f.ZERO
    assert t.share_secured == 1 and t.fully_covered
    assert "0.00" in t.describe()


def test_fully_covered_plan():
    plan = f.preset("local")
    cost = f.total_cost(plan)
    plan = replace(plan, funding=(request("medical-society", cost - 10, "awarded"), request("chapter", 10, "awarded")))
    t = f.totals(plan)
    assert t.fully_covered and t.gap == f.ZERO and t.surplus == f.ZERO
    assert f.share_covered(plan) == 1


def test_over_funding_reports_a_surplus():
    plan = f.preset("local")
    cost = f.total_cost(plan)
    plan = replace(plan, funding=(request("medical-society", cost, "awarded"), request("chapter", 15, "awarded")))
    t = f.totals(plan)
    assert t.surplus == Decimal("15.00")
    assert t.share_secured > 1
    assert "Over-funded by $15.00" in t.describe()
    assert f.chart_data(plan)["funding"][0] == ("Secured", float(cost))


def test_compare_a_local_meeting_with_a_national_conference():
    frame = f.compare_events([f.preset("local"), f.preset("national", funding=(request("chapter", 505, "awarded"),))])
    assert list(frame["level"]) == ["local", "national"]
    assert frame.loc[1, "total cost"] == Decimal("1505.00")
    assert frame.loc[1, "gap"] == Decimal("1000.00")
    assert all(isinstance(v, Decimal) for v in frame["total cost"])  # never floats for sums
    assert frame["total cost"].sum() == Decimal("1570.10")
    shown = f.format_table(frame)
    assert shown.loc[1, "total cost"] == "$1,505.00"
    assert shown.loc[1, "share secured"] == "34%"


def test_presets_exist_for_every_plan_level_and_grow_with_scale():
    costs = [f.total_cost(f.preset(level)) for level in f.PLAN_LEVELS]
    assert costs == sorted(costs) and costs[0] == 0 and costs[-1] > 1000
    with pytest.raises(KeyError):
        f.preset("galactic")


# ---------------------------------------------------------------- validation

def test_fields_round_trip_to_the_same_plan():
    plan = f.preset("state", event_date=date(2026, 5, 1),
                    funding=(request("chapter", "12.34", "asked", date(2026, 2, 1)),))
    rebuilt, problems = f.plan_from_fields(f.plan_to_fields(plan), TODAY)
    assert problems == {} and rebuilt == plan


@pytest.mark.parametrize("key, value, words", [
    ("registration", "-20", "negative"),
    ("registration", "twenty", "not an amount"),
    ("nights", "two", "whole number"),
    ("nights", "-1", "negative"),
    ("nights", "²", "whole number"),
    ("event_date", "next May", "YYYY-MM-DD"),
    ("name", "  ", "name"),
])
def test_bad_fields_give_a_message_on_that_field(key, value, words):
    plan, problems = f.plan_from_fields(fields_of(f.preset("state"), **{key: value}), TODAY)
    assert plan is None
    assert words in problems[key]


def test_nights_without_a_lodging_rate():
    _, problems = f.plan_from_fields(fields_of(f.preset("local"), nights="2", lodging_rate=""), TODAY)
    assert "2 night(s) but no rate" in problems["lodging_rate"]
    plan, problems = f.plan_from_fields(fields_of(f.preset("local"), nights="2", lodging_rate="90"), TODAY)
    assert problems == {} and f.cost_lines(plan)["lodging"] == Decimal("180.00")


def test_deadline_in_the_past_is_refused_for_a_route_not_yet_asked():
    row = {"route": "chapter", "amount": "50", "status": "idea", "deadline": "2026-01-14"}
    _, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=[row]), TODAY)
    assert "already passed" in problems["funding.0.deadline"]
    # The same date on a request already sent is history, not a mistake.
    plan, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=[{**row, "status": "asked"}]), TODAY)
    assert problems == {} and plan.funding[0].deadline == date(2026, 1, 14)
    plan, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=[{**row, "deadline": "2026-01-15"}]),
                                        TODAY)
    assert problems == {}


def test_an_award_larger_than_the_cost_is_refused():
    row = {"route": "medical-society", "amount": "65.11", "status": "awarded", "deadline": ""}
    _, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=[row]), TODAY)
    assert "more than the whole event costs ($65.10)" in problems["funding.0.amount"]
    plan, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=[{**row, "amount": "65.10"}]), TODAY)
    assert problems == {} and f.totals(plan).fully_covered


def test_unknown_route_and_status_are_reported():
    rows = [{"route": "lottery", "amount": "1"}, {"route": "chapter", "amount": "1", "status": "maybe"}]
    _, problems = f.plan_from_fields(fields_of(f.preset("local"), funding=rows), TODAY)
    assert "unknown route" in problems["funding.0.route"]
    assert "Status" in problems["funding.1.status"]


def test_saved_dict_round_trip_and_damage():
    plan = f.preset("national", funding=(request("event-scholarship", "99.99", "pending", date(2025, 1, 1)),))
    assert f.plan_from_dict(f.plan_to_dict(plan)) == plan  # old deadlines load fine
    with pytest.raises(f.PlanError, match="not a funding plan"):
        f.plan_from_dict({"name": "x"})
    broken = f.plan_to_dict(plan)
    broken["nights"] = "lots"
    with pytest.raises(f.PlanError, match="Nights"):
        f.plan_from_dict(broken)
    broken = f.plan_to_dict(plan)
    broken["funding"] = "nope"
    with pytest.raises(f.PlanError, match="damaged"):
        f.plan_from_dict(broken)


# ---------------------------------------------------------------- whom to ask

def test_ask_order_puts_deadlines_first_then_the_article_order_then_done():
    plan = f.preset("national", event_date=date(2026, 6, 1), funding=(
        request("chapter", 100, "awarded"),
        request("event-scholarship", 300, "idea", date(2026, 3, 1)),
        request("medical-society", 200, "asked", date(2026, 2, 1)),
    ))
    steps = f.ask_order(plan, today=TODAY)
    assert [s.route.id for s in steps] == ["medical-society", "event-scholarship", "school-leadership",
                                           "specialty-society", "chapter"]
    assert steps[-1].done and steps[-1].ask_by is None
    assert steps[2].status == "not planned" and steps[2].ask_by == date(2026, 4, 20) and steps[2].ask_by_is_suggested
    assert f.totals(plan).gap == Decimal("1205.00")
    assert steps[2].amount == Decimal("905.00")  # the gap less the $300 planned but not yet asked
    assert len(steps) == len(load_content().funding_routes)


def test_draft_request_names_event_amount_deadline_and_funder():
    plan = f.preset("national", event_date=date(2026, 6, 1),
                    funding=(request("event-scholarship", 300, "idea", date(2026, 3, 1)),))
    text = f.draft_request(plan, "event-scholarship", student="Ana Ruiz")
    assert plan.name in text and "$300.00" in text and "$1,505.00" in text
    assert "01 March 2026" in text and "the event's organisers" in text and text.endswith("Ana Ruiz")
    other = f.draft_request(plan, "chapter")
    assert "I am asking for $1,205.00" in other  # the cost less the $300 already planned
    with pytest.raises(KeyError):
        f.draft_request(plan, "lottery")


# ---------------------------------------------------------------- exports and tables

def test_csv_export_reads_back_exactly():
    plan = f.preset("state", funding=(request("chapter", "0.10", "awarded"), request("chapter", "0.20", "awarded")))
    rows = list(csv.DictReader(io.StringIO(f.plan_to_csv(plan))))
    costs = sum(Decimal(r["amount"]) for r in rows if r["section"] == "cost")
    total = next(Decimal(r["amount"]) for r in rows if r["item"] == "total cost")
    assert costs == total == f.total_cost(plan)
    assert next(r["amount"] for r in rows if r["item"] == "secured") == "0.30"


def test_markdown_export_has_tables_totals_checklist_and_source():
    plan = f.preset("local", name="Pipes | and bars", funding=(request("chapter", 20, "awarded"),))
    text = f.plan_to_markdown(plan, today=TODAY)
    assert "# Funding plan: Pipes \\| and bars" in text
    assert "| **Total** | **$65.10** |" in text
    assert "1. [ ]" in text and "[x] School chapter organisations" in text
    assert "Bakly" in text


def test_cost_table_uses_the_article_costs_in_order():
    table = f.cost_table(f.preset("national"))
    assert list(table["cost"]) == [c.id for c in load_content().costs]
    assert isinstance(table, pd.DataFrame) and table["amount"].dtype == object


def test_a_problem_in_a_later_funding_row_is_reported_on_that_row():
    """An unreadable amount in row 1 must not shift row 3's message onto row 2."""
    fields = f.plan_to_fields(f.preset("local"))
    fields["funding"] = [
        {"route": "chapter", "amount": "lots", "status": "idea", "deadline": ""},
        {"route": "school-leadership", "amount": "5", "status": "idea", "deadline": ""},
        {"route": "medical-society", "amount": "9999", "status": "awarded", "deadline": ""},
    ]
    plan, problems = f.plan_from_fields(fields, content=load_content())
    assert plan is None
    assert set(problems) == {"funding.0.amount", "funding.2.amount"}
    assert "more than the whole event costs" in problems["funding.2.amount"]


# ---------------------------------------------------------------- hostile inputs (issue 17)

@pytest.mark.parametrize("text, words", [
    ("1" * 27, "too large"), ("9" * 28 + ".00", "too large"), ("1" * 26 + ".5", "too large"),
    ("0." + "0" * 30 + "1", "two decimals"), ("1" * 41, "too long"), ("1" * 5000, "too long"),
])
def test_amounts_of_27_or_more_digits_get_a_message_not_a_decimal_error(text, words):
    # Quantising 10**26 or more to cents raised decimal.InvalidOperation, which escaped every caller.
    with pytest.raises(f.MoneyError, match=words):
        f.parse_money(text, "Registration")
    _plan, problems = f.plan_from_fields(fields_of(f.preset("local"), registration=text))
    assert words in problems["registration"]


@pytest.mark.parametrize("text, expected", [
    ("1 200", "1200.00"), ("12 345.50", "12345.50"), ("1 234 567", None), ("1\u00a0200", "1200.00"),
    ("1\u202f200.05", "1200.05"), ("$ 45", "45.00"), ("  45  ", "45.00"), ("$ 1 200", "1200.00"),
])
def test_a_space_may_separate_thousands(text, expected):
    if expected is None:  # 1,234,567 is more than the largest amount
        with pytest.raises(f.MoneyError, match="too large"):
            f.parse_money(text)
    else:
        assert f.parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1 2", "12 34", "1 2000", "1 200 30", "1 2 3", "1,200 300", "12 .50", "1  200"])
def test_a_space_anywhere_else_in_a_number_is_refused_not_joined(text):
    # "1 2" used to become 12.00 without a word.
    with pytest.raises(f.MoneyError, match="a space may only separate thousands"):
        f.parse_money(text, "Registration")


@pytest.mark.parametrize("text", ["0001-01-05", "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_dates_a_plan_cannot_use_get_a_message(text):
    with pytest.raises(f.MoneyError, match="check the year"):
        f.parse_date(text, "Event date")
    _plan, problems = f.plan_from_fields(fields_of(f.preset("local"), event_date=text))
    assert "check the year" in problems["event_date"]
    assert f.parse_date("1900-01-01", "x") == date(1900, 1, 1) and f.parse_date("2999-12-31", "x")


def test_the_ask_by_date_never_overflows_even_for_a_plan_made_in_code():
    # 42 days before 0001-01-05 is before date.min: ask_order raised OverflowError.
    for day in (date.min, date(1, 1, 5), date(1, 2, 11)):
        assert {step.ask_by for step in f.ask_order(f.preset("local", event_date=day))} == {date.min}
    assert f.ask_order(f.preset("local", event_date=date(1, 2, 12)))[0].ask_by == date(1, 1, 1)
    later = date(2026, 5, 1)
    assert f.ask_order(f.preset("local", event_date=later))[0].ask_by == later - timedelta(days=f.ASK_LEAD_DAYS)


def test_a_long_other_costs_label_gets_a_message_instead_of_a_silent_cut():
    label = "Poster printing and " * 11  # 220 characters; it was cut at 200, mid-word
    _plan, problems = f.plan_from_fields(fields_of(f.preset("state"), other_label=label))
    assert problems == {"other_label": "Other costs: what: keep it under 200 characters (it has 219)."}
    exact = ("x" * 199) + "y"
    plan, problems = f.plan_from_fields(fields_of(f.preset("state"), other_label=exact))
    assert problems == {} and plan.other_label == exact


def test_a_long_note_in_a_saved_plan_is_reported_not_cut():
    data = f.plan_to_dict(f.preset("local", funding=(f.FundingRequest("chapter", f.money(5), note="n" * 501),)))
    with pytest.raises(f.PlanError, match="Funding row 1: keep its note under 500 characters"):
        f.plan_from_dict(data)
    kept = f.preset("local", funding=(f.FundingRequest("chapter", f.money(5), note="n" * 500),))
    assert f.plan_from_dict(f.plan_to_dict(kept)) == kept


def test_pending_requests_worth_more_than_the_cost_get_a_note():
    plan = f.preset("local", funding=(request("chapter", 40, "pending"), request("school-leadership", 40, "asked")))
    t = f.totals(plan)
    assert t.cost == Decimal("65.10") and t.over_asked == Decimal("14.90") and t.gap == f.ZERO
    assert t.describe().endswith("If every pending request is awarded, the event is over-funded by $14.90: tell each "
                                 "funder what else you have asked for.")
    assert "over-funded by $14.90" in f.plan_to_markdown(plan)
    # Secured money alone already over the cost: every pending dollar would be extra.
    over = f.totals(f.preset("local", funding=(request("chapter", 65.10, "awarded"), request("medical-society", 5,
                                                                                             "pending"))))
    assert over.over_asked == Decimal("5.00") and over.surplus == f.ZERO
    assert f.totals(f.preset("local", funding=(request("chapter", 60, "pending"),))).over_asked == f.ZERO


def test_the_markdown_export_shows_the_event_name_as_text_never_html():
    name = "<img src=x onerror=alert(1)> *Gala* # [link](http://x) | `code` &amp;"
    text = f.plan_to_markdown(f.preset("local", name=name))
    heading = text.splitlines()[0]
    assert "<img" not in text and "&lt;img src=x onerror=alert\\(1\\)&gt;" in heading
    rendered = mistune.html(text)
    assert "<img" not in rendered and "<em>" not in rendered and "<a " not in rendered and "<code>" not in rendered
    assert html.unescape(re.sub("<[^>]+>", "", rendered.splitlines()[0])) == f"Funding plan: {name}"
