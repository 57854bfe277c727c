"""``ParallelAutogradeApp``: nbgrader's ``autograde`` app, with :class:`~.recording.ParallelAutograde` doing the work.

Its options are nbgrader autograde's plus the ones below; :mod:`netcourse.grading.cli` is the command.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.apps.autogradeapp import aliases as autograde_aliases
from nbgrader.apps.autogradeapp import flags as autograde_flags
from traitlets import default

from .discovery import GradebookMissing
from .recording import ParallelAutograde

aliases = dict(autograde_aliases)
aliases.update({
    "workers": "ParallelAutograde.workers",
    "cell-timeout": "ParallelAutograde.cell_timeout",
    "notebook-timeout": "ParallelAutograde.notebook_timeout",
    "cpu-seconds": "ParallelAutograde.cpu_seconds",
    "memory-mb": "ParallelAutograde.memory_mb",
    "max-output": "ParallelAutograde.max_output_chars",
    "scratch-mb": "ParallelAutograde.scratch_mb",
    "submission-timeout": "ParallelAutograde.submission_timeout",
})
flags = dict(autograde_flags)
flags.update({
    "no-sandbox": ({"ParallelAutograde": {"sandbox": False}}, "Run students' code as the grader's own user."),
    "no-progress": ({"ParallelAutograde": {"progress": False}}, "Do not show the progress bar."),
    "no-preflight": ({"ParallelAutograde": {"preflight": False}},
                     "Do not grade the instructor's solution first (not recommended)."),
})


class ParallelAutogradeApp(AutogradeApp):
    name = "netcourse-grade"
    description = "Autograde a class in parallel, with limits per student and trusted verdicts, and print a summary"
    aliases = aliases
    flags = flags

    @default("classes")
    def _classes_default(self):
        return [*super()._classes_default(), ParallelAutograde]

    def start(self) -> None:
        from .outcomes import FAILED, format_summary, save_summary

        super(AutogradeApp, self).start()  # NbGrader.start: authenticator etc., not the sequential converter
        if len(self.extra_args) > 1:
            self.fail("Only one argument (the assignment id) may be specified")
        if len(self.extra_args) == 1:
            self.coursedir.assignment_id = self.extra_args[0]
        if not self.coursedir.assignment_id:
            self.fail("Name the assignment to grade, e.g. netcourse-grade networking-workbook")
        converter = ParallelAutograde(coursedir=self.coursedir, parent=self)
        try:
            converter.start()
        except GradebookMissing as missing:
            self.fail(str(missing))
        if converter.preflight_result is not None:
            print(converter.preflight_result.message())
            if not converter.preflight_result.passed:
                self.exit(1)
        outcomes = list(converter.outcomes.values())
        if not outcomes:
            submitted = Path(self.coursedir.format_path(self.coursedir.submitted_directory, "*",
                                                        self.coursedir.assignment_id)).parent.parent
            print(f"No submissions of {self.coursedir.assignment_id!r} to grade in {submitted}. Put each "
                  f"student's notebooks in {submitted}/<student-id>/{self.coursedir.assignment_id}/ "
                  "(or run nbgrader collect), then grade again.")
        folder = Path(self.coursedir.format_path(self.coursedir.autograded_directory, ".", ".")).resolve()
        csv_path, _ = save_summary(outcomes, folder, converter.summary_name)
        print(format_summary(outcomes, converter.elapsed, converter.workers))
        if converter.peak_worker_rss_mb:
            print(f"Peak memory: {converter.peak_worker_rss_mb:.0f} MB per worker, "
                  f"{converter.peak_child_rss_mb:.0f} MB for the largest student process")
        print(f"Summary saved to {csv_path} (and .json); nbgrader's log: {folder / 'grading.log'}")
        if any(o.status == FAILED for o in outcomes):
            self.exit(1)
