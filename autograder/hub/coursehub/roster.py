"""The roster as the truth at every hub start: who is in the course, in which role, and what goes when they leave.

JupyterHub only ever adds: ``load_groups`` never removes a member, and with ``allowed_users`` set it lets anyone
already in its database log in again (``allow_existing_users``). So a teaching assistant taken off the roster kept
the formgrader. At each start the hub's config calls :func:`reconcile` before JupyterHub opens its database:

* people in the hub's database but not on the roster become ``Authenticator.blocked_users``: JupyterHub (5.2+)
  then strips their roles and groups, stops their servers and refuses their logins;
* everyone left is removed from the course groups the roster no longer gives them (a demoted TA from
  ``formgrade-<course>``, a promoted student from ``nbgrader-<course>``);
* whoever lost staff rights or left loses every API and OAuth token (open formgrader sessions end at once);
* staff rights themselves are roles with an explicit member list, which JupyterHub makes exact at each start.

:class:`RosterRoleMixin` (for the spawner) records the role a server was started with and stops it at the next
check when the roster now says otherwise, so a demoted TA's server never outlives the change.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("instructor", "grader", "student")


class RosterError(ValueError):
    """The roster cannot be read (the message names the file and line)."""


@dataclass(frozen=True)
class Roster:
    instructors: frozenset[str]
    graders: frozenset[str]
    students: frozenset[str]
    grader_account: str

    @property
    def staff(self) -> frozenset[str]:
        return self.instructors | self.graders | {self.grader_account}

    @property
    def everyone(self) -> frozenset[str]:
        return self.staff | self.students

    def role_of(self, name: str) -> str | None:
        """'instructor' (the grader account too), 'grader', 'student', or None for someone not on the roster."""
        if name in self.instructors or name == self.grader_account:
            return "instructor"
        if name in self.graders:
            return "grader"
        if name in self.students:
            return "student"
        return None


def read_roster(path: Path, grader_account: str) -> Roster:
    """The roster from a ``username,role`` CSV; a missing file or a bad row stops the hub with the line number."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"no roster at {path}: write it (CSV with columns username,role; roles "
                          f"{', '.join(ROLES)}) or point NETCOURSE_ROSTER at it")
    people: dict[str, set[str]] = {role: set() for role in ROLES}
    seen: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"username", "role"} <= {f.strip() for f in reader.fieldnames}:
            raise RosterError(f"{path}, line 1: the header must be username,role")
        for number, row in enumerate(reader, start=2):
            row = {(k or "").strip(): v for k, v in row.items()}
            name = (row.get("username") or "").strip()
            role = (row.get("role") or "").strip().lower()
            if not name or role not in ROLES:
                raise RosterError(f"{path}, line {number}: need a username and a role ({', '.join(ROLES)}); got {row}")
            if name in seen and seen[name] != role:
                raise RosterError(f"{path}, line {number}: {name} is listed as {seen[name]} and as {role}")
            seen[name] = role
            people[role].add(name)
    staff = people["instructor"] | people["grader"] | {grader_account}
    return Roster(frozenset(people["instructor"]), frozenset(people["grader"] - people["instructor"]),
                  frozenset(people["student"] - staff), grader_account)


@dataclass
class Plan:
    """What a start changes: who is blocked, who leaves which group, whose tokens go (lost staff rights, or left)."""

    blocked: set[str] = field(default_factory=set)
    leave: dict[str, set[str]] = field(default_factory=dict)  # group -> members to remove
    revoke_tokens: set[str] = field(default_factory=set)

    def summary(self) -> list[str]:
        lines = [f"blocked (not on the roster): {', '.join(sorted(self.blocked))}"] if self.blocked else []
        lines += [f"removed from {group}: {', '.join(sorted(names))}" for group, names in self.leave.items() if names]
        if self.revoke_tokens:
            lines.append(f"tokens revoked (lost staff rights or left): {', '.join(sorted(self.revoke_tokens))}")
        return lines


def plan(roster: Roster, groups: dict[str, frozenset[str]], known_users: set[str],
         members: dict[str, set[str]], staff_before: set[str]) -> Plan:
    """Pure: the changes that make the hub's database agree with the roster.

    ``groups`` is what each course group should hold, ``members`` what it holds now, ``known_users`` everyone in
    the hub's database and ``staff_before`` who held a staff group or role there.
    """
    result = Plan(blocked=set(known_users) - roster.everyone)
    for group, should in groups.items():
        result.leave[group] = set(members.get(group, set())) - set(should)
    result.revoke_tokens = ((set(staff_before) & set(known_users)) - roster.staff) | result.blocked
    return result


def _sqlite_file(db_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):]) if db_url.startswith(prefix) else None


def course_groups(roster: Roster, staff_group: str, student_group: str) -> dict[str, frozenset[str]]:
    """Who each course group holds: staff (and the grader account) in one, students in the other."""
    return {staff_group: roster.staff, student_group: roster.students}


def reconcile(db_url: str, roster: Roster, staff_group: str, student_group: str, staff_roles: tuple[str, ...],
              log=print) -> Plan:
    """Apply :func:`plan` to the hub's database (through JupyterHub's own ORM) and return it.

    A database that does not exist yet holds nobody to revoke. One that needs ``jupyterhub upgrade-db`` stops the
    hub with that instruction (the upgrade command itself is let through, and the next start reconciles).
    """
    from jupyterhub import orm

    sqlite_file = _sqlite_file(db_url)
    if sqlite_file is not None and not sqlite_file.exists():
        return Plan()
    try:
        session_factory = orm.new_session_factory(db_url)
    except orm.DatabaseSchemaMismatch as error:
        if "upgrade-db" in sys.argv[1:2]:
            return Plan()
        raise RosterError(f"the hub database needs `jupyterhub upgrade-db` first: {error}") from None
    db = session_factory()
    try:
        groups = course_groups(roster, staff_group, student_group)
        users = {user.name: user for user in db.query(orm.User)}
        members = {}
        for name in groups:
            group = orm.Group.find(db, name)
            members[name] = {user.name for user in group.users} if group else set()
        staff_before = set(members[staff_group])
        for name in staff_roles:
            role = orm.Role.find(db, name)
            if role is not None:
                staff_before |= {user.name for user in role.users}
        changes = plan(roster, groups, set(users), members, staff_before)
        for name, leaving in changes.leave.items():
            group = orm.Group.find(db, name)
            for user in list(group.users) if group else []:
                if user.name in leaving:
                    group.users.remove(user)
        for name in changes.revoke_tokens:
            for token in list(users[name].api_tokens):
                db.delete(token)
        db.commit()
    finally:
        db.close()
        session_factory.kw["bind"].dispose()
    for line in changes.summary():
        log(f"roster: {line}")
    return changes


class RosterRoleMixin:
    """Spawner mixin: remember the role a server started with; a server whose role the roster changed is stopped.

    The subclass sets ``role_for`` (username -> role or None). JupyterHub polls every server at start (and every
    ``poll_interval``); a server started as a TA whose roster line now says student reports itself as stopped, so
    JupyterHub stops it and the next start picks the new profile.
    """

    role_for = staticmethod(lambda name: None)
    started_role: str | None = None

    def get_state(self):
        state = super().get_state()
        role = self.started_role or (self.environment or {}).get("NETCOURSE_ROLE")
        if role:
            state["netcourse_role"] = role
        return state

    def load_state(self, state):
        super().load_state(state)
        self.started_role = state.get("netcourse_role")

    def clear_state(self):
        super().clear_state()
        self.started_role = None

    async def start(self):
        self.started_role = (self.environment or {}).get("NETCOURSE_ROLE")
        return await super().start()

    async def poll(self):
        status = await super().poll()
        now = self.role_for(self.user.name)
        if status is None and self.started_role and now != self.started_role:
            self.log.warning("Stopping %s's server: started as %s, the roster now says %s", self.user.name,
                             self.started_role, now or "not in the course")
            return 1
        return status
