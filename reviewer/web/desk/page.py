"""Everything the application page shows, gathered in one place."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user

from config import current as settings
from models import Application, Decision, InspectionRun, MailRequest, Role, db, utcnow
from models.status import Status
from pipeline.findings import CATALOGUE
from pipeline.labels import MATERIAL_KIND_LABELS, SEVERITY_LABELS
from reviewer.services import acknowledgement
from reviewer.services.decisions import (FREE_REASONS, KIND_LABELS, may_overturn, overturnable,
                                sms_targets)
from reviewer.services.assign import assignable
from reviewer.web.desk.compare import comparisons, form_sections
from reviewer.web.desk.evidence import evidence_rows, plain
from reviewer.services.mail import MAIL_LABELS, RERUNNABLE
from reviewer.web.desk.materials import face_rows, material_views
from reviewer.web.desk.live import watch_url
from reviewer.web.desk.presence import others_viewing
from reviewer.web.desk.queue import aging
from reviewer.web.desk.timeline import timeline
from reviewer.services.masking import disputed_masks, mask_phone, mask_text
from reviewer.services.undo import latest_undoable, undo_deadline

SEVERITY_ORDER = ("block", "warn", "info")


@dataclass
class FindingView:
    row: Any  # FindingRow
    title: str
    message: str
    expected: str
    observed: str
    evidence: list[tuple[str, str]]
    personal: bool  # masking changed one of its texts: it can be revealed
    has_box: bool


@dataclass
class FindingGroup:
    severity: str
    label: str
    findings: list[FindingView] = field(default_factory=list)


def finding_view(row) -> FindingView:
    texts = [row.message or "", row.expected or "", row.observed or ""]
    shown = disputed_masks(row.expected, row.observed)
    masked = [plain(mask_text(t, shown)) for t in texts]
    entry = CATALOGUE.get(row.code)
    return FindingView(row=row, title=entry.title if entry else row.code, message=masked[0],
                       expected=masked[1], observed=masked[2],
                       evidence=evidence_rows(row.evidence),
                       personal=[mask_text(t, shown) for t in texts] != texts,
                       has_box=bool((row.evidence or {}).get("box")))


def finding_groups(findings) -> list[FindingGroup]:
    groups = {s: FindingGroup(s, SEVERITY_LABELS.get(s, s)) for s in SEVERITY_ORDER}
    for row in findings:
        groups.setdefault(row.severity, FindingGroup(row.severity, row.severity))
        groups[row.severity].findings.append(finding_view(row))
    return [g for g in groups.values() if g.findings]


def reason_options(findings) -> list[tuple[str, list[tuple[str, str]]]]:
    present = list(dict.fromkeys(f.code for f in findings if f.code in CATALOGUE))
    rest = [c for c in CATALOGUE if c not in present]
    return [("本申请的检查发现", [(c, CATALOGUE[c].title) for c in present]),
            ("其他检查项", [(c, CATALOGUE[c].title) for c in rest]),
            ("其他原因", list(FREE_REASONS.items()))]


def focus(views, findings) -> dict:
    """Evidence first: the first block finding (else the first finding) is in focus, and the
    viewer opens on its material (else on the first material)."""
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.severity)
                     if f.severity in SEVERITY_ORDER else 3)
    first = next((f for f in ordered if f.material_id), ordered[0] if ordered else None)
    shown = {v.material.id for v in views}
    material = first.material_id if first is not None and first.material_id in shown else None
    return {"focus_finding": ordered[0].id if ordered else None,
            "focus_material": material or (views[0].material.id if views else None),
            "suggested_reasons": {f.code for f in findings if f.severity in ("block", "warn")}}


def mail_suggestions(findings) -> set[str]:
    """Kinds whose originals by post can settle a finding (a photocopy, a recapture)."""
    return {f.material.kind for f in findings if f.material is not None
            and CATALOGUE.get(f.code) and CATALOGUE[f.code].mail_resolvable}


def describe_target(target: Any) -> str:
    """One person who must pass SMS verification, masked: '主体负责人 王建国 138****0000'."""
    if isinstance(target, str):
        return mask_text(target)
    get = target.get if isinstance(target, dict) else (lambda k: getattr(target, k, None))
    person = get("person")
    name = get("name") or getattr(person, "name", None)
    phone = get("mobile") or get("phone") or getattr(person, "mobile", None)
    parts = [str(p) for p in (get("role") or get("label"), name) if p]
    if phone:
        parts.append(mask_phone(phone))
    return " ".join(parts) if parts else mask_text(str(target))


def current_decision(application: Application) -> Decision | None:
    return db.session.execute(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.kind.in_(("approve", "reject")))
        .order_by(Decision.id.desc()).limit(1)).scalar_one_or_none()


def _lists(application: Application) -> dict:
    decisions = db.session.execute(db.select(Decision).where(
        Decision.application_id == application.id).order_by(Decision.id)).scalars().all()
    mails = db.session.execute(db.select(MailRequest).where(
        MailRequest.application_id == application.id).order_by(MailRequest.id)).scalars().all()
    runs = db.session.execute(db.select(InspectionRun).where(
        InspectionRun.application_id == application.id).order_by(InspectionRun.id.desc())
        .limit(10)).scalars().all()
    return {"decisions": decisions, "mails": mails, "runs": runs}


def _permissions(application: Application) -> dict:
    supervisor = current_user.has_role(Role.SUPERVISOR)
    standing = current_decision(application) if supervisor else None
    return {
        "may_decide": application.status == Status.AWAITING_REVIEW and (
            application.assignee_id in (None, current_user.id) or supervisor),
        "may_rerun": application.status in RERUNNABLE,
        "may_take": application.assignee_id is None and assignable(application),
        "may_release": application.assignee_id is not None and assignable(application) and (
            application.assignee_id == current_user.id or supervisor),
        "standing": standing if standing is not None and overturnable(standing) else None,
        "may_overturn": standing is not None and may_overturn(standing, current_user),
        "undoable": latest_undoable(application, current_user),
        "viewers": others_viewing(application.id, current_user),
    }


def _acknowledgement(application: Application) -> dict:
    """The block findings an approval must acknowledge one by one (须整改仍通过)."""
    codes = acknowledgement.block_codes(application)
    return {"ack_required": acknowledgement.needs_acknowledgement(application, "approve"),
            "ack_findings": [(c, CATALOGUE[c].title if c in CATALOGUE else c) for c in codes],
            "against_recommendation": acknowledgement.against_recommendation(
                application, "approve")}


def application_context(application: Application, revealed: dict | None = None) -> dict:
    run = application.latest_run
    findings = run.findings if run else []
    views = material_views(application, run)
    person_of = {m.id: m.person for m in application.materials}
    entries, quiet = timeline(application)
    return {
        "app": application, "run": run, "groups": finding_groups(findings),
        "finding_count": len(findings),
        "sections": form_sections(application.form, findings),
        "comparisons": comparisons(application.form, run.extracted if run else [], findings,
                                   person_of),
        "materials": views, "faces": face_rows(run, views), "timeline": entries,
        "quiet": quiet, "reason_groups": reason_options(findings),
        "mail_kinds": MATERIAL_KIND_LABELS, "mail_suggested": mail_suggestions(findings),
        "sms": [describe_target(t) for t in sms_targets(application)]
        if application.status == Status.APPROVED else [],
        "revealed": revealed or {}, "aging": aging(application, utcnow()),
        "kind_labels": KIND_LABELS, "mail_labels": MAIL_LABELS, "undo_deadline": undo_deadline,
        "config_mail_address": settings().mail_address,
        **_lists(application), **_permissions(application), **_acknowledgement(application),
        **focus(views, findings), "watch": watch_url(application),
    }
