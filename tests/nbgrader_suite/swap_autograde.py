"""A pytest plugin that makes ``nbgrader autograde`` run the course's grader, for nbgrader's own test suite.

    pytest --pyargs nbgrader.tests.apps.test_nbgrader_autograde -p swap_autograde

nbgrader's app tests call ``run_nbgrader(["autograde", ...])``, which looks the subcommand up in
``NbGraderApp.subcommands``; this plugin points that entry at :class:`netcourse.grading.cli.ParallelAutogradeApp`
before any test runs. Nothing else changes: same fixtures, same assertions. The preflight is off here:
nbgrader's fixture assignments use sources whose tests fail on purpose, which the preflight (rightly)
refuses to grade a class with.
"""

from __future__ import annotations


def pytest_configure(config):
    from nbgrader.apps.nbgraderapp import NbGraderApp

    from netcourse.grading.cli import ParallelAutogradeApp

    class SuiteAutogradeApp(ParallelAutogradeApp):
        def initialize(self, argv=None):
            super().initialize(argv)
            self.config.ParallelAutograde.preflight = False
            self.config.ParallelAutograde.progress = False
            # nbgrader's fixture notebooks import nothing heavy: warm only IPython (a speed knob, not semantics)
            self.config.ParallelAutograde.preload = ["IPython"]

    _, description = NbGraderApp.subcommands["autograde"]
    NbGraderApp.subcommands = {**NbGraderApp.subcommands, "autograde": (SuiteAutogradeApp, description)}
