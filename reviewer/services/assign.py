"""Assignment: "assign to me", "next case" and a supervisor's bulk assignment.

Taking a case is one conditional UPDATE (`... WHERE assignee_id IS NULL`), which
also bumps the optimistic-lock version: two reviewers pressing "next" at once
never get the same application. Only open cases change hands: a closed case keeps
the reviewer who handled it.
"""
from __future__ import annotations

from sqlalchemy import select, update

from models import Application, User, db
from models.audit import record
from models.status import OPEN_STATUSES, Status

TAKEABLE = (Status.AWAITING_REVIEW.value,)  # what "next case" hands out
ASSIGNABLE = tuple(sorted(status.value for status in OPEN_STATUSES))


def _audit_assign(application_id: str, actor: User, assignee: User | None, how: str) -> None:
    record("application.assign", actor=actor.username, actor_id=actor.id,
           target_type="application", target_id=application_id,
           detail={"assignee": assignee.username if assignee else None,
                   "assignee_id": assignee.id if assignee else None, "how": how})


def assignable(application: Application) -> bool:
    return application.status in ASSIGNABLE


def claim(application_id: str, user: User, *, how: str = "self",
          statuses: tuple[str, ...] = ASSIGNABLE) -> bool:
    """Assign an unassigned application in `statuses` to `user`; False if it is not."""
    result = db.session.execute(
        update(Application).where(Application.id == application_id,
                                  Application.assignee_id.is_(None),
                                  Application.status.in_(statuses))
        .values(assignee_id=user.id, version=Application.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    _audit_assign(application_id, user, user, how)
    db.session.commit()
    db.session.expire_all()
    return True


def release(application: Application, actor: User) -> bool:
    """Put an open case back in the queue; False for a closed one."""
    if not assignable(application):
        return False
    application.assignee_id = None
    _audit_assign(application.id, actor, None, "release")
    db.session.commit()
    return True


def own_next(user: User, skip: str | None = None) -> str | None:
    """The most urgent case already assigned to `user` and still waiting for 初审."""
    return db.session.execute(
        select(Application.id).where(Application.assignee_id == user.id,
                                     Application.status.in_(TAKEABLE),
                                     Application.id != (skip or ""))
        .order_by(Application.due_at, Application.id).limit(1)).scalar_one_or_none()


def next_case(user: User, *, skip: str | None = None, attempts: int = 5) -> str | None:
    """The reviewer's own most urgent open case, else the most urgent unassigned one
    (taken for them); never `skip` (the case on screen). None when the queue is empty."""
    mine = own_next(user, skip)
    if mine is not None:
        return mine
    for _ in range(attempts):
        candidate = db.session.execute(
            select(Application.id).where(Application.status.in_(TAKEABLE),
                                         Application.assignee_id.is_(None),
                                         Application.id != (skip or ""))
            .order_by(Application.due_at, Application.risk_score.desc(), Application.id)
            .limit(1)).scalar_one_or_none()
        if candidate is None:
            return None
        if claim(candidate, user, how="next", statuses=TAKEABLE):
            return candidate
    return None


def next_unclaimed(exclude: list[str]) -> str | None:
    """The most urgent case nobody holds, not among `exclude`; nothing is claimed."""
    return db.session.execute(
        select(Application.id).where(Application.status.in_(TAKEABLE),
                                     Application.assignee_id.is_(None),
                                     Application.id.not_in(exclude or [""]))
        .order_by(Application.due_at, Application.risk_score.desc(), Application.id)
        .limit(1)).scalar_one_or_none()


def skip(application_id: str, user: User, skipped: list[str]) -> str | None:
    """`n` on a case: release it if the reviewer holds it and it waits for 初审, and show
    the next unclaimed case not skipped before (it is claimed when it is decided)."""
    application = db.session.get(Application, application_id)
    if application is not None and application.assignee_id == user.id \
            and application.status in TAKEABLE:
        release(application, user)
    return next_unclaimed([*skipped, application_id])


def assign_many(application_ids: list[str], assignee: User | None, actor: User) -> int:
    """A supervisor's bulk assignment of open cases (None: unassign); how many changed."""
    rows = db.session.execute(select(Application).where(
        Application.id.in_(application_ids), Application.status.in_(ASSIGNABLE))).scalars().all()
    changed = 0
    for application in rows:
        new_id = assignee.id if assignee else None
        if application.assignee_id != new_id:
            application.assignee_id = new_id
            _audit_assign(application.id, actor, assignee, "bulk")
            changed += 1
    db.session.commit()
    return changed
