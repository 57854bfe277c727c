"""Before a class is graded, grade the instructor's own solution through exactly the same path.

:func:`run_preflight` copies the course's gradebook and the assignment's source into a scratch course,
submits the source notebooks (with their solutions) as one student, and runs the same
:class:`~netcourse.grading.recording.ParallelAutograde` with the same configuration, sandbox and worker
pool. The solution must earn every autograded point. If it does not, nothing of the class is graded and
the gradebook is not touched: the message says what failed in plain words (a test the solution fails, or
a fault of the grading machine, such as a sandbox that cannot read the Python installation).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PREFLIGHT_STUDENT = "instructor-solution-preflight"


@dataclass
class PreflightResult:
    passed: bool
    earned: float = 0.0
    possible: float = 0.0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def message(self) -> str:
        if self.passed:
            return (f"Preflight: the instructor's solution earned all {self.possible:g} autograded points "
                    f"({self.seconds:.1f} s).")
        lines = [f"Grading stopped before touching the gradebook: the instructor's own solution earned "
                 f"{self.earned:g} of {self.possible:g} autograded points, so grading cannot be trusted."]
        lines += [f"  - {failure}" for failure in self.failures[:12]]
        if any("cannot read" in f or "private to another account" in f for f in self.failures):
            lines.append("Run from a folder every account can enter (for example /srv/course), or make the "
                         "Python installation readable by other accounts, then grade again.")
        elif any("not graded" in f for f in self.failures):
            lines.append("This is a fault of the grading machine, not of the workbook: fix it, then grade again.")
        else:
            lines.append("Fix the solution or the test in source/, run `make release`, then grade again.")
        return "\n".join(lines)


def _autograded_cells(db_url: str, course_id: str, assignment: str):
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        found = []
        for notebook in gb.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                if cell.cell_type == "code" and not any(s.name == cell.name for s in notebook.solution_cells):
                    found.append((notebook.name, cell.name, float(cell.max_score)))
        return found


def _failure_text(scratch: Path, assignment: str, notebook: str, grade_id: str) -> str:
    import nbformat

    path = scratch / "autograded" / PREFLIGHT_STUDENT / assignment / f"{notebook}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return ""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return f"{output.get('ename', 'Error')}: {str(output.get('evalue', ''))[:300]}"
    return ""


def run_preflight(app, broker, then=None) -> PreflightResult:
    """Grade source/ as one student in a scratch copy of the course, with ``app``'s settings and pool;
    ``then()`` is called as soon as the solution's work is queued (the class's work queues behind it)."""
    import time

    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    from .recording import ParallelAutograde

    started = time.monotonic()
    assignment = app.coursedir.assignment_id
    db_url = app.coursedir.db_url
    scratch = Path(tempfile.mkdtemp(prefix="netcourse-preflight-"))
    os.chmod(scratch, 0o711)
    try:
        coursedir = CourseDirectory(config=app.config, parent=app)
        coursedir.root = str(scratch)
        coursedir.assignment_id = assignment
        coursedir.student_id = PREFLIGHT_STUDENT
        coursedir.notebook_id = "*"
        source = Path(app.coursedir.format_path(app.coursedir.source_directory, ".", assignment))
        shutil.copytree(source, Path(coursedir.format_path(coursedir.source_directory, ".", assignment)))
        release = Path(app.coursedir.format_path(app.coursedir.release_directory, ".", assignment))
        if release.is_dir():
            shutil.copytree(release, Path(coursedir.format_path(coursedir.release_directory, ".", assignment)))
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, PREFLIGHT_STUDENT, assignment))
        shutil.copytree(source, submitted, ignore=shutil.ignore_patterns(*app.coursedir.ignore))
        if db_url.startswith("sqlite:///"):
            shutil.copyfile(db_url[len("sqlite:///"):], scratch / "gradebook.db")
            coursedir.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
        else:
            return PreflightResult(False, failures=["the preflight needs an SQLite gradebook (db_url sqlite:///…)"])
        check = ParallelAutograde(coursedir=coursedir, config=app.config, parent=app, broker=broker,
                                  preflight=False, progress=False, force=True, summary_name="preflight-summary",
                                  workers=app.workers, sandbox=app.sandbox, cell_timeout=app.cell_timeout,
                                  notebook_timeout=app.notebook_timeout, cpu_seconds=app.cpu_seconds,
                                  memory_mb=app.memory_mb, max_output_chars=app.max_output_chars,
                                  scratch_mb=app.scratch_mb, submission_timeout=app.submission_timeout,
                                  extra_readonly=app.extra_readonly, preload=app.preload, on_queued=then)
        check.start()
        broker.futures.pop(PREFLIGHT_STUDENT, None)
        outcome = check.outcomes.get(PREFLIGHT_STUDENT)
        cells = _autograded_cells(coursedir.db_url, app.coursedir.course_id, assignment)
        possible = sum(points for _, _, points in cells)
        result = PreflightResult(False, possible=possible, seconds=time.monotonic() - started)
        if outcome is None or outcome.status == "failed":
            reason = outcome.detail if outcome is not None else "the solution was not graded"
            result.failures.append(f"the solution could not be graded: {reason}")
            return result
        with Gradebook(coursedir.db_url, app.coursedir.course_id) as gb:
            for notebook, grade_id, points in cells:
                score = gb.find_grade(grade_id, notebook, assignment, PREFLIGHT_STUDENT).auto_score or 0.0
                result.earned += score
                if score < points:
                    why = _failure_text(scratch, assignment, notebook, grade_id)
                    result.failures.append(f"{notebook}: test '{grade_id}' gives the solution {score:g} of {points:g}"
                                           + (f" ({why})" if why else ""))
        faults = [p for p in outcome.problems if "not graded" in p or "sandbox" in p]
        result.failures.extend(faults)
        result.passed = not result.failures and result.earned >= possible
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
