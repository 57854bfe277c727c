"""The student's process writes a deeply nested JSON message to its pipe to the worker: json.loads raises
RecursionError, which is not among the errors StudentProcess._receive expects (OSError, ValueError).
Run: .venv/bin/python tests/attacks/protocol_recursion.py [course-cache-dir]
"""
import sys

from common import answered, grade, new_course, notebook_names, submit, totals, with_code

CODE = '''import gc
_me = next(o for o in gc.get_objects() if type(o).__module__ == "netcourse.grading.student"
           and type(o).__name__ == "StudentProcess")
_me.conn.send_bytes(b"[" * 200000 + b"]" * 200000)
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    submit(course, "x-recursion", with_code(course, {"harvard-answer": lambda old: CODE + old}, answered_too=True))
    submit(course, "s-honest", {f"{n}.ipynb": answered(course, n) for n in notebook_names(course)})
    done, seconds = grade(course)
    print(done.stdout[-1500:])
    for student, (total, cells) in sorted(totals(course).items()):
        print(repr(student), total, sum(1 for v in cells.values() if v[1]), "cells needing manual grading")
