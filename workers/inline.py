"""The whole inspection of a run in this process, with no queue and no worker:
`reviewer intake --inline` and `reviewer demo --inline`.

The same executors the workers' jobs hand off to, in the order the queue would run
them: every current material, then the finalizer. They close the session as a worker's
job does: rows loaded before are detached afterwards, so a caller keeps ids, not rows,
across this call.
"""
from __future__ import annotations

from models import Application, InspectionRun, db
from workers.executor import MaterialInspection
from workers.finalize import RunFinalizer


def run_inline(run_id: int) -> None:
    run = db.session.get(InspectionRun, run_id)
    application = db.session.get(Application, run.application_id)
    material_ids = [m.id for m in application.current_materials()]
    for material_id in material_ids:
        MaterialInspection(run_id, material_id).run()
    RunFinalizer(run_id).run()
