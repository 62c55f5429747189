"""Finalize a run: compare with the form, store findings, move the application on."""
from __future__ import annotations

import logging
from collections import Counter

from config import current as settings
from models import (Application, Decision, ExtractedField, FaceMatch, FindingRow, InspectionRun,
                    Material, db, utcnow)
from models.audit import record
from models.run_state import RUN_OPEN, JobState, RunState, move
from models.status import Status, transition
from pipeline.analysis import MaterialAnalysis
from pipeline.compare import InspectionOutcome, compare_application, risk_score
from pipeline.findings import highest_severity
from pipeline.form import FilingForm
from workers.duplicates import duplicate_findings
from workers.executor import INSPECTED_MIMES, MaterialInspection, cached_result, set_job_state
from workers.toolkit import face_settings

log = logging.getLogger(__name__)
REVIEWABLE_AFTER_RUN = (Status.INSPECTING.value, Status.MAIL_RECEIVED.value)


def claim(run_id: int) -> bool:
    """Take the run for finalizing; False when it is already done or taken."""
    result = db.session.execute(
        db.update(InspectionRun)
        .where(InspectionRun.id == run_id, InspectionRun.state.in_(RUN_OPEN))
        .values(state=RunState.FINALIZING, heartbeat_at=utcnow()))
    db.session.commit()
    return result.rowcount == 1


def release(run_id: int) -> None:
    db.session.rollback()
    db.session.execute(db.update(InspectionRun).where(
        InspectionRun.id == run_id, InspectionRun.state == RunState.FINALIZING)
        .values(state=RunState.RUNNING))
    db.session.commit()


class RunFinalizer:
    def __init__(self, run_id: int, job_id: str | None = None):
        self.run_id, self.job_id = run_id, job_id

    def run(self) -> dict:
        if not claim(self.run_id):
            return {"skipped": "run already finalized"}
        try:
            return self._finalize()
        except Exception:
            release(self.run_id)  # its retry (or the sweeper) finalizes it, not a stale claim
            raise

    def _finalize(self) -> dict:
        run = db.session.get(InspectionRun, self.run_id)
        application = db.session.get(Application, run.application_id)
        analyses = self._analyses(run, application)
        form = FilingForm.model_validate(application.form)
        extra = duplicate_findings(application, application.current_materials(),
                                   {a.file: a for a in analyses})
        outcome = compare_application(
            form, analyses, now=utcnow(), face_settings=face_settings(settings()),
            last_activity_at=application.last_activity_at, extra_findings=extra)
        self._save(run, application, analyses, outcome)
        return {"run": run.id, "findings": len(outcome.findings),
                "recommendation": outcome.recommendation}

    def _analyses(self, run: InspectionRun, application: Application) -> list[MaterialAnalysis]:
        out = []
        for material in application.current_materials():
            result = cached_result(material.sha256, material.kind)
            if result is None and material.mime in INSPECTED_MIMES:
                MaterialInspection(run.id, material.id).run()  # its job was lost: do it here
                result = cached_result(material.sha256, material.kind)
            if result is not None:
                analysis = MaterialAnalysis.from_dict(result.analysis)
                analysis.file = material.original_name
                for finding in analysis.findings:
                    finding.material = material.original_name
                out.append(analysis)
        return out

    def _save(self, run: InspectionRun, application: Application,
              analyses: list[MaterialAnalysis], outcome: InspectionOutcome) -> None:
        run = db.session.get(InspectionRun, self.run_id)
        application = db.session.get(Application, run.application_id)
        materials = {m.original_name: m for m in application.current_materials()}
        write_rows(run, analyses, outcome, materials)
        run.diff = diff_against_previous(run, application)
        move(run, RunState.DONE)
        run.finished_at = utcnow()
        run.recommendation = outcome.recommendation
        run.error = "; ".join(f"{k}: {v}" for k, v in outcome.errors.items())[:4000] or None
        application.latest_run_id = run.id
        application.recommendation = outcome.recommendation
        severity = highest_severity(outcome.findings)
        application.highest_severity = str(severity) if severity else None
        application.risk_score = risk_score(outcome.findings)
        if run.diff and run.diff.get("changed"):
            flag_stale_decisions(application)
        if application.status in REVIEWABLE_AFTER_RUN:
            transition(application, Status.AWAITING_REVIEW)
        set_job_state(self.job_id, JobState.FINISHED, progress=1.0)
        record("inspection.finished", target_type="application", target_id=application.id,
               detail={"run": run.id, "recommendation": outcome.recommendation,
                       "findings": len(outcome.findings), "trigger": run.trigger})
        db.session.commit()


def write_rows(run: InspectionRun, analyses: list[MaterialAnalysis], outcome: InspectionOutcome,
               materials: dict[str, Material]) -> None:
    """`materials`: the run's current materials by the file name the pipeline calls them."""
    for finding in outcome.findings:
        run.findings.append(FindingRow(
            code=finding.code, severity=str(finding.severity),
            material=materials[finding.material] if finding.material else None,
            field=finding.field, expected=_text(finding.expected),
            observed=_text(finding.observed), message=finding.message,
            evidence=finding.evidence))
    for analysis in analyses:
        document = analysis.extracted
        if document is None:
            continue
        for name, value in document.fields.items():
            run.extracted.append(ExtractedField(
                material=materials[analysis.file], kind=document.kind, field=name,
                value=str(value), confidence=document.confidence.get(name),
                raw=document.raw.get(name), box=document.boxes.get(name)))
    for face in outcome.faces:
        run.faces.append(FaceMatch(
            material=materials[face.material],
            reference=materials[face.reference] if face.reference else None,
            faces_found=face.faces_found,
            distance=face.distance, match=face.match, threshold=face.threshold))


def _text(value) -> str | None:
    return None if value is None else str(value)


def finding_keys(run: InspectionRun) -> Counter:
    """By file name: a mailed replacement (a new version, same name) does not itself change
    what was found."""
    return Counter((f.code, f.material_name or "", f.field or "") for f in run.findings)


def diff_against_previous(run: InspectionRun, application: Application) -> dict | None:
    previous = db.session.execute(
        db.select(InspectionRun).where(InspectionRun.application_id == application.id,
                                       InspectionRun.state == RunState.DONE,
                                       InspectionRun.id != run.id)
        .order_by(InspectionRun.id.desc()).limit(1)).scalar_one_or_none()
    if previous is None:
        return None
    db.session.flush()
    before, after = finding_keys(previous), finding_keys(run)
    added = sorted(map(list, (after - before).elements()))
    removed = sorted(map(list, (before - after).elements()))
    return {"previous_run": previous.id, "previous_version": previous.pipeline_version,
            "added": added, "removed": removed, "changed": bool(added or removed)}


def flag_stale_decisions(application: Application) -> None:
    """A decision made on findings that have since changed goes to a supervisor."""
    decisions = db.session.execute(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.overturns_id.is_(None))).scalars()
    for decision in decisions:
        decision.stale = True

