"""Loading the course hub's configuration as JupyterHub would, for the fast hub tests (no test in here)."""

from __future__ import annotations

import json
import os
import pwd
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

HUB_DIR = ROOT / "autograder" / "hub"
COURSE_ID = "networking-101"


ME = pwd.getpwuid(os.getuid()).pw_name  # the grader account in these tests: provisioning needs no root then
ROSTER = "username,role\nprof-lee,instructor\nta-kim,Grader\nsam,student\nrio,student\n"
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changes owners: needs root")


def hub_code():
    if str(HUB_DIR) not in sys.path:
        sys.path.insert(0, str(HUB_DIR))
    import coursehub.exchange
    import coursehub.roster
    import coursehub.staff

    return coursehub


def load_hub_config(monkeypatch, tmp_path: Path, roster: str | None = ROSTER, provision: bool = True,
                    **env: str) -> Config:
    """Load jupyterhub_config.py the way JupyterHub does (traitlets' Python config loader).

    The exchange is provisioned in tmp_path for the account running the tests (as its grader), the state folder
    is tmp_path/state; ``env`` overrides any NETCOURSE_* variable.
    """
    for name in ("NETCOURSE_COURSE_ID", "NETCOURSE_GRADER_USER", "NETCOURSE_COURSE_ROOT", "NETCOURSE_USER_PYTHON",
                 "NETCOURSE_EXCHANGE_ROOT", "NETCOURSE_NBGRADER_CONFIG", "NETCOURSE_FORMGRADER_PORT",
                 "NETCOURSE_HUB_DB_URL", "NETCOURSE_HUB_COOKIE_SECRET_FILE"):
        monkeypatch.delenv(name, raising=False)
    exchange = tmp_path / "exchange"
    if provision and not exchange.exists():
        hub_code().exchange.make_exchange(exchange, COURSE_ID, ME)
    roster_file = tmp_path / "roster.csv"
    if roster is not None:
        roster_file.write_text(roster)
    settings = {"NETCOURSE_ROSTER": str(roster_file), "NETCOURSE_GRADER_USER": ME,
                "NETCOURSE_EXCHANGE_ROOT": str(exchange), "NETCOURSE_HUB_STATE_DIR": str(tmp_path / "state"), **env}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(HUB_DIR)).load_config()


def server_extensions(role: str) -> dict[str, bool]:
    data = json.loads((HUB_DIR / "jupyter" / role / "jupyter_server_config.json").read_text())
    return data["ServerApp"]["jpserver_extensions"]


def lab_disabled(role: str) -> set[str]:
    data = json.loads((HUB_DIR / "jupyter" / role / "labconfig" / "page_config.json").read_text())
    return {name for name, off in data["disabledExtensions"].items() if off}


def provision_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("hub_provision", HUB_DIR / "provision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def z2jh() -> dict:
    return yaml.safe_load((HUB_DIR / "values-z2jh.yaml").read_text())


def hub_database(path: Path) -> str:
    """A hub database as a previous term left it: a TA and two students in the groups, tokens, a staff role."""
    from jupyterhub import orm

    url = f"sqlite:///{path}"
    db = orm.new_session_factory(url)()
    users = {name: orm.User(name=name) for name in ("ta-kim", "sam", "rio", "gone")}
    db.add_all(users.values())
    staff = orm.Group(name=f"formgrade-{COURSE_ID}", users=[users["ta-kim"]])
    students = orm.Group(name=f"nbgrader-{COURSE_ID}", users=[users["sam"], users["rio"], users["gone"]])
    db.add_all([staff, students, orm.OAuthClient(identifier="jupyterhub")])
    db.commit()
    for name in ("ta-kim", "sam", "gone"):
        orm.APIToken.new(user=users[name])
    db.close()
    return url
