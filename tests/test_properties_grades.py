"""Property tests of the grade exports (grades.csv, canvas-grades.csv): safe in a spreadsheet, whatever the names.

Any text in a student's id, name or e-mail, and any Canvas column name: every row re-parses with the
header's number of cells, no cell can run as a formula (=, +, -, @, tab or carriage return first), a
text cell reads back as what was stored (after the defusing apostrophe), and the scores as numbers.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from netcourse.grading.export import FORMULA_STARTS, AssignmentGrades, StudentGrade, canvas_csv, grades_csv

risky = st.one_of(st.text(max_size=25), st.sampled_from(["=1+1", "+1", "-2\rEvil", "@SUM(A1)", "\t9", "\r=x",
                                                         "a\r\nb", 'say "hi"', "x,y", "\n"]))
scores = st.floats(min_value=0, max_value=100, allow_nan=False)
students = st.builds(
    StudentGrade, student_id=risky, first_name=risky, last_name=risky, email=risky, lms_user_id=risky,
    submitted=st.booleans(), notebooks=st.fixed_dictionaries({"nb1": scores, "nb2": scores}), autograded=scores,
    written=scores, late_penalty=scores, score=scores, needs_grading=st.integers(0, 3),
    not_graded=st.one_of(st.just(""), risky),
)
gradebooks = st.builds(AssignmentGrades, assignment=st.just("workbook"), max_score=scores,
                       notebook_names=st.just(["nb1", "nb2"]), students=st.lists(students, max_size=6))


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def stored(cell: str, value: str) -> bool:
    return cell == ("'" + value if value.startswith(FORMULA_STARTS) else value)


@settings(max_examples=150, deadline=None)
@given(gradebooks)
def test_grades_csv_keeps_its_shape_and_never_runs_a_cell(grades):
    table = rows(grades_csv(grades))
    assert len(table) == len(grades.students) + 1 and {len(row) for row in table} == {len(table[0])}
    assert not any(cell.startswith(FORMULA_STARTS) for row in table for cell in row)
    for row, student in zip(table[1:], grades.students, strict=True):
        assert stored(row[0], student.student_id) and stored(row[1], student.last_name)
        assert stored(row[2], student.first_name) and stored(row[3], student.email) and stored(row[4], student.status)
        assert abs(float(row[table[0].index("score")]) - student.score) <= 0.005 + 1e-9  # to the cent


@settings(max_examples=150, deadline=None)
@given(gradebooks, risky)
def test_canvas_csv_keeps_its_shape_and_never_runs_a_cell(grades, column):
    table = rows(canvas_csv(grades, column))
    assert len(table) == len(grades.students) + 2 and {len(row) for row in table} == {6}
    assert not any(cell.startswith(FORMULA_STARTS) for row in table for cell in row)
    assert stored(table[0][5], column)
    for row, student in zip(table[2:], grades.students, strict=True):
        assert stored(row[0], student.display_name) and stored(row[3], student.student_id)
        assert (row[5] == "") == (not student.final)
