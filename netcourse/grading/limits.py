"""Limits and isolation for one student's code: what each forked child may use, and how it is sealed off.

The executor forks one child per notebook from a warm worker. Before running a line of the student's
code the child calls :func:`enter_sandbox`, which

* starts its own session and process group (so the worker can kill the whole group),
* closes stdin and sends the process's own stdout/stderr file descriptors to /dev/null,
* sets resource limits: address space (memory), CPU seconds, file size, processes, no core dumps,
* when the grader runs as root: enters a private mount namespace and network namespace, hides the
  course's private folders (``submitted/``, ``autograded/``, ``feedback/``, ``source/``, the gradebook,
  and ``/root`` except the Python installation) under empty read-only mounts, and then switches to an
  unprivileged user id of its own (one per worker slot), so it cannot undo any of that.

What is protected, and what is not (see also ``autograder`` docs in the package docstring):

* As root: other students' submissions, the gradebook, the instructors' source and everything under
  ``/root`` are invisible; there is no network; a fork bomb stops at ``max_processes``.
* As an ordinary user (a laptop): limits and time-outs still apply, but the student's code runs with the
  instructor's user id, so it can read whatever the instructor can. Grade on a machine or container where
  you are root (or in a throw-away account) when submissions may be hostile.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

SANDBOX_UID_BASE = 61000  # worker slot k runs students' code as uid/gid 61000 + k (root only)
_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """What one student's notebook may use. Times in seconds, sizes in MB."""

    cell_timeout: float = 30.0
    notebook_timeout: float = 300.0
    cpu_seconds: int = 120
    memory_mb: int = 1024
    max_output_chars: int = 100_000
    max_file_mb: int = 64
    max_processes: int = 16
    kill_grace: float = 3.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sandbox:
    """Where and as whom the child runs. ``uid`` is None when not root (no privilege drop, no namespaces)."""

    workdir: str
    uid: int | None = None
    hide: tuple[str, ...] = ()
    expose: tuple[str, ...] = field(default=())


def is_root() -> bool:
    return os.geteuid() == 0


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def become_subreaper() -> bool:
    """Make this process adopt orphaned descendants, so a double-forked daemon cannot escape clean-up."""
    try:
        return _libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def python_paths() -> tuple[str, ...]:
    """Folders the child must still read after ``/root`` is hidden: the interpreter and its packages."""
    import site
    import sys

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    paths.update(site.getsitepackages())
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    return tuple(sorted(os.path.realpath(p) for p in paths))


def private_paths(course_root: str | os.PathLike, db_file: str | None, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The folders and files a student's code must not see, for a course rooted at ``course_root``."""
    root = Path(course_root)
    hidden = [root / name for name in ("submitted", "autograded", "feedback", "source")]
    if db_file:
        hidden.append(Path(db_file))
    hidden.append(Path("/root"))
    hidden.extend(Path(p) for p in extra)
    return tuple(str(p.resolve()) for p in hidden if p.exists())


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    libc = _libc()
    rc = libc.mount(
        source.encode() if source else None,
        target.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data.encode() if data else None,
    )
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _outermost(paths: tuple[str, ...]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == k or path.startswith(k + os.sep) for k in kept):
            kept.append(path)
    return kept


def _seal_filesystem(sandbox: Sandbox) -> None:
    """Private mount + network namespaces; empty mounts over private paths (root only)."""
    libc = _libc()
    if libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    workdir = os.path.realpath(sandbox.workdir)
    for path in sandbox.hide:
        if workdir == path or workdir.startswith(path + os.sep):
            continue  # never hide the student's own folder
        if not os.path.isdir(path):
            _mount("/dev/null", path, None, _MS_BIND)  # a private file reads as empty
            continue
        keep = _outermost(tuple(p for p in sandbox.expose if p.startswith(path + os.sep) and os.path.isdir(p)))
        handles = [(inner, os.open(inner, os.O_PATH | os.O_DIRECTORY)) for inner in keep]
        _mount("none", path, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=64k,mode=0755")
        for inner, handle in handles:
            # put the interpreter's folders back, found through a handle opened before the folder was covered
            os.makedirs(inner, exist_ok=True)
            _mount(f"/proc/self/fd/{handle}", inner, None, _MS_BIND | _MS_REC)
            os.close(handle)


def _drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _set_limits(limits: Limits, address_space_now: int) -> None:
    def cap(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value if which != resource.RLIMIT_CPU else value + 2))

    mb = 1024 * 1024
    cap(resource.RLIMIT_AS, address_space_now + limits.memory_mb * mb)
    cap(resource.RLIMIT_CPU, int(limits.cpu_seconds))
    cap(resource.RLIMIT_FSIZE, limits.max_file_mb * mb)
    cap(resource.RLIMIT_CORE, 0)
    if not is_root():
        # Without a uid of its own, RLIMIT_NPROC counts every process of the instructor; leave room for them.
        import psutil

        mine = sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == os.getuid())
        cap(resource.RLIMIT_NPROC, mine + limits.max_processes)
    else:
        cap(resource.RLIMIT_NPROC, limits.max_processes)


def address_space() -> int:
    """This process's current virtual size in bytes (the memory limit is counted on top of it)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def enter_sandbox(sandbox: Sandbox, limits: Limits) -> list[str]:
    """Seal the current (forked) process. Returns notes on protections that could not be applied."""
    notes: list[str] = []
    os.setsid()
    try:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # die with the worker
    except (OSError, AttributeError):
        pass
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big file gives OSError, not a dead kernel
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sandbox.uid is not None and is_root():
        try:
            _seal_filesystem(sandbox)
            sealed = True
        except OSError as error:
            sealed = False
            notes.append(f"filesystem not sealed ({error})")
        if sealed or all(_reachable_by_others(p) for p in sandbox.expose):
            for folder, dirs, files in os.walk(sandbox.workdir):
                for name in [folder, *(os.path.join(folder, f) for f in dirs + files)]:
                    os.lchown(name, sandbox.uid, sandbox.uid)
            _drop_privileges(sandbox.uid)
        else:  # Python itself is unreadable to another uid (it lives under /root): stay root, limits only
            notes.append("student code ran as root: the Python installation is private to root")
    _finish_entry(sandbox)
    _set_limits(limits, address_space())
    return notes


def _reachable_by_others(path: str) -> bool:
    """Can a user other than the owner walk down to ``path`` (every parent folder has o+x)?"""
    current = Path(path)
    for folder in [current, *current.parents]:
        try:
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _finish_entry(sandbox: Sandbox) -> None:
    os.chdir(sandbox.workdir)
    home = sandbox.workdir
    os.environ.update(
        HOME=home, IPYTHONDIR=os.path.join(home, ".ipython"), MPLCONFIGDIR=os.path.join(home, ".mpl"),
        JUPYTER_RUNTIME_DIR=os.path.join(home, ".jupyter"), TMPDIR=home,
    )
    import tempfile

    tempfile.tempdir = home
