"""Which of nbgrader's autograde steps run in the student's worker, and the parent's two replay steps.

nbgrader's Autograde converts each notebook twice: the *sanitize* preprocessors, then the *autograde*
preprocessors (``Execute`` and what follows it). The parent writes the gradebook for the whole class one
student at a time, so whatever it does per notebook bounds the speed of the class. The steps that only
change the notebook, and need neither the gradebook nor anything of the parent, therefore run in the
worker, on the notebook it just executed, with the same configuration and in the same order:

* :func:`split_autograde` takes ``Execute`` and the notebook-only steps right after it (and a notebook-only
  step after gradebook writers that do not change the notebook, such as the final ``CheckCellMetadata``)
  for the worker; the rest stays in the parent, in order, with :class:`ReplayExecute` in place of
  ``Execute``. Only nbgrader's and nbconvert's own classes whose effect is known are moved: a course's own
  preprocessor, or one configured before ``Execute``, stays in the parent, as does everything after it;
* :func:`finish_in_worker` puts the run's outputs into the sanitized notebook and runs those steps through
  the same kind of exporter nbgrader uses (same checks after each step);
* :class:`ReplaySanitize` and :class:`ReplayExecute` stand in, in the parent, for the sanitize
  preprocessors and for ``Execute`` (plus the steps moved): they take the worker's result, checked by digest.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)
from traitlets import Any

from .worker import digest

# Steps that read and change only the notebook (no gradebook, no files, no kernel): safe in the worker.
NOTEBOOK_ONLY = (IgnorePattern, ClearMetadataPreprocessor, LimitOutput, CheckCellMetadata, ClearOutput)
# Steps that write the gradebook from the notebook and leave the notebook as it was: a notebook-only step
# after them sees the same notebook whether it runs before or after them.
NOTEBOOK_UNCHANGED = (SaveAutoGrades, AssignLatePenalties)


class GradingError(Exception):
    """A submission that cannot be graded, with a reason meant for people."""


def split_autograde(preprocessors: list) -> tuple[list[type], list]:
    """(steps for the worker after its run, the parent's steps with the :data:`EXECUTE` marker in place of
    Execute). With no Execute in the list the worker still runs the notebook (the marker goes first) and
    nothing else moves; with steps before Execute nothing moves either."""
    executes = [i for i, p in enumerate(preprocessors) if isinstance(p, type) and issubclass(p, Execute)]
    if not executes:
        return [], [EXECUTE, *preprocessors]
    first = executes[0]
    parent = [*preprocessors[:first], EXECUTE]
    moved: list[type] = []
    kept_after: list = []
    movable = first == 0
    for step in preprocessors[first + 1:]:
        if isinstance(step, type) and issubclass(step, Execute):
            continue  # Execute listed twice: nbgrader would run the notebook again; the worker ran it once
        known = isinstance(step, type) and step in NOTEBOOK_ONLY
        if movable and known and all(isinstance(k, type) and k in NOTEBOOK_UNCHANGED for k in kept_after):
            moved.append(step)
        else:
            kept_after.append(step)
    return moved, parent + kept_after


EXECUTE = "execute (done by the worker)"


def apply_run(nb, run: dict) -> None:
    """Put a run's outputs into the sanitized notebook as nbgrader's Execute leaves them."""
    for key, value in run["cells"].items():
        cell = nb.cells[int(key)]
        cell.outputs = [nbformat.from_dict(output) for output in value["outputs"]]
        cell.execution_count = value["execution_count"]
        if value.get("started"):
            cell.metadata["execution"] = {
                "iopub.execute_input": value["started"], "iopub.status.busy": value["started"],
                "iopub.status.idle": value["ended"], "shell.execute_reply": value["ended"],
            }
    if run.get("python"):
        nb.metadata["language_info"] = {"name": "python", "version": run["python"],
                                        "file_extension": ".py", "mimetype": "text/x-python"}


def finish_in_worker(sanitized: str, run: dict, task: dict, notebook: str) -> str:
    """The notebook as the parent would have it after Execute and the moved steps (``task["finish"]``),
    run by an exporter of nbgrader's class with nbgrader's configuration: each step checked as nbconvert
    checks it. Raises what those steps raise (a notebook whose nbgrader metadata is corrupt, for one)."""
    nb = nbformat.reads(sanitized, as_version=4)  # as the parent reads back what it wrote
    apply_run(nb, run)
    steps = task.get("finish") or []
    if not steps:
        return nbformat.writes(nb)
    exporter = task["exporter_class"](config=task["config"])
    exporter._preprocessors = []  # what nbgrader's Autograde._init_preprocessors does before each pass
    for step in steps:
        exporter.register_preprocessor(step)
    resources = {
        "unique_key": notebook, "output_files_dir": f"{notebook}_files",
        "metadata": {"name": notebook, "path": task.get("autograded_dir", "")},
        "nbgrader": {"student": task["student"], "assignment": task["assignment"], "notebook": notebook,
                     "db_url": task["db_url"]},
    }
    output, _ = exporter.from_notebook_node(nb, resources=resources)
    return output


class _Replay(NbGraderPreprocessor):
    """Base of the two replay steps: they read the worker's result for the notebook being converted."""

    broker = Any(None, help="The ResultBroker holding the workers' results (set by ParallelAutograde).")

    def entry(self, resources) -> dict:
        student = resources["nbgrader"]["student"]
        notebook = resources["nbgrader"]["notebook"]
        result = self.broker.get(student)
        if result.get("error"):
            raise GradingError(result["error"])
        entry = result["notebooks"].get(notebook)
        if entry is None:
            raise GradingError(f"{notebook}.ipynb was not executed")
        if entry["status"] != "ok":
            raise GradingError(entry["reason"])
        return entry


class ReplaySanitize(_Replay):
    """Stands in for the sanitize preprocessors: the worker already ran exactly those (same notebook file,
    same source cells from the gradebook, same configuration), so take its result instead of redoing it."""

    def preprocess(self, nb, resources):
        return nbformat.reads(self.entry(resources)["sanitized"], as_version=4), resources


class ReplayExecute(_Replay):
    """Stands in for nbgrader's Execute and the steps the worker ran after it: the worker's notebook, for
    exactly these sanitized cells (checked by digest). ``moved`` says whether steps were moved: if none
    were, only the outputs are taken over, so the parent's steps before Execute keep their effect."""

    moved = Any(False, help="True when the worker ran steps after Execute (split_autograde).")

    def preprocess(self, nb, resources):
        entry = self.entry(resources)
        notebook = resources["nbgrader"]["notebook"]
        if [digest(str(cell.source)) for cell in nb.cells] != entry["sources"]:
            raise GradingError(f"{notebook}.ipynb: the cells executed differ from the cells recorded (internal error)")
        graded = nbformat.reads(entry["graded"], as_version=4)
        if self.moved:
            return graded, resources
        for mine, theirs in zip(nb.cells, graded.cells, strict=True):
            if "outputs" in theirs:
                mine.outputs = theirs.outputs
                mine.execution_count = theirs.execution_count
            if "execution" in theirs.metadata:
                mine.metadata["execution"] = theirs.metadata["execution"]
        if "language_info" in graded.metadata:
            nb.metadata["language_info"] = graded.metadata["language_info"]
        return nb, resources
