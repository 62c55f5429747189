"""Log lines carry the job id, RQ's own lines about the job included."""
import logging

from rq import SimpleWorker

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


def test_the_worker_stamps_the_job_it_runs_and_forgets_it_after(monkeypatch):
    seen = []
    monkeypatch.setattr(SimpleWorker, "execute_job",
                        lambda self, job, queue: seen.append(_stamped("Job OK")))
    InspectionWorker.execute_job(object.__new__(InspectionWorker), _Job(), queue=None)
    assert seen == ["run7-material3"]
    assert worker_module._running is None and _stamped("idle") == "-"
