"""HOLE (not fixed): the student's own function sees the hidden tests' inputs when the judge calls it, and the
student's process lives on: a later answer cell prints what it saw, and that cell's output is not a test's, so
RedactFeedback keeps it: the feedback shows the hidden tests' arguments (funding_gap(800, 100, 700), ...).
A file written the same way is copied to autograded/ and then, by nbgrader's generate_feedback, to feedback/.
Run: .venv/bin/python tests/attacks/hidden_inputs_leak.py [course-cache-dir]
"""
import subprocess
import sys

from common import ASSIGNMENT, ROOT, answered, course_env, grade, new_course, notebook_names, submit

SPY = '''_seen = []
def funding_gap(total_cost, awarded, pending):
    _seen.append((total_cost, awarded, pending))
    open("seen.txt", "a").write(repr((total_cost, awarded, pending)) + "\\n")
    return max(total_cost - awarded, 0)
'''

if __name__ == "__main__":
    course = new_course(sys.argv[1] if len(sys.argv) > 1 else None)
    notebooks = {}
    for name in notebook_names(course):
        nb = answered(course, name)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid == "gap-answer":
                cell.source = SPY
            if gid == "plan-answer":
                cell.source = 'print("SEEN BY MY FUNCTION:", _seen)\n' + cell.source
        notebooks[f"{name}.ipynb"] = nb
    submit(course, "x-spy", notebooks)
    done, seconds = grade(course)
    print(done.stdout[-800:])
    fb = subprocess.run([str(ROOT / ".venv" / "bin" / "nbgrader"), "generate_feedback", ASSIGNMENT, "--force",
                         "--student=x-spy"],
                        cwd=course, env=course_env(course), capture_output=True, text=True)
    folder = course / "feedback" / "x-spy" / ASSIGNMENT
    print("feedback files:", sorted(p.name for p in folder.iterdir()))
    html = (folder / "02_funding_and_opportunities.html").read_text()
    start = html.find("SEEN BY MY FUNCTION")
    print("in the feedback page:", html[start:start + 300] if start >= 0 else "(not found)")
    if (folder / "seen.txt").exists():
        print("seen.txt in feedback:", (folder / "seen.txt").read_text())
