"""Batch reprocessing of stored uploads when a check or model changes.

Select applications, give each a new run on the low-priority queue (the old runs
stay), and report what changed: findings added and removed per application and
totals per code. Decisions are never changed; a decision whose findings changed
is flagged for a supervisor by the finalizer. An application with a purged upload
(`reviewer purge`) is left out: its run could only fail.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass

from sqlalchemy import exists, func, select, update

from models import (Application, FindingRow, InspectionRun, JobRecord, Material, ReprocessBatch, db,
                    utcnow)
from models.audit import record
from models.material import purged_upload
from models.run_state import BATCH_OVER, BatchState, JobState, RunState, move
from pipeline import PIPELINE_VERSION
from pipeline.china_time import day_start
from pipeline.findings import CATALOGUE
from pipeline.form import PROVINCES
from pipeline.labels import FILING_TYPE_LABELS, MATERIAL_KIND_LABELS
from reviewer.services import inspections

VERSION = re.compile(r"^[\w.+-]{1,32}$")
MAX_LIMIT = 100_000
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # received dates worth asking for
KNOWN = {"province": (PROVINCES, "省份"), "filing_type": (FILING_TYPE_LABELS, "备案类型"),
         "material_kind": (MATERIAL_KIND_LABELS, "资料类型"), "finding_code": (CATALOGUE, "检查项")}


class BadSelection(ValueError):
    """A selection value no application can have; `field` names the Selection attribute."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


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

    def validate(self) -> Selection:
        """Refuse unknown or out-of-range values: the web form's 400, the CLI's usage error."""
        for name, (allowed, label) in KNOWN.items():
            value = getattr(self, name)
            if value and value not in allowed:
                raise BadSelection(name, f"{label}无效：{value}")
        self._validate_dates()
        if self.older_than_version and not VERSION.match(self.older_than_version):
            raise BadSelection("older_than_version", "版本号无效")
        if self.limit is not None and not 1 <= self.limit <= MAX_LIMIT:
            raise BadSelection("limit", f"数量上限应为 1–{MAX_LIMIT}")
        return self

    def _validate_dates(self) -> None:
        for name in ("since", "until"):
            day = getattr(self, name)
            if day and not EARLIEST <= day <= LATEST:
                raise BadSelection(name, f"日期应在 {EARLIEST} 至 {LATEST} 之间")
        if self.since and self.until and self.since > self.until:
            raise BadSelection("since", "起始日期晚于截止日期")

    def matching(self):
        """Applications that meet the criteria, whatever became of their uploads; no limit."""
        q = select(Application.id).order_by(Application.received_at)
        if self.since:
            q = q.where(Application.received_at >= day_start(self.since))
        if self.until:
            q = q.where(Application.received_at < day_start(self.until + dt.timedelta(days=1)))
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
        return q

    def query(self):
        """The applications a batch takes: matching, every upload still stored, up to limit."""
        q = self.matching().where(~purged_upload(Application.id))
        return q.limit(self.limit) if self.limit else q


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def purged_count(selection: Selection) -> int:
    """How many matching applications are left out because an upload was purged."""
    return count(selection.matching().where(purged_upload(Application.id)))


def start_batch(selection: Selection, *, actor: str,
                actor_id: int | None) -> tuple[ReprocessBatch, list[InspectionRun]]:
    """The batch and its runs, committed: the caller enqueues the runs."""
    ids = db.session.execute(selection.query()).scalars().all()
    batch = ReprocessBatch(created_by_id=actor_id, pipeline_version=PIPELINE_VERSION,
                           criteria={k: str(v) for k, v in asdict(selection).items()
                                     if v is not None}, total=len(ids))
    db.session.add(batch)
    db.session.flush()
    runs = inspections.start_reprocess(batch, ids)
    record("reprocess.start", actor=actor, actor_id=actor_id, target_type="batch",
           target_id=str(batch.id), detail={"criteria": batch.criteria, "total": len(ids),
                                            "left_out_purged": purged_count(selection)})
    db.session.commit()
    return batch, runs


def batch_runs(batch: ReprocessBatch) -> list[InspectionRun]:
    return db.session.execute(select(InspectionRun).where(
        InspectionRun.batch_id == batch.id)).scalars().all()


def progress(batch: ReprocessBatch, now: dt.datetime | None = None) -> dict:
    """Where the batch stands (one grouped count), its rate in applications per minute
    since it started and, while it runs, the seconds left at that rate."""
    states = dict(db.session.execute(select(InspectionRun.state, func.count()).where(
        InspectionRun.batch_id == batch.id).group_by(InspectionRun.state)).all())
    done, failed, cancelled = (states.get(s, 0)
                               for s in (RunState.DONE, RunState.FAILED, RunState.CANCELLED))
    finished = done + failed
    minutes = ((batch.finished_at or now or utcnow()) - batch.created_at).total_seconds() / 60
    rate = finished / minutes if minutes > 0 else 0.0
    left = batch.total - finished - cancelled
    return {"total": batch.total, "done": done, "failed": failed, "cancelled": cancelled,
            "finished": finished, "state": batch.state, "rate": round(rate, 1),
            "fraction": (finished + cancelled) / batch.total if batch.total else 1.0,
            "remaining_seconds": round(left / rate * 60)
            if rate and batch.state == BatchState.RUNNING else None}


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
    """Record the report once every run has settled; True when the batch is over."""
    state = progress(batch)
    if state["finished"] + state["cancelled"] >= batch.total and batch.report is None:
        if batch.state == BatchState.RUNNING:
            move(batch, BatchState.DONE)
            batch.finished_at = utcnow()
        batch.report = diff_report(batch)
        db.session.commit()
    return batch.state in BATCH_OVER


def cancel_batch(batch: ReprocessBatch, *, actor: str, actor_id: int | None) -> int:
    """Stop a running batch: its runs not started yet are cancelled, with their queued job
    rows (a worker skips their RQ jobs, which is cheaper than finding 100,000 of them in
    Redis), and the applications keep their results; runs already started finish.
    Returns how many runs were cancelled."""
    cancelled = db.session.execute(update(InspectionRun).where(
        InspectionRun.batch_id == batch.id, InspectionRun.state == RunState.PENDING)
        .values(state=RunState.CANCELLED, finished_at=utcnow()).returning(InspectionRun.id)).all()
    db.session.execute(update(JobRecord).where(JobRecord.run_id.in_(select(InspectionRun.id).where(
        InspectionRun.batch_id == batch.id, InspectionRun.state == RunState.CANCELLED)),
        JobRecord.state == JobState.QUEUED).values(state=JobState.CANCELLED))
    move(batch, BatchState.CANCELLED)
    batch.finished_at = utcnow()
    record("reprocess.cancel", actor=actor, actor_id=actor_id, target_type="batch",
           target_id=str(batch.id), detail={"cancelled_runs": len(cancelled),
                                            "total": batch.total})
    db.session.commit()
    return len(cancelled)
