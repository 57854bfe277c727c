"""Find the class's submissions and say, before grading, what is odd about each folder."""

from __future__ import annotations

import ast
import difflib
import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .worker import ALWAYS_PRELOAD


class GradebookMissing(Exception):
    """The assignment is not in the gradebook: nothing can be graded."""


@dataclass
class Submission:
    student: str
    assignment: str
    folder: Path
    notebooks: list[str] = field(default_factory=list)  # expected notebooks present (names without .ipynb)
    notes: list[str] = field(default_factory=list)
    failure: str = ""
    empty: bool = False  # no notebook at all: nothing was submitted, so there is nothing to grade
    unsafe: bool = False  # a link or a special file where the grader reads: nothing of it may be opened


def _not_plain(folder: Path) -> list[str]:
    """What, among the paths the grader opens (the student's folder, the assignment's, its notebooks and
    timestamp.txt), is a link or not a plain file or folder. A notebook linked to source/ would be graded as
    the student's work, one linked to a classmate's copies their answers, and a named pipe hangs whoever opens it."""
    import stat

    found = []
    for path, want in ((folder.parent, stat.S_ISDIR), (folder, stat.S_ISDIR)):
        if not want(os.lstat(path).st_mode):
            found.append(path.name)
    if found:
        return found
    for path in sorted([*folder.glob("*.ipynb"), folder / "timestamp.txt"]):
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            found.append(path.name)
    return found


def expected_notebooks(coursedir, assignment: str) -> list[str]:
    """The assignment's notebooks as the gradebook knows them (nbgrader grades nothing else)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            raise GradebookMissing(
                f"The gradebook has no assignment '{assignment}': run `nbgrader generate_assignment {assignment}` "
                "(make release) first."
            ) from None


def _released(coursedir, assignment: str, name: str) -> Path:
    return Path(coursedir.format_path(coursedir.release_directory, ".", assignment)) / f"{name}.ipynb"


def inspect_folder(folder: Path, student: str, assignment: str, expected: list[str], coursedir) -> Submission:
    sub = Submission(student=student, assignment=assignment, folder=folder)
    if any(ch in student for ch in "\n\r"):  # nbgrader cannot parse the path: it would stop grading the class
        sub.failure = "the student folder's name holds a line break: not graded (rename the folder)"
        sub.unsafe = True
        return sub
    odd = _not_plain(folder)
    if odd:
        sub.failure = (f"{', '.join(odd[:5])}: a link or a special file, not a plain file or folder; the grader "
                       "opens none of it (links are not followed): submit the notebooks themselves")
        sub.unsafe = True
        return sub
    files = sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    top_notebooks = {p.stem: p for p in folder.glob("*.ipynb")}
    for name in expected:
        path = top_notebooks.get(name)
        if path is None:
            lowered = {stem.lower(): stem for stem in top_notebooks}
            guess = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.5)
            hint = f" (found {lowered[guess[0]]}.ipynb: wrong file name?)" if guess else ""
            sub.notes.append(f"{name}.ipynb missing, scored 0{hint}")
            continue
        sub.notebooks.append(name)
        size = path.stat().st_size
        if size == 0:
            sub.notes.append(f"{name}.ipynb is empty (0 bytes)")
        released = _released(coursedir, assignment, name)
        if size and released.exists() and released.read_bytes() == path.read_bytes():
            sub.notes.append(f"{name}.ipynb is the released notebook, unchanged (no answers saved)")
    unknown = sorted(set(top_notebooks) - set(expected))
    if unknown:
        sub.notes.append("notebooks not part of the assignment, ignored: " + ", ".join(f"{n}.ipynb" for n in unknown))
    extra = [p.relative_to(folder).as_posix() for p in files if p.suffix != ".ipynb" and p.name != "timestamp.txt"
             and ".ipynb_checkpoints" not in p.parts]
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        sub.notes.append(f"extra files: {shown}")
    if not top_notebooks:
        sub.failure = "no notebook in the submission folder"
        sub.empty = True
    elif not sub.notebooks:
        wanted = ", ".join(f"{n}.ipynb" for n in expected)
        found = ", ".join(f"{n}.ipynb" for n in sorted(top_notebooks))
        sub.failure = f"no notebook with the assignment's file name ({wanted}) was submitted; found {found}"
    if sub.failure:
        sub.notes = [n for n in sub.notes if n.startswith("extra files")]
    return sub


def discover(coursedir, assignment: str, student_glob: str = "*") -> list[Submission]:
    """Every student folder for ``assignment`` under submitted/, inspected."""
    expected = expected_notebooks(coursedir, assignment)
    pattern = coursedir.format_path(coursedir.submitted_directory, student_glob or "*", assignment)
    found = []
    for folder in sorted(glob.glob(pattern)):
        if not os.path.isdir(folder):
            continue
        student = Path(folder).parent.name
        found.append(inspect_folder(Path(folder), student, assignment, expected, coursedir))
    return found


def imported_modules(source: str) -> set[str]:
    """Dotted module names imported by a piece of code (magics and syntax errors are ignored)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def preload_modules(coursedir, assignment: str) -> list[str]:
    """Modules worth importing once per worker: those the assignment's notebooks import, plus the usual."""
    names = set(ALWAYS_PRELOAD)
    for step in (coursedir.source_directory, coursedir.release_directory):
        folder = Path(coursedir.format_path(step, ".", assignment))
        for path in folder.glob("*.ipynb"):
            try:
                nb = nbformat.read(str(path), as_version=4)
            except Exception:  # noqa: BLE001 - a broken course notebook only loses its preload
                continue
            for cell in nb.cells:
                if cell.cell_type == "code":
                    names |= imported_modules(cell.source)
    return sorted(names)
