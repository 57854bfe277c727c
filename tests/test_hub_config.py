"""The course hub's configuration files, loaded as JupyterHub, nbgrader and Helm would load them (fast).

Here: the hub's settings, state folder, start-up refusals, profiles, extensions, the shared nbgrader config and
provisioning; tests/test_hub_access.py has the roster, the TA rule and the Kubernetes values.
"""

from __future__ import annotations

import json
import os
import pwd
import re
from types import SimpleNamespace

import pytest
from conftest import ROOT
from hub_configs import (
    COURSE_ID,
    HUB_DIR,
    ME,
    hub_code,
    lab_disabled,
    load_hub_config,
    needs_root,
    provision_module,
    server_extensions,
)
from traitlets.config.loader import PyFileConfigLoader


def test_course_id_comes_from_the_nbgrader_config():
    loaded = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "autograder")).load_config()
    assert loaded.CourseDirectory.course_id == COURSE_ID


def test_hub_config_sets_groups_roles_and_the_formgrader_service(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path)

    staff = sorted([ME, "prof-lee", "ta-kim"])
    assert c.JupyterHub.load_groups == {
        f"formgrade-{COURSE_ID}": {"users": staff},
        f"nbgrader-{COURSE_ID}": {"users": ["rio", "sam"]},
    }
    assert c.Authenticator.allowed_users == {*staff, "rio", "sam"}
    assert c.Authenticator.allow_existing_users is False  # a name in the hub's database is no licence to log in
    assert c.Authenticator.blocked_users == set()  # no database yet: nobody to block

    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    grade, manage = f"custom:{COURSE_ID}:grade", f"custom:{COURSE_ID}:manage"
    instructors, graders = roles[f"{COURSE_ID}-instructors"], roles[f"{COURSE_ID}-graders"]
    # Member lists, not groups: JupyterHub makes a role's member list exact at every start.
    assert instructors["users"] == sorted([ME, "prof-lee"]) and "groups" not in instructors
    assert graders["users"] == ["ta-kim"] and "groups" not in graders
    assert {grade, manage} <= set(instructors["scopes"])
    assert grade in graders["scopes"] and manage not in graders["scopes"]
    assert set(c.JupyterHub.custom_scopes) == {grade, manage}
    assert roles[f"formgrader-service-{COURSE_ID}"]["services"] == [COURSE_ID]
    assert f"groups!group=nbgrader-{COURSE_ID}" in roles[f"formgrader-service-{COURSE_ID}"]["scopes"]
    assert "read:users:groups!user" in roles["server"]["scopes"]
    # Nobody but the two staff roles gets a role on the service.
    assert sorted(r["name"] for r in roles.values() if any(f"service={COURSE_ID}" in s for s in r["scopes"])) == \
        sorted([f"{COURSE_ID}-instructors", f"{COURSE_ID}-graders"])

    (service,) = c.JupyterHub.services
    assert service["name"] == COURSE_ID  # nbgrader links the course to the service of the same name
    assert service["user"] == ME
    assert service["cwd"] == f"/home/{ME}/{COURSE_ID}"
    assert service["url"] == "http://127.0.0.1:9999"
    assert service["command"][1:3] == ["-m", "jupyterhub.singleuser"]
    assert service["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert service["environment"]["NETCOURSE_COURSE_ROOT"] == service["cwd"]
    assert set(service["oauth_client_allowed_scopes"]) == {grade, manage}  # browser sessions carry the role
    paths = service["environment"]["JUPYTER_CONFIG_PATH"].split(":")
    assert paths == [str(HUB_DIR / "jupyter" / "formgrader"), str(HUB_DIR / "jupyter" / "common"),
                     str(ROOT / "autograder")]

    from jupyterhub.spawner import LocalProcessSpawner

    assert issubclass(c.JupyterHub.spawner_class, LocalProcessSpawner)
    assert c.Spawner.cmd[1:] == ["-m", "jupyterhub.singleuser"]
    assert c.Spawner.environment["NETCOURSE_EXCHANGE_ROOT"] == str(tmp_path / "exchange")
    assert c.Spawner.environment["NETCOURSE_COURSE_ID"] == COURSE_ID
    proxy = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if proxy.exists():
        assert c.ConfigurableHTTPProxy.command == [str(proxy)]


def test_hub_state_lives_in_a_private_folder_outside_the_checkout(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path)
    state = tmp_path / "state"
    assert state.stat().st_mode & 0o777 == 0o700  # created by the hub when missing
    assert c.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert c.JupyterHub.cookie_secret_file == str(state / "jupyterhub_cookie_secret")
    assert c.ConfigurableHTTPProxy.pid_file == str(state / "jupyterhub-proxy.pid")

    os.chmod(state, 0o755)
    with pytest.raises(SystemExit, match="mode 0700"):
        load_hub_config(monkeypatch, tmp_path)
    with pytest.raises(SystemExit, match="inside the course checkout"):
        load_hub_config(monkeypatch, tmp_path, NETCOURSE_HUB_STATE_DIR=str(HUB_DIR))
    # Without NETCOURSE_ROSTER the roster is read from the state folder, never from the checkout.
    monkeypatch.delenv("NETCOURSE_ROSTER")
    os.chmod(state, 0o700)
    monkeypatch.setenv("NETCOURSE_HUB_STATE_DIR", str(state))
    with pytest.raises(SystemExit, match=f"no roster at {state / 'roster.csv'}"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(HUB_DIR)).load_config()


def test_secrets_database_and_roster_are_ignored_by_git():
    import shutil
    import subprocess

    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["jupyterhub.sqlite", "jupyterhub.sqlite-journal", "jupyterhub_cookie_secret", "jupyterhub-proxy.pid",
             "roster.csv", "autograder/hub/roster.csv", "autograder/hub/jupyterhub.sqlite",
             "autograder/hub/jupyterhub_cookie_secret"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True)
    assert sorted(result.stdout.split()) == sorted(paths)


def test_environment_overrides_reach_the_service(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, NETCOURSE_COURSE_ROOT="/srv/course", NETCOURSE_FORMGRADER_PORT="9123",
                        NETCOURSE_USER_PYTHON="/opt/course/bin/python")
    (service,) = c.JupyterHub.services
    assert (service["user"], service["cwd"], service["url"]) == (ME, "/srv/course", "http://127.0.0.1:9123")
    assert service["command"][0] == c.Spawner.cmd[0] == "/opt/course/bin/python"
    assert c.Spawner.environment["PATH"].split(":")[0] == "/opt/course/bin"


def test_profile_hook_follows_the_roster(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path)
    hook = c.Spawner.pre_spawn_hook

    def spawn(name: str, *groups: str) -> dict:
        spawner = SimpleNamespace(user=SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups]),
                                  environment=dict(c.Spawner.environment))
        hook(spawner)
        return spawner.environment

    student, ta, prof = spawn("sam"), spawn("ta-kim"), spawn("prof-lee")
    assert student["JUPYTER_CONFIG_PATH"].split(":")[0] == str(HUB_DIR / "jupyter" / "student")
    assert ta["JUPYTER_CONFIG_PATH"].split(":")[0] == str(HUB_DIR / "jupyter" / "instructor")
    assert (student["NETCOURSE_ROLE"], ta["NETCOURSE_ROLE"], prof["NETCOURSE_ROLE"]) == ("student", "grader",
                                                                                          "instructor")
    # A stale staff group in the database is not what decides: the roster is.
    assert spawn("sam", f"formgrade-{COURSE_ID}")["NETCOURSE_ROLE"] == "student"
    with pytest.raises(PermissionError, match="not on the roster"):
        spawn("someone-else", f"nbgrader-{COURSE_ID}")


@needs_root
def test_profile_hook_closes_a_world_readable_home(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, roster="username,role\nnobody,student\n")
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    real_getpwnam = pwd.getpwnam

    def with_home(name):
        account = real_getpwnam(name)
        if name != "nobody":
            return account
        return pwd.struct_passwd((*account[:5], str(home), account.pw_shell))

    monkeypatch.setattr(pwd, "getpwnam", with_home)
    c.Spawner.pre_spawn_hook(SimpleNamespace(user=SimpleNamespace(name="nobody", groups=[]), environment={}))
    assert home.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("roster", "message"),
    [
        ("username,role\nsam,teacher\n", "line 2"),
        ("username,role\nsam,student\n,student\n", "line 3"),
        ("username,role\nsam,student\nsam,grader\n", "line 3: sam is listed as student and as grader"),
        ("name,kind\nsam,student\n", "line 1: the header"),
    ],
)
def test_bad_roster_rows_stop_the_hub_with_the_line(monkeypatch, tmp_path, roster, message):
    with pytest.raises(SystemExit, match=message):
        load_hub_config(monkeypatch, tmp_path, roster=roster)


def test_missing_course_id_is_a_clear_error(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="no course id"):
        load_hub_config(monkeypatch, tmp_path, NETCOURSE_NBGRADER_CONFIG=str(tmp_path / "missing.py"))


def test_missing_grader_account_is_a_clear_error(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="no account called no-such-grader-xyz"):
        load_hub_config(monkeypatch, tmp_path, provision=False, NETCOURSE_GRADER_USER="no-such-grader-xyz")


def test_students_never_get_the_instructor_tools():
    fg = "nbgrader.server_extensions.formgrader"
    assert server_extensions("student")[fg] is False
    assert server_extensions("student")["nbgrader.server_extensions.course_list"] is False
    assert server_extensions("student")["nbgrader.server_extensions.assignment_list"] is True
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= lab_disabled("student")
    assert server_extensions("instructor")[fg] is False  # staff use the shared formgrader service
    assert server_extensions("formgrader")[fg] is True


def test_shared_nbgrader_config_points_at_the_exchange_and_keeps_submissions_private(monkeypatch):
    from nbgrader.exchange.default.submit import ExchangeSubmit

    monkeypatch.setenv("NETCOURSE_COURSE_ID", COURSE_ID)
    monkeypatch.setenv("NETCOURSE_EXCHANGE_ROOT", "/srv/x")
    monkeypatch.delenv("NETCOURSE_COURSE_ROOT", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(HUB_DIR / "jupyter" / "common"))
    c = loader.load_config()
    assert (c.CourseDirectory.course_id, c.Exchange.root, c.Exchange.path_includes_course) == (COURSE_ID, "/srv/x",
                                                                                                True)
    assert issubclass(c.ExchangeFactory.submit, ExchangeSubmit)
    assert c.ExchangeFactory.submit.__name__ == "PrivateSubmit"
    assert "plugin_class" not in c.Authenticator  # outside the hub: nbgrader's default plugin

    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    monkeypatch.setenv("JUPYTERHUB_USER", "sam")
    monkeypatch.setenv("NETCOURSE_COURSE_ROOT", "/home/grader/course")
    c = PyFileConfigLoader("nbgrader_config.py", path=str(HUB_DIR / "jupyter" / "common")).load_config()
    assert c.Authenticator.plugin_class == "nbgrader.auth.jupyterhub.JupyterHubAuthPlugin"
    assert c.CourseDirectory.root == "/home/grader/course"


def test_node_dependency_is_pinned_and_never_committed():
    package = json.loads((HUB_DIR / "package.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact version"
    assert not (HUB_DIR / "package-lock.json").exists()
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\bhub-deps\b", makefile, re.M)


def test_provision_makes_the_course_exchange_with_nbgraders_modes_and_a_sticky_inbound(tmp_path):
    provision = provision_module()
    root = provision.make_exchange(tmp_path / "srv" / "exchange", COURSE_ID, ME)
    modes = {p.name: p.stat().st_mode & 0o7777 for p in [root, *(root / COURSE_ID).iterdir(), root / COURSE_ID]}
    assert modes == {"exchange": 0o1777, COURSE_ID: 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
    assert {p.stat().st_uid for p in (root / COURSE_ID).rglob("*")} == {os.getuid()}
    assert provision.check_exchange(root, COURSE_ID, ME) == []

    # An exchange made by the old setup (inbound 2733, no sticky bit) is repaired in place, contents kept.
    submission = root / COURSE_ID / "inbound" / "sam+networking-workbook+x+y"
    submission.mkdir()
    os.chmod(root / COURSE_ID / "inbound", 0o2733)
    assert any("mode 2733, not 3733" in p for p in provision.check_exchange(root, COURSE_ID, ME))
    provision.make_exchange(root, COURSE_ID, ME)
    assert (root / COURSE_ID / "inbound").stat().st_mode & 0o7777 == 0o3733
    assert submission.is_dir()


def test_exchange_check_names_each_problem(tmp_path):
    coursehub = hub_code()
    root = tmp_path / "exchange"
    assert "does not exist: run provision.py" in coursehub.exchange.check_exchange(root, COURSE_ID, ME)[0]
    root.mkdir()
    os.chmod(root, 0o1777)
    problems = coursehub.exchange.check_exchange(root, COURSE_ID, ME)
    assert len(problems) == 4 and all("does not exist" in p for p in problems)
    coursehub.exchange.make_exchange(root, COURSE_ID, ME)
    (root / COURSE_ID / "feedback").rmdir()
    (root / COURSE_ID / "feedback").symlink_to(tmp_path)
    assert coursehub.exchange.check_exchange(root, COURSE_ID, ME) == [
        f"{root / COURSE_ID / 'feedback'} is not a folder (a link or a file): remove it and run provision.py"]


@needs_root
def test_a_squatted_course_folder_stops_provision_and_the_hub(monkeypatch, tmp_path):
    provision = provision_module()
    root = tmp_path / "exchange"
    root.mkdir()
    os.chmod(root, 0o1777)
    nobody = pwd.getpwnam("nobody")
    for name in (COURSE_ID, f"{COURSE_ID}/inbound", f"{COURSE_ID}/outbound", f"{COURSE_ID}/feedback"):
        (root / name).mkdir()
        os.chown(root / name, nobody.pw_uid, nobody.pw_gid)  # a student got there first
    with pytest.raises(SystemExit, match=f"{COURSE_ID} is owned by nobody, not the grader {ME}"):
        load_hub_config(monkeypatch, tmp_path)
    with pytest.raises(provision.ExchangeError, match="belongs to nobody.*squatted"):
        provision.make_exchange(root, COURSE_ID, ME)
    # --reclaim moves the squatter's folder aside, closed, and makes the course's own.
    provision.make_exchange(root, COURSE_ID, ME, reclaim=True)
    (aside,) = root.glob(f".squatted-{COURSE_ID}-*")
    assert (aside.stat().st_uid, aside.stat().st_mode & 0o777) == (0, 0o700)
    assert provision.check_exchange(root, COURSE_ID, ME) == []
    load_hub_config(monkeypatch, tmp_path)


@needs_root
def test_an_inbound_in_another_group_stops_the_hub(monkeypatch, tmp_path):
    """Submissions take inbound's group (setgid): in the students' group, every student could read them all."""
    root = provision_module().make_exchange(tmp_path / "exchange", COURSE_ID, ME)
    os.chown(root / COURSE_ID / "inbound", -1, pwd.getpwnam("nobody").pw_gid)
    os.chmod(root / COURSE_ID / "inbound", 0o3733)
    with pytest.raises(SystemExit, match="gives submissions to the group nogroup, not the grader's"):
        load_hub_config(monkeypatch, tmp_path)


def test_exchange_for_a_grader_known_only_by_uid(tmp_path):
    """On Kubernetes there is no account database: the grader is uid:gid (the values file gives it 5001:5000)."""
    provision = provision_module()
    ids = f"{os.getuid()}:{os.getgid()}"
    root = provision.make_exchange(tmp_path / "exchange", COURSE_ID, ids)
    assert provision.check_exchange(root, COURSE_ID, ids) == []
    assert provision.main(["--grader", ids, "--exchange-only", "--exchange", str(root)]) == (0 if os.geteuid() == 0
                                                                                             else 2)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changes owners: needs root")
def test_provision_installs_a_private_course_folder(tmp_path):
    provision = provision_module()
    course = provision.install_course("nobody", tmp_path / "course", repo=ROOT)
    assert sorted(p.name for p in (course / "source" / "networking-workbook").glob("*.ipynb")) == \
        sorted(p.name for p in (ROOT / "source" / "networking-workbook").glob("*.ipynb"))
    assert course.stat().st_mode & 0o777 == 0o700
    nobody = pwd.getpwnam("nobody").pw_uid
    assert {p.stat().st_uid for p in course.rglob("*")} == {nobody}


def test_provision_command_explains_a_missing_account(capsys):
    code = provision_module().main(["--grader", "no-such-account-xyz"])
    assert code == 2
    assert "no-such-account-xyz" in capsys.readouterr().err
