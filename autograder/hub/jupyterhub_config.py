"""JupyterHub configuration for the Networking and Opportunity course (one server, real Unix accounts).

Start it as root, after `make hub-deps` and `provision.py` (README.md beside this file, "Running it on one server"):

    sudo .venv/bin/jupyterhub -f autograder/hub/jupyterhub_config.py

What it sets up (README.md explains each choice):
- the course id, read from autograder/nbgrader_config.py so the hub and nbgrader never disagree;
- hub state (database, cookie secret, roster) in a root-only folder outside the checkout (NETCOURSE_HUB_STATE_DIR);
- a start only on a sound exchange: the course's folders made by provision.py, the grader's, nbgrader's modes;
- the roster as the truth at every start (coursehub.roster): nbgrader's groups ``formgrade-<course>`` (staff) and
  ``nbgrader-<course>`` (students) hold exactly the roster's people, anyone else in the hub's database is blocked,
  whoever lost staff rights loses their tokens, and a server whose role changed is stopped;
- the formgrader as a hub-managed service named after the course, run as the grader account in the course folder:
  instructors may do everything there, TAs only read, score, comment and flag (coursehub.staff);
- students' and staff's servers (LocalProcessSpawner, one process per real account, homes closed to others) with
  nbgrader's exchange settings and a per-role set of nbgrader extensions;
- configurable-http-proxy from ``autograder/hub/node_modules`` (installed by ``make hub-deps``).

Every site-specific value can be overridden with an environment variable (NETCOURSE_*), listed in README.md.
The end-to-end test (tests/test_hub_e2e.py) loads this file unchanged and only adds test-only settings on top
(loopback ports, a temporary state folder, a password authenticator and an API token for the test driver).
"""

import os
import pwd
import shutil
import stat
import sys
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

c = get_config()  # noqa: F821  (provided by JupyterHub's config loader)

HUB_DIR = Path(__file__).resolve().parent
REPO_DIR = HUB_DIR.parent.parent
if str(HUB_DIR) not in sys.path:
    sys.path.insert(0, str(HUB_DIR))

from coursehub import exchange, roster, staff  # noqa: E402

# The Python that runs users' servers and the formgrader: the hub's own unless the site provides one that every
# account may execute (provision.py's make_user_python, or a system-wide environment such as /opt/course/bin).
USER_PYTHON = os.environ.get("NETCOURSE_USER_PYTHON", sys.executable)


def refuse_to_start(problem: str) -> None:
    """Stop JupyterHub before it serves anything, with one clear message (no traceback)."""
    raise SystemExit(f"JupyterHub for the course will not start: {problem}")


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
    refuse_to_start(f"no course id: set CourseDirectory.course_id in {NBGRADER_CONFIG} or NETCOURSE_COURSE_ID.")

STAFF_GROUP = f"formgrade-{COURSE_ID}"  # instructors, TAs and the grader account (nbgrader's name for it)
STUDENT_GROUP = f"nbgrader-{COURSE_ID}"  # students enrolled in the course
INSTRUCTOR_ROLE, GRADER_ROLE = f"{COURSE_ID}-instructors", f"{COURSE_ID}-graders"
GRADE_SCOPE, MANAGE_SCOPE = staff.scope_names(COURSE_ID)

# The grader account runs the formgrader service; its home holds the course folder (source/, gradebook.db, ...).
GRADER_USER = os.environ.get("NETCOURSE_GRADER_USER", f"grader-{COURSE_ID}")
COURSE_ROOT = os.environ.get("NETCOURSE_COURSE_ROOT", f"/home/{GRADER_USER}/{COURSE_ID}")
EXCHANGE_ROOT = os.environ.get("NETCOURSE_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
FORMGRADER_PORT = int(os.environ.get("NETCOURSE_FORMGRADER_PORT", "9999"))

# ---------------------------------------------------------------------------------------------------------------
# Hub state: database, cookie secret, proxy pid and the roster, in one folder only the hub's account may enter,
# outside the checkout (so none of it can be committed). provision.py creates it; so does the hub, if missing.
# ---------------------------------------------------------------------------------------------------------------

STATE_DIR = Path(os.environ.get("NETCOURSE_HUB_STATE_DIR", f"/srv/jupyterhub/{COURSE_ID}")).absolute()


def check_state_dir(folder: Path) -> None:
    if folder == REPO_DIR or REPO_DIR in folder.parents:
        refuse_to_start(f"the hub state folder {folder} is inside the course checkout; keep secrets out of it "
                        "(NETCOURSE_HUB_STATE_DIR, default /srv/jupyterhub/<course>)")
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
        refuse_to_start(f"the hub state folder {folder} must be a folder of the hub's own account with mode 0700 "
                        f"(it is mode {stat.S_IMODE(info.st_mode):04o}): chmod 700 {folder}")


check_state_dir(STATE_DIR)
DB_URL = os.environ.get("NETCOURSE_HUB_DB_URL", f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}")
c.JupyterHub.db_url = DB_URL
c.JupyterHub.cookie_secret_file = os.environ.get("NETCOURSE_HUB_COOKIE_SECRET_FILE",
                                                 str(STATE_DIR / "jupyterhub_cookie_secret"))
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")

# ---------------------------------------------------------------------------------------------------------------
# Roster (CSV username,role; roles instructor, grader = TA, student): the truth at every start.
# ---------------------------------------------------------------------------------------------------------------

try:
    pwd.getpwnam(GRADER_USER)
except KeyError:
    refuse_to_start(f"no account called {GRADER_USER} to run the formgrader (useradd -m {GRADER_USER}, or set "
                    "NETCOURSE_GRADER_USER)")
try:
    ROSTER = roster.read_roster(Path(os.environ.get("NETCOURSE_ROSTER", STATE_DIR / "roster.csv")), GRADER_USER)
except roster.RosterError as error:
    refuse_to_start(str(error))

problems = exchange.check_exchange(Path(EXCHANGE_ROOT), COURSE_ID, GRADER_USER, tuple(ROSTER.students))
if problems:
    refuse_to_start("the nbgrader exchange is not safe for students:\n  - " + "\n  - ".join(problems))

try:
    PLAN = roster.reconcile(DB_URL, ROSTER, STAFF_GROUP, STUDENT_GROUP,
                            staff_roles=(INSTRUCTOR_ROLE, GRADER_ROLE, STAFF_GROUP),
                            log=lambda line: print(f"[netcourse] {line}", file=sys.stderr))
except roster.RosterError as error:
    refuse_to_start(str(error))

c.Authenticator.allowed_users = set(ROSTER.everyone)
c.Authenticator.allow_existing_users = False  # being in the hub's database is no licence to log in
c.Authenticator.blocked_users = set(PLAN.blocked)
c.JupyterHub.load_groups = {
    group: {"users": sorted(members)}
    for group, members in roster.course_groups(ROSTER, STAFF_GROUP, STUDENT_GROUP).items()
}

# ---------------------------------------------------------------------------------------------------------------
# Roles (member lists JupyterHub makes exact at every start): instructors manage the formgrader, TAs grade in it;
# the formgrader may read who is in the course; servers may read their own user's groups (nbgrader asks the hub).
# ---------------------------------------------------------------------------------------------------------------

c.JupyterHub.custom_scopes = staff.custom_scopes(COURSE_ID)
FORMGRADER_ACCESS = [f"access:services!service={COURSE_ID}", f"read:services!service={COURSE_ID}", "list:services"]
c.JupyterHub.load_roles = [
    {
        "name": INSTRUCTOR_ROLE,
        "description": "Instructors: everything in the course formgrader",
        "users": sorted(ROSTER.instructors | {GRADER_USER}),
        "scopes": [*FORMGRADER_ACCESS, GRADE_SCOPE, MANAGE_SCOPE],
    },
    {
        "name": GRADER_ROLE,
        "description": "Teaching assistants: read, score, comment and flag in the course formgrader",
        "users": sorted(ROSTER.graders),
        "scopes": [*FORMGRADER_ACCESS, GRADE_SCOPE],
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
PROFILES = {"instructor": "instructor", "grader": "instructor", "student": "student"}


def config_path(role: str, *more: Path) -> str:
    """JUPYTER_CONFIG_PATH for a role: its own folder first (higher priority), then the common one, then ``more``."""
    return os.pathsep.join([str(JUPYTER_DIR / role), str(JUPYTER_DIR / "common"), *map(str, more)])


COURSE_ENV = {
    # Kernels and nbgrader's own commands resolve "python" through PATH: the same interpreter comes first.
    "PATH": os.pathsep.join([str(Path(USER_PYTHON).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
    "NETCOURSE_COURSE_ID": COURSE_ID,
    "NETCOURSE_EXCHANGE_ROOT": EXCHANGE_ROOT,
}


def _course_spawner():
    from jupyterhub.spawner import LocalProcessSpawner

    class CourseSpawner(roster.RosterRoleMixin, LocalProcessSpawner):
        """LocalProcessSpawner that stops a server whose roster role changed (see coursehub.roster)."""

        role_for = staticmethod(ROSTER.role_of)

    return CourseSpawner


c.JupyterHub.spawner_class = _course_spawner()
c.Spawner.cmd = [USER_PYTHON, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {**COURSE_ENV, "JUPYTER_CONFIG_PATH": config_path("student")}
# Students' saved drafts (netcourse.storage) live in their own home, never in a shared folder.
c.Spawner.notebook_dir = "~"


def close_home(name: str) -> None:
    """Make an account's home 0700 (Debian's useradd leaves it 0755: readable by every classmate)."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
        mode = stat.S_IMODE(os.lstat(home).st_mode)
    except (KeyError, OSError):
        return
    if mode & 0o077 and os.geteuid() == 0:
        os.chmod(home, mode & 0o700)


def choose_profile(spawner) -> None:
    """The roster decides: staff get the instructor profile (course list), students the student one; others none."""
    role = ROSTER.role_of(spawner.user.name)
    if role is None:
        raise PermissionError(f"{spawner.user.name} is not on the roster of {COURSE_ID}")
    close_home(spawner.user.name)
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": config_path(PROFILES[role]),
                           "NETCOURSE_ROLE": role}


c.Spawner.pre_spawn_hook = choose_profile

# The formgrader: a shared Jupyter server run by the hub as the grader account in the course folder. Its OAuth
# sessions carry the course's grade/manage scopes, which its guard (jupyter/formgrader/jupyter_server_config.py)
# checks on every request.
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
        "oauth_client_allowed_scopes": [GRADE_SCOPE, MANAGE_SCOPE],
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
