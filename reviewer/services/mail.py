"""Re-running the inspection of one application, and the mailed-materials lifecycle.

邮寄资料: a request moves requested -> shipped (with the tracking number) ->
received; receiving it moves the application awaiting_mail -> mail_received and
re-runs the inspection, so the application comes back to the queue when done.
"""
from __future__ import annotations

import re

from models import Application, InspectionRun, MailRequest, User, db, utcnow
from models.audit import record
from models.status import Status, transition
from reviewer.services import inspections
from reviewer.services.decisions import DecisionConflict, DecisionError

RERUNNABLE = (Status.AWAITING_REVIEW.value, Status.MAIL_RECEIVED.value)
MAIL_LABELS = {"requested": "已要求邮寄", "shipped": "已寄出", "received": "已收到",
               "withdrawn": "已撤回"}
TRACKING = re.compile(r"^[A-Za-z0-9-]{4,40}$")


def _queue_rerun(application: Application, user: User, why: str) -> InspectionRun:
    """A new run and the move to inspecting, in the caller's transaction."""
    before = application.status
    run = inspections.start(application, inspections.RERUN)
    record("inspection.rerun", actor=user.username, actor_id=user.id,
           target_type="application", target_id=application.id,
           detail={"run": run.id, "why": why,
                   "status": {"from": before, "to": application.status}})
    return run


def rerun(application: Application, user: User, *,
          expected_version: int | None) -> InspectionRun:
    if expected_version is not None and application.version != expected_version:
        raise DecisionConflict("此申请已被他人更新，请刷新后重试。")
    if application.status not in RERUNNABLE:
        raise DecisionError(f"当前状态（{Status(application.status).label}）不能重新检查。")
    run = _queue_rerun(application, user, "reviewer")
    db.session.commit()
    inspections.try_enqueue(run)
    return run


def ship(mail: MailRequest, tracking_number: str, user: User) -> None:
    tracking_number = tracking_number.strip()
    if mail.status != "requested":
        raise DecisionConflict(f"该邮寄请求当前为“{MAIL_LABELS[mail.status]}”，不能再登记寄出。")
    if not TRACKING.match(tracking_number):
        raise DecisionError("快递单号应为 4–40 位字母、数字或连字符。")
    mail.status, mail.tracking_number, mail.shipped_at = "shipped", tracking_number, utcnow()
    record("mail.shipped", actor=user.username, actor_id=user.id, target_type="application",
           target_id=mail.application_id,
           detail={"mail_request": mail.id, "tracking_number": tracking_number})
    db.session.commit()


def receive(mail: MailRequest, user: User) -> InspectionRun:
    """The originals arrived: mail_received, then a new inspection run (-> inspecting)."""
    if mail.status != "shipped":
        raise DecisionConflict(f"该邮寄请求当前为“{MAIL_LABELS[mail.status]}”，"
                               "请先登记快递单号。" if mail.status == "requested"
                               else "该邮寄请求已确认收到。")
    application = db.session.get(Application, mail.application_id)
    if application.status != Status.AWAITING_MAIL:
        raise DecisionConflict(f"申请当前状态为“{Status(application.status).label}”，"
                               "不在等待邮寄资料。")
    mail.status, mail.received_at = "received", utcnow()
    transition(application, Status.MAIL_RECEIVED)
    record("mail.received", actor=user.username, actor_id=user.id, target_type="application",
           target_id=application.id,
           detail={"mail_request": mail.id,
                   "status": {"from": Status.AWAITING_MAIL.value, "to": application.status}})
    run = _queue_rerun(application, user, "mail_received")
    db.session.commit()
    inspections.try_enqueue(run)
    return run
