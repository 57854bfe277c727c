"""``netcourse-grade``: grade a class in parallel (nbgrader's autograde, faster and hardened), or report on it.

    netcourse-grade networking-workbook --workers=4          # grade every submission
    netcourse-grade networking-workbook --student=alice -f   # one student again
    netcourse-grade report networking-workbook               # HTML class report + exports

It reads the same nbgrader configuration as ``nbgrader autograde`` (nbgrader_config.py in the current folder
or on JUPYTER_CONFIG_PATH) and accepts the same options (``--force``, ``--student``, ``--db`` …) plus the
ones below. It first grades the instructor's solution the same way (the preflight) and stops, touching
nothing, if that does not earn every autograded point. Exit status: 0 when every submission was graded,
1 when some could not be (or the preflight failed). The same app also serves as ``nbgrader autograde``
(see tests/nbgrader_suite/), where the preflight is off unless configured. The app itself is in
:mod:`netcourse.grading.app`; this module stays light so that the workers' fork server starts first.
"""

from __future__ import annotations

import sys

from .worker import FORKSERVER_PRELOAD, worker_environment

_NO_WORKERS = {"-h", "--help", "--help-all", "--version", "--no-execute"}


def start_fork_server(argv: list[str]) -> bool:
    """Start the workers' fork server now, for a run that will grade: it imports the heavy modules (for
    seconds) while this process imports nbgrader and reads the configuration, instead of after."""
    if not any(a and not a.startswith("-") for a in argv) or _NO_WORKERS & set(argv):
        return False
    from multiprocessing import forkserver, get_context

    worker_environment()
    get_context("forkserver").set_forkserver_preload(list(FORKSERVER_PRELOAD))
    forkserver.ensure_running()
    return True


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "report":
        from .report import main as report_main

        return report_main(argv[1:])
    start_fork_server(argv)
    from traitlets import TraitError

    from .app import ParallelAutogradeApp

    app = ParallelAutogradeApp.instance()
    try:
        app.initialize(argv)
        app.start()
    except TraitError as error:  # a setting of the wrong type or out of range: say which, no traceback
        print(f"netcourse-grade: {error}", file=sys.stderr)
        return 2
    except SystemExit as stop:  # nbgrader's fail(), config errors, a missing assignment, failed students
        if isinstance(stop.code, str):
            print(stop.code)
            return 1
        return int(stop.code or 0)
    finally:
        ParallelAutogradeApp.clear_instance()
    return 0


def __getattr__(name: str):
    """The app and its options, imported on first use (nbgrader is slow to import; see start_fork_server)."""
    if name in ("ParallelAutogradeApp", "aliases", "flags"):
        from . import app

        return getattr(app, name)
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
