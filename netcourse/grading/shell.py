"""The IPython shell a student's notebook runs in while it is graded, and the sink that records its outputs.

Built once per worker, before any fork (:func:`recording_shell`), so every student's process starts with
IPython, the traceback machinery and the assignment's modules already in memory. Its display hooks
write outputs in notebook form into an :class:`OutputSink`, capped in size.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import sys


def jsonable(value):
    """``value`` with bytes as base64 and anything unknown as text, so it always serialises."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def clean_mimebundle(data) -> dict:
    """The entries of an output's ``data`` that nbformat accepts (text, or lines of text; any JSON for a JSON
    type): an output the student's process forged must not make the notebook invalid, which would fail the
    whole submission."""
    if not isinstance(data, dict):
        return {}
    kept = {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            kept[key] = value
        elif key.startswith("application/") and key.endswith("json"):
            kept[key] = value
    return kept


def clean_output(output) -> dict | None:
    """``output`` rebuilt from the fields nbformat knows, with their types checked (None: not an output)."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") in ("stdout", "stderr") and isinstance(output.get("text"), str):
            return {"output_type": "stream", "name": output["name"], "text": output["text"]}
        return None
    if kind == "error":
        trace = output.get("traceback")
        if isinstance(output.get("ename"), str) and isinstance(trace, list) and all(isinstance(t, str) for t in trace):
            evalue = output.get("evalue", "")
            return {"output_type": "error", "ename": output["ename"],
                    "evalue": evalue if isinstance(evalue, str) else str(evalue), "traceback": list(trace)}
        return None
    if kind in ("display_data", "execute_result") and isinstance(output.get("data"), dict):
        metadata = output.get("metadata")
        cleaned = {"output_type": kind, "data": clean_mimebundle(output["data"]),
                   "metadata": metadata if isinstance(metadata, dict) else {}}
        if kind == "execute_result":
            count = output.get("execution_count")
            cleaned["execution_count"] = count if type(count) is int else None
        return cleaned
    return None


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
        output = jsonable(output)
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
    """``sys.stdout``/``sys.stderr`` of the student's process: text goes into the sink."""

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


class RecordingShell:
    """An IPython InteractiveShell whose display hook, display publisher and tracebacks fill ``sink``."""

    def __init__(self, shell, sink: OutputSink):
        self.shell, self.sink = shell, sink


@functools.cache
def recording_shell() -> RecordingShell:
    """The worker's shell (built once, before any fork)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    sink = OutputSink(100_000)

    class RecordingDisplayHook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            sink.rich({"output_type": "execute_result", "execution_count": self.prompt_count,
                       "data": format_dict, "metadata": md_dict or {}})

        def finish_displayhook(self):
            pass

    class RecordingPublisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            sink.rich({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):
            sink.clear()

    class Shell(InteractiveShell):
        def _showtraceback(self, etype, evalue, stb):
            sink.rich({"output_type": "error", "ename": str(etype.__name__), "evalue": str(evalue),
                       "traceback": list(stb)})

    config = Config()
    config.HistoryManager.enabled = False  # no sqlite, no history thread: the worker must stay fork-safe
    config.InteractiveShell.colors = "linux"
    config.InteractiveShell.autocall = 0
    # Plain tracebacks: still "Cell In[n], line k" and the failing line, ~20x cheaper than "Context" (which
    # parses whole module sources with stack_data in every fresh child).
    config.InteractiveShell.xmode = "Plain"
    Shell.displayhook_class = RecordingDisplayHook
    Shell.display_pub_class = RecordingPublisher
    shell = Shell.instance(config=config)
    try:  # load the traceback machinery (stack_data, pygments) once here, not in every fork
        raise NotImplementedError("warm-up")
    except NotImplementedError:
        shell.InteractiveTB.structured_traceback(*sys.exc_info())
    import bdb  # noqa: F401 - imported lazily by IPython when a cell fails

    import IPython.core.logger  # noqa: F401 - imported lazily by the first run_cell
    return RecordingShell(shell, sink)
