"""Fixtures for the real-browser tests: a temporary copy of the course, one JupyterLab and one
Voilà server on 127.0.0.1 (random port, random token), and one headless Debian Chromium driven
by Playwright, all shared by the session; each test gets a fresh page.

Chromium comes from Debian (`apt-get install chromium`), because Playwright cannot download its
own browser here. Without it the browser tests are skipped and `make test` says so plainly,
except when NETCOURSE_REQUIRE_BROWSER=1 (CI), where a missing browser fails the run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

ENABLE_HINT = "install Debian's chromium: apt-get install chromium (as root), then run `make test` again"
REQUIRE_ENV = "NETCOURSE_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 120  # seconds; the first start compiles nothing but imports a lot


CHROMIUM_ENV = "NETCOURSE_CHROMIUM"  # another Chromium binary; also lets the skip policy be tested


def find_chromium() -> str | None:
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (run `make install`); " + ENABLE_HINT
    if find_chromium() is None:
        where = os.environ.get(CHROMIUM_ENV) or "/usr/bin/chromium and `chromium` on PATH"
        return f"Chromium was not found (looked for {where}); " + ENABLE_HINT
    return None


MISSING_BROWSER = _missing_browser_reason()
BROWSER_REQUIRED = os.environ.get(REQUIRE_ENV) == "1"


def pytest_collection_modifyitems(config, items):
    if MISSING_BROWSER is None or BROWSER_REQUIRED:
        return
    skip = pytest.mark.skip(reason=f"browser tests did not run: {MISSING_BROWSER}")
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [
        report for report in terminalreporter.stats.get("skipped", [])
        if "browser tests did not run" in str(report.longrepr)
    ]
    if not skipped:
        return
    terminalreporter.write_sep("=", "browser tests did not run", yellow=True, bold=True)
    terminalreporter.write_line(f"{len(skipped)} real-browser tests were skipped: {MISSING_BROWSER}.")
    terminalreporter.write_line(
        "They open every lesson and tool in JupyterLab and Voila and check what a student sees. "
        f"CI sets {REQUIRE_ENV}=1, which turns a missing browser into a failure."
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# ---------------------------------------------------------------- the course copy


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    """The student-facing folders in a temporary directory, so runs and saves never touch the
    repository. The kernels import `netcourse` from the project's (editable) install."""
    course = tmp_path_factory.mktemp("course")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "my-networking")
    for folder in ("notebooks", "release"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, course / folder, ignore=ignore)
    return course


@pytest.fixture(scope="session")
def jupyter_home(tmp_path_factory) -> Path:
    """Private Jupyter config, runtime and settings folders, with JupyterLab's news and update
    checks switched off (they would pop up a notification no student asked for) and every cell
    kept in the page (no windowing), so the checks see the whole notebook."""
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False,
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    for relative, values in settings.items():
        path = home / "lab-settings" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    return home


def _server_env(home: Path, work_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        NETCOURSE_WORK_DIR=str(work_dir),
        PYTHONUNBUFFERED="1",
        # What `make lab` and `make app` use: nbgrader's menu, Validate button and pages switched off.
        JUPYTER_CONFIG_PATH=str(ROOT / "jupyter-student"),
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    token: str
    root: Path
    work_dir: Path
    log: Path
    process: subprocess.Popen
    ready_path: str = "/"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """Free CPU between tests: two cores are shared by every kernel this suite starts."""
        try:
            for session in self.api("GET", "/api/sessions") or []:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels") or []:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass


def _launch(name: str, command: list[str], ready_path: str, cwd: Path, home: Path, token: str, port: int,
            work_dir: Path) -> Server:
    log = home / f"{name}.log"
    with log.open("w") as output:  # the child keeps its own copy of the file descriptor
        process = subprocess.Popen(command, cwd=cwd, env=_server_env(home, work_dir), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, f"http://127.0.0.1:{port}", token, cwd, work_dir, log, process)
    server.ready_path = ready_path
    return server


def _wait_until_up(server: Server) -> Server:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with code {server.process.returncode} while starting:\n"
                               f"{server.log_tail()}")
        try:
            urllib.request.urlopen(f"{server.url}{server.ready_path}?token={server.token}", timeout=5).close()
            return server
        except urllib.error.HTTPError:
            return server  # it answers, so it is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"{server.name} did not answer within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}")


def _stop_server(server: Server) -> None:
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        # Our own process group only: the server and the kernels it started.
        os.killpg(server.process.pid, 9)
        server.process.wait(timeout=10)


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


@pytest.fixture(scope="session")
def _servers(course_copy, jupyter_home) -> Iterator[dict[str, Server]]:
    """JupyterLab and Voilà, launched together (their start-ups overlap) and stopped at the end."""
    lab_port, lab_token = free_port(), secrets.token_hex(24)
    lab = _launch("jupyterlab", [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={lab_port}",
        f"--ServerApp.token={lab_token}", f"--ServerApp.root_dir={course_copy}",
        # window.jupyterapp lets the tests read the notebook model (which cell raised, which never ran).
        "--LabApp.expose_app_in_browser=True", *_root_flag(),
    ], "/api/status", course_copy, jupyter_home, lab_token, lab_port, course_copy / "my-networking-lab")
    apps = course_copy / "notebooks" / "apps"
    voila_port, voila_token = free_port(), secrets.token_hex(24)
    voila = _launch("voila", [
        sys.executable, "-m", "voila", str(apps), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={voila_port}",
        f"--token={voila_token}", "--show_tracebacks=True",
    ], "/voila/tree", apps, jupyter_home, voila_token, voila_port, course_copy / "my-networking-voila")
    try:
        yield {"lab": lab, "voila": voila}
    finally:
        for server in (lab, voila):
            _stop_server(server)


@pytest.fixture(scope="session")
def lab_server(_servers) -> Server:
    return _wait_until_up(_servers["lab"])


@pytest.fixture(scope="session")
def voila_server(_servers) -> Server:
    return _wait_until_up(_servers["voila"])


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if MISSING_BROWSER is not None:
        # Only reached when NETCOURSE_REQUIRE_BROWSER=1; otherwise the tests were skipped.
        pytest.fail(f"{REQUIRE_ENV}=1 but {MISSING_BROWSER}", pytrace=False)
    return find_chromium()


@pytest.fixture(autouse=True)
def _browser_available(request):
    """Check for the browser before a browser test starts any server."""
    if request.node.get_closest_marker("browser") is not None:
        request.getfixturevalue("chromium_path")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from lab_pages import ARTIFACTS
    from playwright.sync_api import expect, sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # screenshots are of the latest run only

    # A kernel round trip on two busy cores can take seconds; 5 s (the default) is too tight.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _failed(request) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


def _screenshot_if_failed(page, request) -> bool:
    """Keep a screenshot of ``page`` when the test failed; returns whether it failed."""
    from lab_pages import screenshot

    if not _failed(request):
        return False
    try:
        screenshot(page, f"FAILED-{request.node.name}")
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the real failure
        pass
    return True


def _new_page(browser):
    """A new browser context and its page, with console errors collected in ``page.console_errors``."""
    from lab_pages import watch_console

    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console_errors = watch_console(page)
    return context, page


@pytest.fixture(scope="session")
def _lab_session(browser):
    """One JupyterLab tab for the whole session: loading JupyterLab's front end costs seconds of
    CPU, so tests open their notebooks in it one after another (see lab_pages.open_in_lab)."""
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def lab_page(_lab_session, lab_server, request):
    """The session's JupyterLab page with no notebook open and no kernel running; after a
    failure it is reloaded, so one broken test cannot leave a dialog in the next one's way."""
    from lab_pages import close_all_tabs

    page = _lab_session
    page.console_errors.clear()
    yield page
    if _screenshot_if_failed(page, request):
        page.goto("about:blank")
    else:
        close_all_tabs(page)
    lab_server.shut_down_kernels()


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page per test; a screenshot is kept when the test fails."""
    context, page = _new_page(browser)
    yield page
    _screenshot_if_failed(page, request)
    context.close()
    for name in ("lab_server", "voila_server"):
        if name in request.fixturenames:
            request.getfixturevalue(name).shut_down_kernels()
