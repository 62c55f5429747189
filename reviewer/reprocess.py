"""Batch reprocessing of stored uploads when a check or model changes.

Select applications, give each a new run on the low-priority queue (the old runs
stay), and report what changed: findings added and removed per application and
totals per code. Decisions are never changed; a decision whose findings changed
is flagged for a supervisor by the finalizer.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass

from sqlalchemy import exists, select

from models import Application, FindingRow, InspectionRun, Material, ReprocessBatch, db, utcnow
from models.audit import record
from pipeline import PIPELINE_VERSION


@dataclass
class Selection:
    since: dt.date | None = None
    until: dt.date | None = None
    province: str | None = None
    filing_type: str | None = None
    material_kind: str | None = None
    finding_code: str | None = None
    older_than_version: str | None = None  # latest run made by a different/older version
    limit: int | None = None

    def query(self):
        q = select(Application.id).order_by(Application.received_at)
        if self.since:
            q = q.where(Application.received_at >= _start(self.since))
        if self.until:
            q = q.where(Application.received_at < _start(self.until + dt.timedelta(days=1)))
        if self.province:
            q = q.where(Application.province == self.province)
        if self.filing_type:
            q = q.where(Application.filing_type == self.filing_type)
        if self.material_kind:
            q = q.where(exists().where(Material.application_id == Application.id,
                                       Material.kind == self.material_kind))
        if self.finding_code:
            q = q.where(exists().where(FindingRow.run_id == Application.latest_run_id,
                                       FindingRow.code == self.finding_code))
        if self.older_than_version:
            q = q.join(InspectionRun, InspectionRun.id == Application.latest_run_id).where(
                InspectionRun.pipeline_version < self.older_than_version)
        return q.limit(self.limit) if self.limit else q


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def start_batch(selection: Selection, *, actor: str, actor_id: int | None) -> ReprocessBatch:
    ids = db.session.execute(selection.query()).scalars().all()
    batch = ReprocessBatch(created_by_id=actor_id, pipeline_version=PIPELINE_VERSION,
                           criteria={k: str(v) for k, v in asdict(selection).items()
                                     if v is not None}, total=len(ids))
    db.session.add(batch)
    db.session.flush()
    for application_id in ids:
        db.session.add(InspectionRun(application_id=application_id, trigger="reprocess",
                                     pipeline_version=PIPELINE_VERSION, batch_id=batch.id))
    record("reprocess.start", actor=actor, actor_id=actor_id, target_type="batch",
           target_id=str(batch.id), detail={"criteria": batch.criteria, "total": len(ids)})
    db.session.commit()
    return batch


def batch_runs(batch: ReprocessBatch) -> list[InspectionRun]:
    return db.session.execute(select(InspectionRun).where(
        InspectionRun.batch_id == batch.id)).scalars().all()


def progress(batch: ReprocessBatch) -> dict:
    states = Counter(run.state for run in batch_runs(batch))
    finished = states.get("done", 0) + states.get("failed", 0)
    return {"total": batch.total, "done": states.get("done", 0),
            "failed": states.get("failed", 0), "finished": finished,
            "fraction": finished / batch.total if batch.total else 1.0}


def diff_report(batch: ReprocessBatch) -> dict:
    per_application, added, removed = [], Counter(), Counter()
    for run in batch_runs(batch):
        diff = run.diff or {}
        if not diff.get("changed"):
            continue
        per_application.append({"application": run.application_id, "run": run.id,
                                "added": diff["added"], "removed": diff["removed"]})
        added.update(code for code, *_ in diff["added"])
        removed.update(code for code, *_ in diff["removed"])
    return {"changed_applications": len(per_application), "applications": per_application,
            "added_by_code": dict(added), "removed_by_code": dict(removed)}


def finish_if_done(batch: ReprocessBatch) -> bool:
    state = progress(batch)
    if batch.state == "running" and state["finished"] >= batch.total:
        batch.state, batch.finished_at = "done", utcnow()
        batch.report = diff_report(batch)
        db.session.commit()
    return batch.state == "done"
