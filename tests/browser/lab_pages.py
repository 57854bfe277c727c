"""What a student sees, read from a real browser: open a notebook in JupyterLab or Voilà,
run it, and collect every error and every widget that failed to render.

The checks read the page the way a student would (tracebacks in outputs, "Error displaying
widget", "Loading widget..." that never goes away, a widget squashed to nothing) and, in
JupyterLab, also the notebook model (error outputs, cells Run All never reached), so a failure
message can say which cell went wrong and why.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

# Timeouts in milliseconds, generous because CI shares two cores between the server, the
# kernels and Chromium.
OPEN_TIMEOUT = 90_000
RUN_TIMEOUT = 180_000
WIDGET_TIMEOUT = 60_000

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Reads every output area under `root` (a notebook panel or a Voilà page). Nested output
# areas (an ipywidgets Output inside a tool) are read too, so a traceback a button's handler
# printed into the tool is found as well.
_SCAN_OUTPUTS_JS = """
(root) => {
  const found = {failures: [], tracebacks: [], loading: 0, rendered: 0};
  const outputs = root.querySelectorAll('.jp-OutputArea-output');
  outputs.forEach((node) => {
    const text = (node.innerText || '').trim();
    const errorWidget = node.querySelector(':scope > .jupyter-widgets .jupyter-widgets-error-widget');
    if (errorWidget) {
      // ipywidgets 8 draws a broken view as a warning icon; clicking it reveals the message.
      const host = errorWidget.parentElement;
      if (host && host.onclick) { host.onclick(); }
      const message = (host ? host.innerText : text)
        .replace(/^\\[Open Browser Console[^\\]]*\\]/, '')  // the view's own usage hint
        .split(/\\s+at\\s/)[0]                                // keep the message, drop the JS stack
        .replace(/\\s+/g, ' ').trim();
      found.failures.push('widget failed to render: ' + message.slice(0, 400));
      return;
    }
    if (text.startsWith('Error displaying widget')) {
      found.failures.push(text.slice(0, 200));
      return;
    }
    if (text === 'Loading widget...') {
      found.loading += 1;
      return;
    }
    const mime = node.getAttribute('data-mime-type') || '';
    const looksLikeError = /Traceback \\(most recent call last\\)|^\\w*(Error|Exception)\\b/m.test(text) ||
                           text.includes('There was an error when executing cell');
    if (mime === 'application/vnd.jupyter.stderr' && looksLikeError) {
      found.tracebacks.push(text.slice(0, 600));
      return;
    }
    const view = node.querySelector(':scope > .jupyter-widgets');
    if (view) {
      found.rendered += 1;
      const box = view.getBoundingClientRect();
      // Hidden on purpose (display: none here or above, e.g. a tab not shown) has no box at all;
      // a collapsed layout still has one, just squashed.
      const hidden = view.getClientRects().length === 0 || getComputedStyle(view).visibility === 'hidden';
      // An empty Output or Box is legitimately zero-sized; a view with something in it is not.
      const hasContent = (view.innerText || '').trim() !== '' ||
                         view.querySelector('input, textarea, select, button, canvas, img, svg') !== null;
      if (!hidden && hasContent && (box.width < 2 || box.height < 2)) {
        found.failures.push('widget collapsed to ' + Math.round(box.width) + 'x' + Math.round(box.height) +
                            ' px: ' + (view.className || '').slice(0, 120));
      }
    }
  });
  return found;
}
"""

# The notebook model behind the current JupyterLab tab: which cells raised, which never ran,
# and how many widget outputs the page should show.
_LAB_MODEL_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const result = {errors: [], unexecuted: [], widgetOutputs: 0, codeCells: 0};
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') { return; }
    result.codeCells += 1;
    const source = cell.model.sharedModel.getSource();
    if (source.trim() && cell.model.executionCount === null) { result.unexecuted.push(index + 1); }
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i).toJSON();
      if (output.output_type === 'error') {
        result.errors.push('cell ' + (index + 1) + ': ' + output.ename + ': ' + output.evalue);
      }
      if (output.data && output.data['""" + WIDGET_MIME + """']) { result.widgetOutputs += 1; }
    }
  });
  return result;
}
"""

# True once the current tab's kernel has started a run (see _ARM_RUN_JS), finished it, and no
# cell is still queued ("[*]").
_LAB_RUN_DONE_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!window.__netcourseRunStarted || !kernel || kernel.status !== 'idle') { return false; }
  return !panel.content.widgets.some((cell) => cell.model.type === 'code' &&
                                      cell.promptNode && cell.promptNode.textContent.includes('*'));
}
"""

_LAB_KERNEL_READY_JS = """
() => {
  const app = window.jupyterapp;
  if (!app || !app.shell) { return false; }
  const panel = app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.content || !panel.content.widgets) { return false; }
  const session = panel.sessionContext.session;
  return !!(panel.context.isReady && session && session.kernel && session.kernel.status === 'idle');
}
"""

# Remember when the kernel first goes busy, so waiting for "idle" cannot succeed before the
# run has even begun.
_ARM_RUN_JS = """
() => {
  window.__netcourseRunStarted = false;
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  kernel.statusChanged.connect((_, status) => { if (status === 'busy') { window.__netcourseRunStarted = true; } });
}
"""


@dataclass
class PageReport:
    """Everything on one page that a student would see as broken."""

    where: str
    errors: list[str] = field(default_factory=list)
    unexecuted: list[int] = field(default_factory=list)
    widget_failures: list[str] = field(default_factory=list)
    still_loading: int = 0
    rendered_widgets: int = 0
    expected_widgets: int = 0
    console_errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = [f"error output: {error}" for error in self.errors]
        if self.unexecuted:
            found.append(f"Run All never reached code cell(s) {self.unexecuted}")
        found += self.widget_failures
        if self.still_loading:
            found.append(f'{self.still_loading} widget(s) still showing "Loading widget..."')
        if self.rendered_widgets < self.expected_widgets:
            found.append(f"only {self.rendered_widgets} of {self.expected_widgets} widget outputs rendered")
        return found

    def failure_message(self) -> str:
        lines = [f"{self.where}: {len(self.problems)} problem(s) a student would see:"]
        lines += [f"  - {problem}" for problem in self.problems]
        if self.console_errors:
            lines.append("  browser console errors (context):")
            lines += [f"    {message[:300]}" for message in self.console_errors[-5:]]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert not self.problems, self.failure_message()


def watch_console(page: Page) -> list[str]:
    """Collect the page's console errors; they explain a failed widget in the failure message."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    return messages


def show_first_widget(page: Page) -> None:
    """Scroll the first widget into view, so a screenshot shows the interactive part of a page."""
    first = page.locator(".jp-OutputArea-output > .jupyter-widgets").first
    if first.count():
        first.scroll_into_view_if_needed()


def screenshot(page: Page, name: str) -> Path:
    """A small JPEG of the visible page in test-artifacts/browser/ (about 50-150 kB)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.jpg"
    page.screenshot(path=str(path), type="jpeg", quality=55)
    return path


# ---------------------------------------------------------------- JupyterLab


def lab_is_loaded(page: Page) -> bool:
    return "/lab/" in page.url and page.evaluate("() => !!(window.jupyterapp && window.jupyterapp.shell)")


def close_all_tabs(page: Page) -> None:
    """Close every tab in the main area without "save changes?" dialogs (kernels are shut down
    separately, through the server's API)."""
    if lab_is_loaded(page):
        page.evaluate("() => { for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) { w.dispose(); } }")


def open_in_lab(page: Page, server, notebook: str) -> None:
    """Open `notebook` (a path under the course copy) and wait until its kernel is idle.

    The first time, the page loads JupyterLab in a fresh workspace (so no tabs are restored from
    earlier runs); after that the notebook is opened in the loaded JupyterLab, as a double click
    in the file browser would."""
    if lab_is_loaded(page):
        close_all_tabs(page)
        page.evaluate(
            "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', "
            "{path: path, factory: 'Notebook'}); }",
            notebook,
        )
    else:
        workspace = f"t{uuid.uuid4().hex[:10]}"
        page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{notebook}?token={server.token}")
    page.wait_for_function(_LAB_KERNEL_READY_JS, timeout=OPEN_TIMEOUT, polling=250)
    # Give the notebook the whole width, as a student reading a lesson would (and the screenshots show more).
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    # Any leftover dialog (e.g. kernel selection) would block the menus; a student would see it too.
    dialogs = page.locator(".jp-Dialog")
    if dialogs.count():
        raise AssertionError(f"{notebook}: a dialog is open on load: {dialogs.first.inner_text()[:300]}")


def run_all_in_lab(page: Page, timeout: float = RUN_TIMEOUT) -> None:
    """Run > Run All Cells from the menu bar, as a student would, then wait for the kernel to
    finish every cell."""
    page.evaluate(_ARM_RUN_JS)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(_LAB_RUN_DONE_JS, timeout=timeout, polling=250)


def wait_for_widgets(page: Page, root_selector: str, timeout: float = WIDGET_TIMEOUT) -> None:
    """Give widget views time to render; a view still "Loading widget..." afterwards is reported."""
    try:
        page.wait_for_function(
            """(selector) => {
                const root = document.querySelector(selector);
                if (!root) { return false; }
                return !Array.from(root.querySelectorAll('.jp-OutputArea-output'))
                    .some((node) => (node.innerText || '').trim() === 'Loading widget...');
            }""",
            arg=root_selector,
            timeout=timeout,
            polling=250,
        )
    except Exception:  # noqa: BLE001 - the report below names what is still loading
        pass


def lab_report(page: Page, where: str, console: list[str] | None = None) -> PageReport:
    """Collect errors and widget failures in the current JupyterLab notebook."""
    selector = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
    wait_for_widgets(page, selector)
    model = page.evaluate(_LAB_MODEL_JS)
    scan = page.locator(selector).first.evaluate(_SCAN_OUTPUTS_JS)
    return PageReport(
        where=where,
        # An error output also shows as a traceback on the page; the page's own tracebacks are
        # only reported when the model has none (e.g. printed by a button's handler).
        errors=model["errors"] or scan["tracebacks"],
        unexecuted=model["unexecuted"],
        widget_failures=scan["failures"],
        still_loading=scan["loading"],
        rendered_widgets=scan["rendered"],
        expected_widgets=model["widgetOutputs"],
        console_errors=list(console or []),
    )


def cell_errors(page: Page) -> list[str]:
    """Error outputs in the current notebook, as "cell N: Name: message"."""
    return page.evaluate(_LAB_MODEL_JS)["errors"]


# ---------------------------------------------------------------- Voilà


def count_widget_outputs(page_html: str) -> int:
    """How many widget outputs Voilà sent (it embeds each output as JSON in the page)."""
    count = 0
    for payload in re.findall(r'<script type="application/vnd.voila.cell-output\+json">(.*?)</script>', page_html,
                              flags=re.S):
        try:
            output = json.loads(payload)
        except ValueError:
            continue
        if WIDGET_MIME in output.get("data", {}):
            count += 1
    return count


def open_in_voila(page: Page, server, notebook: str) -> None:
    """Load a Voilà page (Voilà runs the notebook while serving it) and wait for it to show."""
    response = page.goto(f"{server.url}/voila/render/{notebook}?token={server.token}", timeout=OPEN_TIMEOUT)
    assert response is not None and response.ok, f"Voilà answered {response and response.status} for {notebook}"
    page.voila_expected_widgets = count_widget_outputs(response.text())
    page.wait_for_function(
        """() => { const cells = document.getElementById('rendered_cells');
                   return cells && getComputedStyle(cells).display !== 'none'; }""",
        timeout=OPEN_TIMEOUT,
        polling=250,
    )


def voila_report(page: Page, where: str, console: list[str] | None = None) -> PageReport:
    wait_for_widgets(page, "#rendered_cells")
    expected = getattr(page, "voila_expected_widgets", 0)
    try:  # the widget manager draws views after the page is shown
        page.wait_for_function(
            "(n) => document.querySelectorAll('#rendered_cells .jp-OutputArea-output > .jupyter-widgets').length >= n",
            arg=expected,
            timeout=WIDGET_TIMEOUT,
            polling=250,
        )
    except Exception:  # noqa: BLE001 - the report below says how many rendered
        pass
    scan = page.locator("#rendered_cells").evaluate(_SCAN_OUTPUTS_JS)
    return PageReport(
        where=where,
        errors=scan["tracebacks"],
        widget_failures=scan["failures"],
        still_loading=scan["loading"],
        rendered_widgets=scan["rendered"],
        expected_widgets=expected,
        console_errors=list(console or []),
    )
