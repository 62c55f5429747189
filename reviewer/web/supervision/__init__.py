"""Supervision (质检): audit log, second review, statistics, pipeline health,
batch reprocessing and CSV export. Supervisors and admins only."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from models import Role
from reviewer.web.auth import unauthorized

bp = Blueprint("supervision", __name__)


@bp.before_request
def require_supervisor():
    if not current_user.is_authenticated:
        return unauthorized()
    if not current_user.has_role(Role.SUPERVISOR):
        abort(403)
    return None


from reviewer.web.supervision import (audit, export, health, reprocessing, sampling,  # noqa: E402,F401
                                  stats)
