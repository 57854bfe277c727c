"""Every lesson, opened in JupyterLab in a real browser: Run All, wait for the kernel, and check
that no cell shows an error and every widget rendered."""

from __future__ import annotations

import pytest
from lab_pages import lab_report, open_in_lab, run_all_in_lab, screenshot, show_first_widget

from netcourse.course import LESSONS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["00_start.ipynb", *(lesson.file for lesson in LESSONS)]


@pytest.mark.parametrize("notebook", PAGES)
def test_lesson_runs_clean_in_jupyterlab(lab_page, lab_server, notebook):
    assert (lab_server.root / "notebooks" / notebook).is_file(), f"notebooks/{notebook} is missing"
    open_in_lab(lab_page, lab_server, f"notebooks/{notebook}")
    run_all_in_lab(lab_page)
    report = lab_report(lab_page, f"notebooks/{notebook}", lab_page.console_errors)
    show_first_widget(lab_page)
    screenshot(lab_page, f"lab-{notebook.removesuffix('.ipynb')}")
    report.assert_clean()
