"""The student's side of grading: one sandboxed process that runs a notebook's cells and answers the judge.

A worker forks this process before it reads anything secret (no test, no hidden test, no other
student's work is in its memory), and the process seals itself (:func:`~netcourse.grading.limits.enter_sandbox`)
before it receives a line of the student's code. Then it serves requests, one at a time, over a pipe:

* ``run``: execute one cell as a Jupyter kernel would (errors become error outputs, the last expression
  an ``execute_result``, ``input()`` raises), under the per-cell time limit, and report its outputs;
* ``lookup``, ``has``, ``assign``, ``delete`` a name of the notebook, and ``call``, ``getattr``, ``getitem``,
  ``len``, ``items`` on an object it holds: what the judge's test needs, answered as plain data
  (:mod:`netcourse.grading.plain`) under the time the test has left.

Nothing here is trusted: a student can change every line of it at run time. The judge treats every answer
as data, checks its shape, and decides on its own.
"""

from __future__ import annotations

import builtins
import getpass
import importlib
import io
import itertools
import json
import os
import signal
import sys
import traceback
from datetime import datetime, timezone
from multiprocessing.connection import Connection

from . import plain
from .limits import Limits, Sandbox, enter_sandbox
from .shell import CapturedStream, recording_shell

MAX_MESSAGE = 64 * 1024 * 1024
MAX_ITEMS = 100_000


class CellTimeoutError(BaseException):
    """Raised in a cell that ran past the per-cell wall-clock limit (a BaseException: `except Exception` misses it)."""


class CPUTimeLimitError(BaseException):
    """Raised inside a cell when the notebook used up its CPU seconds."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def _no_stdin(*args, **kwargs):
    from IPython.core.error import StdinNotImplementedError

    raise StdinNotImplementedError(
        "input() was called, but grading runs without a keyboard: the grader cannot type an answer. "
        "Put the value in the code instead of asking for it."
    )


class Handles:
    """Objects the judge holds references to, by number (kept alive so the numbers stay valid)."""

    def __init__(self):
        self.objects: dict[int, object] = {}
        self.by_identity: dict[int, int] = {}

    def ref(self, obj) -> dict:
        number = self.by_identity.get(id(obj))
        if number is None:
            number = len(self.objects) + 1
            self.objects[number] = obj
            self.by_identity[id(obj)] = number
        return {"$": "ref", "id": number, "type": f"{type(obj).__module__}.{type(obj).__qualname__}",
                "callable": callable(obj)}

    def get(self, data: dict):
        number = data.get("id") if isinstance(data, dict) else None
        if number not in self.objects:
            raise plain.BridgeError("the grader asked for an object the notebook no longer has")
        return self.objects[number]


class StudentProcess:
    """The running notebook: the shell, its namespace, the sink, and the connection to the judge."""

    def __init__(self, conn: Connection, limits: Limits):
        self.conn, self.limits = conn, limits
        self.recorder = recording_shell()
        self.shell, self.sink = self.recorder.shell, self.recorder.sink
        self.sink.max_chars = limits.max_output_chars
        self.handles = Handles()
        self.me = os.getpid()

    # ------------------------------------------------------------------ plumbing
    def send(self, message: dict) -> None:
        try:
            payload = json.dumps(message, allow_nan=False)
        except (TypeError, ValueError):
            payload = json.dumps({"seq": message.get("seq"), "ok": False,
                                  "raise": {"bridge": True, "message": "the answer could not be written as data"}})
        if len(payload) > MAX_MESSAGE:
            payload = json.dumps({"seq": message.get("seq"), "ok": False, "raise": {
                "bridge": True, "message": f"the value is too large for the grader to check ({len(payload):,} bytes)"}})
        self.conn.send_bytes(payload.encode("utf-8"))

    def _streams(self) -> None:
        sys.stdout, sys.stderr = CapturedStream(self.sink, "stdout"), CapturedStream(self.sink, "stderr")

    def _arm(self, seconds: float) -> None:
        signal.setitimer(signal.ITIMER_REAL, max(0.05, min(float(seconds), self.limits.cell_timeout)))

    @staticmethod
    def _disarm() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)

    def _leave_if_forked_copy(self) -> None:
        if os.getpid() != self.me:  # the student's os.fork() returned here in a copy: it must never report
            os._exit(0)

    # ------------------------------------------------------------------ cells
    def run(self, message: dict) -> dict:
        index = message.get("index")
        self.sink.reset()
        count = self.shell.execution_count
        started = now_iso()
        self._arm(self.limits.cell_timeout)
        try:
            self.shell.run_cell(str(message.get("source", "")), store_history=True, silent=False)
        except BaseException as error:  # a timer firing between the cell's end and the reset lands here
            self.sink.rich({"output_type": "error", "ename": type(error).__name__, "evalue": str(error),
                            "traceback": [f"{type(error).__name__}: {error}"]})
        finally:
            self._disarm()
        self._leave_if_forked_copy()
        if not isinstance(sys.stdout, CapturedStream) or not isinstance(sys.stderr, CapturedStream):
            self._streams()  # the student replaced sys.stdout: take it back
        outputs = self.sink.finish()
        return {"kind": "done", "index": index, "execution_count": count, "outputs": outputs,
                "truncated": self.sink.dropped, "started": started, "ended": now_iso()}

    # ------------------------------------------------------------------ the judge's questions
    def _encode(self, value):
        return plain.encode(value, make_ref=self.handles.ref)

    def _decode(self, data):
        return plain.decode(data, self.handles.get, lambda name, ref: importlib.import_module(name))

    def answer(self, message: dict) -> dict:
        op = message.get("op")
        handler = getattr(self, f"_op_{op}", None)
        if handler is None:
            return {"ok": False, "raise": {"bridge": True, "message": f"unknown request {str(op)[:40]!r}"}}
        self.sink.reset()
        self._arm(float(message.get("budget") or self.limits.cell_timeout))
        try:
            reply = handler(message)
        except KeyError as missing:
            reply = {"ok": False, "missing": True} if op in ("lookup", "delete") else _raised(missing)
        except plain.BridgeError as error:
            reply = {"ok": False, "raise": {"bridge": True, "message": str(error)}}
        except CellTimeoutError as error:
            reply = {"ok": False, "raise": {"timeout": True, "message": str(error)}}
        except BaseException as error:  # noqa: BLE001 - whatever the student's code raised goes back to the test
            reply = _raised(error)
        finally:
            self._disarm()
        self._leave_if_forked_copy()
        if not isinstance(sys.stdout, CapturedStream) or not isinstance(sys.stderr, CapturedStream):
            self._streams()
        reply["outputs"] = self.sink.finish()
        return reply

    @property
    def names(self) -> dict:
        return self.shell.user_ns

    def _op_lookup(self, message):
        return {"ok": True, "value": self._encode(self.names[str(message.get("name"))])}

    def _op_has(self, message):
        return {"ok": True, "value": str(message.get("name")) in self.names}

    def _op_assign(self, message):
        self.names[str(message.get("name"))] = self._decode(message.get("value"))
        return {"ok": True}

    def _op_delete(self, message):
        del self.names[str(message.get("name"))]
        return {"ok": True}

    def _op_call(self, message):
        target = self.handles.get(message.get("target"))
        args = [self._decode(a) for a in message.get("args") or []]
        kwargs = {str(k): self._decode(v) for k, v in message.get("kwargs") or []}
        before = [_snapshot(self._encode(a)) if _mutable(a) else None for a in args]
        value = target(*args, **kwargs)
        changed = []
        for position, arg in enumerate(args):
            if before[position] is not None:
                after = self._encode(arg)
                if _snapshot(after) != before[position]:
                    changed.append([position, after])
        return {"ok": True, "value": self._encode(value), "changed": changed}

    def _op_getattr(self, message):
        return {"ok": True, "value": self._encode(getattr(self.handles.get(message.get("target")),
                                                          str(message.get("name"))))}

    def _op_getitem(self, message):
        target = self.handles.get(message.get("target"))
        return {"ok": True, "value": self._encode(target[self._decode(message.get("key"))])}

    def _op_len(self, message):
        return {"ok": True, "value": self._encode(len(self.handles.get(message.get("target"))))}

    def _op_items(self, message):
        items = list(itertools.islice(iter(self.handles.get(message.get("target"))), MAX_ITEMS + 1))
        if len(items) > MAX_ITEMS:
            raise plain.BridgeError(f"the object yields more than {MAX_ITEMS:,} items")
        return {"ok": True, "value": self._encode(items)}


def _mutable(value) -> bool:
    if isinstance(value, (list, dict, set, bytearray)):
        return True
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    return bool((np is not None and isinstance(value, np.ndarray))
                or (pd is not None and isinstance(value, (pd.DataFrame, pd.Series))))


def _snapshot(encoded) -> str:
    return json.dumps(encoded, sort_keys=True, default=str)


def _raised(error: BaseException) -> dict:
    kind = type(error)
    bases = [k.__name__ for k in kind.__mro__ if k.__module__ == "builtins"]
    info = {"type": kind.__name__, "bases": bases, "message": str(error)[:2000],
            "trace": [line.replace("Cell In[", "cell [").rstrip("\n")
                      for line in traceback.format_exception(kind, error, error.__traceback__)[-30:]]}
    try:
        info["args"] = plain.encode(list(error.args))
    except (TypeError, plain.BridgeError):
        pass
    return {"ok": False, "raise": info}


def serve(conn: Connection, sandbox: Sandbox, limits: Limits) -> None:
    """The whole life of the student's process: wait to be needed, seal, report ready, answer until told to end.

    A spare waits (unsealed, running nothing) until the worker sends ``start``; a spare never needed gets
    ``end`` or a closed pipe and exits without ever entering the sandbox.
    """
    try:
        first = json.loads(conn.recv_bytes(4096).decode("utf-8"))
    except (EOFError, OSError, ValueError):
        return
    if not isinstance(first, dict) or first.get("op") != "start":
        return
    try:
        notes = enter_sandbox(sandbox, limits)
    except Exception as error:  # noqa: BLE001 - any failure to seal is the machine's fault: say so, then stop
        text = f"{type(error).__name__}: {error}"
        conn.send_bytes(json.dumps({"kind": "ready", "fault": text[:1000]}).encode("utf-8"))
        return
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
    process = StudentProcess(conn, limits)
    builtins.input = _no_stdin
    getpass.getpass = _no_stdin
    sys.stdin = io.StringIO("")
    process._streams()
    unreadable = [p for p in sandbox.expose if os.path.exists(p) and not os.access(p, os.R_OK | os.X_OK)]
    if not os.access(sandbox.workdir, os.R_OK | os.W_OK | os.X_OK):
        unreadable.append(sandbox.workdir)
    canary = process.run({"index": -1, "source": "import IPython, json\n"})
    problem = next((f"{o['ename']}: {o['evalue']}" for o in canary["outputs"] if o["output_type"] == "error"), "")
    process.shell.execution_count = 1
    process.send({"kind": "ready", "notes": notes, "python": sys.version.split()[0], "uid": os.getuid(),
                  "unreadable": unreadable, "canary": problem})
    while True:
        try:
            message = json.loads(conn.recv_bytes(MAX_MESSAGE).decode("utf-8"))
        except (EOFError, OSError):
            return
        if not isinstance(message, dict) or message.get("op") == "end":
            return
        reply = process.run(message) if message.get("op") == "run" else process.answer(message)
        reply["seq"] = message.get("seq")
        process.send(reply)
