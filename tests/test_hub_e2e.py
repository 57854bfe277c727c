"""The whole course on a real JupyterHub, release to feedback, with real Unix accounts (needs root).

One module-scoped hub: JupyterHub on 127.0.0.1 with configurable-http-proxy (from `make hub-deps`), the course's
autograder/hub/jupyterhub_config.py loaded unchanged plus test-only settings (loopback ports, temporary database,
DummyAuthenticator, an API token for this driver), LocalProcessSpawner starting each user's server as that user,
and the formgrader as a hub service run as the instructor account in its private course folder.

Every step goes through the same doors a person uses: the instructor through the formgrader service behind the
hub (generate, release, collect, feedback), students through their own servers' nbgrader and contents APIs
(fetch, answer, save, submit, fetch feedback). Autograding and the grade export run as the instructor account in a
shell, the way `make grade` runs the parallel grader. Then the permission tests try to cross the lines as a student.

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
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, free_port

pytestmark = pytest.mark.slow

requests = pytest.importorskip("requests")

HUB_DIR = ROOT / "autograder" / "hub"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent
SITE_PACKAGES = Path(next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)))
COURSE_ID = "networking-101"  # autograder/nbgrader_config.py; test_hub_config.py checks the hub agrees
ASSIGNMENT = "networking-workbook"
COURSE_ENV = {"JUPYTER_CONFIG_PATH": str(ROOT / "autograder")}  # the course's nbgrader config, as `make grade`
INSTRUCTOR = "nc-instructor"
STUDENT_A = "nc-student-a"  # answers well
STUDENT_B = "nc-student-b"  # hands in the blank workbook
USERS = (INSTRUCTOR, STUDENT_A, STUDENT_B)
STUDENTS = (STUDENT_A, STUDENT_B)
STEP_TIMEOUT = 120
USER_PYTHON: dict[str, Path] = {}  # filled by the hub fixture


def _skip_reason() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the hub test creates real Unix accounts and spawns servers as them: run it as root (CI does)"
    for tool in ("useradd", "userdel"):
        if not shutil.which(tool):
            return f"{tool} is missing: the hub test needs real local accounts"
    if not PROXY.exists():
        return f"configurable-http-proxy is not installed at {PROXY}: run `make hub-deps`"
    return None


_REASON = _skip_reason()
if _REASON and os.environ.get("NETCOURSE_REQUIRE_HUB") == "1":
    # CI (.ci/run) sets this: there a missing prerequisite must fail the run, not hide the test.
    pytest.fail(f"NETCOURSE_REQUIRE_HUB=1 but the hub test cannot run: {_REASON}", pytrace=False)
if _REASON:
    pytest.skip(_REASON, allow_module_level=True)


# ----------------------------------------------------------------------------------------------- accounts
def _fresh_user(name: str) -> pwd.struct_passwd:
    """A new account with an empty home (an account left by an interrupted run is removed first)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        pass
    else:
        _kill_processes_of((name,))
        subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    account = pwd.getpwnam(name)
    # A private home: nobody else can even look inside (the default on many systems is 0755).
    os.chmod(account.pw_dir, 0o700)
    return account


def _as_user(name: str, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command as a real account: its uid, its primary and supplementary groups, its home.

    ``args[0] == "python"`` means the interpreter every account can run (see the ``user_python`` fixture).
    """
    account = pwd.getpwnam(name)
    if args and args[0] == "python":
        args = [str(USER_PYTHON["path"]), *args[1:]]
    env = {
        "HOME": account.pw_dir,
        "USER": name,
        "LOGNAME": name,
        "PATH": f"{Path(USER_PYTHON['path']).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        **kwargs.pop("env", {}),
    }
    groups = os.getgrouplist(name, account.pw_gid)
    return subprocess.run(
        args,
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=groups,
        env=env,
        cwd=kwargs.pop("cwd", account.pw_dir),
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", STEP_TIMEOUT),
        **kwargs,
    )


def _kill_processes_of(names: tuple[str, ...]) -> None:
    """Stop anything still running as the test's own accounts (servers the hub failed to stop), by pid."""
    import psutil

    for proc in psutil.process_iter(["pid", "username"]):
        if proc.info["username"] in names:
            try:
                proc.kill()
            except psutil.Error:
                pass


# ----------------------------------------------------------------------------------------------- the hub
class Hub:
    """A running JupyterHub and the calls the test makes through it."""

    def __init__(self, base: str, driver_token: str, process: subprocess.Popen, log: Path):
        self.base = base
        self.driver = {"Authorization": f"token {driver_token}"}
        self.process = process
        self.log = log
        self.tokens: dict[str, str] = {}

    def api(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.base}/hub/api{path}", headers=self.driver, timeout=30, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.status_code} {response.text}\n{self.tail()}"
        return response.json() if response.content else None

    def token_for(self, user: str) -> str:
        if user not in self.tokens:
            made = self.api("POST", f"/users/{user}/tokens", json={"note": "e2e test", "expires_in": 3600})
            self.tokens[user] = made["token"]
        return self.tokens[user]

    def as_user(self, user: str, method: str, path: str, expect: int | None = 200, **kwargs):
        headers = {"Authorization": f"token {self.token_for(user)}"}
        response = requests.request(method, f"{self.base}{path}", headers=headers, timeout=STEP_TIMEOUT, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (
                f"{user} {method} {path}: {response.status_code} {response.text[:2000]}\n{self.tail()}"
            )
        return response

    def wait_for(self, what: str, check, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"JupyterHub exited while waiting for {what}\n{self.tail()}")
            try:
                if check():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}\n{self.tail()}")

    def start_server(self, user: str) -> None:
        requests.post(f"{self.base}/hub/api/users/{user}/server", headers=self.driver, timeout=30)

    def server_ready(self, user: str) -> bool:
        model = self.api("GET", f"/users/{user}")
        server = model.get("servers", {}).get("")
        return bool(server and server.get("ready"))

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "--- hub log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])


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


@pytest.fixture(scope="module")
def hub(machine_lock):
    started = time.monotonic()
    # Everything the test makes lives in one folder that the accounts can reach (pytest's tmp is root-only).
    work = Path(tempfile.mkdtemp(prefix="nc-hub-"))
    os.chmod(work, 0o755)
    process = None
    try:
        accounts = {name: _fresh_user(name) for name in USERS}
        sys.path.insert(0, str(HUB_DIR))
        try:
            import provision
        finally:
            sys.path.remove(str(HUB_DIR))

        # The accounts' servers read the course's files (hub profiles, nbgrader config, the package) in place.
        closed = [str(folder) for folder in [*reversed(ROOT.parents), ROOT] if not folder.stat().st_mode & 0o001]
        if closed:
            pytest.skip(f"other accounts cannot enter {closed[0]}, so the hub's servers cannot read the course: "
                        "clone the repository into a folder everyone may traverse (o+x)")
        # The accounts' servers need an interpreter they may execute. The venv's own often sits under /root
        # (pyenv), which they cannot enter; then provision.make_user_python copies that same Python build into
        # the test folder and makes an environment there that sees the venv's packages (about 130 MB, 5 s).
        USER_PYTHON["path"] = Path(sys.executable)
        try:
            usable = _as_user(STUDENT_A, ["python", "-c", "import jupyterhub, nbgrader, netcourse"]).returncode == 0
        except PermissionError:  # the interpreter itself is out of reach
            usable = False
        if not usable:
            try:
                USER_PYTHON["path"] = provision.make_user_python(work / "user-python", SITE_PACKAGES)
            except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
                pytest.skip(f"no Python the test accounts can run: {error}")
        probe = _as_user(STUDENT_A, ["python", "-c", "import jupyterhub, nbgrader, netcourse"])
        assert probe.returncode == 0, f"the test accounts cannot import the course packages: {probe.stderr[-500:]}"

        exchange = provision.make_exchange(work / "exchange")
        course_root = Path(accounts[INSTRUCTOR].pw_dir) / COURSE_ID
        provision.install_course(INSTRUCTOR, course_root, repo=ROOT)

        roster = work / "roster.csv"
        roster.write_text(f"username,role\n{INSTRUCTOR},instructor\n{STUDENT_A},student\n{STUDENT_B},student\n")

        hub_dir = work / "hub"
        hub_dir.mkdir(mode=0o700)
        port, hub_port, api_port, fg_port = (free_port() for _ in range(4))
        driver_token = secrets.token_hex(32)
        test_config = hub_dir / "test_config.py"
        test_config.write_text(
            f"""
c = get_config()
load_subconfig({str(HUB_DIR / 'jupyterhub_config.py')!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {secrets.token_hex(8)!r}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.Spawner.interrupt_timeout = 4  # a quicker shutdown at the end of the test
c.JupyterHub.services.append({{"name": "e2e-driver", "api_token": {driver_token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "e2e-driver",
    "services": ["e2e-driver"],
    "scopes": ["admin:users", "admin:servers", "tokens", "list:services", "read:services",
               "list:groups", "read:groups", "groups"],
}})
"""
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NETCOURSE"))},
            "PATH": f"{VENV_BIN}:{PROXY.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "NETCOURSE_USER_PYTHON": str(USER_PYTHON["path"]),
            "NETCOURSE_ROSTER": str(roster),
            "NETCOURSE_GRADER_USER": INSTRUCTOR,
            "NETCOURSE_COURSE_ROOT": str(course_root),
            "NETCOURSE_EXCHANGE_ROOT": str(exchange),
            "NETCOURSE_FORMGRADER_PORT": str(fg_port),
            "NETCOURSE_HUB_DB_URL": f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}",
            "NETCOURSE_HUB_COOKIE_SECRET_FILE": str(hub_dir / "cookie_secret"),
        }
        log = hub_dir / "hub.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(test_config)],
                cwd=hub_dir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        running = Hub(f"http://127.0.0.1:{port}", driver_token, process, log)
        running.wait_for("the hub API", lambda: requests.get(f"{running.base}/hub/api", timeout=5).ok)
        running.work = work
        running.exchange = exchange
        running.course_root = course_root
        running.started = started
        yield running
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        _kill_processes_of(USERS)
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
    assert groups[f"formgrade-{COURSE_ID}"] == {INSTRUCTOR}
    assert groups[f"nbgrader-{COURSE_ID}"] == {STUDENT_A, STUDENT_B}

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
    assert answered == 12  # 8 code answers, 4 written ones

    # 4. Both submit.
    for user in STUDENTS:
        listing = _student_post(hub, user, "submit", assignment)
        submitted = [a for a in listing if a["assignment_id"] == assignment and a["status"] == "submitted"]
        assert submitted and submitted[0]["submissions"], f"{user} sees no submission: {listing}"
    inbound = hub.exchange / COURSE_ID / "inbound"
    submissions = sorted(p.name.split("+")[0] for p in inbound.iterdir())
    assert submissions == sorted(STUDENTS)

    # 5. The instructor collects.
    _formgrader_action(hub, f"/assignment/{assignment}/collect")
    for user in STUDENTS:
        assert sorted(p.name for p in (hub.course_root / "submitted" / user / assignment).glob("*.ipynb")) == \
            released_notebooks

    # 6. Autograde with the parallel grader (`make grade`), as the instructor account in the course folder.
    grader = Path(USER_PYTHON["path"]).parent / "netcourse-grade"
    graded = _as_user(
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
        STUDENT_A: (24.0, 40.0),  # every autograded point (8 + 16); the 16 written points wait for a grader
        STUDENT_B: (0.0, 40.0),
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
    exported = _as_user(
        INSTRUCTOR,
        ["python", "-m", "nbgrader", "export", "--to", str(hub.course_root / "grades.csv")],
        cwd=hub.course_root,
        env={**COURSE_ENV, "NETCOURSE_COURSE_ROOT": str(hub.course_root)},
    )
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with (hub.course_root / "grades.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == assignment}
    scores = {user: float(rows[user]["score"]) for user in STUDENTS}
    assert scores == {STUDENT_A: 24.0, STUDENT_B: 0.0}
    assert {float(rows[user]["max_score"]) for user in STUDENTS} == {40.0}

    hub.scores = scores
    print(f"hub end-to-end: release to export in {time.monotonic() - hub.started:.1f} s, scores {scores}")


def test_students_cannot_cross_the_lines(hub):
    """After the course ran: one student cannot read another's submission, the solutions or the gradebook."""
    assignment = ASSIGNMENT
    inbound = hub.exchange / COURSE_ID / "inbound"
    theirs = [p for p in inbound.iterdir() if p.name.startswith(STUDENT_B + "+")]
    assert theirs, "student B's submission is missing from the exchange"
    b_notebook = next(theirs[0].glob("*.ipynb"))
    targets = {
        "B's submission in the exchange": b_notebook,
        "the exchange inbound listing": inbound,
        "the instructor's source with solutions": next((hub.course_root / "source" / assignment).glob("*.ipynb")),
        "the gradebook": hub.course_root / "gradebook.db",
        "B's fetched copy at home": next(
            (Path(pwd.getpwnam(STUDENT_B).pw_dir) / COURSE_ID / assignment).glob("*.ipynb")
        ),
    }
    for target in targets.values():
        assert target.exists()
    probe = (
        "import os, sys\n"
        "p = sys.argv[1]\n"
        "try:\n"
        "    os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1)\n"
        "except PermissionError:\n"
        "    sys.exit(13)\n"
        "print('READ', p)\n"
    )
    for what, target in targets.items():
        result = _as_user(STUDENT_A, ["python", "-c", probe, str(target)])
        assert result.returncode == 13, f"student A could read {what} ({target}): {result.stdout}{result.stderr}"

    # Student A can still read A's own submission, and the instructor account reads both (the refusals above
    # are about who is asking, not broken files).
    own = next(p for p in inbound.iterdir() if p.name.startswith(STUDENT_A + "+"))
    assert _as_user(STUDENT_A, ["python", "-c", probe, str(next(own.glob("*.ipynb")))]).returncode == 0
    assert _as_user(INSTRUCTOR, ["python", "-c", probe, str(b_notebook)]).returncode == 0

    # The submission files are closed to others by mode, not only by the secret folder name.
    assert (b_notebook.stat().st_mode & 0o007) == 0
    assert (theirs[0].stat().st_mode & 0o007) == 0

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
