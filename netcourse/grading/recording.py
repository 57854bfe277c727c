"""nbgrader's own Autograde, with execution done ahead of time by a pool of warm, sandboxed workers.

:class:`ParallelAutograde` *is* nbgrader's ``Autograde`` converter: it walks the submissions in the same
order, creates students and submissions, copies the course's files, sanitizes each notebook with the
configured ``sanitize_preprocessors``, and runs the configured ``autograde_preprocessors`` — including
``SaveAutoGrades`` and ``AssignLatePenalties`` — so scores and the gradebook are nbgrader's. The one
difference: the ``Execute`` step is replaced by :class:`ReplayExecute`, which fills in the outputs the
workers produced (in parallel, in forks of a warm process, under limits) for exactly the same sanitized
cells (checked by digest). All gradebook writes happen here, in the parent, one student at a time.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
import tempfile
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List, Unicode

from .discovery import Submission, discover, preload_modules
from .limits import Limits, is_root, private_paths, python_paths
from .messages import explain
from .outcomes import FAILED, GRADED, PROBLEMS, SKIPPED, Outcome
from .worker import THREAD_VARS

_BROKER = None


class GradingError(Exception):
    """A submission that cannot be graded, with a reason meant for people."""


class ResultBroker:
    """Hands each student's execution results to the recording step, submitting work on first demand.

    If a worker process dies (something killed it), the pool is rebuilt and unfinished work resubmitted;
    a student whose run breaks the pool twice is failed with that reason, and the others go on.
    """

    def __init__(self, make_pool, make_task):
        import threading

        self.make_pool, self.make_task = make_pool, make_task
        self._pool = None
        self._pool_ready = threading.Event()
        self._starter = threading.Thread(target=self._start, name="start-grading-pool", daemon=True)
        self._starter.start()  # the fork server imports for a while; the parent goes on meanwhile
        self.futures: dict[str, object] = {}
        self.breaks: dict[str, int] = {}

    def _start(self) -> None:
        try:
            self._pool = self.make_pool()
        finally:
            self._pool_ready.set()

    @property
    def pool(self) -> ProcessPoolExecutor:
        self._pool_ready.wait()
        if self._pool is None:
            raise GradingError("the grading workers could not be started (see grading.log)")
        return self._pool

    @pool.setter
    def pool(self, value) -> None:
        self._pool = value

    def submit(self, student: str) -> None:
        if student not in self.futures:
            self.futures[student] = self.pool.submit(_grade, self.make_task(student))

    def _rebuild(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self.make_pool()
        for name, future in list(self.futures.items()):
            if not future.done() or isinstance(future.exception(), BrokenProcessPool):
                self.futures[name] = self.pool.submit(_grade, self.make_task(name))

    def get(self, student: str) -> dict:
        self.submit(student)
        while True:
            try:
                return self.futures[student].result()
            except BrokenProcessPool:
                self.breaks[student] = self.breaks.get(student, 0) + 1
                if self.breaks[student] > 1:
                    self.futures[student] = _failed_future(student)
                    self._rebuild()
                    raise GradingError("a grading worker died twice while running this submission") from None
                self._rebuild()

    def shutdown(self) -> None:
        self._pool_ready.wait()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _failed_future(student: str):
    future = Future()
    future.set_result({"student": student, "notebooks": {}, "notes": [],
                       "error": "a grading worker died twice while running this submission"})
    return future


def _grade(task: dict) -> dict:
    from .worker import grade_submission

    return grade_submission(task)


def _entry(resources) -> dict:
    student = resources["nbgrader"]["student"]
    notebook = resources["nbgrader"]["notebook"]
    result = _BROKER.get(student)
    if result.get("error"):
        raise GradingError(result["error"])
    entry = result["notebooks"].get(notebook)
    if entry is None:
        raise GradingError(f"{notebook}.ipynb was not executed")
    if entry["status"] != "ok":
        raise GradingError(entry["reason"])
    return entry


class ReplaySanitize(NbGraderPreprocessor):
    """Stands in for the sanitize preprocessors: the worker already ran exactly those (same notebook file,
    same source cells from the gradebook, same configuration), so take its result instead of redoing it."""

    def preprocess(self, nb, resources):
        return nbformat.reads(_entry(resources)["sanitized"], as_version=4), resources


class ReplayExecute(NbGraderPreprocessor):
    """Stands in for nbgrader's Execute: puts the workers' outputs into the freshly sanitized notebook."""

    def preprocess(self, nb, resources):
        from .worker import digest

        entry = _entry(resources)
        notebook = resources["nbgrader"]["notebook"]
        if [digest(str(cell.source)) for cell in nb.cells] != entry["sources"]:
            raise GradingError(f"{notebook}.ipynb: the cells executed differ from the cells recorded (internal error)")
        for key, value in entry["run"]["cells"].items():
            cell = nb.cells[int(key)]
            cell.outputs = [nbformat.from_dict(output) for output in value["outputs"]]
            cell.execution_count = value["execution_count"]
            if value.get("started"):
                cell.metadata["execution"] = {
                    "iopub.execute_input": value["started"], "iopub.status.busy": value["started"],
                    "iopub.status.idle": value["ended"], "shell.execute_reply": value["ended"],
                }
        if entry["run"].get("python"):
            nb.metadata["language_info"] = {"name": "python", "version": entry["run"]["python"],
                                            "file_extension": ".py", "mimetype": "text/x-python"}
        return nb, resources


class ParallelAutograde(Autograde):
    """nbgrader's Autograde with parallel, isolated execution and a per-student outcome."""

    workers = Integer(2, help="Worker processes that execute submissions at the same time.").tag(config=True)
    cell_timeout = Float(
        0, help="Wall seconds a cell may run (0: use Execute.timeout, as sequential nbgrader does).").tag(config=True)
    notebook_timeout = Float(300, help="Wall seconds a whole notebook may run.").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds a notebook may use.").tag(config=True)
    memory_mb = Integer(1024, help="Memory (MB of address space) a notebook may add to its worker.").tag(config=True)
    max_output_chars = Integer(100_000, help="Characters of output kept per cell; the rest is cut.").tag(config=True)
    sandbox = Bool(True, help="As root: hide private folders, cut the network, run as an unprivileged uid.").tag(
        config=True)
    preload = List(Unicode(), help="Modules the warm workers import (default: those the release imports).").tag(
        config=True)
    summary_name = Unicode("grading-summary", help="Base name of the summary files in the autograded folder.").tag(
        config=True)
    progress = Bool(True, help="Show a progress bar.").tag(config=True)

    def _limits(self) -> Limits:
        timeout = self.cell_timeout or float(self.config.Execute.get("timeout", Execute.timeout.default_value) or 30)
        return Limits(cell_timeout=timeout, notebook_timeout=self.notebook_timeout, cpu_seconds=self.cpu_seconds,
                      memory_mb=self.memory_mb, max_output_chars=self.max_output_chars)

    # ----------------------------------------------------------------- outcome bookkeeping
    def _finish(self, student: str, status: str, reason: str = "") -> None:
        outcome = self.outcomes.setdefault(student, Outcome(student))
        if outcome.final:
            return
        outcome.status, outcome.final = status, True
        if reason:
            outcome.reasons.append(reason)
        future = _BROKER.futures.get(student) if _BROKER is not None else None
        if future is not None and future.done() and not future.exception():
            for entry in future.result().get("notebooks", {}).values():  # recorded: let the big parts go
                entry.pop("sanitized", None)
                entry.get("run", {}).pop("cells", None)
        if self._bar is not None:
            self._advance()

    def _advance(self) -> None:
        counts = Outcome.counts(self.outcomes.values())
        finished = sum(counts.values())
        self._bar.set_postfix(done=counts[GRADED] + counts[PROBLEMS], failed=counts[FAILED],
                              remaining=self._bar.total - finished, refresh=False)
        self._bar.update(finished - self._bar.n)

    def init_destination(self, assignment_id: str, student_id: str) -> bool:
        go = super().init_destination(assignment_id, student_id)
        if not go:
            self._finish(student_id, SKIPPED, "already graded (use --force to grade again)")
        return go

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        self._current = student_id
        try:
            super().init_assignment(assignment_id, student_id)
        except Exception as error:
            self._finish(student_id, FAILED, self._reason(error))
            raise

    def convert_single_notebook(self, notebook_filename: str) -> None:
        try:
            super().convert_single_notebook(notebook_filename)
        except Exception as error:
            self._finish(self._current, FAILED, self._reason(error, Path(notebook_filename).name))
            raise

    def run_post_convert_hook(self):
        super().run_post_convert_hook()
        student = self._current
        outcome = self.outcomes.setdefault(student, Outcome(student))
        result = _BROKER.futures.get(student)
        if result is not None and result.done() and not result.exception():
            data = result.result()
            outcome.seconds = data.get("seconds", 0.0)
            for name, entry in sorted(data.get("notebooks", {}).items()):
                problems = entry.get("run", {}).get("problems", [])
                outcome.problems.extend(f"{name}: {p}" for p in problems)
            outcome.problems.extend(data.get("notes", []))
        self._finish(student, PROBLEMS if outcome.problems else GRADED)

    def _init_preprocessors(self) -> None:
        if not self._sanitizing:
            return super()._init_preprocessors()
        self.exporter._preprocessors = []
        self.exporter.register_preprocessor(ReplaySanitize)

    @staticmethod
    def _reason(error: BaseException, filename: str = "") -> str:
        if isinstance(error, GradingError):
            return str(error)
        text = str(error)
        if "No notebooks found" in text:
            return "no notebook with the assignment's file name was submitted"
        return explain(error, filename or "the submission")

    # ----------------------------------------------------------------- the run
    def _would_process(self, submission: Submission) -> bool:
        """nbgrader's init_destination decision, without its side effects (it deletes old results)."""
        excluded = self.coursedir.student_id_exclude.split(",") if self.coursedir.student_id_exclude else []
        if submission.student in excluded:
            return False
        dest = Path(self._format_dest(submission.assignment, submission.student))
        if self.force or not dest.exists():
            return True
        new = self.coursedir.get_existing_timestamp(self._format_source(submission.assignment, submission.student))
        old = self.coursedir.get_existing_timestamp(str(dest))
        return bool(new and old and new > old)

    def _start_pool(self, preload: list[str]) -> ResultBroker:
        """Start the workers now (they warm up while the parent discovers and snapshots)."""
        for name in THREAD_VARS:
            os.environ[name] = "1"  # before the fork server imports numpy: no BLAS thread pools to fork
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        # Workers fork from a fork server that imported the heavy modules and built the shell once
        # (single-threaded, clean); each worker then forks one sandboxed child per notebook.
        context = get_context("forkserver")
        context.set_forkserver_preload(["netcourse.grading.worker", *preload, "netcourse.grading.warm"])
        slots = context.Queue()

        def make_pool() -> ProcessPoolExecutor:
            while not slots.empty():
                slots.get()
            for slot in range(self.workers):
                slots.put(slot)
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_init,
                                       initargs=(slots, preload, self.sandbox))
            for _ in range(self.workers):
                pool.submit(_ready)
            return pool

        return ResultBroker(make_pool, None)

    def start(self) -> None:  # noqa: C901 - one linear story: pool, discover, record, summarise
        global _BROKER
        self.outcomes: dict[str, Outcome] = {}
        self._bar = None
        self._current = ""
        self.peak_worker_rss_mb = self.peak_child_rss_mb = 0.0
        started = time.monotonic()
        root = Path(self.coursedir.root)
        db_file = self.coursedir.db_url[len("sqlite:///"):] if self.coursedir.db_url.startswith("sqlite:///") else None
        preload = list(self.preload) or preload_modules(self.coursedir, self.coursedir.assignment_id)
        _BROKER = broker = self._start_pool(preload)
        tmp_base = Path(tempfile.mkdtemp(prefix="netcourse-grade-"))
        os.chmod(tmp_base, 0o711)
        log_path = Path(self.coursedir.format_path(self.coursedir.autograded_directory, ".", ".")) / "grading.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        self.log.addHandler(file_handler)
        handlers = [h for h in self.log.handlers if isinstance(h, logging.StreamHandler)
                    and not isinstance(h, logging.FileHandler)]
        levels = [h.level for h in handlers]
        for handler in handlers:
            handler.setLevel(logging.CRITICAL)  # the bar and the summary speak; details go to grading.log
        self.log.info("netcourse-grade: %d workers starting; preloading %s", self.workers, ", ".join(preload))
        try:
            submissions = discover(self.coursedir, self.coursedir.assignment_id, self.coursedir.student_id)
            self.log.info("netcourse-grade: %d submissions (%.1f s)", len(submissions), time.monotonic() - started)
            for sub in submissions:
                outcome = self.outcomes.setdefault(sub.student, Outcome(sub.student))
                outcome.problems.extend(sub.notes)
                if sub.failure:
                    outcome.status, outcome.final = FAILED, True
                    outcome.reasons.append(sub.failure)
            if db_file and os.path.exists(db_file) and is_root():
                os.chmod(db_file, stat.S_IRUSR | stat.S_IWUSR)  # students' code must never read the gradebook
            snapshot_url, snapshot = self.coursedir.db_url, None
            if db_file and os.path.exists(db_file):
                snapshot = tmp_base / "gradebook-snapshot.db"  # workers read this copy; only we write the real one
                shutil.copyfile(db_file, snapshot)
                os.chmod(snapshot, 0o600)
                snapshot_url = f"sqlite:///{snapshot}"
            limits = self._limits()
            hide = private_paths(root, db_file, extra=(str(snapshot),) if snapshot else ())
            expose = python_paths()
            sanitize = list(self.sanitize_preprocessors)
            by_student = {s.student: s for s in submissions}

            def make_task(student: str) -> dict:
                sub = by_student[student]
                return {
                    "student": student, "assignment": sub.assignment, "submitted_dir": str(sub.folder),
                    "source_dir": self.coursedir.format_path(self.coursedir.source_directory, ".", sub.assignment),
                    "notebooks": sub.notebooks, "db_url": snapshot_url, "config": self.config, "sanitize": sanitize,
                    "ignore": list(self.coursedir.ignore), "limits": limits.as_dict(), "tmp_base": str(tmp_base),
                    "exclude_overwriting": list(self.exclude_overwriting.get(sub.assignment, [])),
                    "hide": list(hide), "expose": list(expose),
                }

            broker.make_task = make_task
            replaced = [ReplayExecute if (isinstance(p, type) and issubclass(p, Execute)) else p
                        for p in self.autograde_preprocessors]
            if ReplayExecute not in replaced:
                replaced.insert(0, ReplayExecute)
            self.autograde_preprocessors = replaced
            for sub in sorted(submissions, key=lambda s: str(s.folder)):
                if not sub.failure and sub.notebooks and self._would_process(sub):
                    broker.submit(sub.student)
            self.log.info("netcourse-grade: work queued (%.1f s)", time.monotonic() - started)
            if self.progress:
                from tqdm import tqdm

                self._bar = tqdm(total=len(submissions), unit="student", desc="grading", file=sys.stderr,
                                 dynamic_ncols=True)
                self._advance()
            try:
                if any(not o.final for o in self.outcomes.values()):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # nbformat/SQLAlchemy chatter about students' files
                        super().start()
            except Exception as error:  # nbgrader's own "there were errors" after the loop
                if "error" not in str(error).lower():
                    raise
            finally:
                for student, outcome in self.outcomes.items():
                    if not outcome.final:
                        self._finish(student, FAILED, "not graded (see grading.log)")
                if self._bar is not None:
                    self._bar.close()
                self._collect_memory()
        finally:
            for handler, level in zip(handlers, levels, strict=True):
                handler.setLevel(level)
            broker.shutdown()
            _BROKER = None
            self.log.removeHandler(file_handler)
            file_handler.close()
            shutil.rmtree(tmp_base, ignore_errors=True)
        self.elapsed = time.monotonic() - started

    def _collect_memory(self) -> None:
        rss = [f.result().get("worker_max_rss_mb", 0.0) for f in _BROKER.futures.values()
               if f.done() and not f.exception()]
        kids = [f.result().get("children_max_rss_mb", 0.0) for f in _BROKER.futures.values()
                if f.done() and not f.exception()]
        self.peak_worker_rss_mb = max(rss, default=0.0)
        self.peak_child_rss_mb = max(kids, default=0.0)


def _ready() -> int:
    from .worker import ready

    return ready()


def _init(slots, preload, sandboxed):
    from .worker import init_worker

    init_worker(slots, preload, sandboxed)
