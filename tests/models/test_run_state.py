import itertools

import pytest

from models import db
from models.run_state import (ALLOWED, BATCH_ALLOWED, BATCH_LABELS, BATCH_OVER, JOB_ALLOWED,
                              RUN_IN_PROGRESS, RUN_LABELS, RUN_OPEN, RUN_SETTLED, BatchState,
                              IllegalMove, JobState, RunState, allowed, move)

KINDS = (RunState, JobState, BatchState)


class _Row:
    def __init__(self, state: str):
        self.state = state


LEGAL = [(s, t) for kind in KINDS for s, targets in ALLOWED[kind].items() for t in sorted(targets)]
ILLEGAL = [(s, t) for kind in KINDS for s, t in itertools.product(kind, kind)
           if t not in ALLOWED[kind][s]]


def test_every_kind_has_a_row_for_each_of_its_states():
    for kind in KINDS:
        assert set(ALLOWED[kind]) == set(kind)


@pytest.mark.parametrize(("source", "target"), LEGAL, ids=str)
def test_every_allowed_move_writes_the_plain_string(source, target):
    row = _Row(source.value)
    assert move(row, target) is target
    assert row.state == target.value and type(row.state) is str


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=str)
def test_every_illegal_move_raises_and_writes_nothing(source, target):
    row = _Row(source.value)
    with pytest.raises(IllegalMove) as raised:
        move(row, target)
    assert row.state == source.value
    assert (raised.value.current, raised.value.target) == (source, target)


def test_ended_runs_and_batches_never_move_again():
    for ended in (RunState.DONE, RunState.CANCELLED, BatchState.DONE, BatchState.CANCELLED):
        assert ALLOWED[type(ended)][ended] == frozenset()


def test_what_the_workers_do_today_is_allowed():
    run = _Row("pending")
    for target in (RunState.RUNNING, RunState.FINALIZING, RunState.RUNNING,  # claim given back
                   RunState.FINALIZING, RunState.FAILED, RunState.FAILED,  # a second job fails
                   RunState.PENDING, RunState.FINALIZING, RunState.DONE):  # retried, finalized
        move(run, target)
    job = _Row("queued")
    for target in (JobState.STARTED, JobState.STARTED,  # RQ retried it
                   JobState.QUEUED, JobState.STARTED,  # the sweeper released it
                   JobState.FAILED, JobState.QUEUED, JobState.FINISHED,  # retry, stored result
                   JobState.FINISHED):  # run again: changes nothing
        move(job, target)
    assert (run.state, job.state) == ("done", "finished")


def test_a_slow_finalizer_still_finishes_a_run_taken_back_or_failed_meanwhile():
    for meanwhile in (RunState.RUNNING, RunState.FAILED):
        assert allowed(meanwhile, RunState.DONE)


def test_a_cancelled_batch_cancels_pending_runs_and_queued_jobs_only():
    assert {s for s in RunState if allowed(s, RunState.CANCELLED)} == {RunState.PENDING}
    assert {s for s in JobState if allowed(s, JobState.CANCELLED)} == {JobState.QUEUED}
    assert {s for s in BatchState if allowed(s, BatchState.CANCELLED)} == {BatchState.RUNNING}


def test_the_named_groups_agree_with_the_table():
    # finalize.claim moves RUN_OPEN to finalizing with one UPDATE
    assert {s for s in RunState if allowed(s, RunState.FINALIZING)} == set(RUN_OPEN)
    # record_failure fails a run unless it is done or cancelled
    assert {s for s in RunState if not allowed(s, RunState.FAILED)} == {
        RunState.DONE, RunState.CANCELLED}
    assert set(RUN_IN_PROGRESS) | set(RUN_SETTLED) == set(RunState)
    assert not set(RUN_IN_PROGRESS) & set(RUN_SETTLED)
    assert {s for s in BatchState if not BATCH_ALLOWED[s]} == set(BATCH_OVER)
    assert all(allowed(s, JobState.FAILED) for s in JOB_ALLOWED)  # any job can fail


def test_a_state_of_another_kind_or_unknown_is_refused():
    with pytest.raises(TypeError):
        move(_Row("pending"), "running")
    with pytest.raises(ValueError):
        move(_Row("teleported"), RunState.DONE)
    with pytest.raises(ValueError):  # "queued" is a job's state, not a run's
        move(_Row("queued"), RunState.RUNNING)


def test_values_are_the_stored_strings_and_labels_are_complete():
    assert [s.value for s in RunState] == ["pending", "running", "finalizing", "done", "failed",
                                          "cancelled"]
    assert [s.value for s in JobState] == ["queued", "started", "finished", "failed",
                                          "cancelled"]
    assert [s.value for s in BatchState] == ["running", "done", "cancelled"]
    assert set(RUN_LABELS) == set(RunState) and set(BATCH_LABELS) == set(BatchState)
    assert (RunState.CANCELLED.label, RunState.FINALIZING.label) == ("已取消", "汇总中")
    assert BatchState.RUNNING.label == "进行中"


STATE_ENUM_OF_TABLE = {"inspection_runs": RunState, "jobs": JobState,
                       "reprocess_batches": BatchState}


def test_every_state_column_default_is_a_member_of_its_enum():
    tables = {t.name: t for t in db.metadata.sorted_tables if "state" in t.c}
    assert set(tables) == set(STATE_ENUM_OF_TABLE)  # a new state column gets an enum here
    for name, table in tables.items():
        default = table.c.state.default.arg
        assert type(default) is str and default in STATE_ENUM_OF_TABLE[name]._value2member_map_
