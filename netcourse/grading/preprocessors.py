"""nbgrader preprocessors that keep the workbook's grading honest and its feedback private.

``autograder/nbgrader_config.py`` plugs these into nbgrader, beside nbgrader's own:

* :class:`RestoreCellRoles` (autograde, before ``OverwriteCells``) gives every cell the role the
  gradebook knows for its ``grade_id``: a student who unticks "grade" on a test cell, or marks
  it as an answer, gets the real test back, graded as a test.
* :class:`ForgetUnknownCells` (autograde, after ``OverwriteCells``) turns a cell whose ``grade_id``
  the gradebook does not know (a renamed id), or a second copy of a known one, into an ordinary cell;
  ``OverwriteCells.add_missing_cells`` puts the real one back. nbgrader itself stops grading the
  student there (``KeyError: 'grade_id'``).
* :class:`RedactFeedback` (feedback, before :class:`FeedbackClearHiddenTests` and
  :class:`FeedbackClearMarkScheme`, which are nbgrader's ``ClearHiddenTests`` and ``ClearMarkScheme``
  applied to the instructor's cells only, so nothing a student typed can stop their feedback) replaces
  what a test cell with hidden tests printed by a short message, because a traceback or a print from
  the student's own function would show the hidden test's inputs.

The text helpers (:func:`failing_line`, :func:`redact_outputs`, and :func:`netcourse.selfcheck.strip_region`,
which the self-check uses to keep to visible tests) are pure and tested on their own.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme
from traitlets import Bool

from netcourse.notebook_hygiene import cell_source
from netcourse.selfcheck import HIDDEN_BEGIN, HIDDEN_END, strip_region

HIDDEN_FAILED = (
    "A hidden test failed: your code gives a wrong answer (or an error) for a case you did not see. "
    "Make sure it works for any table and any settings, not only for the examples in the notebook."
)
OUTPUT_WITHHELD = "(Output of this test cell is not shown, so that the hidden tests stay hidden.)"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# ipykernel names the failing place in a cell as "Cell In[12], line 7" (older: "<ipython-input-12-…> in <module>").
_CELL_LINE = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")


def failing_line(traceback: list[str]) -> int | None:
    """The line of the cell where an error was raised, read from an IPython traceback, or None."""
    found = None
    for entry in traceback:
        for match in _CELL_LINE.finditer(_ANSI.sub("", entry)):
            found = int(match.group(1))  # the last frame in the cell is where it failed
    return found


def redact_outputs(cell: dict) -> dict:
    """Withhold what a test cell with hidden tests showed (in place): a hidden test's failure becomes one
    sentence, a visible test's failure keeps only its message, prints go. The source is left for nbgrader's
    ClearHiddenTests and ClearMarkScheme, which run next."""
    hidden_lines = strip_region(cell_source(cell), HIDDEN_BEGIN, HIDDEN_END)[1]
    if not hidden_lines or cell.get("cell_type") != "code":
        return cell
    outputs = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        line = failing_line(output.get("traceback", []))
        if line is None or line in hidden_lines:
            ename, evalue = "Hidden test failed", HIDDEN_FAILED
        else:  # a visible test failed: its message is meant for the student, its context lines are not
            ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
        output["ename"], output["evalue"] = ename, evalue
        output["traceback"] = [f"{ename}: {evalue}"]
        outputs.append(output)
    if len(outputs) != len(cell.get("outputs", [])):
        outputs.append({"output_type": "stream", "name": "stdout", "text": OUTPUT_WITHHELD + "\n"})
    cell["outputs"] = outputs
    return cell


class RedactFeedback(Preprocessor):
    """Feedback preprocessor: no hidden test's output reaches a student (see :func:`redact_outputs`)."""

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        return redact_outputs(cell), resources


class ForgetUnknownCells(Preprocessor):
    """Autograde preprocessor: a cell nbgrader cannot match to the gradebook becomes an ordinary cell."""

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess(self, nb, resources):
        seen: set[str] = set()
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id")
            if not grade_id or grade_id in seen:
                self.log.warning("Cell %s: not in the gradebook (or a copy); graded as an ordinary cell", grade_id)
                del cell.metadata["nbgrader"]
                continue
            seen.add(grade_id)
        return nb, resources


class RestoreCellRoles(Preprocessor):
    """Autograde preprocessor: reset each cell's grade/solution/task flags (and points) from the gradebook, and
    its metadata schema version to nbgrader's."""

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled").tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry  # nbgrader is only needed while grading

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            try:
                notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return nb, resources
            points = {cell.name: cell.max_score for cell in notebook.grade_cells}
            points.update({cell.name: cell.max_score for cell in notebook.task_cells})
            solutions = {cell.name for cell in notebook.solution_cells}
            tasks = {cell.name for cell in notebook.task_cells}
            known = {cell.name for cell in notebook.source_cells}
        from nbgrader.nbgraderformat import SCHEMA_VERSION

        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if isinstance(meta, dict) and meta:
                meta["schema_version"] = SCHEMA_VERSION  # a forged old version would stop grading this student
            if not meta or meta.get("grade_id") not in known:
                continue  # unknown ids are OverwriteCells' business (it drops them)
            grade_id = meta["grade_id"]
            is_grade = grade_id in points and grade_id not in tasks
            for flag, wanted in (("grade", is_grade), ("solution", grade_id in solutions), ("task", grade_id in tasks)):
                if bool(meta.get(flag, False)) != wanted:
                    self.log.warning("Cell %s: restoring %s=%s", grade_id, flag, wanted)
                meta[flag] = wanted
            if grade_id in points:
                meta["points"] = float(points[grade_id])
            else:
                meta.pop("points", None)
        return nb, resources


class _InstructorCellsOnly:
    """Apply an nbgrader cleaning step to the instructor's cells (locked cells and tests), never to what a
    student wrote: a student's answer that happens to contain a marker cannot break their feedback."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            return super().preprocess_cell(cell, resources, index)
        return cell, resources


class FeedbackClearHiddenTests(_InstructorCellsOnly, ClearHiddenTests):
    """nbgrader's ClearHiddenTests for feedback pages: hidden tests leave the instructor's test cells."""

    enforce_metadata = Bool(False, help="Feedback cells are already graded; do not check their metadata.")


class FeedbackClearMarkScheme(_InstructorCellsOnly, ClearMarkScheme):
    """nbgrader's ClearMarkScheme for feedback pages: marking guides leave the locked prompt cells."""

    enforce_metadata = Bool(False, help="Marking guides sit in locked prompt cells, not in the graded answers.")
