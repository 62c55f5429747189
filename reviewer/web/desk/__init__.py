"""The review desk (初审工作台): the queue, the application page, decisions, mail."""
from __future__ import annotations

from flask import Blueprint

from reviewer.web.auth import guard

bp = Blueprint("desk", __name__)
guard(bp)  # any logged-in user


from reviewer.web.desk import filters, views, actions, files, live  # noqa: E402,F401  (routes register on bp)
