"""Without Chromium the browser tests are skipped and the run says so plainly; in CI
(NETCOURSE_REQUIRE_BROWSER=1) a missing browser fails the run instead. These tests run pytest
on one browser test with the browser hidden, so they need no browser themselves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs pytest in a subprocess (about 5 s)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def run_without_browser(tmp_path, require: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, NETCOURSE_CHROMIUM=str(tmp_path / "no-chromium-here"))
    env.pop("NETCOURSE_REQUIRE_BROWSER", None)
    if require:
        env["NETCOURSE_REQUIRE_BROWSER"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(HERE / "test_browser_lessons.py"), "-k", "00_start",
         "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_missing_browser_skips_the_browser_tests_and_says_how_to_enable_them(tmp_path):
    result = run_without_browser(tmp_path, require=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "browser tests did not run" in result.stdout
    assert "apt-get install chromium" in result.stdout
    assert "1 skipped" in result.stdout


def test_a_missing_browser_fails_the_run_when_ci_requires_it(tmp_path):
    result = run_without_browser(tmp_path, require=True)
    assert result.returncode != 0, result.stdout
    assert "NETCOURSE_REQUIRE_BROWSER=1 but Chromium was not found" in result.stdout
    assert "1 error" in result.stdout
