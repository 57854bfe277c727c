"""Does a student's process outlive grading? A fork-and-exit chain (each generation forks its successor and exits at
once, so at no moment is more than a couple of processes there) races kill_tree's 20 rounds of "list, then kill".
A survivor keeps its sandbox uid busy (UidSlot then skips that uid: 64 survivors and no student can be graded) and
burns CPU for ever. Run: .venv/bin/python tests/attacks/escaped_process.py [course-cache-dir]
Afterwards: ps -eo pid,uid,etime,cmd | awk '$2 >= 61000 && $2 < 61064'
"""
import subprocess
import sys
import time

from common import grade, new_course, submit, with_code

CODE = '''import os, time
if os.fork() == 0:
    os.setsid()
    deadline = time.time() + 120  # a real attacker would not stop; the reproduction does, after two minutes
    while time.time() < deadline:
        if os.fork():
            os._exit(0)
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    submit(course, "x-escape", with_code(course, {"etiquette-answer": CODE}))
    done, seconds = grade(course)
    print(done.stdout.splitlines()[1] if len(done.stdout.splitlines()) > 1 else done.stdout)
    time.sleep(3)
    left = subprocess.run("ps -eo pid,uid,etime,cmd | awk '$2 >= 61000 && $2 < 61064'", shell=True,
                          capture_output=True, text=True).stdout
    print("sandbox-uid processes alive 3 s after grading ended:\n" + (left or "(none)"))
