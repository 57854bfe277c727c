"""Calendar files the tools export: valid iCalendar that any calendar app imports, read back exactly."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from netcourse.ics import Event, calendar_text, escape, fold, read_events

STAMP = datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)


def test_events_are_all_day_with_crlf_lines_and_stable_uids():
    text = calendar_text([Event(date(2026, 3, 1), "Follow up with Dr. Lee", "At the county evening", "k1")],
                         stamp=STAMP)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    (event,) = read_events(text)
    assert event["DTSTART;VALUE=DATE"] == "20260301" and event["DTEND;VALUE=DATE"] == "20260302"
    assert event["DTSTAMP"] == "20260115T093000Z"
    again = read_events(calendar_text([Event(date(2026, 3, 2), "Changed", key="k1")], stamp=STAMP))[0]
    assert again["UID"] == event["UID"]  # importing an update replaces the event, never doubles it


@pytest.mark.parametrize("text", ["a, b; c\\d", "two\nlines", "ünïcödé " * 30, "x" * 200, ""])
def test_text_survives_escaping_and_folding(text):
    summary = "Ask: " + text
    out = calendar_text([Event(date(2026, 1, 1), summary, text * 2)], stamp=STAMP)
    assert all(len(line.encode("utf-8")) <= 75 for line in out.split("\r\n"))
    (event,) = read_events(out)
    assert event["SUMMARY"] == summary
    assert event.get("DESCRIPTION", "") == text * 2


def test_escape_and_fold_follow_the_standard():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 50)
    first, rest = folded.split("\r\n ", 1)
    assert len(first.encode("utf-8")) <= 75 and (first + rest) == "SUMMARY:" + "é" * 50
