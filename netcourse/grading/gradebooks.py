"""One database engine per gradebook file within a grading process, instead of one per ``Gradebook(...)``.

nbgrader opens a new :class:`nbgrader.api.Gradebook` for almost every step (five times to set up one
student, once per preprocessor per notebook), and each one builds a new SQLAlchemy engine. An engine
keeps the SQL it has compiled, so a new engine compiles every query again: in a grading run that is most
of the parent's time, and the parent writes the gradebook one student at a time for the whole class.

:func:`shared_engines` makes ``nbgrader.api``'s ``create_engine`` hand out one engine per database URL
(and options) while it is active. Each Gradebook still has its own session and its own connections from
the engine's pool, opens and commits exactly as before, and ``Gradebook.close()`` still disposes of the
engine's pooled connections, so no connection outlives the gradebook that opened it; only the compiled
statements are kept. Nothing else changes: the same queries run on the same file in the same order.
:func:`warm_gradebook_code` does the once-per-process setup (mapper configuration) ahead of forking.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

_lock = threading.Lock()
_active = {"depth": 0, "original": None, "engines": {}}


def _key(url, kwargs) -> tuple:
    return (str(url), tuple(sorted((name, repr(value)) for name, value in kwargs.items())))


@contextmanager
def shared_engines():
    """While active, ``Gradebook(url)`` in this process reuses one engine per ``url`` (re-entrant)."""
    import nbgrader.api as api

    with _lock:
        if _active["depth"] == 0:
            original = api.create_engine
            engines: dict = {}

            def create_engine(url, *args, **kwargs):
                if args:  # not how nbgrader calls it: no sharing for calls we do not know
                    return original(url, *args, **kwargs)
                key = _key(url, kwargs)
                with _lock:
                    engine = engines.get(key)
                    if engine is None:
                        engine = engines[key] = original(url, **kwargs)
                return engine

            _active.update(original=original, engines=engines)
            api.create_engine = create_engine
        _active["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _active["depth"] -= 1
            if _active["depth"] == 0:
                api.create_engine = _active["original"]
                for engine in _active["engines"].values():
                    engine.dispose()
                _active.update(original=None, engines={})


def engines_shared() -> int:
    """How many engines :func:`shared_engines` holds now (0 when it is not active): for tests."""
    return len(_active["engines"])


def warm_gradebook_code() -> None:
    """What the first Gradebook of a process does once: configure nbgrader's ORM mappers and load SQLite's
    dialect and driver (SQLAlchemy does both lazily, so every worker would pay it for its one student)."""
    import nbgrader.api  # noqa: F401 - defines the mapped classes
    from sqlalchemy import create_engine
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    create_engine("sqlite://").dispose()  # imports the dialect and sqlite3; connects to nothing
