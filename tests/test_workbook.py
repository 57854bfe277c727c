"""The autograded workbook: its structure, the student release, the self-check and the helpers.

Fast tests only (no kernel, no nbgrader run); tests/test_workbook_grading.py runs nbgrader itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netcourse import selfcheck
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


def test_grade_ids_are_unique_slugs_and_points_add_up():
    ids, auto, manual = [], 0.0, 0.0
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            meta = nbg(cell)
            if not meta:
                continue
            ids.append(meta["grade_id"])
            assert SLUG.match(meta["grade_id"]), meta["grade_id"]
            if is_test(cell):
                auto += meta["points"]
            elif meta.get("grade") and meta.get("solution"):
                assert cell["cell_type"] == "markdown", f"{meta['grade_id']}: written answers are markdown"
                manual += meta["points"]
    assert len(ids) == len(set(ids)), "grade_ids must be unique across the workbook"
    assert (auto, manual) == (24, 16)


def test_each_exercise_has_a_docstring_teaching_messages_hidden_tests_and_a_check_cell():
    for name in NOTEBOOKS:
        nb_cells = cells(SOURCE / name)
        tests = [cell for cell in nb_cells if is_test(cell)]
        assert tests
        for cell in tests:
            grade_id, source = nbg(cell)["grade_id"], cell["source"]
            assert source.startswith('"""') and source.index('"""', 3) > 20, f"{grade_id}: docstring first"
            visible = source.split("### BEGIN HIDDEN TESTS")[0]
            asserts = [line for line in visible.splitlines() if line.startswith("assert ")]
            assert len(asserts) >= 4, grade_id
            teaching = [line for line in asserts if re.search(r', "[^"]{25,}"\s*$', line)]
            assert teaching == asserts, f"{grade_id}: every visible assert has a message that teaches"
            assert len(region_lines(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")) >= 3, grade_id
            assert any(c["source"] == f'check("{grade_id}")' for c in nb_cells), f"{grade_id}: no self-check cell"
        for cell in nb_cells:
            if nbg(cell).get("solution") and cell["cell_type"] == "code":
                assert "### BEGIN SOLUTION" in cell["source"] and "### END SOLUTION" in cell["source"]


def test_each_written_answer_follows_a_locked_prompt_with_a_marking_guide():
    for name in NOTEBOOKS:
        nb_cells = cells(SOURCE / name)
        for index, cell in enumerate(nb_cells):
            meta = nbg(cell)
            if meta.get("grade") and meta.get("solution"):
                prompt = nb_cells[index - 1]
                assert nbg(prompt).get("locked") and nbg(prompt)["grade_id"] == f"{meta['grade_id']}-prompt"
                assert "=== BEGIN MARK SCHEME ===" in prompt["source"] and "=== END MARK SCHEME ===" in prompt["source"]
                assert f"({int(meta['points'])} points)" in prompt["source"]


def test_workbook_uses_pandas_and_course_content_not_netcourse_shortcuts():
    for name in NOTEBOOKS:
        text = "\n".join(cell["source"] for cell in cells(SOURCE / name))
        assert "import pandas as pd" in text and "load_content()" in text
        for shortcut in ("netcourse.pitch", "netcourse.funding", "netcourse.opportunities", "netcourse.netlog"):
            assert shortcut not in text, f"{name} should not hand the answer to a netcourse function ({shortcut})"


def test_widget_cells_if_any_are_skipped_while_grading():
    for name in NOTEBOOKS:
        for cell in cells(SOURCE / name):
            if "netcourse.widgets" in cell["source"]:
                assert "NBGRADER_EXECUTION" in cell["source"], "widget cells must not run during grading"
                assert not nbg(cell), "a widget cell is never a graded cell"


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
    secrets = [line for line in secrets if line not in public]  # e.g. `except ValueError:` is in visible tests too
    assert len(secrets) > 60
    leaked = [line for line in secrets if json.dumps(line)[1:-1] in released_text or line in released]
    assert leaked == []
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in released
    # control: visible tests are there, so the search above can find text that is present
    visible = next(c for c in cells(SOURCE / NOTEBOOKS[0]) if is_test(c))["source"].splitlines()[3]
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
    ns: dict = {}
    exec("import pandas as pd", ns)
    result = selfcheck.check("speaking-time", folder=RELEASE, namespace=ns)
    assert not result.passed and "add_speaking_time" in result.hint and "not defined" in result.hint
    unknown = selfcheck.check("no-such-question", folder=RELEASE, namespace=ns)
    assert "speaking-time" in unknown.hint and "followups-due" in unknown.hint
    nowhere = selfcheck.check("speaking-time", folder=ROOT / "tests", namespace=ns)
    assert "No workbook notebook" in nowhere.hint


def test_check_and_score_do_nothing_while_nbgrader_runs(monkeypatch, work_dir):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert selfcheck.check("speaking-time", folder=RELEASE, namespace={}).skipped
    report = selfcheck.score("01_pitch_and_questions", folder=RELEASE, namespace={})
    assert not report.results and "skipped" in report.note
    assert not work_dir.exists()


def _released_test_sources(name: str) -> list[str]:
    return [cell["source"] for cell in cells(RELEASE / name) if is_test(cell)]


def test_score_counts_points_writes_a_summary_and_merges_notebooks(monkeypatch, work_dir):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    ns: dict = {}
    exec("import pandas as pd", ns)
    first = selfcheck.score("01_pitch_and_questions", folder=RELEASE, namespace=ns)
    assert (first.earned, first.possible) == (0, 8) and len(first.results) == 3
    summary = (work_dir / selfcheck.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "01_pitch_and_questions: 0 / 8" in summary and "02_" not in summary
    second = selfcheck.score("02_funding_and_opportunities.ipynb", folder=RELEASE, namespace=ns)
    assert second.possible == 16
    summary = (work_dir / selfcheck.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "02_funding_and_opportunities: 0 / 16" in summary and "0 / 24" in summary
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
    for cell in selfcheck.test_cells(SOURCE / NOTEBOOKS[0]):
        assert "HIDDEN" not in cell.source and "_cues2" not in cell.source and cell.source.strip()
    ns: dict = {}
    exec("import pandas as pd", ns)
    for cell in cells(SOURCE / NOTEBOOKS[0]):  # the instructor's solutions pass the visible tests
        skip = ("check(", "netcourse.widgets")
        if cell["cell_type"] == "code" and not is_test(cell) and not any(word in cell["source"] for word in skip):
            exec(cell["source"], ns)
    result = selfcheck.check("intro-parts", folder=SOURCE, namespace=ns)
    assert result.passed and result.checks_total == 5


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_released_notebooks_are_read_by_the_self_check(name):
    found = selfcheck.test_cells(RELEASE / name)
    assert [cell.source for cell in found] == _released_test_sources(name)
    assert all("HIDDEN" not in cell.source for cell in found)
