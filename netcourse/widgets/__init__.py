"""ipywidgets apps over the pure logic of :mod:`netcourse`.

Each app is a class that takes its data as arguments, builds its widgets in small
``_create_*`` methods, routes every change through one update path, and exposes
``.container``, so the same class runs in a lesson and as a standalone Voila page.
Imports are lazy: ``from netcourse.widgets import PitchStudio`` loads only that app.
"""

from __future__ import annotations

import importlib
from typing import Any

_APPS = {
    "PitchStudio": "netcourse.widgets.pitch_studio",
    "FundingPlanner": "netcourse.widgets.funding_planner",
    "OpportunityFinder": "netcourse.widgets.opportunity_finder",
    "NetworkingLog": "netcourse.widgets.networking_log",
    # Practice widgets used by the lessons.
    "SortingExercise": "netcourse.widgets.practice",
    "MatchingExercise": "netcourse.widgets.practice",
    "ChoiceExercise": "netcourse.widgets.practice",
    "SpotMissingExercise": "netcourse.widgets.practice",
    "Checklist": "netcourse.widgets.practice",
}

__all__ = sorted(_APPS)


def __getattr__(name: str) -> Any:
    if name in _APPS:
        return getattr(importlib.import_module(_APPS[name]), name)
    raise AttributeError(f"module 'netcourse.widgets' has no attribute {name!r}")
