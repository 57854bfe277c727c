"""Collect only what students really submitted: nbgrader's collect, every inbound folder checked first.

nbgrader's exchange lets anyone write into ``inbound`` (that is how students submit), and its collect trusts the
folder name ``<student>+<assignment>+<timestamp>+<random>``: a student can create a folder named after a classmate
(or run ``nbgrader submit --student <classmate>``), nbgrader only logs "cheating attempt?" and collects it, and a
timestamp in 2099 beats every real submission. A folder named with a timestamp it cannot parse stops the whole
collect. :class:`CheckedCollect` keeps nbgrader's collect (latest submission, or the latest before the due date
with ``--before-duedate``) but first refuses, and reports by student, any folder that

* has a name nbgrader would misread (no timestamp, an unparsable one, a student name that is no account);
* is dated in the future (more than ``clock_slack`` seconds ahead of now);
* is not owned, in every file and folder, by the account of the student it names;
* is a symbolic link or holds one (a link to the instructor's solution would be graded as the student's), or
  holds anything that is not a plain file or folder;
* was changed after its submission time (a file's ctime, which its owner cannot set back, later than the
  timestamp by more than ``clock_slack``): an edit after the deadline, or a back-dated folder;
* disagrees with its own ``timestamp.txt``, or is larger than nbgrader's ``max_dir_size`` or ``max_files``.

Each refused folder is logged as ``Not collected: <student>: <reason> (<folder>)`` (the formgrader shows that log),
and the student's latest valid submission is collected in its place. The copy keeps symbolic links as links and is
checked again afterwards, so a file swapped for a link while collect runs is refused too.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.utils import check_mode, ignore_patterns, parse_utc
from traitlets import Integer

ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._@-]*$")


@dataclass(frozen=True)
class Refusal:
    """One inbound folder that is not collected, and why."""

    folder: str
    student: str
    reason: str

    def __str__(self) -> str:
        return f"{self.student}: {self.reason} ({self.folder})"


def parse_folder_name(name: str, assignment: str) -> tuple[str, datetime]:
    """The student and the UTC timestamp a ``<student>+<assignment>+<timestamp>[+<random>]`` name claims."""
    parts = name.split("+")
    try:
        at = parts.index(assignment, 1)
    except ValueError:
        raise ValueError(f"the name does not name the assignment {assignment}") from None
    student, rest = "+".join(parts[:at]), parts[at + 1:]
    if not ACCOUNT_NAME.match(student):
        raise ValueError("the name does not start with a student's account name")
    if len(rest) not in (1, 2) or not rest[0]:
        raise ValueError("the name has no timestamp where nbgrader expects one")
    try:
        return student, parse_utc(rest[0])
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"the timestamp {rest[0]!r} is not a date") from None


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)


def check_submission(path: str, student: str, timestamp: datetime, *, now: datetime, clock_slack: int,
                     max_bytes: int, max_files: int) -> str | None:
    """Why the folder at ``path`` is not ``student``'s submission made at ``timestamp``; None when it is."""
    try:
        account = pwd.getpwnam(student)
    except KeyError:
        return "no account of that name"
    try:
        top = os.lstat(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if top.st_uid != account.pw_uid:
        return f"files owned by {_owner(top.st_uid)}"
    if stat.S_ISLNK(top.st_mode):
        return "the folder is a symbolic link"
    if not stat.S_ISDIR(top.st_mode):
        return "not a folder"
    slack = timedelta(seconds=clock_slack)
    if timestamp > now + slack:
        return f"dated {timestamp:%Y-%m-%d %H:%M:%S} UTC, in the future"
    total = count = 0
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as error:
            return f"{os.path.relpath(folder, path)} cannot be read ({error.strerror})"
        for name in names:
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, path)
            info = os.lstat(full)
            count += 1
            if count > max_files:
                return f"more than {max_files} files"
            if info.st_uid != account.pw_uid:
                return f"files owned by {_owner(info.st_uid)} ({rel})"
            if stat.S_ISLNK(info.st_mode):
                return f"{rel} is a symbolic link"
            if stat.S_ISDIR(info.st_mode):
                stack.append(full)
            elif not stat.S_ISREG(info.st_mode):
                return f"{rel} is not a plain file"
            else:
                total += info.st_size
                if total > max_bytes:
                    return f"more than {max_bytes} bytes (nbgrader's max_dir_size)"
            changed = _utc(info.st_ctime)
            if changed > timestamp + slack:
                return f"{rel} changed at {changed:%Y-%m-%d %H:%M:%S} UTC, after its submission time"
    stamp_file = os.path.join(path, "timestamp.txt")
    if not os.path.isfile(stamp_file):
        return "no timestamp.txt"
    try:
        with open(stamp_file, encoding="utf-8") as handle:
            written = parse_utc(handle.read(200).strip())
    except (OSError, ValueError, OverflowError, TypeError):
        return "timestamp.txt is not a date"
    if abs(written - timestamp) > timedelta(seconds=1):
        return f"timestamp.txt says {written:%Y-%m-%d %H:%M:%S}, the folder name {timestamp:%Y-%m-%d %H:%M:%S}"
    return None


def _snapshot(path: str) -> list[tuple[str, int, int, float]]:
    """Every entry under ``path`` with its inode, mode and ctime (to see that nothing changed during the copy)."""
    entries = []
    for folder, subfolders, files in os.walk(path):
        for name in sorted(subfolders + files):
            info = os.lstat(os.path.join(folder, name))
            entries.append((os.path.relpath(os.path.join(folder, name), path), info.st_ino, info.st_mode,
                            info.st_ctime))
    return entries


class CheckedCollect(ExchangeCollect):
    """nbgrader's collect, refusing folders that are not the named student's own, on-time, plain submission."""

    clock_slack = Integer(
        120, help="Seconds a submission's timestamp may lie ahead of now, and its files' change times after it."
    ).tag(config=True)
    max_files = Integer(2000, help="Most files and folders one submission may hold.").tag(config=True)

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        assignment = self.coursedir.assignment_id
        student_id = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{assignment}+*")
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        self.refused: list[Refusal] = []
        records = []
        for path in sorted(glob.glob(pattern)):
            name = os.path.basename(path)
            try:
                student, timestamp = parse_folder_name(name, assignment)
            except ValueError as error:
                self._refuse(name, name.split("+")[0] or "?", str(error))
                continue
            reason = check_submission(path, student, timestamp, now=now, clock_slack=self.clock_slack,
                                      max_bytes=1000 * self.coursedir.max_dir_size, max_files=self.max_files)
            if reason:
                self._refuse(name, student, reason)
            else:
                records.append({"username": student, "filename": name, "timestamp": timestamp})
        self.duedate = self._duedate()
        self.src_records = []
        for submissions in groupby(records, lambda item: item["username"]).values():
            newest_first = self._sort_by_timestamp(submissions)
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in newest_first if r["timestamp"] <= self.duedate]
                self.src_records.append((on_time or newest_first)[0])
            else:
                self.src_records.append(newest_first[0])
        self.collected_students = sorted(r["username"] for r in self.src_records)

    def _duedate(self):
        from nbgrader.api import Gradebook, MissingEntry

        url = self.coursedir.db_url
        if url.startswith("sqlite:///") and not os.path.exists(url[len("sqlite:///"):]):
            return None  # no gradebook yet, so no due date (and no gradebook made just to find that out)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                return gradebook.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                return None

    def _refuse(self, folder: str, student: str, reason: str) -> None:
        refusal = Refusal(folder, student, reason)
        self.refused.append(refusal)
        self.log.error("Not collected: %s", refusal)

    def do_copy(self, src, dest, log=None):
        """Copy without following links, then check the copy and that the source did not change meanwhile."""
        before = _snapshot(src)
        shutil.copytree(src, dest, symlinks=True,
                        ignore=ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                               max_file_size=self.coursedir.max_file_size, log=self.log))
        problem = None
        if _snapshot(src) != before:
            problem = "changed while it was being collected"
        else:
            for folder, subfolders, files in os.walk(dest):
                for name in subfolders + files:
                    mode = os.lstat(os.path.join(folder, name)).st_mode
                    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                        problem = f"{os.path.relpath(os.path.join(folder, name), dest)} is not a plain file"
        if problem:
            shutil.rmtree(dest)
            student = os.path.basename(src).split("+")[0]
            self.collected_students = [s for s in self.collected_students if s != student]
            self._refuse(os.path.basename(src), student, problem)

    def copy_files(self):
        super().copy_files()
        if self.refused:
            self.log.error("%d inbound folder(s) not collected; students' valid submissions were collected "
                           "instead where they have one: %s", len(self.refused),
                           "; ".join(str(r) for r in self.refused))
