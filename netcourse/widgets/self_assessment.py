"""Mark your own written answer with the workbook's rubric: one tick per criterion, saved with your work.

Self-study learners have no instructor to mark their written answers, so after each one the workbook
offers the same criteria the instructor uses (``data/rubrics.json``). Ticks are saved at once, atomically,
in ``my-networking/workbook-self-assessment.json`` (one entry per question), and come back when the
notebook is opened again. The widget is a class over :func:`record` and :func:`recorded`, which the tests
drive directly.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as widgets

from netcourse.schemas import first_problem
from netcourse.storage import StorageError, load_json, save_json, work_dir
from netcourse.widgets.alerts import alert_html
from netcourse.workbook import load_rubrics

FILE = "workbook-self-assessment.json"
KIND = "workbook-self-assessment"


def _path(folder) -> Path:
    return work_dir(folder) / FILE


def recorded(folder=None) -> dict:
    """{question: {criterion id: ticked}} saved so far ({} when nothing is saved; damaged files raise StorageError)."""
    path = _path(folder)
    if not path.exists():
        return {}
    data = load_json(path, KIND)
    problem = first_problem(data, "self-assessment")
    if problem is not None:
        raise StorageError(str(problem))
    return {q: dict(entry["criteria"]) for q, entry in data.items()}


def record(question: str, ticks: dict[str, bool], folder=None) -> Path:
    """Save the ticks for ``question`` (other questions' ticks are kept)."""
    rubric = load_rubrics()[question]
    known = {c["id"] for c in rubric["criteria"]}
    try:
        saved = recorded(folder)
    except StorageError:
        saved = {}  # a damaged file is replaced by what is on screen now, which is all the student has
    everything = {q: {"criteria": c} for q, c in saved.items()}
    everything[question] = {"criteria": {k: bool(v) for k, v in ticks.items() if k in known},
                            "saved": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    return save_json(_path(folder), everything, KIND)


class SelfAssessment(widgets.VBox):
    """The rubric of one written question as ticks, with the points they add up to."""

    def __init__(self, question: str, folder=None):
        rubrics = load_rubrics()
        if question not in rubrics:
            raise KeyError(f"There is no written question called {question!r}; they are: {', '.join(rubrics)}.")
        self.question, self.folder = question, folder
        self.rubric = rubrics[question]
        self.status = widgets.HTML()
        self.total = widgets.HTML()
        self.boxes: dict[str, widgets.Checkbox] = {}
        rows = [widgets.HTML(f"<strong>Mark your own answer: {html.escape(self.rubric['title'])}</strong> "
                             "(one point per criterion you meet; saved as you tick)")]
        try:
            earlier = recorded(folder).get(question, {})
        except StorageError as error:
            earlier = {}
            self.status.value = alert_html(f"Earlier ticks could not be read ({error}); start afresh.")
        for criterion in self.rubric["criteria"]:
            box = widgets.Checkbox(value=earlier.get(criterion["id"], False), indent=False,
                                   description=criterion["text"][:60] + "…",
                                   layout=widgets.Layout(width="auto", flex="0 0 auto"))
            box.description_allow_html = False
            box.add_class("netcourse-criterion")
            box.observe(self._changed, names="value")
            self.boxes[criterion["id"]] = box
            text = widgets.HTML(html.escape(criterion["text"]), layout=widgets.Layout(width="100%"))
            box.description = ""  # the full text is beside it; the short one was for the accessible name only
            box.tooltip = criterion["text"]
            rows.append(widgets.HBox([box, text], layout=widgets.Layout(align_items="flex-start")))
        rows += [self.total, self.status]
        super().__init__(rows, layout=widgets.Layout(border="1px solid #c8c8c8", padding="6px 10px",
                                                     max_width="760px"))
        self._show_total()

    @property
    def points(self) -> int:
        return sum(1 for box in self.boxes.values() if box.value)

    def _show_total(self) -> None:
        self.total.value = f"You give yourself <strong>{self.points} of {len(self.boxes)}</strong>."

    def _changed(self, change) -> None:
        self._show_total()
        try:
            path = record(self.question, {cid: box.value for cid, box in self.boxes.items()}, self.folder)
        except StorageError as error:
            self.status.value = alert_html(f"Not saved: {error}")
        else:
            self.status.value = f"Saved in {html.escape(str(path))}."
