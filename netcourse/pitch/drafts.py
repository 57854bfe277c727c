"""The saved-draft format of the pitch studio, checked on load.

A draft is saved as JSON through :mod:`netcourse.storage` (kind :data:`DRAFT_KIND`); its data is
described by ``netcourse/schemas/pitch-draft.schema.json``. :func:`draft_from_dict` checks a
decoded draft against that schema and the limits the schema cannot express, fills the defaults of
missing fields (a missing target is the saved audience's), and raises
:class:`~netcourse.storage.StorageError` with a sentence for the student ("my-pitch.json is not a
valid saved pitch (pace_wpm must be a whole number from 60 to 250)."). :func:`too_long_to_save`
says when a field is over :data:`MAX_SAVED_CHARS`, so the studio refuses to save what it could not
load back. The ``history`` field holds earlier versions (:mod:`netcourse.pitch.history`).
"""

from __future__ import annotations

from typing import Any

from netcourse.pitch.audiences import load_audiences
from netcourse.pitch.parts import MAX_QUESTIONS, PART_IDS, part_spec
from netcourse.pitch.text import DEFAULT_PACE_WPM, DEFAULT_TARGET_SECONDS
from netcourse.schemas import first_problem
from netcourse.storage import StorageError

DRAFT_KIND = "pitch-draft"
DRAFT_FORMAT = "netcourse-pitch/1"
TEXT_FIELDS = ("name", "draft", "person", "event", "listening_notes", "follow_up")
DEFAULT_AUDIENCE = "physician"
# One box of a saved draft holds at most this many characters (about 16,000 words): ten times what
# the coach reads, far more than any introduction, and small enough that a file always loads quickly.
MAX_SAVED_CHARS = 100_000
_LABELS = {"draft": "the free draft", "person": "the person", "event": "the event", "name": "the name",
           "listening_notes": "the listening notes", "follow_up": "the follow-up message"}


def target_for(audience_id: str) -> int:
    """The length to aim for with this audience (``audiences.json``), or the default for an unknown one."""
    return next((a.target_seconds for a in load_audiences() if a.id == audience_id), DEFAULT_TARGET_SECONDS)


def too_long_to_save(state: dict[str, Any]) -> str:
    """A sentence naming the first box over :data:`MAX_SAVED_CHARS`, or "" when everything may be saved."""
    boxes = [(_LABELS[k], state.get(k, "")) for k in TEXT_FIELDS]
    boxes += [(f"the part \u201c{part_spec(p).label}\u201d", state.get("parts", {}).get(p) or "") for p in PART_IDS]
    boxes += [(f"question {i}", q) for i, q in enumerate(state.get("questions", []), 1)]
    for label, text in boxes:
        if isinstance(text, str) and len(text) > MAX_SAVED_CHARS:
            return (f"{label[0].upper()}{label[1:]} is {len(text):,} characters long; a draft keeps at most "
                    f"{MAX_SAVED_CHARS:,} in one box")
    return ""


def draft_from_dict(data: Any, filename: str) -> dict[str, Any]:
    """The saved draft ``data`` as a complete, valid state (every field present); ``filename`` names it in errors."""
    problem = first_problem(data, "pitch-draft")
    if problem is not None:
        raise _bad(filename, problem.message)
    questions = [q for q in data.get("questions", []) if q.strip()]
    if len(questions) > MAX_QUESTIONS:
        raise _bad(filename, f"at most {MAX_QUESTIONS} questions")
    too_long = too_long_to_save(data)
    if too_long:
        raise _bad(filename, too_long)
    parts = data.get("parts", {})
    audience = data.get("audience", DEFAULT_AUDIENCE)
    return {
        **{key: data.get(key, "") for key in TEXT_FIELDS},
        "mode": data.get("mode", "parts"),
        "parts": {pid: parts.get(pid) or "" for pid in PART_IDS},
        "pace_wpm": int(data.get("pace_wpm", DEFAULT_PACE_WPM)),
        "target_seconds": int(data.get("target_seconds", target_for(audience))),
        "audience": audience,
        "questions": questions,
        "history": [dict(v) for v in data.get("history", [])],
        "saved_at": data.get("saved_at", ""),
    }


def _bad(filename: str, problem: str) -> StorageError:
    return StorageError(f"{filename} is not a valid saved pitch ({problem}).")
