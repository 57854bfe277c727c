"""Run one notebook for grading: the student's cells in a sandboxed process, the tests in the judge.

:class:`StudentProcess` is the worker's handle on one forked, sandboxed student process
(:mod:`netcourse.grading.student`): it starts it, sends requests, enforces wall-clock limits, kills the
whole process tree, and says in words why the process stopped. :func:`run_notebook` walks the
notebook's :class:`PlannedCell` s in order: student cells run in the student's process, trusted setup
cells run there *and* in the judge, and test cells run only in the judge (:mod:`netcourse.grading.judge`),
which decides them. A process that dies is retried once; cells that never ran get an error output that
says why, so a test that could not run scores zero, never full marks. A process that cannot even start,
or a sandbox that cannot read Python itself, is a fault of the grading machine, not of the student:
the run says so (:attr:`NotebookRun.fault`) and the student is reported as not graded.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Pipe

from .judge import Judge, JudgeSink, NotebookStopped, PipeLink
from .limits import Limits, Sandbox, is_root, processes_of

MAX_MESSAGE = 64 * 1024 * 1024
SKIP_TAG = "skip-execution"
START_TIMEOUT = 60.0
STUDENT, TRUSTED, TEST = "student", "trusted", "test"


def error_output(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


@dataclass(frozen=True)
class PlannedCell:
    """A code cell to run: where it is, who runs it, and its source."""

    index: int
    role: str  # STUDENT (the student's process), TRUSTED (both), TEST (the judge only)
    source: str


def plan_cells(nb) -> list[PlannedCell]:
    """The code cells of a sanitized notebook with their roles, from nbgrader's metadata (as restored from
    the gradebook). Test cells always run, whatever their tags; other cells tagged ``skip-execution`` are
    skipped, as a kernel-based run would."""
    planned = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        source = str(cell.get("source", ""))
        if meta.get("grade") and not meta.get("solution"):
            planned.append(PlannedCell(index, TEST, source))
            continue
        if not source.strip() or SKIP_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue
        trusted = meta.get("locked") and not meta.get("solution") and not meta.get("grade")
        planned.append(PlannedCell(index, TRUSTED if trusted else STUDENT, source))
    return planned


# --------------------------------------------------------------------------------------------------- the process


def _only_keep(keep: int) -> None:
    """In a newly forked student process: point every inherited file descriptor but ``keep`` (its pipe to the
    worker) and 0-2 (sent to /dev/null by the sandbox) at /dev/null. Otherwise the student's code holds the
    worker's ends of the pool's queues (a pickle written there runs in the grader as root), the sandbox uid's
    lock and whatever else the worker had open. Each number stays taken (dup2, not close), so an object of the
    worker that closes its descriptor later can never close one the student's code opened since."""
    try:
        open_fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(3, min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 65536)))
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in open_fds:
        if fd > 2 and fd not in (keep, devnull):
            try:
                os.dup2(devnull, fd)
            except OSError:
                pass  # not open (the listing's own descriptor, or the range fallback)
    os.close(devnull)


class StudentProcess:
    """A forked student process (see :mod:`netcourse.grading.student`) seen from the worker.

    It is forked early, as a spare that runs nothing, and started (sealed) when a notebook needs it.
    ``keep()`` names the pids of other spares, which the clean-up after this one must leave alone.
    """

    def __init__(self, sandbox: Sandbox, limits: Limits, keep: Callable[[], set[int]] = set):
        from .student import serve

        self.limits, self.uid, self.keep = limits, sandbox.uid, keep
        self.conn, child_end = Pipe(duplex=True)
        self.pid = os.fork()
        if self.pid == 0:  # the student's process
            code = 0
            try:
                self.conn.close()
                _only_keep(child_end.fileno())
                serve(child_end, sandbox, limits)
            except BaseException:  # noqa: BLE001 - anything escaping the server is a crash of this process only
                code = 70
            finally:
                os._exit(code)
        child_end.close()
        self.seq = 0
        self.alive = True
        self.ready: dict | None = None
        self.stop_reason = ""  # "Ename: text" once the process is gone
        self.stop_cell: int | None = None  # the cell that was running when it stopped
        self.killed = False  # stopped by us (time limit, broken protocol), as opposed to dying on its own
        self.status: int | None = None

    # ------------------------------------------------------------------ messages
    def _receive(self, timeout: float | None):
        if not self.conn.poll(timeout):
            raise TimeoutError
        try:
            message = json.loads(self.conn.recv_bytes(MAX_MESSAGE).decode("utf-8"))
        except EOFError:
            raise
        except (OSError, ValueError, RecursionError) as error:  # RecursionError: JSON nested too deeply
            raise _Broken(f"the notebook sent the grader an unreadable message ({str(error)[:100]})") from None
        if not isinstance(message, dict):
            raise _Broken("the notebook sent the grader an unreadable message")
        return message

    def start(self) -> dict | None:
        """Seal the process and get its first report (access checks, canary), or None if it never came."""
        try:
            self.conn.send_bytes(json.dumps({"op": "start"}).encode("utf-8"))
            message = self._receive(START_TIMEOUT)
        except TimeoutError:
            self.kill("KernelDied: the grading process did not start within "
                      f"{START_TIMEOUT:g} s", None)
            return None
        except (EOFError, OSError, _Broken):
            self._gone(None)
            return None
        if message.get("kind") != "ready":
            self.kill("KernelDied: the grading process did not start properly", None)
            return None
        self.ready = message
        return message

    def _exchange(self, request: dict, timeout: float, cell: int | None) -> dict:
        if not self.alive:
            raise NotebookStopped(self.describe())
        self.seq += 1
        request["seq"] = self.seq
        try:
            self.conn.send_bytes(json.dumps(request).encode("utf-8"))
            message = self._receive(timeout)
        except TimeoutError:
            what = "this cell" if request.get("op") == "run" else "the notebook's code, called by a test,"
            self.kill(f"CellTimeoutError: {what} ran longer than {self.limits.cell_timeout:g} s and could not be "
                      "interrupted, so the grader stopped the notebook", cell)
            raise NotebookStopped(self.describe()) from None
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._gone(cell)
            raise NotebookStopped(self.describe()) from None
        except _Broken as broken:
            self.kill(f"KernelDied: {broken}", cell)
            raise NotebookStopped(self.describe()) from None
        except BaseException:
            # a limit fired in the judge while it waited: the request is still open, so end the process
            self.kill("CellTimeoutError: a test ran past the grader's time limit while the notebook's code ran",
                      cell)
            raise
        if message.get("seq") != self.seq:
            self.kill("KernelDied: the notebook's code wrote to the grader's channel", cell)
            raise NotebookStopped(self.describe())
        return message

    def run_cell(self, index: int, source: str, deadline: float) -> dict:
        timeout = min(self.limits.cell_timeout + self.limits.kill_grace, max(0.0, deadline - time.monotonic()))
        message = self._exchange({"op": "run", "index": index, "source": source}, timeout, index)
        if message.get("kind") != "done" or message.get("index") != index:
            self.kill("KernelDied: the notebook's code wrote to the grader's channel", index)
            raise NotebookStopped(self.describe())
        return message

    def ask(self, op: str, fields: dict, deadline: float | None) -> dict:
        """One question from the judge; ``deadline`` (monotonic) is the end of the running test's time."""
        budget = self.limits.cell_timeout if deadline is None else max(0.05, deadline - time.monotonic())
        request = {"op": op, **fields, "budget": budget}
        return self._exchange(request, budget + self.limits.kill_grace, None)

    # ------------------------------------------------------------------ ending
    def describe(self) -> str:
        return self.stop_reason or "KernelDied: the notebook's process stopped"

    def _gone(self, cell: int | None) -> None:
        """The process ended on its own: record why (from its exit status)."""
        if not self.alive:
            return
        self.status = _collect(self.pid, wait=2.0)
        self.alive = False
        self.stop_cell = cell
        reason = _describe_exit(self.status) if self.status is not None else "the Python process disappeared"
        self.stop_reason = f"KernelDied: {reason}"
        self._clean_up()

    def kill(self, reason: str, cell: int | None) -> None:
        if not self.alive:
            return
        self.alive, self.killed = False, True
        self.stop_reason, self.stop_cell = reason, cell
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.status = _collect(self.pid, wait=None)
        self._clean_up()

    def end(self) -> None:
        """Finish normally: ask the process to exit, then make sure nothing of it is left."""
        if self.alive:
            try:
                self.conn.send_bytes(json.dumps({"op": "end"}).encode("utf-8"))
            except OSError:
                pass
            self.status = _collect(self.pid, wait=2.0)
            if self.status is None:
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                self.status = _collect(self.pid, wait=None)
            self.alive = False
        self._clean_up()

    def _clean_up(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        kill_tree(self.pid, self.uid, self.keep())


class _Broken(Exception):
    """The student's process broke the message protocol."""


def kill_tree(pid: int, uid: int | None, keep: set[int] = frozenset()) -> None:
    """Kill the child's process group, every descendant of ours except the spares in ``keep`` (orphans of a
    student's process are adopted by the worker), and, as root, every process of the sandbox uid."""
    import psutil

    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(20):
        victims = [p for p in psutil.Process().children(recursive=True) if p.pid not in keep]
        if uid is not None and is_root():
            victims.extend(processes_of({uid}))
        if not victims:
            break
        for proc in victims:
            try:
                proc.kill()
            except psutil.Error:
                pass
        _reap()
        time.sleep(0.01)
    _reap()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _collect(pid: int, wait: float | None):
    """The child's exit status: block when ``wait`` is None, else poll for up to ``wait`` seconds."""
    deadline = time.monotonic() + (wait or 0.0)
    while True:
        try:
            done, status = os.waitpid(pid, 0 if wait is None else os.WNOHANG)
        except ChildProcessError:
            return None
        if done == pid:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)


def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = {"SIGKILL": " (killed: usually the memory or CPU limit)", "SIGSEGV": " (crashed)",
                "SIGXCPU": " (CPU time limit)", "SIGABRT": " (aborted)"}.get(name, "")
        return f"the Python process was ended by {name}{hint}"
    code = os.WEXITSTATUS(status)
    if code == 70:  # serve() could not go on: the notebook broke Python itself
        return ("the notebook's code broke the Python process it runs in (for example by replacing built-in "
                "functions or grading machinery)")
    return f"the Python process exited with code {code} (the code called os._exit or similar)"


# --------------------------------------------------------------------------------------------------- a notebook


@dataclass
class NotebookRun:
    """What happened to one notebook: outputs per code-cell index, plus problems worth telling."""

    cells: dict[int, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    crashed: bool = False
    attempts: int = 1
    seconds: float = 0.0
    python: str = ""
    stop_reason: str = ""  # "Ename: text" for the cell that was running when the notebook stopped early
    fault: str = ""  # the grading machine failed (not the student): the notebook is not graded

    def as_dict(self) -> dict:
        return {"cells": {str(k): v for k, v in self.cells.items()}, "problems": self.problems,
                "crashed": self.crashed, "attempts": self.attempts, "seconds": self.seconds, "python": self.python,
                "fault": self.fault}


def _explain_output(output: dict, limits: Limits) -> dict:
    """Give resource errors a reason the student can read in the feedback (MemoryError has none of its own)."""
    reasons = {
        "MemoryError": f"the cell needed more memory than the grader allows ({limits.memory_mb} MB)",
        "BlockingIOError": f"the code started more processes than the grader allows ({limits.max_processes})",
    }
    if output["output_type"] == "error" and output["ename"] in reasons and not output.get("evalue"):
        output["evalue"] = reasons[output["ename"]]
        output["traceback"] = [*output["traceback"], f"{output['ename']}: {output['evalue']}"]
    return output


def _fault(ready: dict | None, process: StudentProcess) -> str:
    """Why the student's process cannot grade anything, in words for the instructor ('' when it can)."""
    if ready is None:
        return f"the sandboxed Python process could not start ({process.describe().split(': ', 1)[-1]})"
    if ready.get("fault"):
        return f"the student's process could not be prepared ({str(ready['fault'])[:500]})"
    unreadable = [str(p) for p in ready.get("unreadable", []) if isinstance(p, str)]
    if unreadable:
        return ("the sandbox account cannot read " + ", ".join(unreadable[:3])
                + ": the Python installation (or the grading folder) is private to another account")
    if ready.get("canary"):
        return f"the sandboxed Python cannot run a cell ({str(ready['canary'])[:300]})"
    return ""


def run_notebook(plan: list[PlannedCell], start: Callable[[], StudentProcess], limits: Limits,
                 trusted: tuple[str, ...] = ()) -> NotebookRun:
    """Grade one notebook's cells, retrying once if the student's process dies; never raises for student code.

    ``trusted``: the sources of the assignment's read-only cells as the gradebook has them. The names they
    define are the judge's alone (:class:`~netcourse.grading.judge.NotebookNamespace`), even when the student's
    copy of the notebook lost such a cell (deleted, tagged skip-execution, unlocked, moved below the tests)."""
    from .judge import defined_names

    reserved = defined_names([*trusted, *(c.source for c in plan if c.role == TRUSTED)])
    run = _attempt(plan, start(), limits, reserved)
    if run.crashed and not run.fault:
        first = run.stop_reason
        run = _attempt(plan, start(), limits, reserved)
        run.attempts = 2
        if run.crashed:
            run.problems.append(f"kernel crashed twice: {first.split(': ', 1)[-1]}")
        else:
            run.problems.append(f"kernel crashed once ({first.split(': ', 1)[-1]}); the retry succeeded")
    return run


def _attempt(plan: list[PlannedCell], process: StudentProcess, limits: Limits,
             reserved: frozenset[str] = frozenset()) -> NotebookRun:
    run = NotebookRun()
    started = time.monotonic()
    nb_deadline = started + limits.notebook_timeout
    try:
        ready = process.start()
        run.fault = _fault(ready, process)
        if run.fault:
            return run
        run.python = str(ready.get("python", ""))[:20]
        run.problems.extend(str(n)[:300] for n in ready.get("notes", [])[:10])
        judge = Judge(PipeLink(process), lambda: JudgeSink(limits.max_output_chars), limits.cell_timeout, reserved)
        count = 0
        for cell in plan:
            count += 1
            if time.monotonic() >= nb_deadline and process.alive:
                process.kill(f"NotebookTimeoutError: the notebook ran longer than {limits.notebook_timeout:g} s, "
                             "the grader's limit per notebook", cell.index)
            if cell.role == TEST:
                result = judge.run_test(cell.source, count)
                run.cells[cell.index] = {"execution_count": count, "outputs": result.outputs}
                continue
            run.cells[cell.index] = _student_cell(process, cell, count, nb_deadline, limits, run)
            if cell.role == TRUSTED:
                judge.run_trusted(cell.source, count)
    finally:
        process.end()
        run.seconds = time.monotonic() - started
    if process.stop_reason and not run.fault:
        where = f" in cell {process.stop_cell}" if process.stop_cell is not None else ""
        run.stop_reason = process.stop_reason
        if process.killed:
            run.problems.append(process.stop_reason.split(":", 1)[0] + where)
        else:
            run.crashed = True
    return run


def _student_cell(process: StudentProcess, cell: PlannedCell, count: int, deadline: float, limits: Limits,
                  run: NotebookRun) -> dict:
    if not process.alive:
        return {"execution_count": None, "outputs": [_not_run(process)]}
    try:
        message = process.run_cell(cell.index, cell.source, deadline)
    except NotebookStopped:
        ename, _, evalue = process.describe().partition(": ")
        return {"execution_count": None, "outputs": [error_output(ename, evalue)]}
    from .shell import clean_output

    raw = message.get("outputs")
    cleaned = (clean_output(o) for o in (raw[:1000] if isinstance(raw, list) else []))
    outputs = [_explain_output(o, limits) for o in cleaned if o is not None]
    for output in outputs:
        if output["output_type"] == "execute_result":
            output["execution_count"] = count
        if output["output_type"] == "error" and output["ename"] in (
                "CellTimeoutError", "CPUTimeLimitError", "MemoryError", "StdinNotImplementedError"):
            run.problems.append(f"{output['ename']} in cell {cell.index}: {str(output.get('evalue', ''))[:200]}")
    truncated = message.get("truncated")
    if type(truncated) is int and truncated > 0:
        run.problems.append(f"output of cell {cell.index} truncated ({truncated:,} characters)")
    return {"execution_count": count, "outputs": outputs, "started": _text(message.get("started")),
            "ended": _text(message.get("ended"))}


def _not_run(process: StudentProcess) -> dict:
    where = f" in cell {process.stop_cell}" if process.stop_cell is not None else ""
    evalue = process.describe().split(": ", 1)[-1]
    return error_output("NotExecutedError", f"not run, because the notebook stopped{where}: {evalue}")


def _text(value) -> str | None:
    return value[:40] if isinstance(value, str) else None
