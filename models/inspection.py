from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.material import Material
from models.run_state import JobState, RunState


class InspectionRun(db.Model):
    """One automatic inspection of an application; reprocessing adds runs, never edits."""

    __tablename__ = "inspection_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=RunState.PENDING.value, index=True)
    trigger: Mapped[str] = mapped_column(String(16), default="intake")  # intake|rerun|reprocess
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("reprocess_batches.id"), index=True)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    enqueued_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    heartbeat_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    recommendation: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    diff: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # vs the previous done run
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    findings: Mapped[list["FindingRow"]] = relationship(cascade="all, delete-orphan",
                                                        order_by="FindingRow.id")
    extracted: Mapped[list["ExtractedField"]] = relationship(cascade="all, delete-orphan",
                                                             order_by="ExtractedField.id")
    faces: Mapped[list["FaceMatch"]] = relationship(cascade="all, delete-orphan",
                                                    order_by="FaceMatch.id")
    jobs: Mapped[list["JobRecord"]] = relationship(back_populates="run",
                                                   cascade="all, delete-orphan")


class FindingRow(db.Model):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_code", "run_id", "code"),
                      Index("ix_findings_code_run", "code", "run_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_runs.id"))
    code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8))
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))  # None: on the form
    field: Mapped[str | None] = mapped_column(String(128))
    expected: Mapped[str | None] = mapped_column(Text)
    observed: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    material: Mapped[Material | None] = relationship()

    @property
    def material_name(self) -> str | None:
        """The file name as given at intake (the contract's `material`)."""
        return _name(self.material)


class ExtractedField(db.Model):
    __tablename__ = "extracted_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    kind: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float | None]
    raw: Mapped[str | None] = mapped_column(Text)
    box: Mapped[list | None] = mapped_column(JSON)

    material: Mapped[Material] = relationship()

    @property
    def material_name(self) -> str:
        return self.material.original_name


class FaceMatch(db.Model):
    __tablename__ = "face_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    reference_material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    faces_found: Mapped[int]
    distance: Mapped[float | None]
    match: Mapped[bool | None]
    threshold: Mapped[float | None]

    material: Mapped[Material] = relationship(foreign_keys=[material_id])
    reference: Mapped[Material | None] = relationship(foreign_keys=[reference_material_id])

    @property
    def material_name(self) -> str:
        return self.material.original_name

    @property
    def reference_name(self) -> str | None:
        return _name(self.reference)


class JobRecord(db.Model):
    """The row behind every RQ job (its id is the RQ job id), readable by the UI."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # material | finalize
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    queue: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED.value, index=True)
    progress: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    run = relationship("InspectionRun", back_populates="jobs")


def _name(material: Material | None) -> str | None:
    return material.original_name if material is not None else None
