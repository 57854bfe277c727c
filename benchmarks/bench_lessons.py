"""Benchmark: each lesson runs top to bottom in a fresh kernel within budget; practice checks feel instant.

Run: ``.venv/bin/python benchmarks/bench_lessons.py`` (options: --budget SECONDS, --checks N).
Prints
- for each lesson notebook of the outline, the seconds to execute it in a fresh kernel (kernel start
  included) and the ratio to the budget (default 15 s: "a few seconds" of work plus kernel start);
- the median and 95th-percentile milliseconds from a Check click to updated feedback in the largest
  practice widget, and the ratio to a 100 ms budget.
Exits with status 1 when a budget is missed. Lessons run in a temporary work folder, so the tools in
them cannot write next to the notebooks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from netcourse import course, practice
from netcourse.widgets.practice import exercise_for

ROOT = Path(__file__).resolve().parent.parent
CHECK_BUDGET_MS = 100.0


def run_lesson(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def check_times(n: int) -> list[float]:
    task = max((t for t in (b() for b in practice.EXERCISES.values()) if isinstance(t, practice.AssignmentTask)),
               key=lambda t: len(t.prompts))
    widget = exercise_for(task)
    times = []
    for i in range(n):
        for j, prompt in enumerate(task.prompts):  # alternate right and wrong answers
            options = task.options_for(prompt)
            widget.controls[prompt.id].value = prompt.answer if (i + j) % 2 else options[(j + 1) % len(options)].id
        start = time.perf_counter()
        widget.check_button.click()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=15.0, help="seconds allowed per lesson")
    parser.add_argument("--checks", type=int, default=200, help="Check clicks to time")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as work:
        os.environ["NETCOURSE_WORK_DIR"] = work
        for lesson in course.LESSONS:
            seconds = run_lesson(ROOT / "notebooks" / lesson.file)
            ratio = seconds / args.budget
            ok &= ratio <= 1
            print(f"{lesson.file:34s} {seconds:6.2f} s   ratio to {args.budget:.0f} s budget: {ratio:.2f}")
    times = sorted(check_times(args.checks))
    median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    ok &= p95 <= CHECK_BUDGET_MS
    print(f"Check click -> feedback: median {median:.2f} ms, p95 {p95:.2f} ms, "
          f"ratio to {CHECK_BUDGET_MS:.0f} ms budget: {p95 / CHECK_BUDGET_MS:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
