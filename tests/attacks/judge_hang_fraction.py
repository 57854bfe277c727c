"""HOLE: an answer that is a Fraction built without reducing it (Fraction(a, b, _normalize=False), or any JSON the
student's process sends) makes the trusted judge reduce it while decoding: math.gcd of two huge random integers,
quadratic and in C, so the judge's per-test SIGALRM cannot stop it, and nothing else limits a worker: the class's
grading hangs (hours for 100-million-bit numbers; here 4-million-bit ones, ~10 s per look-up, vs a 4 s cell limit).

Run: .venv/bin/python tests/attacks/judge_hang_fraction.py [course-cache-dir] [bits]
"""
import sys

from common import grade, new_course, submit, totals, with_code

BITS = int(sys.argv[2]) if len(sys.argv) > 2 else 4_000_000
CODE = f'''import secrets
from fractions import Fraction
etiquette_a = Fraction(secrets.randbits({BITS}) | 1, secrets.randbits({BITS}) | 1, _normalize=False)
etiquette_b = etiquette_c = ""
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    submit(course, "x-fraction", with_code(course, {"etiquette-answer": CODE}))
    done, seconds = grade(course, extra=["--cell-timeout=4", "--notebook-timeout=60"])
    print(done.stdout[-2000:])
    print(f"graded in {seconds:.0f} s with --cell-timeout=4 --notebook-timeout=60")
    print(totals(course).get("x-fraction"))
