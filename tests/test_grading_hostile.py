"""The hostile-submission suite: a class of good and broken/hostile submissions, built at test time from the
real workbook (source/ → a temporary course with nbgrader generate_assignment), graded together by the real
`netcourse-grade` command line; a subset is graded side by side with plain sequential `nbgrader autograde`
and every cell's score must agree.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from grading_builders import (
    ASSIGNMENT,
    CHEATS,
    PICKLE_RAN,
    ROOT,
    cheat_class,
    course_env,
    good_class,
    grade_ids,
    hostile_class,
    make_course,
    nbgrader,
    notebook_names,
    setup_cheat_class,
    submit,
)

from netcourse.grading.compare import cell_scores, differences

pytestmark = pytest.mark.slow
# In the grader's environment, as an instructor's hub token would be: no student's code may see it.
TOKEN = "instructor-token-3f9c2a"

# Graded by both graders (kept small: sequential nbgrader starts two kernels per student).
PARITY = ["s001", "h-deleted-test", "h-edited-test", "h-retyped-test", "h-metadata-removed", "h-input",
          "h-malformed-json"]


@pytest.fixture(scope="module")
def graded():
    # Our own folder rather than pytest's tmp_path: pytest deletes old basetemp folders when other pytest
    # sessions start, which must not happen to a course while it is being graded.
    base = Path(tempfile.mkdtemp(prefix="netcourse-hostile-"))
    base.chmod(0o755)
    yield from _graded(base)
    shutil.rmtree(base, ignore_errors=True)


def _graded(base: Path):
    course = make_course(base / "course")
    good = good_class(course, 3)
    cases = hostile_class(course, dangerous=True)
    cheats = cheat_class(course)
    twin = base / "sequential"
    shutil.copytree(course, twin)
    for folder in (twin / "submitted").iterdir():
        if folder.name not in PARITY:
            shutil.rmtree(folder)
    sequential = subprocess.Popen([str(ROOT / ".venv" / "bin" / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                                  cwd=twin, env=course_env(twin), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), ASSIGNMENT, "--force", "--workers=2",
                           "--cell-timeout=4", "--notebook-timeout=60"],
                          cwd=course, env={**course_env(course), "JUPYTERHUB_API_TOKEN": TOKEN, "DB_PASSWORD": TOKEN},
                          capture_output=True, text=True, timeout=900)
    elapsed = time.monotonic() - started
    sequential.wait(timeout=900)
    summary_path = course / "autograded" / "grading-summary.csv"
    assert summary_path.exists(), f"netcourse-grade wrote no summary:\n{done.stdout}\n{done.stderr[-3000:]}"
    summary = pd.read_csv(summary_path).fillna("").set_index("student")
    yield {"course": course, "twin": twin, "good": good, "cases": cases, "cheats": cheats, "run": done,
           "summary": summary, "elapsed": elapsed}


def outcome(graded, student):
    row = graded["summary"].loc[student]
    return row.status, row.detail


def autograded_cell(graded, student, grade_id, name=None):
    name = name or notebook_names(graded["course"])[0]
    nb = nbformat.read(graded["course"] / "autograded" / student / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def scores(graded, which="course"):
    return cell_scores(f"sqlite:///{graded[which] / 'gradebook.db'}", ASSIGNMENT)


def test_every_student_has_an_outcome_and_the_run_reports_failures(graded):
    run = graded["run"]
    assert run.returncode == 1, run.stdout + run.stderr  # some submissions could not be graded
    assert "Grading summary: " in run.stdout and "failed" in run.stdout
    assert "Peak memory: " in run.stdout and "MB per worker" in run.stdout
    assert "grading:" in run.stderr and "remaining=0" in run.stderr  # the progress bar ran to the end
    students = set(graded["good"]) | set(graded["cases"]) | set(graded["cheats"])
    assert set(graded["summary"].index) == students
    for student, (status, detail) in ((s, outcome(graded, s)) for s in students):
        assert status in ("graded", "graded-with-problems", "failed"), student
        if status != "graded":
            assert detail, f"{student} has no reason"


@pytest.mark.parametrize("student, status, words", [
    ("h-malformed-json", "failed", "is not valid notebook JSON"),
    ("h-empty-file", "failed", "is empty (0 bytes)"),
    ("h-non-utf8", "failed", "is not UTF-8 text"),
    ("h-wrong-name", "failed", "no notebook with the assignment's file name"),
    ("h-unsaved", "graded-with-problems", "unchanged (no answers saved)"),
    ("h-missing-one", "graded-with-problems", "missing, scored 0"),
    ("h-extra-files", "graded-with-problems", "extra files: data.csv, secret.bin"),
    ("h-input", "graded-with-problems", "StdinNotImplementedError"),
    ("h-infinite-loop", "graded-with-problems", "CellTimeoutError"),
    ("h-swallow-timeout", "graded-with-problems", "CellTimeoutError"),
    ("h-memory-bomb", "graded-with-problems", "MemoryError"),
    ("h-crash", "graded-with-problems", "kernel crashed twice"),
    ("h-print-flood", "graded-with-problems", "truncated"),
])
def test_each_broken_submission_gets_a_clear_outcome(graded, student, status, words):
    got_status, detail = outcome(graded, student)
    assert (got_status, words in detail) == (status, True), detail


@pytest.mark.parametrize("student", ["h-duplicated-test", "h-grade-id-altered", "h-retagged-test",
                                     "h-points-altered", "h-deleted-test", "h-edited-test", "h-retyped-test",
                                     "h-metadata-removed"])
def test_tampering_with_grade_cells_never_earns_points(graded, student):
    """Whatever nbgrader makes of a tampered grade cell, the test's points and score are the gradebook's."""
    status, detail = outcome(graded, student)
    assert status in ("graded", "failed")
    book = scores(graded)
    test = grade_ids(graded["course"], notebook_names(graded["course"])[0])[0]
    honest = book[("s000", notebook_names(graded["course"])[0], test)]
    mine = book.get((student, notebook_names(graded["course"])[0], test))
    if status == "failed":
        assert "restore the cell" in detail or "grade_id" in detail, detail
        assert mine is None or mine[0] is None  # nothing recorded for a submission nbgrader could not read
    else:
        assert mine[0] is not None and mine[0] <= honest[0]
        cell = autograded_cell(graded, student, test)
        assert cell.cell_type == "code" and cell.metadata.nbgrader["points"] < 1000
        assert "edited test" not in cell.source


def test_good_students_are_untouched_by_the_hostile_ones(graded):
    book = scores(graded)
    course = graded["course"]
    for name in notebook_names(course):
        for test in grade_ids(course, name):
            assert book[("s000", name, test)][0] > 0, (name, test)  # the full answers pass every test
    assert outcome(graded, "s000") == ("graded", "")


def test_scores_equal_sequential_nbgrader(graded):
    assert differences(scores(graded, "twin"), scores(graded), students=set(PARITY)) == []
    assert any(key[0] == "h-input" for key in scores(graded, "twin"))


def test_unrun_tests_score_zero_after_a_stopped_notebook(graded):
    name = notebook_names(graded["course"])[0]
    book = scores(graded)
    for student in ("h-swallow-timeout", "h-crash"):
        for test in grade_ids(graded["course"], name):
            assert book[(student, name, test)][0] == 0, (student, test)


def test_student_code_cannot_read_private_files(graded):
    if not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() != 0:
        pytest.skip("the filesystem is only sealed when grading as root")
    answer = grade_ids(graded["course"], notebook_names(graded["course"])[0], "answers")[0]
    cell = autograded_cell(graded, "h-read-outside", answer)
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert "LEAK-CHECK" in text
    leaks = eval(text.split("LEAK-CHECK", 1)[1].strip())  # noqa: S307 - a dict repr the test wrote itself
    for path, found in leaks.items():
        assert found in ("FileNotFoundError", "PermissionError", 0), (path, found)
    assert any(found == "FileNotFoundError" and "/source/" in path for path, found in leaks.items())


def test_gradebook_intact_and_no_process_left(graded):
    db = sqlite3.connect(graded["course"] / "gradebook.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    students = {row[0] for row in db.execute("SELECT id FROM student")}
    assert set(graded["good"]) <= students and "h-crash" in students
    db.close()
    left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and 61000 <= p.info["uids"].real < 61010]
    assert left == []


def test_report_and_feedback_after_grading(graded):
    from nbgrader.coursedir import CourseDirectory

    from netcourse.grading.report import write_report

    course = graded["course"]
    coursedir = CourseDirectory(root=str(course))
    coursedir.course_id = "networking-101"
    coursedir.db_url = f"sqlite:///{course / 'gradebook.db'}"
    paths = write_report(coursedir, ASSIGNMENT, course / "reports")
    page = paths["html"].read_text(encoding="utf-8")
    assert "h-malformed-json" in page and "is not valid notebook JSON" in page
    assert "Students needing manual grading" in page and page.count("data:image/png;base64,") == 2
    sheet = pd.read_csv(paths["scores"]).set_index("student")
    assert sheet.loc["s000", "score"] >= sheet.loc["s002", "score"]
    done = nbgrader(course, "generate_feedback", ASSIGNMENT, "--force", "--student=h-infinite-loop")
    assert done.returncode == 0, done.stdout + done.stderr
    html = next((course / "feedback" / "h-infinite-loop" / ASSIGNMENT).glob("*.html")).read_text()
    assert "CellTimeoutError" in html


@pytest.mark.parametrize("student", sorted(CHEATS))
def test_no_cheat_earns_a_single_autograded_point(graded, student):
    """Blank workbooks that tamper with test cells' metadata, hide errors, rebind builtins, hand the tests an
    object equal to anything, patch pandas or the grader, exit, or write the files the grader reads."""
    book = scores(graded)
    mine = {key: value for key, value in book.items() if key[0] == student}
    status, detail = outcome(graded, student)
    assert status in ("graded", "graded-with-problems"), detail  # graded, not dodged as "not graded"
    tests = {(student, name, t) for name in notebook_names(graded["course"]) for t in grade_ids(graded["course"], name)}
    assert tests <= set(mine), "every test cell was scored"
    assert {key: mine[key][0] for key in tests} == {key: 0 for key in tests}


def test_cheats_leave_honest_students_and_the_machine_untouched(graded):
    book = scores(graded)
    for name in notebook_names(graded["course"]):
        for test in grade_ids(graded["course"], name):
            assert book[("s000", name, test)][0] > 0
    assert not Path("/tmp/answers-for-a-friend.txt").exists() or os.geteuid() != 0  # each student's /tmp is private
    cell = autograded_cell(graded, "c-memory-scan", grade_ids(graded["course"], notebook_names(graded["course"])[0],
                                                              "answers")[0])
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert "SECRETS-IN-MEMORY 0" in text  # no test, hidden or not, is in the student's process


def test_the_graders_environment_stays_out_of_students_reach(graded):
    from netcourse.grading.limits import KEPT_ENVIRONMENT

    name = notebook_names(graded["course"])[0]
    cell = autograded_cell(graded, "c-read-environment", grade_ids(graded["course"], name, "answers")[0])
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert "ENV-KEYS" in text and TOKEN not in text, text
    seen = set(text.split("ENV-KEYS ")[1].split()[0].split(","))
    own = {"HOME", "IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_RUNTIME_DIR", "TMPDIR"}  # the sandbox's own folders
    assert seen <= KEPT_ENVIRONMENT | own, seen - KEPT_ENVIRONMENT - own


def test_a_pickle_written_into_inherited_pipes_never_runs_in_the_grader(graded):
    """The student's process is forked from a worker that holds its ends of the pool's queues; before any student
    code runs, every inherited descriptor but its own pipe points at /dev/null."""
    assert not Path(PICKLE_RAN).exists(), Path(PICKLE_RAN).read_text()
    name = notebook_names(graded["course"])[0]
    cell = autograded_cell(graded, "c-pickle-into-pool", grade_ids(graded["course"], name, "answers")[0])
    assert "PIPES-WRITTEN 0" in "".join(o.get("text", "") for o in cell.outputs), cell.outputs


# ----------------------------------------------------------------------------- the setup cell, odd files, huge numbers
UNREDUCED = ("import secrets\nfrom fractions import Fraction\nbits = 8_000_000\n"
             "etiquette_a = Fraction(secrets.randbits(bits) | 1, secrets.randbits(bits) | 1, _normalize=False)")


FILL = ("chunk, written = b'x' * (32 * 1024 * 1024), 0\ntry:\n"
        "    for n in range(64):  # 2 GB, 32 MB a file (each under RLIMIT_FSIZE)\n"
        "        open(f'fill-{n}.bin', 'wb').write(chunk)\n        written += 32\n"
        "finally:\n    print('WROTE MB', written)")
SCRATCH_MB = 256  # the tampered class's tmpfs (--scratch-mb): the fill must stop below it


@pytest.fixture(scope="module")
def tampered():
    """A small class of its own: the setup-cell cheats, notebooks that are links or a FIFO, an unreduced Fraction
    of two 8-million-bit integers (the judge would reduce it: math.gcd, ~50 s in C, past any alarm), one honest."""
    base = Path(tempfile.mkdtemp(prefix="netcourse-tampered-"))
    base.chmod(0o755)
    course = make_course(base / "course")
    good_class(course, 1)
    cheats = setup_cheat_class(course)
    names = notebook_names(course)
    links = submit(course, "l-notebook-link", {})
    for name in names:
        os.symlink(course / "source" / ASSIGNMENT / f"{name}.ipynb", links / f"{name}.ipynb")
    (course / "submitted" / "l-folder-link").mkdir()
    os.symlink(course / "submitted" / "s000" / ASSIGNMENT, course / "submitted" / "l-folder-link" / ASSIGNMENT)
    fifo = submit(course, "l-fifo", {f"{n}.ipynb": nbformat.read(course / "release" / ASSIGNMENT / f"{n}.ipynb", 4)
                                     for n in names[1:]})
    os.mkfifo(fifo / f"{names[0]}.ipynb")
    # nbgrader cannot parse a path with a line break: it stopped there, every later student "not graded"
    submit(course, "l-new\nline", {f"{n}.ipynb": nbformat.read(course / "release" / ASSIGNMENT / f"{n}.ipynb", 4)
                                    for n in names})
    for student, code in (("n-unreduced-fraction", UNREDUCED), ("d-disk-fill", FILL)):
        nb = nbformat.read(course / "release" / ASSIGNMENT / f"{names[0]}.ipynb", as_version=4)
        next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "etiquette-answer").source = code
        submit(course, student, {f"{names[0]}.ipynb": nb})
    started = time.monotonic()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), ASSIGNMENT, "--force", "--workers=2",
                           "--no-progress", "--cell-timeout=4", "--notebook-timeout=60", f"--scratch-mb={SCRATCH_MB}"],
                          cwd=course, env=course_env(course), capture_output=True, text=True, timeout=600)
    summary = pd.read_csv(course / "autograded" / "grading-summary.csv").fillna("").set_index("student")
    yield {"course": course, "cheats": cheats, "run": done, "summary": summary,
           "elapsed": time.monotonic() - started}
    shutil.rmtree(base, ignore_errors=True)


def test_without_the_setup_cell_the_students_own_helpers_decide_nothing(tampered):
    book = scores(tampered)
    for student in tampered["cheats"]:
        mine = {key[2]: value[0] for key, value in book.items() if key[0] == student}
        tests = {t for name in notebook_names(tampered["course"]) for t in grade_ids(tampered["course"], name)}
        assert tests <= set(mine), student
        assert {t: mine[t] for t in tests} == {t: 0 for t in tests}, student
    assert all(value[0] for key, value in book.items() if key[0] == "s000" and not value[1])


def test_links_and_fifos_in_a_submission_fail_it_unopened_and_unscored(tampered):
    book = scores(tampered)
    for student in ("l-notebook-link", "l-folder-link", "l-fifo"):
        row = tampered["summary"].loc[student]
        assert row.status == "failed" and "a link or a special file" in row.detail, student
        assert not any(value[0] for key, value in book.items() if key[0] == student), student
    row = tampered["summary"].loc["l-new\nline"]
    assert row.status == "failed" and "line break" in row.detail
    assert tampered["summary"].loc["s000"].status == "graded"  # after it in nbgrader's order, graded all the same


def test_a_huge_unreduced_fraction_cannot_stall_the_judge(tampered):
    assert tampered["summary"].loc["n-unreduced-fraction"].status != "failed"
    cell = autograded_cell(tampered, "n-unreduced-fraction", "etiquette-a")
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    # refused as too large, not a TimeoutError after the judge spent ~50 s in math.gcd past its 6 s alarm
    assert "too large" in error.evalue, error.evalue
    assert tampered["elapsed"] < 240, tampered["run"].stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="the bounded scratch folder needs root, as the sandbox does")
def test_a_notebook_cannot_fill_the_grading_machines_disk(tampered):
    cell = autograded_cell(tampered, "d-disk-fill", "etiquette-answer")
    assert any("No space left on device" in o.get("evalue", "") for o in cell.outputs), cell.outputs
    printed = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    written = int(printed.split("WROTE MB")[1].split()[0])
    assert 0 < written < SCRATCH_MB, printed  # stopped by the configured tmpfs (--scratch-mb), not the default
