"""The decision service: approve, reject, request mailed materials, overturn.

Every decision changes the status through `transition()`, writes its audit event
last, and commits once. Two reviewers deciding the same application at once: the
version the page was rendered with is checked first, and the optimistic lock on
`applications.version` catches the rest; the loser gets a `DecisionConflict`
whose message says who decided what.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from config import current as settings
from models import Application, Decision, MailRequest, Role, User, db, utcnow
from models.audit import record
from models.status import DECIDED_STATUSES, IllegalTransition, Status, transition
from pipeline.findings import CATALOGUE
from reviewer.services import acknowledgement

KIND_LABELS = {"approve": "初审通过", "reject": "驳回", "request_mail": "要求邮寄资料"}
KIND_TARGET = {"approve": Status.APPROVED, "reject": Status.REJECTED,
               "request_mail": Status.AWAITING_MAIL}
# Reasons that are not a finding of the inspection (驳回原因中不对应检查项的部分).
FREE_REASONS = {
    "INFO_INCONSISTENT": "填写信息与证件材料不一致",
    "MATERIAL_UNCLEAR": "资料不清晰或不完整，请重新上传",
    "CONTENT_NOT_ALLOWED": "网站内容不属于可备案范围",
    "APPLICANT_REQUEST": "申请人要求撤回",
    "OTHER": "其他原因（见给申请人的说明）",
}
MAX_TEXT = 4000
MAX_HANDLING = dt.timedelta(days=7).total_seconds()


class DecisionError(Exception):
    """A decision that cannot be made as asked; `message` is Chinese, for the reviewer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DecisionConflict(DecisionError):
    """Someone else changed the application first."""


@dataclass(frozen=True)
class Verdict:
    kind: str  # approve | reject | request_mail
    reasons: tuple[str, ...] = ()
    note: str = ""  # internal, never shown to the applicant
    applicant_message: str = ""
    mail_items: tuple[str, ...] = ()
    acknowledged: tuple[str, ...] = ()  # block finding codes approved over


def reason_catalogue() -> dict[str, str]:
    """Reject reasons: every finding code with its Chinese title, then the free ones."""
    return {**{code: entry.title for code, entry in CATALOGUE.items()}, **FREE_REASONS}


def validate(verdict: Verdict) -> None:
    from pipeline.labels import MATERIAL_KIND_LABELS

    if verdict.kind not in KIND_TARGET:
        raise DecisionError("未知的决定类型。")
    unknown = set(verdict.reasons) - set(reason_catalogue())
    if unknown:
        raise DecisionError("驳回原因不在目录中：" + "、".join(sorted(unknown)))
    if verdict.kind == "reject" and not verdict.reasons:
        raise DecisionError("驳回至少需要选择一条原因。")
    if "OTHER" in verdict.reasons and not verdict.applicant_message.strip():
        raise DecisionError("选择“其他原因”时，请填写给申请人的说明。")
    if verdict.kind == "request_mail":
        if not verdict.mail_items:
            raise DecisionError("要求邮寄资料时，请至少选择一项资料。")
        if set(verdict.mail_items) - set(MATERIAL_KIND_LABELS):
            raise DecisionError("邮寄资料项目无效。")
    if len(verdict.note) > MAX_TEXT or len(verdict.applicant_message) > MAX_TEXT:
        raise DecisionError(f"说明不能超过 {MAX_TEXT} 字。")


def conflict_message(application: Application) -> str:
    latest = db.session.execute(
        db.select(Decision).where(Decision.application_id == application.id)
        .order_by(Decision.id.desc()).limit(1)).scalar_one_or_none()
    status = Status(application.status).label
    if application.status in (Status.SUBMITTED, Status.INSPECTING):
        return (f"此申请正在重新自动检查（当前状态：{status}），你的决定没有保存，"
                "请待检查完成后再决定。")
    if latest is not None and latest.decided_by is not None and \
            application.status in DECIDED_STATUSES:
        return (f"此申请已由 {latest.decided_by.display_name} 处理"
                f"（{KIND_LABELS.get(latest.kind, latest.kind)}），当前状态：{status}。"
                "你的决定没有保存，请刷新后查看。")
    return f"此申请已被他人更新（当前状态：{status}），你的决定没有保存，请刷新后重试。"


def commit_or_conflict(application_id: str) -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        application = db.session.get(Application, application_id)
        raise DecisionConflict(conflict_message(application)) from exc


def _handling_seconds(opened_at: float | None, now: dt.datetime) -> float | None:
    if opened_at is None:
        return None
    seconds = now.timestamp() - opened_at
    return round(seconds, 1) if 0 <= seconds <= MAX_HANDLING else None


def _has_overturned(application: Application, user: User) -> bool:
    return db.session.execute(db.select(Decision.id).where(
        Decision.application_id == application.id, Decision.decided_by_id == user.id,
        Decision.overturns_id.is_not(None)).limit(1)).first() is not None


def decide(application: Application, user: User, verdict: Verdict, *,
           expected_version: int | None, opened_at: float | None = None) -> Decision:
    """Record a reviewer's decision and move the application on, or raise."""
    validate(verdict)
    if expected_version is not None and application.version != expected_version:
        raise DecisionConflict(conflict_message(application))
    if application.status != Status.AWAITING_REVIEW:
        raise DecisionConflict(conflict_message(application))
    if application.assignee_id not in (None, user.id) and not user.has_role(Role.SUPERVISOR):
        raise DecisionError("此申请已分配给其他初审员。")
    _check_acknowledged(application, verdict)
    if _has_overturned(application, user):
        raise DecisionError("你曾改判过此申请，不能再对它做初审决定。")
    now = utcnow()
    before = application.status
    # Read before the application is changed: a lazy load after it would flush first,
    # and a rival's committed decision would surface as a bare StaleDataError (a 500).
    message = verdict.applicant_message.strip() or applicant_text(application, verdict)
    try:
        transition(application, KIND_TARGET[verdict.kind])
    except IllegalTransition as exc:
        raise DecisionConflict(conflict_message(application)) from exc
    application.assignee_id = application.assignee_id or user.id
    decision = Decision(
        application_id=application.id, kind=verdict.kind, reasons=list(verdict.reasons),
        note=verdict.note.strip(), decided_by_id=user.id, decided_at=now,
        applicant_message=message, run_id=application.latest_run_id,
        handling_seconds=_handling_seconds(opened_at, now), **_oversight(application, verdict))
    db.session.add(decision)
    _flush_or_conflict(application.id)
    if verdict.kind == "request_mail":
        _add_mail_request(application, decision, verdict.mail_items)
    record(f"decision.{verdict.kind}", actor=user.username, actor_id=user.id,
           target_type="application", target_id=application.id,
           detail={"decision": decision.id, "reasons": list(verdict.reasons),
                   "status": {"from": before, "to": application.status},
                   "handling_seconds": decision.handling_seconds,
                   "acknowledged": decision.acknowledged,
                   "against_recommendation": decision.against_recommendation})
    commit_or_conflict(application.id)
    return decision


def _check_acknowledged(application: Application, verdict: Verdict) -> None:
    message = acknowledgement.refusal(application, verdict.kind, verdict.acknowledged,
                                      verdict.note)
    if message:
        raise DecisionError(message)


def _oversight(application: Application, verdict: Verdict) -> dict:
    """What the decision keeps of deciding over the inspection (for sampling and audit)."""
    blocks = acknowledgement.block_codes(application)
    acknowledged = [c for c in verdict.acknowledged if c in blocks]
    # Approving over a block goes against the findings even where no recommendation is stored.
    return {"acknowledged": acknowledged, "against_recommendation": bool(acknowledged) or
            acknowledgement.against_recommendation(application, verdict.kind)}


def _flush_or_conflict(application_id: str) -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        raise DecisionConflict(conflict_message(db.session.get(Application, application_id))) \
            from exc


def _add_mail_request(application: Application, decision: Decision, items) -> None:
    address = settings().mail_address
    db.session.add(MailRequest(application_id=application.id, decision_id=decision.id,
                               items=list(items), address=address))


def applicant_text(application: Application, verdict: Verdict) -> str:
    """The message to the applicant when the reviewer wrote none: the reasons' titles and
    the inspection's own explanations of them."""
    if verdict.kind == "approve":
        return "初审通过，将提交管局审核，请留意短信核验通知。"
    catalogue = reason_catalogue()
    lines = []
    if verdict.kind == "request_mail":
        from pipeline.labels import MATERIAL_KIND_LABELS

        lines.append("请将以下资料原件邮寄至备案审核中心：" + "、".join(
            MATERIAL_KIND_LABELS[item] for item in verdict.mail_items))
    findings = application.latest_run.findings if application.latest_run else []
    for index, code in enumerate(verdict.reasons, 1):
        explained = sorted({f.message for f in findings if f.code == code})
        lines.append(f"{index}. {catalogue[code]}" + ("：" + " ".join(explained)
                                                       if explained else ""))
    return "\n".join(lines)


def overturnable(decision: Decision) -> bool:
    """An approve or reject that still stands: the application is in its outcome."""
    application = decision.application
    latest = db.session.execute(
        db.select(Decision.id).where(Decision.application_id == decision.application_id,
                                     Decision.kind.in_(("approve", "reject")))
        .order_by(Decision.id.desc()).limit(1)).scalar_one_or_none()
    return (decision.kind in ("approve", "reject") and latest == decision.id
            and application.status == KIND_TARGET[decision.kind])


def may_overturn(decision: Decision, user: User) -> bool:
    """A supervisor who has made no decision on this application."""
    if not user.has_role(Role.SUPERVISOR):
        return False
    return db.session.execute(db.select(Decision.id).where(
        Decision.application_id == decision.application_id,
        Decision.decided_by_id == user.id).limit(1)).first() is None


def overturn(decision: Decision, supervisor: User, *, reason: str,
             reasons: tuple[str, ...] = (), applicant_message: str = "") -> Decision:
    """改判: a supervisor reverses an approve or reject; never the person who decided."""
    if not may_overturn(decision, supervisor):
        raise DecisionError("不能改判自己参与决定的申请（需由其他质检主管改判）。")
    if not reason.strip():
        raise DecisionError("改判必须填写理由。")
    if not overturnable(decision):
        raise DecisionConflict("该决定已不是此申请的现行决定，无法改判，请刷新后查看。")
    kind = "reject" if decision.kind == "approve" else "approve"
    verdict = Verdict(kind=kind, reasons=tuple(reasons), note=reason,
                      applicant_message=applicant_message)
    validate(verdict)
    application = decision.application
    before = application.status
    message = applicant_message.strip() or applicant_text(application, verdict)  # see decide
    transition(application, KIND_TARGET[kind])
    new = Decision(application_id=application.id, kind=kind, reasons=list(reasons),
                   note=reason.strip(), decided_by_id=supervisor.id,
                   applicant_message=message, run_id=application.latest_run_id,
                   overturns_id=decision.id, original_decider_id=decision.decided_by_id)
    decision.second_review = "overturned"
    db.session.add(new)
    _flush_or_conflict(application.id)
    record("decision.overturn", actor=supervisor.username, actor_id=supervisor.id,
           target_type="application", target_id=application.id,
           detail={"decision": new.id, "overturns": decision.id, "kind": kind,
                   "original_decider_id": decision.decided_by_id, "reasons": list(reasons),
                   "status": {"from": before, "to": application.status}})
    commit_or_conflict(application.id)
    return new


def agree(decision: Decision, supervisor: User) -> None:
    """A second review that upholds the decision (抽检通过)."""
    if not may_overturn(decision, supervisor):
        raise DecisionError("不能复核自己参与决定的申请。")
    if decision.second_review is not None:
        raise DecisionConflict("该决定已复核过。")
    decision.second_review = "agree"
    record("review.agree", actor=supervisor.username, actor_id=supervisor.id,
           target_type="application", target_id=decision.application_id,
           detail={"decision": decision.id})
    db.session.commit()


def sms_targets(application: Application) -> list:
    """Who must pass SMS verification (短信核验) after approval; [] if the rule is absent."""
    try:
        from pipeline.rules import sms_verification_targets
    except ImportError:
        return []
    from pydantic import ValidationError

    from pipeline.form import FilingForm

    try:
        return list(sms_verification_targets(FilingForm.model_validate(application.form)))
    except ValidationError:
        return []
