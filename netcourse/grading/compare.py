"""Compare two gradebooks cell by cell: the check that parallel grading equals nbgrader's sequential autograde."""

from __future__ import annotations


def cell_scores(db_url: str, assignment: str, course_id: str = "") -> dict[tuple[str, str, str], tuple]:
    """{(student, notebook, grade_id): (auto_score, needs_manual_grade)} for every graded submission."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(db_url, course_id) as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores[(submission.student_id, notebook.name, grade.name)] = (
                        grade.auto_score, bool(grade.needs_manual_grade))
    return scores


def differences(first: dict, second: dict, students: set[str] | None = None) -> list[str]:
    """Readable lines for every cell whose score differs (restricted to ``students`` when given)."""
    keys = sorted(set(first) | set(second))
    lines = []
    for key in keys:
        if students is not None and key[0] not in students:
            continue
        if first.get(key) != second.get(key):
            lines.append(f"{'/'.join(key)}: {first.get(key)} != {second.get(key)}")
    return lines
