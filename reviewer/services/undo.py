"""Undo (撤销): a decision's author may take it back within the undo window
(`DECISION_UNDO_SECONDS`, default 120 s); after that it is final. Both the decision and
its undo are in the audit log; the undone decision stays on record, marked."""
from __future__ import annotations

import datetime as dt

from config import current as settings
from models import Application, Decision, MailRequest, User, db, utcnow
from models.audit import record
from models.status import Status, transition
from reviewer.services.decisions import KIND_TARGET, DecisionConflict, DecisionError, commit_or_conflict


def undo_deadline(decision: Decision) -> dt.datetime:
    return decision.decided_at + dt.timedelta(seconds=settings().undo_seconds)


def _latest(application_id: str) -> int | None:
    return db.session.execute(
        db.select(Decision.id).where(Decision.application_id == application_id)
        .order_by(Decision.id.desc()).limit(1)).scalar_one_or_none()


def standing(decision: Decision) -> bool:
    """Not yet undone, overturned or reviewed, and still what the application shows."""
    return (decision.undone_at is None and decision.overturns_id is None
            and decision.second_review is None and _latest(decision.application_id) == decision.id
            and decision.application.status == KIND_TARGET[decision.kind])


def undoable(decision: Decision | None, user: User, now: dt.datetime | None = None) -> bool:
    if decision is None or decision.decided_by_id != user.id:
        return False
    return (now or utcnow()) <= undo_deadline(decision) and standing(decision)


def undo(decision: Decision, user: User) -> None:
    """Put the application back in the author's queue, or raise DecisionError."""
    if decision.decided_by_id != user.id:
        raise DecisionError("只能撤销自己做出的决定。")
    if not standing(decision):
        raise DecisionConflict("该决定已不是此申请的现行决定，无法撤销。")
    if utcnow() > undo_deadline(decision):
        raise DecisionError("撤销时限已过，该决定已生效（如需更改请联系质检主管改判）。")
    application = decision.application
    before = application.status
    transition(application, Status.AWAITING_REVIEW)
    application.assignee_id = user.id
    decision.undone_at = utcnow()
    _withdraw_mail(decision)
    record("decision.undo", actor=user.username, actor_id=user.id,
           target_type="application", target_id=application.id,
           detail={"decision": decision.id, "kind": decision.kind,
                   "status": {"from": before, "to": application.status}})
    commit_or_conflict(application.id)


def _withdraw_mail(decision: Decision) -> None:
    db.session.execute(db.update(MailRequest).where(
        MailRequest.decision_id == decision.id, MailRequest.status == "requested")
        .values(status="withdrawn"))


def latest_undoable(application: Application, user: User) -> Decision | None:
    latest = _latest(application.id)
    decision = db.session.get(Decision, latest) if latest is not None else None
    return decision if undoable(decision, user) else None
