"""Collect on the hub (netcourse.grading.collect): forged, late, linked, oversize and misnamed folders refused (fast).

Each test builds an nbgrader inbound folder by hand, as a hostile student would, and runs the collect the hub
configures. The owner tests chown to system accounts (``daemon`` as the victim, ``nobody`` as the forger) and so
need root; the rest use the account running the tests as the student.
"""

from __future__ import annotations

import os
import pwd
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from netcourse.grading.collect import CheckedCollect, parse_folder_name

COURSE, ASSIGNMENT = "c101", "hw"
ME = pwd.getpwuid(os.getuid()).pw_name
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="gives files to other accounts: needs root")


def stamp(delta: timedelta = timedelta(seconds=-30)) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


class Exchange:
    def __init__(self, tmp: Path):
        self.root = tmp / "exchange"
        self.inbound = self.root / COURSE / "inbound"
        self.inbound.mkdir(parents=True)
        self.course = tmp / "course"
        self.course.mkdir()

    def submit(self, student: str, when: str, *, owner: str | None = None, text: str = "answer",
               random: str = "r4nd0m", files: dict[str, str] | None = None, timestamp_txt: str | None = None) -> Path:
        folder = self.inbound / f"{student}+{ASSIGNMENT}+{when}+{random}"
        folder.mkdir()
        for name, body in (files if files is not None else {"hw.ipynb": text}).items():
            (folder / name).write_text(body)
        (folder / "timestamp.txt").write_text(timestamp_txt or when)
        if owner:
            account = pwd.getpwnam(owner)
            for path in [folder, *folder.rglob("*")]:
                os.lchown(path, account.pw_uid, account.pw_gid)
        return folder

    def collect(self, **settings) -> CheckedCollect:
        config = Config()
        config.Exchange.root = str(self.root)
        config.CourseDirectory.root = str(self.course)
        config.CourseDirectory.course_id = COURSE
        config.CourseDirectory.assignment_id = ASSIGNMENT
        for name, value in settings.items():
            section, key = name.split("__")
            config[section][key] = value
        coursedir = CourseDirectory(config=config)
        app = CheckedCollect(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
        app.start()
        return app

    def collected(self, student: str) -> str | None:
        notebook = self.course / "submitted" / student / ASSIGNMENT / "hw.ipynb"
        return notebook.read_text() if notebook.exists() else None


@pytest.fixture
def exchange(tmp_path) -> Exchange:
    return Exchange(tmp_path)


def reasons(app: CheckedCollect) -> dict[str, str]:
    return {r.folder: f"{r.student}: {r.reason}" for r in app.refused}


@needs_root
def test_a_forged_2099_submission_is_refused_and_the_victims_own_is_collected(exchange, caplog):
    exchange.submit("daemon", stamp(), owner="daemon", text="daemon's real work")
    forged = exchange.submit("daemon", "2099-01-01 00:00:00.000000 UTC", owner="nobody", text="mallory's",
                             random="f0rg3d")
    app = exchange.collect()
    assert exchange.collected("daemon") == "daemon's real work"
    assert reasons(app)[forged.name] == "daemon: files owned by nobody"
    assert "Not collected: daemon:" in caplog.text


@needs_root
def test_a_forgery_with_a_plausible_date_is_refused_by_owner(exchange):
    exchange.submit("daemon", stamp(timedelta(seconds=-60)), owner="daemon", text="real")
    forged = exchange.submit("daemon", stamp(), owner="nobody", text="forged", random="x")
    app = exchange.collect()
    assert exchange.collected("daemon") == "real"
    assert reasons(app)[forged.name] == "daemon: files owned by nobody"


@needs_root
def test_a_file_planted_inside_someone_elses_folder_is_refused(exchange):
    folder = exchange.submit("daemon", stamp(), owner="daemon")
    planted = folder / "extra.py"
    planted.write_text("print('hi')")
    os.chown(planted, pwd.getpwnam("nobody").pw_uid, -1)
    app = exchange.collect()
    assert reasons(app)[folder.name] == "daemon: files owned by nobody (extra.py)"
    assert exchange.collected("daemon") is None


def test_a_future_timestamp_never_beats_the_real_submission(exchange):
    exchange.submit(ME, stamp(), text="on time")
    future = exchange.submit(ME, stamp(timedelta(days=3)), random="future")
    app = exchange.collect()
    assert exchange.collected(ME) == "on time"
    assert "in the future" in reasons(app)[future.name]


def test_a_symlink_to_the_solution_is_never_collected(exchange, tmp_path):
    solution = tmp_path / "solution.ipynb"
    solution.write_text("the instructor's solution")
    exchange.submit(ME, stamp(timedelta(seconds=-60)), text="mine")
    linked = exchange.submit(ME, stamp(), random="link", files={})
    (linked / "hw.ipynb").symlink_to(solution)
    whole = exchange.inbound / f"{ME}+{ASSIGNMENT}+{stamp(timedelta(seconds=-10))}+whole"
    whole.symlink_to(tmp_path)
    app = exchange.collect()
    assert exchange.collected(ME) == "mine"
    assert reasons(app)[linked.name] == f"{ME}: hw.ipynb is a symbolic link"
    assert reasons(app)[whole.name] == f"{ME}: the folder is a symbolic link"


def test_a_submission_changed_after_its_time_is_refused(exchange):
    backdated = exchange.submit(ME, stamp(timedelta(hours=-1)), text="written an hour late")
    app = exchange.collect()
    assert exchange.collected(ME) is None
    assert "changed at" in reasons(app)[backdated.name] and "after its submission time" in reasons(app)[backdated.name]


def test_bad_names_are_reported_and_do_not_stop_everyone_elses_collect(exchange):
    exchange.submit(ME, stamp(), text="fine")
    for name in (f"{ME}+{ASSIGNMENT}+not-a-date+x", f"{ME}+{ASSIGNMENT}+", f"nobody-xyz-123+{ASSIGNMENT}+{stamp()}+x"):
        (exchange.inbound / name).mkdir()
    app = exchange.collect()
    assert exchange.collected(ME) == "fine"
    found = reasons(app)
    assert found[f"{ME}+{ASSIGNMENT}+not-a-date+x"] == f"{ME}: the timestamp 'not-a-date' is not a date"
    assert "no timestamp" in found[f"{ME}+{ASSIGNMENT}+"]
    assert [v for v in found.values() if v.startswith("nobody-xyz-123")] == ["nobody-xyz-123: no account of that name"]


def test_oversize_fifo_and_disagreeing_timestamp_txt_are_refused(exchange):
    big = exchange.submit(ME, stamp(), files={"hw.ipynb": "x" * 3000}, random="big")
    odd = exchange.submit(ME, stamp(timedelta(seconds=-5)), random="fifo")
    os.mkfifo(odd / "pipe")
    lied = exchange.submit(ME, stamp(timedelta(seconds=-8)), random="lied", timestamp_txt=stamp(timedelta(days=-9)))
    app = exchange.collect(CourseDirectory__max_dir_size=1)
    found = reasons(app)
    assert "more than 1000 bytes" in found[big.name]
    assert found[odd.name] == f"{ME}: pipe is not a plain file"
    assert "timestamp.txt says" in found[lied.name]
    assert exchange.collected(ME) is None


def test_the_copy_is_checked_again(exchange, tmp_path, caplog):
    """A file swapped for a link between the check and the copy: the copy keeps the link, is refused and removed."""
    folder = exchange.submit(ME, stamp())
    app = exchange.collect()
    (tmp_path / "secret").write_text("solution")
    (folder / "late-link").symlink_to(tmp_path / "secret")
    dest = exchange.course / "again"
    app.do_copy(str(folder), str(dest))
    assert not dest.exists()
    assert str(app.refused[-1]).startswith(f"{ME}: late-link is not a plain file")


def test_folder_names_parse_like_nbgrader():
    student, when = parse_folder_name(f"ben+{ASSIGNMENT}+2024-03-01 10:00:00.000000 UTC+abc", ASSIGNMENT)
    assert (student, when) == ("ben", datetime(2024, 3, 1, 10, 0))
    assert parse_folder_name(f"ben+{ASSIGNMENT}+2024-03-01 10:00:00 UTC", ASSIGNMENT)[0] == "ben"
    for bad in (f"+{ASSIGNMENT}+2024-03-01 10:00:00 UTC", "ben+other+2024-03-01 10:00:00 UTC",
                f"ben+{ASSIGNMENT}+2024-03-01 10:00:00 UTC+a+b", f"ben+{ASSIGNMENT}+yesterday"):
        with pytest.raises(ValueError):
            parse_folder_name(bad, ASSIGNMENT)
