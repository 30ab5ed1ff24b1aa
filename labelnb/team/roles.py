"""Roles and project membership, checked in the kernel before every action.

A project without members is a personal one: whoever opens it may do everything (the notebook's owner owns
their kernel anyway). Adding the first member makes it a team project: from then on every action names who
does it, and only members whose role allows that action may do it. Label Studio's Enterprise roles are the
model (reference section G); the matrix below is labelnb's:

============  ===========  ======  ======  ======  ===============
role          see tasks    submit  review  export  change settings
============  ===========  ======  ======  ======  ===============
owner         yes          yes     yes     yes     yes
manager       yes          yes     yes     yes     yes
reviewer      yes          yes     yes
annotator                  yes
============  ===========  ======  ======  ======  ===============

"See tasks" is the project's task table and everyone's answers (tasks_frame, annotations, history,
progress, agreement, the dashboard); an annotator sees only the tasks the queue gives them and their own
answers ("submit": next task, submit, skip, drafts, postpone), which is what keeps overlap labelling blind.
Only an owner may make or unmake owners and managers, and a team always keeps at least one owner.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import Connection, delete, func, insert, select, update

from labelnb.store import Store, read_transaction, schema, write_transaction
from labelnb.store.codec import now_iso


class Role(str, Enum):
    """A member's role in a project."""

    OWNER = "owner"
    MANAGER = "manager"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"


class Action(str, Enum):
    """What a role may or may not do (see the module's table)."""

    SEE_TASKS = "see tasks"
    SUBMIT = "submit"
    REVIEW = "review"
    EXPORT = "export"
    SETTINGS = "change settings"


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MANAGER: frozenset(Action),
    Role.REVIEWER: frozenset({Action.SEE_TASKS, Action.SUBMIT, Action.REVIEW}),
    Role.ANNOTATOR: frozenset({Action.SUBMIT}),
}
#: roles only an owner may give or take away
_OWNERS_ONLY = frozenset({Role.OWNER, Role.MANAGER})


class NotAllowed(PermissionError):
    """The user's role (or their not being a member) does not allow the action; nothing was done."""


def as_role(role: Role | str) -> Role:
    """``role`` as a :class:`Role`, or ValueError naming the roles there are."""
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r}: use one of {names}") from None


class Team:
    """The members of one project and what each may do, read from the project's store on every check
    (another process may have changed them)."""

    def __init__(self, store: Store, title: str) -> None:
        self.store = store
        self.title = title

    def _role_in(self, conn: Connection, user: str) -> tuple[bool, Role | None]:
        """Whether the project has members at all, and ``user``'s role among them."""
        m, u = schema.members, schema.users
        row = conn.execute(
            select(m.c.role)
            .join(u, u.c.id == m.c.user_id)
            .where(m.c.project_id == self.store.project_id, u.c.email == user)
        ).scalar()
        if row is not None:
            return True, Role(row)
        return self.is_team(conn), None

    def is_team(self, conn: Connection | None = None) -> bool:
        """Whether the project has members (and so checks roles), read in ``conn`` when given."""
        if conn is None:
            with read_transaction(self.store.engine) as own:
                return self.is_team(own)
        m = schema.members
        found = conn.execute(select(m.c.user_id).where(m.c.project_id == self.store.project_id).limit(1))
        return found.scalar() is not None

    def role_of(self, user: str, conn: Connection | None = None) -> Role | None:
        """``user``'s role: their member role, :attr:`Role.OWNER` in a personal project, None for a
        non-member of a team project."""
        if conn is None:
            with read_transaction(self.store.engine) as own:
                return self.role_of(user, own)
        team, role = self._role_in(conn, user)
        return role if team else Role.OWNER

    def require(self, user: str, action: Action, conn: Connection | None = None) -> Role:
        """``user``'s role when it allows ``action``; :class:`NotAllowed` otherwise."""
        role = self.role_of(user, conn)
        if role is None:
            raise NotAllowed(f"{user} is not a member of project {self.title!r}, so may not {action.value}")
        if action not in ALLOWED[role]:
            raise NotAllowed(
                f"{user} is {_article(role)} in project {self.title!r} and may not {action.value}"
            )
        return role

    def members(self) -> dict[str, Role]:
        """Every member and their role, by name."""
        m, u = schema.members, schema.users
        with read_transaction(self.store.engine) as conn:
            rows = conn.execute(
                select(u.c.email, m.c.role)
                .join(u, u.c.id == m.c.user_id)
                .where(m.c.project_id == self.store.project_id)
                .order_by(u.c.email)
            )
            return {str(name): Role(role) for name, role in rows}

    def set_role(self, user: str, role: Role | str, by: str) -> None:
        """Make ``user`` a member with ``role`` (or change their role), as ``by``.

        In a personal project ``by`` becomes its first owner as well (so that someone still may change
        settings afterwards). Only owners and managers change members; only owners give or take away the
        owner and manager roles.
        """
        new_role = as_role(role)
        name = user.strip()
        if not name:
            raise ValueError("a member needs a non-empty name or e-mail")
        with write_transaction(self.store.engine) as conn:
            team, by_role = self._role_in(conn, by)
            if not team:
                self._write_role(conn, by, Role.OWNER)
                by_role = Role.OWNER
            current = self._role_in(conn, name)[1] if name != by else by_role
            self._check_change(by, by_role, current, new_role)
            self._write_role(conn, name, new_role)
            self._keep_an_owner(conn)

    def remove(self, user: str, by: str) -> None:
        """Take ``user`` out of the project's members, as ``by`` (who must be allowed to change members)."""
        with write_transaction(self.store.engine) as conn:
            _team, by_role = self._role_in(conn, by)
            current = self._role_in(conn, user)[1]
            if current is None:
                raise KeyError(f"{user} is not a member of project {self.title!r}")
            self._check_change(by, by_role, current, None)
            user_id = self.store.user_id(conn, user)
            conn.execute(
                delete(schema.members).where(
                    schema.members.c.project_id == self.store.project_id, schema.members.c.user_id == user_id
                )
            )
            self._keep_an_owner(conn)

    def _check_change(self, by: str, by_role: Role | None, current: Role | None, new: Role | None) -> None:
        if by_role is None or Action.SETTINGS not in ALLOWED[by_role]:
            what = "not a member" if by_role is None else _article(by_role)
            raise NotAllowed(f"{by} is {what} in project {self.title!r} and may not change its members")
        if by_role is not Role.OWNER and (current in _OWNERS_ONLY or new in _OWNERS_ONLY):
            raise NotAllowed(
                f"only an owner of project {self.title!r} may give or take the owner and manager roles"
            )

    def _write_role(self, conn: Connection, user: str, role: Role) -> None:
        m = schema.members
        user_id = self.store.user_id(conn, user)
        where = (m.c.project_id == self.store.project_id, m.c.user_id == user_id)
        if conn.execute(select(m.c.role).where(*where)).scalar() is None:
            conn.execute(
                insert(m).values(
                    project_id=self.store.project_id, user_id=user_id, role=role.value, created_at=now_iso()
                )
            )
        else:
            conn.execute(update(m).where(*where).values(role=role.value))

    def _keep_an_owner(self, conn: Connection) -> None:
        m = schema.members
        owners = conn.execute(
            select(func.count()).where(m.c.project_id == self.store.project_id, m.c.role == Role.OWNER.value)
        ).scalar_one()
        members = conn.execute(
            select(func.count()).where(m.c.project_id == self.store.project_id)
        ).scalar_one()
        if members and not owners:
            # raising rolls the whole change back
            raise ValueError(f"project {self.title!r} must keep at least one owner")


def _article(role: Role) -> str:
    return f"an {role.value}" if role.value[0] in "aeiou" else f"a {role.value}"
