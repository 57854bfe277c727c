"""Calendar files (.ics, RFC 5545) for the dates the tools give you: follow-ups and ask-by dates.

:func:`calendar_text` turns a list of all-day :class:`Event` into the text of an iCalendar file that
any calendar (Google, Outlook, Apple) imports. Lines end in CRLF and are folded at 75 octets, and
text is escaped, as the standard asks. Each event's UID is derived from what it is about, so
importing an updated file again updates the events instead of doubling them. No ipywidgets here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PRODUCT = "-//netcourse//Networking and Opportunity//EN"


@dataclass(frozen=True)
class Event:
    """One all-day reminder: the day, a one-line summary, a longer description, and what it is about."""

    day: date
    summary: str
    description: str = ""
    key: str = ""  # what the event is about (e.g. "follow-up:Dr. Lee"); makes the UID stable

    def uid(self) -> str:
        digest = hashlib.sha1((self.key or self.summary).encode("utf-8")).hexdigest()[:16]
        return f"{digest}@netcourse"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar_text(events: Iterable[Event], name: str = "Networking", stamp: datetime | None = None) -> str:
    """The .ics file for ``events`` (all-day, one per date), named ``name`` in the calendar app."""
    stamp = (stamp or datetime.now(timezone.utc)).astimezone(timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid()}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            *([f"DESCRIPTION:{escape(event.description)}"] if event.description else []),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def read_events(text: str) -> list[dict[str, str]]:
    """The events of a calendar file, unfolded and unescaped (property name -> value), for checking."""
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    events, current = [], None
    for line in unfolded.split("\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name] = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    return events
