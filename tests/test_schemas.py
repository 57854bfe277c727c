"""Every data file and saved format has a schema; the packaged data and what the tools save fit it;
damage is reported as one sentence naming the place; the schema's own messages are well formed."""

from __future__ import annotations

import csv
import io
import json
import string
import subprocess
import sys
from datetime import date
from decimal import Decimal

import jsonschema
import pytest

from netcourse import funding, netlog, schemas
from netcourse.content import ContentError, data_path
from netcourse.netlog import Contact
from netcourse.practice import PracticeError, load_practice
from netcourse.schemas import Problem, first_problem, load_schema, schema_names

DATA_SCHEMAS = {"content.json": "content", "audiences.json": "audiences", "practice.json": "practice",
                "objectives.json": "objectives", "rubrics.json": "rubrics"}
CSV_SCHEMAS = {"questions.csv": "questions-row", "opportunities.csv": "opportunities-row"}
SAVED_SCHEMAS = {"pitch-draft", "funding-plan", "networking-log", "selfcheck-results", "self-assessment"}


def test_every_data_file_and_saved_format_has_a_schema():
    data_files = sorted(p.name for p in data_path("").iterdir() if p.suffix in (".json", ".csv"))
    assert data_files == sorted({**DATA_SCHEMAS, **CSV_SCHEMAS})
    assert set(schema_names()) == set(DATA_SCHEMAS.values()) | set(CSV_SCHEMAS.values()) | SAVED_SCHEMAS


@pytest.mark.parametrize("name", schema_names())
def test_each_schema_is_a_valid_draft_7_schema(name):
    jsonschema.Draft7Validator.check_schema(load_schema(name))


def _templates(node):
    if isinstance(node, dict):
        yield from node.get("x-messages", {}).values()
        for value in node.values():
            yield from _templates(value)
    elif isinstance(node, list):
        for value in node:
            yield from _templates(value)


@pytest.mark.parametrize("name", schema_names())
def test_each_message_uses_only_the_placeholders_it_is_given(name):
    given = {"where", "parent", "field", "first", "position", "value", "found", "limit", "count"}
    callers = {"audiences": {"parts"}, "selfcheck-results": {"file", "kind"}}
    for template in _templates(load_schema(name)):
        used = {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}
        assert used <= given | callers.get(name, set()), (name, template)


@pytest.mark.parametrize("filename, schema", DATA_SCHEMAS.items())
def test_the_packaged_data_fits_its_schema(filename, schema):
    assert first_problem(json.loads(data_path(filename).read_text(encoding="utf-8")), schema) is None


@pytest.mark.parametrize("filename, schema", CSV_SCHEMAS.items())
def test_every_row_of_the_packaged_csvs_fits_its_schema(filename, schema):
    rows = list(csv.DictReader(io.StringIO(data_path(filename).read_text(encoding="utf-8"))))
    assert rows and all(first_problem(row, schema) is None for row in rows)


def test_what_the_tools_save_fits_the_saved_schemas(work_dir):
    from netcourse.widgets import PitchStudio

    for level in funding.PLAN_LEVELS:
        assert first_problem(funding.plan_to_dict(funding.preset(level)), "funding-plan") is None
    log = (Contact("Dr. Lee", "resident", "mixer", "", date(2026, 1, 1), date(2026, 1, 9), "insight", True),
           Contact("Ann"))
    assert first_problem(netlog.log_to_dict(log), "networking-log") is None
    studio = PitchStudio()
    studio.parts["intro"].value = "Hi, I'm Maya."
    path = studio.save("draft")
    assert first_problem(json.loads(path.read_text())["data"], "pitch-draft") is None
    results = {"networking-workbook": [{"question": "q1", "passed": True, "earned": 1.5, "points": 2}]}
    assert first_problem(results, "selfcheck-results") is None


def test_damage_is_one_sentence_naming_the_place():
    assert first_problem({"format": "netcourse-content/1"}, "content") == Problem("", "missing field 'article'")
    assert str(first_problem([], "content")) == "top level: expected an object, found list"
    plan = funding.plan_to_dict(funding.preset("local"))
    plan["funding"] = [{"route": "chapter", "amount": "5"}, "a string"]
    assert str(first_problem(plan, "funding-plan")) == "The plan's funding rows are damaged."
    log = netlog.log_to_dict((Contact("A"), Contact("B")))
    log["contacts"][1]["followed_up"] = "maybe"
    assert str(first_problem(log, "networking-log")) == "Entry 2: Followed up: expected yes or no."
    bad = {"networking-workbook": [{"question": "q1", "passed": True, "earned": "lots", "points": 2}]}
    problem = first_problem(bad, "selfcheck-results", file="workbook-selfcheck.json", kind="workbook-selfcheck")
    assert str(problem) == "workbook-selfcheck.json has damaged results for networking-workbook."
    assert problem.where == "networking-workbook[0].earned"


def test_a_key_with_dots_or_digits_is_named_whole():
    bad = {"my.notebook": [{"question": "q", "passed": 1, "earned": 1, "points": None}]}
    problem = first_problem(bad, "selfcheck-results", file="f", kind="k")
    assert problem.where == "my.notebook[0].points" and str(problem) == "f has damaged results for my.notebook."


def test_broken_practice_text_is_reported_with_the_place(tmp_path):
    data = json.loads(data_path("practice.json").read_text(encoding="utf-8"))
    data["exercises"]["match_benefits"]["cases"][2]["text"] = "   "
    path = tmp_path / "practice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PracticeError, match=r"practice\.json: exercises\.match_benefits\.cases\[2\]\.text: "
                                            r"expected non-empty text"):
        load_practice(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ContentError, match="invalid JSON"):
        load_practice(path)


def test_a_saved_plan_with_damaged_shape_or_values_is_refused():
    plan = funding.plan_to_dict(funding.preset("local"))
    with pytest.raises(funding.PlanError, match="not a funding plan"):
        funding.plan_from_dict({**plan, "format": "netcourse-funding/0"})
    with pytest.raises(funding.PlanError, match="nights is damaged"):
        funding.plan_from_dict({**plan, "nights": ["2"]})
    with pytest.raises(funding.PlanError, match="Nights"):
        funding.plan_from_dict({**plan, "nights": "2.5"})
    assert funding.plan_from_dict({**plan, "registration": 25}).registration == Decimal("25.00")


def test_the_question_bank_loads_audiences_without_the_analyser():
    code = ("import sys, netcourse.questions as q; q.load_questions(); "
            "print(sorted(m for m in sys.modules if m.startswith('netcourse.pitch.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "netcourse.pitch.audiences" in loaded and "netcourse.pitch.analysis" not in loaded


@pytest.mark.parametrize("package", ["netcourse.pitch", "netcourse.funding", "netcourse.practice",
                                     "netcourse.widgets"])
def test_every_name_a_package_exports_resolves(package):
    module = __import__(package, fromlist=["_"])
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_schemas_are_read_from_the_package():
    assert load_schema("content")["allOf"][0]["properties"]["format"]["const"] == "netcourse-content/1"
    with pytest.raises(KeyError, match="no schema"):
        schemas.load_schema("nope")
