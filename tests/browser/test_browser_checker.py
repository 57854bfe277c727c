"""The checker must be able to fail: a widget whose front-end code does not exist, and a cell
that raises, are each reported, with a message that says what a student would see."""

from __future__ import annotations

import nbformat
import pytest
from lab_pages import lab_report, open_in_lab, open_in_voila, run_all_in_lab, screenshot, voila_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BROKEN_WIDGET = '''\
import ipywidgets as widgets
from traitlets import Unicode


class BrokenWidget(widgets.DOMWidget):
    """Its view lives in a JavaScript module that no extension provides."""

    _view_module = Unicode("netcourse-no-such-extension").tag(sync=True)
    _view_module_version = Unicode("1.0.0").tag(sync=True)
    _view_name = Unicode("NoSuchView").tag(sync=True)


BrokenWidget()'''


def write_notebook(path, *sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def test_checker_reports_a_widget_that_cannot_render_in_jupyterlab(lab_page, lab_server):
    write_notebook(lab_server.root / "notebooks" / "checker" / "broken_widget.ipynb",
                   "import ipywidgets as widgets\nwidgets.IntSlider(description='Fine')", BROKEN_WIDGET)
    open_in_lab(lab_page, lab_server, "notebooks/checker/broken_widget.ipynb")
    run_all_in_lab(lab_page)
    report = lab_report(lab_page, "notebooks/checker/broken_widget.ipynb", lab_page.console_errors)
    screenshot(lab_page, "checker-broken-widget-lab")
    print(report.failure_message())  # the message a real failure would show (for the closing note)

    assert report.problems, "the checker passed a lab_page with a broken widget"
    assert len(report.widget_failures) == 1, report.failure_message()
    assert "widget failed to render" in report.widget_failures[0]
    assert "netcourse-no-such-extension" in report.widget_failures[0]
    assert (report.rendered_widgets, report.expected_widgets) == (1, 2)  # the slider drew; the broken one did not
    assert not report.errors and not report.unexecuted
    with pytest.raises(AssertionError, match="widget failed to render"):
        report.assert_clean()


def test_checker_reports_a_cell_error_and_the_cells_run_all_never_reached(lab_page, lab_server):
    write_notebook(lab_server.root / "notebooks" / "checker" / "raises.ipynb",
                   "x = 1", "budget = {'ticket': 100}\nbudget['travel']", "print('never runs')")
    open_in_lab(lab_page, lab_server, "notebooks/checker/raises.ipynb")
    run_all_in_lab(lab_page)
    report = lab_report(lab_page, "notebooks/checker/raises.ipynb", lab_page.console_errors)

    assert report.errors == ["cell 2: KeyError: 'travel'"], report.failure_message()
    assert report.unexecuted == [3], report.failure_message()
    with pytest.raises(AssertionError, match="KeyError"):
        report.assert_clean()


def test_checker_reports_a_broken_widget_and_a_traceback_in_voila(page, voila_server):
    write_notebook(voila_server.root / "checker_broken.ipynb",
                   "import ipywidgets as widgets\nwidgets.IntSlider(description='Fine')", BROKEN_WIDGET,
                   "1 / 0")
    open_in_voila(page, voila_server, "checker_broken.ipynb")
    report = voila_report(page, "voila: checker_broken.ipynb", page.console_errors)
    print(report.failure_message())

    assert any("netcourse-no-such-extension" in failure for failure in report.widget_failures), \
        report.failure_message()
    assert any("ZeroDivisionError" in error for error in report.errors), report.failure_message()
    (voila_server.root / "checker_broken.ipynb").unlink()
