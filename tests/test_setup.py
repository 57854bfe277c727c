"""The course outline is true to the notebooks, and `make lab` serves JupyterLab at the start page."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import pytest
from conftest import free_port

from netcourse.course import LESSONS, lesson_table, total_minutes


def test_outline_lists_existing_notebooks_in_reading_order(root):
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == sorted(numbers) == list(range(1, len(LESSONS) + 1))
    for lesson in LESSONS:
        assert lesson.file.startswith(f"{lesson.number:02d}_")
        assert (root / "notebooks" / lesson.file).is_file(), lesson.file
    table = lesson_table()
    assert list(table.index) == numbers and list(table["File"]) == [f"notebooks/{x.file}" for x in LESSONS]


def test_total_minutes_is_what_the_lesson_notebooks_state(root):
    """The start page's total comes from course.py; the notebooks' own headers must add up to it."""
    stated = []
    for lesson in LESSONS:
        notebook = json.loads((root / "notebooks" / lesson.file).read_text(encoding="utf-8"))
        header = "".join(notebook["cells"][0]["source"])
        found = re.search(r"\*\*Estimated time:\*\*\s*(\d+)\s*minutes", header)
        assert found, f"{lesson.file} does not state its estimated time"
        stated.append(int(found.group(1)))
    assert sum(stated) == total_minutes() > 0


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_with_the_start_page(root, tmp_path):
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_TOKEN="course-test-token")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"PORT={port}"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": "token course-test-token"}
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(f"{base}/api/status", headers=headers)
                with urllib.request.urlopen(request, timeout=2) as response:
                    status = json.load(response)
                    break
            except OSError:
                time.sleep(0.5)
        assert status is not None, "JupyterLab did not answer /api/status within 90 s"
        request = urllib.request.Request(f"{base}/api/contents/notebooks/00_start.ipynb", headers=headers)
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["type"] == "notebook"
        # The server's default page is the start notebook.
        request = urllib.request.Request(f"{base}/?token=course-test-token")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert urlparse(response.geturl()).path == "/lab/tree/notebooks/00_start.ipynb"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert f"http://localhost:{port}/lab/tree/notebooks/00_start.ipynb" in output
