"""Submission folders the grader must treat safely: a student named like the preflight's student, odd characters
in a student id (a newline in a folder name stopped nbgrader's loop: every later student "not graded"), and a
notebook that is a symbolic link to the instructor's source (collect refuses links; this is
what the grader itself does if one reaches submitted/ anyway).
Run: .venv/bin/python tests/attacks/odd_folders.py [course-cache-dir]
"""
import os
import sys

from common import ASSIGNMENT, grade, new_course, notebook_names, release, submit, totals

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    blank = {f"{n}.ipynb": release(course, n) for n in notebook_names(course)}
    for student in ("instructor-solution-preflight", 'x odd,"name";é', "x-new\nline", "x-later"):
        submit(course, student, blank)
    folder = submit(course, "x-symlink", {})
    for n in notebook_names(course):
        if not (folder / f"{n}.ipynb").is_symlink():
            os.symlink(course / "source" / ASSIGNMENT / f"{n}.ipynb", folder / f"{n}.ipynb")
    done, seconds = grade(course)
    print(done.stdout[-3000:], done.stderr[-2000:])
    for student, (total, _cells) in sorted(totals(course).items()):
        if not student.startswith("x-setup"):
            print(repr(student), total)
