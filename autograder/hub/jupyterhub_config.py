"""JupyterHub configuration for the Networking and Opportunity course (one server, real Unix accounts).

Start it as root from this folder's parent checkout, after `make hub-deps`:

    sudo .venv/bin/jupyterhub -f autograder/hub/jupyterhub_config.py

What it sets up (README.md beside this file explains each choice):
- the course id, read from autograder/nbgrader_config.py so the hub and nbgrader never disagree;
- nbgrader's groups from a roster: ``formgrade-<course>`` for instructors and graders, ``nbgrader-<course>``
  for students (the names nbgrader's JupyterHubAuthPlugin looks for);
- the formgrader as a hub-managed service named after the course, run as the grader account in the course
  folder, reachable only by the ``formgrade-<course>`` group (a role with ``access:services!service=<course>``);
- students' and instructors' servers (LocalProcessSpawner, one process per real account) with nbgrader's exchange
  settings and a per-role set of nbgrader extensions (students never get the formgrader or create-assignment tools);
- configurable-http-proxy from ``autograder/hub/node_modules`` (installed by ``make hub-deps``).

Every site-specific value can be overridden with an environment variable (NETCOURSE_*), listed in README.md.
The end-to-end test (tests/test_hub_e2e.py) loads this file unchanged and only adds test-only settings on top
(loopback ports, a temporary database, a password authenticator and an API token for the test driver).
"""

import csv
import os
import shutil
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

c = get_config()  # noqa: F821  (provided by JupyterHub's config loader)

HUB_DIR = Path(__file__).resolve().parent
REPO_DIR = HUB_DIR.parent.parent
# The Python that runs users' servers and the formgrader: the hub's own unless the site provides one that every
# account may execute (provision.py's make_user_python, or a system-wide environment such as /opt/course/bin).
USER_PYTHON = os.environ.get("NETCOURSE_USER_PYTHON", sys.executable)

# ---------------------------------------------------------------------------------------------------------------
# Course identity: one source of truth, autograder/nbgrader_config.py.
# ---------------------------------------------------------------------------------------------------------------


def course_id_from_nbgrader_config(path: Path) -> str:
    """The CourseDirectory.course_id set in the course's nbgrader config ('' when the file or setting is missing)."""
    if not path.is_file():
        return ""
    loaded = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    course_dir = loaded.get("CourseDirectory", {})
    return str(course_dir.get("course_id", "") or "")


NBGRADER_CONFIG = Path(os.environ.get("NETCOURSE_NBGRADER_CONFIG", REPO_DIR / "autograder" / "nbgrader_config.py"))
COURSE_ID = os.environ.get("NETCOURSE_COURSE_ID") or course_id_from_nbgrader_config(NBGRADER_CONFIG)
if not COURSE_ID:
    raise ValueError(
        f"No course id: set CourseDirectory.course_id in {NBGRADER_CONFIG} or the NETCOURSE_COURSE_ID variable."
    )

INSTRUCTOR_GROUP = f"formgrade-{COURSE_ID}"  # instructors, graders and the grader account
STUDENT_GROUP = f"nbgrader-{COURSE_ID}"  # students enrolled in the course

# The grader account runs the formgrader service; its home holds the course folder (source/, gradebook.db, ...).
GRADER_USER = os.environ.get("NETCOURSE_GRADER_USER", f"grader-{COURSE_ID}")
COURSE_ROOT = os.environ.get("NETCOURSE_COURSE_ROOT", f"/home/{GRADER_USER}/{COURSE_ID}")
EXCHANGE_ROOT = os.environ.get("NETCOURSE_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
FORMGRADER_PORT = int(os.environ.get("NETCOURSE_FORMGRADER_PORT", "9999"))

# ---------------------------------------------------------------------------------------------------------------
# Roster: who is an instructor, a grader or a student. CSV with columns username,role.
# ---------------------------------------------------------------------------------------------------------------

ROLES = ("instructor", "grader", "student")


def read_roster(path: Path) -> dict[str, list[str]]:
    """Usernames by role from a ``username,role`` CSV; a bad row stops the hub with the row number."""
    people: dict[str, list[str]] = {role: [] for role in ROLES}
    if not path.is_file():
        return people
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.get("username") or "").strip()
            role = (row.get("role") or "").strip().lower()
            if not name or role not in ROLES:
                raise ValueError(f"{path}, line {number}: need a username and a role ({', '.join(ROLES)}); got {row}")
            people[role].append(name)
    return people


ROSTER = read_roster(Path(os.environ.get("NETCOURSE_ROSTER", HUB_DIR / "roster.csv")))
STAFF = sorted({*ROSTER["instructor"], *ROSTER["grader"], GRADER_USER})
STUDENTS = sorted(set(ROSTER["student"]) - set(STAFF))

c.Authenticator.allowed_users = set(STAFF) | set(STUDENTS)
c.JupyterHub.load_groups = {
    INSTRUCTOR_GROUP: {"users": STAFF},
    STUDENT_GROUP: {"users": STUDENTS},
}

# ---------------------------------------------------------------------------------------------------------------
# Roles: graders reach the formgrader; the formgrader may read who is in the course; servers may read their own
# user's groups (nbgrader's JupyterHubAuthPlugin asks the hub which courses a user belongs to).
# ---------------------------------------------------------------------------------------------------------------

c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE_ID}",
        "description": "Instructors and graders: use the course formgrader service",
        "groups": [INSTRUCTOR_GROUP],
        "scopes": [f"access:services!service={COURSE_ID}", f"read:services!service={COURSE_ID}", "list:services"],
    },
    {
        "name": f"formgrader-service-{COURSE_ID}",
        "description": "The formgrader service: read the course's groups and enrol students in the student group",
        "services": [COURSE_ID],
        "scopes": [
            "list:users",
            "read:users:name",
            "read:users:groups",
            "list:groups",
            "read:groups",
            f"groups!group={STUDENT_GROUP}",
        ],
    },
    {
        "name": "server",
        "description": "Single-user servers: post activity, and read their own user's groups for nbgrader",
        "scopes": ["users:activity!user", "access:servers!server", "read:users:name!user", "read:users:groups!user"],
    },
]

# ---------------------------------------------------------------------------------------------------------------
# Single-user servers: one process per real account, with the course's Jupyter config folders in front.
# ---------------------------------------------------------------------------------------------------------------

JUPYTER_DIR = HUB_DIR / "jupyter"  # common/ (nbgrader exchange), student/, instructor/, formgrader/


def config_path(role: str, *more: Path) -> str:
    """JUPYTER_CONFIG_PATH for a role: its own folder first (higher priority), then the common one, then ``more``."""
    return os.pathsep.join([str(JUPYTER_DIR / role), str(JUPYTER_DIR / "common"), *map(str, more)])


COURSE_ENV = {
    # Kernels and nbgrader's own commands resolve "python" through PATH: the same interpreter comes first.
    "PATH": os.pathsep.join([str(Path(USER_PYTHON).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
    "NETCOURSE_COURSE_ID": COURSE_ID,
    "NETCOURSE_EXCHANGE_ROOT": EXCHANGE_ROOT,
}

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [USER_PYTHON, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {**COURSE_ENV, "JUPYTER_CONFIG_PATH": config_path("student")}
# Students' saved drafts (netcourse.storage) live in their own home, never in a shared folder.
c.Spawner.notebook_dir = "~"


def choose_profile(spawner) -> None:
    """Staff get the instructor profile (course list, assignment list); everyone else the student profile."""
    groups = {group.name for group in spawner.user.groups}
    role = "instructor" if INSTRUCTOR_GROUP in groups else "student"
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": config_path(role), "NETCOURSE_ROLE": role}


c.Spawner.pre_spawn_hook = choose_profile

# The formgrader: a shared Jupyter server run by the hub as the grader account in the course folder.
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{FORMGRADER_PORT}",
        "command": [USER_PYTHON, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={COURSE_ROOT}"],
        "user": GRADER_USER,
        "cwd": COURSE_ROOT,
        "environment": {
            **COURSE_ENV,
            "NETCOURSE_COURSE_ROOT": COURSE_ROOT,
            # nbgrader's JupyterHubAuthPlugin names the caller by JUPYTERHUB_USER; services have no user of their own.
            "JUPYTERHUB_USER": GRADER_USER,
            # The course's own nbgrader settings (autograder/nbgrader_config.py) come last, as in `make grade`.
            "JUPYTER_CONFIG_PATH": config_path("formgrader", NBGRADER_CONFIG.parent),
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        },
        "oauth_no_confirm": True,
        "display": True,
    }
]

# ---------------------------------------------------------------------------------------------------------------
# Proxy: the pinned configurable-http-proxy from `make hub-deps`, else one on PATH.
# ---------------------------------------------------------------------------------------------------------------

LOCAL_PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    str(LOCAL_PROXY) if LOCAL_PROXY.exists() else (shutil.which("configurable-http-proxy") or "configurable-http-proxy")
]

# Hub state next to where it is started unless told otherwise (a real deployment sets these to /srv/jupyterhub).
c.JupyterHub.db_url = os.environ.get("NETCOURSE_HUB_DB_URL", "sqlite:///jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.environ.get("NETCOURSE_HUB_COOKIE_SECRET_FILE", "jupyterhub_cookie_secret")
