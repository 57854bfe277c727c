"""The autograded workbook: its structure, the student release, the self-check and the helpers.

Fast tests only (no kernel, no nbgrader run); tests/test_workbook_grading.py runs nbgrader itself.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netcourse import course, selfcheck
from netcourse.course import WORKBOOK
from netcourse.grading.export import AssignmentGrades, StudentGrade, canvas_csv, grades_csv
from netcourse.grading.preprocessors import (
    HIDDEN_FAILED,
    OUTPUT_WITHHELD,
    FeedbackClearHiddenTests,
    FeedbackClearMarkScheme,
    failing_line,
    redact_outputs,
)
from netcourse.notebook_hygiene import problems
from netcourse.selfcheck import strip_region
from netcourse.workbook import load_objectives, load_rubrics, pitch_check

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / WORKBOOK
RELEASE = ROOT / "release" / WORKBOOK
NOTEBOOKS = ("01_pitch_and_questions.ipynb", "02_funding_and_opportunities.ipynb")
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return nb["cells"]


def nbg(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test(cell: dict) -> bool:
    return cell["cell_type"] == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


def region_lines(source: str, begin: str, end: str) -> list[str]:
    """Meaningful lines inside begin/end regions (the text that must never reach a student)."""
    _, removed = strip_region(source, begin, end)
    lines = source.split("\n")
    found = [lines[number - 1].strip() for number in sorted(removed)]
    return [line for line in found if len(line) > 12 and begin not in line and end not in line]


# ------------------------------------------------------------------------------------------------ source


def test_source_has_both_notebooks_and_the_shared_header():
    assert sorted(p.name for p in SOURCE.glob("*.ipynb")) == list(NOTEBOOKS)
    header = cells(ROOT / "source" / "header.ipynb")
    assert any('NAME = ""' in cell["source"] and "COLLABORATORS" in cell["source"] for cell in header)


def test_source_is_what_the_builder_writes():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_workbook.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _graded() -> tuple[dict[str, float], dict[str, float]]:
    auto, written = {}, {}
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            meta = nbg(cell)
            if is_test(cell):
                auto[meta["grade_id"]] = meta["points"]
            elif meta.get("grade") and meta.get("solution"):
                written[meta["grade_id"]] = meta["points"]
    return auto, written


def test_grade_ids_are_unique_slugs_and_points_add_up():
    ids = [nbg(cell)["grade_id"] for name in NOTEBOOKS for cell in cells(SOURCE / name) if nbg(cell)]
    assert all(SLUG.match(grade_id) for grade_id in ids), ids
    assert len(ids) == len(set(ids)), "grade_ids must be unique across the workbook"
    auto, written = _graded()
    assert (sum(auto.values()), sum(written.values())) == (28, 12)
    assert max(auto.values()) <= 2, "partial credit: no test cell is worth more than 2 points"


def test_every_graded_item_names_an_objective_and_at_least_70_percent_of_points_assess_one():
    objectives = load_objectives()
    auto, written = _graded()
    items = {gid for nb in objectives.workbook.values() for gid in nb}
    assert items == set(auto) | set(written), "objectives.json lists exactly the workbook's graded items"
    for notebook, by_item in objectives.workbook.items():
        graded_here = {nbg(c)["grade_id"] for c in cells(SOURCE / f"{notebook}.ipynb") if nbg(c).get("grade")}
        assert set(by_item) == graded_here, notebook
    stated = {o.id for o in objectives.objectives}
    assessed = {oid for nb in objectives.workbook.values() for ids in nb.values() for oid in ids}
    assert stated == assessed, f"objectives never assessed: {sorted(stated - assessed)}"
    points = {**auto, **written}
    on_objectives = sum(points[gid] for nb in objectives.workbook.values() for gid, ids in nb.items() if ids)
    assert on_objectives / sum(points.values()) >= 0.70


def test_each_lesson_header_states_exactly_its_objectives():
    objectives = load_objectives()
    for entry in course.LESSONS:
        header = cells(ROOT / "notebooks" / entry.file)[0]["source"]
        stated = re.findall(r"^> - (.+)$", header.split("**Objectives**")[1], flags=re.M)
        assert stated == [o.text for o in objectives.for_lesson(entry.number)], entry.file


def _visible(source: str) -> str:
    return strip_region(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")[0]


def test_each_test_cell_has_a_docstring_messages_that_teach_and_a_check_cell():
    for name in NOTEBOOKS:
        nb_cells = cells(SOURCE / name)
        checked = " ".join(c["source"] for c in nb_cells if c["source"].startswith("check("))
        for cell in (c for c in nb_cells if is_test(c)):
            grade_id, source = nbg(cell)["grade_id"], cell["source"]
            ast.parse(source)  # hidden tests included: a test that cannot be read fails the solution too
            tree = ast.parse(_visible(source))
            assert isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant), grade_id
            asserts = [node for node in ast.walk(tree) if isinstance(node, ast.Assert)]
            assert asserts and all(node.msg is not None for node in asserts), f"{grade_id}: every check has a message"
            literal = [node.msg.value for node in asserts if isinstance(node.msg, ast.Constant)]
            assert all(len(text) >= 25 for text in literal), f"{grade_id}: messages that teach"
            assert f'"{grade_id}"' in checked, f"{grade_id}: no self-check cell"


def test_decisions_keep_their_answer_in_the_hidden_tests_and_spread_the_letters():
    answers = []
    for name in NOTEBOOKS:
        for cell in (c for c in cells(SOURCE / name) if is_test(c)):
            source = cell["source"]
            if selfcheck.FORM_ONLY_MARK not in source:
                continue
            hidden = region_lines(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            assert len(hidden) == 1 and hidden[0].startswith("assert "), nbg(cell)["grade_id"]
            answer = re.search(r'== "([a-z]+)"', hidden[0]).group(1)
            assert f'"{answer}"' not in _visible(source), f"{nbg(cell)['grade_id']}: the visible check shows the answer"
            answers.append(answer)
    assert len(answers) == 19
    singles = [a for a in answers if len(a) == 1]
    counts = {letter: singles.count(letter) for letter in set(singles)}
    assert max(counts.values()) <= len(singles) // 3, counts  # no letter wins by default


def test_functions_the_student_writes_have_hidden_values_for_every_stated_rule():
    for name in NOTEBOOKS:
        for cell in (c for c in cells(SOURCE / name) if is_test(c)):
            if "funding_gap(" in _visible(cell["source"]):
                assert len(region_lines(cell["source"], "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")) >= 3


def test_each_written_answer_follows_a_locked_prompt_with_criteria_and_three_exemplars():
    rubrics = load_rubrics()
    for name in NOTEBOOKS:
        nb_cells = cells(SOURCE / name)
        for index, cell in enumerate(nb_cells):
            meta = nbg(cell)
            if not (meta.get("grade") and meta.get("solution")):
                continue
            prompt = nb_cells[index - 1]["source"]
            assert nbg(nb_cells[index - 1]).get("locked")
            assert nbg(nb_cells[index - 1])["grade_id"] == f"{meta['grade_id']}-prompt"
            criteria = rubrics[meta["grade_id"]]["criteria"]
            assert meta["points"] == len(criteria), "one point per criterion"
            public, scheme = prompt.split("=== BEGIN MARK SCHEME ===")
            assert all(c["text"] in public for c in criteria), "students see the criteria"
            for label in ("Strong", "Borderline", "Weak"):
                assert re.search(rf"\*\*{label} \(\d/{len(criteria)}\):\*\*", scheme), (meta["grade_id"], label)
            assert all(f"{c['id']}: " in scheme for c in criteria)
            assert any(f'SelfAssessment("{meta["grade_id"]}")' in c["source"] for c in nb_cells[index:index + 4])


def test_test_cells_use_only_the_trusted_setup_and_the_students_names():
    for name in NOTEBOOKS:
        nb_cells = cells(SOURCE / name)
        setup = [c for c in nb_cells if nbg(c).get("locked") and c["cell_type"] == "code" and not nbg(c).get("grade")]
        assert len(setup) == 1 and "netcourse.workbook import" in setup[0]["source"]
        for cell in (c for c in nb_cells if is_test(c)):
            assert "import" not in cell["source"], "tests use the setup cell's names (the judge runs it trusted)"


def test_widget_cells_if_any_are_skipped_while_grading():
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            if "netcourse.widgets" in cell["source"]:
                assert "NBGRADER_EXECUTION" in cell["source"], "widget cells must not run during grading"
                assert not nbg(cell), "a widget cell is never a graded cell"


def test_workbook_states_its_time_and_points():
    for name, points in zip(NOTEBOOKS, (22, 18), strict=True):
        intro = cells(SOURCE / name)[0]["source"]
        assert re.search(r"\*\*Time: about \d+ minutes\.\*\*", intro) and f"**{points} points**" in intro


# ------------------------------------------------------------------------------------------------ python needed


def _constructs(code: str) -> set[str]:
    """The Python a piece of code uses: node kinds, names of what it calls, attributes, operators."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        kind = type(node).__name__
        if kind in ("Module", "Load", "Store", "Expr", "Name", "Constant", "arguments", "arg"):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in dir(builtins):
            found.add(f"call {node.func.id}")
        elif isinstance(node, ast.Attribute):
            found.add(f".{node.attr}")
        elif isinstance(node, ast.BinOp):
            found.add(type(node.op).__name__)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value:
            found.add("multi-line text")
        if kind != "Call":
            found.add(kind)
    for token in ('"""',):
        if token in code:
            found.add("multi-line text")
    return found


def _student_code() -> str:
    pieces = []
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            if nbg(cell).get("solution") and cell["cell_type"] == "code":
                pieces.append(cell["source"].replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
    return "\n".join(pieces)


def _taught_code() -> str:
    notebooks = [ROOT / "notebooks" / "python_primer.ipynb"] + [ROOT / "notebooks" / e.file for e in course.LESSONS]
    return "\n".join(c["source"] for path in notebooks for c in cells(path) if c["cell_type"] == "code")


def test_every_construct_an_answer_needs_is_taught_in_the_primer_or_a_lesson():
    needed, taught = _constructs(_student_code()), _constructs(_taught_code())
    assert {"FunctionDef", "Return", "List", "Dict", "call max", "call sum", ".values", "Sub",
            "multi-line text"} <= needed, "the collector sees the constructs (control)"
    assert needed - taught == set()


def test_the_primer_needs_nothing_the_workbook_does_not_and_runs_on_course_examples():
    primer = "\n".join(c["source"] for c in cells(ROOT / "notebooks" / "python_primer.ipynb"))
    assert "raise NotImplementedError()" in primer and "NameError" in primer and "IndentationError" in primer
    extra = _constructs("\n".join(c["source"] for c in cells(ROOT / "notebooks" / "python_primer.ipynb")
                                  if c["cell_type"] == "code")) - _constructs(_student_code())
    # what the primer adds is only there to show results: print, len, division, indexing, imports
    assert extra <= {"call print", "call len", "Div", "Subscript", "ImportFrom", "alias", "Call"}, extra


# ------------------------------------------------------------------------------------------------ release


def test_release_is_clean_and_has_the_same_cells_as_source():
    for name in NOTEBOOKS:
        nb = json.loads((RELEASE / name).read_text(encoding="utf-8"))
        assert problems(nb) == []
        released = [nbg(c).get("grade_id") for c in cells(RELEASE / name) if nbg(c)]
        source = [nbg(c).get("grade_id") for c in cells(SOURCE / name) if nbg(c)]
        assert released == source
        assert cells(RELEASE / name)[0]["source"].startswith("Before you hand this workbook in"), "header first"


def test_no_solution_hidden_test_or_marking_guide_anywhere_in_release():
    released = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "release").rglob("*")) if p.is_file())
    released_text = json.dumps(released)  # compare in the JSON-escaped form the files use
    secrets, public = [], set()
    regions = [("### BEGIN SOLUTION", "### END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
               ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")]
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            text = cell["source"]
            for begin, end in regions:
                secrets += region_lines(cell["source"], begin, end)
                text = strip_region(text, begin, end)[0]
            public.update(line.strip() for line in text.splitlines())
    # a line that also stands outside every region (`my_questions = [` in the stub `my_questions = []`) is no secret
    secrets = [line for line in secrets if not any(line in shown for shown in public)]
    assert len(secrets) > 60
    leaked = [line for line in secrets if json.dumps(line)[1:-1] in released_text or line in released]
    assert leaked == []
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in released
    # control: visible tests are there, so the search above can find text that is present
    visible = next(c for c in cells(SOURCE / NOTEBOOKS[0]) if is_test(c))["source"].splitlines()[2]
    assert json.dumps(visible)[1:-1] in released


def test_released_stubs_raise_not_implemented():
    for name in NOTEBOOKS:
        for cell in cells(RELEASE / name):
            if nbg(cell).get("solution") and cell["cell_type"] == "code":
                assert "raise NotImplementedError()" in cell["source"]
            if nbg(cell).get("solution") and cell["cell_type"] == "markdown":
                assert cell["source"] == "YOUR ANSWER HERE"


# ------------------------------------------------------------------------------------------------ self-check


def test_run_checks_reports_pass_with_counts():
    result = selfcheck.run_checks('"""doc"""\nx = 2\nassert x == 2, "x is two"\nassert x > 1, "x is big"', {}, "q", 3)
    assert result.passed and result.checks_total == 2 and result.checks_passed == 2 and result.earned == 3
    assert "all 2 visible checks passed" in str(result)


def test_run_checks_stops_at_the_first_failure_and_gives_its_message_as_hint():
    source = 'assert 1 == 1, "one"\nassert f() == 3, "f should return 3: add one and two"\nassert False, "not reached"'
    result = selfcheck.run_checks(source, {"f": lambda: 4}, "q", 2)
    assert not result.passed and result.checks_passed == 1 and result.checks_total == 3 and result.earned == 0
    assert result.failed_check.startswith("assert f() == 3")
    assert result.hint == "f should return 3: add one and two"
    assert "1 of 3 checks passed" in str(result)


def test_run_checks_explains_unwritten_answers_missing_names_and_errors():
    def stub():
        raise NotImplementedError()

    assert "replace `raise NotImplementedError()`" in selfcheck.run_checks("assert stub() == 1", {"stub": stub}).hint
    assert "not defined" in selfcheck.run_checks("assert missing() == 1", {}).hint
    assert "ZeroDivisionError" in selfcheck.run_checks("assert 1 / 0", {}).hint


def test_run_checks_counts_error_stream_output_as_failure_but_not_warnings():
    def noisy():
        import sys

        print("oops", file=sys.stderr)
        return 1

    def warns():
        import sys

        sys.stderr.write("lib.py:3: FutureWarning: old API\n")  # what warnings.showwarning writes
        return 1

    assert not selfcheck.run_checks("assert noisy() == 1", {"noisy": noisy}).passed
    assert selfcheck.run_checks("assert warns() == 1", {"warns": warns}).passed


def test_check_finds_the_question_in_the_released_notebook_and_names_known_questions(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    result = selfcheck.check("gap-rule", folder=RELEASE, namespace={})
    assert not result.passed and "funding_gap" in result.hint and "not defined" in result.hint
    unknown = selfcheck.check("no-such-question", folder=RELEASE, namespace={})
    assert "etiquette-a" in unknown.hint and "plan-gap" in unknown.hint
    nowhere = selfcheck.check("gap-rule", folder=ROOT / "tests", namespace={})
    assert "No workbook notebook" in nowhere.hint
    assert "Name a question" in selfcheck.check(folder=RELEASE, namespace={}).hint


def test_check_of_a_choice_says_right_form_not_well_done_and_several_show_together(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    several = selfcheck.check("etiquette-a", "etiquette-b", folder=RELEASE,
                              namespace={"etiquette_a": "z", "etiquette_b": " B "})
    first, second = list(several)
    assert not first.passed and "Write one letter (a, b, c, d)" in first.hint
    assert second.passed and second.form_only and "right form" in str(second) and "Well done" not in str(second)
    assert not several.passed and str(several).count("etiquette-") >= 2
    assert "right form" in several._repr_html_()


def test_check_and_score_do_nothing_while_nbgrader_runs(monkeypatch, work_dir):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert selfcheck.check("gap-rule", folder=RELEASE, namespace={}).skipped
    report = selfcheck.score("01_pitch_and_questions", folder=RELEASE, namespace={})
    assert not report.results and "skipped" in report.note
    assert not work_dir.exists()


def _released_test_sources(name: str) -> list[str]:
    return [cell["source"] for cell in cells(RELEASE / name) if is_test(cell)]


def test_score_counts_points_and_choices_writes_a_summary_and_merges_notebooks(monkeypatch, work_dir):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    first = selfcheck.score("01_pitch_and_questions", folder=RELEASE, namespace={"etiquette_a": "c"})
    assert (first.earned, first.possible, first.decisions) == (0, 6, (1, 10)) and len(first.results) == 16
    assert "1 of 10 choices answered" in str(first)
    summary = (work_dir / selfcheck.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "01_pitch_and_questions: 0 / 6" in summary and "02_" not in summary
    assert "| etiquette-a | answered | marked when handed in |" in summary
    second = selfcheck.score("02_funding_and_opportunities.ipynb", folder=RELEASE, namespace={})
    assert (second.possible, second.decisions) == (3, (0, 9))
    summary = (work_dir / selfcheck.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "02_funding_and_opportunities: 0 / 3" in summary and "0 / 9" in summary
    assert "Download your summary" in second._repr_html_()


def test_score_survives_a_damaged_results_file_and_reports_a_missing_notebook(monkeypatch, work_dir):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    work_dir.mkdir(parents=True)
    (work_dir / selfcheck.RESULTS_FILE).write_text("{not json", encoding="utf-8")
    report = selfcheck.score("01_pitch_and_questions", folder=RELEASE, namespace={})
    assert report.summary_path is not None and "could not be read" in report.note
    missing = selfcheck.score("03_nothing", folder=RELEASE, namespace={})
    assert not missing.results and "Could not read 03_nothing.ipynb" in missing.note


def test_self_check_html_escapes_what_the_learner_wrote():
    def f():
        raise ValueError("<b>x</b>")

    result = selfcheck.run_checks('assert f() == 1, "expected 1"', {"f": f})
    html_text = result._repr_html_()
    assert "<b>x</b>" not in html_text and "&lt;b&gt;x&lt;/b&gt;" in html_text


# ------------------------------------------------------------------------------------------------ feedback redaction


def test_strip_region_removes_inclusive_lines_and_reports_their_numbers():
    text, removed = strip_region("a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc", "BEGIN HIDDEN TESTS",
                                 "END HIDDEN TESTS")
    assert text == "a\nc" and removed == {2, 3, 4}


def test_failing_line_reads_ipython_tracebacks():
    tb = ["\x1b[0;31mAssertionError\x1b[0m", "Cell \x1b[0;32mIn[7], line 9\x1b[0m\n", "more"]
    assert failing_line(tb) == 9
    assert failing_line(["no line here"]) is None


def _test_cell(source: str, traceback_line: int, evalue: str = "msg") -> dict:
    meta = {"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1}}
    return {"cell_type": "code", "source": source, "metadata": meta, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "secret input 42\n"},
        {"output_type": "error", "ename": "AssertionError", "evalue": evalue,
         "traceback": [f"Cell In[3], line {traceback_line}", "    assert hidden_case == 42"]},
    ]}


def _feedback(cell: dict) -> dict:
    """The feedback chain of autograder/nbgrader_config.py on one cell."""
    import nbformat

    nb = nbformat.from_dict({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    cell = redact_outputs(nb.cells[0])
    for step in (FeedbackClearHiddenTests(), FeedbackClearMarkScheme()):
        cell, _ = step.preprocess_cell(cell, {}, 0)
    return cell


def test_feedback_hides_hidden_tests_their_failures_and_prints():
    source = 'assert f(1) == 2, "f adds one"\n### BEGIN HIDDEN TESTS\nassert f(41) == 42\n### END HIDDEN TESTS'
    hidden_fail = _feedback(_test_cell(source, 3, evalue="hidden detail"))
    assert hidden_fail["source"] == 'assert f(1) == 2, "f adds one"'
    text = json.dumps(hidden_fail)
    assert "f(41)" not in text and "hidden detail" not in text and "secret input" not in text
    assert hidden_fail["outputs"][0]["evalue"] == HIDDEN_FAILED and OUTPUT_WITHHELD in text
    visible_fail = _feedback(_test_cell(source, 1, evalue="f adds one"))
    assert visible_fail["outputs"][0]["evalue"] == "f adds one"
    assert visible_fail["outputs"][0]["traceback"] == ["AssertionError: f adds one"]


def test_feedback_drops_marking_guides_and_leaves_what_students_wrote_alone():
    prompt = {"cell_type": "markdown", "metadata": {"nbgrader": {"locked": True, "grade_id": "p"}},
              "source": "Write a pitch.\n\n=== BEGIN MARK SCHEME ===\n1 point: audience\n=== END MARK SCHEME ==="}
    assert _feedback(prompt)["source"] == "Write a pitch.\n"
    own = {"cell_type": "code", "metadata": {}, "source": "print(1)",
           "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]}
    assert _feedback(json.loads(json.dumps(own))) == own
    # a student's answer that contains a marker (even an unterminated one) is theirs: kept, and no crash
    odd = {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True, "grade": True, "grade_id": "a"}},
           "source": "My answer mentions ### BEGIN HIDDEN TESTS and === BEGIN MARK SCHEME ==="}
    assert _feedback(json.loads(json.dumps(odd)))["source"] == odd["source"]


# ------------------------------------------------------------------------------------------------ export


def _grades() -> AssignmentGrades:
    return AssignmentGrades("networking-workbook", 40.0, ["01_pitch_and_questions", "02_funding_and_opportunities"], [
        StudentGrade("ada", "Ada", "Okafor", "ada@example.edu", "40001", True,
                     {"01_pitch_and_questions": 18, "02_funding_and_opportunities": 19.5}, 24, 13.5, 0, 37.5, 0),
        StudentGrade("bo", "Bo", "Li", "", "", True, {"01_pitch_and_questions": 8, "02_funding_and_opportunities": 0},
                     8, 0, 0, 8, 2),
        StudentGrade("cy", submitted=True, notebooks={"01_pitch_and_questions": 0, "02_funding_and_opportunities": 0},
                     not_graded="the sandbox could not start"),
        StudentGrade("zed", notebooks={"01_pitch_and_questions": 0, "02_funding_and_opportunities": 0}),
    ])


def test_grades_csv_has_every_part_of_the_score_and_a_status():
    lines = grades_csv(_grades()).split("\r\n")
    assert lines[0] == ("student_id,last_name,first_name,email,status,submitted,01_pitch_and_questions,"
                        "02_funding_and_opportunities,autograded,written,late_penalty,score,max_score,answers_to_grade")
    assert lines[1] == "ada,Okafor,Ada,ada@example.edu,graded,yes,18,19.5,24,13.5,0,37.5,40,0"
    assert lines[2] == "bo,Li,Bo,,answers to grade,yes,8,0,8,0,0,8,40,2"
    assert lines[3] == "cy,,,,not graded: the sandbox could not start,yes,0,0,0,0,0,0,40,0"
    assert lines[4] == "zed,,,,no submission,no,0,0,0,0,0,0,40,0"


def test_canvas_csv_gives_numbers_only_for_finished_grades():
    lines = canvas_csv(_grades(), "Networking workbook (123)").split("\r\n")
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,Networking workbook (123)"
    assert lines[1] == "Points Possible,,,,,40"
    assert lines[2] == '"Okafor, Ada",40001,,ada,,37.5'
    assert lines[3] == '"Li, Bo",,,bo,,'  # written answers wait: no number that looks final
    assert lines[4] == "cy,,,cy,,"  # not graded: never a zero
    assert lines[5] == "zed,,,zed,,0"


def test_exports_cannot_run_formulas_or_split_rows_in_a_spreadsheet():
    import csv as csvlib
    import io as iolib

    odd = AssignmentGrades("w", 10.0, ["nb"], [
        StudentGrade("=HYPERLINK(\"x\")", "+1", "-2\rEvil", "@sum", "\t9", True, {"nb": 5}, 5, 0, 0, 5, 0)])
    for text in (grades_csv(odd), canvas_csv(odd, "=cmd|' /C calc'!A0")):
        rows = list(csvlib.reader(iolib.StringIO(text, newline="")))
        assert len({len(row) for row in rows}) == 1  # every row has the same number of cells
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=HYPERLINK" in grades_csv(odd) and "-2\rEvil" in grades_csv(odd)


def test_self_check_never_runs_hidden_tests_even_on_the_instructor_copy(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    for cell in selfcheck.test_cells(SOURCE / NOTEBOOKS[1]):
        assert "HIDDEN" not in cell.source and "812.4" not in cell.source and cell.source.strip()
    ns: dict = {}
    for cell in cells(SOURCE / NOTEBOOKS[1]):  # the instructor's solutions pass the visible tests
        if nbg(cell).get("solution") and cell["cell_type"] == "code":
            exec(cell["source"], ns)
    result = selfcheck.check("gap-rule", folder=SOURCE, namespace=ns)
    assert result.passed and result.checks_total == 1
    wrong = dict(ns, funding_gap=lambda total, awarded, pending: total - awarded - pending)
    assert "Pending money (500) may not come" in selfcheck.check("gap-rule", folder=SOURCE, namespace=wrong).hint


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_released_notebooks_are_read_by_the_self_check(name):
    found = selfcheck.test_cells(RELEASE / name)
    assert [cell.source for cell in found] == _released_test_sources(name)
    assert all("HIDDEN" not in cell.source for cell in found)


def test_every_choice_a_decision_offers_is_shown_in_the_released_notebook():
    sys.path.insert(0, str(ROOT / "tools"))
    from workbook_questions import NOTEBOOKS as DEFINITIONS
    from workbook_questions import Decision

    for definition in DEFINITIONS:
        released = cells(RELEASE / f"{definition.name}.ipynb")
        shown = "\n".join(c["source"] for c in released if c["cell_type"] == "markdown")
        for question in (part for part in definition.parts if isinstance(part, Decision)):
            for scene in question.scenes:
                assert f"**{scene.title}.** {scene.text}" in shown and scene.text.strip(), scene.grade_id
                for letter, text in scene.options or question.shared_options:
                    assert f"- **{letter}**: {text}" in shown, (scene.grade_id, letter)


def test_the_primers_example_introduction_passes_every_check_it_demonstrates():
    namespace: dict = {}
    for cell in cells(ROOT / "notebooks" / "python_primer.ipynb"):
        if cell["cell_type"] == "code" and "my_pitch =" in cell["source"]:
            exec(cell["source"].replace("print(my_pitch)", ""), namespace)
    found = pitch_check(namespace["my_pitch"], namespace["my_audience"])
    assert (found.fits, found.says_who, found.says_why, found.hands_over) == (True, True, True, True), str(found)


@pytest.mark.parametrize(("questions", "form", "open_"), [
    (["1?", "2?", "3?"], False, False),  # a question mark alone asks nothing
    (["???", "...?", "-?"], False, False),
    (["How did you choose cardiology?"] * 3, False, True),  # one question three times
    (["How did you choose cardiology?", "how did you  choose cardiology?", "What do you enjoy most?"], False, True),
    (["How did you choose cardiology?", "What do you enjoy most about clinic?", "Why did you join SOMA?"], True, True),
])
def test_the_question_checks_want_three_different_questions_in_words(questions, form, open_):
    nb_cells = cells(SOURCE / "01_pitch_and_questions.ipynb")
    setup = [c["source"] for c in nb_cells if nbg(c).get("grade_id", "").startswith("setup-")]
    tests = {nbg(c)["grade_id"]: c["source"] for c in nb_cells if is_test(c)}
    namespace = {"my_questions": questions}
    assert selfcheck.run_checks(tests["questions-form"], namespace, setup=setup).passed == form
    assert selfcheck.run_checks(tests["questions-open"], namespace, setup=setup).passed == open_


@pytest.mark.parametrize("ending", ["How?", "What?", "And you?"])
def test_a_one_word_question_after_an_introduction_does_not_hand_over(ending):
    pitch = ("Hi Dr. Ruiz, I'm Ada Okafor, a second-year student at Rowan. I volunteered at a free clinic for three "
             "years, which is where my passion for family medicine began. I came tonight hoping to learn how "
             "physicians here combine clinic work with community projects. ")
    assert pitch_check(pitch + "How did you first get involved in the county's outreach work?").hands_over
    check = pitch_check(pitch + ending)
    assert not check.hands_over and "too short" in str(check)
