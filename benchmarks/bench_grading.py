"""Benchmark: grade a class of K submissions with plain sequential `nbgrader autograde` and with
`netcourse-grade` (the parallel grader), in one run; print the speed-up, peak memory and whether every
score agrees.

    .venv/bin/python benchmarks/bench_grading.py --students 100 --workers 2      (make bench BENCH_K=100)

The class is made from the sample class (tests/fixtures/sample_class/class.json, built as
tests/test_workbook_grading.py builds it, its students repeated to K), or, without it, from the workbook
itself (answers from source/, some left out). Both
graders start from identical copies of one course folder and gradebook. Memory is sampled every 0.2 s
over each grader's whole process tree: peak RSS of the largest single process, peak sum of RSS, and peak
sum of PSS (shared pages counted once; the fair total when workers fork from a warm parent).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from grading_builders import ASSIGNMENT, course_env, good_class, make_course  # noqa: E402

from netcourse.grading.compare import cell_scores, differences  # noqa: E402

SAMPLE_CLASS = ROOT / "tests" / "fixtures" / "sample_class" / "class.json"


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Peak memory of a process and all its descendants, sampled until stopped."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss_total = self.peak_rss_single = self.peak_pss_total = 0
        self.peak_processes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = []
            for proc in procs:
                try:
                    rss.append(proc.memory_info().rss)
                except psutil.Error:
                    pass
            pss = sum(_pss_kb(p.pid) for p in procs) * 1024
            self.peak_rss_total = max(self.peak_rss_total, sum(rss))
            self.peak_rss_single = max(self.peak_rss_single, max(rss, default=0))
            self.peak_pss_total = max(self.peak_pss_total, pss)
            self.peak_processes = max(self.peak_processes, len(procs))
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def build_class(course: Path, students: int) -> str:
    """K submissions: the sample class's students (tests/fixtures/sample_class/class.json) in turn."""
    if not SAMPLE_CLASS.exists():
        good_class(course, students)
        return "built from source/ (answers, some left out)"
    from test_workbook_grading import CLASS, NOTEBOOKS, build_submission

    release = course / "release" / ASSIGNMENT
    names = sorted(CLASS["students"])
    built = {name: {nb: build_submission(name, nb, release) for nb in NOTEBOOKS} for name in names}
    for number in range(students):
        folder = course / "submitted" / f"k{number:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        for nb_name, nb in built[names[number % len(names)]].items():
            nbformat.write(nb, str(folder / f"{nb_name}.ipynb"))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return f"the {len(names)} sample-class students ({', '.join(names)}) in turn"


def timed(command: list[str], course: Path, log: Path) -> tuple[float, MemorySampler, int]:
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=course, env=course_env(course), stdout=out, stderr=subprocess.STDOUT)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        code = proc.wait()
    sampler.stop()
    return time.perf_counter() - started, sampler, code


def mb(value: int) -> str:
    return f"{value / 1024 / 1024:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", "-k", type=int, default=100)
    parser.add_argument("--workers", "-w", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary courses (paths printed)")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    base.chmod(0o755)
    template = make_course(base / "template")
    origin = build_class(template, args.students)
    sequential, parallel = base / "sequential", base / "parallel"
    shutil.copytree(template, sequential)
    shutil.copytree(template, parallel)
    bin_dir = ROOT / ".venv" / "bin"
    print(f"K={args.students} submissions ({origin}); {os.cpu_count()} cores; workers={args.workers}", flush=True)

    seq_s, seq_mem, seq_code = timed([str(bin_dir / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                                     sequential, base / "sequential.log")
    print(f"sequential nbgrader autograde: {seq_s:.1f} s (exit {seq_code})", flush=True)
    par_s, par_mem, par_code = timed([str(bin_dir / "netcourse-grade"), ASSIGNMENT, "--force", "--no-progress",
                                      f"--workers={args.workers}"], parallel, base / "parallel.log")
    print(f"parallel netcourse-grade:      {par_s:.1f} s (exit {par_code})", flush=True)

    first = cell_scores(f"sqlite:///{sequential / 'gradebook.db'}", ASSIGNMENT)
    second = cell_scores(f"sqlite:///{parallel / 'gradebook.db'}", ASSIGNMENT)
    diff = differences(first, second)
    graded = sum(1 for value in first.values() if value[0] is not None)
    result = {
        "students": args.students, "workers": args.workers, "cores": os.cpu_count(),
        "sequential_s": round(seq_s, 1), "parallel_s": round(par_s, 1), "speedup": round(seq_s / par_s, 2),
        "sequential_peak_rss_process_mb": round(seq_mem.peak_rss_single / 2**20),
        "sequential_peak_rss_total_mb": round(seq_mem.peak_rss_total / 2**20),
        "parallel_peak_rss_process_mb": round(par_mem.peak_rss_single / 2**20),
        "parallel_peak_rss_total_mb": round(par_mem.peak_rss_total / 2**20),
        "parallel_peak_pss_total_mb": round(par_mem.peak_pss_total / 2**20),
        "parallel_peak_processes": par_mem.peak_processes,
        "cells_compared": len(first), "cells_with_score": graded,
        "scores_equal": not diff and len(first) == len(second),
    }
    print()
    print(f"speed-up: {result['speedup']}x  ({seq_s:.1f} s -> {par_s:.1f} s, K={args.students}, "
          f"workers={args.workers})")
    print(f"peak memory, sequential: largest process {mb(seq_mem.peak_rss_single)}, "
          f"tree RSS {mb(seq_mem.peak_rss_total)}")
    print(f"peak memory, parallel:   largest process {mb(par_mem.peak_rss_single)}, "
          f"tree RSS {mb(par_mem.peak_rss_total)}, tree PSS {mb(par_mem.peak_pss_total)} "
          f"({par_mem.peak_processes} processes)")
    print(f"scores equal: {result['scores_equal']} ({len(first)} grade cells compared, {graded} with a score)")
    for line in diff[:20]:
        print("  differs:", line)
    print("RESULT " + json.dumps(result))
    if args.keep:
        print(f"courses kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if result["scores_equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
