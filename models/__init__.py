"""The database: SQLAlchemy 2.0 models bound through Flask-SQLAlchemy.

Importing this package defines the tables and the unbound `db` extension;
`reviewer.create_app` binds it to an app.
"""
from models.base import Base, db, utcnow
from models.user import ApiToken, Role, User
from models.application import Application, Person, Subject, Website
from models.material import Material, MaterialResult
from models.inspection import ExtractedField, FaceMatch, FindingRow, InspectionRun, JobRecord
from models.decision import Decision, MailRequest, Note, ReprocessBatch
from models.audit import AuditEvent, AuditHead
from models.status import IllegalTransition, Status, transition

__all__ = [
    "ApiToken", "Application", "AuditEvent", "AuditHead", "Base", "Decision", "ExtractedField", "FaceMatch",
    "FindingRow", "IllegalTransition", "InspectionRun", "JobRecord", "MailRequest", "Material",
    "MaterialResult", "Note", "Person", "ReprocessBatch", "Role", "Status", "Subject", "User",
    "Website", "db", "transition", "utcnow",
]
