"""Grading the workbook: nbgrader's autograde, parallel and hardened, and everything nbgrader-facing.

The verdict path (a grade is earned only by answers):

* :mod:`~netcourse.grading.student` runs a student's cells in a sandboxed process and answers questions;
* :mod:`~netcourse.grading.plain` is the only form in which the student's values cross: plain data;
* :mod:`~netcourse.grading.judge` runs the tests in the trusted process and decides them;
* :mod:`~netcourse.grading.execution` drives one notebook (cells, roles, time limits, retries, faults);
* :mod:`~netcourse.grading.limits` seals the student's process (namespaces, uid, limits) and reserves uids;
* :mod:`~netcourse.grading.shell` is the recording IPython shell of the student's process.

Around it:

* :mod:`~netcourse.grading.worker` grades one student per worker process (files, spares, sanitizing);
* :mod:`~netcourse.grading.recording` is nbgrader's Autograde with the workers' results replayed, so nbgrader
  computes and stores every score in the parent; :mod:`~netcourse.grading.preflight` grades the
  instructor's solution first; :mod:`~netcourse.grading.discovery` finds submissions; :mod:`~netcourse.grading.outcomes`
  and :mod:`~netcourse.grading.messages` say what happened to each student;
* :mod:`~netcourse.grading.preprocessors` holds the nbgrader preprocessors of the course's config,
  :mod:`~netcourse.grading.export` its export plugins, :mod:`~netcourse.grading.report` the class report and
  :mod:`~netcourse.grading.compare` the score comparison; :mod:`~netcourse.grading.cli` is ``netcourse-grade``.
"""

import sys as _sys

# jsonschema imports this optional checker of the "iri" string format when it is installed; building its
# grammar costs seconds in every grading process (parent, fork server), and nothing grading uses checks
# that format (nbformat's and nbgrader's schemas do not; netcourse.schemas uses fastjsonschema). An entry
# of None makes `import rfc3987_syntax` fail, so jsonschema leaves the "iri" formats unchecked. Another
# import of it elsewhere in the process, before this one, keeps it.
_sys.modules.setdefault("rfc3987_syntax", None)
