"""Limits and isolation for one student's code: what each student process may use, and how it is sealed off.

Before running a line of the student's code, the student's process calls :func:`enter_sandbox`, which

* starts its own session and process group (so the worker can kill the whole group),
* closes stdin and sends the process's own stdout/stderr file descriptors to /dev/null,
* sets resource limits: address space (memory), CPU seconds, file size, processes, no core dumps,
* when the grader runs as root: enters a private mount namespace and network namespace, and there
  covers with empty mounts the course's private folders (``submitted/``, ``autograded/``, ``feedback/``,
  ``source/``, the gradebook), ``/root``, the shared temporary folders, and every folder other accounts
  cannot enter; then it mounts back, read-only, exactly what Python needs (the interpreter, its
  packages, the course package) and, writable, the student's own working folder; and then it switches
  to an unprivileged user id reserved for this process (:class:`UidSlot`), so it cannot undo any of it.

So a course checked out in a private folder (``mktemp -d``, a home folder) grades the same as one in a
shared place: the sandbox sees the Python installation and nothing else of that folder.

What is protected, and what is not:

* As root: other students' submissions, the gradebook, the instructors' source and everything under
  ``/root`` are invisible; there is no network; nothing can be passed between students through ``/tmp``;
  a fork bomb stops at ``max_processes``. The tests run in the judge, out of the student's reach.
* As an ordinary user (a laptop): limits and time-outs still apply, but the student's code runs with the
  instructor's user id, so it can read whatever the instructor can and could disturb the grader itself.
  Grade on a machine or container where you are root (or in a throw-away account) when submissions may
  be hostile.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import resource
import signal
import stat
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

SANDBOX_UID_BASE = 61000  # a student's process runs as uid/gid 61000 + k, k a slot no other grader holds (root)
SANDBOX_SLOTS = 64
SHARED_TEMP = ("/tmp", "/var/tmp", "/dev/shm")
_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
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
    submission_timeout: float = 0.0  # the parent's watchdog (0: from notebook_timeout, see recording.py)
    scratch_mb: int = 0  # the tmpfs a worker grades in, as root (0: sized from the course, see the worker)
    kill_grace: float = 3.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sandbox:
    """Where and as whom the student's process runs. ``uid`` is None when not root (no privilege drop, no
    namespaces). ``hide``: paths to make invisible; ``expose``: folders to keep readable (Python)."""

    workdir: str
    uid: int | None = None
    hide: tuple[str, ...] = ()
    expose: tuple[str, ...] = field(default=())


class SandboxError(OSError):
    """The student's process could not be sealed: grading it would not be safe."""


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


class UidSlot:
    """A sandbox uid that no other grading process on this machine uses while this one holds it.

    Slots are advisory locks on files in a root-only folder, so two graders (two courses, or two
    terminals) never give their students the same uid, and one grader's clean-up (which kills every
    process of its uid) never touches another's students. The lock goes when the process ends.
    """

    def __init__(self, folder: str | None = None):
        self.folder = Path(folder or ("/run/netcourse-grade" if os.path.isdir("/run") else
                                      Path(tempfile.gettempdir()) / "netcourse-grade-slots"))
        self.uid: int | None = None
        self._handle = None

    def acquire(self) -> int:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for slot in range(SANDBOX_SLOTS):
            handle = _lock_slot(self.folder / f"slot-{slot}.lock")  # held for the process's life
            if handle is None:
                continue
            uid = SANDBOX_UID_BASE + slot
            if _uid_in_use(uid):  # a real account, or something outside our locks: never share its uid
                handle.close()
                continue
            self._handle, self.uid = handle, uid
            return self.uid
        raise SandboxError(f"all {SANDBOX_SLOTS} sandbox uids are in use by other graders on this machine")

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle, self.uid = None, None


def _lock_slot(path: Path):
    """The open lock file of a slot, locked for us; None when another process holds it."""
    handle = open(path, "a+")  # noqa: SIM115 - the caller keeps it open as long as it holds the slot
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def reap_orphans(folder: str | None = None) -> int:
    """Kill what is left of students whose worker died (killed by the watchdog, or crashed) before it could clean
    up: every process of a sandbox uid whose slot no grader holds. The slot is held while its uid is swept, so no
    worker can take it meanwhile. Root only; returns how many processes were killed."""
    if not is_root():
        return 0
    import psutil

    base = Path(folder or UidSlot().folder)
    if not base.is_dir():
        return 0
    free: list = []
    try:
        for slot in range(SANDBOX_SLOTS):
            path = base / f"slot-{slot}.lock"
            if not path.exists():
                continue
            handle = _lock_slot(path)  # closed below, which releases it
            if handle is None:
                continue  # held by a live worker: its students are its own to clean up
            free.append((SANDBOX_UID_BASE + slot, handle))
        uids = {uid for uid, _ in free}
        killed = 0
        for _ in range(20):  # a fork loop may still be running: sweep until nothing of those uids is left
            victims = processes_of(uids)
            if not victims:
                break
            for proc in victims:
                try:
                    proc.kill()
                    killed += 1
                except psutil.Error:
                    pass
            psutil.wait_procs(victims, timeout=0.5)
        return killed
    finally:
        for _, handle in free:
            handle.close()


def processes_of(uids) -> list:
    """Every process (psutil) whose real or effective uid is one of ``uids``."""
    import psutil

    wanted = set(uids)
    found = []
    for proc in psutil.process_iter(["uids"]):
        ids = proc.info.get("uids")
        if ids and (ids.real in wanted or ids.effective in wanted):
            found.append(proc)
    return found


def _uid_in_use(uid: int) -> bool:
    import pwd

    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        pass
    return bool(processes_of({uid}))


def python_paths() -> tuple[str, ...]:
    """Folders the student's process must still read once everything private is covered: the interpreter,
    its packages, and the folders of every package already imported (an editable install of the course)."""
    import site

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    paths.update(site.getsitepackages())
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if isinstance(filename, str) and "." not in str(getattr(module, "__name__", ".")):
            # a top-level package is its folder; a top-level module, the folder it sits in
            folder = os.path.dirname(os.path.realpath(filename))
            paths.add(folder)
    real = {os.path.realpath(p) for p in paths if p and os.path.isdir(p)}
    return tuple(p for p in _outermost(tuple(real)) if p not in SHARED_TEMP and p != "/")


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
        raise SandboxError(err, f"mount {target}: {os.strerror(err)}")


def _outermost(paths: tuple[str, ...]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == k or path.startswith(k.rstrip(os.sep) + os.sep) for k in kept):
            kept.append(path)
    return kept


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def barriers(paths) -> set[str]:
    """For each path, the outermost folder above it that other accounts cannot enter (no o+x), if any."""
    found = set()
    for path in paths:
        parts = Path(path).parts
        for depth in range(2, len(parts) + 1):
            folder = str(Path(*parts[:depth]))
            try:
                if not os.stat(folder).st_mode & stat.S_IXOTH:
                    found.add(folder)
                    break
            except OSError:
                break
    return found


def cover_plan(sandbox: Sandbox) -> dict[str, list[str]]:
    """What :func:`_seal_filesystem` mounts, in order. Pure, so it can be tested as any user.

    * ``cover``: folders to cover with an empty tmpfs (private folders, shared temp folders, and the
      outermost folder on the way to Python or the working folder that other accounts cannot enter);
    * ``readonly`` / ``writable``: folders under a cover to mount back (Python; the working folder);
    * ``recover`` / ``blank``: private folders and files that a mounted-back folder would show again, or
      that no cover hides, to cover once more (folders) or to replace with an empty file (files).
    """
    workdir = os.path.realpath(sandbox.workdir)
    # never mount back a folder that holds the working folder: that would show other students' folders too
    readonly = [os.path.realpath(p) for p in sandbox.expose
                if os.path.isdir(p) and not _inside(workdir, os.path.realpath(p))]
    hidden_dirs = [p for p in sandbox.hide if os.path.isdir(p) and p != workdir]
    hidden_files = [p for p in sandbox.hide if os.path.isfile(p)]
    covers = set(hidden_dirs) | {p for p in SHARED_TEMP if os.path.isdir(p)} | barriers([workdir, *readonly])
    covers.discard(workdir)
    outer = _outermost(tuple(covers))
    back = [p for p in _outermost((workdir, *readonly)) if any(_inside(p, c) for c in outer)]
    writable = [p for p in back if _inside(workdir, p) or _inside(p, workdir)]
    mounted_back = [p for p in back if p not in writable]

    def shown_again(path: str) -> bool:  # under a folder that is mounted back, or not under any cover at all
        return any(_inside(path, b) for b in back) or not any(_inside(path, c) for c in outer)

    recover = _outermost(tuple(p for p in hidden_dirs if p not in outer and shown_again(p)
                               and not _inside(workdir, p)))
    blank = [p for p in hidden_files if shown_again(p)]
    return {"cover": outer, "readonly": mounted_back, "writable": writable, "recover": recover, "blank": blank}


def _seal_filesystem(sandbox: Sandbox) -> None:
    """Private mount + network namespaces; empty mounts over what is private; Python mounted back (root only)."""
    libc = _libc()
    if libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise SandboxError(err, f"unshare: {os.strerror(err)}")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    plan = cover_plan(sandbox)
    # handles on what must come back, opened before anything is covered
    handles = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY), readonly)
               for readonly, key in ((True, "readonly"), (False, "writable")) for path in plan[key]]
    for folder in plan["cover"]:
        mode = "1777" if folder in SHARED_TEMP else "0755"
        _mount("none", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size=16m,mode={mode}")
    for path, handle, readonly in handles:
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{handle}", path, None, _MS_BIND | _MS_REC)
        if readonly:
            _mount(None, path, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV)
        os.close(handle)
    for folder in plan["recover"]:
        _mount("none", folder, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_RDONLY, "size=4k,mode=0755")
    for path in plan["blank"]:
        _mount("/dev/null", path, None, _MS_BIND)  # a private file reads as empty


def scratch_on_tmpfs(folder: str, size_mb: int) -> bool:
    """Put ``folder`` (empty) on a tmpfs of ``size_mb`` MB, in a mount namespace of this process's own (root only;
    False when it cannot). A grading worker does this for the folders it grades in: RLIMIT_FSIZE caps one file,
    not how many a student's code writes, and those folders would otherwise lie on the machine's own disk (under
    /tmp, usually the disk of the course and its gradebook), which a student could fill for the whole class."""
    if not is_root():
        return False
    if _libc().unshare(_CLONE_NEWNS) != 0:
        return False
    try:
        _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
        options = f"size={max(1, int(size_mb))}m,nr_inodes=200000,mode=0700"  # inodes cost memory too
        _mount("none", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, options)
    except SandboxError:
        return False
    return True


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


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent (the worker) dies."""
    try:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def enter_sandbox(sandbox: Sandbox, limits: Limits) -> list[str]:
    """Seal the current (forked) process. Returns notes; raises :class:`SandboxError` when it cannot be sealed."""
    notes: list[str] = []
    worker = os.getppid()
    os.setsid()
    _die_with_parent()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big file gives OSError, not a dead kernel
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sandbox.uid is not None and is_root():
        try:
            _seal_filesystem(sandbox)
        except OSError as error:
            raise SandboxError(f"the student's process could not be sealed off ({error}); grade on a machine that "
                               "allows mount namespaces, or with --no-sandbox for a class you trust") from None
        for folder, dirs, files in os.walk(sandbox.workdir):
            for name in [folder, *(os.path.join(folder, f) for f in dirs + files)]:
                os.lchown(name, sandbox.uid, sandbox.uid)
        _drop_privileges(sandbox.uid)
        _die_with_parent()  # a change of uid cleared it: ask again, as the student's uid
    if os.getppid() != worker:  # the worker died meanwhile: nothing would ever stop this process
        os._exit(1)
    _finish_entry(sandbox)
    _set_limits(limits, address_space())
    return notes


# What of the grader's environment a student's process keeps: locale, search path, terminal, the settings the
# grader itself sets (NBGRADER_EXECUTION, the plotting backend, one thread per numeric library). Everything else,
# an instructor's JUPYTERHUB_API_TOKEN, cloud keys or passwords above all, would be one print() from the feedback.
KEPT_ENVIRONMENT = frozenset({
    "PATH", "LANG", "LANGUAGE", "TZ", "TERM", "NBGRADER_EXECUTION", "MPLBACKEND", "PYTHONHASHSEED",
    "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONIOENCODING", "NETCOURSE_WORK_DIR",
    "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
})


def student_environment(environ) -> dict[str, str]:
    """The part of ``environ`` a student's process may see (:data:`KEPT_ENVIRONMENT` and the locale's LC_*)."""
    return {k: v for k, v in environ.items() if k in KEPT_ENVIRONMENT or k.startswith("LC_")}


def _finish_entry(sandbox: Sandbox) -> None:
    os.chdir(sandbox.workdir)
    home = sandbox.workdir
    kept = student_environment(os.environ)
    os.environ.clear()
    os.environ.update(kept)
    os.environ.update(
        HOME=home, IPYTHONDIR=os.path.join(home, ".ipython"), MPLCONFIGDIR=os.path.join(home, ".mpl"),
        JUPYTER_RUNTIME_DIR=os.path.join(home, ".jupyter"), TMPDIR=home,
    )
    if home not in sys.path:
        sys.path.insert(0, home)  # the student's own modules, as a kernel started in their folder finds them
    import tempfile

    tempfile.tempdir = home
