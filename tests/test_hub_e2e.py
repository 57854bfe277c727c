"""The whole course on a real JupyterHub, release to feedback, with real Unix accounts; then a hostile term (root).

One module-scoped hub: JupyterHub on 127.0.0.1 with configurable-http-proxy (from `make hub-deps`), the course's
autograder/hub/jupyterhub_config.py loaded unchanged plus test-only settings (loopback ports, DummyAuthenticator,
an API token for this driver, servers kept across a restart), LocalProcessSpawner starting each user's server as
that user, and the formgrader as a hub service run as the instructor account in its private course folder. The
exchange and the hub's state folder are made by provision.py, as on a real server.

Every step goes through the same doors a person uses: the instructor through the formgrader service behind the
hub (generate, release, collect, feedback), students through their own servers' nbgrader and contents APIs
(fetch, answer, save, submit, fetch feedback). Autograding and the grade export run as the instructor account in a
shell, the way `make grade` runs the parallel grader. Then student A, with a terminal of their own, attacks: other
homes, the exchange's folders, the hub's state, the formgrader's port, forged and doctored submissions; a TA tries
what only instructors may; and a hub restart with a changed roster takes the TA's and a departed student's access
away.

The accounts run the course's own environment in place (the repository must be traversable by other accounts);
when the venv's interpreter is out of their reach (pyenv under /root), a copy of the same Python build is used.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT, free_port

pytestmark = pytest.mark.slow

requests = pytest.importorskip("requests")

from hub_harness import USER_PYTHON, Hub, as_user, fresh_user, jupyterhub_command, kill_processes_of, probe  # noqa: E402

HUB_DIR = ROOT / "autograder" / "hub"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent
SITE_PACKAGES = Path(next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)))
COURSE_ID = "networking-101"  # autograder/nbgrader_config.py; test_hub_config.py checks the hub agrees
ASSIGNMENT = "networking-workbook"
COURSE_ENV = {"JUPYTER_CONFIG_PATH": str(ROOT / "autograder")}  # the course's nbgrader config, as `make grade`
INSTRUCTOR = "nc-instructor"
TA = "nc-ta"  # grades; later demoted to student
STUDENT_A = "nc-student-a"  # answers well; the attacker
STUDENT_B = "nc-student-b"  # hands in the blank workbook; the victim; later leaves the course
USERS = (INSTRUCTOR, TA, STUDENT_A, STUDENT_B)
STUDENTS = (STUDENT_A, STUDENT_B)
ROSTER = f"username,role\n{INSTRUCTOR},instructor\n{TA},grader\n{STUDENT_A},student\n{STUDENT_B},student\n"


def _skip_reason() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the hub test creates real Unix accounts and spawns servers as them: run it as root (CI does)"
    for tool in ("useradd", "userdel"):
        if not shutil.which(tool):
            return f"{tool} is missing: the hub test needs real local accounts"
    if not PROXY.exists():
        return f"configurable-http-proxy is not installed at {PROXY}: run `make hub-deps`"
    # The accounts' servers read the course's files (hub profiles, nbgrader config, the package) in place.
    closed = [str(folder) for folder in [*reversed(ROOT.parents), ROOT] if not folder.stat().st_mode & 0o001]
    if closed:
        return (f"other accounts cannot enter {closed[0]}, so the hub's servers cannot read the course: clone the "
                "repository into a folder everyone may traverse (o+x) to run the hub test")
    return None


REQUIRED = os.environ.get("NETCOURSE_REQUIRE_HUB") == "1"  # CI (.ci/run): a missing prerequisite fails the run
_REASON = _skip_reason()
if _REASON and REQUIRED:
    pytest.fail(f"NETCOURSE_REQUIRE_HUB=1 but the hub test cannot run: {_REASON}", pytrace=False)
if _REASON:
    pytest.skip(_REASON, allow_module_level=True)


def _cannot_run(reason: str):
    if REQUIRED:
        pytest.fail(f"NETCOURSE_REQUIRE_HUB=1 but the hub test cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


# ----------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def machine_lock():
    """One hub test at a time on a machine: runs share the account names (a second run waits, then skips)."""
    with open("/tmp/netcourse-hub-e2e.lock", "w") as handle:
        deadline = time.monotonic() + 420
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.skip("another run of the hub test has held its accounts for 7 minutes")
                time.sleep(2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


TEST_CONFIG = """
c = get_config()
load_subconfig({hub_config!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.Spawner.interrupt_timeout = 4  # a quicker shutdown at the end of the test
# Servers outlive a hub restart (as many sites run it): the revocation test restarts the hub with a new roster.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.services.append({{"name": "e2e-driver", "api_token": {driver_token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "e2e-driver",
    "services": ["e2e-driver"],
    "scopes": ["admin:users", "admin:servers", "tokens", "list:services", "read:services",
               "list:groups", "read:groups", "groups"],
}})
"""


@pytest.fixture(scope="module")
def hub(machine_lock):
    started = time.monotonic()
    # Everything the test makes lives in one folder that the accounts can reach (pytest's tmp is root-only).
    work = Path(tempfile.mkdtemp(prefix="nc-hub-"))
    os.chmod(work, 0o755)
    running = None
    try:
        accounts = {name: fresh_user(name) for name in USERS}
        sys.path.insert(0, str(HUB_DIR))
        try:
            import provision
        finally:
            sys.path.remove(str(HUB_DIR))

        # The accounts' servers need an interpreter they may execute. The venv's own often sits under /root
        # (pyenv), which they cannot enter; then provision.make_user_python copies that same Python build into
        # the test folder and makes an environment there that sees the venv's packages (about 130 MB, 5 s).
        USER_PYTHON["path"] = Path(sys.executable)
        try:
            usable = as_user(STUDENT_A, ["python", "-c", "import jupyterhub, nbgrader, netcourse"]).returncode == 0
        except PermissionError:  # the interpreter itself is out of reach
            usable = False
        if not usable:
            try:
                USER_PYTHON["path"] = provision.make_user_python(work / "user-python", SITE_PACKAGES)
            except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
                _cannot_run(f"no Python the test accounts can run: {error}")
        probed = as_user(STUDENT_A, ["python", "-c", "import jupyterhub, nbgrader, netcourse"])
        if probed.returncode != 0:
            _cannot_run(f"the test accounts cannot import the course packages: {probed.stderr[-500:]}")

        # provision.py's three steps, as root does them on a real server before the first start.
        exchange = provision.make_exchange(work / "exchange", COURSE_ID, INSTRUCTOR)
        state = provision.make_state_dir(work / "state")
        course_root = Path(accounts[INSTRUCTOR].pw_dir) / COURSE_ID
        provision.install_course(INSTRUCTOR, course_root, repo=ROOT)
        (state / "roster.csv").write_text(ROSTER)

        hub_dir = work / "hub"
        hub_dir.mkdir(mode=0o700)
        port, hub_port, api_port, fg_port = (free_port() for _ in range(4))
        driver_token, password = secrets.token_hex(32), secrets.token_hex(8)
        test_config = hub_dir / "test_config.py"
        test_config.write_text(TEST_CONFIG.format(hub_config=str(HUB_DIR / "jupyterhub_config.py"), port=port,
                                                  hub_port=hub_port, api_port=api_port, password=password,
                                                  driver_token=driver_token))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NETCOURSE"))},
            "PATH": f"{VENV_BIN}:{PROXY.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "NETCOURSE_USER_PYTHON": str(USER_PYTHON["path"]),
            "NETCOURSE_HUB_STATE_DIR": str(state),  # database, cookie secret and roster.csv live here
            "NETCOURSE_GRADER_USER": INSTRUCTOR,
            "NETCOURSE_COURSE_ROOT": str(course_root),
            "NETCOURSE_EXCHANGE_ROOT": str(exchange),
            "NETCOURSE_FORMGRADER_PORT": str(fg_port),
        }
        running = Hub(f"http://127.0.0.1:{port}", driver_token, jupyterhub_command(test_config), env, hub_dir,
                      hub_dir / "hub.log")
        running.launch()
        running.work, running.exchange, running.state, running.course_root = work, exchange, state, course_root
        running.config, running.password, running.ports = test_config, password, {"formgrader": fg_port,
                                                                                    "proxy_api": api_port}
        running.started = started
        yield running
    finally:
        if running is not None:
            running.stop()
        kill_processes_of(USERS)
        # Keep the hub's log for a failed run (test-artifacts/ is ignored by git).
        if (work / "hub" / "hub.log").exists():
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            shutil.copy(work / "hub" / "hub.log", ROOT / "test-artifacts" / "hub-e2e.log")
        for name in USERS:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


# ----------------------------------------------------------------------------------------------- helpers
def _formgrader(hub: Hub, method: str, path: str, **kwargs):
    return hub.as_user(INSTRUCTOR, method, f"/services/{COURSE_ID}/formgrader/api{path}", **kwargs)


def _formgrader_action(hub: Hub, path: str) -> dict:
    """POST a formgrader action; fail with nbgrader's whole log when it reports no success."""
    result = _formgrader(hub, "POST", path).json()
    if not result.get("success"):
        pytest.fail(f"formgrader {path} failed:\n{result.get('error', '')}\n{result.get('log', '')}")
    return result


def _student_post(hub: Hub, user: str, action: str, assignment: str) -> list[dict]:
    response = hub.as_user(
        user, "POST", f"/user/{user}/assignments/{action}",
        params={"course_id": COURSE_ID, "assignment_id": assignment},
    )
    body = response.json()
    assert body["success"], f"{user} {action}: {body}"
    return body["value"]


def _good_answers(source_nb: dict) -> dict[str, str]:
    """A strong student's answers: the solution of every code answer (markers removed) from the instructor's
    source, and for each written answer the text the sample class's best student (Ada) wrote."""
    sample = json.loads((ROOT / "tests" / "fixtures" / "sample_class" / "class.json").read_text())
    written = {gid: answer["text"] for gid, answer in sample["students"]["ada"]["answers"].items()
               if isinstance(answer, dict) and "text" in answer}
    answers = {}
    for cell in source_nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("solution"):
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            answers[meta["grade_id"]] = written[meta["grade_id"]]
        else:
            lines = [line for line in text.splitlines() if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def _workbook_points() -> tuple[int, float, float]:
    """From the instructor's source: answer cells, points the autograder decides (tests), and all points."""
    answers, auto, total = 0, 0.0, 0.0
    for path in sorted((ROOT / "source" / ASSIGNMENT).glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            answers += bool(meta.get("solution"))
            if meta.get("grade"):
                total += meta.get("points", 0)
                if cell["cell_type"] == "code" and not meta.get("solution"):
                    auto += meta.get("points", 0)
    return answers, auto, total


def _answer(source_nb: dict, student_nb: dict) -> int:
    """Fill the student's copy with good answers; returns how many answer cells were filled."""
    answers = _good_answers(source_nb)
    answered = 0
    for cell in student_nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
            answered += 1
    return answered


# ----------------------------------------------------------------------------------------------- the test
def test_course_on_hub_release_to_feedback(hub):
    assignment = ASSIGNMENT
    for user in USERS:
        hub.start_server(user)
    hub.wait_for(
        "the formgrader service",
        lambda: _formgrader(hub, "GET", "/status", expect=None).status_code == 200,
    )
    for user in USERS:
        hub.wait_for(f"{user}'s server", lambda user=user: hub.server_ready(user))

    # Groups came from the roster through load_groups.
    groups = {g["name"]: set(g["users"]) for g in hub.api("GET", "/groups")}
    assert groups[f"formgrade-{COURSE_ID}"] == {INSTRUCTOR, TA}
    assert groups[f"nbgrader-{COURSE_ID}"] == {STUDENT_A, STUDENT_B}
    # useradd left the students' homes 0755 (readable by every classmate); the hub closed them before spawning.
    assert {user: Path(pwd.getpwnam(user).pw_dir).stat().st_mode & 0o777 for user in (TA, *STUDENTS)} == \
        dict.fromkeys((TA, *STUDENTS), 0o700)

    # 1. The instructor generates and releases the workbook from the formgrader service.
    _formgrader_action(hub, f"/assignment/{assignment}/assign")
    _formgrader_action(hub, f"/assignment/{assignment}/release")
    outbound = hub.exchange / COURSE_ID / "outbound" / assignment
    released_notebooks = sorted(p.name for p in outbound.glob("*.ipynb"))
    assert released_notebooks, f"nothing released to {outbound}"
    assert "BEGIN SOLUTION" not in "".join(p.read_text() for p in outbound.glob("*.ipynb"))

    # 2. Both students fetch it in their own servers (as their own accounts).
    for user in STUDENTS:
        listing = _student_post(hub, user, "fetch", assignment)
        mine = [a for a in listing if a["assignment_id"] == assignment and a["status"] == "fetched"]
        assert mine, f"{user} has no fetched copy: {listing}"
        home = Path(pwd.getpwnam(user).pw_dir)
        fetched = home / COURSE_ID / assignment
        assert sorted(p.name for p in fetched.glob("*.ipynb")) == released_notebooks
        assert all(p.stat().st_uid == pwd.getpwnam(user).pw_uid for p in fetched.glob("*.ipynb"))

    # 3. Student A answers from the solution source and saves through the contents API; B leaves it blank.
    source_dir = hub.course_root / "source" / assignment
    answered = 0
    for name in released_notebooks:
        path = f"/user/{STUDENT_A}/api/contents/{COURSE_ID}/{assignment}/{name}"
        model = hub.as_user(STUDENT_A, "GET", path, params={"content": 1}).json()
        notebook = model["content"]
        answered += _answer(json.loads((source_dir / name).read_text()), notebook)
        hub.as_user(STUDENT_A, "PUT", path, expect=200, json={"type": "notebook", "format": "json",
                                                              "content": notebook})
    answer_cells, auto_points, max_points = _workbook_points()
    assert answered == answer_cells  # every code answer and every written one

    # 4. Both submit.
    for user in STUDENTS:
        listing = _student_post(hub, user, "submit", assignment)
        submitted = [a for a in listing if a["assignment_id"] == assignment and a["status"] == "submitted"]
        assert submitted and submitted[0]["submissions"], f"{user} sees no submission: {listing}"
    inbound = hub.exchange / COURSE_ID / "inbound"
    submissions = sorted(p.name.split("+")[0] for p in inbound.iterdir())
    assert submissions == sorted(STUDENTS)
    hub.real_submissions = {p.name.split("+")[0]: p.name for p in inbound.iterdir()}

    # 5. The instructor collects.
    _formgrader_action(hub, f"/assignment/{assignment}/collect")
    for user in STUDENTS:
        assert sorted(p.name for p in (hub.course_root / "submitted" / user / assignment).glob("*.ipynb")) == \
            released_notebooks

    # 6. Autograde with the parallel grader (`make grade`), as the instructor account in the course folder.
    grader = Path(USER_PYTHON["path"]).parent / "netcourse-grade"
    graded = as_user(
        INSTRUCTOR,
        [str(grader), assignment, "--force", "--workers=2", "--no-progress"],
        cwd=hub.course_root,
        env={**COURSE_ENV, "NETCOURSE_COURSE_ROOT": str(hub.course_root)},
        timeout=300,
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr
    for user in STUDENTS:
        assert sorted(p.name for p in (hub.course_root / "autograded" / user / assignment).glob("*.ipynb")) == \
            released_notebooks
    # The formgrader (through the hub) sees the grades the grader wrote to the gradebook.
    listed = {s["student"]: s for s in _formgrader(hub, "GET", f"/submissions/{assignment}").json()}
    assert {user: (listed[user]["score"], listed[user]["max_score"]) for user in STUDENTS} == {
        STUDENT_A: (auto_points, max_points),  # every autograded point; the written answers wait for a grader
        STUDENT_B: (0.0, max_points),
    }
    manual = {user: listed[user]["needs_manual_grade"] for user in STUDENTS}
    assert manual == {STUDENT_A: True, STUDENT_B: False}, listed

    # 7. Feedback: generate and release from the formgrader.
    _formgrader_action(hub, f"/assignment/{assignment}/generate_feedback")
    _formgrader_action(hub, f"/assignment/{assignment}/release_feedback")

    # 8. Students fetch their feedback and can open it in their own servers.
    for user in STUDENTS:
        listing = _student_post(hub, user, "fetch_feedback", assignment)
        subs = [s for a in listing if a["assignment_id"] == assignment for s in a.get("submissions", [])]
        assert any(s.get("has_local_feedback") for s in subs), f"{user} has no local feedback: {listing}"
        feedback_dir = Path(pwd.getpwnam(user).pw_dir) / COURSE_ID / assignment / "feedback"
        html_files = sorted(feedback_dir.rglob("*.html"))
        assert sorted(p.stem for p in html_files) == sorted(Path(n).stem for n in released_notebooks)
        for html in html_files:
            rel = html.relative_to(pwd.getpwnam(user).pw_dir)
            page = hub.as_user(user, "GET", f"/user/{user}/files/{rel}").text
            assert "Score:" in page or "score" in page.lower()
            # Feedback never hands out what the instructor keeps: hidden tests, marking guides, solutions markers.
            for secret in ("HIDDEN TESTS", "MARK SCHEME", "BEGIN SOLUTION"):
                assert secret not in page, f"{user}'s feedback {html.name} shows {secret}"

    # 9. Export the grades and check the final scores.
    exported = as_user(
        INSTRUCTOR,
        ["python", "-m", "nbgrader", "export", "--to", str(hub.course_root / "grades.csv")],
        cwd=hub.course_root,
        env={**COURSE_ENV, "NETCOURSE_COURSE_ROOT": str(hub.course_root)},
    )
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with (hub.course_root / "grades.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == assignment}
    scores = {user: float(rows[user]["score"]) for user in STUDENTS}
    assert scores == {STUDENT_A: auto_points, STUDENT_B: 0.0}
    assert {float(rows[user]["max_score"]) for user in STUDENTS} == {max_points}

    hub.scores = scores
    print(f"hub end-to-end: release to export in {time.monotonic() - hub.started:.1f} s, scores {scores}")


def _denied(outcomes: dict, expected: dict) -> None:
    wrong = {label: got for label, got in outcomes.items() if got != expected.get(label, "denied")}
    assert not wrong, f"student A got through: {wrong}"


def test_students_cannot_cross_the_lines(hub):
    """After the course ran, student A with a terminal: nothing of B's, the instructor's or the hub's is in reach."""
    inbound = hub.exchange / COURSE_ID / "inbound"
    course = hub.exchange / COURSE_ID
    b_submission = inbound / hub.real_submissions[STUDENT_B]
    b_notebook = next(b_submission.glob("*.ipynb"))
    b_home = Path(pwd.getpwnam(STUDENT_B).pw_dir)
    source = next((hub.course_root / "source" / ASSIGNMENT).glob("*.ipynb"))
    fg = f"http://127.0.0.1:{hub.ports['formgrader']}/services/{COURSE_ID}/formgrader/api/status"
    steps = [
        # reading
        ["B's submission in the exchange", "read", b_notebook],
        ["the inbound listing", "read", inbound],
        ["the feedback listing", "read", course / "feedback"],
        ["the instructor's source with solutions", "read", source],
        ["the gradebook", "read", hub.course_root / "gradebook.db"],
        ["B's home", "read", b_home],
        ["B's fetched copy at home", "read", next((b_home / COURSE_ID / ASSIGNMENT).glob("*.ipynb"))],
        ["the hub's database", "read", hub.state / "jupyterhub.sqlite"],
        ["the hub's cookie secret", "read", hub.state / "jupyterhub_cookie_secret"],
        ["the roster", "read", hub.state / "roster.csv"],
        # changing what others fetch, submit or get back
        ["a file in the release", "write", course / "outbound" / ASSIGNMENT / "extra.ipynb"],
        ["a fake feedback page", "write", course / "feedback" / "0123abcd.html"],
        ["a folder in the course folder", "mkdir", course / "sneaky"],
        ["squatting inbound again", "mkdir", inbound],
        ["renaming the course folder", "rename", course, hub.exchange / "mine"],
        ["renaming B's submission (name known)", "rename", b_submission, inbound / "gone"],
        ["removing B's submission (name known)", "rmtree", b_submission],
        # the formgrader's own port and the proxy's API, straight from a terminal, past the proxy
        ["the formgrader's port with A's token", "http", fg, hub.token_for(STUDENT_A)],
        ["the formgrader's port without a token", "http", fg, ""],
        ["the proxy's API", "http", f"http://127.0.0.1:{hub.ports['proxy_api']}/api/routes", ""],
    ]
    outcomes = probe(STUDENT_A, steps)
    _denied(outcomes, {"squatting inbound again": "exists", "the formgrader's port with A's token": 403,
                       "the formgrader's port without a token": 302, "the proxy's API": 403,
                       "renaming the course folder": "denied"})
    assert b_submission.is_dir() and (course / "outbound" / ASSIGNMENT).is_dir()

    # The refusals are about who asks: A reads A's own submission, the instructor B's.
    own = next((inbound / hub.real_submissions[STUDENT_A]).glob("*.ipynb"))
    assert probe(STUDENT_A, [["own", "read", own]]) == {"own": "ok"}
    assert probe(INSTRUCTOR, [["B's", "read", b_notebook]]) == {"B's": "ok"}
    # The submission files are closed to others by mode, not only by the secret folder name.
    assert (b_notebook.stat().st_mode & 0o007) == 0 and (b_submission.stat().st_mode & 0o007) == 0

    # Through the hub: A's token cannot open B's server or the formgrader service.
    assert hub.as_user(STUDENT_A, "GET", f"/user/{STUDENT_B}/api/contents", expect=None).status_code in (403, 404)
    response = hub.as_user(STUDENT_A, "GET", f"/services/{COURSE_ID}/formgrader/api/status", expect=None,
                           allow_redirects=False)
    assert response.status_code in (302, 403), response.status_code

    # Course membership is the hub group: out of nbgrader-<course>, B's server no longer lists the course.
    def b_sees_course() -> bool:
        listing = hub.as_user(STUDENT_B, "GET", f"/user/{STUDENT_B}/assignments", params={"course_id": COURSE_ID})
        return any(a["course_id"] == COURSE_ID for a in listing.json()["value"])

    assert b_sees_course()
    group_users = f"/groups/nbgrader-{COURSE_ID}/users"
    hub.api("DELETE", group_users, json={"users": [STUDENT_B]})
    try:
        assert not b_sees_course()
    finally:
        hub.api("POST", group_users, json={"users": [STUDENT_B]})
    assert b_sees_course()

    # Students' servers do not carry the formgrader at all.
    assert hub.as_user(STUDENT_A, "GET", f"/user/{STUDENT_A}/formgrader/api/status", expect=None).status_code == 404


def _utc_stamp(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


FORGE = r"""
import os, shutil, sys
own, inbound, solution = sys.argv[1:4]
def forge(name, stamp, link=False):
    folder = os.path.join(inbound, name)
    os.mkdir(folder)
    for entry in os.listdir(own):
        if entry.endswith(".ipynb"):
            if link:
                os.symlink(solution, os.path.join(folder, entry))
            else:
                shutil.copyfile(os.path.join(own, entry), os.path.join(folder, entry))
    open(os.path.join(folder, "timestamp.txt"), "w").write(stamp)
for spec in sys.argv[4:]:
    name, stamp, link = spec.split("|")
    forge(name, stamp, link == "link")
"""


def test_forged_and_doctored_submissions_are_refused_at_collect(hub):
    """Student A forges B's submission (by hand and with nbgrader submit --student), dates one in 2099, links the
    solution into one of A's own, back-dates another and misnames one; the instructor's collect refuses each by
    name and both students' real submissions stay the ones collected."""
    inbound = hub.exchange / COURSE_ID / "inbound"
    a_home = Path(pwd.getpwnam(STUDENT_A).pw_dir)
    a_copy = a_home / COURSE_ID / ASSIGNMENT
    solution = next((hub.course_root / "source" / ASSIGNMENT).glob("*.ipynb"))
    forged = {
        "B, 2099": (f"{STUDENT_B}+{ASSIGNMENT}+2099-01-01 00:00:00.000000 UTC+forged", "2099-01-01 00:00:00.000000 UTC",
                    "copy"),
        "A, 2099": (f"{STUDENT_A}+{ASSIGNMENT}+2099-06-01 00:00:00.000000 UTC+future",
                    "2099-06-01 00:00:00.000000 UTC", "copy"),
        "A, linked solution": (f"{STUDENT_A}+{ASSIGNMENT}+{_utc_stamp()}+linked", _utc_stamp(), "link"),
        "A, back-dated": (f"{STUDENT_A}+{ASSIGNMENT}+{_utc_stamp(timedelta(hours=-1))}+late",
                          _utc_stamp(timedelta(hours=-1)), "copy"),
        "A, misnamed": (f"{STUDENT_A}+{ASSIGNMENT}+tomorrow+x", "tomorrow", "copy"),
    }
    made = as_user(STUDENT_A, ["python", "-c", FORGE, str(a_copy), str(inbound), str(solution),
                               *("|".join(spec) for spec in forged.values())])
    assert made.returncode == 0, made.stderr
    # nbgrader's own door for it: submit --student <classmate>, from A's server's settings.
    submit = as_user(STUDENT_A, ["python", "-m", "nbgrader", "submit", ASSIGNMENT, "--student", STUDENT_B],
                     env={"JUPYTER_CONFIG_PATH": f"{HUB_DIR / 'jupyter' / 'student'}:{HUB_DIR / 'jupyter' / 'common'}",
                          "NETCOURSE_COURSE_ID": COURSE_ID, "NETCOURSE_EXCHANGE_ROOT": str(hub.exchange)})
    assert submit.returncode == 0, submit.stdout + submit.stderr
    forged_by_submit = [p.name for p in inbound.glob(f"{STUDENT_B}+*") if p.name != hub.real_submissions[STUDENT_B]
                        and not p.name.endswith("+forged")]
    assert len(forged_by_submit) == 1

    result = _formgrader_action(hub, f"/assignment/{ASSIGNMENT}/collect")
    log = result.get("log", "")
    expected = {
        f"{STUDENT_B}: files owned by {STUDENT_A} ({forged['B, 2099'][0]})",
        f"{STUDENT_B}: files owned by {STUDENT_A} ({forged_by_submit[0]})",
        f"{STUDENT_A}: dated 2099-06-01 00:00:00 UTC, in the future ({forged['A, 2099'][0]})",
        f"{STUDENT_A}: {solution.name} is a symbolic link ({forged['A, linked solution'][0]})",
        f"{STUDENT_A}: the timestamp 'tomorrow' is not a date ({forged['A, misnamed'][0]})",
    }
    for line in expected:
        assert f"Not collected: {line}" in log, f"{line!r} not reported:\n{log}"
    assert f"{STUDENT_A}: " in log and "after its submission time" in log  # the back-dated one
    for user in STUDENTS:
        collected = hub.course_root / "submitted" / user / ASSIGNMENT / "timestamp.txt"
        real = (inbound / hub.real_submissions[user] / "timestamp.txt").read_text()
        assert collected.read_text() == real, f"{user}'s collected submission is not their own"
    assert "BEGIN SOLUTION" not in "".join(p.read_text() for p in
                                           (hub.course_root / "submitted" / STUDENT_A / ASSIGNMENT).glob("*.ipynb"))


def test_a_ta_grades_but_cannot_manage(hub):
    """A TA reads the formgrader and scores, comments and flags; releasing, collecting, editing the source or
    the course's config, adding students, kernels, terminals and JupyterLab stay the instructors'."""
    fg = f"/services/{COURSE_ID}"
    notebook = next((hub.course_root / "release" / ASSIGNMENT).glob("*.ipynb")).stem
    listed = hub.as_user(TA, "GET", f"{fg}/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{notebook}").json()
    a_notebook = next(n for n in listed if n["student"] == STUDENT_A)
    grades = hub.as_user(TA, "GET", f"{fg}/formgrader/api/grades", params={"submission_id": a_notebook["id"]}).json()
    written = next(g for g in grades if g["auto_score"] is None)
    scored = hub.as_user(TA, "PUT", f"{fg}/formgrader/api/grade/{written['id']}", json={"manual_score": 1}).json()
    assert scored["manual_score"] == 1
    comments = hub.as_user(TA, "GET", f"{fg}/formgrader/api/comments",
                           params={"submission_id": a_notebook["id"]}).json()
    comment = hub.as_user(TA, "PUT", f"{fg}/formgrader/api/comment/{comments[0]['id']}",
                          json={"manual_comment": "Clear and specific."}).json()
    assert comment["manual_comment"] == "Clear and specific."
    flagged = hub.as_user(TA, "POST", f"{fg}/formgrader/api/submitted_notebook/{a_notebook['id']}/flag").json()
    assert flagged["flagged"] is True

    refused = [
        ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/release"),
        ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/collect"),
        ("POST", f"/formgrader/api/assignment/{ASSIGNMENT}/release_feedback"),
        ("POST", f"/formgrader/api/submission/{ASSIGNMENT}/{STUDENT_A}/autograde"),
        ("PUT", f"/formgrader/api/assignment/{ASSIGNMENT}"),
        ("PUT", "/formgrader/api/student/nc-new-student"),
        ("GET", f"/api/contents/source/{ASSIGNMENT}"),
        ("PUT", f"/api/contents/source/{ASSIGNMENT}/{notebook}.ipynb"),
        ("GET", "/api/contents/gradebook.db"),
        ("POST", "/api/kernels"),
        ("POST", "/api/terminals"),
        ("GET", "/lab"),
        ("GET", f"/formgrader/submissions/{a_notebook['id']}/../../../source/{ASSIGNMENT}/{notebook}.ipynb"),
    ]
    got = {f"{m} {p}": hub.as_user(TA, m, f"{fg}{p}", expect=None, json={}, allow_redirects=False).status_code
           for m, p in refused}
    assert set(got.values()) == {403}, got
    # ... which the instructor may (so the 403s are about the role, not broken paths).
    assert hub.as_user(INSTRUCTOR, "GET", f"{fg}/api/contents/source/{ASSIGNMENT}").status_code == 200

    # In a browser (OAuth to the service, scopes from the roles): the TA's pages open, JupyterLab does not.
    browser = hub.browser_login(TA, hub.password)
    page = browser.get(f"{hub.base}{fg}/formgrader/gradebook", timeout=60)
    assert page.status_code == 200 and "formgrade" in page.text.lower(), (page.status_code, page.url)
    assert browser.get(f"{hub.base}{fg}/lab", timeout=60).status_code == 403
    student = hub.browser_login(STUDENT_A, hub.password)
    assert student.get(f"{hub.base}{fg}/formgrader/gradebook", timeout=60).status_code == 403


def test_a_squatted_exchange_stops_the_hub(hub):
    """Before provision.py, a student could create the course's folders first; the hub now refuses to start on
    such an exchange, and on the provisioned one the student cannot get in."""
    fresh = hub.work / "unprovisioned-exchange"
    fresh.mkdir()
    os.chmod(fresh, 0o1777)
    course = fresh / COURSE_ID
    outcomes = probe(STUDENT_A, [[name, "mkdir", course / name if name else course]
                                 for name in ("", "inbound", "outbound", "feedback")])
    assert set(outcomes.values()) == {"ok"}, outcomes  # the attack itself, on an exchange nobody provisioned
    refused = subprocess.run(hub.command, env={**hub.env, "NETCOURSE_EXCHANGE_ROOT": str(fresh)}, cwd=hub.cwd,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert f"{course} is owned by {STUDENT_A}, not the grader {INSTRUCTOR}" in said, said[-2000:]
    assert "Traceback" not in said


def test_the_roster_takes_access_away_at_restart(hub):
    """The TA is demoted to student and B leaves the course: after a restart (servers kept running) the TA has no
    formgrader, no old token and no server of the old role; B is blocked and B's server stopped; A is untouched."""
    fg_status = f"/services/{COURSE_ID}/formgrader/api/status"
    ta_token, b_token = hub.token_for(TA), hub.token_for(STUDENT_B)
    assert hub.as_user(TA, "GET", fg_status).status_code == 200
    assert all(hub.server_ready(user) for user in (TA, STUDENT_A, STUDENT_B))

    (hub.state / "roster.csv").write_text(
        f"username,role\n{INSTRUCTOR},instructor\n{TA},student\n{STUDENT_A},student\n")
    hub.stop()
    hub.tokens.clear()
    hub.launch()
    hub.wait_for("the formgrader service", lambda: hub.as_user(INSTRUCTOR, "GET", fg_status, expect=None).ok)

    groups = {g["name"]: set(g["users"]) for g in hub.api("GET", "/groups")}
    assert groups[f"formgrade-{COURSE_ID}"] == {INSTRUCTOR}
    assert groups[f"nbgrader-{COURSE_ID}"] == {TA, STUDENT_A}
    # The old token is revoked (sent to log in again); a new one has no formgrader.
    old = hub.as_user(TA, "GET", fg_status, token=ta_token, expect=None, allow_redirects=False)
    assert old.status_code == 302 and "/hub/api/oauth2/authorize" in old.headers["Location"]
    assert hub.as_user(TA, "GET", fg_status, expect=None, allow_redirects=False).status_code == 403
    hub.wait_for("the TA's and B's servers to stop",
                 lambda: not hub.api("GET", f"/users/{TA}")["servers"] and not hub.api("GET", f"/users/{STUDENT_B}")
                 ["servers"], timeout=60)
    assert hub.server_ready(STUDENT_A)
    assert hub.as_user(STUDENT_A, "GET", f"/user/{STUDENT_A}/api/contents").status_code == 200
    # B: the old token opens nothing and the login form refuses B.
    assert hub.as_user(STUDENT_B, "GET", "/hub/api/user", token=b_token, expect=None).status_code == 403
    def home_page(user: str) -> int:
        session = hub.browser_login(user, hub.password)
        return session.get(f"{hub.base}/hub/home", timeout=30, allow_redirects=False).status_code

    assert (home_page(STUDENT_A), home_page(STUDENT_B)) == (200, 302)  # B is sent back to the login page
    assert not hub.api("GET", f"/users/{STUDENT_B}")["roles"]
    print(f"hub end-to-end with attacks and a restart: {time.monotonic() - hub.started:.1f} s")
