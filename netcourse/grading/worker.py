"""A grading worker: warm once, then per student sanitize (with nbgrader's own preprocessors) and execute.

Workers are started with the ``spawn`` method, so they begin single-threaded and clean; the initializer
imports the modules the assignment uses and builds the recording IPython shell, then every notebook runs
in a fork of that warm process (see :mod:`netcourse.grading.execution`). A worker only reads: it
sanitizes against a snapshot of the gradebook and returns plain data; the parent alone writes the
gradebook.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from .limits import SANDBOX_UID_BASE, Limits, Sandbox, become_subreaper, is_root

_STATE: dict = {}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def warm_up(preload: list[str] = ()) -> None:
    """Fork-safe preparation shared by all workers: single-threaded numeric libraries, imports, the shell."""
    for name in THREAD_VARS:
        os.environ[name] = "1"  # no BLAS thread pools: forks stay safe, and a process limit stays meaningful
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ.pop("JPY_PARENT_PID", None)
    import warnings

    warnings.simplefilter("ignore")  # nbformat's notes on students' files belong to nobody's terminal
    for module in preload:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a module the notebook imports may legitimately be missing
            pass
    try:
        import matplotlib.pyplot  # noqa: F401 - builds the font cache before any fork
    except Exception:  # noqa: BLE001
        pass
    import nbgrader.api  # noqa: F401 - sanitizing needs these; import once, before forking
    import nbgrader.preprocessors  # noqa: F401

    from .execution import build_shell

    build_shell()


def init_worker(slot_queue, preload: list[str], sandboxed: bool) -> None:
    """Pool initializer: warm (a no-op when the fork server did it), adopt orphans, take a slot (uid)."""
    warm_up(preload)
    become_subreaper()
    slot = slot_queue.get()
    _STATE["slot"] = slot
    _STATE["uid"] = SANDBOX_UID_BASE + slot if (sandboxed and is_root()) else None


def ready() -> int:
    """A no-op task: submitting one per worker starts the pool while the parent is still busy."""
    return os.getpid()


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


def prepare_workdir(task: dict, notes: list[str]) -> Path:
    """A private copy of the student's folder with the course's own files laid over it, as nbgrader does."""
    workdir = Path(tempfile.mkdtemp(prefix="student-", dir=task["tmp_base"]))
    budget = [0]
    _copy_files(Path(task["submitted_dir"]), workdir, task["ignore"], True, notes, budget)
    source = Path(task["source_dir"])
    if source.is_dir():
        excluded = {str(source / x) for x in task.get("exclude_overwriting", [])}
        from nbgrader.utils import find_all_files

        for filename in find_all_files(str(source), list(task["ignore"]) + ["*.ipynb"]):
            if filename in excluded:
                continue
            target = workdir / Path(filename).relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(filename, target)
    return workdir


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


def grade_submission(task: dict) -> dict:
    """Sanitize and execute every notebook of one student; return plain data for the parent to record."""
    from .execution import code_cells, run_notebook
    from .messages import explain

    started = time.monotonic()
    notes: list[str] = []
    result: dict = {"student": task["student"], "notebooks": {}, "notes": notes}
    limits = Limits(**task["limits"])
    try:
        workdir = prepare_workdir(task, notes)
    except OSError as error:
        result["error"] = f"could not copy the submission: {error}"
        return result
    try:
        for name in task["notebooks"]:
            path = Path(task["submitted_dir"]) / f"{name}.ipynb"
            try:
                nb = sanitize(path, task)
            except Exception as error:  # noqa: BLE001 - any unreadable notebook is this student's problem only
                result["notebooks"][name] = {"status": "error", "reason": explain(error, f"{name}.ipynb")}
                continue
            import nbformat

            sanitized = nbformat.writes(nb)
            (workdir / f"{name}.ipynb").write_text(sanitized, encoding="utf-8")
            sandbox = Sandbox(workdir=str(workdir), uid=_STATE.get("uid"), hide=tuple(task["hide"]),
                              expose=tuple(task["expose"]))
            run = run_notebook(code_cells(nb), sandbox, limits)
            result["notebooks"][name] = {
                "status": "ok",
                "sanitized": sanitized,
                "sources": [digest(str(cell.source)) for cell in nb.cells],
                "run": run.as_dict(),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result["seconds"] = time.monotonic() - started
    result["worker_max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_max_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def execute_cells(cells: list[tuple[int, str]], limits: dict, hide: tuple[str, ...] = (),
                  files: dict[str, str] | None = None) -> dict:
    """Run ``cells`` in a sandboxed fork of this (initialized) worker, in a fresh private folder; for tests."""
    from .execution import run_notebook
    from .limits import python_paths

    base = tempfile.mkdtemp(prefix="netcourse-cells-")
    os.chmod(base, 0o711)
    workdir = Path(tempfile.mkdtemp(dir=base))
    for name, text in (files or {}).items():
        (workdir / name).write_text(text, encoding="utf-8")
    try:
        sandbox = Sandbox(workdir=str(workdir), uid=_STATE.get("uid"), hide=tuple(hide), expose=python_paths())
        return run_notebook(cells, sandbox, Limits(**limits)).as_dict()
    finally:
        shutil.rmtree(base, ignore_errors=True)
