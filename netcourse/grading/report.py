"""The class report after grading: one self-contained HTML page (pandas tables, matplotlib charts inline).

    netcourse-grade report networking-workbook [--out reports]

Reads the nbgrader gradebook (the same configuration as ``nbgrader``) and the grading summary the parallel
grader saved, and writes ``reports/<assignment>-report.html`` plus CSV exports: one row per student with
each question's points (``<assignment>-scores.csv``), one row per question (``<assignment>-questions.csv``)
and one per lesson objective with the share of points the class earned (``<assignment>-objectives.csv``).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..storage import atomic_write_text


@dataclass
class ClassData:
    assignment: str
    scores: pd.DataFrame  # one row per student and question: student, notebook, question, kind, points, max_points
    totals: pd.DataFrame  # one row per student: student, score, max_score, needs_manual_grade
    summary: pd.DataFrame  # grading outcomes: student, status, detail


def load_class(coursedir, assignment: str) -> ClassData:
    """Everything the report shows, read from the gradebook and the grading summary."""
    from nbgrader.api import Gradebook

    rows, totals = [], []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        record = gb.find_assignment(assignment)
        kinds = {}
        for notebook in record.notebooks:
            answers = {cell.name for cell in notebook.solution_cells}
            for cell in notebook.grade_cells:
                kinds[(notebook.name, cell.name)] = (
                    "test" if cell.cell_type == "code" and cell.name not in answers else "manual")
        for submission in gb.assignment_submissions(assignment):
            totals.append({"student": submission.student_id, "score": float(submission.score),
                           "max_score": float(submission.max_score),
                           "needs_manual_grade": bool(submission.needs_manual_grade)})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows.append({"student": submission.student_id, "notebook": notebook.name, "question": grade.name,
                                 "kind": kinds.get((notebook.name, grade.name), "manual"),
                                 "points": float(grade.score), "max_points": float(grade.max_score),
                                 "needs_manual_grade": bool(grade.needs_manual_grade)})
    columns = ["student", "notebook", "question", "kind", "points", "max_points", "needs_manual_grade"]
    scores = pd.DataFrame(rows, columns=columns)
    totals_frame = pd.DataFrame(totals, columns=["student", "score", "max_score", "needs_manual_grade"])
    folder = Path(coursedir.format_path(coursedir.autograded_directory, ".", ".")).resolve()
    summary_path = folder / "grading-summary.json"
    summary = pd.DataFrame(columns=["student", "status", "detail"])
    if summary_path.exists():
        data = json.loads(summary_path.read_text(encoding="utf-8"))
        summary = pd.DataFrame([{k: d.get(k, "") for k in ("student", "status", "detail")} for d in data],
                               columns=["student", "status", "detail"])
    return ClassData(assignment, scores, totals_frame.sort_values("student"), summary)


def failed_students(data: ClassData) -> set[str]:
    """Students whose submission could not be graded (they are listed, not counted in the statistics)."""
    if data.summary.empty:
        return set()
    return set(data.summary.loc[data.summary.status == "failed", "student"])


def question_table(data: ClassData) -> pd.DataFrame:
    """Per question: how many graded students, pass rate (full points; tests only) and mean points."""
    scores = data.scores[~data.scores.student.isin(failed_students(data))]
    if scores.empty:
        return pd.DataFrame(columns=["notebook", "question", "kind", "max_points", "students", "pass_rate",
                                     "mean_points"])
    frame = scores.assign(passed=scores.points >= scores.max_points)
    table = frame.groupby(["notebook", "question", "kind"], sort=False).agg(
        max_points=("max_points", "max"), students=("student", "nunique"), pass_rate=("passed", "mean"),
        mean_points=("points", "mean")).reset_index()
    table.loc[table.kind != "test", "pass_rate"] = float("nan")
    return table.round({"pass_rate": 3, "mean_points": 2})


RETEACH_BELOW = 0.6  # an objective where the class earned less than this share of its points is flagged


def objective_table(data: ClassData, objectives=None) -> pd.DataFrame:
    """Per lesson objective: the items assessing it and the share of their points the class earned.

    Written answers still waiting for a grader are left out until they are marked (their 0 is not a
    result), as are students whose submission could not be graded. ``objectives`` defaults to
    ``netcourse/data/objectives.json``."""
    from netcourse.workbook import load_objectives

    objectives = objectives or load_objectives()
    columns = ["objective", "lesson", "items", "marked", "share", "reteach"]
    scores = data.scores[~data.scores.student.isin(failed_students(data)) & ~data.scores.needs_manual_grade]
    rows = []
    for objective in objectives.objectives:
        items = objectives.items_for(objective.id)
        mask = pd.Series(False, index=scores.index)
        for notebook, grade_id in items:
            mask |= (scores.notebook == notebook) & (scores.question == grade_id)
        chosen = scores[mask]
        possible = float(chosen.max_points.sum())
        share = float(chosen.points.sum()) / possible if possible else float("nan")
        rows.append({"objective": objective.text, "lesson": objective.lesson,
                     "items": ", ".join(grade_id for _, grade_id in items), "marked": len(chosen),
                     "share": round(share, 3), "reteach": bool(possible) and share < RETEACH_BELOW})
    return pd.DataFrame(rows, columns=columns)


def score_sheet(data: ClassData) -> pd.DataFrame:
    """One row per student: points per question, total, and the grading outcome."""
    if data.scores.empty:
        return data.totals
    wide = data.scores.pivot_table(index="student", columns="question", values="points", aggfunc="sum", sort=False)
    sheet = data.totals.set_index("student").join(wide)
    if not data.summary.empty:
        sheet = sheet.join(data.summary.set_index("student")[["status", "detail"]], how="left")
    return sheet.reset_index()


def _figure_html(fig, alt: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def charts(data: ClassData, questions: pd.DataFrame) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = []
    fig, ax = plt.subplots(figsize=(7, 3.2))
    totals = data.totals[~data.totals.student.isin(failed_students(data))]
    if not totals.empty:
        top = float(totals.max_score.max() or 1)
        ax.hist(totals.score, bins=min(20, max(5, int(top))), range=(0, top), color="#3b6ea5", edgecolor="white")
    ax.set_xlabel("total points")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    images.append(_figure_html(fig, "Histogram of students' total scores"))
    tests = questions[questions.kind == "test"]
    if not tests.empty:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(tests) + 1))
        ax.barh(tests.question, tests.pass_rate * 100, color="#5a9e6f")
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of students with full points")
        ax.set_title("Pass rate per autograded question")
        images.append(_figure_html(fig, "Bar chart of the pass rate of each autograded question"))
    return images


def render(data: ClassData) -> str:
    questions = question_table(data)
    objectives = objective_table(data)
    manual = data.totals[data.totals.needs_manual_grade]
    failed = data.summary[data.summary.status.isin(["failed", "graded-with-problems"])] if not data.summary.empty \
        else data.summary
    counted = data.totals[~data.totals.student.isin(failed_students(data))]
    graded = len(counted)
    mean = counted.score.mean() if graded else float("nan")
    top = counted.max_score.max() if graded else float("nan")
    title = html.escape(f"Class report: {data.assignment}")
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{title}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em}"
        "th{background:#f0f3f7}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{graded} graded submissions; mean {mean:.1f} of {top:.0f} points (failed submissions are listed "
        "below, not counted). "
        f"{len(manual)} need manual grading; {len(failed)} had grading problems or failed.</p>",
        "<h2>Score distribution</h2>",
        *charts(data, questions),
        "<h2>By objective: what to reteach</h2>",
        f"<p>Share of the points the class earned on the items assessing each lesson objective (marked items "
        f"only). <strong>Reteach</strong> where it is below {RETEACH_BELOW:.0%}.</p>",
        objectives.to_html(index=False, na_rep="", formatters={"reteach": lambda x: "Reteach" if x else ""},
                           float_format=lambda x: f"{x:.0%}"),
        "<h2>Questions</h2>",
        "<p>Pass rate: share of students with full points (autograded tests only). Mean points over all "
        "submissions.</p>",
        questions.to_html(index=False, na_rep="", float_format=lambda x: f"{x:.2f}"),
        "<h2>Students needing manual grading</h2>",
        manual.to_html(index=False) if not manual.empty else "<p>None.</p>",
        "<h2>Submissions that failed or had problems</h2>",
        failed.to_html(index=False) if not failed.empty else "<p>None.</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(coursedir, assignment: str, out: Path) -> dict[str, Path]:
    data = load_class(coursedir, assignment)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"html": out / f"{assignment}-report.html", "scores": out / f"{assignment}-scores.csv",
             "questions": out / f"{assignment}-questions.csv", "objectives": out / f"{assignment}-objectives.csv"}
    atomic_write_text(paths["html"], render(data))
    atomic_write_text(paths["scores"], score_sheet(data).to_csv(index=False))
    atomic_write_text(paths["questions"], question_table(data).to_csv(index=False))
    atomic_write_text(paths["objectives"], objective_table(data).to_csv(index=False))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netcourse-grade report", description="Write the class report.")
    parser.add_argument("assignment", nargs="?", default="networking-workbook")
    parser.add_argument("--out", default="", help="folder for the HTML report and CSV exports (default: reports/ "
                        "in the course folder)")
    args = parser.parse_args(argv)
    from nbgrader.apps.baseapp import NbGrader

    app = NbGrader.instance()
    app.initialize([])
    try:
        out = Path(args.out) if args.out else Path(app.coursedir.root) / "reports"
        paths = write_report(app.coursedir, args.assignment, out)
    except Exception as error:  # noqa: BLE001 - a command-line tool answers with a sentence, not a traceback
        print(f"Could not write the report: {error}")
        return 1
    finally:
        NbGrader.clear_instance()
    for kind, path in paths.items():
        print(f"{kind:>9}: {path}")
    return 0
