"""Supervision (质检): audit log, second review, statistics, pipeline health,
batch reprocessing and CSV export. Supervisors and admins only."""
from __future__ import annotations

from flask import Blueprint

from models import Role
from reviewer.web.auth import guard

bp = Blueprint("supervision", __name__)
guard(bp, Role.SUPERVISOR)


from reviewer.web.supervision import (audit, export, health, reprocessing, sampling,  # noqa: E402,F401
                                  stats)
