"""The student's process answers the worker's "run" with replies it forges (it owns that process): "outputs" that is
not a list raised TypeError in the worker (outside any handler: the whole submission "failed", every cell waiting
for manual grading), and an output with a field nbformat does not allow failed nbformat's validation later.
Run: .venv/bin/python tests/attacks/forged_run_reply.py [course-cache-dir]
"""
import sys

from common import answered, grade, new_course, notebook_names, submit, totals

FORGE = '''import gc
_me = next(o for o in gc.get_objects() if type(o).__module__ == "netcourse.grading.student"
           and type(o).__name__ == "StudentProcess")
_real = _me.run
def _forged(message):
    reply = _real(message)
    reply["outputs"] = {OUTPUTS}
    return reply
_me.run = _forged
'''
CASES = {"x-outputs-not-list": "5",
         "x-outputs-extra-field": '[{"output_type": "stream", "name": "stdout", "text": "hi", "extra": 1}]',
         "x-outputs-bad-evalue": '[{"output_type": "error", "ename": "E", "evalue": 5, "traceback": []}]'}

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    for student, outputs in CASES.items():
        notebooks = {}
        for name in notebook_names(course):
            nb = answered(course, name)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "harvard-answer":
                    cell.source = FORGE.replace("{OUTPUTS}", outputs) + cell.source
            notebooks[f"{name}.ipynb"] = nb
        submit(course, student, notebooks)
    done, seconds = grade(course)
    print("\n".join(line for line in done.stdout.splitlines() if line.strip().startswith("x-outputs")))
    for student, (total, cells) in sorted(totals(course).items()):
        if student in CASES:
            print(repr(student), total, sum(1 for v in cells.values() if v[1]), "cells needing manual grading")
