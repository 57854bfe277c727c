"""JSON Schemas for every data file and saved format, and :func:`first_problem`, which checks data against one.

Each ``<name>.schema.json`` in this folder describes one kind of file: the packaged course data
(``content``, ``audiences``, ``practice``, a row of ``questions`` or ``opportunities``) or a
format the tools save (``pitch-draft``, ``funding-plan``, ``networking-log``,
``selfcheck-results``). Loaders call :func:`first_problem` on the decoded data and turn the
:class:`Problem` into their own error, so people read one sentence about what is wrong, never a
validator's dump.

Messages: a schema node may say what to tell people in ``"x-messages"`` (keyword -> text, ``"*"``
for any keyword). The text may use ``{where}`` ("costs[0].order"), ``{parent}`` ("costs[0]"),
``{field}`` ("order"), ``{first}`` ("costs"), ``{position}`` (the last index plus one), ``{value}``,
``{found}`` (its type), ``{count}`` (its length), ``{limit}`` (the rule's value) and the caller's own
values. Otherwise the message is a default in the house style ("missing field 'wording'",
"expected int, found str", "is empty"). What a schema cannot say (a source id that must exist, an
article list's order) stays in the loaders.

Validators are compiled once per schema with fastjsonschema, which imports in milliseconds
(jsonschema takes over a second to import, on every lesson start).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

_PY_TYPES = {"string": "str", "integer": "int", "number": "int/float", "array": "list", "object": "dict",
             "boolean": "bool", "null": "None"}


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with some data: ``where`` (``"costs[0].order"``, ``""`` for the top) and ``message``.

    ``custom`` is True when the schema wrote the message as a whole sentence (``str()`` is then the
    message alone); otherwise ``str()`` is ``"<where>: <message>"``.
    """

    where: str
    message: str
    custom: bool = False

    def __str__(self) -> str:
        if self.custom:
            return self.message
        return f"{self.where or 'top level'}: {self.message}"


def schema_names() -> list[str]:
    """Every schema shipped, by name (``"content"``, ``"funding-plan"``...)."""
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".schema.json") for p in folder.iterdir() if p.name.endswith(".schema.json"))


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` as a dict (``KeyError`` for an unknown name)."""
    if name not in schema_names():
        raise KeyError(f"no schema {name!r}; known: {schema_names()}")
    return json.loads((resources.files(__name__) / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(load_schema(name), use_formats=False)


def first_problem(data: Any, schema: str, **values: Any) -> Problem | None:
    """The first problem of ``data`` against the schema named ``schema``, or None when it fits.

    ``values`` fill placeholders of the schema's own messages (e.g. ``parts=[...]``).
    """
    try:
        _validator(schema)(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        return _problem(exc, data, values)
    return None


def _place(data: Any, path: list[str]) -> tuple[str, list[str | int]]:
    """The house-style place ("costs[0].order") and its steps, found by walking ``data`` along ``path``.

    fastjsonschema gives the path as strings split on dots (``["data", "costs", "0", "order"]``);
    walking the data tells an array index from a key that happens to be digits, and puts a key
    with dots in it back together.
    """
    where, steps, node, i = "", [], data, 1
    while i < len(path):
        if isinstance(node, list) and path[i].isdigit() and int(path[i]) < len(node):
            steps.append(int(path[i]))
            where += f"[{path[i]}]"
            node, i = node[int(path[i])], i + 1
            continue
        end = next((j for j in range(len(path), i, -1) if isinstance(node, dict) and ".".join(path[i:j]) in node),
                   i + 1)
        key = ".".join(path[i:end])
        steps.append(key)
        where += f".{key}" if where else key
        node, i = node.get(key) if isinstance(node, dict) else None, end
    return where, steps


def _python_types(types: Any) -> str:
    names = types if isinstance(types, list) else [types]
    return "/".join(_PY_TYPES.get(t, str(t)) for t in names)


def _default(rule: str, definition: Any, value: Any, field: str) -> str:
    found = type(value).__name__
    if rule == "type":
        return f"expected an object, found {found}" if definition == "object" else (
            f"expected {_python_types(definition)}, found {found}")
    if rule == "required":
        return f"missing field {field!r}"
    if rule == "const":
        return f"expected {definition!r}, found {value!r}"
    if rule == "enum":
        return f"expected one of {', '.join(map(repr, definition))}, found {value!r}"
    if rule == "minItems":
        return f"expected at least {definition} item(s), found {len(value)}"
    if rule == "maxItems":
        return f"expected at most {definition} item(s), found {len(value)}"
    if rule in ("minLength", "pattern") and isinstance(value, str) and not value.strip():
        return "is empty"
    if rule == "maxLength":
        return f"keep it under {definition} characters"
    if rule == "pattern":
        return f"{value!r} does not have the expected form"
    if rule in ("minimum", "maximum"):
        return f"expected a number {'at least' if rule == 'minimum' else 'at most'} {definition}, found {value!r}"
    return f"does not fit the {rule} rule"


def _problem(exc: fastjsonschema.JsonSchemaValueException, data: Any, values: Mapping[str, Any]) -> Problem:
    where, steps = _place(data, list(exc.path))
    rule, definition, value = exc.rule, exc.rule_definition, exc.value
    field = next((str(step) for step in reversed(steps) if isinstance(step, str)), "")
    if rule == "required" and isinstance(value, dict):
        field = next((key for key in definition if key not in value), field)
    node = exc.definition if isinstance(exc.definition, dict) else {}
    messages = node.get("x-messages", {})
    template = messages.get(rule, messages.get("*"))
    if template is None:
        return Problem(where, _default(rule, definition, value, field))
    indices = [step for step in steps if isinstance(step, int)]
    filled = {"where": where or "top level", "parent": _parent(where) or "top level", "field": field,
              "first": str(steps[0]) if steps else "", "position": indices[-1] + 1 if indices else "",
              "value": value, "found": type(value).__name__, "limit": definition,
              "count": len(value) if isinstance(value, (list, dict, str)) else "", **values}
    return Problem(where, template.format(**filled), custom=True)


def _parent(where: str) -> str:
    return re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", where)
