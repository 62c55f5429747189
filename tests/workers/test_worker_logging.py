"""Log lines carry the job id, in the work horse and in the worker that watches it."""
import logging

from rq import Worker

from workers import worker as worker_module
from workers.worker import InspectionWorker, JobIdFilter


class _Job:
    id = "run7-material3"


def _stamped(message: str) -> str:
    record = logging.LogRecord("rq.worker", logging.INFO, __file__, 1, message, None, None)
    JobIdFilter().filter(record)
    return record.job_id


def test_outside_a_job_the_stamp_is_a_dash():
    assert _stamped("idle") == "-"


def test_the_parent_stamps_the_job_it_forked_for_and_forgets_it_after(monkeypatch):
    seen = []
    monkeypatch.setattr(Worker, "execute_job",
                        lambda self, job, queue: seen.append(_stamped("Job OK")))
    InspectionWorker.execute_job(object.__new__(InspectionWorker), _Job(), queue=None)
    assert seen == ["run7-material3"]
    assert worker_module._forked_for is None and _stamped("idle") == "-"
