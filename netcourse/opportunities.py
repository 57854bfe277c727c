"""Where to network: a catalogue of opportunity types at school, local and national level.

The catalogue (``netcourse/data/opportunities.csv``) holds the article's examples for each
level (chapter organisations and their committees, executive boards and conferences; county
health departments and medical societies; specialty conferences found on a specialty's events
page) plus the online platforms Harvard Medical School recommends. Rows whose source is
``course`` are the course's own suggestions, not the article's: the MD-school chapters that match
its osteopathic examples and the national meeting of one society per specialty, so a student can
find a meeting for the specialty they care about. Each row says which of the article's six
benefits it tends to offer and what it typically costs a student.

Costs are illustrative, for planning: a row gives a typical student registration and the
funding planner preset (school/local/state/national) whose travel, lodging and food fit it,
and the typical total is what :func:`netcourse.funding.preset` makes of them, so the
finder and the planner always agree. :func:`load_catalogue` checks every row and raises
:class:`~netcourse.content.ContentError` naming the file, line and problem (each row against
``schemas/opportunities-row.schema.json``, then its ids against the course data).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from netcourse import funding
from netcourse.content import Content, ContentError, data_path, load_content, read_text_file
from netcourse.schemas import first_problem

CATALOGUE_FILE = "opportunities.csv"
COLUMNS = ("id", "name", "level", "scope", "kind", "specialty", "benefits", "registration", "plan_level",
           "examples", "how_to_find", "source")
SCOPES = ("school", "county", "state", "national", "online")
KINDS = ("chapter", "role", "event", "funding", "online", "finding")
ANY = "any"
# A row the course adds (not from the article): shown as the course's suggestion, never cited.
COURSE_SOURCE = "course"
# Upper limits (dollars) of the cost bands shown to students.
COST_BANDS = (("free", Decimal("0")), ("under $100", Decimal("100")), ("$100-$500", Decimal("500")),
              ("over $500", None))


def cost_band(amount: Decimal) -> str:
    for name, limit in COST_BANDS:
        if limit is None or amount <= limit:
            return name
    raise AssertionError("unreachable")  # pragma: no cover


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def parse_catalogue(text: str, name: str = CATALOGUE_FILE, content: Content | None = None) -> pd.DataFrame:
    """Validate catalogue CSV ``text`` and return one row per opportunity.

    Extra columns: ``specialties`` and ``benefit_ids`` (tuples), ``typical_cost`` (Decimal)
    and ``cost_band``.
    """
    content = content or load_content()
    level_ids = {level.id for level in content.levels}
    benefit_ids = {benefit.id for benefit in content.benefits}
    example_ids = {example.id for level in content.levels for example in level.examples}
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [col for col in COLUMNS if col not in header]
    if missing:
        raise ContentError(f"{name}: line 1: missing column(s) {', '.join(missing)}")
    rows, seen = [], set()
    for record in reader:
        line = reader.line_num

        def fail(problem: str, line: int = line) -> ContentError:
            return ContentError(f"{name}: line {line}: {problem}")

        if None in record or any(record[col] is None for col in COLUMNS):
            raise fail(f"expected {len(header)} fields; check the commas and quotes")
        row = {col: record[col].strip() for col in COLUMNS}
        problem = first_problem(row, "opportunities-row")
        if problem is not None:
            raise fail(str(problem))
        if row["id"] in seen:
            raise fail(f"duplicate id {row['id']!r}")
        seen.add(row["id"])
        checks = (("level", level_ids), ("scope", SCOPES), ("kind", KINDS), ("plan_level", funding.PLAN_LEVELS),
                  ("source", (*content.sources, COURSE_SOURCE)))
        for col, allowed in checks:
            if row[col] not in allowed:
                raise fail(f"{col} {row[col]!r} is not one of {', '.join(sorted(allowed))}")
        benefits = _split(row["benefits"])
        for benefit in benefits:
            if benefit not in benefit_ids:
                raise fail(f"unknown benefit {benefit!r}; known: {', '.join(sorted(benefit_ids))}")
        examples = _split(row["examples"])
        for example in examples:
            if example not in example_ids:
                raise fail(f"unknown example {example!r} (examples are ids from the content's levels)")
        try:
            registration = funding.parse_money(row["registration"], "registration")
        except funding.MoneyError as exc:
            raise fail(str(exc)) from None
        typical = funding.total_cost(funding.preset(row["plan_level"], registration=registration))
        rows.append({**row, "specialties": tuple(s.lower() for s in _split(row["specialty"])),
                     "benefit_ids": benefits, "example_ids": examples, "registration": registration,
                     "typical_cost": typical, "cost_band": cost_band(typical)})
    if not rows:
        raise ContentError(f"{name}: no opportunities in the file")
    return pd.DataFrame(rows).set_index("id", drop=False)


def load_catalogue(path: Path | str | None = None, content: Content | None = None) -> pd.DataFrame:
    """Load the packaged catalogue (or the CSV at ``path``), validated."""
    target = Path(path) if path is not None else data_path(CATALOGUE_FILE)
    name = str(path) if path is not None else CATALOGUE_FILE
    return parse_catalogue(read_text_file(target, name), name, content)


def specialties(catalogue: pd.DataFrame) -> list[str]:
    """Every specialty interest the catalogue names, "any" first."""
    found = sorted({s for row in catalogue["specialties"] for s in row} - {ANY})
    return [ANY, *found]


def filter_opportunities(
    catalogue: pd.DataFrame,
    level: str | None = None,
    specialty: str | None = None,
    benefit: str | None = None,
    max_cost: Decimal | int | str | None = None,
) -> pd.DataFrame:
    """Rows that fit: at ``level``; open to ``specialty`` (rows for "any" always are); offering
    ``benefit``; typically costing at most ``max_cost`` dollars. ``None`` means no filter."""
    keep = pd.Series(True, index=catalogue.index)
    if level:
        keep &= catalogue["level"] == level
    if specialty and specialty.lower() != ANY:
        wanted = specialty.lower()
        keep &= catalogue["specialties"].map(lambda names: wanted in names or ANY in names)
    if benefit:
        keep &= catalogue["benefit_ids"].map(lambda ids: benefit in ids)
    if max_cost is not None:
        limit = funding.parse_money(max_cost, "Maximum cost")
        keep &= catalogue["typical_cost"].map(lambda cost: cost <= limit)
    return catalogue[keep]


def plan_for(opportunity: pd.Series) -> funding.EventPlan:
    """A funding plan to start from for ``opportunity``: its level's preset and typical registration."""
    return funding.preset(opportunity["plan_level"], name=opportunity["name"],
                          registration=opportunity["registration"])
