"""Benchmark: the funding planner's edit-to-redraw time, its memory over many edits, and exact sums at scale.

Run: ``.venv/bin/python benchmarks/bench_funding.py`` (options: --edits N, --rows N).
Prints
- the median and 95th-percentile milliseconds from one edit in FundingPlanner to new totals, chart
  and checklist, and the ratio to a 250 ms budget (the edit should feel immediate);
- the resident memory growth over N edits that each redraw the chart (budget 30 MB: figures are
  drawn without pyplot, so none should pile up);
- the time to total a plan with N funding rows of $0.01 and whether the sum is exact.
Exits with status 1 when a budget is missed or a sum is not exact.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

import psutil

from netcourse import funding
from netcourse.widgets.funding_planner import FundingPlanner

EDIT_BUDGET_MS = 250.0
MEMORY_BUDGET_MB = 30.0


def edit_times(planner: FundingPlanner, edits: int) -> list[float]:
    times = []
    for i in range(edits):
        start = time.perf_counter()
        planner.fields["registration"].value = f"{100 + i % 97}.{i % 100:02d}"  # a new value each time
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("NETCOURSE_WORK_DIR", tempfile.mkdtemp(prefix="bench-funding-"))

    planner = FundingPlanner(funding.preset("national"), today=date(2026, 1, 15))
    edit_times(planner, 5)  # warm up fonts and caches
    gc.collect()
    process = psutil.Process()
    before = process.memory_info().rss
    times = edit_times(planner, args.edits)
    gc.collect()
    grown_mb = (process.memory_info().rss - before) / 2**20
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"edit -> redraw: median {median:.1f} ms, p95 {p95:.1f} ms over {args.edits} edits; "
          f"ratio to {EDIT_BUDGET_MS:.0f} ms budget: {median / EDIT_BUDGET_MS:.2f}")
    print(f"memory growth over {args.edits} redraws: {grown_mb:.1f} MB "
          f"(ratio to {MEMORY_BUDGET_MB:.0f} MB budget: {grown_mb / MEMORY_BUDGET_MB:.2f})")

    rows = tuple(funding.FundingRequest("chapter", Decimal("0.01"), "awarded") for _ in range(args.rows))
    plan = funding.EventPlan(name="many cents", funding=rows)
    start = time.perf_counter()
    secured = funding.totals(plan).secured
    took = (time.perf_counter() - start) * 1000
    exact = secured == Decimal(args.rows) / 100
    float_sum = sum(0.01 for _ in range(args.rows))
    print(f"{args.rows} rows of $0.01: {funding.format_money(secured)} in {took:.1f} ms; exact: {exact} "
          f"(a float sum gives {float_sum!r})")
    ok = median <= EDIT_BUDGET_MS and grown_mb <= MEMORY_BUDGET_MB and exact
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
