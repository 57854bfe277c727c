"""The judge: runs the instructor's test cells in a trusted process and decides whether each passes.

A student's notebook runs in its own sandboxed process (:mod:`netcourse.grading.student`); nothing it
does there can reach a verdict, because the tests never run there. The judge runs the notebook's
*trusted* cells (read-only setup cells and test cells, whose source nbgrader restored from the
gradebook) in a namespace of its own, with its own builtins and modules. When a test reads a name the
trusted cells did not define, the namespace asks the student's process for it through a *link* and
gets plain data back (:mod:`netcourse.grading.plain`), or a :class:`~netcourse.grading.plain.Ref` for a
function or object, which the test may call: the call runs in the student's process, its result comes
back as plain data. So the test's comparisons, ``isinstance`` checks and asserts all happen here, on
fresh values: rebinding builtins, patching modules or the shell, objects that equal anything, hiding
errors or exiting the process change nothing but the student's own answers.

Semantics a test author should know (differences from running tests inside the kernel):
* Names resolve in this order: the test cell's own names, the trusted cells' names, builtins, then the
  notebook's. A student who redefines a setup table or ``len`` does not change what the test uses.
  A name a read-only cell of the assignment defines (``reserved``: from the gradebook, whatever the student's
  copy of the notebook holds) is never taken from the notebook: a student who deletes, skips, unlocks or moves
  the setup cell and defines ``pitch_check`` himself gets a NameError in the test, not his own checker.
* A test may assign or delete a name the notebook defines (``del squares``; ``squares = orig``): the
  change is made in the notebook's namespace. It cannot hand the notebook a function of its own.
* Arguments cross by value. After a call, a list, dict, set, array or table the student's code
  changed is changed here too, so "does not modify its input" stays testable.
* Files: tests see the course's files and the files as submitted, not files rewritten by the
  notebook's code while it was graded. Magics (``%matplotlib``) do nothing here.

The same judge serves the learner's self-check (:mod:`netcourse.selfcheck`) through :class:`LocalLink`,
which reaches the learner's own namespace in the same process, so the self-check and the grader agree.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import signal
import time
import traceback
from dataclasses import dataclass

from . import plain
from .plain import BridgeError, Ref

CELL_FILE = "<test-cell-{count}>"
# Exceptions a student's code may raise that tests commonly catch; others arrive as StudentCodeError.
_CATCHABLE = {name: obj for name, obj in vars(builtins).items()
              if isinstance(obj, type) and issubclass(obj, Exception)
              and name not in ("StopIteration", "StopAsyncIteration")}


class StudentCodeError(Exception):
    """The notebook's code raised something that is not a built-in exception (or tried to exit)."""


class NotebookStopped(Exception):
    """The notebook's process is gone or unresponsive, so this test could not use it."""


class JudgeTimeout(BaseException):
    """A test cell ran past its time limit in the judge (a BaseException, so `except Exception` in a test misses it)."""


# --------------------------------------------------------------------------------------------------- links


class PipeLink:
    """Reach the student's process through a :class:`netcourse.grading.execution.StudentProcess`."""

    def __init__(self, process):
        self.process = process
        self.sink = None  # the running test's OutputSink, which receives what the student's code prints
        self.deadline: float | None = None

    def _ask(self, op: str, **fields):
        reply = self.process.ask(op, fields, self.deadline)
        outputs = reply.get("outputs")
        if self.sink is not None and isinstance(outputs, list):
            for output in outputs[:1000]:
                self.sink.take_remote(output)
        if reply.get("ok") is True:
            return reply
        if reply.get("missing"):
            raise KeyError(fields.get("name", ""))
        raise _student_exception(reply.get("raise"))

    def _value(self, reply):
        return plain.decode(reply.get("value"), self._ref)

    def _ref(self, data) -> Ref:
        ref_id = data.get("id")
        if type(ref_id) is not int:
            raise BridgeError("malformed reference")
        return Ref(self, ref_id, data.get("type", "object"), bool(data.get("callable")))

    @staticmethod
    def _target(ref: Ref) -> dict:
        return {"$": "ref", "id": ref._id}

    def _send_value(self, value):
        return plain.encode(value, make_ref=_ref_json)

    def lookup(self, name: str):
        return self._value(self._ask("lookup", name=name))

    def has(self, name: str) -> bool:
        return self._ask("has", name=name).get("value") is True

    def assign(self, name: str, value) -> None:
        self._ask("assign", name=name, value=self._send_value(value))

    def delete(self, name: str) -> None:
        self._ask("delete", name=name)

    def call(self, ref: Ref, args, kwargs):
        sent = [self._send_value(a) for a in args]
        reply = self._ask("call", target=self._target(ref), args=sent,
                          kwargs=[[str(k), self._send_value(v)] for k, v in kwargs.items()])
        changed = reply.get("changed")
        if isinstance(changed, list):
            for item in changed[: len(args)]:
                if isinstance(item, list) and len(item) == 2 and type(item[0]) is int and 0 <= item[0] < len(args):
                    plain.write_back(args[item[0]], plain.decode(item[1], self._ref))
        return self._value(reply)

    def getattr(self, ref: Ref, name: str):
        return self._value(self._ask("getattr", target=self._target(ref), name=str(name)))

    def getitem(self, ref: Ref, key):
        return self._value(self._ask("getitem", target=self._target(ref), key=self._send_value(key)))

    def length(self, ref: Ref) -> int:
        value = self._value(self._ask("len", target=self._target(ref)))
        if type(value) is not int or value < 0:
            raise TypeError("the object's length is not a whole number")
        return value

    def items(self, ref: Ref) -> list:
        value = self._value(self._ask("items", target=self._target(ref)))
        if not isinstance(value, list):
            raise TypeError("the object could not be iterated")
        return value


def _ref_json(obj):
    if isinstance(obj, Ref):
        return {"$": "ref", "id": obj._id}
    raise TypeError(f"only plain data can be passed to the notebook's code, not {type(obj).__name__}")


def _student_exception(info) -> BaseException:
    """The exception to raise in the test for one the student's code raised (a built-in type, or ours)."""
    if not isinstance(info, dict):
        return NotebookStopped("the notebook's process sent the grader an unreadable answer")
    name = str(info.get("type", "Exception"))[:100]
    bases = [str(b) for b in info.get("bases", []) if isinstance(b, str)][:50]
    message = str(info.get("message", ""))[:2000]
    if info.get("bridge"):
        return BridgeError(message or "the notebook's answer could not be read as data")
    if info.get("timeout"):
        error: BaseException = TimeoutError(message or "the notebook's code ran past the grader's time limit")
    else:
        klass = next((_CATCHABLE[b] for b in [name, *bases] if b in _CATCHABLE), None)
        args = info.get("args")
        error = None
        if klass is not None and isinstance(args, list):
            try:
                error = klass(*plain.decode(args))
            except Exception:  # noqa: BLE001 - odd arguments: fall back to the message
                error = None
        if error is None:
            error = (klass or StudentCodeError)(message if klass else f"{name}: {message}")
    trace = info.get("trace")
    if isinstance(trace, list) and hasattr(error, "add_note"):
        lines = [str(line)[:300] for line in trace[:40]]
        error.add_note("Raised in the notebook's code:\n" + "\n".join(lines))
    return error


class LocalLink:
    """Reach a namespace in this same process (the learner's kernel, for the self-check), through the same
    plain-data round trip the grader uses, so comparisons happen on fresh plain values."""

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.sink = None
        self.deadline = None
        self._objects: dict[int, object] = {}

    def _out(self, value):
        return plain.decode(plain.encode(value, make_ref=self._make_ref), self._ref)

    def _in(self, value):
        return plain.decode(plain.encode(value, make_ref=_ref_json), self._resolve)

    def _make_ref(self, obj) -> dict:
        self._objects[id(obj)] = obj
        return {"$": "ref", "id": id(obj), "type": type(obj).__qualname__, "callable": callable(obj)}

    def _ref(self, data) -> Ref:
        return Ref(self, data["id"], data.get("type", "object"), data.get("callable", False))

    def _resolve(self, data):
        return self._objects[data["id"]]

    def _run(self, action):
        with self.sink.capture() if self.sink is not None else contextlib.nullcontext():
            try:
                return action()
            except (SystemExit, KeyboardInterrupt, GeneratorExit) as stop:
                raise StudentCodeError(f"the code tried to stop ({type(stop).__name__})") from None
            except (StopIteration, StopAsyncIteration) as stop:
                raise StudentCodeError(f"{type(stop).__name__} escaped from the code") from None

    def lookup(self, name: str):
        if name not in self.namespace:
            raise KeyError(name)
        return self._run(lambda: self._out(self.namespace[name]))

    def has(self, name: str) -> bool:
        return name in self.namespace

    def assign(self, name: str, value) -> None:
        self.namespace[name] = self._in(value)

    def delete(self, name: str) -> None:
        del self.namespace[name]

    def call(self, ref: Ref, args, kwargs):
        target = self._objects[ref._id]
        sent = [self._in(a) for a in args]
        before = [json.dumps(plain.encode(a, make_ref=self._make_ref), sort_keys=True) for a in sent]
        result = self._run(lambda: target(*sent, **{k: self._in(v) for k, v in kwargs.items()}))
        for position, value in enumerate(sent):
            after = plain.encode(value, make_ref=self._make_ref)
            if json.dumps(after, sort_keys=True) != before[position]:
                plain.write_back(args[position], plain.decode(after, self._ref))
        return self._out(result)

    def getattr(self, ref: Ref, name: str):
        return self._run(lambda: self._out(getattr(self._objects[ref._id], name)))

    def getitem(self, ref: Ref, key):
        return self._run(lambda: self._out(self._objects[ref._id][self._in(key)]))

    def length(self, ref: Ref) -> int:
        return int(self._run(lambda: len(self._objects[ref._id])))

    def items(self, ref: Ref) -> list:
        return self._run(lambda: self._out(list(self._objects[ref._id])))


# --------------------------------------------------------------------------------------------------- namespace


class NotebookNamespace(dict):
    """The judge's globals: its own names, then builtins, then (on a miss) the notebook's names via the link.

    Names found in the notebook are never copied here, so a later cell that changes them is seen; a test
    that assigns or deletes such a name changes it in the notebook.
    """

    def __init__(self, link, reserved: frozenset[str] = frozenset()):
        super().__init__()
        self.link = link
        self.reserved = frozenset(reserved)  # names only the trusted cells may define
        self.offline = False  # True while a trusted cell runs: it may not reach the notebook's names
        self.shared: set[str] = set()  # names that belong to the notebook
        dict.__setitem__(self, "__builtins__", builtins)
        dict.__setitem__(self, "__name__", "__main__")
        dict.__setitem__(self, "get_ipython", _NoShell)

    def __missing__(self, name: str):
        if self.offline or hasattr(builtins, name) or name in self.reserved:
            raise KeyError(name)  # the real builtin, or the setup's name: never the notebook's rebinding
        value = self.link.lookup(name)  # KeyError when the notebook has no such name
        self.shared.add(name)
        return value

    def __setitem__(self, name, value):
        if self.offline:
            dict.__setitem__(self, name, value)
        elif not dict.__contains__(self, name) and (name in self.shared or self.link.has(name)):
            self.link.assign(name, value)
            self.shared.add(name)
        else:
            dict.__setitem__(self, name, value)

    def __delitem__(self, name):
        if dict.__contains__(self, name) or self.offline:
            dict.__delitem__(self, name)
        elif name in self.shared or self.link.has(name):
            self.link.delete(name)
            self.shared.add(name)
        else:
            raise KeyError(name)


class _NoShell:
    """``get_ipython()`` in the judge: magics in a trusted cell do nothing here."""

    def __init__(self):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


# --------------------------------------------------------------------------------------------------- judge


@dataclass
class TestResult:
    outputs: list[dict]
    passed: bool
    error: str = ""  # "Ename: message" of the failure, if any


class Judge:
    """Runs trusted cells and test cells for one notebook, in order, against one link."""

    def __init__(self, link, sink_factory, cell_timeout: float | None = None, reserved: frozenset[str] = frozenset()):
        self.link = link
        self.namespace = NotebookNamespace(link, reserved)
        self.sink_factory = sink_factory
        self.cell_timeout = cell_timeout

    def run_trusted(self, source: str, count: int) -> TestResult:
        """A read-only setup cell: run it here too, so tests use the instructor's tables and imports. It runs
        offline: it cannot reach the notebook's names (the notebook's process runs it for the notebook)."""
        self.namespace.offline = True
        try:
            return self._run(source, count, display_last=False)
        finally:
            self.namespace.offline = False

    def run_test(self, source: str, count: int) -> TestResult:
        return self._run(source, count, display_last=True)

    def _run(self, source: str, count: int, display_last: bool) -> TestResult:
        sink = self.sink_factory()
        self.link.sink = sink
        filename = CELL_FILE.format(count=count)
        code = _python_source(source)
        started = time.monotonic()
        self.link.deadline = started + self.cell_timeout if self.cell_timeout else None
        error = ""
        alarm = _Alarm(self.cell_timeout)
        try:
            with alarm, sink.capture():
                tree = ast.parse(code, filename=filename)
                last = tree.body.pop() if display_last and tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, filename, "exec"), self.namespace)  # noqa: S102 - the instructor's own test
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)  # noqa: S307
                    if value is not None and not code.rstrip().endswith(";"):
                        sink.result(count, value)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - every failure of a test is an error output, never ours
            if isinstance(exc, JudgeTimeout):
                exc = TimeoutError(f"this test ran longer than {self.cell_timeout:g} s, the grader's limit per cell")
            sink.error(_error_output(exc, filename, count, code))
            error = f"{type(exc).__name__}: {_text_of(exc)}"
        finally:
            self.link.sink = None
            self.link.deadline = None
        return TestResult(sink.finish(), not error, error)


def defined_names(sources) -> frozenset[str]:
    """The global names the cells ``sources`` (trusted: the instructor's read-only cells) bind: imports,
    assignments, ``def`` and ``class``, and ``from m import *`` (read from the module, which the cell imports
    anyway). Function and class bodies and comprehensions bind nothing global and are not read."""
    import importlib

    names: set[str] = set()
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
              ast.DictComp, ast.GeneratorExp)

    def visit(node) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            for child in [*node.decorator_list, *getattr(node, "bases", [])]:
                visit(child)
            return
        if isinstance(node, scopes):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name)
                elif node.module and not node.level:
                    try:
                        module = importlib.import_module(node.module)
                    except Exception:  # noqa: BLE001 - the cell itself will fail the same way
                        continue
                    public = getattr(module, "__all__", None)
                    names.update(str(n) for n in (public if public is not None else
                                                  [n for n in vars(module) if not n.startswith("_")]))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for source in sources:
        try:
            visit(ast.parse(_python_source(str(source))))
        except (SyntaxError, ValueError):
            continue
    return frozenset(names)


def _python_source(source: str) -> str:
    """IPython syntax (magics, ``!cmd``) turned into plain Python, as a kernel would before running it."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - unparseable cells fail later with a SyntaxError output
        return source


class _Alarm:
    """A wall-clock limit on the judge's own work (main thread only; elsewhere no limit)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        import threading

        if self.seconds and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds + 2.0)
            self.armed = True
        return self

    @staticmethod
    def _fire(signum, frame):
        raise JudgeTimeout()

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def _text_of(value) -> str:
    """``str(value)``, or a placeholder when even that fails (an exception holding a 30,000-digit integer, from
    the notebook's code, cannot be printed): a failing test must always become an error output."""
    try:
        return str(value)
    except Exception:  # noqa: BLE001
        return f"(a {type(value).__name__} whose message cannot be shown)"


def _error_output(exc: BaseException, filename: str, count: int, code: str) -> dict:
    """An nbformat error output in IPython's shape: "Cell In[n], line k" names the failing line of the test."""
    lines = code.split("\n")
    trace = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            text = lines[frame.lineno - 1] if frame.lineno and 0 < frame.lineno <= len(lines) else ""
            trace += [f"Cell In[{count}], line {frame.lineno}", f"----> {frame.lineno} {text.strip()}"]
        elif "/netcourse/grading/" not in frame.filename.replace("\\", "/"):
            trace.append(f"File {frame.filename}:{frame.lineno}, in {frame.name}")
    ename = type(exc).__name__
    evalue = _text_of(exc)
    trace.append(f"{ename}: {evalue}" if evalue else ename)
    for note in getattr(exc, "__notes__", []) or []:
        trace.append(_text_of(note))
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": trace}


class JudgeSink:
    """What a test cell shows: its own prints, what the notebook's code printed during calls, its result."""

    def __init__(self, max_chars: int = 100_000):
        from .shell import OutputSink

        self.sink = OutputSink(max_chars)

    @contextlib.contextmanager
    def capture(self):
        with contextlib.redirect_stdout(_Forward(self.sink, "stdout")), contextlib.redirect_stderr(
                _Forward(self.sink, "stderr")):
            yield

    def take_remote(self, output) -> None:
        """An output the notebook's code produced during a call: only streams and displays, well-formed."""
        if not isinstance(output, dict):
            return
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") in ("stdout", "stderr") and isinstance(output.get("text"), str):
            self.sink.stream(output["name"], output["text"])
        elif kind == "display_data" and isinstance(output.get("data"), dict):
            from .shell import clean_mimebundle

            self.sink.rich({"output_type": "display_data", "data": clean_mimebundle(output["data"]), "metadata": {}})

    def result(self, count: int, value) -> None:
        data = {"text/plain": repr(value)}
        html = getattr(value, "_repr_html_", None)
        if html is not None and not isinstance(value, Ref):
            try:
                text = html()
                if isinstance(text, str):
                    data["text/html"] = text
            except Exception:  # noqa: BLE001 - a plain repr is enough
                pass
        self.sink.rich({"output_type": "execute_result", "execution_count": count, "data": data, "metadata": {}})

    def error(self, output: dict) -> None:
        self.sink.rich(output)

    def finish(self) -> list[dict]:
        return self.sink.finish()


class _Forward(io.TextIOBase):
    def __init__(self, sink, name: str):
        self._sink, self.name = sink, name

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        self._sink.stream(self.name, str(text))
        return len(text)
