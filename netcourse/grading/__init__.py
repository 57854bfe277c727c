"""Parallel, hardened autograding for the course (``netcourse-grade``, ``make grade WORKERS=N``).

* :mod:`~netcourse.grading.discovery` finds submissions and notes what is odd about them.
* :mod:`~netcourse.grading.limits` and :mod:`~netcourse.grading.execution` run each notebook in a fork of a
  warm worker, under memory/CPU/output/time limits, sealed off from the course's private files (as root).
* :mod:`~netcourse.grading.worker` sanitizes (with nbgrader's own preprocessors) and executes, per student.
* :mod:`~netcourse.grading.recording` is nbgrader's Autograde with execution replayed from the workers:
  nbgrader computes and stores every score, in the parent, one student at a time.
* :mod:`~netcourse.grading.report` builds the class report; :mod:`~netcourse.grading.cli` is the command.
"""
