"""Build a temporary nbgrader course from the real workbook, and good and hostile submissions for it.

Everything is generated at test time from ``source/`` (answers) and the course's own release (the student
version), so the submissions follow the workbook as it changes. Used by tests/test_grading*.py and
benchmarks/bench_grading.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "networking-workbook"
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
_WRITTEN = "I am a second-year student interested in rural family medicine; could we talk about your path?"


def course_env(course: Path) -> dict:
    env = dict(os.environ)
    env.update(NETCOURSE_COURSE_ROOT=str(course), JUPYTER_CONFIG_PATH=str(ROOT / "autograder"),
               PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return env


def nbgrader(course: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "nbgrader"), *args], cwd=course, env=course_env(course),
                          capture_output=True, text=True, timeout=timeout)


def make_course(course: Path) -> Path:
    """A course folder with the workbook's source, a release and a gradebook (nbgrader generate_assignment)."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "source", course / "source", dirs_exist_ok=True)
    done = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if done.returncode != 0:
        raise RuntimeError(f"generate_assignment failed:\n{done.stdout}\n{done.stderr}")
    return course


def notebook_names(course: Path) -> list[str]:
    return sorted(p.stem for p in (course / "release" / ASSIGNMENT).glob("*.ipynb"))


def answered(course: Path, name: str, skip: frozenset = frozenset()) -> nbformat.NotebookNode:
    """The released notebook with every answer cell filled in from the source solution (except ``skip`` ids)."""
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") not in skip:
            if cell.cell_type == "code":
                cell.source = _SOLUTION.sub("", solutions[meta["grade_id"]])
            else:
                cell.source = _WRITTEN
    return release


def grade_ids(course: Path, name: str, kind: str = "tests") -> list[str]:
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if kind == "tests" and meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            out.append(meta["grade_id"])
        if kind == "answers" and meta.get("solution") and cell.cell_type == "code":
            out.append(meta["grade_id"])
    return out


def submit(course: Path, student: str, notebooks: dict[str, object], extra: dict[str, bytes] | None = None) -> Path:
    """Write submitted/<student>/<assignment>/: notebooks are NotebookNodes, str or bytes (written as is)."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    for filename, content in notebooks.items():
        path = folder / filename
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a duplicated cell id is the point of one hostile case
                nbformat.write(content, str(path))
    for filename, data in (extra or {}).items():
        (folder / filename).write_bytes(data)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return folder


def _cell_with(nb, grade_id: str):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def _answer_cell(nb):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            return cell
    raise KeyError("no code answer")


def hostile_class(course: Path, dangerous: bool = True) -> dict[str, str]:
    """Write the hostile and broken submissions; return {student: what is wrong}.

    ``dangerous=False`` leaves out the ones plain sequential nbgrader cannot survive on a shared machine
    (endless loops, memory and fork bombs, crashes, output floods), for the side-by-side comparison.
    """
    names = notebook_names(course)
    first, rest = names[0], names[1:]
    file = f"{first}.ipynb"

    def full(**override):
        nbs = {f"{n}.ipynb": answered(course, n) for n in names}
        nbs.update(override)
        return nbs

    tests = grade_ids(course, first)
    cases: dict[str, str] = {}

    def case(student, why, notebooks, extra=None):
        submit(course, student, notebooks, extra)
        cases[student] = why

    case("h-malformed-json", "malformed", full(**{file: '{"cells": [ {"cell_type": "code", '}))
    case("h-empty-file", "empty", full(**{file: b""}))
    latin1 = nbformat.writes(answered(course, first)).encode("utf-8").replace(b"# Workbook", b"# Workb\xf6\xf6k", 1)
    case("h-non-utf8", "utf8", full(**{file: latin1}))
    case("h-unsaved", "unsaved", {f"{n}.ipynb": (course / "release" / ASSIGNMENT / f"{n}.ipynb").read_bytes()
                                  for n in names})
    case("h-wrong-name", "wrong-name", {f"{n.upper()} (1).ipynb": answered(course, n) for n in names})
    case("h-missing-one", "missing-one", {f"{n}.ipynb": answered(course, n) for n in rest} or full())
    case("h-extra-files", "extra", full(**{"notes.ipynb": nbformat.v4.new_notebook()}),
         extra={"data.csv": b"a,b\n1,2\n", "secret.bin": bytes(range(256))})

    nb = answered(course, first)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != tests[0]]
    case("h-deleted-test", "deleted-test", full(**{file: nb}))

    nb = answered(course, first)
    index = nb.cells.index(_cell_with(nb, tests[0]))
    nb.cells.insert(index, nbformat.from_dict(json.loads(json.dumps(nb.cells[index]))))
    case("h-duplicated-test", "duplicated-test", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).source = "assert True  # edited test"
    case("h-edited-test", "edited-test", full(**{file: nb}))

    nb = answered(course, first)
    cell = _cell_with(nb, tests[0])
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    case("h-retyped-test", "retyped-test", full(**{file: nb}))

    nb = answered(course, first)
    meta = _cell_with(nb, tests[0]).metadata["nbgrader"]
    meta["grade"] = False
    meta["solution"] = True  # re-tagged: "this test is my answer"
    case("h-retagged-test", "retagged-test", full(**{file: nb}))

    nb = answered(course, first)
    del _cell_with(nb, tests[0]).metadata["nbgrader"]
    case("h-metadata-removed", "metadata-removed", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).metadata["nbgrader"]["points"] = 1000
    case("h-points-altered", "points-altered", full(**{file: nb}))

    nb = answered(course, first)
    _cell_with(nb, tests[0]).metadata["nbgrader"]["grade_id"] = "made-up-id"
    case("h-grade-id-altered", "grade-id-altered", full(**{file: nb}))

    def prefixed(code: str):
        nb = answered(course, first)
        cell = _answer_cell(nb)
        cell.source = code + "\n" + cell.source
        return nb

    case("h-input", "input", full(**{file: prefixed('name = input("Your name? ")')}))
    private = [course / "source" / ASSIGNMENT / file, course / "gradebook.db",
               course / "submitted" / "s000" / ASSIGNMENT / file, Path("/root/.bashrc"), Path("/etc/shadow")]
    case("h-read-outside", "read-outside", full(**{file: prefixed(
        "leaks = {}\n"
        f"for path in {[str(p) for p in private]!r}:\n"
        "    try:\n"
        "        leaks[path] = len(open(path, 'rb').read())\n"
        "    except OSError as error:\n"
        "        leaks[path] = type(error).__name__\n"
        "print('LEAK-CHECK', leaks)")}))
    if not dangerous:
        return cases
    case("h-infinite-loop", "infinite-loop", full(**{file: prefixed("while True:\n    pass")}))
    case("h-swallow-timeout", "swallow-timeout", full(**{file: prefixed(
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass")}))
    case("h-memory-bomb", "memory-bomb", full(**{file: prefixed("hog = bytearray(8 * 1024**3)")}))
    case("h-fork-bomb", "fork-bomb", full(**{file: prefixed(
        "import os\nfor _ in range(10000):\n    try:\n        os.fork()\n    except OSError:\n        break")}))
    case("h-crash", "crash", full(**{file: prefixed("import os\nos._exit(3)")}))
    case("h-print-flood", "print-flood", full(**{file: prefixed("for i in range(1_000_000):\n    print(i)")}))
    return cases


EQUALS_ANYTHING = '''
class _Anything:
    """Equal to anything, true, long, iterable, callable: what a cheat hands the tests instead of answers."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __len__(self): return 3
    def __iter__(self): return iter([self, self, self])
    def __getitem__(self, key): return self
    def __getattr__(self, name): return self
    def __call__(self, *args, **kwargs): return self
    def __hash__(self): return 0
    def __float__(self): return 1.0
'''

PICKLE_RAN = "/tmp/netcourse-a-students-pickle-ran-in-the-grader"  # written (as root) only if the cheat works

# Code a hostile student puts in an answer cell (of a blank workbook) to score without answering.
CHEATS = {
    "c-skip-tag": None,  # tags every test cell skip-execution (metadata, not code)
    "c-test-as-raw": None,  # retypes every test cell as a raw cell
    "c-test-new-ids": None,  # gives every test cell a new cell id and odd tags
    "c-test-moved-first": None,  # moves every test cell to the top, before any answer
    "c-showtraceback": ("import IPython.core.interactiveshell as s\n"
                        "s.InteractiveShell.showtraceback = lambda *a, **k: None"),
    "c-showtraceback-none": "import IPython.core.interactiveshell as s\ns.InteractiveShell.showtraceback = None",
    "c-custom-exc": ("ip = get_ipython()\nip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                     "import sys\nsys.excepthook = lambda *a: None"),
    "c-run-cell-patch": ("ip = get_ipython()\n_real = ip.run_cell\n"
                         "def _quiet(source, *a, **k):\n    return _real('pass', *a, **k)\nip.run_cell = _quiet"),
    "c-builtins": EQUALS_ANYTHING + ("import builtins\nfor _n in ('isinstance', 'len', 'list', 'set', 'sorted', "
                                     "'round', 'float', 'int', 'str', 'type', 'all', 'any', 'bool'):\n"
                                     "    globals()[_n] = _Anything()\n"),
    "c-builtins-module": EQUALS_ANYTHING + ("import builtins\nbuiltins.isinstance = lambda *a: True\n"
                                            "builtins.AssertionError = type('Quiet', (Exception,), {})\n"),
    "c-equals-anything": EQUALS_ANYTHING,  # plus every answer name bound to _Anything() (see below)
    "c-patch-modules": ("import pandas as pd, pandas.testing, numpy as np\n"
                        "pd.testing.assert_frame_equal = lambda *a, **k: None\n"
                        "pd.DataFrame.equals = lambda *a, **k: True\n"
                        "pd.DataFrame.__eq__ = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
                        "import netcourse.selfcheck as sc\nsc.check = sc.score = lambda *a, **k: None\n"
                        "import netcourse.grading.judge as j\nj.Judge.run_test = lambda *a, **k: None\n"),
    "c-sys-exit": "import sys\nsys.exit(0)",
    "c-os-exit": "import os\nos._exit(0)",
    "c-kill-parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
    "c-write-files": ("import os, json\n"
                      "for name in os.listdir('.'):\n"
                      "    if name.endswith('.ipynb'):\n"
                      "        nb = json.load(open(name))\n"
                      "        for c in nb['cells']:\n"
                      "            c['outputs'] = [] if c['cell_type'] == 'code' else c.get('outputs')\n"
                      "            if c.get('metadata', {}).get('nbgrader', {}).get('grade'):\n"
                      "                c['source'] = 'pass'\n"
                      "        json.dump(nb, open(name, 'w'))\n"
                      "for target in ['gradebook.db', '../gradebook.db', 'grading-summary.json',\n"
                      "               '../../autograded/x']:\n"
                      "    try:\n        open(target, 'w').write('{}')\n    except OSError:\n        pass\n"
                      "open('/tmp/answers-for-a-friend.txt', 'w').write('all of them')"),
    # A pickle written into every pipe the student's process inherited from its worker: the pool's queues would
    # unpickle it in the grader, as root. It may only ever find /dev/null there.
    "c-pickle-into-pool": ("import os, pickle, struct\n"
                           "class _Run:\n"
                           "    def __reduce__(self):\n"
                           f"        return (os.system, ('id > {PICKLE_RAN}',))\n"
                           "payload = pickle.dumps(_Run())\nmessage = struct.pack('!i', len(payload)) + payload\n"
                           "written = 0\n"
                           "for fd in map(int, os.listdir('/proc/self/fd')):\n"
                           "    try:\n"
                           "        if os.readlink(f'/proc/self/fd/{fd}').startswith('pipe:'):\n"
                           "            os.write(fd, message)\n"
                           "            written += 1\n"
                           "    except OSError:\n"
                           "        pass\n"
                           "print('PIPES-WRITTEN', written)"),
    "c-read-environment": ("import os\nprint('ENV-KEYS', ','.join(sorted(os.environ)))\n"
                           "print('ENV-VALUES', ' '.join(os.environ.values()))"),
    "c-memory-scan": ("import gc\nfound = [o for o in gc.get_objects() if isinstance(o, str) and "
                      "('BEGIN HIDDEN TESTS' in o or 'assert ' in o and 'HIDDEN' in o)]\n"
                      "print('SECRETS-IN-MEMORY', len(found))"),
}


BIND_ANSWERS = {"c-equals-anything", "c-builtins", "c-builtins-module", "c-patch-modules"}


def _answer_names(stub: str) -> list[str]:
    """Names an answer cell (the released stub) asks the student to define."""
    import ast

    try:
        tree = ast.parse(stub)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def cheat_class(course: Path) -> dict[str, str]:
    """Blank workbooks (the release) with one cheat each, trying to earn points without answering.

    Every one of them must score 0 on every autograded cell; returns {student: cheat}."""
    Path(PICKLE_RAN).unlink(missing_ok=True)
    names = notebook_names(course)
    cases = {}
    for student, code in CHEATS.items():
        notebooks = {}
        for name in names:
            nb = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
            source = nbformat.read(course / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
            answer_names = [n for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")
                            and c.cell_type == "code" for n in _answer_names(_SOLUTION.sub("", c.source))]
            tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                     and not c.metadata["nbgrader"].get("solution") and c.cell_type == "code"]
            if student == "c-skip-tag":
                for cell in tests:
                    cell.metadata["tags"] = ["skip-execution", "raises-exception"]
            elif student == "c-test-as-raw":
                for cell in tests:
                    cell.cell_type = "raw"
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
            elif student == "c-test-new-ids":
                for number, cell in enumerate(tests):
                    cell.id = f"forged-{number}"
                    cell.metadata["tags"] = ["hide-input", "skip"]
                    cell.metadata["nbgrader"]["schema_version"] = 1
            elif student == "c-test-moved-first":
                nb.cells = tests + [c for c in nb.cells if c not in tests]
            answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
            if code and student in BIND_ANSWERS:  # every answer cell: the cheat, then each answer name bound to it
                bind = "".join(f"{n} = _Anything()\n" for n in answer_names)
                for cell in answers:
                    cell.source = code + "\n" + EQUALS_ANYTHING + bind
            elif code:
                answers[0].source = code + "\n" + answers[0].source
            notebooks[f"{name}.ipynb"] = nb
        submit(course, student, notebooks)
        cases[student] = student
    return cases


# The setup cell's helpers, faked: every check passes. With the setup cell kept, they change nothing (the judge's own
# helpers come first); the cheats below take the setup cell away from the judge first.
FAKE_HELPERS = '''
class _Yes:
    fits = says_who = says_why = hands_over = is_open = True
def pitch_check(*args, **kwargs):
    return _Yes()
def question_check(questions):
    return [_Yes() for _ in questions]
def is_choice(*args):
    return True
def letters_in_order(*args):
    return "abcde"
def funding_gap_now(*args):
    return my_gap
my_audience = my_pitch = "x"
my_questions = ["Is it", "Can I", "Do you"]
my_event = "x"
my_costs = {"ticket": 1, "travel": 0, "lodging": 0, "food": 0, "other": 0}
my_awarded = my_pending = 0
my_gap = 12345
'''
SETUP_CHEATS = {"c-setup-deleted": "deleted", "c-setup-skipped": "skip-execution", "c-setup-unlocked": "unlocked",
                "c-setup-moved-last": "moved-last"}


def take_away_setup(nb, how: str) -> None:
    """Keep the judge from running ``nb``'s read-only setup cell the way ``how`` says (``deleted``,
    ``skip-execution``, ``unlocked``: nbgrader metadata removed, ``moved-last``; anything else: left intact)."""
    setup = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("locked")
                 and not c.metadata["nbgrader"].get("grade") and not c.metadata["nbgrader"].get("solution"))
    if how == "deleted":
        nb.cells.remove(setup)
    elif how == "skip-execution":
        setup.metadata["tags"] = ["skip-execution"]
    elif how == "unlocked":
        del setup.metadata["nbgrader"]
    elif how == "moved-last":
        nb.cells.remove(setup)
        nb.cells.append(setup)


def setup_cheat_class(course: Path) -> dict[str, str]:
    """Blank workbooks whose read-only setup cell the judge would not run (deleted, tagged skip-execution, its
    nbgrader metadata removed, moved below the tests), with the setup's helpers faked in every answer cell."""
    cases = {}
    for student, how in SETUP_CHEATS.items():
        notebooks = {}
        for name in notebook_names(course):
            nb = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
            take_away_setup(nb, how)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
                    cell.source = FAKE_HELPERS
            notebooks[f"{name}.ipynb"] = nb
        submit(course, student, notebooks)
        cases[student] = how
    return cases


def good_class(course: Path, count: int, prefix: str = "s") -> list[str]:
    """``count`` honest submissions: all answers, or some left out (so scores differ)."""
    names = notebook_names(course)
    students = []
    for number in range(count):
        student = f"{prefix}{number:03d}"
        notebooks = {}
        for name in names:
            answers = grade_ids(course, name, "answers")
            skip = frozenset(answers[: number % (len(answers) + 1)])
            notebooks[f"{name}.ipynb"] = answered(course, name, skip)
        submit(course, student, notebooks)
        students.append(student)
    return students
