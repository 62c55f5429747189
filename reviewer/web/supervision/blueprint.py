"""The supervision blueprint: supervisors and admins only."""
from __future__ import annotations

from flask import Blueprint

from models import Role
from reviewer.web.auth import guard

bp = Blueprint("supervision", __name__)
guard(bp, Role.SUPERVISOR)
