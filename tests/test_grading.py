"""Unit tests of the parallel grader's parts: discovery, messages, outcomes, report, and the sandboxed executor.

The executor tests run cells in a real spawned worker (as `netcourse-grade` does) with small limits, so an
endless loop, a memory bomb, a crash or a flood costs a second or two each.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from netcourse.grading.discovery import imported_modules, inspect_folder
from netcourse.grading.messages import explain
from netcourse.grading.outcomes import FAILED, GRADED, PROBLEMS, Outcome, format_summary, save_summary
from netcourse.grading.report import ClassData, objective_table, question_table, render, score_sheet
from netcourse.grading.shell import OutputSink
from netcourse.workbook import Objective, Objectives

# Per-cell limits of a few seconds: tests share 2 cores with other graders, so nothing depends on less than 2 s.
FAST = {"cell_timeout": 3.0, "notebook_timeout": 40.0, "cpu_seconds": 20, "memory_mb": 512,
        "max_output_chars": 2000, "kill_grace": 2.0}


# ----------------------------------------------------------------------------- discovery and messages
def test_imported_modules_reads_imports_and_skips_magics():
    code = "%matplotlib inline\nimport pandas as pd, numpy\nfrom netcourse.content import load_content\nfrom . import x"
    assert imported_modules(code) == {"pandas", "numpy", "netcourse.content"}
    assert imported_modules("def broken(:") == set()


def test_inspect_folder_names_wrong_missing_extra_and_unsaved_files(tmp_path):
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(root=str(tmp_path))
    released = tmp_path / "release" / "hw"
    released.mkdir(parents=True)
    blank = nbformat.writes(nbformat.v4.new_notebook())
    (released / "one.ipynb").write_text(blank)
    folder = tmp_path / "submitted" / "ann" / "hw"
    folder.mkdir(parents=True)
    (folder / "one.ipynb").write_text(blank)  # unchanged release
    (folder / "Two (1).ipynb").write_text(blank)
    (folder / "data.csv").write_text("a\n1\n")
    sub = inspect_folder(folder, "ann", "hw", ["one", "two"], coursedir)
    assert sub.notebooks == ["one"] and not sub.failure
    text = " | ".join(sub.notes)
    assert "two.ipynb missing, scored 0 (found Two (1).ipynb: wrong file name?)" in text
    assert "one.ipynb is the released notebook, unchanged" in text
    assert "extra files: data.csv" in text

    (folder / "one.ipynb").rename(folder / "ONE.ipynb")
    sub = inspect_folder(folder, "ann", "hw", ["one", "two"], coursedir)
    assert sub.failure.startswith("no notebook with the assignment's file name (one.ipynb, two.ipynb)")


@pytest.mark.parametrize("damage", ["notebook-link", "folder-link", "student-link", "fifo", "timestamp-fifo"])
def test_links_and_special_files_are_refused_before_anything_opens_them(tmp_path, damage):
    """As root the grader would follow a notebook linked to source/ (graded as the student's work: full marks) or
    to a classmate's, and a named pipe would hang whoever opens it: such a submission fails, unopened."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(root=str(tmp_path))
    solution = tmp_path / "source" / "hw"
    solution.mkdir(parents=True)
    (solution / "one.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    classmate = tmp_path / "submitted" / "bob" / "hw"
    classmate.mkdir(parents=True)
    (classmate / "one.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    folder = tmp_path / "submitted" / "ann" / "hw"
    if damage == "student-link":
        (tmp_path / "submitted" / "ann").symlink_to(classmate.parent)
    elif damage == "folder-link":
        folder.parent.mkdir(parents=True)
        folder.symlink_to(classmate)
    else:
        folder.mkdir(parents=True)
        (folder / "one.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
        if damage == "notebook-link":
            (folder / "one.ipynb").unlink()
            (folder / "one.ipynb").symlink_to(solution / "one.ipynb")
        elif damage == "fifo":
            (folder / "one.ipynb").unlink()
            os.mkfifo(folder / "one.ipynb")
        else:
            os.mkfifo(folder / "timestamp.txt")
    sub = inspect_folder(folder, "ann", "hw", ["one"], coursedir)
    assert sub.unsafe and not sub.notebooks and "a link or a special file" in sub.failure
    assert inspect_folder(classmate, "bob", "hw", ["one"], coursedir).notebooks == ["one"]
    assert "line break" in inspect_folder(classmate, "bob\nby", "hw", ["one"], coursedir).failure


def test_explain_gives_one_readable_sentence_per_kind_of_damage(tmp_path):
    bad = tmp_path / "nb.ipynb"
    for content, expected in [(b"", "is empty (0 bytes)"), (b'{"cells": [', "is not valid notebook JSON"),
                              (b'{"a": "\xff"}', "is not UTF-8 text (byte 0xff")]:
        bad.write_bytes(content)
        with pytest.raises(Exception) as caught:
            nbformat.read(str(bad), as_version=4)
        assert expected in explain(caught.value, "nb.ipynb")
    assert "grade_id was changed" in explain(KeyError("grade_id"), "nb.ipynb")
    assert "locked cell 'q1'" in explain(RuntimeError("Inconsistent checksums for cell q1"), "nb.ipynb")


# ----------------------------------------------------------------------------- outcomes and output caps
def test_summary_counts_orders_and_saves(tmp_path):
    outcomes = [Outcome("bo", GRADED, final=True), Outcome("al", FAILED, ["x.ipynb is empty"], final=True),
                Outcome("cy", PROBLEMS, problems=["CellTimeoutError in cell 3"], final=True)]
    text = format_summary(outcomes, elapsed=12.0, workers=3)
    assert text.splitlines()[0] == ("Grading summary: 3 students: 1 graded, 1 graded-with-problems, 1 failed "
                                    "in 12.0 s with 3 workers")
    assert "al" in text.splitlines()[2] and "x.ipynb is empty" in text  # failures first, graded not listed
    assert "bo" not in text
    csv_path, json_path = save_summary(outcomes, tmp_path)
    assert pd.read_csv(csv_path).status.tolist() == [GRADED, PROBLEMS, FAILED]
    assert {row["student"] for row in json.loads(json_path.read_text())} == {"al", "bo", "cy"}


def test_output_sink_caps_text_and_says_so():
    sink = OutputSink(10)
    sink.stream("stdout", "abcdef")
    sink.stream("stdout", "ghijklmnop")
    sink.stream("stderr", "more")
    outputs = sink.finish()
    assert outputs[0] == {"output_type": "stream", "name": "stdout", "text": "abcdefghij"}
    assert "10 characters more than the limit of 10" in outputs[-1]["text"]


# ----------------------------------------------------------------------------- report
def _class_data() -> ClassData:
    rows = []
    for student, points in [("<b>ann</b>", (3, 0, 5)), ("bob", (3, 3, 0)), ("cy", (0, 3, 2))]:
        for (question, kind, top), value in zip([("q1", "test", 3), ("q2", "test", 3), ("essay", "manual", 5)],
                                                points, strict=True):
            rows.append({"student": student, "notebook": "nb", "question": question, "kind": kind,
                         "points": float(value), "max_points": float(top), "needs_manual_grade": kind == "manual"})
    scores = pd.DataFrame(rows)
    totals = scores.groupby("student", as_index=False).agg(score=("points", "sum"), max_score=("max_points", "sum"))
    totals["needs_manual_grade"] = totals.student.isin(["cy", "<b>ann</b>"])
    summary = pd.DataFrame([{"student": "dan", "status": FAILED, "detail": "nb.ipynb is empty <oops>"}])
    return ClassData("hw", scores, totals, summary)


def test_report_tables_and_escaped_html():
    data = _class_data()
    questions = question_table(data).set_index("question")
    assert questions.loc["q1", "pass_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert questions.loc["q2", "mean_points"] == 2.0
    assert pd.isna(questions.loc["essay", "pass_rate"])  # written answers have no pass rate
    sheet = score_sheet(data).set_index("student")
    assert sheet.loc["bob", "score"] == 6 and sheet.loc["bob", "q2"] == 3
    page = render(data)
    assert page.count("data:image/png;base64,") == 2
    assert "<b>ann</b>" not in page and "&lt;b&gt;ann&lt;/b&gt;" in page
    assert "&lt;oops&gt;" in page and "Students needing manual grading" in page


def test_report_by_objective_counts_marked_items_only_and_flags_what_to_reteach():
    data = _class_data()
    data.scores.loc[data.scores.student == "bob", "needs_manual_grade"] = False  # bob's essay is marked: 0 of 5
    objectives = Objectives((Objective("tests", 1, "Pass the tests"), Objective("write", 2, "Write well"),
                             Objective("none", 3, "Nothing marked yet")),
                            {"nb": {"q1": ["tests"], "q2": ["tests"], "essay": ["write"]}, "other": {"x": ["none"]}})
    table = objective_table(data, objectives).set_index("objective")
    assert table.loc["Pass the tests", "share"] == pytest.approx(12 / 18, abs=1e-3)  # 3+0+3+3+0+3 of 6 x 3
    assert table.loc["Pass the tests", "items"] == "q1, q2" and not table.loc["Pass the tests", "reteach"]
    # only bob's essay is marked (ann's and cy's wait for a grader): 0 of 5, so reteach
    assert table.loc["Write well", "marked"] == 1 and table.loc["Write well", "share"] == 0
    assert table.loc["Write well", "reteach"]
    assert table.loc["Nothing marked yet", "marked"] == 0 and not table.loc["Nothing marked yet", "reteach"]
    assert "By objective: what to reteach" in render(data)


# ----------------------------------------------------------------------------- the sandboxed executor
@pytest.fixture(scope="module")
def worker():
    context = get_context("spawn")
    from netcourse.grading.recording import _init

    with ProcessPoolExecutor(1, mp_context=context, initializer=_init, initargs=(["pandas"],)) as pool:
        yield pool


def run_cells(pool, sources, **limits):
    """Run ``sources`` as student cells ("code") or test cells (("test", "code")) in a sandboxed notebook."""
    from netcourse.grading.worker import execute_cells

    cells = [(i, *(s if isinstance(s, tuple) else ("student", s))) for i, s in enumerate(sources)]
    return pool.submit(execute_cells, cells, {**FAST, **limits}).result(timeout=180)


def outputs_of(run, index):
    return run["cells"][str(index)]["outputs"]


def test_cells_share_state_and_record_results_like_a_kernel(worker):
    run = run_cells(worker, ["import pandas as pd\nx = 41\nprint('hi')", "x + 1", "1/0", "pd.Series([1, 2]).sum()",
                             "import os\nos.environ.get('NBGRADER_EXECUTION')"])
    assert outputs_of(run, 0) == [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    assert outputs_of(run, 1)[0]["data"]["text/plain"] == "42"
    assert outputs_of(run, 1)[0]["execution_count"] == 2
    assert outputs_of(run, 2)[0]["ename"] == "ZeroDivisionError"
    assert outputs_of(run, 3)[0]["data"]["text/plain"] == "np.int64(3)"
    assert outputs_of(run, 4)[0]["data"]["text/plain"] == "'autograde'"  # the workbook's self-check stays quiet
    assert not run["problems"] and not run["crashed"] and not run["fault"]


def test_tests_run_in_the_judge_on_the_notebooks_values(worker):
    run = run_cells(worker, [
        "def double(xs):\n    return [2 * x for x in xs]",
        ("test", "assert double([1, 2]) == [2, 4], 'doubles'\nprint('checked')"),
        "class Any:\n    def __eq__(self, other):\n        return True\nlen = lambda x: 99\ndef double(xs):\n"
        "    return Any()\nimport IPython.core.interactiveshell as s\ns.InteractiveShell.showtraceback = None",
        ("test", "assert double([1, 2]) == [2, 4], 'doubles'"),
        ("test", "assert len([1]) == 1"),
    ])
    assert outputs_of(run, 1) == [{"output_type": "stream", "name": "stdout", "text": "checked\n"}]
    assert outputs_of(run, 3)[0]["ename"] == "AssertionError" and outputs_of(run, 3)[0]["evalue"] == "doubles"
    assert outputs_of(run, 4) == []  # the judge's len is the real one


def test_input_endless_loop_and_memory_bomb_cost_only_their_cell(worker):
    run = run_cells(worker, ["input('name?')", "while True:\n    pass", "hog = bytearray(4 * 1024**3)", "'after'"])
    assert outputs_of(run, 0)[0]["ename"] == "StdinNotImplementedError"
    assert outputs_of(run, 1)[0]["ename"] == "CellTimeoutError"
    assert outputs_of(run, 2)[0]["ename"] == "MemoryError"
    assert "more memory than the grader allows (512 MB)" in outputs_of(run, 2)[0]["evalue"]
    assert outputs_of(run, 3)[0]["data"]["text/plain"] == "'after'"
    assert any("CellTimeoutError in cell 1" in p for p in run["problems"])


def test_a_loop_that_swallows_the_timeout_is_killed_and_later_tests_score_nothing(worker):
    loop = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
    run = run_cells(worker, ["x = 1", loop, ("test", "assert x == 1"), "y = 2"])
    assert outputs_of(run, 1)[0]["ename"] == "CellTimeoutError"
    assert outputs_of(run, 2)[0]["ename"] == "NotebookStopped"  # the test could not reach x: it fails
    assert outputs_of(run, 3)[0]["ename"] == "NotExecutedError"
    assert not run["crashed"]


def test_a_student_function_that_hangs_inside_a_test_fails_that_test_only(worker):
    run = run_cells(worker, ["def slow():\n    while True:\n        pass", ("test", "slow()"), "z = 3",
                             ("test", "assert z == 3")])
    assert outputs_of(run, 1)[0]["ename"] == "TimeoutError"
    assert outputs_of(run, 3) == []  # interrupted in time: the process lives on


def test_a_message_nested_too_deeply_for_json_costs_the_notebook_not_the_whole_submission(worker):
    # json.loads raises RecursionError (not ValueError): it escaped the worker and failed every notebook of the
    # student as "not graded", every cell waiting for manual grading, instead of costing this notebook
    forge = ("import gc\nme = next(o for o in gc.get_objects() if type(o).__module__ == 'netcourse.grading.student' "
             "and hasattr(o, 'conn'))\nme.conn.send_bytes(b'[' * 200000 + b']' * 200000)")
    run = run_cells(worker, [forge, "1", ("test", "assert True")])
    assert outputs_of(run, 0)[0]["ename"] == "KernelDied" and "unreadable" in outputs_of(run, 0)[0]["evalue"]
    assert outputs_of(run, 1)[0]["ename"] == "NotExecutedError"


def test_forged_outputs_are_rebuilt_into_valid_notebook_outputs_or_dropped(worker):
    # the student's process owns its replies: outputs that are not a list, or fields of the wrong type, made the
    # worker raise or nbformat refuse the notebook, and the whole submission "failed" (every cell to grade by hand)
    forge = ("import gc\nme = next(o for o in gc.get_objects() if type(o).__module__ == 'netcourse.grading.student' "
             "and type(o).__name__ == 'StudentProcess')\nreal = me.run\n"
             "def forged(message):\n    reply = real(message)\n    reply['outputs'] = OUTPUTS\n    return reply\n"
             "me.run = forged")
    bad = ('[{"output_type": "error", "ename": "E", "evalue": 5, "traceback": ["E"]}, 7, '
           '{"output_type": "display_data", "data": {"text/plain": [1, 2], "text/html": "<b>x</b>"}, "metadata": 3},'
           ' {"output_type": "stream", "name": "stdout", "text": "hi", "extra": 1}]')
    for outputs in ("5", bad):
        run = run_cells(worker, [forge.replace("OUTPUTS", outputs), "1", ("test", "assert True")])
        cell = nbformat.v4.new_code_cell("1", outputs=[nbformat.from_dict(o) for o in outputs_of(run, 1)])
        nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))
        assert outputs_of(run, 2) == []
    assert outputs_of(run, 1) == [
        {"output_type": "error", "ename": "E", "evalue": "5", "traceback": ["E"]},
        {"output_type": "display_data", "data": {"text/html": "<b>x</b>"}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "hi"}]


def test_a_crash_is_retried_once_then_recorded(worker):
    run = run_cells(worker, ["import os\nos._exit(3)", "1", ("test", "assert True")])
    assert run["crashed"] and run["attempts"] == 2
    assert outputs_of(run, 0)[0]["ename"] == "KernelDied"
    assert "exited with code 3" in outputs_of(run, 0)[0]["evalue"]
    assert outputs_of(run, 1)[0]["ename"] == "NotExecutedError"
    assert outputs_of(run, 2) == []  # a test that needs nothing of the notebook still passes
    assert any("crashed twice" in p for p in run["problems"])


def test_floods_are_cut_and_fork_bombs_contained(worker):
    flood = "for i in range(200_000):\n    print(i)"
    bomb = ("import os, time\nkids = 0\nfor _ in range(500):\n    try:\n        pid = os.fork()\n"
            "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(30)\n        os._exit(0)\n"
            "    kids += 1\nkids")
    run = run_cells(worker, [flood, bomb], max_processes=8)
    text = "".join(o.get("text", "") for o in outputs_of(run, 0))
    assert len(text) < 2200 and "characters more than the limit of 2,000" in text
    if os.geteuid() == 0:  # a process limit only binds a uid of its own
        assert int(outputs_of(run, 1)[0]["data"]["text/plain"]) <= 8  # stopped at the limit, not at 500
    import psutil

    assert not [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == run["uid"]]


@pytest.mark.skipif(os.geteuid() != 0, reason="the filesystem is only sealed when grading as root")
def test_private_files_are_hidden_from_student_code(worker, tmp_path):
    import shutil
    import tempfile

    from netcourse.grading.limits import private_paths
    from netcourse.grading.worker import execute_cells

    course = Path(tempfile.mkdtemp(prefix="netcourse-test-course-"))  # world-readable: only the seal hides it
    course.chmod(0o755)
    secret = course / "source" / "answers.txt"
    secret.parent.mkdir(parents=True)
    secret.write_text("the answer is 42")
    gradebook = course / "gradebook.db"
    gradebook.write_text("grades")
    (Path("/tmp") / "netcourse-left-by-another-student.txt").write_text("answers")
    hide = private_paths(course, str(gradebook))
    probe = (f"import os\nout = {{}}\nfor p in [{str(secret)!r}, {str(gradebook)!r}, '/root/.bashrc', '/etc/shadow',"
             "'/tmp/netcourse-left-by-another-student.txt']:\n"
             "    try:\n        out[p] = open(p).read()\n    except OSError as e:\n        out[p] = type(e).__name__\n"
             "out, os.getuid()")
    cells = [(0, "student", probe), (1, "student", "import socket\nsocket.create_connection(('1.1.1.1', 53), 1)")]
    run = worker.submit(execute_cells, cells, FAST, hide).result(timeout=120)
    shutil.rmtree(course)
    found, uid = eval(outputs_of(run, 0)[0]["data"]["text/plain"])  # noqa: S307 - our own repr of a dict
    assert found[str(secret)] == "FileNotFoundError" and found[str(gradebook)] in ("", "FileNotFoundError")
    assert found["/root/.bashrc"] == "FileNotFoundError" and found["/etc/shadow"] == "PermissionError"
    assert found["/tmp/netcourse-left-by-another-student.txt"] == "FileNotFoundError"  # a private /tmp
    assert uid == run["uid"] and uid >= 61000
    assert outputs_of(run, 1)[0]["ename"] in ("OSError", "TimeoutError")  # no network in the sandbox


def test_cli_refuses_without_assignment_and_report_fails_cleanly(tmp_path, monkeypatch, capsys):
    from netcourse.grading.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path))
    assert main(["--no-progress"]) == 1
    assert main(["report", "nothing-here", "--out", str(tmp_path / "r")]) == 1
    assert "Could not write the report" in capsys.readouterr().out
    assert not Path(tmp_path / "r" / "nothing-here-report.html").exists()


# ----------------------------------------------------------------------------- the preflight (slow: real CLI)
def _course_with_release(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from grading_builders import good_class, make_course

    course = make_course(tmp_path / "course")
    good_class(course, 1)
    return course


def _grade(course, *extra):
    import subprocess

    from grading_builders import ASSIGNMENT, ROOT, course_env

    return subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), ASSIGNMENT, "--force", "--no-progress",
                           "--workers=2", *extra], cwd=course, env=course_env(course), capture_output=True, text=True,
                          timeout=600)


def _gradebook_students(course) -> set[str]:
    import sqlite3

    db = sqlite3.connect(course / "gradebook.db")
    try:
        return {row[0] for row in db.execute("SELECT id FROM student")}
    finally:
        db.close()


@pytest.mark.slow
def test_preflight_stops_before_the_gradebook_when_the_solution_fails_a_test(tmp_path):
    import json as jsonlib

    course = _course_with_release(tmp_path)
    source = next((course / "source" / "networking-workbook").glob("01_*.ipynb"))
    nb = jsonlib.loads(source.read_text())
    answer = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")
                  and c["cell_type"] == "code")
    answer["source"] = "raise RuntimeError('the instructor broke this answer')\n"
    source.write_text(jsonlib.dumps(nb))
    done = _grade(course)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Grading stopped before touching the gradebook" in done.stdout
    assert "gives the solution 0 of" in done.stdout and "Fix the solution or the test" in done.stdout
    assert _gradebook_students(course) == set() and not (course / "autograded" / "s000").exists()


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="a sandbox uid of its own exists only when grading as root")
def test_preflight_names_a_sandbox_that_cannot_read_what_it_needs(tmp_path):
    course = _course_with_release(tmp_path)
    private = tmp_path / "private-data"
    private.mkdir(mode=0o700)
    done = _grade(course, f"--ParallelAutograde.extra_readonly=['{private}']")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Grading stopped before touching the gradebook" in done.stdout
    assert f"the sandbox account cannot read {private}" in done.stdout
    assert "Run from a folder every account can enter" in done.stdout
    assert _gradebook_students(course) == set()


@pytest.mark.slow
def test_a_passing_preflight_is_reported_and_the_class_graded(tmp_path):
    course = _course_with_release(tmp_path)
    done = _grade(course)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Preflight: the instructor's solution earned all" in done.stdout
    assert _gradebook_students(course) == {"s000"}  # the preflight's own student never reaches the gradebook


@pytest.mark.slow
def test_an_empty_class_is_explained_without_an_empty_progress_bar(tmp_path):
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from grading_builders import ASSIGNMENT, ROOT, course_env, make_course

    course = make_course(tmp_path / "course")
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), ASSIGNMENT, "--force", "--workers=2"],
                          cwd=course, env=course_env(course), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Preflight: the instructor's solution earned all" in done.stdout
    assert f"No submissions of '{ASSIGNMENT}' to grade" in done.stdout and "(or run nbgrader collect)" in done.stdout
    assert "0student" not in done.stderr and "grading:" not in done.stderr, done.stderr


def _class_with_code(tmp_path, codes: dict[str, str]) -> Path:
    """A course whose students ({name: code}) answered as source/ does, with their code first in the first answer."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from grading_builders import _answer_cell, answered, make_course, notebook_names, submit

    course = make_course(tmp_path / "course")
    names = notebook_names(course)
    for student, code in codes.items():
        notebooks = {f"{n}.ipynb": answered(course, n) for n in names}
        cell = _answer_cell(notebooks[f"{names[0]}.ipynb"])
        cell.source = code + "\n" + cell.source
        submit(course, student, notebooks)
    return course


def _graded_summary(course: Path, *options: str):
    """Grade ``course`` with the real CLI: (the finished process, {student: its row of the summary})."""
    import json
    import subprocess

    from grading_builders import ASSIGNMENT, ROOT, course_env

    done = subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), ASSIGNMENT, "--force", "--no-progress",
                           "--workers=2", *options], cwd=course, env=course_env(course), capture_output=True,
                          text=True, timeout=600)
    rows = json.loads((course / "autograded" / "grading-summary.json").read_text())
    return done, {row["student"]: row for row in rows}


@pytest.mark.slow
def test_a_worker_killed_by_one_student_never_costs_a_classmate_running_beside_it(tmp_path):
    """Without the sandbox (a laptop, not root) a student's code can kill the worker grading it. The pool then
    breaks for the classmate running beside it too: only the student whose run was in the dead worker each time
    may be failed ("died twice"); the classmate is graded as if nothing happened."""
    course = _class_with_code(tmp_path, {
        "a-slow-honest": "import time\ntime.sleep(6)",  # recorded first, runs beside b
        "b-kills-its-worker": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
        "c-honest": "",
    })
    done, summary = _graded_summary(course, "--no-sandbox")
    assert summary["b-kills-its-worker"]["status"] == "failed", done.stdout
    assert "died twice" in summary["b-kills-its-worker"]["detail"], done.stdout
    for honest in ("a-slow-honest", "c-honest"):
        assert summary[honest]["status"] == "graded", (honest, done.stdout)


# Asleep for 90 s, with a child of its own asleep too (a forked child does not inherit the parent-death signal).
STUCK = "import os, time\nif os.fork() == 0:\n    time.sleep(90)\n    os._exit(0)\ntime.sleep(90)"


@pytest.mark.slow
def test_the_watchdog_stops_a_submission_that_outlasts_its_budget_and_only_that_one(tmp_path):
    """The parent's backstop for a worker stuck where no alarm reaches: a submission still running after
    --submission-timeout is stopped and reported "not graded" with the reason; its classmates are graded."""
    course = _class_with_code(tmp_path, {"a-honest": "", "b-stuck": STUCK, "c-honest": ""})
    done, summary = _graded_summary(course, "--cell-timeout=100", "--notebook-timeout=200", "--submission-timeout=25")
    assert summary["b-stuck"]["status"] == "failed", done.stdout
    assert "took longer than 25 s" in summary["b-stuck"]["detail"], done.stdout
    assert summary["a-honest"]["status"] == summary["c-honest"]["status"] == "graded", done.stdout
    assert done.returncode == 1  # some submission could not be graded
    if os.geteuid() == 0:  # the stopped worker's student process (asleep for 90 s) is not left behind
        from netcourse.grading.limits import SANDBOX_SLOTS, SANDBOX_UID_BASE, processes_of

        sandbox_uids = range(SANDBOX_UID_BASE, SANDBOX_UID_BASE + SANDBOX_SLOTS)
        left = [(p.pid, p.info["uids"]) for p in processes_of(sandbox_uids)]
        assert left == [], left


def test_a_students_process_keeps_only_harmless_environment_variables():
    from netcourse.grading.limits import student_environment

    graders = {"PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NBGRADER_EXECUTION": "autograde",
               "JUPYTERHUB_API_TOKEN": "t", "AWS_SECRET_ACCESS_KEY": "k", "PGPASSWORD": "p", "GITHUB_TOKEN": "g",
               "HOME": "/root", "PYTHONPATH": "/root/private"}
    assert student_environment(graders) == {"PATH": "/usr/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                                            "NBGRADER_EXECUTION": "autograde"}


@pytest.mark.parametrize(("option", "words"), [
    ("--workers=0", "--workers (ParallelAutograde.workers) must be more than 0, not 0"),
    ("--scratch-mb=-3", "--scratch-mb (ParallelAutograde.scratch_mb) must be 0"),
    ("--submission-timeout=-5", "--submission-timeout (ParallelAutograde.submission_timeout) must be 0"),
    ("--max-output=0", "--max-output (ParallelAutograde.max_output_chars) must be more than 0"),
    ("--cell-timeout=abc", "expected a float, not the str 'abc'"),
])
def test_a_bad_setting_gets_one_line_naming_it_not_a_traceback(tmp_path, option, words):
    import subprocess

    from grading_builders import ROOT

    done = subprocess.run([str(ROOT / ".venv" / "bin" / "netcourse-grade"), "networking-workbook", option],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr + done.stdout, done.stderr
