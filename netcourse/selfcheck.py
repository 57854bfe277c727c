"""Self-check for the workbook: run a question's visible tests without nbgrader and say what happened.

A learner on Binder has no instructor and no nbgrader course, so the released workbook calls
``check("etiquette-a", "etiquette-b")`` after each question and ``score("01_pitch_and_questions")`` at the end.
:func:`check` finds the workbook notebook in the kernel's working folder (the notebook's own
folder), takes the autograder test cell with that ``grade_id`` (in a released notebook it holds
only the visible tests) and runs it, statement by statement, in the learner's namespace. So the
self-check passes exactly when nbgrader's run of the same cell would pass: no exception and
nothing written to the error stream (warnings aside, as in ``autograder/nbgrader_config.py``,
which imports :data:`WARNING_PATTERN` from here). The report says, in plain words, how many checks
passed, which one failed and the test's own message as the hint.

:func:`score` runs every test cell of one notebook, shows points earned out of points possible and
writes a Markdown summary (all notebooks scored so far) to the learner's work folder for download.
While nbgrader grades (``NBGRADER_EXECUTION`` is set) both do nothing, so they never affect a grade.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import json
import os
import re
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netcourse.notebook_hygiene import cell_source
from netcourse.storage import StorageError, atomic_write_text, load_json, save_json, work_dir

GRADING_ENV = "NBGRADER_EXECUTION"
# Error-stream text that does not fail a test (nbgrader's IgnorePattern uses the same pattern).
WARNING_PATTERN = r"[A-Za-z]+Warning: "
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
# A test cell whose visible part only checks an answer's form (a letter the question offers) says so with
# this comment; the self-check then says "right form" instead of "well done" (the hidden tests decide).
FORM_ONLY_MARK = "# The visible check tests the form of your answer"
SUMMARY_FILE = "workbook-summary.md"
RESULTS_FILE = "workbook-selfcheck.json"
RESULTS_KIND = "workbook-selfcheck"


class SelfCheckError(ValueError):
    """The question or notebook cannot be found or read; the message says what to do."""


@dataclass(frozen=True)
class TestCell:
    """One autograder test cell of a workbook notebook."""

    grade_id: str
    notebook: str
    source: str
    points: float
    setup: tuple[str, ...] = ()  # the read-only setup cells above it, which the grader's judge runs too


@dataclass
class CheckResult:
    """What running one question's tests found, in words a learner can act on."""

    question: str
    passed: bool
    checks_passed: int = 0
    checks_total: int = 0
    failed_check: str = ""
    hint: str = ""
    points: float = 0.0
    skipped: str = ""
    form_only: bool = False  # the visible tests check the answer's form; the hidden ones whether it is right

    @property
    def earned(self) -> float:
        """Points the visible checks can vouch for (a decision's are decided by the hidden tests)."""
        return self.points if self.passed and not self.form_only else 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"{self.question}: {self.skipped}"]
        if self.passed and self.form_only:
            return [f"{self.question}: your answer has the right form.",
                    "Whether it is the best choice is marked when you hand in; the lessons' practice boxes give "
                    "instant feedback on similar cases."]
        if self.passed:
            return [f"{self.question}: all {self.checks_total} visible checks passed. Well done!",
                    "The grader also runs hidden tests with other data, so make sure your code works for any input."]
        lines = [f"{self.question}: not yet. "
                 f"{self.checks_passed} of {self.checks_total} checks passed before one failed."]
        if self.failed_check and not self.hint:  # the hint says it in words; code only when there is none
            lines.append(f"The check that failed: {self.failed_check}")
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer, cycle) -> None:  # plain-text frontends show the words, not the fields
        printer.text(str(self))

    def _repr_html_(self, first_only: bool = False) -> str:
        colour = "#1b5e20" if self.passed else ("#555" if self.skipped else "#8a1c1c")
        mark = "&#10004;" if self.passed else ("&#8226;" if self.skipped else "&#10008;")
        first, *rest = self.lines()
        rest = [] if first_only else rest
        body = "".join(f"<div>{html.escape(line)}</div>" for line in rest)
        return (f'<div role="status" style="border-left:4px solid {colour};padding:4px 10px">'
                f'<strong style="color:{colour}">{mark} {html.escape(first)}</strong>{body}</div>')


@dataclass
class CheckResults:
    """Several questions' self-checks, shown one after another."""

    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    def __iter__(self):
        return iter(self.results)

    def _shared_note(self) -> list[str]:
        """What every passing result would repeat (e.g. "marked when you hand in"), said once at the end."""
        notes = [result.lines()[1:] for result in self.results if result.passed]
        return notes[0] if len(notes) > 1 and all(note == notes[0] for note in notes) else []

    def __str__(self) -> str:
        shared = self._shared_note()
        lines = [line for result in self.results
                 for line in (result.lines()[:1] if shared and result.passed else result.lines())]
        return "\n".join(lines + shared)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        shared = self._shared_note()
        if not shared:
            return "".join(result._repr_html_() for result in self.results)
        parts = [r._repr_html_(first_only=True) if r.passed else r._repr_html_() for r in self.results]
        return "".join(parts) + "".join(f"<div>{html.escape(line)}</div>" for line in shared)


@dataclass
class ScoreReport:
    """The self-check score of one notebook, and where its downloadable summary is."""

    notebook: str
    results: list[CheckResult] = field(default_factory=list)
    summary_path: Path | None = None
    note: str = ""

    @property
    def earned(self) -> float:
        return sum(result.earned for result in self.results)

    @property
    def possible(self) -> float:
        return sum(result.points for result in self.results if not result.form_only)

    @property
    def decisions(self) -> tuple[int, int]:
        """(answered in the right form, asked) for the questions marked only when handed in."""
        asked = [result for result in self.results if result.form_only]
        return sum(1 for result in asked if result.passed), len(asked)

    def headline(self) -> str:
        answered, asked = self.decisions
        line = f"{self.notebook}: {_num(self.earned)} of {_num(self.possible)} points on the visible tests"
        if asked:
            line += f"; {answered} of {asked} choices answered (they are marked when you hand in)"
        return line + "."

    def lines(self) -> list[str]:
        if self.note and not self.results:
            return [self.note]
        lines = [self.headline()]
        for result in self.results:
            if result.form_only:
                status = "answered" if result.passed else "not yet answered"
                lines.append(f"  {result.question}: {status}")
                continue
            status = "passed" if result.passed else "not yet"
            lines.append(f"  {result.question}: {status} ({_num(result.earned)}/{_num(result.points)})")
        if self.summary_path:
            lines.append(f"Summary saved to {self.summary_path} (download it from the file browser).")
        if self.note:
            lines.append(self.note)
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_pretty_(self, printer, cycle) -> None:  # plain-text frontends show the words, not the fields
        printer.text(str(self))

    def _repr_html_(self) -> str:
        if self.note and not self.results:
            return f"<p>{html.escape(self.note)}</p>"
        rows = "".join(
            f"<tr><td>{html.escape(r.question)}</td><td>{_status(r)}</td>"
            f"<td>{'marked when handed in' if r.form_only else f'{_num(r.earned)} / {_num(r.points)}'}</td>"
            f"<td>{html.escape(r.hint if not r.passed else '')}</td></tr>"
            for r in self.results
        )
        parts = [
            f"<p><strong>{html.escape(self.headline())}</strong>"
            " Hidden tests and written answers are marked when you hand in.</p>",
            "<table><thead><tr><th>Question</th><th>Result</th><th>Points</th><th>Hint</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>",
        ]
        if self.summary_path:
            href = html.escape(_relative_link(self.summary_path), quote=True)
            name = html.escape(self.summary_path.name)
            parts.append(f'<p><a href="{href}" download>Download your summary ({name})</a>'
                         " or right-click it in the file browser and choose <em>Download</em>.</p>")
        if self.note:
            parts.append(f"<p>{html.escape(self.note)}</p>")
        return "".join(parts)


def _status(result: CheckResult) -> str:
    if result.form_only:
        return "answered" if result.passed else "not yet answered"
    return "passed" if result.passed else "not yet"


def _num(value: float) -> str:
    return f"{value:g}"


def _relative_link(path: Path) -> str:
    try:
        return Path(os.path.relpath(path, Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# ------------------------------------------------------------------------------------------------ finding tests


def strip_region(source: str, begin: str, end: str) -> tuple[str, set[int]]:
    """Remove the lines from ``begin`` to ``end`` (inclusive); return the new text and the removed line numbers.

    Line numbers are 1-based, as in a traceback. An unterminated region runs to the end of the text.
    """
    kept, removed, inside = [], set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        if inside:
            removed.add(number)
        else:
            kept.append(line)
        if inside and end in line:
            inside = False
    return "\n".join(kept), removed


def test_cells(path: Path | str) -> list[TestCell]:
    """The autograder test cells of the notebook at ``path`` (code cells marked grade, not solution).

    Only the visible tests are kept: run on an instructor's copy (or on a notebook nbgrader is
    grading, whose test cells hold the hidden tests again) the self-check still never runs or shows
    a hidden test.
    """
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SelfCheckError(f"Could not read {path.name}: {exc}") from None
    found, setup = [], []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code":
            continue
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            visible = strip_region(cell_source(cell), HIDDEN_BEGIN, HIDDEN_END)[0]
            found.append(TestCell(meta["grade_id"], path.stem, visible, float(meta.get("points", 0)), tuple(setup)))
        elif meta.get("locked") and not meta.get("solution") and not meta.get("grade"):
            setup.append(cell_source(cell))
    return found


def workbook_notebooks(folder: Path | str | None = None) -> list[Path]:
    folder = Path(folder) if folder is not None else Path.cwd()
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def find_test_cell(question: str, folder: Path | str | None = None) -> TestCell:
    """The test cell with ``grade_id == question`` among the notebooks in ``folder`` (default: cwd)."""
    known = []
    for path in workbook_notebooks(folder):
        for cell in test_cells(path):
            if cell.grade_id == question:
                return cell
            known.append(cell.grade_id)
    if not known:
        raise SelfCheckError("No workbook notebook with tests was found in this folder. "
                             "Open the workbook's notebooks from their own folder and run the check again.")
    raise SelfCheckError(f"There is no question called {question!r}. The questions are: {', '.join(known)}.")


# ------------------------------------------------------------------------------------------------ running tests


def _is_check(statement: ast.stmt) -> bool:
    return any(isinstance(node, (ast.Assert, ast.Raise)) for node in ast.walk(statement))


def _first_line(source: str, statement: ast.stmt) -> str:
    segment = ast.get_source_segment(source, statement) or ""
    first = segment.strip().splitlines()[0] if segment.strip() else ""
    return first if len(first) <= 160 else first[:157] + "..."


def _explain(exc: BaseException) -> str:
    if isinstance(exc, AssertionError):
        return str(exc) or "This check has no message; compare your result with what the check expects."
    if isinstance(exc, NotImplementedError):
        return ("You have not written this yet: replace `raise NotImplementedError()` with your code, "
                "then run that cell and this check again.")
    if isinstance(exc, NameError):
        return (f"{exc}. Run the cell with your answer (and the cells above it) first, "
                "and keep the name exactly as given. If your answer cell said \"name 'c' is not defined\", "
                "put the letter between quotes: \"c\".")
    return f"Your code raised {type(exc).__name__}: {exc}"


def run_checks(source: str, namespace: dict[str, Any], question: str = "", points: float = 0.0,
               setup: list[str] | tuple[str, ...] = ()) -> CheckResult:
    """Run test-cell ``source`` against ``namespace`` statement by statement and describe the outcome.

    The test runs the way the grader's judge runs it (:mod:`netcourse.grading.judge`): in a namespace of
    its own, with real builtins and the notebook's read-only ``setup`` cells run afresh; the learner's
    names are read through a plain-data round trip and their functions called with plain data. So a
    rebound ``list``, an object that "equals anything" or a ``sys.exit()`` in an answer cannot make a
    check pass (or crash the check). Passes exactly when the whole cell runs without an exception and
    nothing but warnings reaches the error stream, which is nbgrader's rule for a test cell.
    """
    from netcourse.grading.judge import JudgeSink, LocalLink, NotebookNamespace, _python_source

    form_only = FORM_ONLY_MARK in source
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return CheckResult(question, False, hint=f"The test cell cannot be read ({exc.msg}); download a fresh copy.",
                           points=points)
    total = sum(1 for statement in tree.body if _is_check(statement))
    link = LocalLink(namespace)
    judged = NotebookNamespace(link)
    judged.offline = True
    for code in setup:  # the instructor's tables and imports, as the grader's judge has them
        try:
            with redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
                exec(compile(_python_source(code), "<setup>", "exec"), judged)  # noqa: S102 (the course's own)
        except Exception:  # noqa: BLE001 - a setup cell that fails here leaves the learner's names to the test
            pass
    judged.offline = False
    passed = 0
    for statement in tree.body:
        module = ast.Module(body=[statement], type_ignores=[])
        sink = JudgeSink(20_000)
        link.sink = sink
        try:
            with sink.capture():
                exec(compile(module, f"<check {question}>", "exec"), judged)  # noqa: S102 (the course's own tests)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any error in the learner's code is a failed check, explained
            return CheckResult(question, False, passed, total, _first_line(source, statement), _explain(exc), points,
                               form_only=form_only)
        finally:
            link.sink = None
        written = "".join(o.get("text", "") for o in sink.finish()
                          if o.get("output_type") == "stream" and o.get("name") == "stderr")
        if written.strip() and not re.search(WARNING_PATTERN, written):
            hint = f"Your code wrote to the error stream, which the grader counts as a failure: {written.strip()[:200]}"
            return CheckResult(question, False, passed, total, _first_line(source, statement), hint, points,
                               form_only=form_only)
        if _is_check(statement):
            passed += 1
    return CheckResult(question, True, passed, total, points=points, form_only=form_only)


def _grading() -> bool:
    return bool(os.environ.get(GRADING_ENV))


def _user_namespace(namespace: dict[str, Any] | None) -> dict[str, Any]:
    if namespace is not None:
        return namespace
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there in a notebook
        get_ipython = None  # type: ignore[assignment]
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise SelfCheckError("check() runs inside a Jupyter notebook; outside one, pass namespace=...")
    return shell.user_ns


def check(*questions: str, folder: Path | str | None = None,
          namespace: dict[str, Any] | None = None) -> CheckResult | CheckResults:
    """Run the visible tests of each of ``questions`` (grade ids such as ``"etiquette-a"``) and report in plain words.

    One question gives a :class:`CheckResult`; several give a :class:`CheckResults` shown as one list."""
    if not questions:
        return CheckResult("check()", False, hint='Name a question to check, for example check("etiquette-a").')
    results = [_check_one(question, folder, namespace) for question in questions]
    return results[0] if len(results) == 1 else CheckResults(results)


def _check_one(question: str, folder, namespace) -> CheckResult:
    if _grading():
        return CheckResult(question, False, skipped="skipped while the grader runs the real tests.")
    try:
        cell = find_test_cell(question, folder)
        user_ns = _user_namespace(namespace)
    except SelfCheckError as exc:
        return CheckResult(question, False, hint=str(exc))
    return run_checks(cell.source, user_ns, question, cell.points, cell.setup)


# ------------------------------------------------------------------------------------------------ score and summary


def _notebook_path(notebook: str, folder: Path | str | None) -> Path:
    folder = Path(folder) if folder is not None else Path.cwd()
    name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
    return folder / name


def summary_markdown(results_by_notebook: dict[str, list[dict[str, Any]]], when: str) -> str:
    """The downloadable summary: per notebook and in total, points on the visible tests."""
    lines = ["# Networking workbook: self-check summary", "", f"Checked {when}.", ""]
    earned_all = possible_all = 0.0
    for notebook in sorted(results_by_notebook):
        rows = results_by_notebook[notebook]
        earned = sum(row["earned"] for row in rows)
        possible = sum(row["points"] for row in rows)
        earned_all += earned
        possible_all += possible
        lines += [f"## {notebook}: {_num(earned)} / {_num(possible)}", "", "| Question | Result | Points |",
                  "|---|---|---|"]
        lines += [f"| {row['question']} | {_saved_status(row)} | "
                  + (f"{_num(row['earned'])} / {_num(row['points'])} |" if row["points"] else "marked when handed in |")
                  for row in rows]
        lines.append("")
    lines += [f"**Autograded part, visible tests: {_num(earned_all)} / {_num(possible_all)}**", "",
              "Hidden tests and the written answers are marked when the workbook is graded.", ""]
    return "\n".join(lines)


def _saved_status(row: dict[str, Any]) -> str:
    if not row["points"]:  # a choice: its form is checked here, its answer when handed in
        return "answered" if row["passed"] else "not yet answered"
    return "passed" if row["passed"] else "not yet"


def _earlier_results(data: Any) -> dict[str, list[dict[str, Any]]]:
    """The saved results, checked against their schema, so a hand-edited file gives a message, not a traceback."""
    from netcourse.schemas import first_problem

    problem = first_problem(data, "selfcheck-results", file=RESULTS_FILE, kind=RESULTS_KIND)
    if problem is not None:
        raise StorageError(str(problem))
    return data


def score(notebook: str, folder: Path | str | None = None, namespace: dict[str, Any] | None = None,
          save_folder: Path | str | None = None) -> ScoreReport:
    """Run every visible test of ``notebook``, show the points and save a downloadable summary."""
    if _grading():
        return ScoreReport(notebook, note="The self-check score is skipped while the grader runs.")
    path = _notebook_path(notebook, folder)
    try:
        cells = test_cells(path)
        user_ns = _user_namespace(namespace)
    except SelfCheckError as exc:
        return ScoreReport(notebook, note=str(exc))
    if not cells:
        return ScoreReport(notebook, note=f"{path.name} has no autograded questions to check.")
    report = ScoreReport(path.stem, [run_checks(cell.source, user_ns, cell.grade_id, cell.points, cell.setup)
                                     for cell in cells])
    target = work_dir(save_folder)
    results_path = target / RESULTS_FILE
    try:
        saved = _earlier_results(load_json(results_path, RESULTS_KIND)) if results_path.exists() else {}
    except StorageError as exc:
        saved = {}
        report.note = f"Earlier results could not be read ({exc}); this summary starts afresh."
    saved[report.notebook] = [
        {"question": r.question, "passed": r.passed, "earned": r.earned, "points": 0 if r.form_only else r.points}
        for r in report.results
    ]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        save_json(results_path, saved, RESULTS_KIND)
        report.summary_path = atomic_write_text(target / SUMMARY_FILE, summary_markdown(saved, when))
    except StorageError as exc:
        report.note = f"Your score is above, but the summary could not be saved: {exc}"
    return report
