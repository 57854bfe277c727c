"""Build a temporary nbgrader course from the real workbook, and good and hostile submissions for it.

Everything is generated at test time from ``source/`` (answers) and the course's own release (the student
version), so the submissions follow the workbook as it changes. Used by tests/test_grading*.py and
benchmarks/bench_grading.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "networking-workbook"
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
_WRITTEN = "I am a second-year student interested in rural family medicine; could we talk about your path?"


def course_env(course: Path) -> dict:
    env = dict(os.environ)
    env.update(NETCOURSE_COURSE_ROOT=str(course), JUPYTER_CONFIG_PATH=str(ROOT / "autograder"),
               PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return env


def nbgrader(course: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "nbgrader"), *args], cwd=course, env=course_env(course),
                          capture_output=True, text=True, timeout=timeout)


def make_course(course: Path) -> Path:
    """A course folder with the workbook's source, a release and a gradebook (nbgrader generate_assignment)."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "source", course / "source", dirs_exist_ok=True)
    done = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if done.returncode != 0:
        raise RuntimeError(f"generate_assignment failed:\n{done.stdout}\n{done.stderr}")
    return course


def notebook_names(course: Path) -> list[str]:
    return sorted(p.stem for p in (course / "release" / ASSIGNMENT).glob("*.ipynb"))


def answered(course: Path, name: str, skip: frozenset = frozenset()) -> nbformat.NotebookNode:
    """The released notebook with every answer cell filled in from the source solution (except ``skip`` ids)."""
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") not in skip:
            if cell.cell_type == "code":
                cell.source = _SOLUTION.sub("", solutions[meta["grade_id"]])
            else:
                cell.source = _WRITTEN
    return release


def grade_ids(course: Path, name: str, kind: str = "tests") -> list[str]:
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if kind == "tests" and meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out.append(meta["grade_id"])
        if kind == "answers" and meta.get("solution") and cell.cell_type == "code":
            out.append(meta["grade_id"])
    return out


def submit(course: Path, student: str, notebooks: dict[str, object], extra: dict[str, bytes] | None = None) -> Path:
    """Write submitted/<student>/<assignment>/: notebooks are NotebookNodes, str or bytes (written as is)."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    for filename, content in notebooks.items():
        path = folder / filename
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a duplicated cell id is the point of one hostile case
                nbformat.write(content, str(path))
    for filename, data in (extra or {}).items():
        (folder / filename).write_bytes(data)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return folder


def _cell_with(nb, grade_id: str):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def _answer_cell(nb):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            return cell
    raise KeyError("no code answer")


def hostile_class(course: Path, dangerous: bool = True) -> dict[str, str]:
    """Write the hostile and broken submissions; return {student: what is wrong}.

    ``dangerous=False`` leaves out the ones plain sequential nbgrader cannot survive on a shared machine
    (endless loops, memory and fork bombs, crashes, output floods), for the side-by-side comparison.
    """
    names = notebook_names(course)
    first, rest = names[0], names[1:]
    file = f"{first}.ipynb"

    def full(**override):
        nbs = {f"{n}.ipynb": answered(course, n) for n in names}
        nbs.update(override)
        return nbs

    tests = grade_ids(course, first)
    cases: dict[str, str] = {}

    def case(student, why, notebooks, extra=None):
        submit(course, student, notebooks, extra)
        cases[student] = why

    case("h-malformed-json", "malformed", full(**{file: '{"cells": [ {"cell_type": "code", '}))
    case("h-empty-file", "empty", full(**{file: b""}))
    latin1 = nbformat.writes(answered(course, first)).encode("utf-8").replace(b"# Workbook", b"# Workb\xf6\xf6k", 1)
    case("h-non-utf8", "utf8", full(**{file: latin1}))
    case("h-unsaved", "unsaved", {f"{n}.ipynb": (course / "release" / ASSIGNMENT / f"{n}.ipynb").read_bytes()
                                  for n in names})
    case("h-wrong-name", "wrong-name", {f"{n.upper()} (1).ipynb": answered(course, n) for n in names})
    case("h-missing-one", "missing-one", {f"{n}.ipynb": answered(course, n) for n in rest} or full())
    case("h-extra-files", "extra", full(**{"notes.ipynb": nbformat.v4.new_notebook()}),
         extra={"data.csv": b"a,b\n1,2\n", "secret.bin": bytes(range(256))})

    nb = answered(course, first)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != tests[0]]
    case("h-deleted-test", "deleted-test", full(**{file: nb}))

    nb = answered(course, first)
    index = nb.cells.index(_cell_with(nb, tests[0]))
    nb.cells.insert(index, nbformat.from_dict(json.loads(json.dumps(nb.cells[index]))))
    case("h-duplicated-test", "duplicated-test", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).source = "assert True  # edited test"
    case("h-edited-test", "edited-test", full(**{file: nb}))

    nb = answered(course, first)
    cell = _cell_with(nb, tests[0])
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    case("h-retyped-test", "retyped-test", full(**{file: nb}))

    nb = answered(course, first)
    meta = _cell_with(nb, tests[0]).metadata["nbgrader"]
    meta["grade"] = False
    meta["solution"] = True  # re-tagged: "this test is my answer"
    case("h-retagged-test", "retagged-test", full(**{file: nb}))

    nb = answered(course, first)
    del _cell_with(nb, tests[0]).metadata["nbgrader"]
    case("h-metadata-removed", "metadata-removed", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).metadata["nbgrader"]["points"] = 1000
    case("h-points-altered", "points-altered", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).metadata["nbgrader"]["grade_id"] = "made-up-id"
    case("h-grade-id-altered", "grade-id-altered", full(**{file: nb}))

    def prefixed(code: str):
        nb = answered(course, first)
        cell = _answer_cell(nb)
        cell.source = code + "\n" + cell.source
        return nb

    case("h-input", "input", full(**{file: prefixed('name = input("Your name? ")')}))
    private = [course / "source" / ASSIGNMENT / file, course / "gradebook.db",
               course / "submitted" / "s000" / ASSIGNMENT / file, Path("/root/.bashrc"), Path("/etc/shadow")]
    case("h-read-outside", "read-outside", full(**{file: prefixed(
        "leaks = {}\n"
        f"for path in {[str(p) for p in private]!r}:\n"
        "    try:\n"
        "        leaks[path] = len(open(path, 'rb').read())\n"
        "    except OSError as error:\n"
        "        leaks[path] = type(error).__name__\n"
        "print('LEAK-CHECK', leaks)")}))
    if not dangerous:
        return cases
    case("h-infinite-loop", "infinite-loop", full(**{file: prefixed("while True:\n    pass")}))
    case("h-swallow-timeout", "swallow-timeout", full(**{file: prefixed(
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass")}))
    case("h-memory-bomb", "memory-bomb", full(**{file: prefixed("hog = bytearray(8 * 1024**3)")}))
    case("h-fork-bomb", "fork-bomb", full(**{file: prefixed(
        "import os\nfor _ in range(10000):\n    try:\n        os.fork()\n    except OSError:\n        break")}))
    case("h-crash", "crash", full(**{file: prefixed("import os\nos._exit(3)")}))
    case("h-print-flood", "print-flood", full(**{file: prefixed("for i in range(1_000_000):\n    print(i)")}))
    return cases


def good_class(course: Path, count: int, prefix: str = "s") -> list[str]:
    """``count`` honest submissions: all answers, or some left out (so scores differ)."""
    names = notebook_names(course)
    students = []
    for number in range(count):
        student = f"{prefix}{number:03d}"
        notebooks = {}
        for name in names:
            answers = grade_ids(course, name, "answers")
            skip = frozenset(answers[: number % (len(answers) + 1)])
            notebooks[f"{name}.ipynb"] = answered(course, name, skip)
        submit(course, student, notebooks)
        students.append(student)
    return students
