"""The people a student may meet (fellow student, resident, physician, society leader) and what each listens for.

Data in ``netcourse/data/audiences.json`` (after Harvard Medical School's "identify your audience"):
for each audience the length to aim for, the parts to emphasise and why, the parts to keep brief,
good question topics and a tip. :func:`load_audiences` validates the file and caches it. This
module imports no analysis, so the question bank can use the audiences cheaply; tailoring a draft
to one of them is :mod:`netcourse.pitch.tailoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from netcourse.content import ContentError, data_path, load_content, read_json_file
from netcourse.pitch.parts import PART_IDS
from netcourse.schemas import first_problem


class AudienceError(ContentError):
    """The audiences data file is missing or malformed."""


AUDIENCES_FILE = "audiences.json"
AUDIENCES_FORMAT = "netcourse-audiences/1"


@dataclass(frozen=True)
class Emphasis:
    part: str
    why: str


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    who: str
    target_seconds: int
    emphasise: tuple[Emphasis, ...]
    keep_brief: tuple[str, ...]
    question_topics: tuple[str, ...]
    tip: str
    source: str
    advice: str


def parse_audiences(data: Any, name: str = AUDIENCES_FILE) -> tuple[Audience, ...]:
    """Validate the decoded audiences file (``schemas/audiences.schema.json``, then the ids it refers to).

    Errors name the file and the place.
    """

    def fail(where: str, problem: str) -> AudienceError:
        return AudienceError(f"{name}: {where}: {problem}")

    problem = first_problem(data, "audiences", parts=list(PART_IDS))
    if problem is not None:
        raise AudienceError(f"{name}: {problem}")
    source, advice = data.get("source"), data.get("advice")
    content = load_content()
    if source not in content.sources:
        raise fail("source", f"unknown source {source!r}")
    if advice not in {a.id for a in content.harvard_advice}:
        raise fail("advice", f"unknown Harvard advice id {advice!r}")
    audiences = []
    for i, entry in enumerate(data["audiences"]):
        where = f"audiences[{i}]"
        if not entry.get("emphasise"):
            raise fail(f"{where}.emphasise", "expected at least one part to emphasise")
        for j, em in enumerate(entry["emphasise"]):
            if em["part"] not in PART_IDS:
                raise fail(f"{where}.emphasise[{j}]", f"expected {{part: one of {list(PART_IDS)}, why: text}}")
        keep_brief = entry.get("keep_brief", [])
        if any(p not in PART_IDS for p in keep_brief):
            raise fail(f"{where}.keep_brief", f"expected part ids from {list(PART_IDS)}")
        audiences.append(
            Audience(
                id=entry["id"],
                name=entry["name"],
                who=entry["who"],
                target_seconds=int(entry["target_seconds"]),
                emphasise=tuple(Emphasis(em["part"], em["why"]) for em in entry["emphasise"]),
                keep_brief=tuple(keep_brief),
                question_topics=tuple(entry.get("question_topics", ())),
                tip=entry["tip"],
                source=source,
                advice=advice,
            )
        )
    ids = [a.id for a in audiences]
    if len(set(ids)) != len(ids):
        raise fail("audiences", f"duplicate ids in {ids}")
    return tuple(audiences)


def load_audiences(path: Path | str | None = None) -> tuple[Audience, ...]:
    """The audiences (fellow student, resident, physician, society/committee leader); packaged file by default."""
    if path is None:
        return _packaged_audiences()
    return _read_audiences(path, str(path))


@lru_cache(maxsize=1)
def _packaged_audiences() -> tuple[Audience, ...]:
    return _read_audiences(data_path(AUDIENCES_FILE), AUDIENCES_FILE)


def _read_audiences(path: Path | str, name: str) -> tuple[Audience, ...]:
    try:
        data = read_json_file(path, name)
    except ContentError as exc:
        raise AudienceError(str(exc)) from None
    return parse_audiences(data, name)


def get_audience(audience_id: str) -> Audience:
    for aud in load_audiences():
        if aud.id == audience_id:
            return aud
    raise KeyError(f"no audience {audience_id!r}; known: {[a.id for a in load_audiences()]}")
