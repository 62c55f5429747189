"""The administration blueprint: admins only."""
from __future__ import annotations

from flask import Blueprint

from models import Role
from reviewer.web.auth import guard

bp = Blueprint("admin", __name__)
guard(bp, Role.ADMIN)
