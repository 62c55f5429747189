"""The inspection output of shared/CONTRACT.md section 3, built from the database.

`reviewer show ID --json` and `GET /api/v1/applications/ID` both return this.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from models.application import Application
from models.inspection import InspectionRun
from models.run_state import RunState


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def application_report(application: Application) -> dict[str, Any]:
    run: InspectionRun | None = application.latest_run
    return {
        "id": application.id,
        "external_id": application.external_id,
        "status": application.status,
        "inspection": _inspection(run),
        "recommendation": (run.recommendation if run and run.state == RunState.DONE else None)
        or "review",
        "findings": [_finding(f) for f in run.findings] if run else [],
        "extracted": _extracted(run) if run else [],
        "faces": [_face(f) for f in run.faces] if run else [],
    }


def _inspection(run: InspectionRun | None) -> dict[str, Any]:
    if run is None:
        return {"state": RunState.PENDING.value, "pipeline_version": None, "started_at": None,
                "finished_at": None}
    state = RunState.RUNNING.value if run.state == RunState.FINALIZING else run.state
    return {"state": state, "pipeline_version": run.pipeline_version,
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at)}


def _finding(row) -> dict[str, Any]:
    return {"code": row.code, "severity": row.severity, "material": row.material_name,
            "field": row.field, "expected": row.expected, "observed": row.observed,
            "message": row.message}


def _extracted(run: InspectionRun) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"fields": {}, "confidence": {}})
    for row in run.extracted:
        entry = grouped[(row.material_name, row.kind)]
        entry["fields"][row.field] = row.value
        if row.confidence is not None:
            entry["confidence"][row.field] = round(row.confidence, 4)
    return [{"material": material, "kind": kind, **entry}
            for (material, kind), entry in grouped.items()]


def _face(row) -> dict[str, Any]:
    return {"material": row.material_name, "reference": row.reference_name,
            "faces_found": row.faces_found,
            "distance": round(row.distance, 4) if row.distance is not None else None,
            "match": row.match}
