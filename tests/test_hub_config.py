"""The course hub's configuration files, loaded as JupyterHub, nbgrader and Helm would load them (fast)."""

from __future__ import annotations

import json
import os
import pwd
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import ROOT
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

HUB_DIR = ROOT / "autograder" / "hub"
COURSE_ID = "networking-101"


def load_hub_config(monkeypatch, tmp_path: Path, roster: str | None = None, **env: str) -> Config:
    """Load jupyterhub_config.py the way JupyterHub does (traitlets' Python config loader)."""
    for name in ("NETCOURSE_COURSE_ID", "NETCOURSE_GRADER_USER", "NETCOURSE_COURSE_ROOT", "NETCOURSE_USER_PYTHON",
                 "NETCOURSE_EXCHANGE_ROOT", "NETCOURSE_NBGRADER_CONFIG", "NETCOURSE_FORMGRADER_PORT"):
        monkeypatch.delenv(name, raising=False)
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(roster if roster is not None else
                           "username,role\nprof-lee,instructor\nta-kim,Grader\nsam,student\nrio,student\n")
    monkeypatch.setenv("NETCOURSE_ROSTER", str(roster_file))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(HUB_DIR)).load_config()


def test_course_id_comes_from_the_nbgrader_config():
    loaded = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "autograder")).load_config()
    assert loaded.CourseDirectory.course_id == COURSE_ID


def test_hub_config_sets_groups_roles_and_the_formgrader_service(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path)

    staff = ["grader-networking-101", "prof-lee", "ta-kim"]
    assert c.JupyterHub.load_groups == {
        f"formgrade-{COURSE_ID}": {"users": staff},
        f"nbgrader-{COURSE_ID}": {"users": ["rio", "sam"]},
    }
    assert c.Authenticator.allowed_users == {*staff, "rio", "sam"}

    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles[f"formgrade-{COURSE_ID}"]["groups"] == [f"formgrade-{COURSE_ID}"]
    assert f"access:services!service={COURSE_ID}" in roles[f"formgrade-{COURSE_ID}"]["scopes"]
    assert roles[f"formgrader-service-{COURSE_ID}"]["services"] == [COURSE_ID]
    assert f"groups!group=nbgrader-{COURSE_ID}" in roles[f"formgrader-service-{COURSE_ID}"]["scopes"]
    assert "read:users:groups!user" in roles["server"]["scopes"]
    # Nobody but the staff group gets a role on the service.
    assert [r for r in roles.values() if any(f"service={COURSE_ID}" in s for s in r["scopes"])] == \
        [roles[f"formgrade-{COURSE_ID}"]]

    (service,) = c.JupyterHub.services
    assert service["name"] == COURSE_ID  # nbgrader links the course to the service of the same name
    assert service["user"] == "grader-networking-101"
    assert service["cwd"] == f"/home/grader-networking-101/{COURSE_ID}"
    assert service["url"] == "http://127.0.0.1:9999"
    assert service["command"][1:3] == ["-m", "jupyterhub.singleuser"]
    assert service["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert service["environment"]["NETCOURSE_COURSE_ROOT"] == service["cwd"]
    paths = service["environment"]["JUPYTER_CONFIG_PATH"].split(":")
    assert paths == [str(HUB_DIR / "jupyter" / "formgrader"), str(HUB_DIR / "jupyter" / "common"),
                     str(ROOT / "autograder")]

    assert c.JupyterHub.spawner_class == "localprocess"
    assert c.Spawner.cmd[1:] == ["-m", "jupyterhub.singleuser"]
    assert c.Spawner.environment["NETCOURSE_EXCHANGE_ROOT"] == "/srv/nbgrader/exchange"
    assert c.Spawner.environment["NETCOURSE_COURSE_ID"] == COURSE_ID
    proxy = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if proxy.exists():
        assert c.ConfigurableHTTPProxy.command == [str(proxy)]


def test_environment_overrides_reach_the_service(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, NETCOURSE_GRADER_USER="ta-kim", NETCOURSE_COURSE_ROOT="/srv/course",
                        NETCOURSE_EXCHANGE_ROOT="/data/exchange", NETCOURSE_FORMGRADER_PORT="9123",
                        NETCOURSE_USER_PYTHON="/opt/course/bin/python")
    (service,) = c.JupyterHub.services
    assert (service["user"], service["cwd"], service["url"]) == ("ta-kim", "/srv/course", "http://127.0.0.1:9123")
    assert service["command"][0] == c.Spawner.cmd[0] == "/opt/course/bin/python"
    assert c.Spawner.environment["PATH"].split(":")[0] == "/opt/course/bin"
    assert c.Spawner.environment["NETCOURSE_EXCHANGE_ROOT"] == "/data/exchange"


def test_profile_hook_gives_students_and_staff_their_own_extensions(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path)
    hook = c.Spawner.pre_spawn_hook

    def spawn(*groups: str) -> dict:
        spawner = SimpleNamespace(user=SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups]),
                                  environment=dict(c.Spawner.environment))
        hook(spawner)
        return spawner.environment

    student = spawn(f"nbgrader-{COURSE_ID}")
    staff = spawn(f"formgrade-{COURSE_ID}", "other-course")
    assert student["JUPYTER_CONFIG_PATH"].split(":")[0] == str(HUB_DIR / "jupyter" / "student")
    assert staff["JUPYTER_CONFIG_PATH"].split(":")[0] == str(HUB_DIR / "jupyter" / "instructor")
    assert (student["NETCOURSE_ROLE"], staff["NETCOURSE_ROLE"]) == ("student", "instructor")
    assert spawn()["NETCOURSE_ROLE"] == "student"  # anyone not on the staff list is treated as a student


@pytest.mark.parametrize(
    ("roster", "message"),
    [
        ("username,role\nsam,teacher\n", "line 2"),
        ("username,role\nsam,student\n,student\n", "line 3"),
    ],
)
def test_bad_roster_rows_stop_the_hub_with_the_line(monkeypatch, tmp_path, roster, message):
    with pytest.raises(ValueError, match=message):
        load_hub_config(monkeypatch, tmp_path, roster=roster)


def test_missing_course_id_is_a_clear_error(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="No course id"):
        load_hub_config(monkeypatch, tmp_path, NETCOURSE_NBGRADER_CONFIG=str(tmp_path / "missing.py"))


def _server_extensions(role: str) -> dict[str, bool]:
    data = json.loads((HUB_DIR / "jupyter" / role / "jupyter_server_config.json").read_text())
    return data["ServerApp"]["jpserver_extensions"]


def _lab_disabled(role: str) -> set[str]:
    data = json.loads((HUB_DIR / "jupyter" / role / "labconfig" / "page_config.json").read_text())
    return {name for name, off in data["disabledExtensions"].items() if off}


def test_students_never_get_the_instructor_tools():
    fg = "nbgrader.server_extensions.formgrader"
    assert _server_extensions("student")[fg] is False
    assert _server_extensions("student")["nbgrader.server_extensions.course_list"] is False
    assert _server_extensions("student")["nbgrader.server_extensions.assignment_list"] is True
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= _lab_disabled("student")
    assert _server_extensions("instructor")[fg] is False  # staff use the shared formgrader service
    assert _server_extensions("formgrader")[fg] is True


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


def test_z2jh_values_match_the_course_and_compile():
    values = yaml.safe_load((HUB_DIR / "values-z2jh.yaml").read_text())
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == {f"formgrade-{COURSE_ID}", f"nbgrader-{COURSE_ID}"}
    role = values["hub"]["loadRoles"][f"formgrade-{COURSE_ID}"]
    assert role["groups"] == [f"formgrade-{COURSE_ID}"]
    assert f"access:servers!user=grader-{COURSE_ID}" in role["scopes"]
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, f"extraConfig.{name}", "exec")
    single = values["singleuser"]
    assert single["extraEnv"]["NETCOURSE_COURSE_ID"] == COURSE_ID
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert single["extraEnv"]["NETCOURSE_EXCHANGE_ROOT"] in mounts
    assert values["cull"]["enabled"] is True

    # Every extraFiles entry is filled by a --set-file in the README's install command, from a file that exists,
    # mounted where the profile folders the extraConfig names put it.
    readme = (HUB_DIR / "README.md").read_text()
    set_files = dict(re.findall(r"--set-file singleuser\.extraFiles\.([\w-]+)\.stringData=\$J/(\S+)", readme))
    assert set(set_files) == set(single["extraFiles"])
    for name, entry in single["extraFiles"].items():
        source = HUB_DIR / "jupyter" / set_files[name]
        assert source.is_file(), source
        assert entry["mountPath"] == f"/etc/netcourse/jupyter/{set_files[name]}"


def test_node_dependency_is_pinned_and_never_committed():
    package = json.loads((HUB_DIR / "package.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact version"
    assert not (HUB_DIR / "package-lock.json").exists()
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\bhub-deps\b", makefile, re.M)


def _provision():
    import importlib.util

    spec = importlib.util.spec_from_file_location("hub_provision", HUB_DIR / "provision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_provision_makes_a_sticky_world_writable_exchange(tmp_path):
    provision = _provision()
    root = provision.make_exchange(tmp_path / "srv" / "exchange")
    assert root.stat().st_mode & 0o7777 == 0o1777


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changes owners: needs root")
def test_provision_installs_a_private_course_folder(tmp_path):
    provision = _provision()
    course = provision.install_course("nobody", tmp_path / "course", repo=ROOT)
    assert sorted(p.name for p in (course / "source" / "networking-workbook").glob("*.ipynb")) == \
        sorted(p.name for p in (ROOT / "source" / "networking-workbook").glob("*.ipynb"))
    assert course.stat().st_mode & 0o777 == 0o700
    nobody = pwd.getpwnam("nobody").pw_uid
    assert {p.stat().st_uid for p in course.rglob("*")} == {nobody}


def test_provision_command_explains_a_missing_account(capsys):
    code = _provision().main(["--grader", "no-such-account-xyz"])
    assert code == 2
    assert "no-such-account-xyz" in capsys.readouterr().err
