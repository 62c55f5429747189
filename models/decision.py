from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.run_state import BatchState


class Decision(db.Model):
    """A reviewer's decision, or a supervisor's overturn of one.

    An overturn carries the id of the person who made the decision it overturns, and
    the database refuses an overturn by that same person.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("original_decider_id IS NULL OR original_decider_id <> decided_by_id",
                        name="overturn_by_other"),
        # A reviewer's queue shows what they decided: their decisions' ids, index-only.
        Index("ix_decisions_decider_application", "decided_by_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # approve | reject | request_mail
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)  # finding codes / catalogue ids
    note: Mapped[str] = mapped_column(Text, default="")  # internal
    applicant_message: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_runs.id"))
    handling_seconds: Mapped[float | None]
    overturns_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    original_decider_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    stale: Mapped[bool] = mapped_column(default=False)  # findings changed after a reprocess
    sampled: Mapped[bool] = mapped_column(default=False)  # drawn for second review
    second_review: Mapped[str | None] = mapped_column(String(16))  # agree | overturned
    # Block findings the decider acknowledged when deciding over them (须整改仍通过).
    acknowledged: Mapped[list[str]] = mapped_column(JSON, default=list)
    against_recommendation: Mapped[bool] = mapped_column(default=False)
    undone_at: Mapped[dt.datetime | None]  # withdrawn by its author within the undo window

    decided_by = relationship("User", foreign_keys=[decided_by_id])
    application = relationship("Application")


class MailRequest(db.Model):
    """邮寄资料: originals the applicant must post to the review desk."""

    __tablename__ = "mail_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    items: Mapped[list[str]] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="requested")  # shipped | received
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    shipped_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime | None]


class Note(db.Model):
    """An internal note; never shown to the applicant."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author = relationship("User")


class ReprocessBatch(db.Model):
    __tablename__ = "reprocess_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=BatchState.RUNNING.value)
    total: Mapped[int] = mapped_column(default=0)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    finished_at: Mapped[dt.datetime | None]
