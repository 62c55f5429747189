"""Executors: load rows by id, close the session before the long work, store, commit.

`MaterialInspection` produces one material's `MaterialAnalysis` (cached by sha256,
kind and pipeline version). `RunFinalizer` compares everything with the form, writes
the run's findings and moves the application on. Both are idempotent: running one
twice changes nothing the second time.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy.exc import IntegrityError

from config import current as settings
from models import InspectionRun, JobRecord, Material, MaterialResult, db, utcnow
from models.run_state import JobState, RunState, move
from models.storage import open_storage
from pipeline import PIPELINE_VERSION
from pipeline.analysis import MaterialAnalysis
from pipeline.inspect import analyze_material
from workers.toolkit import get_toolkit

log = logging.getLogger(__name__)
INSPECTED_MIMES = ("image/jpeg", "image/png", "application/pdf")  # a PDF: its page 1


def cached_result(sha256: str, kind: str) -> MaterialResult | None:
    return db.session.execute(db.select(MaterialResult).filter_by(
        sha256=sha256, kind=kind, pipeline_version=PIPELINE_VERSION)).scalar_one_or_none()


def set_job_state(job_id: str | None, state: JobState, *, progress: float | None = None,
                  error: str | None = None) -> None:
    if not job_id:
        return
    row = db.session.get(JobRecord, job_id)
    if row is None:
        return
    move(row, state)
    row.updated_at = utcnow()
    if progress is not None:
        row.progress = progress
    if error is not None:
        row.error = error[:4000]
    if state == JobState.STARTED:
        row.attempts += 1


class MaterialInspection:
    def __init__(self, run_id: int, material_id: int, job_id: str | None = None):
        self.run_id, self.material_id, self.job_id = run_id, material_id, job_id

    def run(self) -> dict:
        material = db.session.get(Material, self.material_id)
        if material is None:
            return {"skipped": "no such material"}
        if run_cancelled(self.run_id):
            return {"skipped": "run cancelled"}  # its batch was cancelled before it started
        _mark_run_started(self.run_id)
        cached = cached_result(material.sha256, material.kind)
        if material.mime not in INSPECTED_MIMES or cached is not None:
            return self._finish(material, cached, from_cache=True)  # one commit, no "started"
        set_job_state(self.job_id, JobState.STARTED, progress=0.1)
        db.session.commit()
        sha256, kind, name = material.sha256, material.kind, material.original_name
        data = open_storage(settings()).get(sha256)
        db.session.close()  # no connection held during the long inspection
        started = time.perf_counter()
        analysis = analyze_material(data, file=name, kind=kind, tools=get_toolkit(settings()))
        self._store(sha256, kind, analysis, time.perf_counter() - started)
        material = db.session.get(Material, self.material_id)
        return self._finish(material, cached_result(sha256, kind), from_cache=False)

    def _store(self, sha256: str, kind: str, analysis: MaterialAnalysis, seconds: float) -> None:
        db.session.add(MaterialResult(sha256=sha256, kind=kind, pipeline_version=PIPELINE_VERSION,
                                      analysis=analysis.to_dict(), seconds=round(seconds, 3)))
        try:
            db.session.commit()
        except IntegrityError:  # another worker stored the same image first
            db.session.rollback()

    def _finish(self, material: Material, result: MaterialResult | None, *,
                from_cache: bool) -> dict:
        if result is not None and material.phash is None:
            material.set_phash(result.analysis.get("phash"))
        set_job_state(self.job_id, JobState.FINISHED, progress=1.0)
        db.session.commit()
        return {"material": material.id, "cached": from_cache}


def run_cancelled(run_id: int) -> bool:
    run = db.session.get(InspectionRun, run_id)
    return run is not None and run.state == RunState.CANCELLED


def _mark_run_started(run_id: int) -> None:
    run = db.session.get(InspectionRun, run_id)
    if run is not None and run.state == RunState.PENDING:
        move(run, RunState.RUNNING)
        run.started_at = run.started_at or utcnow()
    if run is not None:
        run.heartbeat_at = utcnow()
