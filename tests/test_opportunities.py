"""The opportunity catalogue, its loader's checks, the filters and the finder widget."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from netcourse import funding
from netcourse.content import ContentError, data_path, load_content
from netcourse.opportunities import (
    ANY,
    COLUMNS,
    filter_opportunities,
    load_catalogue,
    parse_catalogue,
    plan_for,
    specialties,
)
from netcourse.widgets import FundingPlanner, OpportunityFinder

CONTENT = load_content()
CSV_TEXT = data_path("opportunities.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


# ---------------------------------------------------------------- the catalogue covers the article

def test_every_example_of_every_level_is_in_the_catalogue(catalogue):
    listed = {example for ids in catalogue["example_ids"] for example in ids}
    for level in CONTENT.levels:
        for example in level.examples:
            assert example.id in listed, f"{level.id}: example {example.id!r} ({example.name}) missing"
            rows = catalogue[catalogue["example_ids"].map(lambda ids, e=example.id: e in ids)]
            assert level.id in set(rows["level"]), f"{example.id} should appear at its own level {level.id}"


def test_every_benefit_and_level_is_used(catalogue):
    used = {b for ids in catalogue["benefit_ids"] for b in ids}
    assert used == {b.id for b in CONTENT.benefits}
    assert set(catalogue["level"]) == {lv.id for lv in CONTENT.levels}


def test_online_platforms_from_harvard_are_included(catalogue):
    online = catalogue[catalogue["scope"] == "online"]
    assert len(online) >= 2 and "hms" in set(online["source"])
    assert (online["typical_cost"] <= Decimal("100")).all()


def test_typical_cost_is_the_planner_preset_total(catalogue):
    for _, row in catalogue.iterrows():
        assert isinstance(row["typical_cost"], Decimal)
        assert row["typical_cost"] == funding.total_cost(plan_for(row))
    assert catalogue.loc["county-medical-society-event", "cost_band"] == "under $100"
    assert catalogue.loc["national-specialty-conference", "cost_band"] == "over $500"


# ---------------------------------------------------------------- the loader's checks

def edited(old: str, new: str) -> str:
    assert old in CSV_TEXT
    return CSV_TEXT.replace(old, new, 1)


@pytest.mark.parametrize("text, words", [
    (CSV_TEXT.replace(",source\n", "\n", 1), "line 1: missing column(s) source"),
    (edited("insight;mentorship;events,0,school,soma", "insight;fame;events,0,school,soma"),
     "line 2: unknown benefit 'fame'"),
    (edited(",school,school,chapter,osteopathic,", ",campus,school,chapter,osteopathic,"), "line 2: level 'campus'"),
    (edited("acofp-chapter,", "soma-chapter,"), "line 3: duplicate id 'soma-chapter'"),
    (edited("insight;mentorship;events,0,school,soma", "insight;mentorship;events,-5,school,soma"), "negative"),
    (edited("events,0,school,soma", "events,0,school,sooma"), "line 2: unknown example 'sooma'"),
    (edited("events,0,school,soma", "events,0,galaxy,soma"), "plan_level 'galaxy'"),
    (CSV_TEXT.split("\n")[0] + "\n", "no opportunities"),
])
def test_bad_rows_raise_content_error_naming_file_line_and_problem(text, words):
    with pytest.raises(ContentError) as info:
        parse_catalogue(text, "opportunities.csv")
    assert str(info.value).startswith("opportunities.csv")
    assert words in str(info.value)


def test_missing_or_binary_file(tmp_path):
    with pytest.raises(ContentError, match="file not found"):
        load_catalogue(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ContentError, match="not UTF-8"):
        load_catalogue(bad)
    good = tmp_path / "good.csv"
    good.write_text(CSV_TEXT)
    assert len(load_catalogue(good)) == len(load_catalogue())
    assert COLUMNS[0] == "id"


# ---------------------------------------------------------------- filters

def test_filter_by_level(catalogue):
    for level in CONTENT.levels:
        rows = filter_opportunities(catalogue, level=level.id)
        assert len(rows) > 0 and set(rows["level"]) == {level.id}
    assert len(filter_opportunities(catalogue)) == len(catalogue)


def test_filter_by_specialty_keeps_rows_open_to_any(catalogue):
    rows = filter_opportunities(catalogue, specialty="Osteopathic")
    assert "soma-chapter" in rows.index and "national-specialty-conference" in rows.index
    assert all("osteopathic" in s or ANY in s for s in rows["specialties"])
    family = filter_opportunities(catalogue, specialty="family medicine")
    assert "soma-chapter" not in family.index and "acofp-chapter" in family.index
    assert specialties(catalogue)[0] == ANY and "family medicine" in specialties(catalogue)


def test_filter_by_benefit_and_cost(catalogue):
    shadowing = filter_opportunities(catalogue, benefit="shadowing")
    assert len(shadowing) and all("shadowing" in ids for ids in shadowing["benefit_ids"])
    free = filter_opportunities(catalogue, max_cost=0)
    assert len(free) and (free["typical_cost"] == 0).all()
    combined = filter_opportunities(catalogue, level="local", benefit="shadowing", max_cost="100")
    assert list(combined.index) == ["county-health-department", "county-medical-society-event"]
    with pytest.raises(funding.MoneyError):
        filter_opportunities(catalogue, max_cost="cheap")


# ---------------------------------------------------------------- the widget

def test_finder_filters_and_hands_an_event_to_the_planner(work_dir):
    finder = OpportunityFinder()
    assert f"{len(finder.catalogue)} opportunities match" in finder.count.value
    finder.level.value = "national"
    finder.cost.value = Decimal("100")
    assert set(finder.results["level"]) == {"national"}
    assert (finder.results["typical_cost"] <= 100).all()
    assert finder.choice.value in finder.results.index
    finder.cost.value = ""
    finder.benefit.value = "research"
    finder.choice.value = "national-specialty-conference"
    assert "specialty organisation" in finder.details.value
    assert "Typical cost to you: $1,505.00 (registration $250.00 plus typical travel, lodging" in finder.details.value
    assert finder.planner is None
    finder.plan_button.click()
    assert finder.planner is not None and finder.planner_box.children == (finder.planner.container,)
    assert finder.planner.fields["name"].value == "National specialty conference"
    assert finder.planner.fields["level"].value == "national"
    assert finder.planner.totals.cost == Decimal("1505.00")
    assert "National specialty conference" in finder.status.value


def test_finder_fills_a_linked_planner_and_refuses_funding_rows(work_dir):
    planner = FundingPlanner()
    finder = OpportunityFinder(planner=planner)
    finder.level.value = "local"
    finder.choice.value = "county-medical-society-travel-fund"
    assert finder.plan_button.disabled and "route to funding" in finder.details.value
    finder.choice.value = "county-medical-society-event"
    assert not finder.plan_button.disabled
    finder.plan_button.click()
    assert finder.planner is planner and planner.totals.cost == Decimal("65.10")


def test_finder_says_when_nothing_matches_and_labels_its_controls():
    finder = OpportunityFinder()
    finder.level.value = "school"
    finder.benefit.value = "research"
    finder.cost.value = Decimal("0")
    assert "Nothing matches" in finder.count.value and finder.choice.value is None
    assert finder.plan_button.disabled
    for control in (finder.level, finder.specialty, finder.benefit, finder.cost, finder.choice):
        assert control.description and control.tooltip


def test_choosing_an_event_keeps_the_students_edited_plan(work_dir):
    planner = FundingPlanner()
    planner.fields["registration"].value = "77.00"
    finder = OpportunityFinder(planner=planner)
    finder.level.value = "national"
    finder.choice.value = "national-specialty-conference"
    finder.plan_button.click()
    assert planner.fields["level"].value == "national"
    assert "kept as unsaved-backup.json" in finder.status.value
    backup = json.loads((work_dir / "plans" / "unsaved-backup.json").read_text())
    assert backup["data"]["registration"] == "77.00"


def test_typical_cost_is_never_blank():
    """A Dropdown whose value is None shows an empty box: "Any cost" must have a real value."""
    finder = OpportunityFinder()
    assert finder.cost.label == "Any cost" and finder.cost.index == 0
    finder.cost.value = Decimal("0")
    assert (finder.results["typical_cost"] == 0).all()  # "Free" is 0, not "no limit"
    finder.cost.value = ""
    assert finder.cost.label == "Any cost" and len(finder.results) == len(finder.catalogue)
    assert all(value is not None for _label, value in finder.cost.options)


def test_many_specialties_including_cardiology(catalogue):
    found = specialties(catalogue)
    assert len(found) - 1 >= 18
    for name in ("cardiology", "emergency medicine", "internal medicine", "pediatrics", "surgery", "psychiatry"):
        assert name in found
        rows = filter_opportunities(catalogue, specialty=name, level="national")
        assert any(name in row for row in rows["specialties"]), name  # a meeting of its own, not only "any"
    finder = OpportunityFinder()
    finder.specialty.value = "cardiology"
    assert "acc-meeting" in finder.results.index


def test_course_additions_are_marked_as_the_courses_own(catalogue):
    from rendered import shown_text

    added = catalogue[catalogue["source"] == "course"]
    assert {"ama-mss-chapter", "fmig", "acc-meeting", "virtual-conference"} <= set(added.index)
    assert catalogue.loc["virtual-conference", "source"] == "course"  # not Harvard's
    finder = OpportunityFinder()
    finder.choice.value = "ama-mss-chapter"
    assert "Course addition: the course's own suggestion, not from the article" in shown_text(finder.details.value)
    assert "Harvard" not in shown_text(finder.details.value)
    finder.choice.value = "soma-chapter"
    assert "Bakly (2024)" in shown_text(finder.details.value)
    assert "Course addition" in shown_text(finder.table.value)
