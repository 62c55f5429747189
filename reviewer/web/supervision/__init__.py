"""Supervision (质检): audit log, second review, statistics, pipeline health,
batch reprocessing and CSV export. Supervisors and admins only.

`bp` lives in `blueprint.py`; the route modules imported here register on it."""
from __future__ import annotations

from reviewer.web.supervision import (audit, export, health, reprocessing,  # noqa: F401
                                      sampling, stats)
from reviewer.web.supervision.blueprint import bp

__all__ = ["bp"]
