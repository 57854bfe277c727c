"""The nbgrader exchange of one course: made by root before any student can, checked before the hub starts.

nbgrader creates ``<exchange>/<course>/{outbound,inbound,feedback}`` on the instructor's first release, inside a
world-writable root. Until then any student may create them first (and then controls what classmates fetch and
can read what they submit), and nbgrader's inbound (2733) has no sticky bit, so anyone may rename or remove a
classmate's submission whose name they learn. Here root creates the whole layout, owned by the grader, with
nbgrader's own modes plus the sticky bit on inbound:

=================  ======  ==========================================================================
folder             mode    why
=================  ======  ==========================================================================
exchange root      1777    nbgrader wants 777 (students create their cache entries); sticky: nobody
                           removes or renames another's entry, so the course folder cannot be swapped
<course>           0755    the grader's: only the grader creates in it
outbound           0755    the grader releases; students read and fetch
inbound            3733    students create their submission (write+search, no listing); setgid: every
                           submission takes the grader's group; sticky: only its owner (or the grader)
                           may remove or rename it
feedback           0711    the grader writes; a student opens only the file whose secret name they know
=================  ======  ==========================================================================

:func:`check_exchange` lists every way the folders differ from this (a squatter's folder, a link, a missing
sticky bit, a group students are in), so the hub can refuse to start with one sentence per problem.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import time
from pathlib import Path

ROOT_MODE = 0o1777
LAYOUT = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}


class ExchangeError(RuntimeError):
    """The exchange is not as the course needs it (the message says what and how to fix it)."""


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid {gid}"


def _describe(info: os.stat_result) -> str:
    return f"{_owner(info.st_uid)}, mode {stat.S_IMODE(info.st_mode):04o}"


def grader_ids(grader: str) -> tuple[int, int]:
    """The grader's uid and primary gid: from an account name, or ``"<uid>:<gid>"`` where there is no account
    database (Kubernetes pods, whose uids the hub assigns)."""
    if ":" in grader:
        uid, gid = grader.split(":", 1)
        return int(uid), int(gid)
    account = pwd.getpwnam(grader)
    return account.pw_uid, account.pw_gid


def course_folders(root: Path, course: str) -> dict[str, Path]:
    """The course's folders in the exchange, by their name in :data:`LAYOUT` ('' is the course folder)."""
    base = Path(root) / course
    return {name: base / name if name else base for name in LAYOUT}


def check_exchange(root: Path, course: str, grader: str, students: tuple[str, ...] = ()) -> list[str]:
    """Every problem with the exchange for ``course`` run by the account ``grader`` (empty when all is well)."""
    root = Path(root)
    uid, gid = grader_ids(grader)
    problems = []
    for parent in reversed(root.parents):
        info = os.lstat(parent)
        loose = stat.S_IMODE(info.st_mode) & 0o022 and not info.st_mode & stat.S_ISVTX
        if info.st_uid not in (0, uid) or loose:
            problems.append(f"{parent} ({_describe(info)}) could be replaced by another account: it must belong "
                            "to root and not be writable by others")
    try:
        info = os.lstat(root)
    except FileNotFoundError:
        return [*problems, f"the exchange {root} does not exist: run provision.py"]
    if not stat.S_ISDIR(info.st_mode):
        return [*problems, f"the exchange {root} is not a folder"]
    if info.st_uid not in (0, uid) or stat.S_IMODE(info.st_mode) != ROOT_MODE:
        problems.append(f"the exchange {root} is {_describe(info)}; it must be root's, mode {ROOT_MODE:04o}")
    for name, path in course_folders(root, course).items():
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            problems.append(f"{path} does not exist: run provision.py before the hub (else a student may "
                            "create it first)")
            continue
        want = LAYOUT[name]
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            problems.append(f"{path} is not a folder (a link or a file): remove it and run provision.py")
        elif info.st_uid != uid:
            problems.append(f"{path} is owned by {_owner(info.st_uid)}, not the grader {grader}: someone "
                            "created it before provision.py; move it aside (provision.py --reclaim)")
        elif stat.S_IMODE(info.st_mode) != want:
            problems.append(f"{path} has mode {stat.S_IMODE(info.st_mode):04o}, not {want:04o}: run provision.py")
        elif name == "inbound" and info.st_gid != gid:
            problems.append(f"{path} gives submissions to the group {_group(info.st_gid)}, not the grader's "
                            f"{_group(gid)}: run provision.py")
        elif name == "inbound":
            group = grp.getgrgid(info.st_gid)
            readers = sorted(set(group.gr_mem) & set(students))
            if readers:
                problems.append(f"{path} gives submissions to the group {group.gr_name}, which has students in "
                                f"it ({', '.join(readers)}): they could read every submission")
    return problems


def _make_folder(path: Path, mode: int, uid: int, gid: int) -> None:
    os.mkdir(path, 0o700)  # closed until it has its owner and mode
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def make_exchange(root: Path, course: str, grader: str, *, reclaim: bool = False) -> Path:
    """Create (or repair) the exchange root and the course's folders for ``grader``; returns the root.

    Safe to run again mid-term: folders the grader already owns keep their contents and get their modes back
    (adding inbound's sticky bit to an exchange made by an older setup). A course folder owned by anyone else
    is a squatter's: refused, or with ``reclaim`` renamed aside (closed to everyone but root) and made anew.
    """
    uid, gid = grader_ids(grader)
    root = Path(root)
    created = not root.exists()
    if created:
        root.mkdir(parents=True, mode=0o755)
        os.chmod(root, 0o755)  # world-writable only once the course's folders exist
    info = os.lstat(root)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid not in (0, uid):
        raise ExchangeError(f"{root} exists but is not a folder of root's ({_describe(info)}): remove it first")
    folders = course_folders(root, course)
    top = os.lstat(folders[""]) if os.path.lexists(folders[""]) else None
    if top is not None and (top.st_uid != uid or not stat.S_ISDIR(top.st_mode)):
        if not reclaim:
            raise ExchangeError(f"{folders['']} already exists and belongs to {_owner(top.st_uid)}, not the grader "
                                f"{grader}: someone squatted the course folder. Check what is in it, then run "
                                "provision.py --reclaim to move it aside")
        aside = root / f".squatted-{course}-{time.strftime('%Y%m%d-%H%M%S')}"
        os.rename(folders[""], aside)
        os.lchown(aside, 0, 0)
        if not os.path.islink(aside):
            os.chmod(aside, 0o700)
    for name, path in folders.items():
        if not os.path.lexists(path):
            _make_folder(path, LAYOUT[name], uid, gid)
            continue
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
            raise ExchangeError(f"{path} belongs to {_owner(info.st_uid)} or is not a folder: remove it first")
        os.chmod(path, LAYOUT[name])
        if name == "inbound":
            os.chown(path, uid, gid)
            os.chmod(path, LAYOUT[name])  # chown clears setgid
    os.chmod(root, ROOT_MODE)
    return root
