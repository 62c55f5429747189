"""Run, job and batch states: the one place they are named and moved.

An inspection run (`InspectionRun.state`):

    pending -> running -> finalizing -> done
    pending | running | finalizing -> failed -> pending (a supervisor's retry)
    pending -> cancelled (its reprocess batch was cancelled before a worker took it)

`pending -> finalizing` is a run with nothing left to inspect; `finalizing -> running`
gives a claim back (the finalizer raised, or the sweeper found it stale). The finalizer
that claimed a run writes `done` even if, meanwhile, the sweeper took its slow claim
back (`running`) or one of the run's jobs failed (`failed`).

A job row (`JobRecord.state`, one per RQ job):

    queued -> started -> finished
    queued -> finished (a stored result, or a finalize job: it never says started)
    started -> started (RQ retries it) ; started -> queued (the sweeper released it)
    finished -> finished | started (run again, Redis restored from an older file: its
    stored result makes it finish again; without one it is inspected again)
    failed -> queued (a supervisor's retry) ; failed -> started | finished (requeued
    from RQ's failed-job registry)
    queued -> cancelled (its run was cancelled)
    any -> failed (RQ's failure callback does not read the row)

A reprocess batch (`ReprocessBatch.state`): running -> done | cancelled.

The values are the strings stored in the String columns. An illegal move raises
`IllegalMove`; nothing is written. Bulk UPDATEs (claiming a run, cancelling a batch)
filter on the states they move from instead of calling `move`.
"""
from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    FINALIZING = "finalizing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return RUN_LABELS[self]


class JobState(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BatchState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return BATCH_LABELS[self]


RUN_LABELS = {
    RunState.PENDING: "排队中",
    RunState.RUNNING: "检查中",
    RunState.FINALIZING: "汇总中",
    RunState.DONE: "已完成",
    RunState.FAILED: "失败",
    RunState.CANCELLED: "已取消",
}
BATCH_LABELS = {BatchState.RUNNING: "进行中", BatchState.DONE: "已完成",
                BatchState.CANCELLED: "已取消"}

_RUN = RunState
RUN_ALLOWED: dict[RunState, frozenset[RunState]] = {
    _RUN.PENDING: frozenset({_RUN.RUNNING, _RUN.FINALIZING, _RUN.FAILED, _RUN.CANCELLED}),
    _RUN.RUNNING: frozenset({_RUN.FINALIZING, _RUN.FAILED, _RUN.DONE}),
    _RUN.FINALIZING: frozenset({_RUN.RUNNING, _RUN.DONE, _RUN.FAILED}),
    _RUN.DONE: frozenset(),
    _RUN.FAILED: frozenset({_RUN.PENDING, _RUN.FAILED, _RUN.DONE}),  # failed again: another job
    _RUN.CANCELLED: frozenset(),
}

_JOB = JobState
JOB_ALLOWED: dict[JobState, frozenset[JobState]] = {
    _JOB.QUEUED: frozenset({_JOB.STARTED, _JOB.FINISHED, _JOB.FAILED, _JOB.CANCELLED}),
    _JOB.STARTED: frozenset({_JOB.STARTED, _JOB.QUEUED, _JOB.FINISHED, _JOB.FAILED}),
    _JOB.FINISHED: frozenset({_JOB.FINISHED, _JOB.STARTED, _JOB.FAILED}),
    _JOB.FAILED: frozenset({_JOB.QUEUED, _JOB.STARTED, _JOB.FINISHED, _JOB.FAILED}),
    _JOB.CANCELLED: frozenset({_JOB.FAILED}),
}

BATCH_ALLOWED: dict[BatchState, frozenset[BatchState]] = {
    BatchState.RUNNING: frozenset({BatchState.DONE, BatchState.CANCELLED}),
    BatchState.DONE: frozenset(),
    BatchState.CANCELLED: frozenset(),
}

ALLOWED = {RunState: RUN_ALLOWED, JobState: JOB_ALLOWED, BatchState: BATCH_ALLOWED}

# Runs whose material jobs are still being worked on: a finalizer may claim them.
RUN_OPEN = (RunState.PENDING, RunState.RUNNING)
RUN_IN_PROGRESS = (*RUN_OPEN, RunState.FINALIZING)
RUN_SETTLED = (RunState.DONE, RunState.FAILED, RunState.CANCELLED)
BATCH_OVER = (BatchState.DONE, BatchState.CANCELLED)

State = RunState | JobState | BatchState


class IllegalMove(ValueError):
    def __init__(self, current: State, target: State):
        kind = type(target).__name__
        super().__init__(f"a {kind} cannot go from {current} to {target}")
        self.current, self.target = current, target


def allowed(current: str, target: State) -> bool:
    """Whether a row in state `current` may move to `target` (its kind's table)."""
    kind = type(target)
    if kind not in ALLOWED:
        raise TypeError(f"not a run, job or batch state: {target!r}")
    return target in ALLOWED[kind][kind(current)]


def move(row, target: State) -> State:
    """Set `row.state` to `target` (a run, job or batch row, by the target's kind) or
    raise `IllegalMove`. The caller commits."""
    if not allowed(row.state, target):
        raise IllegalMove(type(target)(row.state), target)
    row.state = target.value
    return target
