"""Export the workbook's grades from nbgrader's gradebook: every score, and a Canvas import file.

``make export`` runs ``python -m netcourse.gradebook_export``, which writes two files under
``exports/`` in the course root (``$NETCOURSE_COURSE_ROOT`` or the current folder):

* ``grades.csv``: one row per student in the gradebook: name, e-mail, whether they submitted, the
  score of each notebook, the autograded (code) and manually graded (written) parts, the total
  (after any late penalty), the maximum, and how many answers still wait for a grader;
* ``canvas-grades.csv``: the columns Canvas' gradebook import expects (``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section``, then one assignment column, with a
  ``Points Possible`` row as in Canvas' own export). ``ID`` is the student's ``lms_user_id`` in
  the gradebook when set; ``SIS Login ID`` is the nbgrader student id, so ids that equal Canvas
  logins match without anything else.

A student with no submission gets 0. Nothing here changes the gradebook.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from netcourse.course import WORKBOOK
from netcourse.storage import atomic_write_text

ROOT_ENV = "NETCOURSE_COURSE_ROOT"
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


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

    @property
    def display_name(self) -> str:
        if self.last_name and self.first_name:
            return f"{self.last_name}, {self.first_name}"
        return self.last_name or self.first_name or self.student_id


@dataclass
class AssignmentGrades:
    assignment: str
    max_score: float
    notebook_names: list[str]
    students: list[StudentGrade]


def course_root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or Path.cwd()).resolve()


def collect(db_url: str, assignment: str = WORKBOOK) -> AssignmentGrades:
    """Read every student's scores for ``assignment`` from the gradebook at ``db_url``."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            source = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(f"The gradebook has no assignment {assignment!r}: run `make release` first.") from None
        notebook_names = sorted(notebook.name for notebook in source.notebooks)
        students = []
        for student in sorted(gradebook.students, key=lambda s: s.id):
            row = StudentGrade(student.id, student.first_name or "", student.last_name or "", student.email or "",
                               student.lms_user_id or "")
            try:
                submission = gradebook.find_submission(assignment, student.id)
            except MissingEntry:
                row.notebooks = {name: 0.0 for name in notebook_names}
            else:
                row.submitted = True
                row.notebooks = {nb.name: float(nb.score) for nb in submission.notebooks}
                row.autograded = float(submission.code_score)
                row.written = float(submission.written_score)
                row.late_penalty = float(submission.late_submission_penalty or 0)
                row.score = max(float(submission.score) - row.late_penalty, 0.0)
                row.needs_grading = sum(
                    1 for nb in submission.notebooks for grade in nb.grades if grade.needs_manual_grade
                )
            students.append(row)
        return AssignmentGrades(assignment, float(source.max_score), notebook_names, students)


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def grades_csv(grades: AssignmentGrades) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student_id", "last_name", "first_name", "email", "submitted", *grades.notebook_names,
                     "autograded", "written", "late_penalty", "score", "max_score", "answers_to_grade"])
    for row in grades.students:
        writer.writerow([row.student_id, row.last_name, row.first_name, row.email, "yes" if row.submitted else "no",
                         *(_num(row.notebooks.get(name, 0.0)) for name in grades.notebook_names),
                         _num(row.autograded), _num(row.written), _num(row.late_penalty), _num(row.score),
                         _num(grades.max_score), row.needs_grading])
    return out.getvalue()


def canvas_csv(grades: AssignmentGrades, column: str) -> str:
    """Canvas gradebook import: fixed student columns, a Points Possible row, one assignment column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANVAS_FIXED, column])
    writer.writerow(["Points Possible", "", "", "", "", _num(grades.max_score)])
    for row in grades.students:
        writer.writerow([row.display_name, row.lms_user_id, "", row.student_id, "", _num(row.score)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
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
    grades = collect(args.db, args.assignment)
    out = Path(args.out)
    full = atomic_write_text(out / "grades.csv", grades_csv(grades))
    canvas = atomic_write_text(out / "canvas-grades.csv", canvas_csv(grades, args.canvas_column))
    print(f"Wrote {full} and {canvas} ({len(grades.students)} students, out of {_num(grades.max_score)} points).")
    waiting = [row.student_id for row in grades.students if row.needs_grading]
    if waiting:
        print(f"Note: {len(waiting)} student(s) still have answers to grade in the formgrader: {', '.join(waiting)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
