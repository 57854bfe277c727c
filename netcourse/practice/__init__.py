"""Practice exercises for the lessons, with answer checking: the task shapes and every exercise.

* :mod:`~netcourse.practice.tasks` -- :class:`AssignmentTask`, :class:`SelectTask`, :class:`ChecklistTask`,
  their :class:`Feedback` and :func:`task_markdown`;
* :mod:`~netcourse.practice.exercises` -- the builders (options from ``content.json``, teaching text
  from ``data/practice.json``) and :data:`EXERCISES`, by the name a lesson uses.

Nothing here imports ipywidgets; :mod:`netcourse.widgets.practice` presents these tasks.
"""

from __future__ import annotations

from netcourse._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "tasks": ("CHOOSE", "Option", "Prompt", "Feedback", "AssignmentTask", "SelectTask", "ChecklistTask", "Task",
              "task_markdown"),
    "exercises": ("PRACTICE_FILE", "PracticeError", "load_practice", "load_practice_file", "option_notes",
                  "REPLY_KINDS", "choose_next_reply", "explorative_sources", "level_options", "etiquette_options",
                  "benefit_options", "route_options", "sort_examples_by_level", "sort_how_to_find",
                  "sort_etiquette_parts", "match_harvard_advice", "introduction_parts", "sample_introductions",
                  "spot_missing_introductions", "match_benefits", "choose_explorative_questions", "sort_trip_costs",
                  "choose_funding_route", "review_quiz", "plan_checklist", "EXERCISES"),
})
