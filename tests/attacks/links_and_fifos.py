"""HOLE: submitted/ entries that are not plain files. The grader (as root) follows a notebook that is a symbolic link:
one linked to the instructor's source/ (the solutions) is graded as the student's own work, 28/28, status
"graded", not even a note; one linked to a classmate's notebook copies the classmate's answers. A notebook that
is a named pipe (FIFO) blocks whoever opens it: the grading hangs. (collect.CheckedCollect refuses links and
special files on the way in; this is what the grader itself does when one reaches submitted/ by another route:
nbgrader's own collect or zip_collect, an instructor's copy, a folder shared from the hub.)
Run: .venv/bin/python tests/attacks/links_and_fifos.py [course-cache-dir] [case ...]
cases: note-link (notebooks linked to source/), folder-link (assignment folder linked to a classmate's),
fifo (a notebook that is a FIFO; the run is given 240 s).
"""
import os
import shutil
import sys

from common import ASSIGNMENT, answered, grade, new_course, notebook_names, release, submit, totals

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    cases = sys.argv[2:] or ["note-link", "folder-link"]
    names = notebook_names(course)
    submit(course, "s-honest", {f"{n}.ipynb": answered(course, n) for n in names})
    for case in cases:
        student = f"x-{case}"
        shutil.rmtree(course / "submitted" / student, ignore_errors=True)
        if case == "folder-link":
            (course / "submitted" / student).mkdir(parents=True)
            os.symlink(course / "submitted" / "s-honest" / ASSIGNMENT, course / "submitted" / student / ASSIGNMENT)
            continue
        folder = submit(course, student, {})
        for n in names:
            if case == "note-link":
                os.symlink(course / "source" / ASSIGNMENT / f"{n}.ipynb", folder / f"{n}.ipynb")
            elif case == "fifo" and n == names[0]:
                os.mkfifo(folder / f"{n}.ipynb")
            else:
                submit(course, student, {f"{n}.ipynb": release(course, n)})
    try:
        done, seconds = grade(course, timeout=240)
        print(done.stdout[-3000:])
    except Exception as error:  # noqa: BLE001
        print("GRADING DID NOT FINISH:", type(error).__name__, error)
    for student, (total, _cells) in sorted(totals(course).items()):
        print(repr(student), total)
