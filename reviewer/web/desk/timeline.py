"""The application's timeline: intake, inspection runs, assignments, decisions, mail, notes.

Built from the audit trail (every one of these is an audit event on the
application) plus the notes' text, which the audit event does not copy. Views of
files and reveals are counted, not listed: they would drown the story.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import Application, AuditEvent, Note, db
from models.status import Status
from reviewer.services.decisions import KIND_LABELS
from reviewer.services.masking import mask_text

QUIET = ("material.view", "pii.reveal", "application.view")
ACTION_LABELS = {
    "application.intake": "收到备案申请",
    "application.assign": "分配",
    "application.expired": "订单过期关闭",
    "inspection.finished": "自动检查完成",
    "inspection.failed": "自动检查失败",
    "inspection.rerun": "重新检查",
    "decision.approve": "初审通过",
    "decision.reject": "驳回",
    "decision.request_mail": "要求邮寄资料",
    "decision.overturn": "质检改判",
    "review.agree": "抽检复核：同意",
    "mail.shipped": "资料已寄出",
    "mail.received": "邮寄资料已收到",
    "note.add": "内部备注",
    "reprocess.start": "批量重新检查",
}
ICONS = {"application": "in", "inspection": "ai", "decision": "ok", "mail": "ml",
         "note": "nt", "review": "qa"}


@dataclass
class TimelineEntry:
    at: dt.datetime
    action: str
    title: str
    actor: str
    text: str = ""
    kind: str = ""


def _describe(event: AuditEvent) -> str:
    detail = event.detail or {}
    parts = []
    if event.action == "application.assign":
        parts.append(f"→ {detail.get('assignee') or '未分配'}")
    if event.action == "inspection.finished":
        parts.append(f"发现 {detail.get('findings', 0)} 项，建议 {detail.get('recommendation')}")
    if event.action == "inspection.failed":
        parts.append(str(detail.get("error", ""))[:200])
    if detail.get("reasons"):
        parts.append("原因：" + "、".join(detail["reasons"]))
    if event.action == "decision.overturn":
        parts.append(f"改为{KIND_LABELS.get(detail.get('kind'), '')}")
    if event.action == "mail.shipped":
        parts.append(f"快递单号 {detail.get('tracking_number', '')}")
    status = detail.get("status")
    if isinstance(status, dict) and status.get("to") in Status._value2member_map_:
        parts.append(f"状态 → {Status(status['to']).label}")
    return mask_text("；".join(p for p in parts if p))


def timeline(application: Application) -> tuple[list[TimelineEntry], dict[str, int]]:
    """The entries oldest first, and how many quiet events (views, reveals) there were."""
    events = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.target_type == "application",
                                    AuditEvent.target_id == application.id)
        .order_by(AuditEvent.id)).scalars().all()
    notes = {n.id: n for n in db.session.execute(
        db.select(Note).where(Note.application_id == application.id)).scalars()}
    entries, quiet = [], {action: 0 for action in QUIET}
    for event in events:
        if event.action in QUIET:
            quiet[event.action] += 1
            continue
        text = _describe(event)
        note = notes.get((event.detail or {}).get("note"))
        if event.action == "note.add" and note is not None:
            text = mask_text(note.body)
        entries.append(TimelineEntry(
            at=event.at, action=event.action,
            title=ACTION_LABELS.get(event.action, event.action), actor=event.actor,
            text=text, kind=ICONS.get(event.action.split(".")[0], "")))
    return entries, quiet
