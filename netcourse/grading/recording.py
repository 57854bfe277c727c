"""nbgrader's own Autograde, with execution done ahead of time by a pool of warm, sandboxed workers.

:class:`ParallelAutograde` *is* nbgrader's ``Autograde`` converter: it walks the submissions in the same
order, creates students and submissions, copies the course's files, and runs the configured
``autograde_preprocessors`` — including ``SaveAutoGrades`` and ``AssignLatePenalties`` — so scores and the
gradebook are nbgrader's. Two steps are done by the workers instead, and replayed here by preprocessor
*instances* nbconvert accepts in place of classes: :class:`ReplaySanitize` (the worker ran exactly the
configured ``sanitize_preprocessors``) and :class:`ReplayExecute` (instead of ``Execute``: the outputs the
worker produced, with test cells decided by the judge, for exactly these sanitized cells, checked by
digest). All gradebook writes happen here, in the parent, one student at a time.

Before the class, :mod:`netcourse.grading.preflight` grades the instructor's own solution through this
same path; a student whose grading hit a fault of the machine is reported "not graded", never scored.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import Execute
from traitlets import Any, Bool, Float, Integer, List, TraitError, Unicode, validate

from .discovery import Submission, discover, preload_modules
from .gradebooks import shared_engines
from .limits import Limits, is_root, private_paths, python_paths, reap_orphans
from .messages import explain
from .outcomes import FAILED, GRADED, NOT_SUBMITTED, PROBLEMS, SKIPPED, Outcome
from .pipeline import EXECUTE, GradingError, ReplayExecute, ReplaySanitize, split_autograde
from .worker import FORKSERVER_PRELOAD, digest, worker_environment


class ResultBroker:
    """Hands each student's execution results to the recording step, submitting work on first demand.

    If a worker process dies (something killed it: without the sandbox, a student's code can), the pool breaks
    for every student it was running or holding. Those it was *running* (each worker leaves a marker while it
    grades, :func:`_grade`) are suspects: they are graded again alone, one at a time, in a pool of one worker,
    so the next death names its student exactly. A student is failed ("died twice") only after a death while
    graded alone; a classmate who merely ran beside the culprit is graded normally. The rest is resubmitted.

    A watchdog backs up the limits the workers enforce themselves: a worker still grading one student after
    :func:`submission_budget` seconds (stuck somewhere no alarm reaches, such as a long computation in C) is
    killed, and that student is "not graded" with the reason.
    """

    def __init__(self, make_pool):
        self.make_pool = make_pool
        self.tasks: dict[str, dict] = {}
        self._pool = None
        self._alone = None  # the pool of one worker for suspects (made on the first break)
        self._pool_ready = threading.Event()
        self._starter = threading.Thread(target=self._start, name="start-grading-pool", daemon=True)
        self._starter.start()  # the fork server imports for a while; the parent goes on meanwhile
        self.futures: dict[str, Future] = {}
        self.alone: set[str] = set()  # students graded in the pool of one
        self.breaks: dict[str, int] = {}
        self.overran: dict[str, float] = {}  # students whose worker the watchdog stopped, with the limit

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

    def submit(self, student: str, task: dict) -> None:
        if student not in self.futures:
            self.tasks[student] = task
            self.futures[student] = self.pool.submit(_grade, task)

    def _broken(self, name: str) -> bool:
        future = self.futures[name]
        return future.done() and isinstance(future.exception(), BrokenProcessPool)

    def _after_break(self, student: str) -> None:
        """``student``'s pool broke: find whom it was running, strike them, rebuild it and resubmit its work."""
        alone = student in self.alone
        members = [n for n in self.futures if (n in self.alone) == alone]
        running = {n for n in members if _take_marker(self.tasks[n])} or {student}
        for name in running:
            self.breaks[name] = self.breaks.get(name, 0) + 1
        reap_orphans(self.tasks[student].get("slot_dir"))  # the dead worker's student processes: nobody else would
        if alone:
            self._alone.shutdown(wait=False, cancel_futures=True)
            self._alone = self.make_pool(1)
        else:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self.make_pool()
        for name in members:
            future = self.futures[name]
            if future.done() and not self._broken(name) and not future.cancelled():
                continue  # finished before the break: its result stands
            if name in self.overran:
                self.futures[name] = _failed_future(name, (
                    f"not graded: grading this submission took longer than {self.overran[name]:.0f} s, the "
                    "grader's limit for one submission (a test may be stuck; see grading.log)"))
            elif name in running and (alone or self.breaks[name] > 1):
                self.futures[name] = _failed_future(name)  # its worker died while it was graded alone
            elif name in running or name in self.alone:
                self.alone.add(name)
                if self._alone is None:
                    self._alone = self.make_pool(1)
                self.futures[name] = self._alone.submit(_grade, self.tasks[name])
            else:
                self.futures[name] = self.pool.submit(_grade, self.tasks[name])

    def get(self, student: str) -> dict:
        while True:
            try:
                return self.futures[student].result(timeout=WATCH_EVERY)
            except TimeoutError:
                self._watch()
            except BrokenProcessPool:
                self._after_break(student)
            except CancelledError:  # cancelled by a pool's shutdown and not yet resubmitted: resubmit, no strike
                pool = self._alone if student in self.alone else self.pool
                self.futures[student] = pool.submit(_grade, self.tasks[student])

    def _watch(self) -> None:
        """Stop any worker that has been grading one student for longer than that submission's budget."""
        now = time.time()
        for name, future in self.futures.items():
            if future.done() or name in self.overran:
                continue
            marker = _marker(self.tasks[name])
            try:
                started, pid = marker.stat().st_mtime, int(marker.read_text() or 0)
            except (OSError, ValueError):
                continue  # not started yet (queued), or just finished
            budget = submission_budget(self.tasks[name])
            if now - started > budget and pid > 1 and pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)  # the pool breaks; _after_break fails this student only
                except OSError:
                    continue
                self.overran[name] = budget

    def release(self, student: str) -> None:
        """The student is recorded: let the big parts of the result go."""
        future = self.futures.get(student)
        if future is not None and future.done() and not future.exception():
            for entry in future.result().get("notebooks", {}).values():
                entry.pop("sanitized", None)
                entry.get("run", {}).pop("cells", None)

    def shutdown(self) -> None:
        self._pool_ready.wait()
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _marker(task: dict) -> Path:
    """The file a worker keeps while it grades ``task`` (in the grader's private scratch folder)."""
    return Path(task["tmp_base"]) / "running" / digest(str(task["student"]))


def _take_marker(task: dict) -> bool:
    """True if a worker was grading ``task`` when it stopped (its marker is still there); removes it."""
    marker = _marker(task)
    try:
        marker.unlink()
    except OSError:
        return False
    return True


def _failed_future(student: str, reason: str = "not graded: a grading worker died twice while running this "
                                                 "submission") -> Future:
    future = Future()
    future.set_result({"student": student, "notebooks": {}, "notes": [], "error": reason})
    return future


WATCH_EVERY = 2.0  # seconds between the watchdog's looks while the parent waits for a result


def submission_budget(task: dict) -> float:
    """Wall seconds one submission may take in its worker before the watchdog stops it: the configured
    ``submission_timeout``, else each notebook's own limit plus a minute, and two minutes for the rest."""
    limits = task["limits"]
    if limits.get("submission_timeout"):
        return float(limits["submission_timeout"])
    return len(task.get("notebooks") or [1]) * (float(limits["notebook_timeout"]) + 60) + 120


def _option(name: str) -> str:
    """How an instructor sets ParallelAutograde's setting ``name`` on the command line."""
    option = {"max_output_chars": "max-output"}.get(name, name.replace("_", "-"))
    return f"--{option} (ParallelAutograde.{name})"


def _grade(task: dict) -> dict:
    """In a worker: grade one student, with a marker on disk while it runs (see :class:`ResultBroker`)."""
    from .worker import grade_submission

    marker = _marker(task)
    try:
        marker.parent.mkdir(mode=0o700, exist_ok=True)
        marker.write_text(str(os.getpid()))  # whom to stop if it never finishes (ResultBroker._watch)
    except OSError:
        pass
    try:
        return grade_submission(task)
    finally:
        marker.unlink(missing_ok=True)


class ParallelAutograde(Autograde):
    """nbgrader's Autograde with parallel, isolated execution, trusted verdicts and a per-student outcome."""

    workers = Integer(2, help="Worker processes that execute submissions at the same time.").tag(config=True)
    cell_timeout = Float(
        0, help="Wall seconds a cell may run (0: use Execute.timeout, as sequential nbgrader does).").tag(config=True)
    notebook_timeout = Float(300, help="Wall seconds a whole notebook may run.").tag(config=True)
    submission_timeout = Float(0, help="Wall seconds a worker may spend on one submission before it is stopped and "
                                       "the student is 'not graded' (0: each notebook's limit plus a minute, and two "
                                       "minutes more).").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds a notebook may use.").tag(config=True)
    memory_mb = Integer(1024, help="Memory (MB of address space) a notebook may add to its worker.").tag(config=True)
    max_output_chars = Integer(100_000, help="Characters of output kept per cell; the rest is cut.").tag(config=True)
    scratch_mb = Integer(0, help="As root, MB of the in-memory folder (tmpfs) each student is graded in: what a "
                                 "notebook can write is bounded by it, and it is memory while that student is graded "
                                 "(0: sized from the course, about 650 MB for this one).").tag(config=True)
    sandbox = Bool(True, help="As root: hide private folders, cut the network, run as an unprivileged uid.").tag(
        config=True)
    preflight = Bool(True, help="First grade the instructor's solution (source/) the same way; stop if it does "
                                "not earn every autograded point.").tag(config=True)
    preload = List(Unicode(), help="Modules the warm workers import (default: those the release imports).").tag(
        config=True)
    extra_readonly = List(Unicode(), help="Folders students' code may read besides Python (e.g. a shared data "
                                          "folder); mounted read-only in the sandbox.").tag(config=True)
    summary_name = Unicode("grading-summary", help="Base name of the summary files in the autograded folder.").tag(
        config=True)
    progress = Bool(True, help="Show a progress bar.").tag(config=True)
    broker = Any(None, help="A ResultBroker to share (the preflight uses the class's pool).")
    on_queued = Any(None, help="Called once this run's work is queued (the preflight queues the class's then).")

    @validate("workers", "notebook_timeout", "cpu_seconds", "memory_mb", "max_output_chars")
    def _positive(self, proposal):
        if proposal["value"] <= 0:
            raise TraitError(f"{_option(proposal['trait'].name)} must be more than 0, not {proposal['value']}")
        return proposal["value"]

    @validate("cell_timeout", "submission_timeout", "scratch_mb")
    def _zero_or_more(self, proposal):
        if proposal["value"] < 0:
            raise TraitError(f"{_option(proposal['trait'].name)} must be 0 (the default: worked out for you) or "
                             f"more, not {proposal['value']}")
        return proposal["value"]

    def _limits(self) -> Limits:
        timeout = self.cell_timeout or float(self.config.Execute.get("timeout", Execute.timeout.default_value) or 30)
        return Limits(cell_timeout=timeout, notebook_timeout=self.notebook_timeout, cpu_seconds=self.cpu_seconds,
                      memory_mb=self.memory_mb, max_output_chars=self.max_output_chars,
                      scratch_mb=self.scratch_mb, submission_timeout=self.submission_timeout)

    @property
    def executing(self) -> bool:
        """False under ``--no-execute``: then nbgrader scores the outputs the students saved, as it documents."""
        return self.config.Execute.get("enabled", True) is not False

    # ----------------------------------------------------------------- outcome bookkeeping
    def _finish(self, student: str, status: str, reason: str = "") -> None:
        outcome = self.outcomes.setdefault(student, Outcome(student))
        if outcome.final:
            return
        outcome.status, outcome.final = status, True
        if reason:
            outcome.reasons.append(reason)
        if self._broker is not None:
            self._broker.release(student)
        if status == FAILED:
            self._unscore(student)
        if self._bar is not None:
            self._advance()

    def _unscore(self, student: str, void: bool = False) -> None:
        """A student who could not be graded must not show as zero: their autograded cells wait for a person
        (``void``: scores left from an earlier run are cleared as well)."""
        from nbgrader.api import Gradebook, MissingEntry

        try:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
                submission = gb.find_submission(self.coursedir.assignment_id, student)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if void:
                            grade.auto_score = None
                        if grade.auto_score is None and grade.manual_score is None:
                            grade.needs_manual_grade = True
                gb.db.commit()
        except MissingEntry:
            pass

    def _advance(self) -> None:
        counts = Outcome.counts(self.outcomes.values())
        finished = sum(counts.values())
        self._bar.set_postfix(done=counts[GRADED] + counts[PROBLEMS], failed=counts[FAILED],
                              remaining=self._bar.total - finished, refresh=False)
        self._bar.update(finished - self._bar.n)

    def init_notebooks(self) -> None:
        super().init_notebooks()
        unsafe = getattr(self, "_unsafe", set())
        for folder in [f for f in self.assignments if Path(f).parent.name in unsafe]:
            # links, special files or a name nbgrader cannot parse (discovery): nbgrader must not open them either,
            # and an earlier run's scores are not this submission's
            del self.assignments[folder]
            self._unscore(Path(folder).parent.name, void=True)

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
        future = self._broker.futures.get(student) if self._broker is not None else None
        if future is not None and future.done() and not future.exception():
            data = future.result()
            outcome.seconds = data.get("seconds", 0.0)
            for name, entry in sorted(data.get("notebooks", {}).items()):
                problems = entry.get("run", {}).get("problems", [])
                outcome.problems.extend(f"{name}: {p}" for p in problems)
            outcome.problems.extend(data.get("notes", []))
            self._keep_written_files(student, data.get("files_dir"))
        self._finish(student, PROBLEMS if outcome.problems else GRADED)

    def _keep_written_files(self, student: str, folder: str | None) -> None:
        """Files the notebook's code wrote end up beside the autograded notebook, as with nbgrader's kernel."""
        if not folder or not os.path.isdir(folder):
            return
        dest = Path(self._format_dest(self.coursedir.assignment_id, student))
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                target = dest / path.relative_to(folder)
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)

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
        if self.coursedir.notebook_id != "*" and any(not (dest / f"{n}.ipynb").exists() for n in submission.notebooks):
            return True
        new = self.coursedir.get_existing_timestamp(self._format_source(submission.assignment, submission.student))
        old = self.coursedir.get_existing_timestamp(str(dest))
        return bool(new and old and new > old)

    def _make_pool_factory(self, preload: list[str]):
        worker_environment()  # before the fork server imports numpy: no BLAS thread pools to fork
        # Workers fork from a fork server that imported the heavy modules and built the shell once
        # (single-threaded, clean). One student per worker process: none holds another's work in memory.
        # netcourse-grade starts that server as it starts (cli.start_fork_server), with the usual modules;
        # each worker then imports only what this assignment adds (init_worker).
        context = get_context("forkserver")
        context.set_forkserver_preload([*FORKSERVER_PRELOAD[:-1], *preload, FORKSERVER_PRELOAD[-1]])
        workers = self.workers

        def make_pool(size: int = 0) -> ProcessPoolExecutor:
            from multiprocessing import forkserver

            forkserver.ensure_running()  # the fork server imports the heavy modules now, while the parent goes on
            return ProcessPoolExecutor(max_workers=size or workers, mp_context=context, initializer=_init,
                                       initargs=(preload,), max_tasks_per_child=1)

        return make_pool

    def _task(self, sub: Submission, context: dict) -> dict:
        return {
            "student": sub.student, "assignment": sub.assignment, "submitted_dir": str(sub.folder),
            "source_dir": self.coursedir.format_path(self.coursedir.source_directory, ".", sub.assignment),
            "notebooks": sub.notebooks, "db_url": context["snapshot_url"], "config": self.config,
            "sanitize": context["sanitize"], "ignore": list(self.coursedir.ignore), "limits": context["limits"],
            "tmp_base": context["tmp_base"],
            "exclude_overwriting": list(self.exclude_overwriting.get(sub.assignment, [])),
            "hide": list(context["hide"]), "expose": list(context["expose"]), "sandbox": bool(self.sandbox),
            "finish": list(context.get("finish", [])), "exporter_class": self.exporter_class,
            "autograded_dir": self._format_dest(sub.assignment, sub.student),
        }

    def start(self) -> None:
        with shared_engines():  # one gradebook engine per file for the whole run: see gradebooks.py
            self._start()

    def _start(self) -> None:  # noqa: C901 - one linear story: pool, preflight, discover, record, summarise
        self.outcomes: dict[str, Outcome] = {}
        self.preflight_result = None
        self._bar = None
        self._current = ""
        self.peak_worker_rss_mb = self.peak_child_rss_mb = 0.0
        started = time.monotonic()
        self.elapsed = 0.0
        if not self.executing:
            self._finish_without_execution()
            return
        root = Path(self.coursedir.root)
        db_file = self.coursedir.db_url[len("sqlite:///"):] if self.coursedir.db_url.startswith("sqlite:///") else None
        preload = list(self.preload) or preload_modules(self.coursedir, self.coursedir.assignment_id)
        own_pool = self.broker is None
        self._broker = broker = self.broker or ResultBroker(self._make_pool_factory(preload))
        tmp_base = Path(tempfile.mkdtemp(prefix="netcourse-grade-"))
        os.chmod(tmp_base, 0o711)
        log_path = Path(self.coursedir.format_path(self.coursedir.autograded_directory, ".", ".")) / "grading.log"
        handlers, levels, file_handler = self._quiet_logging(log_path)
        self.log.info("netcourse-grade: %d workers starting; preloading %s", self.workers, ", ".join(preload))
        try:
            submissions = discover(self.coursedir, self.coursedir.assignment_id, self.coursedir.student_id)
            if self.coursedir.notebook_id != "*":
                for sub in submissions:
                    sub.notebooks = [n for n in sub.notebooks if fnmatch.fnmatch(n, self.coursedir.notebook_id)]
            self.log.info("netcourse-grade: %d submissions (%.1f s)", len(submissions), time.monotonic() - started)
            self._unsafe = {sub.student for sub in submissions if sub.unsafe}
            for sub in submissions:
                outcome = self.outcomes.setdefault(sub.student, Outcome(sub.student))
                outcome.problems.extend(sub.notes)
                if sub.failure:
                    outcome.status, outcome.final = (NOT_SUBMITTED if sub.empty else FAILED), True
                    outcome.reasons.append(sub.failure)
            if db_file and os.path.exists(db_file) and is_root():
                os.chmod(db_file, stat.S_IRUSR | stat.S_IWUSR)  # students' code must never read the gradebook
            snapshot_url, snapshot = self.coursedir.db_url, None
            if db_file and os.path.exists(db_file):
                snapshot = tmp_base / "gradebook-snapshot.db"  # workers read this copy; only we write the real one
                shutil.copyfile(db_file, snapshot)
                os.chmod(snapshot, 0o600)
                snapshot_url = f"sqlite:///{snapshot}"
            context = {"snapshot_url": snapshot_url, "limits": self._limits().as_dict(), "tmp_base": str(tmp_base),
                       "hide": private_paths(root, db_file, extra=(str(snapshot),) if snapshot else ()),
                       "expose": (*python_paths(), *(os.path.realpath(p) for p in self.extra_readonly)),
                       "sanitize": list(self.sanitize_preprocessors)}
            context["finish"], kept = split_autograde(list(self.autograde_preprocessors))
            self.log.info("netcourse-grade: in the workers after Execute: %s; here: %s",
                          ", ".join(p.__name__ for p in context["finish"]) or "nothing",
                          ", ".join(_name(p) for p in kept))
            work = [(sub.student, self._task(sub, context)) for sub in sorted(submissions, key=lambda s: str(s.folder))
                    if not sub.failure and sub.notebooks and self._would_process(sub)]

            def queue_class() -> None:  # idempotent: the broker submits each student once
                for student, task in work:
                    broker.submit(student, task)

            if self.preflight and own_pool:
                from .preflight import run_preflight

                # The class's notebooks run in the workers (on the snapshot) while the solution's result is
                # recorded; none of it reaches the gradebook unless the solution earns every point.
                self.preflight_result = run_preflight(self, broker, then=queue_class)
                if not self.preflight_result.passed:
                    return
            queue_class()
            if self.on_queued is not None:
                self.on_queued()
            original = (self.sanitize_preprocessors, self.autograde_preprocessors)
            self.sanitize_preprocessors = [ReplaySanitize(broker=broker, parent=self)]
            self.autograde_preprocessors = [
                ReplayExecute(broker=broker, parent=self, moved=bool(context["finish"])) if p is EXECUTE else p
                for p in kept]
            self.log.info("netcourse-grade: work queued (%.1f s)", time.monotonic() - started)
            if self.progress and submissions:  # no bar for an empty class (the message says why)
                from tqdm import tqdm

                self._bar = tqdm(total=len(submissions), unit="student", desc="grading", file=sys.stderr,
                                 dynamic_ncols=True)
                self._advance()
            try:
                if any(not o.final for o in self.outcomes.values()):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # nbformat/SQLAlchemy chatter about students' files
                        super().start()
            except NbGraderException:
                pass  # nbgrader's own "there were errors" after the loop: each student's outcome says which
            finally:
                self.sanitize_preprocessors, self.autograde_preprocessors = original
                for student, outcome in self.outcomes.items():
                    if not outcome.final:
                        self._finish(student, FAILED, "not graded (see grading.log)")
                if self._bar is not None:
                    self._bar.close()
                self._collect_memory()
        finally:
            self._restore_logging(handlers, levels, file_handler)
            if own_pool:
                broker.shutdown()
            self._broker = None
            shutil.rmtree(tmp_base, ignore_errors=True)
            self.elapsed = time.monotonic() - started

    def _finish_without_execution(self) -> None:
        """``--no-execute``: nbgrader's own autograde on the saved outputs, with outcomes for the summary."""
        self._broker = None
        try:
            super().start()
        except NbGraderException:
            pass
        for sub in discover(self.coursedir, self.coursedir.assignment_id, self.coursedir.student_id):
            self.outcomes.setdefault(sub.student, Outcome(sub.student, GRADED, final=True))

    def _quiet_logging(self, log_path: Path):
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
        return handlers, levels, file_handler

    def _restore_logging(self, handlers, levels, file_handler) -> None:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)
        self.log.removeHandler(file_handler)
        file_handler.close()

    def _collect_memory(self) -> None:
        results = [f.result() for f in self._broker.futures.values() if f.done() and not f.exception()]
        self.peak_worker_rss_mb = max((r.get("worker_max_rss_mb", 0.0) for r in results), default=0.0)
        self.peak_child_rss_mb = max((r.get("children_max_rss_mb", 0.0) for r in results), default=0.0)


def _name(step) -> str:
    return step if isinstance(step, str) else getattr(step, "__name__", type(step).__name__)


def _init(preload):
    from .worker import init_worker

    init_worker(preload)
