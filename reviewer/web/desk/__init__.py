"""The review desk (初审工作台): the queue, the application page, decisions, mail.

`bp` lives in `blueprint.py`; the route modules imported here register on it."""
from __future__ import annotations

from reviewer.web.desk import actions, files, filters, live, views  # noqa: F401  (routes register on bp)
from reviewer.web.desk.blueprint import bp

__all__ = ["bp"]
