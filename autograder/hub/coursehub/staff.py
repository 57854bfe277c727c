"""What a teaching assistant may do in the formgrader, and the guard that lets them do nothing more.

The formgrader is a whole Jupyter server run as the grader account: besides grading it edits the source (with
solutions), releases, collects, runs code in kernels and terminals as the grader, and reads every file of the
course. The hub grants two custom scopes (``jupyterhub_config.py``, by roster role):

* ``custom:<course>:grade`` (instructors and TAs): read the formgrader's pages and data (assignments,
  submissions, the gradebook's scores), and **score, comment on and flag** submitted answers;
* ``custom:<course>:manage`` (instructors and the grader account only): everything else the server offers:
  editing the source and the course's config, generating, releasing, collecting, autograding, feedback,
  adding students, the contents API, kernels, terminals, JupyterLab.

:func:`decide` is the rule, a pure function of the request and the caller's scopes; :func:`guard`
applies it to every request the formgrader's server receives (as a Jupyter server extension wrapping the
identity provider, which runs in every handler's ``prepare`` before nbgrader's handlers), answering 403 with the
reason.
"""

from __future__ import annotations

import re

# (methods, path pattern relative to the server's base URL) that the grade scope alone allows.
GRADER_ALLOWED = (
    (("GET", "HEAD"), r"formgrader(/.*)?"),  # pages, static files and read-only API
    (("PUT",), r"formgrader/api/grade/[^/]+"),  # a score
    (("PUT",), r"formgrader/api/comment/[^/]+"),  # a comment
    (("POST",), r"formgrader/api/submitted_notebook/[^/]+/flag"),  # a flag for the instructor
    (("GET", "HEAD"), r"static/.*"),  # the Jupyter server's static assets (MathJax for the grading pages)
)
# Login and logout belong to everyone who reaches the server at all.
ANYONE = ((("GET", "HEAD", "POST"), r"(oauth_callback|logout)"),)
UNSAFE_PATH = re.compile(r"(^|/)\.\.?(/|$)|%2e|%2f|%5c|\\|//", re.IGNORECASE)


def scope_names(course: str) -> tuple[str, str]:
    """The (grade, manage) custom scopes of a course."""
    return f"custom:{course}:grade", f"custom:{course}:manage"


def custom_scopes(course: str) -> dict[str, dict]:
    """The ``JupyterHub.custom_scopes`` entry for a course's two scopes."""
    grade, manage = scope_names(course)
    return {
        grade: {"description": f"Score, comment on and flag submissions of {course} in its formgrader"},
        manage: {"description": f"Run {course}'s formgrader: source, releases, collect, autograde, feedback, files",
                 "subscopes": [grade]},
    }


def _matches(rules, method: str, path: str) -> bool:
    return any(method in methods and re.fullmatch(pattern, path) for methods, pattern in rules)


def decide(method: str, path: str, scopes, course: str) -> str | None:
    """None when the request may go on; otherwise why not (for the 403).

    ``path`` is relative to the server's base URL (no leading slash). Scopes are the caller's, as the hub
    reports them for the token or OAuth session the request carries.
    """
    grade, manage = scope_names(course)
    scopes = set(scopes or ())
    method = method.upper()
    path = path.lstrip("/")
    if _matches(ANYONE, method, path):
        return None
    if manage in scopes:
        return None
    if grade not in scopes:
        return f"grading {course} needs the {grade} scope (instructors and TAs on the roster)"
    if UNSAFE_PATH.search(path):
        return "teaching assistants may not use dot segments or encoded separators in a path"
    if _matches(GRADER_ALLOWED, method, path):
        return None
    return (f"teaching assistants may read the formgrader and score, comment or flag; {method} /{path} is for "
            f"instructors ({manage})")


def guard(provider, course: str) -> None:
    """Make ``provider`` (the server's identity provider instance) refuse, with 403, what :func:`decide` refuses.

    Every Jupyter handler's ``prepare`` asks the identity provider for the user before anything else runs, so
    wrapping its ``get_user`` puts the rule in front of nbgrader's handlers, the contents API, kernels and
    terminals alike. (JupyterHub insists on its own identity provider class, so the instance is wrapped.)
    """
    import inspect

    from tornado.web import HTTPError

    original = provider.get_user

    async def get_user(handler):
        user = original(handler)
        if inspect.isawaitable(user):
            user = await user
        if user is None:
            return None
        hub_user = getattr(user, "hub_user", None)
        if hub_user is None:
            raise HTTPError(403, "the formgrader only serves users the hub vouches for")
        base = handler.base_url or "/"
        path = handler.request.path
        relative = path[len(base):] if path.startswith(base) else path
        reason = decide(handler.request.method, relative, hub_user.get("scopes", ()), course)
        if reason:
            provider.log.warning("Refused %s %s for %s: %s", handler.request.method, path, user.username, reason)
            raise HTTPError(403, reason)
        return user

    provider.get_user = get_user


def _jupyter_server_extension_points():
    return [{"module": "coursehub.staff"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Jupyter server extension (the formgrader profile enables it): guard every request of this server."""
    import os

    course = os.environ.get("NETCOURSE_COURSE_ID", "")
    if not course:
        raise RuntimeError("NETCOURSE_COURSE_ID is not set: the formgrader's guard cannot tell the course")
    guard(serverapp.identity_provider, course)
    serverapp.log.info("Formgrader guard on: TAs (%s) read, score, comment and flag; instructors (%s) manage",
                       *scope_names(course))
