"""A student's install holds the course and nothing for grading or testing, and hides nbgrader.

`make lab` and `make app` install ``pip install -e .`` (the student set); `make test` and the
instructors' targets install ``.[test]``, which includes ``[instructor]``. The course's
student-facing code must import and run without any instructor or test package, and
JupyterLab started by `make lab` must not show nbgrader's menu, Validate button or formgrader,
even in a .venv where `make test` installed nbgrader.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request

import pytest
import tomllib
from conftest import free_port
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Packages a student never needs: grading, the hub, the test and browser tooling.
NOT_FOR_STUDENTS = {
    "nbgrader", "tqdm", "psutil", "jupyterhub", "jupyter-repo2docker", "playwright", "axe-playwright-python",
    "pytest", "hypothesis", "nbval", "ruff", "jsonschema", "pyyaml", "packaging",
}


def project(root) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def names(lines: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in lines}


def test_student_dependencies_hold_no_instructor_or_test_tooling(root):
    student = names(project(root)["dependencies"])
    assert not student & NOT_FOR_STUDENTS, f"not for students: {sorted(student & NOT_FOR_STUDENTS)}"
    assert {"jupyterlab", "ipywidgets", "voila", "pandas", "matplotlib"} <= student


def test_the_test_extra_still_installs_everything(root):
    extras = project(root)["optional-dependencies"]
    assert "netcourse[instructor]" in extras["test"]
    everything = names(extras["test"]) | names(extras["instructor"])
    assert {"nbgrader", "playwright", "axe-playwright-python", "jupyterhub", "jupyter-repo2docker"} <= everything


def make_dry_run(root, target: str, tmp_path) -> str:
    """What `make <target>` would run on a fresh machine (a .venv that does not exist yet)."""
    venv = tmp_path / "fresh-venv"
    result = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def pip_installs(commands: str) -> list[str]:
    return [line for line in commands.splitlines() if "pip install" in line and "--upgrade pip" not in line]


@pytest.mark.parametrize("target", ["lab", "app"])
def test_make_lab_and_app_install_only_the_student_set(root, tmp_path, target):
    installs = pip_installs(make_dry_run(root, target, tmp_path))
    assert installs, f"make {target} installs nothing on a fresh machine"
    assert all(line.rstrip().endswith("-e .") for line in installs), installs


def test_make_test_installs_the_test_extra(root, tmp_path):
    installs = pip_installs(make_dry_run(root, "test", tmp_path))
    assert any('-e ".[test]"' in line for line in installs), installs


@pytest.mark.parametrize("target", ["lab", "app"])
def test_make_lab_and_app_start_with_the_student_config(root, tmp_path, target):
    commands = make_dry_run(root, target, tmp_path)
    assert f"JUPYTER_CONFIG_PATH=\"{root}/jupyter-student" in commands


def test_the_student_config_switches_off_every_nbgrader_part(root):
    page = json.loads((root / "jupyter-student" / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"].get("@jupyter/nbgrader") is True
    server = json.loads((root / "jupyter-student" / "jupyter_server_config.json").read_text(encoding="utf-8"))
    off = server["ServerApp"]["jpserver_extensions"]
    # Whatever nbgrader switches on when installed, the student config switches off.
    installed = os.path.join(sys.prefix, "etc", "jupyter", "jupyter_server_config.d", "nbgrader.json")
    if os.path.exists(installed):
        with open(installed, encoding="utf-8") as handle:
            turned_on = json.load(handle)["ServerApp"]["jpserver_extensions"]
        assert set(turned_on) <= set(off)
    assert off and not any(off.values())


BLOCKER = textwrap.dedent("""
    import importlib.abc, sys
    BLOCKED = {blocked!r}
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{{name}} is not part of a student's install")
    sys.meta_path.insert(0, Block())
""")

STUDENT_RUN = textwrap.dedent("""
    import netcourse.lesson as lesson
    from netcourse import widgets
    from netcourse.practice import EXERCISES
    for name in EXERCISES:
        lesson.practice(name)
    for name in ("show_list", "show_level", "show_statement"):
        assert callable(getattr(lesson, name))
    for tool in (widgets.FundingPlanner, widgets.NetworkingLog, widgets.OpportunityFinder, widgets.PitchStudio):
        tool()
    import netcourse.selfcheck  # the workbook's self-check, for students working alone
    print("student install ok")
""")


def test_student_facing_code_runs_without_instructor_or_test_packages(tmp_path):
    blocked = sorted({"nbgrader", "tqdm", "jupyterhub", "repo2docker", "playwright", "axe_playwright_python",
                      "pytest", "hypothesis", "nbval", "jsonschema"})
    script = BLOCKER.format(blocked=blocked) + STUDENT_RUN
    env = dict(os.environ, NETCOURSE_WORK_DIR=str(tmp_path / "work"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "student install ok" in result.stdout


@pytest.mark.slow
def test_make_lab_shows_no_nbgrader_to_students(root, tmp_path):
    """The running `make lab` server: nbgrader's front end is disabled and its pages are not served."""
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_TOKEN="student-test-token")
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"PORT={port}"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": "token student-test-token"}

    def get(path: str) -> tuple[int, str]:
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if get("/api/status")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("make lab did not answer within 90 s")
        status, page = get("/lab")
        assert status == 200
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>\s*(\{.*?\})\s*</script>', page, re.S).group(1))
        disabled = config.get("disabledExtensions", [])
        assert "@jupyter/nbgrader" in disabled, disabled
        for path in ("/formgrader", "/assignments", "/formgraders", "/nbgrader_version"):
            assert get(path)[0] == 404, f"{path} is served to students"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=30)
