"""Execute one notebook's code cells in a fresh, limited child forked from a warm worker.

A worker imports the heavy modules once (IPython, pandas, matplotlib, the course package) and builds an
IPython shell whose display hooks record outputs in notebook form. For each notebook it forks a child:
the child enters the sandbox (:mod:`netcourse.grading.limits`) and runs the cells one by one, as a
Jupyter kernel would (``allow_errors``; empty cells and cells tagged ``skip-execution`` are skipped; the
last expression becomes ``execute_result``; exceptions become ``error`` outputs; ``input()`` raises
``StdinNotImplementedError``), streaming each finished cell back over a pipe as JSON (never pickle: the
child is not trusted). The parent side enforces the wall-clock limits, kills the child's whole process
tree, retries once when the child dies unexpectedly, and fills cells that never ran with an error output
that says why, so a test that could not run scores zero instead of full marks.
"""

from __future__ import annotations

import base64
import builtins
import io
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing.connection import Connection, Pipe

from .limits import Limits, Sandbox, enter_sandbox, is_root

MAX_MESSAGE = 64 * 1024 * 1024
SKIP_TAG = "skip-execution"
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}


class CellTimeoutError(BaseException):
    """Raised in a cell that ran past the per-cell wall-clock limit (a BaseException: `except Exception` misses it)."""


class CPUTimeLimitError(BaseException):
    """Raised inside a cell when the notebook used up its CPU seconds."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def error_output(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


# --------------------------------------------------------------------------- child side (inside the fork)


def _jsonable(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class OutputSink:
    """The outputs of the cell being run, capped at ``max_chars`` characters of text and data."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.reset()

    def reset(self) -> None:
        self.outputs: list[dict] = []
        self.chars = 0
        self.dropped = 0

    def _room(self, size: int) -> bool:
        if self.chars + size <= self.max_chars:
            self.chars += size
            return True
        self.dropped += size
        return False

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        room = self.max_chars - self.chars
        if room <= 0:
            self.dropped += len(text)
            return
        if len(text) > room:
            self.dropped += len(text) - room
            text = text[:room]
        self.chars += len(text)
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def rich(self, output: dict) -> None:
        output = _jsonable(output)
        size = len(json.dumps(output.get("data", {})))
        if output["output_type"] == "error" or self._room(size):
            self.outputs.append(output)

    def clear(self) -> None:
        self.outputs.clear()

    def finish(self) -> list[dict]:
        if self.dropped:
            note = (
                f"\n[output truncated by the grader: this cell printed {self.dropped:,} characters more than the "
                f"limit of {self.max_chars:,}]\n"
            )
            self.outputs.append({"output_type": "stream", "name": "stderr", "text": note})
        return self.outputs


class CapturedStream(io.TextIOBase):
    def __init__(self, sink: OutputSink, name: str):
        self._sink, self.name = sink, name

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._sink.stream(self.name, text)
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self):
        return "utf-8"


_SHELL = None
_SINK: OutputSink | None = None


def build_shell():
    """The worker's IPython shell with recording display hooks (built once, before any fork)."""
    global _SHELL, _SINK
    if _SHELL is not None:
        return _SHELL
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    _SINK = OutputSink(100_000)

    class RecordingDisplayHook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            _SINK.rich({"output_type": "execute_result", "execution_count": self.prompt_count,
                        "data": format_dict, "metadata": md_dict or {}})

        def finish_displayhook(self):
            pass

    class RecordingPublisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            _SINK.rich({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):
            _SINK.clear()

    class RecordingShell(InteractiveShell):
        def _showtraceback(self, etype, evalue, stb):
            _SINK.rich({"output_type": "error", "ename": str(etype.__name__), "evalue": str(evalue),
                        "traceback": list(stb)})

    config = Config()
    config.HistoryManager.enabled = False  # no sqlite, no history thread: the worker must stay fork-safe
    config.InteractiveShell.colors = "linux"
    config.InteractiveShell.autocall = 0
    # Plain tracebacks: still "Cell In[n], line k" and the failing line, ~20x cheaper than "Context" (which
    # parses whole module sources with stack_data in every fresh child).
    config.InteractiveShell.xmode = "Plain"
    RecordingShell.displayhook_class = RecordingDisplayHook
    RecordingShell.display_pub_class = RecordingPublisher
    _SHELL = RecordingShell.instance(config=config)
    try:  # load the traceback machinery (stack_data, pygments) once here, not in every fork
        raise NotImplementedError("warm-up")
    except NotImplementedError:
        _SHELL.InteractiveTB.structured_traceback(*sys.exc_info())
    import bdb  # noqa: F401 - imported lazily by IPython when a cell fails
    return _SHELL


def _no_stdin(*args, **kwargs):
    from IPython.core.error import StdinNotImplementedError

    raise StdinNotImplementedError(
        "input() was called, but grading runs without a keyboard: the grader cannot type an answer. "
        "Put the value in the code instead of asking for it."
    )


def _send(conn: Connection, message) -> None:
    conn.send_bytes(json.dumps(message).encode("utf-8"))


def _child_main(conn: Connection, cells: list[tuple[int, str]], sandbox: Sandbox, limits: Limits) -> None:
    """Run inside the fork: seal, then execute each cell and report it."""
    me = os.getpid()
    notes = enter_sandbox(sandbox, limits)
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader's Autograde sets it for its kernels

    def forked_copy():  # a copy made by the student's os.fork() must never report
        try:
            conn.close()
        except OSError:
            pass

    os.register_at_fork(after_in_child=forked_copy)

    def on_alarm(signum, frame):
        raise CellTimeoutError(f"this cell ran longer than {limits.cell_timeout:g} s, the grader's limit per cell")

    def on_cpu(signum, frame):
        raise CPUTimeLimitError(f"the notebook used more than {limits.cpu_seconds} s of CPU time, the grader's limit")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGXCPU, on_cpu)
    shell = build_shell()
    sink = _SINK
    sink.max_chars = limits.max_output_chars
    builtins.input = _no_stdin
    import getpass

    getpass.getpass = _no_stdin
    sys.stdin = io.StringIO("")
    sys.stdout, sys.stderr = CapturedStream(sink, "stdout"), CapturedStream(sink, "stderr")
    _send(conn, {"kind": "ready", "notes": notes, "python": sys.version.split()[0]})
    for index, source in cells:
        sink.reset()
        count = shell.execution_count
        _send(conn, {"kind": "start", "index": index})
        started = now_iso()
        signal.setitimer(signal.ITIMER_REAL, limits.cell_timeout)
        try:
            shell.run_cell(source, store_history=True, silent=False)
        except BaseException as error:  # a timer firing between the cell's end and the reset lands here
            sink.rich({"output_type": "error", "ename": type(error).__name__, "evalue": str(error),
                       "traceback": [f"{type(error).__name__}: {error}"]})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if os.getpid() != me:
            os._exit(0)
        for stream in (sys.stdout, sys.stderr):
            if not isinstance(stream, CapturedStream):  # the student replaced sys.stdout: take it back
                sys.stdout, sys.stderr = CapturedStream(sink, "stdout"), CapturedStream(sink, "stderr")
        outputs = sink.finish()
        _send(conn, {"kind": "done", "index": index, "execution_count": count, "outputs": outputs,
                     "truncated": sink.dropped, "started": started, "ended": now_iso()})
    _send(conn, {"kind": "end"})


# --------------------------------------------------------------------------- worker side


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

    def as_dict(self) -> dict:
        return {"cells": {str(k): v for k, v in self.cells.items()}, "problems": self.problems,
                "crashed": self.crashed, "attempts": self.attempts, "seconds": self.seconds, "python": self.python}


def _kill_tree(pid: int, uid: int | None) -> None:
    """Kill the child's process group, every descendant we adopted, and (as root) every process of its uid."""
    import psutil

    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(20):
        victims = psutil.Process().children(recursive=True)
        if uid is not None and is_root():
            for proc in psutil.process_iter(["uids"]):
                uids = proc.info.get("uids")
                if uids and uid in (uids.real, uids.effective):
                    victims.append(proc)
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


def _valid_output(output) -> bool:
    if not isinstance(output, dict) or output.get("output_type") not in OUTPUT_TYPES:
        return False
    kind = output["output_type"]
    if kind == "stream":
        return isinstance(output.get("text"), str) and output.get("name") in ("stdout", "stderr")
    if kind == "error":
        return isinstance(output.get("ename"), str) and isinstance(output.get("traceback"), list)
    return isinstance(output.get("data"), dict)


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
    return f"the Python process exited with code {os.WEXITSTATUS(status)} (the code called os._exit or similar)"


def _run_once(cells: list[tuple[int, str]], sandbox: Sandbox, limits: Limits) -> tuple[NotebookRun, bool, int | None]:
    """One attempt. Returns (run, finished normally, index of the cell that was running when it stopped)."""
    reader, writer = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            reader.close()
            _child_main(writer, cells, sandbox, limits)
        except BaseException:  # noqa: BLE001 - anything escaping the runner is a crash of this child only
            code = 70
        finally:
            os._exit(code)
    writer.close()
    run = NotebookRun()
    started = time.monotonic()
    nb_deadline = started + limits.notebook_timeout
    cell_deadline = nb_deadline
    current: int | None = None
    finished = False
    stop_reason = ""
    status = None
    try:
        while True:
            wait = max(0.0, min(cell_deadline, nb_deadline) - time.monotonic())
            if not reader.poll(wait):
                if time.monotonic() >= nb_deadline:
                    stop_reason = (f"NotebookTimeoutError: the notebook ran longer than "
                                   f"{limits.notebook_timeout:g} s, the grader's limit per notebook")
                else:
                    stop_reason = (f"CellTimeoutError: this cell ran longer than {limits.cell_timeout:g} s "
                                   "and could not be interrupted, so the grader stopped the notebook")
                break
            try:
                message = json.loads(reader.recv_bytes(MAX_MESSAGE).decode("utf-8"))
            except EOFError:
                break  # the child is gone: its exit status says why
            except (OSError, ValueError) as error:
                stop_reason = f"KernelDied: the notebook sent the grader an unreadable message ({error})"
                break
            kind = message.get("kind") if isinstance(message, dict) else None
            if kind == "ready":
                run.python = str(message.get("python", ""))
                run.problems.extend(str(n) for n in message.get("notes", []))
            elif kind == "start":
                current = int(message["index"])
                cell_deadline = time.monotonic() + limits.cell_timeout + limits.kill_grace
            elif kind == "done":
                index = int(message["index"])
                outputs = [_explain_output(o, limits) for o in message.get("outputs", []) if _valid_output(o)]
                run.cells[index] = {"execution_count": message.get("execution_count"), "outputs": outputs,
                                    "started": message.get("started"), "ended": message.get("ended")}
                if message.get("truncated"):
                    run.problems.append(f"output of cell {index} truncated ({message['truncated']:,} characters)")
                for output in outputs:
                    if output["output_type"] == "error" and output["ename"] in (
                            "CellTimeoutError", "CPUTimeLimitError", "MemoryError", "StdinNotImplementedError"):
                        run.problems.append(f"{output['ename']} in cell {index}: {output.get('evalue', '')}")
                current = None
                cell_deadline = nb_deadline
            elif kind == "end":
                finished = True
                break
    finally:
        reader.close()
        status = _collect(pid, wait=0.0 if (finished or stop_reason) else 2.0)
        if status is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            status = _collect(pid, wait=None)
        _kill_tree(pid, sandbox.uid)
    run.seconds = time.monotonic() - started
    if not finished:
        if stop_reason:
            run.problems.append(stop_reason.split(":", 1)[0] + (f" in cell {current}" if current is not None else ""))
            run.stop_reason = stop_reason
        else:
            run.crashed = True
            reason = _describe_exit(status) if status is not None else "the Python process disappeared"
            run.stop_reason = f"KernelDied: {reason}"
    return run, finished, current


def run_notebook(cells: list[tuple[int, str]], sandbox: Sandbox, limits: Limits) -> NotebookRun:
    """Execute ``cells`` [(index, source)], retrying once if the child dies; never raises for student code."""
    run, finished, current = _run_once(cells, sandbox, limits)
    if run.crashed:
        first = run.stop_reason
        run, finished, current = _run_once(cells, sandbox, limits)
        run.attempts = 2
        if run.crashed:
            run.problems.append(f"kernel crashed twice in cell {current}: {first.split(': ', 1)[-1]}")
        else:
            run.problems.append(f"kernel crashed once ({first.split(': ', 1)[-1]}); the retry succeeded")
    if not finished:
        reason = run.stop_reason or "KernelDied: the notebook stopped early"
        ename, _, evalue = reason.partition(": ")
        for index, _source in cells:
            if index in run.cells:
                continue
            if index == current:
                run.cells[index] = {"execution_count": None, "outputs": [error_output(ename, evalue)]}
            else:
                where = f" in cell {current}" if current is not None else ""
                run.cells[index] = {"execution_count": None, "outputs": [error_output(
                    "NotExecutedError", f"not run, because the notebook stopped{where}: {evalue}")]}
    return run


def code_cells(nb) -> list[tuple[int, str]]:
    """The cells a kernel would run: code cells with some source and without the skip tag."""
    chosen = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code" or not str(cell.get("source", "")).strip():
            continue
        if SKIP_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        chosen.append((index, str(cell.source)))
    return chosen
