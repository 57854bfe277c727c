"""The workbook through nbgrader's real command line, in a temporary course folder.

One module-scoped course is built the way an instructor works: copy ``source/``, ``make release``
(which must reproduce the committed ``release/`` byte for byte), put the sample class from
``tests/fixtures/sample_class/class.json`` into ``submitted/``, ``make grade``, ``make feedback``,
``make export``. The Makefile targets run with ``NETCOURSE_COURSE_ROOT`` pointing at the
temporary course, so whatever implements ``make grade`` is what gets tested.

The sample submissions are built here from the released notebooks, so they never go stale:
'solution' copies the instructor's answer from ``source/``, 'blank' keeps the stub, and
``{"code": ...}`` / ``{"text": ...}`` is what that student wrote.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from netcourse import selfcheck
from netcourse.course import WORKBOOK
from netcourse.selfcheck import strip_region

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CLASS = json.loads((ROOT / "tests" / "fixtures" / "sample_class" / "class.json").read_text(encoding="utf-8"))
NOTEBOOKS = ("01_pitch_and_questions", "02_funding_and_opportunities")
BIN = Path(sys.executable).parent
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SCHEME = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
# `make grade` is what instructors run; NETCOURSE_TEST_GRADE_TARGET=grade-sequential checks plain nbgrader.
GRADE_TARGET = os.environ.get("NETCOURSE_TEST_GRADE_TARGET", "grade")


def nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test(cell) -> bool:
    return cell["cell_type"] == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


def make(target: str, course: Path) -> subprocess.CompletedProcess:
    """Run a Makefile target on the temporary course (without reinstalling the project)."""
    env = dict(os.environ, NETCOURSE_COURSE_ROOT=str(course), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    env.pop("NBGRADER_EXECUTION", None)
    result = subprocess.run(["make", "-o", ".venv/.installed-stamp", target], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"make {target} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result


# ------------------------------------------------------------------------------------------------ sample class


def solution_text(source_cell) -> str:
    """The instructor's answer as a student would type it: the solution region without its markers."""
    lines = source_cell.source.split("\n")
    return "\n".join(line for line in lines if SOLUTION[0] not in line and SOLUTION[1] not in line)


def answers_of(student: str) -> dict:
    info = CLASS["students"][student]
    return CLASS["students"][info["same_answers_as"]]["answers"] if "same_answers_as" in info else info["answers"]


def build_submission(student: str, name: str, release: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(release / f"{name}.ipynb", as_version=4)
    source = {nbg(c)["grade_id"]: c for c in nbformat.read(ROOT / "source" / WORKBOOK / f"{name}.ipynb", 4).cells
              if nbg(c)}
    answers = answers_of(student)
    for cell in nb.cells:
        meta = nbg(cell)
        if not meta.get("solution"):
            continue
        answer = answers.get(meta["grade_id"], answers["*"])
        if answer == "solution" and cell.cell_type == "code":
            cell.source = solution_text(source[meta["grade_id"]])
        elif isinstance(answer, dict):
            cell.source = answer.get("code", answer.get("text"))
    for change in CLASS["students"][student].get("tamper", []):
        index = next((i for i, c in enumerate(nb.cells) if nbg(c).get("grade_id") == change["cell"]), None)
        if index is None:
            continue  # the cell is in the other notebook
        cell = nb.cells[index]
        if change["action"] == "delete":
            del nb.cells[index]
        elif change["action"] == "edit":
            cell.source = change["source"]
        elif change["action"] == "retype":
            nb.cells[index] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata, id=cell.id)
        elif change["action"] == "points":
            cell.metadata.nbgrader["points"] = change["points"]
        elif change["action"] == "unmark":
            cell.metadata.nbgrader.update(grade=False, solution=True, locked=False)
            cell.source = change["source"]
    return nb


def tampered_as_intended(student: str, release: Path, nbs: dict[str, nbformat.NotebookNode]) -> None:
    """Guard for the tampering test: each change really is in the submitted file."""
    for change in CLASS["students"][student].get("tamper", []):
        where = [c for nb in nbs.values() for c in nb.cells if nbg(c).get("grade_id") == change["cell"]]
        if change["action"] == "delete":
            assert where == []
        elif change["action"] == "retype":
            assert where[0].cell_type == "markdown"
        elif change["action"] == "points":
            assert where[0].metadata.nbgrader["points"] == change["points"]
        else:
            assert where[0].source == change["source"]


# ------------------------------------------------------------------------------------------------ the course


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded temporary course: release, sample class, grades, feedback and export."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    make("release", course)
    release = course / "release" / WORKBOOK
    submitted = {}
    for student in CLASS["students"]:
        folder = course / "submitted" / student / WORKBOOK
        folder.mkdir(parents=True)
        nbs = {name: build_submission(student, name, release) for name in NOTEBOOKS}
        tampered_as_intended(student, release, nbs)
        for name, nb in nbs.items():
            nbformat.write(nb, folder / f"{name}.ipynb")
        submitted[student] = nbs
    make(GRADE_TARGET, course)
    return {"root": course, "release": release, "submitted": submitted}


def gradebook(course_root: Path):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{course_root / 'gradebook.db'}")


def test_release_regenerates_exactly_the_committed_release(course):
    committed = ROOT / "release" / WORKBOOK
    fresh = course["release"]
    assert sorted(p.name for p in fresh.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in committed.iterdir():
        assert (fresh / path.name).read_bytes() == path.read_bytes(), (
            f"release/{WORKBOOK}/{path.name} is stale: run `make release` and commit it")


def test_sample_class_gets_exactly_the_expected_scores(course):
    with gradebook(course["root"]) as gb:
        for student, info in CLASS["students"].items():
            expected = info["expected"]
            submission = gb.find_submission(WORKBOOK, student)
            by_notebook = {nb.name: nb.score for nb in submission.notebooks}
            waiting = sum(1 for nb in submission.notebooks for grade in nb.grades if grade.needs_manual_grade)
            got = {**by_notebook, "total": submission.score, "answers_to_grade": waiting}
            assert got == expected, student
            assert submission.max_score == 40


def test_tampering_with_grade_cells_never_raises_a_score(course):
    """dee has cy's answers, then deletes, edits, retypes, re-points and unmarks grade cells."""
    actions = {change["action"] for change in CLASS["students"]["dee"]["tamper"]}
    assert actions == {"delete", "edit", "retype", "points", "unmark"}
    with gradebook(course["root"]) as gb:
        honest = gb.find_submission(WORKBOOK, "cy")
        tampered = gb.find_submission(WORKBOOK, "dee")
        assert tampered.score <= honest.score
        for name in NOTEBOOKS:
            for grade_id in ("etiquette-b", "level-a", "pitch-fit", "gap-rule", "questions-open"):
                try:
                    grade = gb.find_grade(grade_id, name, WORKBOOK, "dee")
                except Exception:  # noqa: BLE001 - the cell lives in the other notebook
                    continue
                assert grade.score == gb.find_grade(grade_id, name, WORKBOOK, "cy").score, grade_id
                assert grade.max_score == 1, grade_id  # points come from the gradebook, not the file


def test_source_validates_and_every_released_test_fails_on_blank_stubs(course):
    from nbgrader.validator import Validator

    for name in NOTEBOOKS:
        assert Validator().validate(str(course["root"] / "source" / WORKBOOK / f"{name}.ipynb")) == {}
        # no autograded test passes on the stubs (ben's blank copy below shows each of them ran and failed)
        assert Validator(invert=True).validate(str(course["release"] / f"{name}.ipynb")) == {}


def _text_of_html(page: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return re.sub(r"\s+", " ", text)


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip())


def _region_lines(source: str, begin: str, end: str) -> list[str]:
    lines = source.split("\n")
    removed = strip_region(source, begin, end)[1]
    return [_norm(lines[n - 1]) for n in sorted(removed)
            if len(lines[n - 1].strip()) > 12 and begin not in lines[n - 1] and end not in lines[n - 1]]


def test_feedback_never_shows_hidden_tests_marking_guides_or_unwritten_solutions(course):
    make("feedback", course["root"])
    pages = {}
    for student in CLASS["students"]:
        for name in NOTEBOOKS:
            path = course["root"] / "feedback" / student / WORKBOOK / f"{name}.html"
            pages[(student, name)] = _text_of_html(path.read_text(encoding="utf-8"))
    hidden, schemes, solutions, visible = [], [], {}, []
    source_cells = [cell for name in NOTEBOOKS
                    for cell in nbformat.read(ROOT / "source" / WORKBOOK / f"{name}.ipynb", 4).cells]
    publics = []
    for cell in source_cells:
        public = cell.source
        for region in (SOLUTION, HIDDEN, SCHEME):
            public = strip_region(public, *region)[0]
        publics.append(public)
    # a line that also appears outside every secret region (e.g. `], columns=[...])`) is no secret
    public_lines = {_norm(line) for public in publics for line in public.split("\n")}
    for cell, public in zip(source_cells, publics, strict=True):
        hidden += [line for line in _region_lines(cell.source, *HIDDEN) if line not in public_lines]
        schemes += _region_lines(cell.source, *SCHEME)
        if nbg(cell).get("solution") and cell.cell_type == "code":
            solutions[nbg(cell)["grade_id"]] = [line for line in _region_lines(cell.source, *SOLUTION)
                                                if line not in public_lines]
        if is_test(cell):
            visible.append(_norm(next(line for line in public.split("\n") if line.startswith("assert "))))
    assert len(hidden) > 20 and len(schemes) > 15
    for (student, name), text in pages.items():
        assert [line for line in hidden if line in text] == [], (student, name)
        assert [line for line in schemes if line in text] == [], (student, name)
        assert "MARK SCHEME" not in text and "HIDDEN TESTS" not in text
    # nobody sees a solution they did not write themselves (ben wrote nothing; cy some)
    for student in ("ben", "cy", "dee"):
        answers = answers_of(student)
        own = {_norm(line) for answer in answers.values() if isinstance(answer, dict)
               for line in answer.get("code", answer.get("text", "")).split("\n")}  # a right answer of their own
        for grade_id, lines in solutions.items():
            if answers.get(grade_id, answers["*"]) != "solution":
                for name in NOTEBOOKS:
                    shown = [line for line in lines if line in pages[(student, name)] and line not in own]
                    assert shown == [], (student, grade_id)
    # controls: the same search finds what feedback should show
    assert all(any(line in pages[("ben", name)] for name in NOTEBOOKS) for line in visible)
    assert any(solutions["gap-answer"][0] in pages[("ada", name)] for name in NOTEBOOKS)
    assert "Hidden test failed" in pages[("cy", "01_pitch_and_questions")]  # cy chose some wrong letters
    assert "Hidden test failed" in pages[("cy", "02_funding_and_opportunities")]  # and hard-coded funding_gap


def test_export_writes_grades_and_a_canvas_import_file(course):
    with gradebook(course["root"]) as gb:
        for student, info in CLASS["students"].items():
            gb.update_or_create_student(student, first_name=info["first_name"], last_name=info["last_name"],
                                        email=info["email"], lms_user_id=info["lms_user_id"] or None)
        # a grader marks ada's four written answers in the formgrader: 4 + 1 + 3 + 2 = 10 of 12
        marks = {("01_pitch_and_questions", "my-pitch"): 4, ("01_pitch_and_questions", "my-questions"): 1,
                 ("02_funding_and_opportunities", "funding-request"): 3,
                 ("02_funding_and_opportunities", "plan-reflection"): 2}
        for (name, grade_id), points in marks.items():
            grade = gb.find_grade(grade_id, name, WORKBOOK, "ada")
            grade.manual_score, grade.needs_manual_grade = points, False  # what the formgrader saves
        gb.db.commit()
    make("export", course["root"])
    grades = (course["root"] / "exports" / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert grades[0].startswith("student_id,last_name,first_name,email,status,submitted,01_pitch_and_questions")
    rows = {line.split(",")[0]: line for line in grades[1:]}
    # notebooks 21 and 17; autograded 28 and written 10 (the written code cells count as written, not autograded)
    assert rows["ada"] == "ada,Okafor,Ada,ada@example.edu,graded,yes,21,17,28,10,0,38,40,0"
    assert rows["ben"] == "ben,Adams,Ben,ben@example.edu,graded,yes,0,0,0,0,0,0,40,0"
    assert rows["cy"] == "cy,Lund,Cy,cy@example.edu,answers to grade,yes,7,6,13,0,0,13,40,2"
    canvas = (course["root"] / "exports" / "canvas-grades.csv").read_text(encoding="utf-8").splitlines()
    assert canvas[:3] == ["Student,ID,SIS User ID,SIS Login ID,Section,Networking workbook",
                          "Points Possible,,,,,40", '"Okafor, Ada",40001,,ada,,38']
    assert '"Adams, Ben",,,ben,,0' in canvas and len(canvas) == 2 + len(CLASS["students"])


# ------------------------------------------------------------------------------------------------ self-check


def _selfcheck_failures(nb: nbformat.NotebookNode, folder: Path) -> set[str]:
    """Run the learner's cells in order (as Run All would) and self-check each question where its tests sit."""
    namespace: dict = {}
    failed = set()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if is_test(cell):
                question = nbg(cell)["grade_id"]
                if not selfcheck.check(question, namespace=namespace).passed:
                    failed.add(question)
                continue
            try:
                exec(compile(cell.source, "<cell>", "exec"), namespace)
            except Exception:  # noqa: BLE001 - a learner's broken cell is part of the sample
                pass
    finally:
        os.chdir(cwd)
    return failed


def test_self_check_agrees_with_nbgrader_visible_tests(course, tmp_path, monkeypatch):
    from nbgrader.validator import Validator

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("NETCOURSE_WORK_DIR", str(tmp_path / "work"))
    seen_pass = seen_fail = 0
    for student in ("ada", "ben", "cy"):
        folder = tmp_path / student
        folder.mkdir()
        for name, nb in course["submitted"][student].items():
            path = folder / f"{name}.ipynb"
            nbformat.write(nb, path)
            tests = {c.source.strip(): nbg(c)["grade_id"] for c in nb.cells if is_test(c)}
            failed = Validator().validate(str(path)).get("failed", [])
            nbgrader_failed = {tests[f["source"]] for f in failed if f["source"] in tests}  # not written answers
            assert _selfcheck_failures(nb, folder) == nbgrader_failed, (student, name)
            if student == "ben":  # the released stubs: every visible test runs and fails
                assert nbgrader_failed == set(tests.values())
            seen_fail += len(nbgrader_failed)
            seen_pass += len(tests) - len(nbgrader_failed)
    assert seen_pass >= 10 and seen_fail >= 10  # both outcomes were compared


def test_self_check_runs_in_a_real_kernel_with_nothing_but_the_environment(course, tmp_path, monkeypatch):
    """What a Binder learner does: open the released notebook, answer, run all; check() and score() report."""
    from nbclient import NotebookClient

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("NETCOURSE_WORK_DIR", str(tmp_path / "work"))
    nb = copy.deepcopy(course["submitted"]["ada"]["01_pitch_and_questions"])
    nbformat.write(nb, tmp_path / "01_pitch_and_questions.ipynb")  # check() reads the tests from the file
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()

    def shown(source: str) -> str:
        cell = next(c for c in nb.cells if c.source == source)
        return " ".join(str(out.get("data", {}).get("text/plain", out.get("text", ""))) for out in cell.outputs)

    for source in (c.source for c in nb.cells if c.source.startswith("check(")):
        own_work = any(name in source for name in ('"pitch-', '"questions-'))
        expected = "visible checks passed" if own_work else "right form"
        assert shown(source).count(expected) == source.count('"') // 2, source
    assert "6 of 6 points on the visible tests; 10 of 10 choices answered" in shown('score("01_pitch_and_questions")')
    summary = (tmp_path / "work" / selfcheck.SUMMARY_FILE).read_text(encoding="utf-8")
    assert "01_pitch_and_questions: 6 / 6" in summary


def test_self_check_and_widgets_do_nothing_while_grading(course):
    """`make grade` must run notebooks with NBGRADER_EXECUTION set, as nbgrader does: no self-check, no widget."""
    for student in CLASS["students"]:
        for name in NOTEBOOKS:
            nb = nbformat.read(course["root"] / "autograded" / student / WORKBOOK / f"{name}.ipynb", 4)
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                shown = " ".join(str(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in cell.outputs)
                if cell.source.startswith(("check(", "score(")):
                    assert "skipped" in shown, (student, name, cell.source)
                if "netcourse.widgets" in cell.source:
                    assert not cell.outputs, (student, name)
