"""nbgrader configuration for the course "networking-101" (the Networking and Opportunity workbook).

How nbgrader finds this file: the Makefile's instructor targets run nbgrader with
``JUPYTER_CONFIG_PATH=autograder`` (so do the formgrader command in ``autograder/README.md``),
which puts this folder on Jupyter's config path; the repository root stays free of config.

The course root is the repository root (``source/``, ``release/``, ``submitted/``,
``autograded/``, ``feedback/`` and ``gradebook.db`` live there). ``NETCOURSE_COURSE_ROOT``
points it elsewhere: the tests grade a sample class in a temporary folder that way, and an
instructor can keep a term's submissions and gradebook outside the repository.

Everything below the folders is hardening: a student should only score by answering, never
by editing the notebook (deleting, editing or retyping a test cell, changing its points or
role), flooding the output, or hanging the grader.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from netcourse.grading.preprocessors import (
    FeedbackClearHiddenTests,
    FeedbackClearMarkScheme,
    ForgetUnknownCells,
    RedactFeedback,
    RestoreCellRoles,
)
from netcourse.selfcheck import WARNING_PATTERN

c = get_config()  # noqa: F821 (traitlets provides get_config in config files)

ROOT = Path(os.environ.get("NETCOURSE_COURSE_ROOT") or Path(__file__).resolve().parent.parent).resolve()

# ---------------------------------------------------------------- course and folders
c.CourseDirectory.course_id = "networking-101"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = f"sqlite:///{ROOT / 'gradebook.db'}"
# Never copy a run's leftovers or a student's saved drafts into a release or a grade.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "my-networking"]

# ---------------------------------------------------------------- generating the student version
# The shared header (name and collaborators) opens every notebook of the workbook.
c.IncludeHeaderFooter.header = str(ROOT / "source" / "header.ipynb")
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True
c.ClearHiddenTests.enforce_metadata = True
# Marking guides sit in the locked prompt cell above each written answer, so graders see them in
# the formgrader; the release and the feedback drop them (ClearMarkScheme / RedactFeedback).
c.ClearMarkScheme.enforce_metadata = False
c.LockCells.lock_grade_cells = True
c.LockCells.lock_readonly_cells = True
c.LockCells.lock_solution_cells = True

# ---------------------------------------------------------------- autograding
c.Autograde.exclude_overwriting = {}  # students cannot ship files that replace the course's own
# Deleted grade cells come back from the gradebook (a deleted test cannot be skipped).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreCellRoles,  # first: grade/solution/task flags a student switched off or on come back
    OverwriteCells,  # then edited locked cells, cell types, points, checksums and deleted cells
    ForgetUnknownCells,  # a renamed or copied grade cell becomes an ordinary cell (nbgrader would stop)
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    Execute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.Execute.timeout = 30  # seconds per cell; an endless loop costs that cell, not the class
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0
# A library warning on the error stream would otherwise fail a test cell; the self-check uses the same rule.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = WARNING_PATTERN
c.LimitOutput.max_lines = 300
c.LimitOutput.max_traceback = 40

# ---------------------------------------------------------------- feedback
# Feedback is built from the autograded notebooks, which hold the hidden tests and the marking
# guides again: RedactFeedback replaces what hidden tests showed (it needs the full test to know which
# lines were hidden), then nbgrader's own ClearHiddenTests and ClearMarkScheme remove both from the
# instructor's cells.
c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, FeedbackClearHiddenTests, FeedbackClearMarkScheme,
                                    CSSHTMLHeaderPreprocessor]
