"""What tests/test_hub_e2e.py drives a real hub with: accounts, the hub process, calls through it, a student's probe.

Nothing here is a test; the hub test imports it. Accounts are real (useradd), commands run as them with their own
uid and groups, and the hub is the real JupyterHub started from the course's config plus test-only settings.
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

STEP_TIMEOUT = 120
USER_PYTHON: dict[str, Path] = {}  # filled by the hub fixture: an interpreter every test account can run


# ----------------------------------------------------------------------------------------------- accounts
def fresh_user(name: str) -> pwd.struct_passwd:
    """A new account with an empty home as the system makes it (an account left by an interrupted run is removed).

    The home keeps useradd's mode (0755 on Debian): the hub itself must close it before the account's server runs.
    """
    try:
        pwd.getpwnam(name)
    except KeyError:
        pass
    else:
        kill_processes_of((name,))
        subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    return pwd.getpwnam(name)


def as_user(name: str, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command as a real account: its uid, its primary and supplementary groups, its home.

    ``args[0] == "python"`` means the interpreter every account can run (see the hub fixture).
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


def kill_processes_of(names: tuple[str, ...]) -> None:
    """Stop anything still running as the test's own accounts (servers the hub failed to stop), by pid."""
    import psutil

    for proc in psutil.process_iter(["pid", "username"]):
        if proc.info["username"] in names:
            try:
                proc.kill()
            except psutil.Error:
                pass


# What a student with a terminal tries. Each step: [label, action, *arguments]; the answer says, per label, "ok",
# "denied" (PermissionError), "exists", "missing", "error:<Type>", or an HTTP status.
PROBE = r"""
import json, os, shutil, sys, urllib.request, urllib.error
class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report a redirect as its status instead of following it
opener = urllib.request.build_opener(Stay)
steps, out = json.loads(sys.argv[1]), {}
for label, action, *args in steps:
    try:
        if action == "read":
            os.listdir(args[0]) if os.path.isdir(args[0]) else open(args[0], "rb").read(1)
        elif action == "write":
            open(args[0], "x").write("planted")
        elif action == "mkdir":
            os.mkdir(args[0])
        elif action == "rename":
            os.rename(args[0], args[1])
        elif action == "rmtree":
            shutil.rmtree(args[0])
        elif action == "http":
            request = urllib.request.Request(args[0], headers={"Authorization": f"token {args[1]}"} if args[1] else {})
            try:
                out[label] = opener.open(request, timeout=20).status
            except urllib.error.HTTPError as error:
                out[label] = error.code
            continue
        out[label] = "ok"
    except PermissionError:
        out[label] = "denied"
    except FileExistsError:
        out[label] = "exists"
    except FileNotFoundError:
        out[label] = "missing"
    except Exception as error:
        out[label] = "error:" + type(error).__name__
print(json.dumps(out))
"""


def probe(user: str, steps: list[list]) -> dict:
    """Run :data:`PROBE` as ``user``; the outcome of each step by its label."""
    result = as_user(user, ["python", "-c", PROBE, json.dumps([[str(x) for x in step] for step in steps])])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ----------------------------------------------------------------------------------------------- the hub
class Hub:
    """A running JupyterHub and the calls the test makes through it."""

    def __init__(self, base: str, driver_token: str, command: list[str], env: dict, cwd: Path, log: Path):
        self.base = base
        self.driver = {"Authorization": f"token {driver_token}"}
        self.command, self.env, self.cwd, self.log = command, env, cwd, log
        self.tokens: dict[str, str] = {}
        self.process: subprocess.Popen | None = None

    def launch(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_for("the hub API", lambda: requests.get(f"{self.base}/hub/api", timeout=5).ok)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

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
        headers = {"Authorization": f"token {kwargs.pop('token', None) or self.token_for(user)}"}
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

    def browser_login(self, user: str, password: str) -> requests.Session:
        """A browser's session: the hub's login form, then its cookies (OAuth to services happens on redirect)."""
        session = requests.Session()
        session.get(f"{self.base}/hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf", "")
        session.post(f"{self.base}/hub/login", data={"username": user, "password": password, "_xsrf": xsrf},
                     timeout=30)
        return session

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "--- hub log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])


def jupyterhub_command(config: Path) -> list[str]:
    return [sys.executable, "-m", "jupyterhub", "-f", str(config)]
