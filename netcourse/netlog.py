"""A networking log: the people you met, what you learned, and when to follow up.

The University of Utah stresses maintaining relationships after the event; the article lists
six benefits networking may lead to. A :class:`Contact` records one person (name, role, where
you met, what you learned, a follow-up date and the benefit it may lead to);
:func:`contact_from_fields` checks what the student typed and returns messages per field;
:func:`follow_ups_due` and :func:`benefits_by_source` summarise the log with pandas; the log
saves as JSON (through :mod:`netcourse.storage`) and exports as CSV, and its follow-up dates as a
calendar file (:func:`follow_up_events`). :func:`follow_up_draft` writes the thank-you message a
person would send, for the student to edit. No ipywidgets here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from netcourse.content import Content, load_content
from netcourse.ics import Event
from netcourse.schemas import first_problem

LOG_KIND = "networking-log"
FORMAT = "netcourse-netlog/1"
DUE_WITHIN_DAYS = 7
LIMITS = {"name": 120, "role": 120, "where": 160, "learned": 2000}
LABELS = {"name": "Name", "role": "Role", "where": "Where you met", "learned": "What you learned",
          "met_on": "Met on", "follow_up": "Follow up by", "benefit": "May lead to"}
CSV_COLUMNS = ["name", "role", "where", "met_on", "learned", "follow_up", "benefit", "followed_up"]
# A cell starting with one of these runs as a formula (or hides one) when a spreadsheet opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class LogError(ValueError):
    """A saved log cannot be read back; the message is written for the student."""


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    where: str = ""
    learned: str = ""
    met_on: date | None = None
    follow_up: date | None = None
    benefit: str = ""  # a benefit id from the content, or "" when not yet clear
    followed_up: bool = False


def _date(text: Any, key: str, problems: dict[str, str]) -> date | None:
    if isinstance(text, date):
        return text
    text = "" if text is None else str(text).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems[key] = f"{LABELS[key]}: {text!r} is not a date; use the form YYYY-MM-DD, for example 2026-03-14."
        return None


def contact_from_fields(fields: Mapping[str, Any], content: Content | None = None) -> tuple[Contact | None,
                                                                                         dict[str, str]]:
    """Check a form's values; return ``(contact, {})`` or ``(None, {field: message})``."""
    content = content or load_content()
    problems: dict[str, str] = {}
    text = {}
    for key, limit in LIMITS.items():
        value = fields.get(key, "")
        value = "" if value is None else str(value).strip()
        if len(value) > limit:
            problems[key] = f"{LABELS[key]}: keep it under {limit} characters (it has {len(value)})."
        text[key] = value
    if not text["name"]:
        problems["name"] = "Name: whom did you meet? A first name or a description is enough."
    if not text["where"] and "where" not in problems:
        problems["where"] = "Where you met: name the event or place (e.g. county medical society evening)."
    met_on = _date(fields.get("met_on"), "met_on", problems)
    follow_up = _date(fields.get("follow_up"), "follow_up", problems)
    if met_on and follow_up and follow_up < met_on:
        problems["follow_up"] = (f"Follow up by: {follow_up.isoformat()} is before you met "
                                 f"({met_on.isoformat()}); pick a later date.")
    benefit = str(fields.get("benefit") or "")
    if benefit and benefit not in {b.id for b in content.benefits}:
        problems["benefit"] = f"May lead to: {benefit!r} is not one of the article's six benefits."
    followed = fields.get("followed_up", False)
    if not isinstance(followed, bool):
        problems["followed_up"] = "Followed up: expected yes or no."
    if problems:
        return None, problems
    return Contact(text["name"], text["role"], text["where"], text["learned"], met_on, follow_up, benefit,
                   followed), {}


def add(log: Sequence[Contact], contact: Contact) -> tuple[Contact, ...]:
    return (*log, contact)


def remove(log: Sequence[Contact], index: int) -> tuple[Contact, ...]:
    if not 0 <= index < len(log):
        raise IndexError(f"no entry {index + 1}; the log has {len(log)}")
    return (*log[:index], *log[index + 1:])


def mark_followed_up(log: Sequence[Contact], index: int, done: bool = True) -> tuple[Contact, ...]:
    if not 0 <= index < len(log):
        raise IndexError(f"no entry {index + 1}; the log has {len(log)}")
    return (*log[:index], replace(log[index], followed_up=done), *log[index + 1:])


# ---------------------------------------------------------------- summaries

def to_dataframe(log: Sequence[Contact], content: Content | None = None) -> pd.DataFrame:
    """One row per contact, with the benefit's name alongside its id."""
    content = content or load_content()
    names = {b.id: b.name for b in content.benefits}
    rows = [{**asdict(c), "benefit_name": names.get(c.benefit, "Not sure yet")} for c in log]
    columns = [*CSV_COLUMNS, "benefit_name"]
    return pd.DataFrame(rows, columns=columns)


def follow_ups_due(log: Sequence[Contact], today: date, within_days: int = DUE_WITHIN_DAYS) -> pd.DataFrame:
    """Open follow-ups due by ``today + within_days``, soonest first, with how late or soon each is."""
    limit = today + timedelta(days=within_days)
    rows = []
    for index, c in enumerate(log):
        if c.followed_up or c.follow_up is None or c.follow_up > limit:
            continue
        days = (c.follow_up - today).days
        when = "today" if days == 0 else (f"{-days} day(s) overdue" if days < 0 else f"in {days} day(s)")
        rows.append({"entry": index, "name": c.name, "where": c.where, "follow_up": c.follow_up, "when": when,
                     "overdue": days < 0})
    frame = pd.DataFrame(rows, columns=["entry", "name", "where", "follow_up", "when", "overdue"])
    return frame.sort_values(["follow_up", "entry"], kind="stable").reset_index(drop=True)


def benefits_by_source(log: Sequence[Contact], content: Content | None = None) -> pd.DataFrame:
    """Counts of contacts per place met (rows) and benefit they may lead to (columns, article order)."""
    content = content or load_content()
    benefit_names = {b.id: b.name for b in content.benefits}
    names = [b.name for b in content.benefits] + ["Not sure yet"]
    if not log:
        return pd.DataFrame(columns=names, dtype="int64")
    # Counted in one pass (a crosstab of a 200,000-row frame takes seconds); places sorted as crosstab sorts them.
    counts = Counter((c.where, benefit_names.get(c.benefit, "Not sure yet")) for c in log)
    places = sorted({where for where, _name in counts})
    present = {name for _where, name in counts}
    used = [name for name in names if name in present]
    table = pd.DataFrame([[counts.get((where, name), 0) for name in used] for where in places],
                         index=pd.Index(places, name="where"), columns=used)
    return table.astype("int64")


def summary(log: Sequence[Contact], today: date, due: pd.DataFrame | None = None) -> dict[str, int]:
    """Counts for the log; ``due`` may be :func:`follow_ups_due` of the same log and day, already computed."""
    due = follow_ups_due(log, today) if due is None else due
    return {
        "people": len(log),
        "places": len({c.where for c in log}),
        "follow_ups_open": sum(1 for c in log if c.follow_up and not c.followed_up),
        "due_soon": int((~due["overdue"]).sum()) if len(due) else 0,
        "overdue": int(due["overdue"].sum()) if len(due) else 0,
    }


# ---------------------------------------------------------------- files

def _cell(value: Any) -> str:
    text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def log_to_csv(log: Sequence[Contact]) -> str:
    """The log as CSV for a spreadsheet: formulas defused; rows end with CRLF, so a line break typed
    in a cell (even a bare carriage return) is quoted and stays in its cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in log:
        writer.writerow([_cell(c.name), _cell(c.role), _cell(c.where), _cell(c.met_on), _cell(c.learned),
                         _cell(c.follow_up), c.benefit, "yes" if c.followed_up else "no"])
    return buffer.getvalue()


def log_to_dict(log: Sequence[Contact]) -> dict[str, Any]:
    # Field by field, not dataclasses.asdict: asdict deep-copies every value (40 s for 200,000 people).
    return {"format": FORMAT, "contacts": [
        {"name": c.name, "role": c.role, "where": c.where, "learned": c.learned,
         "met_on": c.met_on.isoformat() if c.met_on else "",
         "follow_up": c.follow_up.isoformat() if c.follow_up else "", "benefit": c.benefit,
         "followed_up": c.followed_up} for c in log]}


def log_from_dict(data: Any, content: Content | None = None) -> tuple[Contact, ...]:
    """Read a saved log; damage raises :class:`LogError` naming the entry and the problem."""
    problem = first_problem(data, "networking-log")
    if problem is not None:
        raise LogError(problem.message)
    contacts = []
    for i, entry in enumerate(data["contacts"], 1):
        if not isinstance(entry, dict):
            raise LogError(f"Entry {i} is damaged.")
        contact, problems = contact_from_fields(entry, content)
        if contact is None:
            raise LogError(f"Entry {i}: " + " ".join(problems.values()))
        contacts.append(contact)
    return tuple(contacts)


# ---------------------------------------------------------------- following up

_TITLES = {"dr": "Dr.", "prof": "Professor", "professor": "Professor"}
_PARTICLES = {"de", "la", "del", "da", "di", "van", "von", "der", "den", "le", "bin", "al"}
# The next step the message suggests, by the benefit the contact may lead to (course wording).
_NEXT_STEPS = {
    "insight": "Would you be open to a short call next month? I still have a few questions about your path.",
    "research": "If your team ever needs a student's help on a project, I would be glad to hear about it.",
    "mentorship": "Would you be open to a short call next month? I would value your advice as I plan my next "
                  "steps.",
    "referral": "If there is a colleague you think I should talk to, I would be grateful for an introduction.",
    "events": "If you hear of events that students could attend, I would be glad to know about them.",
    "shadowing": "If it would ever suit you, I would love to see a day of your work, at whatever time is easiest.",
}
_DEFAULT_NEXT_STEP = "I would be glad to stay in touch, and I hope our paths cross again soon."


def greeting_name(name: str) -> str:
    """How a letter addresses the person: "Dr. Anita Patel, cardiac electrophysiologist" -> "Dr. Patel".

    What follows a comma, a dash or a bracket is a description, not a name; a title is kept with the
    family name; a name without a title is used as written.
    """
    core = re.split(r"\s*(?:,|;|\(| - | – | — )", name.strip(), maxsplit=1)[0].strip()
    words = core.split()
    if not words:
        return ""
    title = _TITLES.get(words[0].lower().rstrip("."))
    if title and len(words) > 1:
        family = [words[-1]]
        for word in reversed(words[2:-1]):  # "de la Cruz", "van der Berg"
            if word.lower() not in _PARTICLES:
                break
            family.insert(0, word)
        family[-1] = family[-1][:1].upper() + family[-1][1:]
        return f"{title} {' '.join(family)}"
    return core


def _role_phrase(role: str) -> str:
    role = " ".join(role.split()).rstrip(".")
    if not role:
        return "your path into the field"
    if role.lower().startswith(("a ", "an ", "the ", "my ", "your ")):
        return f"your work as {role}"
    article = "an" if role[:1].lower() in "aeiou" else "a"
    return f"your work as {article} {role}"


def _when(met_on: date | None, today: date | None) -> str:
    if met_on is None:
        return ""
    if today is not None and 0 <= (today - met_on).days <= 6 and met_on.weekday() != today.weekday():
        return f" on {met_on:%A}"
    return f" on {met_on.day} {met_on:%B}"


def follow_up_draft(contact: Contact, student: str = "", today: date | None = None) -> str:
    """A follow-up message to ``contact`` that reads as the student would write it, to edit before sending.

    It greets the person by title and family name (never by the role typed after their name), thanks
    them for the conversation where and when it happened, names their work in a phrase, and closes
    with one small next step that fits the benefit noted for them. The notes are not pasted in: they
    are the student's, and a sentence about them belongs in the student's own words.
    """
    who = greeting_name(contact.name) or "there"
    where = f" at {contact.where}" if contact.where else ""
    lines = [
        f"Dear {who},",
        "",
        f"Thank you for taking the time to talk with me{where}{_when(contact.met_on, today)}. "
        f"I really enjoyed hearing about {_role_phrase(contact.role)}.",
        "",
        _NEXT_STEPS.get(contact.benefit, _DEFAULT_NEXT_STEP),
        "",
        "Best wishes,",
        student.strip() or "[your name]",
    ]
    return "\n".join(lines)


def follow_up_events(log: Sequence[Contact]) -> list[Event]:
    """One calendar reminder per open follow-up with a date."""
    return [Event(day=c.follow_up, summary=f"Follow up with {c.name}",
                  description=(f"You met {c.name}" + (f" ({c.role})" if c.role else "") +
                               (f" at {c.where}" if c.where else "") + ". The networking log drafts the message."),
                  key=f"follow-up:{c.name}:{c.where}:{c.met_on}")
            for c in log if c.follow_up and not c.followed_up]
