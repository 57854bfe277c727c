"""Who may do what on the course hub: the roster at every start, TAs and instructors, the Kubernetes values."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hub_configs import (
    COURSE_ID,
    HUB_DIR,
    hub_code,
    hub_database,
    load_hub_config,
    server_extensions,
    z2jh,
)
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def run_async(coroutine):
    """asyncio.run in a thread of its own: the browser tests' sync Playwright leaves an event loop running in
    the main thread of the same pytest process, where asyncio.run refuses to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_z2jh_values_match_the_course_and_the_install_command():
    values = z2jh()
    hub, single = values["hub"], values["singleuser"]
    assert hub["config"]["Authenticator"]["allow_existing_users"] is False
    assert "load_groups" not in hub["config"].get("JupyterHub", {})  # from the roster, at every start
    for name, code in hub["extraConfig"].items():
        compile(code, f"extraConfig.{name}", "exec")
    assert single["extraEnv"]["NETCOURSE_COURSE_ID"] == COURSE_ID
    exchange_root = single["extraEnv"]["NETCOURSE_EXCHANGE_ROOT"]
    assert exchange_root in {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert {(m["mountPath"], m.get("readOnly")) for m in hub["extraVolumeMounts"]} == {(exchange_root, True)}
    assert values["cull"]["enabled"] is True

    # The exchange is provisioned by root before the hub starts, for the grader uid/gid the extraConfig uses.
    (init,) = hub["initContainers"]
    assert init["securityContext"]["runAsUser"] == 0
    assert init["image"] == f"{single['image']['name']}:{single['image']['tag']}"
    assert init["command"][1] == "/home/jovyan/autograder/hub/provision.py"
    assert {"--exchange-only", "--grader=5001:5000", f"--course-id={COURSE_ID}",
            f"--exchange={exchange_root}"} <= set(init["command"])
    assert "GRADER_UID, STAFF_GID, STUDENT_GID = 5001, 5000, 100" in hub["extraConfig"]["netcourse-course"]

    # Every extraFiles entry is filled by a --set-file in the README's install command, from a file that exists
    # (the roster from the site's own file, never from the repository).
    readme = (HUB_DIR / "README.md").read_text()
    filled = {(part, name): path for part, name, path in
              re.findall(r"--set-file (hub|singleuser)\.extraFiles\.([\w-]+)\.stringData=(\S+)", readme)}
    assert set(filled) == {("hub", n) for n in hub["extraFiles"]} | {("singleuser", n) for n in single["extraFiles"]}
    for (part, name), path in filled.items():
        if name == "netcourse-roster":
            assert not path.startswith("$"), "the roster comes from the site, not the repository"
            continue
        source = HUB_DIR / path.replace("$H/", "")
        assert path.startswith("$H/") and source.is_file(), (name, path)
        mount = (hub if part == "hub" else single)["extraFiles"][name]["mountPath"]
        if part == "singleuser" and path.startswith("$H/jupyter/"):
            assert mount == f"/etc/netcourse/{path[3:]}"
        assert Path(mount).name == source.name


def test_z2jh_extra_config_applies_the_roster_and_checks_the_exchange(monkeypatch, tmp_path):
    """Run the values' extraConfig as the chart's hub would, with KubeSpawner and the mounted files stood in."""
    import sys
    import types

    from jupyterhub.spawner import LocalProcessSpawner

    coursehub = hub_code()
    fake = types.ModuleType("kubespawner")
    fake.KubeSpawner = type("KubeSpawner", (LocalProcessSpawner,), {})
    monkeypatch.setitem(sys.modules, "kubespawner", fake)
    checked = []
    monkeypatch.setattr(coursehub.exchange, "check_exchange", lambda *args: checked.append(args) or [])
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("username,role\nprof-lee,instructor\nta-kim,grader\nsam,student\nrio,student\n")
    real_read = coursehub.roster.read_roster
    monkeypatch.setattr(coursehub.roster, "read_roster", lambda path, grader: real_read(roster_file, grader))
    c = Config()
    c.JupyterHub.db_url = hub_database(tmp_path / "jupyterhub.sqlite")
    exec(z2jh()["hub"]["extraConfig"]["netcourse-course"], {"c": c})

    assert checked == [("/srv/nbgrader/exchange", COURSE_ID, "5001:5000")]
    assert c.Authenticator.blocked_users == {"gone"}
    assert c.JupyterHub.load_groups[f"formgrade-{COURSE_ID}"]["users"] == sorted(["grader-networking-101",
                                                                                   "prof-lee", "ta-kim"])
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    graders = roles[f"{COURSE_ID}-graders"]
    assert graders["users"] == ["ta-kim"] and MANAGE not in graders["scopes"]
    assert MANAGE in roles[f"{COURSE_ID}-instructors"]["scopes"]
    assert issubclass(c.JupyterHub.spawner_class, coursehub.roster.RosterRoleMixin)

    def spawner(name, uid):
        return SimpleNamespace(user=SimpleNamespace(name=name, id=uid), environment={})

    grader, student = spawner("grader-networking-101", 1), spawner("sam", 7)
    assert (c.KubeSpawner.uid(grader), c.KubeSpawner.uid(student)) == (5001, 10007)
    assert (c.KubeSpawner.gid(grader), c.KubeSpawner.gid(student)) == (5000, 100)
    assert c.KubeSpawner.oauth_client_allowed_scopes(grader) == [GRADE, MANAGE]
    c.KubeSpawner.pre_spawn_hook(student)
    assert student.environment["JUPYTER_CONFIG_PATH"].startswith("/etc/netcourse/jupyter/student:")
    c.KubeSpawner.pre_spawn_hook(grader)
    assert grader.environment["JUPYTER_CONFIG_PATH"].startswith("/etc/netcourse/jupyter/formgrader:")
    with pytest.raises(PermissionError):
        c.KubeSpawner.pre_spawn_hook(spawner("gone", 9))

    monkeypatch.setattr(coursehub.exchange, "check_exchange", lambda *args: ["/srv/x is owned by 10042"])
    with pytest.raises(SystemExit, match="owned by 10042"):
        exec(z2jh()["hub"]["extraConfig"]["netcourse-course"], {"c": Config()})


# ----------------------------------------------------------------------------------------------- the roster


def test_roster_plan_blocks_the_departed_and_demotes_staff():
    coursehub = hub_code()
    roster = coursehub.roster.Roster(frozenset({"prof"}), frozenset(), frozenset({"sam", "ta-kim"}), "grader")
    groups = coursehub.roster.course_groups(roster, "staff", "students")
    plan = coursehub.roster.plan(roster, groups, {"prof", "sam", "ta-kim", "gone"},
                                 {"staff": {"ta-kim", "prof"}, "students": {"sam", "gone"}}, {"ta-kim", "prof"})
    assert plan.blocked == {"gone"}
    assert plan.leave == {"staff": {"ta-kim"}, "students": {"gone"}}
    assert plan.revoke_tokens == {"ta-kim", "gone"}
    assert roster.role_of("ta-kim") == "student" and roster.role_of("grader") == "instructor"
    assert roster.role_of("gone") is None


def test_roster_is_the_truth_at_start(monkeypatch, tmp_path):
    """A TA demoted to student and a student who left: out of the groups, tokens gone, the leaver blocked."""
    from jupyterhub import orm

    url = hub_database(tmp_path / "jupyterhub.sqlite")
    c = load_hub_config(monkeypatch, tmp_path, roster="username,role\nprof-lee,instructor\nta-kim,student\n"
                        "sam,student\nrio,student\n", NETCOURSE_HUB_DB_URL=url)
    assert c.Authenticator.blocked_users == {"gone"}
    db = orm.new_session_factory(url)()
    members = {g.name: sorted(u.name for u in g.users) for g in db.query(orm.Group)}
    assert members == {f"formgrade-{COURSE_ID}": [], f"nbgrader-{COURSE_ID}": ["rio", "sam"]}
    tokens = {user.name: len(user.api_tokens) for user in db.query(orm.User)}
    assert tokens == {"ta-kim": 0, "sam": 1, "rio": 0, "gone": 0}
    db.close()
    assert "ta-kim" not in c.JupyterHub.load_groups[f"formgrade-{COURSE_ID}"]["users"]


def test_a_server_started_in_another_role_is_stopped():

    coursehub = hub_code()

    class Base:
        environment: dict = {}

        def __init__(self, name, running=True):
            self.user = SimpleNamespace(name=name)
            self.running = running
            self.log = SimpleNamespace(warning=lambda *a: None)

        async def poll(self):
            return None if self.running else 0

        async def start(self):
            return "http://127.0.0.1:1"

        def get_state(self):
            return {"pid": 1}

        def load_state(self, state):
            pass

        def clear_state(self):
            pass

    roles = {"ta-kim": "student", "sam": "student"}

    class Spawner(coursehub.roster.RosterRoleMixin, Base):
        role_for = staticmethod(roles.get)

    ta = Spawner("ta-kim")
    ta.load_state({"pid": 1, "netcourse_role": "grader"})  # started as a TA before the roster changed
    assert run_async(ta.poll()) == 1
    sam = Spawner("sam")
    sam.environment = {"NETCOURSE_ROLE": "student"}
    run_async(sam.start())
    assert sam.get_state() == {"pid": 1, "netcourse_role": "student"}
    assert run_async(sam.poll()) is None
    roles.pop("sam")  # taken off the roster
    assert run_async(sam.poll()) == 1
    assert run_async(Spawner("sam", running=False).poll()) == 0


# ----------------------------------------------------------------------------------------------- TAs and instructors

GRADE, MANAGE = f"custom:{COURSE_ID}:grade", f"custom:{COURSE_ID}:manage"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "formgrader"),
        ("GET", "formgrader/gradebook/networking-workbook"),
        ("GET", "formgrader/submissions/abc123"),
        ("GET", "formgrader/api/submissions/networking-workbook"),
        ("PUT", "formgrader/api/grade/abc"),
        ("PUT", "formgrader/api/comment/abc"),
        ("POST", "formgrader/api/submitted_notebook/abc/flag"),
        ("GET", "formgrader/static/css/formgrade.css"),
        ("GET", "logout"),
    ],
)
def test_a_ta_may_read_score_comment_and_flag(method, path):
    assert hub_code().staff.decide(method, path, {GRADE}, COURSE_ID) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "formgrader/api/assignment/networking-workbook/release"),
        ("POST", "formgrader/api/assignment/networking-workbook/assign"),
        ("POST", "formgrader/api/assignment/networking-workbook/collect"),
        ("POST", "formgrader/api/assignment/networking-workbook/release_feedback"),
        ("POST", "formgrader/api/submission/networking-workbook/sam/autograde"),
        ("PUT", "formgrader/api/assignment/networking-workbook"),  # due date, new assignment
        ("PUT", "formgrader/api/student/sam"),
        ("GET", "api/contents/source/networking-workbook"),
        ("PUT", "api/contents/source/networking-workbook/networking-workbook.ipynb"),
        ("PUT", "api/contents/nbgrader_config.py"),
        ("POST", "api/kernels"),
        ("POST", "api/terminals"),
        ("GET", "terminals/websocket/1"),
        ("GET", "lab"),
        ("GET", "files/gradebook.db"),
        ("GET", "formgrader/submissions/abc/../../../source/networking-workbook/networking-workbook.ipynb"),
        ("GET", "formgrader/submissions/abc/%2e%2e/%2e%2e/gradebook.db"),
    ],
)
def test_a_ta_may_not_manage_edit_or_run_code(method, path):
    staff = hub_code().staff
    assert staff.decide(method, path, {GRADE}, COURSE_ID)  # a reason, so a 403
    assert staff.decide(method, path, {GRADE, MANAGE}, COURSE_ID) is None  # instructors may
    assert "needs the" in staff.decide(method, path, {f"access:services!service={COURSE_ID}"}, COURSE_ID)


def test_formgrader_server_enables_the_guard_and_fails_closed(monkeypatch):
    monkeypatch.setenv("NETCOURSE_COURSE_ID", COURSE_ID)
    folder = str(HUB_DIR / "jupyter" / "formgrader")
    loaded = PyFileConfigLoader("jupyter_server_config.py", path=folder).load_config()
    assert loaded.ServerApp.reraise_server_extension_failures is True
    assert server_extensions("formgrader")["coursehub.staff"] is True
    assert "coursehub.staff" not in server_extensions("student")
    monkeypatch.delenv("NETCOURSE_COURSE_ID")
    with pytest.raises(ValueError, match="NETCOURSE_COURSE_ID"):
        PyFileConfigLoader("jupyter_server_config.py", path=folder).load_config()


def test_the_guard_answers_403_before_any_handler_runs():
    """The guard wraps the server's identity provider: a TA's release is refused, a score let through."""

    from tornado.web import HTTPError

    staff = hub_code().staff
    warnings = []

    class Provider:
        log = SimpleNamespace(warning=lambda *args: warnings.append(args))

        async def get_user(self, handler):
            return SimpleNamespace(username="ta-kim", hub_user={"scopes": [GRADE]})

    provider = Provider()
    staff.guard(provider, COURSE_ID)

    def request(method, path):
        handler = SimpleNamespace(base_url=f"/services/{COURSE_ID}/",
                                  request=SimpleNamespace(method=method, path=f"/services/{COURSE_ID}/{path}"))
        return run_async(provider.get_user(handler))

    assert request("PUT", "formgrader/api/grade/7").username == "ta-kim"
    with pytest.raises(HTTPError) as refused:
        request("POST", "formgrader/api/assignment/networking-workbook/release")
    assert refused.value.status_code == 403 and "for instructors" in refused.value.log_message
    assert warnings
