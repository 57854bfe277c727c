"""ipywidgets apps over the pure logic of :mod:`netcourse`.

Each app is a class that takes its data as arguments, builds its widgets in small
``_create_*`` methods, routes every change through one update path, and exposes
``.container``, so the same class runs in a lesson and as a standalone Voila page.
Shared parts: :mod:`~netcourse.widgets.file_bar` (save, load, backup, status, download),
:mod:`~netcourse.widgets.alerts` (how problems and status lines look) and
:mod:`~netcourse.widgets.render` (HTML from the templates in ``widgets/templates/``).
Imports are lazy: ``from netcourse.widgets import PitchStudio`` loads only that app.
"""

from __future__ import annotations

from netcourse._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "pitch_studio": ("PitchStudio",),
    "funding_planner": ("FundingPlanner",),
    "opportunity_finder": ("OpportunityFinder",),
    "networking_log": ("NetworkingLog",),
    # The workbook's self-assessment of written answers.
    "self_assessment": ("SelfAssessment",),
    # Practice widgets used by the lessons.
    "practice": ("SortingExercise", "MatchingExercise", "ChoiceExercise", "SpotMissingExercise", "Checklist"),
})
