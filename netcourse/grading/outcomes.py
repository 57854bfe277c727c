"""Per-student outcomes of a grading run, and the summary printed and saved at the end."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..storage import atomic_write_text

GRADED = "graded"
PROBLEMS = "graded-with-problems"
FAILED = "failed"  # not graded: the summary says why; the gradebook never shows it as a score
NOT_SUBMITTED = "not-submitted"  # an empty submission folder: nothing to grade
SKIPPED = "skipped"
ORDER = (GRADED, PROBLEMS, FAILED, NOT_SUBMITTED, SKIPPED)


@dataclass
class Outcome:
    student: str
    status: str = ""
    reasons: list[str] = field(default_factory=list)  # why it failed or was skipped
    problems: list[str] = field(default_factory=list)  # graded, but something to look at
    seconds: float = 0.0
    final: bool = False

    @property
    def detail(self) -> str:
        parts: list[str] = []
        for text in self.reasons + self.problems:
            if not any(text in earlier for earlier in parts):
                parts.append(text)
        return "; ".join(parts)

    @staticmethod
    def counts(outcomes) -> Counter:
        counter = Counter({status: 0 for status in ORDER})
        counter.update(o.status for o in outcomes if o.final)
        return counter


def summary_rows(outcomes) -> list[dict]:
    return [{"student": o.student, "status": o.status, "detail": o.detail, "seconds": round(o.seconds, 2)}
            for o in sorted(outcomes, key=lambda o: (ORDER.index(o.status) if o.status in ORDER else 9, o.student))]


def format_summary(outcomes, elapsed: float | None = None, workers: int | None = None) -> str:
    outcomes = list(outcomes)
    counts = Outcome.counts(outcomes)
    head = ", ".join(f"{counts[s]} {s}" for s in ORDER if counts[s] or s in (GRADED, FAILED))
    lines = [f"Grading summary: {len(outcomes)} students: {head}"]
    if elapsed is not None:
        lines[0] += f" in {elapsed:.1f} s" + (f" with {workers} workers" if workers else "")
    trouble = [o for o in outcomes if o.status in (FAILED, PROBLEMS, NOT_SUBMITTED, SKIPPED)]
    if trouble:
        width = max(len(o.student) for o in trouble)
        for o in sorted(trouble, key=lambda o: (ORDER.index(o.status), o.student)):
            lines.append(f"  {o.student:<{width}}  {o.status:<20}  {o.detail}")
    return "\n".join(lines)


def save_summary(outcomes, folder: Path, name: str = "grading-summary") -> tuple[Path, Path]:
    """Write ``name``.csv and ``name``.json (atomically) into ``folder``; return both paths."""
    rows = summary_rows(outcomes)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["student", "status", "detail", "seconds"])
    writer.writeheader()
    writer.writerows(rows)
    csv_path, json_path = folder / f"{name}.csv", folder / f"{name}.json"
    atomic_write_text(csv_path, buffer.getvalue())
    data = [dict(asdict(o), detail=o.detail) for o in outcomes]
    atomic_write_text(json_path, json.dumps(data, indent=1, ensure_ascii=False))
    return csv_path, json_path
