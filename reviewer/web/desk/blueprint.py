"""The review desk's blueprint: any logged-in user."""
from __future__ import annotations

from flask import Blueprint

from reviewer.web.auth import guard

bp = Blueprint("desk", __name__)
guard(bp)  # any logged-in user
