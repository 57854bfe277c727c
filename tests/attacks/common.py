"""Shared helpers for the attack reproductions: build a course from the real workbook, grade it with the real CLI."""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from grading_builders import ASSIGNMENT, answered, course_env, make_course, notebook_names, submit  # noqa: E402,F401

from netcourse.grading.compare import cell_scores  # noqa: E402

CLI = os.environ.get("NETCOURSE_GRADE", str(ROOT / ".venv" / "bin" / "netcourse-grade"))


def new_course(cache=None):
    base = Path(cache) if cache else Path(tempfile.mkdtemp(prefix="atk-"))
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    course = base / "course"
    if not (course / "gradebook.db").exists():
        make_course(course)
    return course


def release(course, name):
    import nbformat
    return nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)


def grade(course, timeout=1800, extra=()):
    env = course_env(course)
    if os.environ.get("ATK_PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["ATK_PYTHONPATH"]
    started = time.monotonic()
    done = subprocess.run([CLI, ASSIGNMENT, "--force", "--no-progress", "--workers=2", *extra], cwd=course, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return done, time.monotonic() - started


def totals(course):
    """{student: (autograded points, {grade_id: score})} from the gradebook."""
    scores = cell_scores(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    out = {}
    for (student, _nb, cell), (score, manual) in scores.items():
        total, cells = out.setdefault(student, [0.0, {}])
        cells[cell] = (score, manual)
        out[student][0] = total + (score or 0)
    return out


def with_code(course, changes: dict, answered_too: bool = False) -> dict:
    """The workbook's notebooks (blank, or answered from source/ with ``answered_too``) with the cells named in
    ``changes`` {grade_id: new source, or a function of the old source}; ready for ``submit``."""
    notebooks = {}
    for name in notebook_names(course):
        nb = answered(course, name) if answered_too else release(course, name)
        for cell in nb.cells:
            change = changes.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if change is not None:
                cell.source = change(cell.source) if callable(change) else change
        notebooks[f"{name}.ipynb"] = nb
    return notebooks
