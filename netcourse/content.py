"""The article's facts as validated data: levels, etiquette, advice, benefits, costs, funding.

Everything a lesson, widget or workbook says about the article comes from
``netcourse/data/content.json`` through :func:`load_content`, so each fact is written once.
The loader checks the file's shape and raises :class:`ContentError` naming the file and
the problem, instead of failing later with a ``KeyError`` deep inside a lesson.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

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


# Expected sizes come from the article itself: a file that drops an item is broken.
_LIST_SIZES = {
    "etiquette_steps": 4,
    "harvard_advice": 5,
    "benefits": 6,
    "costs": 5,
    "funding_routes": 5,
}
_LEVEL_IDS = ("school", "local", "national")


class _Checker:
    """Small helpers that turn shape errors into messages naming file and place."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, problem: str) -> ContentError:
        return ContentError(f"{self.name}: {where}: {problem}")

    def get(self, obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(where, f"expected an object, found {type(obj).__name__}")
        if key not in obj:
            raise self.fail(where, f"missing field {key!r}")
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"{where}.{key}", f"expected {names}, found {type(value).__name__}")
        if isinstance(value, str) and key != "url" and not value.strip():
            raise self.fail(f"{where}.{key}", "is empty")
        return value

    def strings(self, obj: Any, key: str, where: str) -> tuple[str, ...]:
        values = self.get(obj, key, list, where)
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.fail(f"{where}.{key}[{i}]", "expected a non-empty string")
        return tuple(values)


def _items(check: _Checker, data: dict, key: str, sources: dict[str, Source]) -> tuple[Item, ...]:
    raw = check.get(data, key, list, "top level")
    items = []
    for i, entry in enumerate(raw):
        where = f"{key}[{i}]"
        source = check.get(entry, "source", str, where)
        if source not in sources:
            raise check.fail(f"{where}.source", f"unknown source {source!r}")
        items.append(
            Item(
                id=check.get(entry, "id", str, where),
                order=check.get(entry, "order", int, where),
                name=check.get(entry, "name", str, where),
                wording=check.get(entry, "wording", str, where),
                source=source,
                involves=check.strings(entry, "involves", where) if "involves" in entry else (),
                who=check.get(entry, "who", str, where) if "who" in entry else "",
            )
        )
    expected = _LIST_SIZES[key]
    if len(items) != expected:
        raise check.fail(key, f"the article lists {expected} items, the file has {len(items)}")
    orders = [item.order for item in items]
    if sorted(orders) != list(range(1, expected + 1)):
        raise check.fail(key, f"orders must be 1..{expected}, found {orders}")
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise check.fail(key, f"duplicate ids in {ids}")
    return tuple(sorted(items, key=lambda item: item.order))


def parse_content(data: Any, name: str = CONTENT_FILE) -> Content:
    """Validate decoded JSON ``data`` and build :class:`Content`; ``name`` appears in errors."""
    check = _Checker(name)
    if not isinstance(data, dict):
        raise check.fail("top level", f"expected an object, found {type(data).__name__}")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise check.fail("format", f"expected {FORMAT!r}, found {fmt!r}")
    sources = {}
    for i, entry in enumerate(check.get(data, "sources", list, "top level")):
        where = f"sources[{i}]"
        src = Source(
            id=check.get(entry, "id", str, where),
            short=check.get(entry, "short", str, where),
            citation=check.get(entry, "citation", str, where),
            url=check.get(entry, "url", str, where),
        )
        sources[src.id] = src
    for required in ("article", "utah", "hms", "aafp"):
        if required not in sources:
            raise check.fail("sources", f"missing source {required!r}")

    levels = []
    for i, entry in enumerate(check.get(data, "levels", list, "top level")):
        where = f"levels[{i}]"
        examples = tuple(
            Example(
                id=check.get(ex, "id", str, f"{where}.examples[{j}]"),
                name=check.get(ex, "name", str, f"{where}.examples[{j}]"),
                detail=check.get(ex, "detail", str, f"{where}.examples[{j}]"),
            )
            for j, ex in enumerate(check.get(entry, "examples", list, where))
        )
        if not examples:
            raise check.fail(f"{where}.examples", "a level needs at least one example")
        levels.append(
            Level(
                id=check.get(entry, "id", str, where),
                order=check.get(entry, "order", int, where),
                name=check.get(entry, "name", str, where),
                wording=check.get(entry, "wording", str, where),
                summary=check.get(entry, "summary", str, where),
                examples=examples,
                how_to_find=check.strings(entry, "how_to_find", where),
                source=check.get(entry, "source", str, where),
            )
        )
    levels.sort(key=lambda level: level.order)
    if tuple(level.id for level in levels) != _LEVEL_IDS:
        raise check.fail("levels", f"expected levels {list(_LEVEL_IDS)}, found {[lv.id for lv in levels]}")

    mindset = check.get(data, "mindset", dict, "top level")
    check.strings(mindset, "explorative_questions", "mindset")
    return Content(
        article=check.get(data, "article", dict, "top level"),
        sources=sources,
        levels=tuple(levels),
        etiquette_steps=_items(check, data, "etiquette_steps", sources),
        harvard_advice=_items(check, data, "harvard_advice", sources),
        benefits=_items(check, data, "benefits", sources),
        costs=_items(check, data, "costs", sources),
        funding_routes=_items(check, data, "funding_routes", sources),
        mindset=mindset,
        follow_up=check.get(data, "follow_up", dict, "top level"),
        funding_coverage=check.get(data, "funding_coverage", dict, "top level"),
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
