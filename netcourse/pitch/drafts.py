"""The saved-draft format of the pitch studio, checked on load.

A draft is saved as JSON through :mod:`netcourse.storage` (kind :data:`DRAFT_KIND`); its data is
described by ``netcourse/schemas/pitch-draft.schema.json``. :func:`draft_from_dict` checks a
decoded draft against that schema and the limits the schema cannot express, fills the defaults of
missing fields, and raises :class:`~netcourse.storage.StorageError` with a sentence for the student
("my-pitch.json is not a valid saved pitch (pace_wpm must be a whole number from 60 to 250).").
"""

from __future__ import annotations

from typing import Any

from netcourse.pitch.parts import MAX_QUESTIONS, PART_IDS
from netcourse.pitch.text import DEFAULT_PACE_WPM, DEFAULT_TARGET_SECONDS
from netcourse.schemas import first_problem
from netcourse.storage import StorageError

DRAFT_KIND = "pitch-draft"
DRAFT_FORMAT = "netcourse-pitch/1"
TEXT_FIELDS = ("name", "draft", "person", "event", "listening_notes", "follow_up")


def draft_from_dict(data: Any, filename: str) -> dict[str, Any]:
    """The saved draft ``data`` as a complete, valid state (every field present); ``filename`` names it in errors."""
    problem = first_problem(data, "pitch-draft")
    if problem is not None:
        raise _bad(filename, problem.message)
    questions = [q for q in data.get("questions", []) if q.strip()]
    if len(questions) > MAX_QUESTIONS:
        raise _bad(filename, f"at most {MAX_QUESTIONS} questions")
    parts = data.get("parts", {})
    return {
        **{key: data.get(key, "") for key in TEXT_FIELDS},
        "mode": data.get("mode", "parts"),
        "parts": {pid: parts.get(pid) or "" for pid in PART_IDS},
        "pace_wpm": int(data.get("pace_wpm", DEFAULT_PACE_WPM)),
        "target_seconds": int(data.get("target_seconds", DEFAULT_TARGET_SECONDS)),
        "audience": data.get("audience", "physician"),
        "questions": questions,
    }


def _bad(filename: str, problem: str) -> StorageError:
    return StorageError(f"{filename} is not a valid saved pitch ({problem}).")
