from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, new_id, utcnow

# The queue's indexes: one per sort, with and without a status in front, each ending
# in `id` (the order is unique, so keyset and OFFSET pages agree) and carrying every
# filtered column, so that PostgreSQL finds a page's ids by an index-only scan.
QUEUE_COVERED = ("assignee_id", "province", "filing_type", "highest_severity",
                 "latest_run_id")


class AmbiguousExternalId(LookupError):
    """Several owners filed applications under the same external id."""


def find_application(key: str, owner: str | None = None) -> "Application | None":
    """An application by its id, else by the external id it was filed under; with
    `owner`, only that owner's (another owner's is not found, as if unknown)."""
    found = db.session.get(Application, key)
    if found is not None and owner in (None, found.owner):
        return found
    query = db.select(Application).filter_by(external_id=key)
    if owner is not None:
        query = query.filter_by(owner=owner)
    rows = db.session.execute(query.limit(2)).scalars().all()
    if len(rows) > 1:
        raise AmbiguousExternalId(f"{key[:64]} was filed by several clients; use the id")
    return rows[0] if rows else None


class Application(db.Model):
    """One filing application (备案订单) as received at intake."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_status_due", "status", "due_at", "id",
              postgresql_include=QUEUE_COVERED),
        Index("ix_applications_due_order", "due_at", "id", postgresql_include=QUEUE_COVERED),
        Index("ix_applications_province_status", "province", "status"),
        Index("ix_applications_assignee_status_due", "assignee_id", "status", "due_at"),
        Index("ix_applications_latest_run_id", "latest_run_id"),
        Index("ix_applications_external_id", "external_id"),
        UniqueConstraint("owner", "external_id", name="uq_applications_owner_external_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    external_id: Mapped[str] = mapped_column(String(64))  # unique per owner
    # The client that submitted it (its API token's owner); "" for the operators' CLI.
    owner: Mapped[str] = mapped_column(String(64), default="")
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    filing_type: Mapped[str] = mapped_column(String(32))
    province: Mapped[str] = mapped_column(String(16))
    nature: Mapped[str] = mapped_column(String(32))
    subject_name: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime]  # 初审 due: 1 working day
    status: Mapped[str] = mapped_column(String(24), default="submitted")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    form: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated application.json
    content_hash: Mapped[str] = mapped_column(String(64))  # form + file hashes: idempotent intake
    latest_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_runs.id", use_alter=True, name="fk_applications_latest_run"))
    recommendation: Mapped[str | None] = mapped_column(String(16))
    highest_severity: Mapped[str | None] = mapped_column(String(8), index=True)
    risk_score: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    subject: Mapped["Subject"] = relationship(back_populates="application", uselist=False,
                                              cascade="all, delete-orphan")
    persons: Mapped[list["Person"]] = relationship(cascade="all, delete-orphan")
    websites: Mapped[list["Website"]] = relationship(cascade="all, delete-orphan",
                                                     order_by="Website.position")
    materials: Mapped[list["Material"]] = relationship(  # noqa: F821
        back_populates="application", cascade="all, delete-orphan", order_by="Material.id")
    assignee = relationship("User", foreign_keys=[assignee_id])
    latest_run = relationship("InspectionRun", foreign_keys=[latest_run_id], post_update=True)

    def current_materials(self) -> list["Material"]:  # noqa: F821
        """The newest version of each file (a mailed replacement supersedes the upload)."""
        newest: dict[str, Any] = {}
        for material in self.materials:
            known = newest.get(material.original_name)
            if known is None or material.version > known.version:
                newest[material.original_name] = material
        return list(newest.values())


# By risk: highest first, then most urgent (the keyset order of the "risk" sort).
_columns = Application.__table__.c
Index("ix_applications_status_risk", _columns.status, _columns.risk_score.desc(),
      _columns.due_at, _columns.id, postgresql_include=QUEUE_COVERED)
Index("ix_applications_risk_order", _columns.risk_score.desc(), _columns.due_at, _columns.id,
      postgresql_include=QUEUE_COVERED)


class Subject(db.Model):
    """主办单位或个人 (the filing subject)."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    nature: Mapped[str] = mapped_column(String(32))
    cert_type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    cert_number: Mapped[str] = mapped_column(String(40), index=True)
    cert_address: Mapped[str] = mapped_column(String(300))
    mail_address: Mapped[str] = mapped_column(String(300))
    investor: Mapped[str] = mapped_column(String(200), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="subject")


class Person(db.Model):
    """A responsible person (负责人): the subject leader or a website's own leader."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))  # subject_leader | website_leader:N
    name: Mapped[str] = mapped_column(String(200))
    cert_type: Mapped[str] = mapped_column(String(40))
    cert_number: Mapped[str] = mapped_column(String(40), index=True)
    cert_valid_until: Mapped[str] = mapped_column(String(16))
    mobile: Mapped[str] = mapped_column(String(40))
    phone2: Mapped[str] = mapped_column(String(40), default="")
    emergency_phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254))


class Website(db.Model):
    __tablename__ = "websites"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(253), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    service_type: Mapped[str] = mapped_column(String(32))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    pre_approvals: Mapped[list[str]] = mapped_column(JSON, default=list)
    own_leader: Mapped[bool] = mapped_column(default=False)
    access: Mapped[dict[str, Any] | None] = mapped_column(JSON)
