"""FundingPlanner driven like a student would: edit fields, watch totals, chart and gap; save, load, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import ipywidgets as widgets
import pytest
from rendered import elements, shown_text

from netcourse import funding
from netcourse.widgets import FundingPlanner

TODAY = date(2026, 1, 15)


@pytest.fixture
def planner(work_dir):
    return FundingPlanner(funding.preset("local"), today=TODAY)


def row(planner, route_id):
    index = [r.id for r in planner.routes].index(route_id)
    return index, planner.funding_rows[index]


def funding_bar(planner, label):
    return dict(planner.chart_data()["funding"])[label]


def test_starts_from_the_plan_given(planner):
    assert planner.fields["name"].value == "County medical society evening"
    assert planner.totals.cost == Decimal("65.10")
    assert "Total cost $65.10" in shown_text(planner.totals_html.value)
    assert planner.problems == {}
    assert planner.chart_png.startswith(b"\x89PNG")


def test_editing_cost_lines_updates_totals_chart_and_gap(planner):
    before_png = planner.chart_png
    planner.fields["registration"].value = "125.50"
    assert planner.plan.registration == Decimal("125.50")
    assert planner.totals.cost == Decimal("165.60")
    assert "Total cost $165.60" in shown_text(planner.totals_html.value)
    assert dict(planner.chart_data()["costs"])["Ticket or registration"] == 125.5
    assert funding_bar(planner, "Gap") == 165.6
    assert planner.chart_png != before_png
    key = shown_text(planner.chart_key.value)
    assert "Ticket or registration $125.50" in key and "Gap $165.60" in key  # the key shows the bars' figures

    planner.fields["travel_mode"].value = "fare"
    planner.fields["fare"].value = "80"
    planner.fields["nights"].value = "1"
    planner.fields["lodging_rate"].value = "99.90"
    assert planner.totals.cost == Decimal("325.40")  # 125.50 + 80 + 99.90 + 20


def test_funding_rows_move_money_from_gap_to_pending_and_secured(planner):
    i, chapter = row(planner, "chapter")
    chapter["amount"].value = "20"
    assert planner.totals.ideas == Decimal("20.00") and planner.totals.gap == Decimal("65.10")
    chapter["status"].value = "asked"
    assert planner.totals.pending == Decimal("20.00") and planner.totals.gap == Decimal("45.10")
    assert funding_bar(planner, "Pending") == 20.0
    chapter["status"].value = "awarded"
    assert planner.totals.secured == Decimal("20.00")
    assert funding_bar(planner, "Secured") == 20.0 and funding_bar(planner, "Pending") == 0.0
    assert funding.format_share(planner.totals.share_secured) == "31%"
    assert "Share secured 31%" in shown_text(planner.totals_html.value)
    _, society = row(planner, "medical-society")
    society["amount"].value = "45.10"
    society["status"].value = "awarded"
    assert planner.totals.fully_covered and funding_bar(planner, "Gap") == 0.0
    assert "Fully covered" in shown_text(planner.totals_html.value)
    # The checklist lists done routes last.
    done = [step.done for step in planner.steps]
    assert done == sorted(done) and done.count(True) == 2
    assert shown_text(planner.checklist.value).count("☑") == 2


def test_over_funding_is_shown(planner):
    _, society = row(planner, "medical-society")
    society["amount"].value = "65.10"
    society["status"].value = "awarded"
    _, chapter = row(planner, "chapter")
    chapter["amount"].value = "10"
    chapter["status"].value = "awarded"
    assert planner.totals.surplus == Decimal("10.00")
    assert "Over-funded by $10.00" in shown_text(planner.totals_html.value)
    assert funding_bar(planner, "Secured") == 65.1


@pytest.mark.parametrize("key, bad, words", [
    ("registration", "-10", "negative"),
    ("registration", "ten dollars", "not an amount"),
    ("meal_rate", "12.345", "two decimals"),
    ("nights", "2.5", "whole number"),
    ("event_date", "14/03/2026", "YYYY-MM-DD"),
])
def test_bad_cost_input_shows_a_message_and_keeps_the_plan(planner, key, bad, words):
    plan, png, good = planner.plan, planner.chart_png, planner.fields[key].value
    planner.fields[key].value = bad
    assert words in planner.problems[key]
    alert = elements(planner.messages[key].value, "span")
    assert alert and alert[0]["role"] == "alert" and planner.problems[key] in shown_text(planner.messages[key].value)
    assert planner.plan == plan and planner.chart_png == png
    assert "Please fix" in shown_text(planner.banner.value)
    planner.fields[key].value = good
    assert planner.problems == {} and planner.messages[key].value == "" and planner.banner.value == ""


def test_nights_without_a_rate_deadline_past_and_award_too_big(planner):
    plan = planner.plan
    planner.fields["nights"].value = "2"
    assert "no rate" in planner.problems["lodging_rate"]
    assert planner.plan == plan
    planner.fields["nights"].value = "0"

    i, scholarship = row(planner, "event-scholarship")
    scholarship["amount"].value = "30"
    plan = planner.plan
    scholarship["deadline"].value = "2026-01-01"
    assert "already passed" in planner.problems[f"funding.{i}.deadline"]
    assert planner.plan == plan
    scholarship["deadline"].value = "2026-02-01"
    assert planner.plan.funding[0].deadline == date(2026, 2, 1)

    i, society = row(planner, "medical-society")
    society["status"].value = "awarded"
    plan = planner.plan
    society["amount"].value = "500"
    assert "more than the whole event costs" in planner.problems[f"funding.{i}.amount"]
    assert planner.plan == plan


def test_text_typed_by_the_student_is_escaped(planner):
    planner.fields["name"].value = "<script>alert(1)</script> meeting"
    planner.student_name.value = "<b>Sam</b>"
    assert "<script>alert(1)</script> meeting" in planner.draft_text and planner.draft_text.endswith("<b>Sam</b>")
    assert planner.draft_panel.text == planner.draft_text  # in a text box: shown as typed, never as markup
    tools = planner.draft_panel.tools.value + planner.draft_panel.note.value
    assert not elements(tools, "script") and not elements(tools, "b")
    planner.compare_button.click()
    assert not elements(planner.comparison_html.value, "script")
    assert "<script>alert(1)</script> meeting" in shown_text(planner.comparison_html.value)


def test_preset_button_fills_typical_costs_for_the_level(planner):
    planner.fields["level"].value = "national"
    planner.preset_button.click()
    assert planner.totals.cost == funding.total_cost(funding.preset("national"))
    assert planner.fields["name"].value == "County medical society evening"  # the student's name stays


def test_compare_a_local_meeting_with_a_national_conference(planner):
    planner.compare_button.click()
    planner.load_plan(funding.preset("national"))
    planner.compare_button.click()
    assert [p.level for p in planner.comparison] == ["local", "national"]
    table = shown_text(planner.comparison_html.value)
    assert "$1,505.00" in table and "$65.10" in table
    planner.clear_compare_button.click()
    assert planner.comparison_html.value == ""


def test_save_reload_and_export(planner, work_dir):
    _, chapter = row(planner, "chapter")
    chapter["amount"].value = "0.10"
    chapter["status"].value = "awarded"
    planner.fields["event_date"].value = "2026-04-01"
    planner.file_name.value = "county evening"
    planner.save_button.click()
    saved = work_dir / "plans" / "county-evening.json"
    assert saved.is_file() and planner.files.message == f"Saved county-evening.json in {saved.parent}."
    assert planner.files.offered == (saved,)
    assert json.loads(saved.read_text())["data"]["funding"][0]["amount"] == "0.10"
    assert planner.saved.value == "county-evening.json"

    other = FundingPlanner(today=TODAY)
    other.saved.value = "county-evening.json"
    other.load_button.click()
    assert other.plan == planner.plan
    assert other.funding_rows[0]["status"].value == "awarded"
    assert other.fields["event_date"].value == "2026-04-01"

    planner.export_csv_button.click()
    planner.export_md_button.click()
    rows = list(csv.DictReader(io.StringIO((work_dir / "plans" / "county-evening.csv").read_text())))
    assert next(r["amount"] for r in rows if r["item"] == "secured") == "0.10"
    markdown = (work_dir / "plans" / "county-evening.md").read_text()
    assert "**$65.10**" in markdown and "[x] School chapter organisations" in markdown


def test_saving_is_refused_while_a_field_is_wrong_and_the_file_stays_intact(planner, work_dir):
    planner.file_name.value = "plan"
    path = planner.save()
    before = path.read_bytes()
    planner.fields["registration"].value = "-40"
    planner.save_button.click()
    assert planner.files.message.startswith("Not saved") and planner.files.level == "error"
    planner.export_csv_button.click()
    assert planner.files.message.startswith("Not exported")
    assert path.read_bytes() == before
    assert not (work_dir / "plans" / "plan.csv").exists()


def test_a_damaged_file_gives_a_clear_message_and_changes_nothing(planner, work_dir):
    folder = work_dir / "plans"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text('{"kind": "funding-plan", "data": {')
    (folder / "foreign.json").write_text('{"kind": "pitch", "data": {}}')
    bad = funding.plan_to_dict(funding.preset("state"))
    bad["registration"] = "-1"
    (folder / "tampered.json").write_text(json.dumps({"kind": "funding-plan", "data": bad}))
    planner.files.refresh()
    plan = planner.plan
    for name, words in (("broken.json", "damaged"), ("foreign.json", "not a saved funding-plan"),
                        ("tampered.json", "negative")):
        before = (folder / name).read_bytes()
        planner.saved.value = name
        planner.load_button.click()
        assert words in planner.files.message and planner.files.message.endswith("Your current plan is unchanged.")
        assert planner.plan == plan
        assert (folder / name).read_bytes() == before
    assert planner.load("missing.json") is None and "was not found" in planner.files.message


def test_an_old_plan_with_a_passed_deadline_loads_and_asks_for_a_fix(work_dir):
    old = funding.preset("local", funding=(funding.FundingRequest("chapter", Decimal("10.00"), "idea",
                                                                  date(2025, 12, 1)),))
    planner = FundingPlanner(old, today=TODAY)
    assert planner.plan == old
    assert "already passed" in planner.problems["funding.0.deadline"]
    assert planner.save() is None


def test_every_control_is_labelled(planner):
    controls = [w for w in planner.fields.values()]
    controls += [w for r in planner.funding_rows for k, w in r.items() if k != "label"]
    controls += [planner.student_name, planner.draft_route, planner.file_name, planner.saved]
    assert all(w.description for w in controls)
    buttons = [planner.preset_button, planner.save_button, planner.load_button, planner.export_csv_button,
               planner.export_md_button, planner.compare_button, planner.clear_compare_button]
    assert all(b.description and b.tooltip for b in buttons)
    assert isinstance(planner.container, widgets.VBox)


def test_the_draft_follows_the_chosen_route(planner):
    planner.draft_route.value = "event-scholarship"
    assert "To: the event's organisers" in planner.draft_text
    assert planner.draft_panel.text == planner.draft_text
    planner.draft_route.value = "chapter"
    assert "chapter" in planner.draft_text and "The trip will cost $65.10" in planner.draft_text


BAD_INPUTS = [
    # (steps the student takes, the last one bad; the field whose message shows; words in the message)
    ([("registration", "-25")], "registration", "negative"),
    ([("meal_rate", "lunch money")], "meal_rate", "not an amount"),
    ([("lodging_rate", ""), ("nights", "3")], "lodging_rate", "no rate"),
    ([("event-scholarship.amount", "40"), ("event-scholarship.deadline", "2025-12-31")], "funding.4.deadline",
     "already passed"),
    ([("medical-society.status", "awarded"), ("medical-society.amount", "9999")], "funding.2.amount",
     "more than the whole event costs"),
]


def control(planner, target):
    if "." in target:
        route, part = target.split(".")
        return row(planner, route)[1][part]
    return planner.fields[target]


@pytest.mark.parametrize("steps, key, words", BAD_INPUTS)
def test_each_bad_input_shows_a_message_keeps_the_plan_and_the_saved_file(planner, work_dir, steps, key, words):
    planner.file_name.value = "kept"
    path = planner.save()
    saved_bytes = path.read_bytes()
    for target, value in steps[:-1]:
        control(planner, target).value = value
    assert planner.problems == {}
    plan, totals_html = planner.plan, planner.totals_html.value
    target, value = steps[-1]
    control(planner, target).value = value
    assert words in planner.problems[key] and words in shown_text(planner.messages[key].value)  # next to the field
    assert planner.plan == plan and planner.totals_html.value == totals_html
    planner.save_button.click()
    assert planner.files.message.startswith("Not saved")
    assert path.read_bytes() == saved_bytes
    assert planner.load("kept.json") is not None  # the saved plan is intact and clears the problem
    assert planner.problems == {} and planner.plan == funding.preset("local")


def test_travel_fields_follow_the_mode_but_a_problem_stays_visible(planner):
    shown = {key: planner.rows[key].layout.display != "none" for key in ("distance_miles", "mileage_rate", "fare")}
    assert shown == {"distance_miles": True, "mileage_rate": True, "fare": False}
    planner.fields["travel_mode"].value = "fare"
    assert planner.rows["fare"].layout.display != "none" and planner.rows["distance_miles"].layout.display == "none"
    planner.fields["distance_miles"].value = "far"  # hidden, but wrong: it must show with its message
    assert planner.rows["distance_miles"].layout.display != "none"
    assert "not a number" in planner.problems["distance_miles"]


def test_loading_or_choosing_an_event_keeps_unsaved_changes_as_a_backup(planner, work_dir):
    planner.file_name.value = "county"
    planner.save()
    other = FundingPlanner(funding.preset("national"), today=TODAY)
    other.file_name.value = "national"
    other.save()

    # Unchanged since its save: a Load replaces it and keeps no backup.
    planner.files.refresh()
    planner.saved.value = "national.json"
    planner.load_button.click()
    assert planner.plan == other.plan and planner.files.message == "Loaded national.json."
    assert not (work_dir / "plans" / "unsaved-backup.json").exists()

    planner.fields["registration"].value = "321.00"
    edited = planner.plan
    planner.saved.value = "county.json"
    planner.load_button.click()
    assert planner.files.message == (
        "Loaded county.json. Your unsaved changes were kept as unsaved-backup.json (the last 5 backups are kept).")
    assert planner.fields["name"].value == "County medical society evening"
    backup = json.loads((work_dir / "plans" / "unsaved-backup.json").read_text())
    assert backup["data"]["registration"] == "321.00"
    assert "unsaved-backup.json" in planner.saved.options
    planner.saved.value = "unsaved-backup.json"
    planner.load_button.click()
    assert planner.plan == edited


def test_a_load_is_refused_when_the_backup_cannot_be_written(planner, work_dir):
    planner.file_name.value = "county"
    planner.save()
    planner.fields["registration"].value = "99.00"
    (work_dir / "plans" / "unsaved-backup.json").mkdir()  # a folder where the backup file must go
    planner.saved.value = "county.json"
    planner.load_button.click()
    assert "could not be kept" in planner.files.message and planner.files.level == "error"
    assert planner.fields["registration"].value == "99.00" and planner.plan.registration == Decimal("99.00")


# ---------------------------------------------------------------- hostile inputs (issue 17)

def saved_registration(path):
    return json.loads(path.read_text())["data"]["registration"]


def test_a_27_digit_amount_gets_a_message_and_save_never_writes_another_value(planner, work_dir):
    planner.file_name.value = "county"
    path = planner.save()
    planner.fields["registration"].value = "1" * 27  # raised decimal.InvalidOperation out of the observer
    assert "too large" in planner.problems["registration"]
    assert "too large" in shown_text(planner.messages["registration"].value)
    assert planner.save() is None and planner.files.message.startswith("Not saved")
    assert saved_registration(path) == "25.00"  # the file is not rewritten behind a screen that shows 27 digits
    data = funding.plan_to_dict(funding.preset("local"))
    data["registration"] = "1" * 27
    (work_dir / "plans" / "huge.json").write_text(json.dumps({"kind": "funding-plan", "data": data}))
    assert planner.load("huge.json") is None and planner.files.level == "error"
    assert "too large" in planner.files.message and planner.files.message.endswith("Your current plan is unchanged.")


def test_an_event_date_in_year_one_gets_a_message_typed_or_loaded(planner, work_dir):
    planner.fields["event_date"].value = "0001-01-05"  # the ask-by date 42 days before raised OverflowError
    assert "check the year" in planner.problems["event_date"] and planner.save() is None
    data = funding.plan_to_dict(funding.preset("local"))
    data["event_date"] = "0001-01-05"
    (work_dir / "plans").mkdir(parents=True)
    (work_dir / "plans" / "early.json").write_text(json.dumps({"kind": "funding-plan", "data": data}))
    assert planner.load("early.json") is None and "check the year" in planner.files.message


def test_an_invalid_field_is_kept_in_the_backup_and_comes_back_with_its_message(planner, work_dir):
    planner.file_name.value = "county"
    planner.save()
    planner.fields["registration"].value = "12 34"  # does not check: the plan itself stays as saved
    planner.fields["other_label"].value = "Poster"
    assert planner.files.has_unsaved_changes()
    planner.load("county.json")
    assert planner.files.message == ("Loaded county.json. Your unsaved changes were kept as unsaved-backup.json "
                                     "(the last 5 backups are kept).")
    backup = json.loads((work_dir / "plans" / "unsaved-backup.json").read_text())["data"]
    assert backup["registration"] == "12 34" and backup["other_label"] == "Poster"  # the message is true
    assert planner.fields["registration"].value == "25.00"
    planner.load("unsaved-backup.json")
    assert planner.fields["registration"].value == "12 34" and planner.fields["other_label"].value == "Poster"
    assert "space may only separate thousands" in planner.problems["registration"]
    assert planner.files.message.endswith("Fix the fields marked ⚠ before saving.")
    planner.file_name.value = "county"
    assert planner.save() is None  # still refused until fixed
    # A plan (not a backup) with such a field is refused: Save never writes one, so it is damage.
    (work_dir / "plans" / "odd.json").write_text(json.dumps({"kind": "funding-plan", "data": backup}))
    assert planner.load("odd.json") is None and "space may only separate thousands" in planner.files.message


def test_backups_keep_the_last_five(planner, work_dir):
    planner.file_name.value = "county"
    planner.save()
    for n in range(1, 8):
        planner.fields["registration"].value = str(n)
        assert planner.load("county.json")
    folder = work_dir / "plans"
    kept = {p.name: saved_registration(p) for p in folder.glob("unsaved-backup*.json")}
    assert kept == {"unsaved-backup.json": "7", "unsaved-backup-2.json": "6", "unsaved-backup-3.json": "5",
                    "unsaved-backup-4.json": "4", "unsaved-backup-5.json": "3"}
    planner.file_name.value = "unsaved-backup"
    assert planner.save() is None and "where backups are kept" in planner.files.message


def test_two_planners_on_one_file_warn_before_the_second_save_wins(planner, work_dir):
    planner.file_name.value = "shared"
    planner.save()
    other = FundingPlanner(today=TODAY)
    other.load("shared.json")
    planner.fields["registration"].value = "11"
    planner.save()
    other.fields["registration"].value = "22"
    assert other.save() is None and other.files.level == "error"
    assert "shared.json was saved again (by another tool or tab) since you opened it here" in other.files.message
    path = work_dir / "plans" / "shared.json"
    assert saved_registration(path) == "11.00"
    assert other.save() == path and saved_registration(path) == "22.00"  # pressed again: replaced
    # A fresh planner under a name already taken is warned too, once.
    third = FundingPlanner(today=TODAY)
    third.file_name.value = "shared"
    assert third.save() is None and "shared.json already exists" in third.files.message
    assert saved_registration(path) == "22.00"


def test_notes_and_rows_a_file_holds_survive_the_form(planner, work_dir):
    plan = funding.preset("local", funding=(funding.FundingRequest("chapter", Decimal("0.00"), note="Ask Sam"),
                                            funding.FundingRequest("medical-society", Decimal("20.00"), "asked")))
    (work_dir / "plans").mkdir(parents=True)
    (work_dir / "plans" / "noted.json").write_text(json.dumps({"kind": "funding-plan",
                                                                "data": funding.plan_to_dict(plan)}))
    assert planner.load("noted.json") and planner.plan == plan
    planner.file_name.value = "noted-again"
    saved = json.loads(planner.save().read_text())["data"]
    assert funding.plan_from_dict(saved) == plan
    twice = funding.plan_to_dict(funding.preset("local", funding=(funding.FundingRequest("chapter", Decimal(1)),
                                                                  funding.FundingRequest("chapter", Decimal(2)))))
    (work_dir / "plans" / "twice.json").write_text(json.dumps({"kind": "funding-plan", "data": twice}))
    assert planner.load("twice.json") is None and "two requests to 'chapter'" in planner.files.message


def test_the_totals_note_pending_requests_that_would_over_fund(planner):
    _i, chapter = row(planner, "chapter")
    chapter["amount"].value, chapter["status"].value = "60", "pending"
    _i, school = row(planner, "school-leadership")
    school["amount"].value, school["status"].value = "30", "asked"
    assert planner.totals.over_asked == Decimal("24.90")
    assert "If every pending request is awarded, the event is over-funded by $24.90" in shown_text(
        planner.totals_html.value)
# ---------------------------------------------------------------- drafts students keep


def awarded_chapter_plan():
    return funding.preset("national", event_date=date(2026, 6, 1),
                          funding=(funding.FundingRequest("chapter", Decimal("200"), "awarded"),
                                   funding.FundingRequest("school-leadership", Decimal("300"), "asked")))


def test_the_draft_goes_first_to_the_first_route_not_asked_for_the_right_amount(work_dir):
    """Not to the chapter that already gave $200, and not for $200 again."""
    planner = FundingPlanner(awarded_chapter_plan(), today=TODAY)
    assert planner.draft_route.value == "medical-society"
    step = next(s for s in planner.steps if s.route.id == "medical-society")
    assert step.amount == planner.totals.gap  # what no request covers yet
    assert f"I am asking for ${step.amount:,.2f}" in planner.draft_panel.text
    assert "$200.00 is secured and $300.00 is requested elsewhere" in planner.draft_panel.text
    # The student's own choice of route sticks while they edit the plan...
    planner.draft_route.value = "event-scholarship"
    planner.fields["registration"].value = "300"
    assert planner.draft_route.value == "event-scholarship"
    # ...and a new plan starts again from its own first route not asked.
    planner.load_plan(funding.preset("local"))
    assert planner.draft_route.value == "chapter"


def test_every_route_asked_or_done_still_gives_a_draft(work_dir):
    plan = funding.preset("local", funding=tuple(funding.FundingRequest(r, Decimal("1"), "awarded")
                                                 for r in ("chapter", "school-leadership", "medical-society",
                                                           "specialty-society", "event-scholarship")))
    planner = FundingPlanner(plan, today=TODAY)
    assert planner.draft_panel.text.startswith("Subject: Funding request")


def test_the_draft_is_editable_and_edits_survive_a_change_to_the_plan(work_dir):
    planner = FundingPlanner(awarded_chapter_plan(), today=TODAY)
    panel = planner.draft_panel
    assert not panel.edited and "A first draft" in shown_text(panel.note.value)
    panel.box.value = panel.text.replace("[your name]", "Priya Shah") + "\nP.S. My poster is on sepsis."
    planner.fields["registration"].value = "260"  # the plan changes: a new draft waits, the edits stay
    assert "P.S. My poster is on sepsis." in panel.text and panel.pending
    assert "Your edits are kept" in shown_text(panel.note.value) and panel.restart_button.layout.display == ""
    panel.restart_button.click()
    assert "P.S." not in panel.text and "$260.00" in panel.text and not panel.edited


def test_copy_and_download_take_the_edited_text(work_dir):
    import base64
    import re

    planner = FundingPlanner(awarded_chapter_plan(), today=TODAY)
    planner.draft_panel.box.value = "Dear Dr. Ruiz, my own words & a <b>tag</b>."
    tools = planner.draft_panel.tools.value
    (link,) = elements(tools, "a")
    assert link["download"].endswith(".txt") and "medical-society" in link["download"]
    data = base64.b64decode(re.sub(r"^data:text/plain;charset=utf-8;base64,", "", link["href"]))
    assert data.decode("utf-8") == "Dear Dr. Ruiz, my own words & a <b>tag</b>."
    (button,) = elements(tools, "button")
    assert "navigator.clipboard.writeText" in button["onclick"] and shown_text(tools).startswith("Copy")


def test_ask_by_dates_export_as_a_calendar(work_dir):
    from netcourse.ics import read_events

    planner = FundingPlanner(awarded_chapter_plan(), today=TODAY)
    paths = planner.files.export(planner.files.exports[2])
    (path,) = paths
    assert path.suffix == ".ics" and "Download" in shown_text(planner.files.downloads.value)
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends in CRLF, as calendars expect
    events = read_events(raw.decode("utf-8"))
    asked = {"chapter", "school-leadership"}
    open_routes = [s for s in planner.steps if s.route.id not in asked and s.ask_by]
    assert len(events) == len(open_routes) == 3
    assert all(e["DTSTART;VALUE=DATE"] == "20260420" for e in events)  # six weeks before 1 June
    assert any("Local medical society" in e["SUMMARY"] for e in events)
    undated = FundingPlanner(funding.preset("local"), today=TODAY, folder=work_dir / "other")
    assert undated.files.export(undated.files.exports[2]) is None
    assert "give the event a date" in undated.files.message


def test_the_chart_image_has_a_text_alternative(planner):
    """axe-core found the chart without one (image-alt, critical); the planner keeps it current."""
    (image,) = elements(planner.chart.value, "img")
    assert image["alt"] == planner.chart_alt and planner.chart_alt.startswith("Bar chart of costs against funding.")
    assert planner.totals.describe() in image["alt"]
    assert image["src"].startswith("data:image/png;base64,iVBORw0KGgo")  # the PNG itself
    before = planner.chart_alt
    planner.fields["registration"].value = "99"
    assert planner.chart_alt != before and planner.totals.describe() in planner.chart_alt
