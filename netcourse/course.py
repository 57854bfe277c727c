"""The course's outline: lessons in reading order, with their files and estimated minutes.

The start page shows this table, and tests check that each file exists and that the
minutes here match the header of each lesson, so the outline cannot go stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Lesson:
    number: int
    file: str
    title: str
    minutes: int
    teaches: str


LESSONS: tuple[Lesson, ...] = (
    Lesson(1, "01_finding_opportunities.ipynb", "Finding networking opportunities", 25,
           "where opportunities are at school, local and national level, and how to find more"),
    Lesson(2, "02_how_to_network.ipynb", "How to network", 45,
           "the four etiquette steps, a whole conversation, active listening, Harvard's advice, "
           "and drafting your own introduction"),
    Lesson(3, "03_why_network.ipynb", "Why network?", 20,
           "the six benefits and the explorative, not transactional, mindset"),
    Lesson(4, "04_paying_for_it.ipynb", "Paying for it", 30,
           "what events cost and the five routes to funding, with a funding plan"),
    Lesson(5, "05_your_networking_plan.ipynb", "Your networking plan", 25,
           "pulling it together: an event, a pitch, questions, funding and follow-up"),
)

WORKBOOK = "networking-workbook"


def total_minutes() -> int:
    return sum(lesson.minutes for lesson in LESSONS)


def lesson_table() -> pd.DataFrame:
    """The outline as a table for the start page."""
    return pd.DataFrame(
        [(lesson.number, lesson.title, lesson.minutes, lesson.teaches, f"notebooks/{lesson.file}")
         for lesson in LESSONS],
        columns=["Lesson", "Title", "Minutes", "You will learn", "File"],
    ).set_index("Lesson")
