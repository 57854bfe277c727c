"""A networking log: the people you met, what you learned, and when to follow up.

The University of Utah stresses maintaining relationships after the event; the article lists
six benefits networking may lead to. A :class:`Contact` records one person (name, role, where
you met, what you learned, a follow-up date and the benefit it may lead to);
:func:`contact_from_fields` checks what the student typed and returns messages per field;
:func:`follow_ups_due` and :func:`benefits_by_source` summarise the log with pandas; the log
saves as JSON (through :mod:`netcourse.storage`) and exports as CSV. No ipywidgets here.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from netcourse.content import Content, load_content
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
