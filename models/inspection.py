from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow


class InspectionRun(db.Model):
    """One automatic inspection of an application; reprocessing adds runs, never edits."""

    __tablename__ = "inspection_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
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
    material: Mapped[str | None] = mapped_column(String(128))
    field: Mapped[str | None] = mapped_column(String(128))
    expected: Mapped[str | None] = mapped_column(Text)
    observed: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ExtractedField(db.Model):
    __tablename__ = "extracted_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    material: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float | None]
    raw: Mapped[str | None] = mapped_column(Text)
    box: Mapped[list | None] = mapped_column(JSON)


class FaceMatch(db.Model):
    __tablename__ = "face_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    material: Mapped[str] = mapped_column(String(128))
    reference: Mapped[str | None] = mapped_column(String(128))
    faces_found: Mapped[int]
    distance: Mapped[float | None]
    match: Mapped[bool | None]
    threshold: Mapped[float | None]


class JobRecord(db.Model):
    """The row behind every RQ job (its id is the RQ job id), readable by the UI."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_runs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # material | finalize
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    queue: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    run = relationship("InspectionRun", back_populates="jobs")
