"""Export the workbook's grades from nbgrader's gradebook: every score, and a Canvas import file.

Two nbgrader export plugins (``nbgrader export --exporter=netcourse.grading.export.GradesCsvExport``), which
``make export`` runs both of (``python -m netcourse.grading.export``), writing under ``exports/`` in the
course root (``$NETCOURSE_COURSE_ROOT`` or the current folder):

* :class:`GradesCsvExport` → ``grades.csv``: one row per student in the gradebook: name, e-mail, a
  ``status`` (``graded``, ``answers to grade``, ``not graded: <reason>`` from the last grading run's
  summary, or ``no submission``), the score of each notebook, the autograded (code) and manually graded
  (written) parts, the total (after any late penalty), the maximum, and how many answers still wait.
* :class:`CanvasCsvExport` → ``canvas-grades.csv``: the columns Canvas' gradebook import expects (``Student``,
  ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then one assignment column, with a
  ``Points Possible`` row as in Canvas' own export). Only a finished grade gets a number: a student who was
  not graded, or whose written answers still wait, gets an empty cell (Canvas: not graded yet), never a 0
  that looks final. ``ID`` is the student's ``lms_user_id`` when set; ``SIS Login ID`` is the nbgrader id.

The files are safe to open in a spreadsheet: a text cell that begins with ``=``, ``+``, ``-``, ``@`` (or a
tab or carriage return) is written with a leading apostrophe so it is never run as a formula, and rows end
with CRLF, so a line break inside a name stays inside its quoted cell. Nothing here changes the gradebook.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins.export import ExportPlugin
from traitlets import Unicode

from netcourse.course import WORKBOOK
from netcourse.storage import atomic_write_text

ROOT_ENV = "NETCOURSE_COURSE_ROOT"
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class StudentGrade:
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""
    submitted: bool = False
    notebooks: dict[str, float] = field(default_factory=dict)
    autograded: float = 0.0
    written: float = 0.0
    late_penalty: float = 0.0
    score: float = 0.0
    needs_grading: int = 0
    not_graded: str = ""  # why the last grading run could not grade this student

    @property
    def display_name(self) -> str:
        if self.last_name and self.first_name:
            return f"{self.last_name}, {self.first_name}"
        return self.last_name or self.first_name or self.student_id

    @property
    def status(self) -> str:
        if self.not_graded:
            return f"not graded: {self.not_graded}"
        if not self.submitted:
            return "no submission"
        return "answers to grade" if self.needs_grading else "graded"

    @property
    def final(self) -> bool:
        """A grade an instructor can sign: graded, nothing waiting (or nothing submitted)."""
        return not self.not_graded and not self.needs_grading


@dataclass
class AssignmentGrades:
    assignment: str
    max_score: float
    notebook_names: list[str]
    students: list[StudentGrade]


def course_root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or Path.cwd()).resolve()


def not_graded_students(summary: Path) -> dict[str, str]:
    """{student: reason} for the students the last grading run could not grade (its summary JSON)."""
    try:
        rows = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(rows, list):
        return {}
    return {str(row.get("student")): str(row.get("detail") or "see the grading summary")
            for row in rows if isinstance(row, dict) and row.get("status") == "failed"}


def collect(gradebook, assignment: str = WORKBOOK, not_graded: dict[str, str] | None = None) -> AssignmentGrades:
    """Every student's scores for ``assignment`` from an open nbgrader ``Gradebook``."""
    from nbgrader.api import MissingEntry

    not_graded = not_graded or {}
    try:
        source = gradebook.find_assignment(assignment)
    except MissingEntry:
        raise SystemExit(f"The gradebook has no assignment {assignment!r}: run `make release` first.") from None
    notebook_names = sorted(notebook.name for notebook in source.notebooks)
    students = []
    for student in sorted(gradebook.students, key=lambda s: s.id):
        row = StudentGrade(student.id, student.first_name or "", student.last_name or "", student.email or "",
                           student.lms_user_id or "", not_graded=not_graded.get(student.id, ""))
        try:
            submission = gradebook.find_submission(assignment, student.id)
        except MissingEntry:
            row.notebooks = {name: 0.0 for name in notebook_names}
        else:
            row.submitted = True
            row.notebooks = {nb.name: float(nb.score) for nb in submission.notebooks}
            # A written answer may be a code cell (an introduction as text): what decides is whether a person
            # marks it (the cell is also a solution cell), not its type, so nbgrader's code_score won't do.
            written_ids = {cell.name for notebook in source.notebooks for cell in notebook.solution_cells}
            grades = [grade for nb in submission.notebooks for grade in nb.grades]
            row.written = float(sum(grade.score or 0 for grade in grades if grade.name in written_ids))
            row.autograded = float(sum(grade.score or 0 for grade in grades if grade.name not in written_ids))
            row.late_penalty = float(submission.late_submission_penalty or 0)
            row.score = max(float(submission.score) - row.late_penalty, 0.0)
            row.needs_grading = sum(1 for nb in submission.notebooks for grade in nb.grades if grade.needs_manual_grade)
        students.append(row)
    return AssignmentGrades(assignment, float(source.max_score), notebook_names, students)


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def safe_text(value) -> str:
    """A text cell a spreadsheet shows as text: never a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _writer(out: io.StringIO):
    return csv.writer(out, lineterminator="\r\n")


def grades_csv(grades: AssignmentGrades) -> str:
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(["student_id", "last_name", "first_name", "email", "status", "submitted", *grades.notebook_names,
                     "autograded", "written", "late_penalty", "score", "max_score", "answers_to_grade"])
    for row in grades.students:
        writer.writerow([*(safe_text(v) for v in (row.student_id, row.last_name, row.first_name, row.email,
                                                  row.status)),
                         "yes" if row.submitted else "no",
                         *(_num(row.notebooks.get(name, 0.0)) for name in grades.notebook_names),
                         _num(row.autograded), _num(row.written), _num(row.late_penalty), _num(row.score),
                         _num(grades.max_score), row.needs_grading])
    return out.getvalue()


def canvas_csv(grades: AssignmentGrades, column: str) -> str:
    """Canvas gradebook import: fixed student columns, a Points Possible row, one assignment column."""
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow([*CANVAS_FIXED, safe_text(column)])
    writer.writerow(["Points Possible", "", "", "", "", _num(grades.max_score)])
    for row in grades.students:
        writer.writerow([safe_text(row.display_name), safe_text(row.lms_user_id), "", safe_text(row.student_id), "",
                         _num(row.score) if row.final else ""])
    return out.getvalue()


class _CourseExport(ExportPlugin):
    """What both exports share: the course's assignment, the last grading run's summary, the output folder."""

    workbook = Unicode(WORKBOOK, help="The assignment to export.").tag(config=True)
    summary = Unicode("", help="The grading summary JSON (default: autograded/grading-summary.json in the course)."
                      ).tag(config=True)
    filename = "grades.csv"

    def _destination(self) -> Path:
        return Path(self.to) if self.to else course_root() / "exports" / self.filename

    def _grades(self, gradebook) -> AssignmentGrades:
        summary = Path(self.summary) if self.summary else course_root() / "autograded" / "grading-summary.json"
        return collect(gradebook, self.workbook, not_graded_students(summary))

    def export(self, gradebook) -> None:
        path = atomic_write_text(self._destination(), self.render(self._grades(gradebook)))
        self.log.info("Wrote %s", path)
        self.written = path

    def render(self, grades: AssignmentGrades) -> str:
        raise NotImplementedError


class GradesCsvExport(_CourseExport):
    """Every part of every student's grade, with a status (``nbgrader export --exporter=...GradesCsvExport``)."""

    def render(self, grades: AssignmentGrades) -> str:
        return grades_csv(grades)


class CanvasCsvExport(_CourseExport):
    """Canvas gradebook import file (``nbgrader export --exporter=...CanvasCsvExport``)."""

    column = Unicode("Networking workbook", help="Canvas assignment column; 'Name (12345)' updates an existing one"
                     ).tag(config=True)
    filename = "canvas-grades.csv"

    def render(self, grades: AssignmentGrades) -> str:
        return canvas_csv(grades, self.column)


def main(argv: list[str] | None = None) -> int:
    from nbgrader.api import Gradebook

    root = course_root()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"sqlite:///{root / 'gradebook.db'}", help="gradebook database URL")
    parser.add_argument("--assignment", default=WORKBOOK, help="assignment id (default: %(default)s)")
    parser.add_argument("--out", default=str(root / "exports"), help="folder for the CSV files")
    parser.add_argument("--canvas-column", default="Networking workbook",
                        help="Canvas assignment column; use 'Name (12345)' to update an existing Canvas assignment")
    args = parser.parse_args(argv)
    if args.db.startswith("sqlite:///") and not Path(args.db.removeprefix("sqlite:///")).exists():
        print(f"No gradebook at {args.db.removeprefix('sqlite:///')}: run `make release` and `make grade` first.",
              file=sys.stderr)
        return 1
    out = Path(args.out)
    full = GradesCsvExport(workbook=args.assignment, to=str(out / "grades.csv"))
    canvas = CanvasCsvExport(workbook=args.assignment, to=str(out / "canvas-grades.csv"), column=args.canvas_column)
    with Gradebook(args.db) as gradebook:
        grades = full._grades(gradebook)
        full.export(gradebook)
        canvas.export(gradebook)
    print(f"Wrote {full.written} and {canvas.written} ({len(grades.students)} students, out of "
          f"{_num(grades.max_score)} points).")
    waiting = [row.student_id for row in grades.students if row.needs_grading and not row.not_graded]
    if waiting:
        print(f"Note: {len(waiting)} student(s) still have answers to grade in the formgrader: {', '.join(waiting)}; "
              "their Canvas cells are left empty until then.")
    failed = [row.student_id for row in grades.students if row.not_graded]
    if failed:
        print(f"Note: {len(failed)} student(s) could not be graded (see the grading summary): {', '.join(failed)}; "
              "their Canvas cells are empty.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
