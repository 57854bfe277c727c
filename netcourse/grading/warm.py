"""Imported last by the grading fork server: build the recording IPython shell once, before workers fork.

Every worker (and every student's child) then starts with the shell, the traceback machinery and the
assignment's modules already in memory, shared copy-on-write.
"""

from .worker import warm_up

warm_up()
