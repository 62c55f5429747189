"""The form-dependent half of an inspection, and the recommendation.

Takes the validated form and every material's `MaterialAnalysis` and returns the
findings of the whole application: what each material found on its own, the
comparison of extracted fields with the form, face matching, and the form rules.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from pipeline.analysis import FaceComparison, MaterialAnalysis
from pipeline.china_time import china_today
from pipeline.findings import CATALOGUE, Finding, Severity, highest_severity
from pipeline.form import FilingForm
from pipeline.verification import gate_quality

log = logging.getLogger(__name__)


@dataclass
class InspectionOutcome:
    findings: list[Finding] = field(default_factory=list)
    faces: list[FaceComparison] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    recommendation: str = "review"


def compare_application(form: FilingForm, analyses: list[MaterialAnalysis], *,
                        now: dt.datetime, face_settings, last_activity_at: dt.datetime | None
                        = None, extra_findings: list[Finding] | None = None) -> InspectionOutcome:
    outcome = InspectionOutcome()
    for analysis in analyses:
        outcome.findings.extend(analysis.findings)
        outcome.errors.update({f"{analysis.file}:{k}": v for k, v in analysis.errors.items()})
    today = china_today(now)
    _guarded(outcome, "documents", lambda: _documents(form, analyses, today))
    _guarded(outcome, "faces", lambda: _faces(form, analyses, face_settings, outcome))
    _guarded(outcome, "rules", lambda: _rules(form, now, last_activity_at))
    outcome.findings.extend(extra_findings or [])
    gate_quality(outcome.findings, analyses)  # a photo problem blocks only if it stops verification
    outcome.findings = dedupe(discount_poor_images(outcome.findings))
    outcome.recommendation = recommend(outcome.findings, outcome.errors)
    return outcome


def _guarded(outcome: InspectionOutcome, name: str, step) -> None:
    try:
        outcome.findings.extend(step())
    except Exception as exc:
        log.exception("comparison step %s failed", name)
        outcome.errors[name] = f"{type(exc).__name__}: {exc}"[:500]
        found = getattr(exc, "findings", None)  # rules that did run still count
        if found:
            outcome.findings.extend(found)


def _documents(form, analyses, today):
    from pipeline.compare_documents import compare_documents

    return compare_documents(form, analyses, today=today)


def _faces(form, analyses, face_settings, outcome):
    from pipeline.faces import compare_faces

    comparisons, findings = compare_faces(form, analyses, face_settings)
    outcome.faces = comparisons
    return findings


def _rules(form, now, last_activity_at):
    from pipeline.rules import run_form_rules

    return run_form_rules(form, now=now, last_activity_at=last_activity_at)


# A photo too poor to trust (it blocks on its own) ...
POOR_IMAGE = frozenset({"IMAGE_BLURRY", "IMAGE_RECAPTURED", "IMAGE_LOW_RESOLUTION",
                        "IMAGE_EXPOSURE", "DOCUMENT_INCOMPLETE"})
# ... makes what was read or seen in that same photo a question for the reviewer.
READ_FROM_IMAGE = frozenset({
    "FACE_NOT_FOUND", "FACE_MISMATCH", "ID_NAME_MISMATCH", "ID_NUMBER_MISMATCH",
    "ID_NUMBER_INVALID", "ID_EXPIRED", "ID_EXPIRES_SOON", "LICENSE_NAME_MISMATCH",
    "LICENSE_CODE_MISMATCH", "LICENSE_CODE_INVALID"})


def discount_poor_images(findings: list[Finding]) -> list[Finding]:
    """A mismatch or a missing face in a blurred, recaptured, dark or cut-off photo is as
    likely the photo's fault as the applicant's: it becomes a warning beside the photo's
    own block finding, which already sends the application back. A recaptured ID card is
    then settled by mailing the original, as it should be, not rejected for its face."""
    poor: dict[str, list[str]] = {}
    for finding in findings:
        if finding.code in POOR_IMAGE and finding.severity == Severity.BLOCK and finding.material:
            poor.setdefault(finding.material, []).append(finding.code)
    for finding in findings:
        if finding.material in poor and finding.code in READ_FROM_IMAGE \
                and finding.severity == Severity.BLOCK:
            finding.severity = Severity.WARN
            finding.message += "（该图片质量不合格，此项可能是识别误差，请人工核对。）"
            finding.evidence = {**finding.evidence, "poor_image": poor[finding.material]}
    return findings


# Facts both the form rules and the card reading check: one finding, the card's (with its box).
READ_AND_FILLED = frozenset({"ID_EXPIRED", "ID_EXPIRES_SOON"})


def _told_by_a_card(finding: Finding, findings: list[Finding]) -> bool:
    return finding.code in READ_AND_FILLED and finding.material is None and any(
        other.code == finding.code and other.material and other.observed == finding.observed
        for other in findings)


def dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if _told_by_a_card(f, findings):
            continue
        key = (f.code, f.material, f.field, f.observed)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return sorted(out, key=lambda f: (-f.severity.rank, f.material or "", f.code))


def recommend(findings: list[Finding], errors: dict[str, str] | None = None) -> str:
    """approve | reject | request_mail | review, from the findings.

    A block the applicant must fix rejects; blocks that an original sent by post can
    settle (a photocopy, a recaptured photo) ask for mailed materials; a warning or a
    check that could not run leaves the decision to the reviewer.
    """
    blocks = [f for f in findings if f.severity == Severity.BLOCK]
    if blocks:
        if all(CATALOGUE[f.code].mail_resolvable for f in blocks):
            return "request_mail"
        return "reject"
    if errors or highest_severity(findings) == Severity.WARN:
        return "review"
    return "approve"


def risk_score(findings: list[Finding]) -> int:
    """A sort key for the queue: blocks weigh most, then warnings."""
    weights = {Severity.BLOCK: 100, Severity.WARN: 10, Severity.INFO: 1}
    return min(sum(weights[f.severity] for f in findings), 10_000)
