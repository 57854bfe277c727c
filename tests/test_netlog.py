"""The networking log: validation, summaries, CSV, files, and the NetworkingLog widget."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from rendered import elements, shown_text

from netcourse import netlog
from netcourse.content import load_content
from netcourse.widgets import NetworkingLog

TODAY = date(2026, 1, 15)


def contact(name, where, follow_up="", benefit="", met_on="2026-01-05", **extra):
    made, problems = netlog.contact_from_fields(
        {"name": name, "where": where, "follow_up": follow_up, "benefit": benefit, "met_on": met_on, **extra})
    assert problems == {}
    return made


@pytest.fixture
def log():
    return (
        contact("Dr. Lee", "County medical society evening", "2026-01-10", "mentorship"),
        contact("Sam (PGY-2)", "County medical society evening", "2026-01-18", "shadowing"),
        contact("Dr. Okafor", "National conference", "2026-03-01", "research"),
        contact("Priya", "National conference", "2026-01-15", "mentorship"),
        contact("Alex", "Chapter meeting"),
    )


# ---------------------------------------------------------------- the model

@pytest.mark.parametrize("fields, key, words", [
    ({"name": "", "where": "x"}, "name", "whom did you meet"),
    ({"name": "A", "where": ""}, "where", "name the event"),
    ({"name": "A", "where": "x", "follow_up": "next week"}, "follow_up", "YYYY-MM-DD"),
    ({"name": "A", "where": "x", "met_on": "2026-02-01", "follow_up": "2026-01-01"}, "follow_up", "before you met"),
    ({"name": "A", "where": "x", "benefit": "fame"}, "benefit", "six benefits"),
    ({"name": "A" * 121, "where": "x"}, "name", "under 120"),
])
def test_bad_entries_get_a_message_per_field(fields, key, words):
    made, problems = netlog.contact_from_fields(fields)
    assert made is None and words in problems[key]


def test_follow_ups_due_are_sorted_and_flag_overdue(log):
    due = netlog.follow_ups_due(log, TODAY)
    assert list(due["name"]) == ["Dr. Lee", "Priya", "Sam (PGY-2)"]
    assert list(due["when"]) == ["5 day(s) overdue", "today", "in 3 day(s)"]
    assert list(due["overdue"]) == [True, False, False]
    done = netlog.mark_followed_up(log, 0)
    assert list(netlog.follow_ups_due(done, TODAY)["name"]) == ["Priya", "Sam (PGY-2)"]
    assert netlog.summary(done, TODAY) == {"people": 5, "places": 3, "follow_ups_open": 3, "due_soon": 2,
                                           "overdue": 0}


def test_benefits_by_source_counts_per_place_in_article_order(log):
    table = netlog.benefits_by_source(log)
    assert table.loc["County medical society evening", "Mentorship"] == 1
    assert table.loc["National conference", "Mentorship"] == 1
    assert table.loc["National conference", "Research opportunities"] == 1
    assert table.loc["Chapter meeting", "Not sure yet"] == 1
    order = [b.name for b in load_content().benefits] + ["Not sure yet"]
    assert list(table.columns) == [name for name in order if name in table.columns]
    assert int(table.to_numpy().sum()) == len(log)
    assert netlog.benefits_by_source(()).empty


def test_add_remove_and_bounds(log):
    assert len(netlog.remove(log, 4)) == 4 and netlog.remove(log, 0)[0].name == "Sam (PGY-2)"
    with pytest.raises(IndexError):
        netlog.remove(log, 9)
    with pytest.raises(IndexError):
        netlog.mark_followed_up(log, -1)
    assert netlog.add((), log[0]) == (log[0],)


def test_csv_export_round_trips_and_defuses_formulas(log):
    risky = netlog.add(log, contact("=HYPERLINK(1)", "Online", learned="+1 idea, with a comma"))
    rows = list(csv.DictReader(io.StringIO(netlog.log_to_csv(risky))))
    assert [r["name"] for r in rows[:5]] == [c.name for c in log]
    assert rows[0]["follow_up"] == "2026-01-10" and rows[0]["benefit"] == "mentorship"
    assert rows[-1]["name"] == "'=HYPERLINK(1)" and rows[-1]["learned"] == "'+1 idea, with a comma"


def test_saved_form_round_trips_and_damage_is_reported(log):
    assert netlog.log_from_dict(netlog.log_to_dict(log)) == log
    with pytest.raises(netlog.LogError, match="not a networking log"):
        netlog.log_from_dict({"contacts": []})
    broken = netlog.log_to_dict(log)
    broken["contacts"][2]["follow_up"] = "soon"
    with pytest.raises(netlog.LogError, match="Entry 3: .*not a date"):
        netlog.log_from_dict(broken)


# ---------------------------------------------------------------- the widget

def fill(widget, **values):
    for key, value in values.items():
        widget.form[key].value = value


def test_widget_adds_people_and_updates_summaries(work_dir):
    app = NetworkingLog(today=TODAY)
    assert app.form["met_on"].value == "2026-01-15"
    fill(app, name="Dr. <i>Lee</i>", role="Family physician", where="County evening", follow_up="2026-01-20",
         benefit="mentorship", learned="Start with the county society")
    app.add_button.click()
    assert len(app.log) == 1 and app.form["name"].value == ""
    assert "Dr. <i>Lee</i>" in shown_text(app.table.value) and not elements(app.table.value, "i")
    assert list(app.due_frame["when"]) == ["in 5 day(s)"] and "in 5 day(s)" in shown_text(app.due.value)
    assert app.source_frame.loc["County evening", "Mentorship"] == 1
    app.entry.value = 0
    app.done_button.click()
    assert app.log[0].followed_up and app.due_frame.empty and "No follow-ups due" in shown_text(app.due.value)
    assert app.summary == {"people": 1, "places": 1, "follow_ups_open": 0, "due_soon": 0, "overdue": 0}
    assert shown_text(app.counts.value) == "1 person from 1 place(s); 0 follow-up(s) open, 0 overdue."


def test_bad_entry_keeps_what_was_typed_and_adds_nothing(work_dir):
    app = NetworkingLog(today=TODAY)
    fill(app, name="Dr. Lee", where="", follow_up="2026-13-01", learned="a long thought")
    app.add_button.click()
    assert app.log == ()
    assert "name the event" in app.problems["where"]
    assert app.problems["where"] in shown_text(app.messages["where"].value)
    assert "not a date" in app.problems["follow_up"]
    assert app.form["learned"].value == "a long thought" and app.form["name"].value == "Dr. Lee"
    fill(app, where="Conference", follow_up="2026-02-01")
    app.add_button.click()
    assert len(app.log) == 1 and app.problems == {} and app.messages["where"].value == ""


def test_remove_can_be_undone(work_dir, log):
    app = NetworkingLog(log, today=TODAY)
    app.entry.value = 1
    app.remove_button.click()
    assert [c.name for c in app.log] == ["Dr. Lee", "Dr. Okafor", "Priya", "Alex"]
    app.undo_button.click()
    assert app.log == log and app.undo_button.disabled


def test_widget_save_load_export_and_damaged_files(work_dir, log):
    app = NetworkingLog(log, today=TODAY)
    app.file_name.value = "spring contacts"
    app.save_button.click()
    path = work_dir / "logs" / "spring-contacts.json"
    assert path.is_file() and json.loads(path.read_text())["kind"] == "networking-log"
    assert app.files.message == "Saved 5 entries to spring-contacts.json." and app.files.offered == (path,)
    app.export_button.click()
    csv_path = work_dir / "logs" / "spring-contacts.csv"
    assert csv_path.read_text().count("\n") == len(log) + 1 and app.files.offered == (csv_path,)

    other = NetworkingLog(today=TODAY)
    other.saved.value = "spring-contacts.json"
    other.load_button.click()
    assert other.log == log and other.files.message == "Loaded 5 entries from spring-contacts.json."

    (work_dir / "logs" / "broken.json").write_text('{"kind": "networking-log", "data": [')
    before = (work_dir / "logs" / "broken.json").read_bytes()
    other.files.refresh()
    other.saved.value = "broken.json"
    other.load_button.click()
    assert "damaged" in other.files.message and other.files.message.endswith("Your current log is unchanged.")
    assert other.log == log and (work_dir / "logs" / "broken.json").read_bytes() == before
    app.file_name.value = "///"
    assert app.save() is None and "give the file a name" in app.files.message


def test_controls_are_labelled():
    app = NetworkingLog(today=TODAY)
    for control in [*app.form.values(), app.entry, app.file_name, app.saved]:
        assert control.description and control.tooltip
    for button in (app.add_button, app.done_button, app.remove_button, app.undo_button, app.save_button,
                   app.load_button, app.export_button):
        assert button.description and button.tooltip


def test_student_text_is_escaped_in_every_view(work_dir):
    app = NetworkingLog(today=TODAY)
    fill(app, name="<script>x</script>", where="<b>Gala</b>", learned="<img src=x>", follow_up="2026-01-16")
    app.add_button.click()
    for view in (app.table.value, app.due.value, app.by_source.value, app.form_status.value):
        assert not any(elements(view, tag) for tag in ("script", "img")) and "<b>Gala" not in view
    assert "<b>Gala</b>" in shown_text(app.by_source.value) and "<script>x</script>" in shown_text(app.due.value)
    assert "<img src=x>" in shown_text(app.table.value)


def test_loading_keeps_unsaved_entries_as_a_backup(work_dir, log):
    app = NetworkingLog(log, today=TODAY)
    app.file_name.value = "spring"
    app.save()
    fresh = NetworkingLog(today=TODAY)
    fill(fresh, name="Dr. New", where="Grand rounds", learned="Ask about research", follow_up="2026-01-20")
    fresh.add_button.click()
    assert len(fresh.log) == 1
    fresh.files.refresh()
    fresh.saved.value = "spring.json"
    fresh.load_button.click()
    assert fresh.log == log
    assert fresh.files.message == ("Loaded 5 entries from spring.json. Your unsaved entries were kept as "
                                   "unsaved-backup.json (the last 5 backups are kept).")
    backup = json.loads((work_dir / "logs" / "unsaved-backup.json").read_text())
    assert [c["name"] for c in backup["data"]["contacts"]] == ["Dr. New"]
    fresh.saved.value = "spring.json"
    fresh.load_button.click()  # nothing unsaved now: no new backup note
    assert fresh.files.message == "Loaded 5 entries from spring.json."


# ---------------------------------------------------------------- long logs and odd cells (issue 17)

def many(n, places=100):
    return tuple(netlog.Contact(f"Person {i}", "", f"Place {i % places:03d}", "", date(2026, 1, 1),
                                date(2026, 1, 16), "") for i in range(n))


def test_a_long_log_shows_one_page_at_a_time(work_dir):
    # A 200,000-contact log rendered as one 23 MB table with a 200,000-option Entry list.
    from netcourse.widgets.networking_log import DUE_SHOWN, PAGE_SIZE, PLACES_SHOWN
    app = NetworkingLog(many(5_000), today=TODAY)
    assert len(elements(app.table.value, "tr")) == PAGE_SIZE + 1 and len(app.entry.options) == PAGE_SIZE
    assert shown_text(app.page_label.value) == "People 1–50 of 5,000" and app.previous_button.disabled
    app.next_button.click()
    assert shown_text(app.page_label.value) == "People 51–100 of 5,000" and app.entry.options[0] == (
        "51. Person 50 (Place 050)", 50)
    app.entry.value = 50
    app.remove_button.click()
    assert len(app.log) == 4_999 and app.log[50].name == "Person 51" and app.page == 1
    app.show_page(10**6)  # past the end: the last page
    assert shown_text(app.page_label.value) == "People 4,951–4,999 of 4,999" and app.next_button.disabled
    assert len(elements(app.due.value, "li")) == DUE_SHOWN and "And 4,949 more due" in shown_text(app.due.value)
    assert len(elements(app.by_source.value, "tr")) == PLACES_SHOWN + 2  # two header rows: benefits, "where"
    assert "And 70 more place(s)" in shown_text(app.by_source.value)
    assert app.summary["people"] == 4_999  # the counts are for the whole log
    app.show_page(0)
    fill(app, name="Newest", where="Grand rounds")
    app.add_button.click()
    assert shown_text(app.page_label.value) == "People 4,951–5,000 of 5,000" and app.entry.options[-1][1] == 4_999


def test_a_short_log_has_no_paging():
    app = NetworkingLog(many(3), today=TODAY)
    assert app.page_label.value == "" and app.next_button.layout.display == "none"


def test_the_fast_count_by_place_matches_a_crosstab():
    log = many(300, places=7) + (contact("Dr. B", "Place 001", benefit="research"),)
    table = netlog.benefits_by_source(log)
    frame = netlog.to_dataframe(log)
    expected = pd.crosstab(frame["where"], frame["benefit_name"])
    assert list(table.index) == list(expected.index) and table.to_dict() == expected[table.columns].to_dict()


@pytest.mark.parametrize("text", ["\tcmd", "\r=1+1", "-2+3", "@SUM(A1)", "line\rbreak", "two\nlines", 'a "quote"'])
def test_csv_cells_stay_in_their_cell_and_never_run(text):
    # A bare carriage return was written unquoted, and the row split in two.
    log = (replace(contact("x", "Online"), name=text, learned="note: " + text),)  # unstripped, as code may make one
    rows = list(csv.reader(io.StringIO(netlog.log_to_csv(log), newline="")))
    assert len(rows) == 2 and all(len(row) == len(netlog.CSV_COLUMNS) for row in rows)
    assert rows[1][0] == ("'" + text if text.startswith(netlog.FORMULA_STARTS) else text)
    assert rows[1][netlog.CSV_COLUMNS.index("learned")] == "note: " + text


def test_a_saved_entry_of_the_wrong_type_is_damage_not_text():
    # A name saved as a list used to load as the text "[1, 2]".
    data = netlog.log_to_dict((contact("A", "x"),))
    data["contacts"][0]["name"] = [1, 2]
    with pytest.raises(netlog.LogError, match="Entry 1 is damaged"):
        netlog.log_from_dict(data)


# ---------------------------------------------------------------- follow-up drafts and the calendar


@pytest.mark.parametrize(("typed", "greeting"), [
    ("Dr. Anita Patel, cardiac electrophysiologist", "Dr. Patel"),
    ("dr lee", "Dr. Lee"),
    ("Prof. Maria de la Cruz", "Professor de la Cruz"),
    ("Dr. Okafor (family medicine)", "Dr. Okafor"),
    ("Sam Rivera - PGY2", "Sam Rivera"),
    ("Jordan", "Jordan"),
])
def test_a_letter_greets_the_person_not_their_job_title(typed, greeting):
    assert netlog.greeting_name(typed) == greeting


def test_follow_up_reads_like_a_person_wrote_it():
    person = netlog.Contact("Dr. Anita Patel, cardiac electrophysiologist", "cardiac electrophysiologist",
                            "the state heart meeting", "ep fellowship 2 yrs; loves ablation; read HRS guidelines",
                            date(2026, 3, 3), date(2026, 3, 10), "mentorship")
    text = netlog.follow_up_draft(person, "Priya Shah", today=date(2026, 3, 5))
    assert text.startswith("Dear Dr. Patel,\n")  # not "Dear Dr. Anita Patel, cardiac electrophysiologist,"
    assert "at the state heart meeting on Tuesday" in text
    assert "your work as a cardiac electrophysiologist" in text
    assert "ablation" not in text and "yrs" not in text  # raw notes are not pasted into a sentence
    assert "[" not in text and text.endswith("Priya Shah")
    assert "advice" in text  # the next step fits the benefit noted (mentorship)
    weeks_later = netlog.follow_up_draft(person, "Priya Shah", today=date(2026, 4, 1))
    assert "on 3 March" in weeks_later
    unknown = netlog.follow_up_draft(netlog.Contact("Jordan", where="the FMIG lunch"))
    assert unknown.startswith("Dear Jordan,") and "your path into the field" in unknown
    assert unknown.endswith("[your name]")
    flat = " ".join(text.split())
    assert ", ," not in flat and " ." not in flat and ".." not in flat


def test_the_log_drafts_a_follow_up_for_the_person_chosen(work_dir):
    app = NetworkingLog(today=TODAY)
    assert app.follow_up_panel.text == ""
    fill(app, name="Dr. Ana Ruiz, pediatrician", role="pediatrician", where="County evening", met_on="2026-01-14",
         follow_up="2026-01-20", benefit="shadowing", learned="Runs a school clinic")
    app.add_button.click()
    fill(app, name="Sam", where="FMIG lunch", follow_up="2026-01-25")
    app.add_button.click()
    assert app.entry.value == 1 and app.follow_up_panel.text.startswith("Dear Sam,")
    app.entry.value = 0
    app.student_name.value = "Priya Shah"
    panel = app.follow_up_panel
    assert panel.text.startswith("Dear Dr. Ruiz,") and panel.text.endswith("Priya Shah")
    assert "Runs a school clinic" in shown_text(app.notes_for_draft.value)  # notes beside, not pasted in
    assert "Runs a school clinic" not in panel.text
    (link,) = elements(panel.tools.value, "a")
    assert link["download"] == "follow-up-Dr.-Ana-Ruiz-pediatrician.txt"
    panel.box.value = panel.text + "\nYour school clinic story stayed with me."
    app.student_name.value = "Priya S."
    assert panel.text.endswith("stayed with me.") and panel.pending


def test_follow_up_dates_export_as_a_calendar(work_dir, log):
    from netcourse.ics import read_events

    app = NetworkingLog(log, today=TODAY)
    app.file_name.value = "spring"
    app.export_ics_button.click()
    path = work_dir / "logs" / "spring.ics"
    events = read_events(path.read_bytes().decode("utf-8"))
    open_ones = [c for c in log if c.follow_up and not c.followed_up]
    assert len(events) == len(open_ones) > 0
    assert {e["DTSTART;VALUE=DATE"] for e in events} == {c.follow_up.strftime("%Y%m%d") for c in open_ones}
    assert all(e["SUMMARY"].startswith("Follow up with ") for e in events)
    assert app.files.offered == (path,) and "Download spring.ics" in shown_text(app.files.downloads.value)
    empty = NetworkingLog(today=TODAY, folder=work_dir / "empty")
    empty.export_ics_button.click()
    assert "No follow-up dates to export yet" in empty.files.message
