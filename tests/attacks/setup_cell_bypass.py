"""HOLE: a student who removes the read-only setup cell from the judge's plan (delete it, tag it skip-execution,
strip its nbgrader metadata, or move it below the tests) makes the judge look up `pitch_check`,
`question_check`, `is_choice`, ... in the
student's namespace: the student's own versions then decide the pitch and question tests.

Blank workbook + fakes: expected 0 points (the release scores 0); a hole if the cheat scores more.
Run: .venv/bin/python tests/attacks/setup_cell_bypass.py [course-cache-dir]
"""
import sys

from common import grade, new_course, notebook_names, release, submit, totals
from grading_builders import FAKE_HELPERS, take_away_setup  # noqa: E402 - the suite's own (common puts tests/ on the path)

# the suite's fakes without their answers (this script writes its own below)
FAKES = FAKE_HELPERS.split("my_audience")[0]
QUESTIONS = 'my_questions = ["Is it?", "Can I shadow you?", "Do you like it?"]\n'


def cheat(course, how):
    notebooks = {}
    for name in notebook_names(course):
        nb = release(course, name)
        take_away_setup(nb, how)
        answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
        for cell in answers:
            gid = cell.metadata["nbgrader"]["grade_id"]
            src = FAKES
            if gid == "my-questions":
                src += QUESTIONS
            if gid == "my-pitch":
                src += 'my_audience = "x"\nmy_pitch = "x"\n'
            if gid == "plan-answer":
                src += ('my_event = "x"\nmy_costs = {"ticket": 1, "travel": 0, "lodging": 0, "food": 0, "other": 0}\n'
                        'my_awarded = 0\nmy_pending = 0\nmy_gap = 12345\n')
            cell.source = src
        notebooks[f"{name}.ipynb"] = nb
    return notebooks


def control(course):
    """The same answers, setup cell intact: what the answers are really worth."""
    return cheat(course, "intact")


if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    students = {"x-setup-intact": "intact", "x-setup-deleted": "deleted", "x-setup-skiptag": "skip-execution",
                "x-setup-unlocked": "unlocked", "x-setup-moved-last": "moved-last"}
    for student, how in students.items():
        submit(course, student, cheat(course, how))
    done, seconds = grade(course)
    print(done.stdout[-3000:])
    scores = totals(course)
    for student in students:
        total, cells = scores.get(student, (None, {}))
        print(student, total, sorted(k for k, v in cells.items() if v[0]))
