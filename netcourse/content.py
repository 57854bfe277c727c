"""The article's facts as validated data: levels, etiquette, advice, benefits, costs, funding.

Everything a lesson, widget or workbook says about the article comes from
``netcourse/data/content.json`` through :func:`load_content`, so each fact is written once.
A ``wording`` is always the article's own text, verbatim, and ``source`` whom the article credits
for it; the other text fields (``summary``, ``involves``, ``who``, ``detail``, ``how_to_find``,
``course_adds``) are the course's own words, which lessons show apart and never cite.
The loader checks the file against ``netcourse/schemas/content.schema.json`` and its
cross-references, and raises :class:`ContentError` naming the file and the problem, instead of
failing later with a ``KeyError`` deep inside a lesson.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from netcourse.schemas import first_problem

CONTENT_FILE = "content.json"
FORMAT = "netcourse-content/1"


class ContentError(ValueError):
    """A data file of the course is missing, unreadable or malformed."""


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class Item:
    """One entry of a numbered list in the article (a step, a benefit, a route...)."""

    id: str
    order: int
    name: str
    wording: str
    source: str
    involves: tuple[str, ...] = ()
    who: str = ""


@dataclass(frozen=True)
class Example:
    id: str
    name: str
    detail: str


@dataclass(frozen=True)
class Level:
    id: str
    order: int
    name: str
    wording: str
    summary: str
    examples: tuple[Example, ...]
    how_to_find: tuple[str, ...]
    source: str
    course_adds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    article: dict[str, Any]
    sources: dict[str, Source]
    levels: tuple[Level, ...]
    etiquette_steps: tuple[Item, ...]
    harvard_advice: tuple[Item, ...]
    benefits: tuple[Item, ...]
    costs: tuple[Item, ...]
    funding_routes: tuple[Item, ...]
    mindset: dict[str, Any] = field(default_factory=dict)
    follow_up: dict[str, Any] = field(default_factory=dict)
    funding_coverage: dict[str, Any] = field(default_factory=dict)
    # Whom the article credits for a whole list ("etiquette_steps" -> "utah"), as source ids.
    list_credits: dict[str, str] = field(default_factory=dict)

    def cite(self, source_id: str) -> str:
        """The full citation for ``source_id`` (with its address when it has one)."""
        src = self.sources[source_id]
        return f"{src.citation} {src.url}".strip()

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(f"no level {level_id!r}; known: {[lv.id for lv in self.levels]}")

    def lists(self) -> dict[str, tuple[Item, ...]]:
        """The article's numbered lists by name, for lessons and coverage tests."""
        return {
            "etiquette_steps": self.etiquette_steps,
            "harvard_advice": self.harvard_advice,
            "benefits": self.benefits,
            "costs": self.costs,
            "funding_routes": self.funding_routes,
        }


# Expected sizes come from the article itself (the schema holds them too, with the message).
_LIST_SIZES = {
    "etiquette_steps": 4,
    "harvard_advice": 5,
    "benefits": 6,
    "costs": 5,
    "funding_routes": 5,
}
_LEVEL_IDS = ("school", "local", "national")
_REQUIRED_SOURCES = ("article", "utah", "hms", "aafp")


def _items(name: str, data: dict, key: str, sources: dict[str, Source]) -> tuple[Item, ...]:
    def fail(where: str, problem: str) -> ContentError:
        return ContentError(f"{name}: {where}: {problem}")

    items = []
    for i, entry in enumerate(data[key]):
        if entry["source"] not in sources:
            raise fail(f"{key}[{i}].source", f"unknown source {entry['source']!r}")
        items.append(Item(id=entry["id"], order=entry["order"], name=entry["name"], wording=entry["wording"],
                          source=entry["source"], involves=tuple(entry.get("involves", ())),
                          who=entry.get("who", "")))
    expected = _LIST_SIZES[key]
    orders = [item.order for item in items]
    if sorted(orders) != list(range(1, expected + 1)):
        raise fail(key, f"orders must be 1..{expected}, found {orders}")
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise fail(key, f"duplicate ids in {ids}")
    return tuple(sorted(items, key=lambda item: item.order))


def parse_content(data: Any, name: str = CONTENT_FILE) -> Content:
    """Validate decoded JSON ``data`` (``schemas/content.schema.json``, then the cross-references) and
    build :class:`Content`; ``name`` appears in errors."""
    problem = first_problem(data, "content")
    if problem is not None:
        raise ContentError(f"{name}: {problem}")
    sources = {entry["id"]: Source(entry["id"], entry["short"], entry["citation"], entry["url"])
               for entry in data["sources"]}
    for required in _REQUIRED_SOURCES:
        if required not in sources:
            raise ContentError(f"{name}: sources: missing source {required!r}")
    levels = sorted(
        (Level(id=entry["id"], order=entry["order"], name=entry["name"], wording=entry["wording"],
               summary=entry["summary"], examples=tuple(Example(ex["id"], ex["name"], ex["detail"])
                                                        for ex in entry["examples"]),
               how_to_find=tuple(entry["how_to_find"]), source=entry["source"],
               course_adds=tuple(entry.get("course_adds", ())))
         for entry in data["levels"]),
        key=lambda level: level.order,
    )
    if tuple(level.id for level in levels) != _LEVEL_IDS:
        raise ContentError(f"{name}: levels: expected levels {list(_LEVEL_IDS)}, found {[lv.id for lv in levels]}")
    lists = {key: _items(name, data, key, sources) for key in _LIST_SIZES}
    credits = dict(data.get("list_credits", {}))
    for key, source_id in credits.items():
        if key not in lists or source_id not in sources:
            raise ContentError(f"{name}: list_credits.{key}: unknown list or source {source_id!r}")
    return Content(
        article=data["article"],
        sources=sources,
        levels=tuple(levels),
        mindset=data["mindset"],
        follow_up=data["follow_up"],
        funding_coverage=data["funding_coverage"],
        list_credits=credits,
        **lists,
    )


def read_text_file(path: Path | str, name: str | None = None) -> str:
    """Read UTF-8 text from ``path``; any failure becomes a :class:`ContentError` naming the file."""
    name = name or str(path)
    try:
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ContentError(f"{name}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ContentError(f"{name}: cannot read ({exc.strerror})") from None


def read_json_file(path: Path | str, name: str | None = None) -> Any:
    """Read JSON from ``path``; any failure becomes a :class:`ContentError` naming the file."""
    name = name or str(path)
    text = read_text_file(path, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def data_path(filename: str) -> Path:
    """Path of a data file shipped inside the package (works from a wheel or editable install)."""
    return Path(str(resources.files("netcourse") / "data" / filename))


def load_content(path: Path | str | None = None) -> Content:
    """Load and validate the course content; with no ``path``, the packaged file (cached)."""
    if path is None:
        return _packaged_content()
    return parse_content(read_json_file(path), name=str(path))


@lru_cache(maxsize=1)
def _packaged_content() -> Content:
    return parse_content(read_json_file(data_path(CONTENT_FILE), CONTENT_FILE), CONTENT_FILE)
