"""Who may open what: the one lookup helper that owns both the 404 and the 403.

Supervisors and admins see every application. A reviewer (初审员) sees what the
queue gives them: applications nobody has taken, the ones assigned to them, and
the ones they decided.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, or_

from models import Application, Decision, Material, Role, User, db


def sees_everything(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR)


def visible_clause(user: User):
    """The SQL condition a reviewer's queue is filtered with (None: no limit)."""
    if sees_everything(user):
        return None
    decided = exists().where(Decision.application_id == Application.id,
                             Decision.decided_by_id == user.id)
    return or_(Application.assignee_id.is_(None), Application.assignee_id == user.id, decided)


def can_open(user: User, application: Application) -> bool:
    if sees_everything(user) or application.assignee_id in (None, user.id):
        return True
    return db.session.execute(db.select(Decision.id).where(
        Decision.application_id == application.id,
        Decision.decided_by_id == user.id).limit(1)).first() is not None


def application_or_abort(application_id: str) -> Application:
    """The application if the current user may open it; 404 if there is none, else 403."""
    application = db.session.get(Application, application_id) if len(application_id) <= 32 \
        else None
    if application is None:
        abort(404)
    if not can_open(current_user, application):
        abort(403)
    return application


def material_or_abort(material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None:
        abort(404)
    application_or_abort(material.application_id)
    return material
