"""A watch on the one service that starts inspections (`reviewer.services.inspections`).

The real functions run, wrapped: each start is noted with its trigger and the run(s) it
returned, each enqueue with the run it was given, each inline inspection with its run id.
A test of an entry point then checks that it started through the service and went on
with the very run the service gave it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from models import InspectionRun


@dataclass
class Starts:
    started: list[tuple[str, InspectionRun]] = field(default_factory=list)
    enqueued: list[InspectionRun] = field(default_factory=list)
    inlined: list[int] = field(default_factory=list)

    def runs(self) -> list[InspectionRun]:
        return [run for _, run in self.started]

    def run_ids(self) -> list[int]:
        """From each run's identity: it holds even once a command's session has closed."""
        return [sa.inspect(run).identity[0] for run in self.runs()]

    def triggers(self) -> list[str]:
        return [trigger for trigger, _ in self.started]

    def enqueued_as_started(self) -> bool:
        """Every run enqueued is one the service started, each once, in order."""
        return len(self.enqueued) == len(self.started) and all(
            enqueued is started for enqueued, started in zip(self.enqueued, self.runs()))


def watch(monkeypatch) -> Starts:
    import workers.inline
    from reviewer.services import inspections

    seen = Starts()
    start, start_reprocess = inspections.start, inspections.start_reprocess
    enqueue, run_inline = inspections.enqueue, workers.inline.run_inline

    def watched_start(application, trigger):
        run = start(application, trigger)
        seen.started.append((trigger, run))
        return run

    def watched_start_reprocess(batch, application_ids):
        runs = start_reprocess(batch, application_ids)
        seen.started.extend((inspections.REPROCESS, run) for run in runs)
        return runs

    def watched_enqueue(run, connection):
        seen.enqueued.append(run)
        return enqueue(run, connection)

    def watched_run_inline(run_id):
        seen.inlined.append(run_id)
        run_inline(run_id)

    monkeypatch.setattr(inspections, "start", watched_start)
    monkeypatch.setattr(inspections, "start_reprocess", watched_start_reprocess)
    monkeypatch.setattr(inspections, "enqueue", watched_enqueue)
    monkeypatch.setattr(workers.inline, "run_inline", watched_run_inline)
    return seen
