"""The student workbook in a real browser: a self-check cell answers a learner working alone,
first with what is still missing, then, once the answer is written, that the checks pass."""

from __future__ import annotations

import re

import nbformat
import pytest
from lab_pages import ROOT, cell_errors, open_in_lab, screenshot
from playwright.sync_api import Page, expect

from netcourse.course import WORKBOOK

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUN_DONE = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  return window.__netcourseRunStarted && kernel.status === 'idle' &&
         !panel.content.widgets.some((cell) => cell.promptNode && cell.promptNode.textContent.includes('*'));
}
"""
ARM = """
() => {
  window.__netcourseRunStarted = false;
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  kernel.statusChanged.connect((_, status) => { if (status === 'busy') { window.__netcourseRunStarted = true; } });
}
"""


def first_exercise(course, notebook: str) -> tuple[int, int, str]:
    """(answer cell index, its check(...) cell index, the instructor's solution) for the first
    exercise of a released workbook notebook in `course`; the solution comes from source/."""
    released = nbformat.read(course / "release" / WORKBOOK / notebook, as_version=4)
    source = nbformat.read(ROOT / "source" / WORKBOOK / notebook, as_version=4)
    solutions = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in source.cells}
    for index, cell in enumerate(released.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and meta.get("grade_id") in solutions:
            check = next(i for i in range(index + 1, len(released.cells))
                         if released.cells[i].source.strip().startswith("check("))
            solution = "\n".join(line for line in solutions[meta["grade_id"]].splitlines()
                                 if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            return index, check, solution
    raise AssertionError(f"release/{WORKBOOK}/{notebook} has no exercise with a check(...) cell")


def run_and_wait(page: Page, action) -> None:
    page.evaluate(ARM)
    action()
    page.wait_for_function(RUN_DONE, timeout=120_000, polling=250)


def test_workbook_self_check_tells_a_learner_what_is_missing_then_that_it_passes(lab_page, lab_server):
    notebooks = sorted(path.name for path in (lab_server.root / "release" / WORKBOOK).glob("*.ipynb"))
    assert notebooks, f"release/{WORKBOOK}/ has no notebooks"
    notebook = notebooks[0]
    answer_index, check_index, solution = first_exercise(lab_server.root, notebook)
    open_in_lab(lab_page, lab_server, f"release/{WORKBOOK}/{notebook}")
    cells = lab_page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    answer, check = cells.nth(answer_index), cells.nth(check_index)

    # Run everything above the self-check (the untouched answer still raises, on purpose), then the check.
    check.locator(".jp-InputArea-editor").click()
    run_and_wait(lab_page, lambda: (lab_page.get_by_role("menuitem", name="Run", exact=True).click(),
                                lab_page.get_by_role("menuitem", name="Run All Above Selected Cell").click()))
    others = [error for error in cell_errors(lab_page) if "NotImplementedError" not in error]
    assert not others, f"the workbook's set-up cells failed: {others}"
    check.locator(".jp-InputArea-editor").click()
    run_and_wait(lab_page, lambda: lab_page.keyboard.press("Shift+Enter"))
    message = check.locator(".jp-OutputArea-output").first
    expect(message).to_contain_text(re.compile(r"not yet", re.I))
    expect(message).to_contain_text(re.compile(r"Write one letter", re.I))
    expect(message).not_to_contain_text(re.compile(r"right form|visible checks passed", re.I))
    not_yet = message.inner_text()

    # Write the answer, run it, and check again.
    answer.locator(".jp-InputArea-editor").click()
    lab_page.keyboard.press("Control+a")
    lab_page.keyboard.insert_text(solution)  # pasted whole, as code is usually pasted, so no auto-indent
    run_and_wait(lab_page, lambda: lab_page.keyboard.press("Shift+Enter"))
    check.locator(".jp-InputArea-editor").click()
    run_and_wait(lab_page, lambda: lab_page.keyboard.press("Shift+Enter"))
    expect(message).to_contain_text(re.compile(r"right form", re.I))
    expect(message).not_to_contain_text(re.compile(r"not yet", re.I))
    assert message.inner_text() != not_yet
    check.scroll_into_view_if_needed()
    screenshot(lab_page, f"lab-workbook-{notebook.removesuffix('.ipynb')}")
