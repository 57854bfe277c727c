"""Prepare one server for the course hub: the exchange, the grader's private course folder, the hub's state folder.

Run as root once per term, before the hub's first start and before any student can log in (the end-to-end test
runs the same functions):

    sudo .venv/bin/python autograder/hub/provision.py --grader grader-networking-101

It
1. creates the nbgrader exchange (default /srv/nbgrader/exchange) and the course's folders in it, owned by the
   grader with nbgrader's modes and a sticky inbound (coursehub/exchange.py has the table): nobody can squat the
   course folder, replace what classmates fetch, or remove a classmate's submission. Run again, it keeps the
   contents and restores the modes; a course folder someone else created first is refused (``--reclaim`` moves
   it aside, closed to everyone but root);
2. copies the course's source/ (with solutions) into the grader's course folder (default
   /home/<grader>/<course>), owned by the grader and closed to everyone else (home and folder 0700), so no
   student can read the solutions, the submissions collected there or gradebook.db;
3. creates the hub's state folder (default /srv/jupyterhub/<course>, mode 0700: database, cookie secret,
   roster.csv), outside the checkout so none of it can be committed.

Accounts themselves come from the site (PAM/LDAP); this script creates none. ``make_user_python`` (not run by
the command) gives every account an interpreter when the course's Python is private to root; see README.md.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
REPO_DIR = HUB_DIR.parent.parent
if str(HUB_DIR) not in sys.path:
    sys.path.insert(0, str(HUB_DIR))

from coursehub.exchange import ExchangeError, check_exchange, make_exchange  # noqa: E402,F401

PRIVATE_MODE = 0o700


def make_state_dir(folder: Path) -> Path:
    """The hub's state folder: root's (the hub's account), mode 0700, never inside the checkout."""
    folder = Path(folder).absolute()
    if folder == REPO_DIR or REPO_DIR in folder.parents:
        raise ExchangeError(f"{folder} is inside the course checkout: keep the hub's secrets elsewhere")
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_MODE)
    if folder.is_symlink() or folder.stat().st_uid != os.geteuid():
        raise ExchangeError(f"{folder} exists and is not this account's own folder: remove it first")
    os.chmod(folder, PRIVATE_MODE)
    return folder


def chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for folder, subfolders, files in os.walk(path):
        for name in subfolders + files:
            os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)


def install_course(grader: str, course_root: Path, repo: Path = REPO_DIR) -> Path:
    """Copy repo/source into course_root/source for the grader account; close the home and the folder."""
    account = pwd.getpwnam(grader)
    course_root = Path(course_root)
    source = Path(repo) / "source"
    if not source.is_dir():
        raise FileNotFoundError(f"No course source folder at {source}")
    course_root.mkdir(parents=True, exist_ok=True)
    target = course_root / "source"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    chown_tree(course_root, account.pw_uid, account.pw_gid)
    os.chmod(course_root, PRIVATE_MODE)
    home = Path(account.pw_dir)
    if home.is_dir() and home in course_root.parents:
        os.chmod(home, PRIVATE_MODE)
    return course_root


# Parts of a Python installation that a server never needs (kept out of the copy to save time and space).
SKIP_STDLIB = ("test", "site-packages", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "__phello__")


def make_user_python(target: Path, site_packages: Path, base_prefix: Path | None = None) -> Path:
    """An interpreter every account may run, seeing the course's installed packages. Returns its path.

    For when the course's environment is built on a Python that only root can reach (pyenv under /root, as on
    our CI machines): the students' servers need an interpreter they may execute. The same Python (same build,
    so compiled packages match exactly) is copied to ``target/python``, a virtual environment ``target/env`` is
    made from the copy, and a ``.pth`` file adds the course environment's ``site_packages`` to it. The
    environment's ``python`` is a small launcher that points the dynamic loader at the copied libpython (the
    original's RUNPATH is inside the unreachable folder). The course's console scripts are re-pointed at it.
    """
    site_packages = Path(site_packages).resolve()
    course_prefix = site_packages.parents[2]
    base_prefix = Path(base_prefix or sys.base_prefix)
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if site_packages.parent.name != version:
        raise RuntimeError(f"{site_packages} is for {site_packages.parent.name}, this Python is {version}")
    target = Path(target)
    copy = target / "python"
    (copy / "bin").mkdir(parents=True, exist_ok=True)
    (copy / "lib").mkdir(exist_ok=True)
    shutil.copy2(base_prefix / "bin" / version, copy / "bin" / version)
    for lib in (base_prefix / "lib").glob("libpython*.so*"):
        shutil.copy2(lib, copy / "lib" / lib.name, follow_symlinks=False)
    if not (copy / "lib" / version).exists():
        shutil.copytree(base_prefix / "lib" / version, copy / "lib" / version, symlinks=True,
                        ignore=lambda folder, names: [n for n in names if n in SKIP_STDLIB])
    (copy / "lib" / version / "site-packages").mkdir(exist_ok=True)
    loader_env = {**os.environ, "LD_LIBRARY_PATH": str(copy / "lib")}
    env = target / "env"
    subprocess.run([str(copy / "bin" / version), "-m", "venv", "--without-pip", str(env)], check=True, env=loader_env)
    (env / "lib" / version / "site-packages" / "netcourse-course-env.pth").write_text(
        f"import site; site.addsitedir({str(site_packages)!r})\n"
    )
    # Jupyter finds extensions, templates, kernels and their settings under sys.prefix: share the course's.
    for name in ("share", "etc"):
        if (course_prefix / name).is_dir() and not (env / name).exists():
            (env / name).symlink_to(course_prefix / name, target_is_directory=True)
    python = env / "bin" / "python"
    for name in ("python", "python3", version):
        (env / "bin" / name).unlink(missing_ok=True)
    python.write_text(
        "#!/bin/bash\n"
        f"export LD_LIBRARY_PATH={copy / 'lib'}${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}\n"
        f'exec -a "$0" {copy / "bin" / version} "$@"\n'
    )
    os.chmod(python, 0o755)
    for name in ("python3", version):
        (env / "bin" / name).symlink_to("python")
    # The course's console scripts (jupyter, nbgrader, alembic, ...), re-pointed at the new interpreter.
    for script in sorted((course_prefix / "bin").iterdir()):
        if not script.is_file() or script.is_symlink() or (env / "bin" / script.name).exists():
            continue
        with script.open("rb") as handle:
            first = handle.readline()
        if first.startswith(b"#!") and b"python" in first:
            body = script.read_bytes().split(b"\n", 1)[1]
            (env / "bin" / script.name).write_bytes(b"#!" + str(python).encode() + b"\n" + body)
            os.chmod(env / "bin" / script.name, 0o755)
    for folder in [target, *target.rglob("*")]:
        if folder.is_dir() and not folder.is_symlink():
            os.chmod(folder, 0o755)
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grader", required=True, help="account that runs the formgrader service")
    parser.add_argument("--course-id", default="networking-101", help="nbgrader course id")
    parser.add_argument("--course-root", help="course folder (default /home/<grader>/<course-id>)")
    parser.add_argument("--exchange", default="/srv/nbgrader/exchange", help="nbgrader exchange root")
    parser.add_argument("--state-dir", help="the hub's state folder (default /srv/jupyterhub/<course-id>)")
    parser.add_argument("--reclaim", action="store_true",
                        help="move aside a course folder in the exchange that someone else created first")
    parser.add_argument("--exchange-only", action="store_true",
                        help="only the exchange (Kubernetes: run by the hub's init container; --grader UID:GID)")
    args = parser.parse_args(argv)
    if ":" not in args.grader:
        try:
            pwd.getpwnam(args.grader)
        except KeyError:
            print(f"No account called {args.grader!r}: create it first (useradd -m {args.grader}).", file=sys.stderr)
            return 2
    if os.geteuid() != 0:
        print("provision.py must run as root (it changes owners and permissions).", file=sys.stderr)
        return 2
    try:
        exchange = make_exchange(Path(args.exchange), args.course_id, args.grader, reclaim=args.reclaim)
    except ExchangeError as error:
        print(f"provision.py: {error}", file=sys.stderr)
        return 2
    print(f"exchange: {exchange}")
    if args.exchange_only:
        return 0
    course_root = Path(args.course_root or Path(pwd.getpwnam(args.grader).pw_dir) / args.course_id)
    try:
        print(f"hub state: {make_state_dir(Path(args.state_dir or f'/srv/jupyterhub/{args.course_id}'))} "
              "(put roster.csv here)")
    except ExchangeError as error:
        print(f"provision.py: {error}", file=sys.stderr)
        return 2
    print(f"course folder: {install_course(args.grader, course_root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
