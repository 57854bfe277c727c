"""A grading worker: one process per student, which sanitizes (with nbgrader's own preprocessors) and grades.

The pool starts each worker fresh from a warm fork server (one student per worker process), so no
worker ever holds another student's work in its memory. A worker then

1. reserves a sandbox uid no other grader on the machine uses (:class:`~netcourse.grading.limits.UidSlot`);
2. copies the submission with the course's files laid over it, twice: a working folder the student's
   process may change, and a pristine one the judge reads (tests never see files rewritten at run time);
3. forks the student processes it will need (spares, running nothing yet) *before* it reads a test, a
   hidden test or the gradebook, so none of that is in their memory;
4. per notebook: sanitizes against a snapshot of the gradebook, checks the kernel, plans the cells and
   runs them (:func:`~netcourse.grading.execution.run_notebook`): student cells in a sandboxed process,
   tests in the judge, here;
5. returns plain data, and the files the notebook wrote (for the autograded folder, as nbgrader keeps
   them). The parent alone writes the gradebook.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import resource
import shutil
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .limits import Limits, Sandbox, SandboxError, UidSlot, become_subreaper, is_root, scratch_on_tmpfs

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_OUTPUT_FILES = 200
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
NOT_COPIED_BACK = ("*.ipynb", "timestamp.txt")
# Imported by every fork server, whatever the assignment: the heavy part of any notebook's imports.
ALWAYS_PRELOAD = ("IPython", "ipywidgets", "numpy", "pandas", "matplotlib.pyplot")
FORKSERVER_PRELOAD = ("netcourse.grading.worker", *ALWAYS_PRELOAD, "netcourse.grading.warm")
_warm = {"done": False}


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def worker_environment() -> None:
    """The environment workers (and the fork server they come from) must start with."""
    for name in THREAD_VARS:
        os.environ[name] = "1"  # no BLAS thread pools: forks stay safe, and a process limit stays meaningful
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def warm_up(preload: list[str] = ()) -> None:
    """Fork-safe preparation shared by all workers: single-threaded numeric libraries, imports, the shell.
    Done in full once per process (the fork server); later calls only import what ``preload`` adds."""
    worker_environment()
    os.environ.pop("JPY_PARENT_PID", None)
    import warnings

    warnings.simplefilter("ignore")  # nbformat's notes on students' files belong to nobody's terminal
    for module in preload:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a module the notebook imports may legitimately be missing
            pass
    if _warm["done"]:
        return
    try:
        import matplotlib.pyplot  # noqa: F401 - builds the font cache before any fork
    except Exception:  # noqa: BLE001
        pass
    import IPython.core.inputtransformer2  # noqa: F401 - the judge turns magics into Python with it
    import nbgrader.api  # noqa: F401 - sanitizing needs these; import once, before forking
    import nbgrader.preprocessors  # noqa: F401

    from . import judge, pipeline, plain, student  # noqa: F401
    from .gradebooks import warm_gradebook_code
    from .shell import recording_shell

    warm_gradebook_code()
    _warm_notebook_checks()
    recording_shell()
    _warm["done"] = True


def _warm_notebook_checks() -> None:
    """Do once, before forking, what each worker would otherwise do on its first notebook: compile nbformat's
    schema validators (reading, writing, nbconvert's check after each step), load the metaschemas behind
    nbgrader's metadata check, and import what the kernel lookup, the sandbox and the executor use."""
    import jupyter_client.kernelspec  # noqa: F401 - kernel_problem
    import jupyter_client.manager  # noqa: F401
    import nbformat
    import psutil  # noqa: F401 - uid checks, killing process trees
    from nbformat import validator
    from nbgrader.nbgraderformat import MetadataValidator

    from . import execution  # noqa: F401

    try:
        import ipykernel.kernelspec  # noqa: F401 - the native kernel's spec
    except ImportError:
        pass
    for minor in sorted({4, nbformat.v4.nbformat_minor}):
        for relaxed in (False, True):
            validator.get_validator(4, minor, relax_add_props=relaxed)
    cell = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "warm", "points": 1, "schema_version": 3}})
    MetadataValidator().validate_nb(nbformat.v4.new_notebook(cells=[cell]))


def init_worker(preload: list[str]) -> None:
    """Pool initializer: warm (a no-op when the fork server did it) and adopt orphans."""
    warm_up(preload)
    become_subreaper()
    os.chdir("/")  # the fork server may have started in a folder that is gone by now (a preflight's scratch)
    # the judge must never import from a student's folder: no relative entries on the module path
    sys.path[:] = [p for p in sys.path if p and os.path.isabs(p)]


# --------------------------------------------------------------------------------------------------- files


def _copy_files(source: Path, dest: Path, ignore: list[str], skip_notebooks: bool, notes: list[str], budget: list[int]):
    from nbgrader.utils import find_all_files

    patterns = list(ignore) + (["*.ipynb"] if skip_notebooks else [])
    for filename in find_all_files(str(source), patterns):
        path = Path(filename)
        relative = path.relative_to(source)
        if path.is_symlink():
            notes.append(f"link {relative} not copied (links are not followed)")
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES or budget[0] + size > MAX_TOTAL_BYTES:
            notes.append(f"file {relative} not copied ({size / 1e6:.0f} MB is too big)")
            continue
        budget[0] += size
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def course_files(task: dict) -> list[str]:
    """The course's own files for this assignment (not notebooks), as nbgrader copies them."""
    from nbgrader.utils import find_all_files

    source = Path(task["source_dir"])
    if not source.is_dir():
        return []
    excluded = {str(source / x) for x in task.get("exclude_overwriting", [])}
    return [f for f in find_all_files(str(source), list(task["ignore"]) + ["*.ipynb"]) if f not in excluded]


def default_scratch_mb(task: dict, limits: Limits) -> int:
    """Room for the course's files three times (working, pristine and course-only copies), twice what may be
    copied back, and four files of the largest size a notebook may write."""
    course_bytes = sum(os.path.getsize(f) for f in course_files(task))
    return (3 * course_bytes + 2 * MAX_TOTAL_BYTES) // 2 ** 20 + 4 * limits.max_file_mb


def prepare_workdir(task: dict, notes: list[str], base: str, with_submission: bool = True) -> Path:
    """A private copy of the student's folder with the course's own files laid over it, as nbgrader does."""
    workdir = Path(tempfile.mkdtemp(prefix="student-", dir=base))
    budget = [0]
    if with_submission:
        _copy_files(Path(task["submitted_dir"]), workdir, task["ignore"], True, notes, budget)
    source = Path(task["source_dir"])
    for filename in course_files(task):
        target = workdir / Path(filename).relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(filename, target)
    return workdir


def files_written(workdir: Path, before: dict[str, tuple], dest: Path, notes: list[str]) -> list[str]:
    """Copy what the notebook's code created or changed in ``workdir`` to ``dest`` (regular files only, never
    links or notebooks, within size limits); return the relative paths copied."""
    import fnmatch

    copied, total = [], 0
    for folder, dirs, files in os.walk(workdir):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))]
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, workdir)
            if any(fnmatch.fnmatch(name, pattern) for pattern in NOT_COPIED_BACK) or name.startswith("."):
                continue
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                continue
            if before.get(relative) == (info.st_size, info.st_mtime_ns):
                continue
            too_big = info.st_size > MAX_FILE_BYTES or total + info.st_size > MAX_TOTAL_BYTES
            if too_big or len(copied) >= MAX_OUTPUT_FILES:
                notes.append(f"file {relative} written by the notebook not kept (too big or too many files)")
                continue
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            total += info.st_size
            copied.append(relative)
    return sorted(copied)


def _inventory(folder: Path) -> dict[str, tuple]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


# --------------------------------------------------------------------------------------------------- sanitizing


def sanitize(path: Path, task: dict):
    """Read and sanitize one notebook exactly as nbgrader's Autograde does before executing it."""
    import nbformat

    with open(path, encoding="utf-8") as handle:
        nb = nbformat.read(handle, as_version=4)
    resources = {
        "unique_key": path.stem,
        "output_files_dir": f"{path.stem}_files",
        "metadata": {"name": path.stem, "path": str(path.parent)},
        "nbgrader": {"student": task["student"], "assignment": task["assignment"], "notebook": path.stem,
                     "db_url": task["db_url"]},
    }
    for klass in task["sanitize"]:
        preprocessor = klass(config=task["config"])
        nb, resources = preprocessor(nb, resources)
    return nb


def read_only_sources(task: dict, name: str) -> tuple[str, ...]:
    """The instructor's read-only code cells of notebook ``name`` (setup cells: locked, neither answer nor test),
    as the gradebook has them: what the judge trusts, whatever the student's copy still holds."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(task["db_url"]) as gradebook:
        try:
            notebook = gradebook.find_notebook(name, task["assignment"])
        except MissingEntry:
            return ()
        graded = {c.name for c in [*notebook.grade_cells, *notebook.solution_cells, *notebook.task_cells]}
        return tuple(c.source for c in notebook.source_cells
                     if c.locked and c.cell_type == "code" and c.name not in graded)


def kernel_problem(nb) -> str:
    """Why nbgrader could not run this notebook's kernel ('' when it could): the same lookup nbclient does."""
    name = (nb.metadata.get("kernelspec") or {}).get("name")
    if not name:
        return ""
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import KernelManager

    try:
        spec = KernelManager(kernel_name=str(name)).kernel_spec
    except NoSuchKernel:
        return f"the notebook asks for the kernel {str(name)[:60]!r}, which is not installed on the grading machine"
    if spec is not None and spec.language.lower() != "python":
        return f"the notebook's kernel {str(name)[:60]!r} runs {spec.language}; this grader runs Python notebooks"
    return ""


# --------------------------------------------------------------------------------------------------- a student


class Spares:
    """Student processes forked ahead of time, from a process that has read nothing secret yet."""

    def __init__(self, sandbox: Sandbox, limits: Limits, count: int):
        from .execution import StudentProcess

        self.waiting: list = []
        for _ in range(count):
            self.waiting.append(StudentProcess(sandbox, limits, keep=self.pids))

    def pids(self) -> set[int]:
        return {p.pid for p in self.waiting}

    def take(self):
        if not self.waiting:
            raise SandboxError("no spare student process left")
        return self.waiting.pop(0)

    def close(self) -> None:
        while self.waiting:
            self.waiting.pop().end()


@contextmanager
def judging_in(folder: Path, course_only: Path):
    """The judge's surroundings while it runs tests: the pristine folder as working folder, the course's own
    modules importable, nbgrader's environment variable set, and nothing relative on the module path."""
    old_cwd, old_path = os.getcwd(), list(sys.path)
    old_env = os.environ.get("NBGRADER_EXECUTION")
    os.chdir(folder)
    sys.path[:] = [str(course_only)] + [p for p in old_path if p and os.path.isabs(p)]
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        if old_env is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = old_env


def _grade_notebook(name: str, task: dict, workdir: Path, pristine: Path, course_only: Path, spares: Spares,
                    limits: Limits) -> dict:
    """Sanitize, run and finish one notebook (:func:`grade_submission`); the entry the parent replays."""
    import nbformat

    from .execution import plan_cells, run_notebook
    from .messages import explain
    from .pipeline import finish_in_worker

    path = Path(task["submitted_dir"]) / f"{name}.ipynb"
    try:
        nb = sanitize(path, task)
    except Exception as error:  # noqa: BLE001 - any unreadable notebook is this student's problem only
        return {"status": "error", "reason": explain(error, f"{name}.ipynb")}
    problem = kernel_problem(nb)
    if problem:
        return {"status": "error", "reason": problem}
    sanitized = nbformat.writes(nb)
    (workdir / f"{name}.ipynb").write_text(sanitized, encoding="utf-8")
    trusted = read_only_sources(task, name)
    with judging_in(pristine, course_only):
        run = run_notebook(plan_cells(nb), spares.take, limits, trusted)
    entry = {"status": "fault" if run.fault else "ok", "sanitized": sanitized,
             "sources": [digest(str(cell.source)) for cell in nb.cells], "run": run.as_dict()}
    if run.fault:
        entry["reason"] = f"not graded: {run.fault}"
    else:
        try:  # Execute's result and the notebook-only steps after it (pipeline.split_autograde)
            entry["graded"] = finish_in_worker(sanitized, entry["run"], task, name)
        except Exception as error:  # noqa: BLE001 - as in nbgrader: this student's notebook fails
            return {"status": "error", "reason": explain(error, f"{name}.ipynb")}
    entry["run"].pop("cells", None)  # they are in the graded notebook now
    return entry


def grade_submission(task: dict) -> dict:
    """Sanitize and grade every notebook of one student; return plain data for the parent to record."""
    from .gradebooks import shared_engines

    started = time.monotonic()
    notes: list[str] = []
    result: dict = {"student": task["student"], "notebooks": {}, "notes": notes, "files_dir": ""}
    limits = Limits(**task["limits"])
    slot = UidSlot(task.get("slot_dir"))
    base = tempfile.mkdtemp(prefix="grade-", dir=task["tmp_base"])
    spares = None
    try:
        uid = slot.acquire() if task["sandbox"] and is_root() else None
        if uid is not None:  # the copies below and whatever the notebook writes: on a tmpfs of bounded size
            scratch_on_tmpfs(base, limits.scratch_mb or default_scratch_mb(task, limits))
        workdir = prepare_workdir(task, notes, base)
        pristine = prepare_workdir(task, [], base)
        course_only = prepare_workdir(task, [], base, with_submission=False)
        before = _inventory(workdir)
        sandbox = Sandbox(workdir=str(workdir), uid=uid, hide=tuple(task["hide"]), expose=tuple(task["expose"]))
        spares = Spares(sandbox, limits, 2 * len(task["notebooks"]))  # nothing secret read yet: see the docstring
        result["uid"] = uid
        with shared_engines():  # one gradebook engine for every sanitizing step of every notebook
            for name in task["notebooks"]:
                result["notebooks"][name] = _grade_notebook(name, task, workdir, pristine, course_only, spares,
                                                            limits)
        outputs = Path(task["tmp_base"]) / "files" / task["student"]
        if files_written(workdir, before, outputs, notes):
            result["files_dir"] = str(outputs)
    except SandboxError as error:
        result["error"] = f"not graded: {error}"
    except OSError as error:
        result["error"] = f"could not copy the submission: {error}"
    finally:
        if spares is not None:
            spares.close()
        slot.release()
        shutil.rmtree(base, ignore_errors=True)
    result["seconds"] = time.monotonic() - started
    result["worker_max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_max_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def execute_cells(cells: list[tuple[int, str, str]], limits: dict, hide: tuple[str, ...] = (),
                  files: dict[str, str] | None = None, sandboxed: bool = True) -> dict:
    """Run ``cells`` [(index, role, source)] as a notebook in a fresh private folder, in this (initialized)
    worker: for tests of the executor and the judge."""
    from .execution import PlannedCell, run_notebook
    from .limits import python_paths

    base = tempfile.mkdtemp(prefix="netcourse-cells-")
    os.chmod(base, 0o711)
    workdir = Path(tempfile.mkdtemp(dir=base))
    pristine = Path(tempfile.mkdtemp(dir=base))
    for name, text in (files or {}).items():
        (workdir / name).write_text(text, encoding="utf-8")
        (pristine / name).write_text(text, encoding="utf-8")
    slot = UidSlot()
    spares = None
    try:
        uid = slot.acquire() if sandboxed and is_root() else None
        sandbox = Sandbox(workdir=str(workdir), uid=uid, hide=tuple(hide), expose=python_paths())
        spares = Spares(sandbox, Limits(**limits), 2)
        with judging_in(pristine, pristine):
            run = run_notebook([PlannedCell(i, role, source) for i, role, source in cells], spares.take,
                               Limits(**limits))
        return {**run.as_dict(), "uid": uid}
    finally:
        if spares is not None:
            spares.close()
        slot.release()
        shutil.rmtree(base, ignore_errors=True)
