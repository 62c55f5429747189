"""Every start of an inspection goes through `reviewer.services.inspections`, and the caller
goes on with the run it returned.

The entry points, each with a test here unless named: the API's POST, `reviewer intake`,
`reviewer intake --inline` (tests/workers/test_intake_inline.py), `reviewer demo`, a
reviewer's re-run, mailed originals received, `reviewer reprocess`, and the supervision
page's batch (tests/reviewer/web/supervision/test_live_batch.py). Batches enqueue with the
retry delays of the settings (JOB_RETRY_DELAYS), whichever way they are started.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from rq.job import Job
from rq.serializers import JSONSerializer

from config import current as settings
from models import Application, InspectionRun, JobRecord, MailRequest, ReprocessBatch, db
from reviewer.services import inspections, runtime
from samples import contract
from tests.reviewer.factories import desk_env, make_application, post  # noqa: F401  (autouse)
from tests.reviewer.inspection_spy import watch
from tests.reviewer.intake_helpers import post as post_application
from workers.queues import connect

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def config(config):
    """Distinctive retry delays, and a Redis of the test's own: job ids start again with
    each test's database, so in the shared one an earlier test's job could stand in."""
    from workers.redis_server import EmbeddedRedis

    server = EmbeddedRedis(Path("/tmp") / f"icp-starts-{os.getpid()}" / "redis.sock",
                           appendonly=False).start()
    yield config.replace(redis_url=server.url, job_retry_delays=(7, 11))
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


def fresh(application_id: str) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def _retry_intervals(runs: list[InspectionRun]) -> set[tuple[int, ...]]:
    """The retry intervals of the runs' jobs as RQ holds them in Redis."""
    connection = connect(settings().effective_redis_url())
    ids = db.session.execute(sa.select(JobRecord.id).where(
        JobRecord.run_id.in_([run.id for run in runs]))).scalars().all()
    assert len(ids) >= 2 * len(runs)  # a material and a finalize job per run at least
    return {tuple(Job.fetch(i, connection=connection, serializer=JSONSerializer).retry_intervals)
            for i in ids}


def test_an_intake_or_rerun_start_moves_the_application_to_inspecting(app):
    application = make_application(runtime.storage())
    run = inspections.start(application, inspections.RERUN)
    assert run.id is not None  # flushed: the caller's audit event names it
    assert (run.application_id, run.trigger, run.state) == (application.id, "rerun", "pending")
    assert application.status == "inspecting"
    with pytest.raises(ValueError):
        inspections.start(make_application(runtime.storage()), inspections.REPROCESS)


def test_a_reprocess_start_leaves_the_applications_where_they_stand(app):
    approved = make_application(runtime.storage(), status="approved")
    batch = ReprocessBatch(pipeline_version="test", criteria={}, total=1)
    db.session.add(batch)
    db.session.flush()
    [run] = inspections.start_reprocess(batch, [approved.id])
    db.session.commit()
    assert (run.trigger, run.batch_id, run.application_id) == ("reprocess", batch.id, approved.id)
    assert fresh(approved.id).status == "approved"


def test_the_api_starts_through_the_service_and_enqueues_that_run(client, api_token,
                                                                   monkeypatch):
    seen = watch(monkeypatch)
    form = contract.example(external_id="ICP-START-API")
    files = contract.files_for(form, seed=7)
    response = post_application(client, api_token, form, files)
    assert response.status_code == 201, response.get_json()
    assert seen.triggers() == ["intake"] and seen.enqueued_as_started()
    assert seen.runs()[0].application_id == response.get_json()["id"]
    assert _retry_intervals(seen.runs()) == {(7, 11)}
    assert post_application(client, api_token, form, files).status_code == 200
    assert len(seen.started) == 1  # the same application again: nothing started


def test_cli_intake_starts_through_the_service_and_enqueues_that_run(app, tmp_path,
                                                                     monkeypatch):
    seen = watch(monkeypatch)
    form = contract.example(external_id="ICP-START-CLI")
    folder = contract.write_folder(tmp_path / "case", form, contract.files_for(form, seed=8))
    result = app.test_cli_runner().invoke(args=["intake", str(folder)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[-1])
    assert seen.triggers() == ["intake"] and seen.enqueued_as_started() and not seen.inlined
    assert seen.runs()[0].application_id == line["id"] and line["status"] == "inspecting"


def test_the_demo_starts_each_application_through_the_service(app, monkeypatch):
    seen = watch(monkeypatch)
    result = app.test_cli_runner().invoke(args=["demo", "--count", "2"])
    assert result.exit_code == 0, result.output
    assert seen.triggers() == ["intake", "intake"] and seen.enqueued_as_started()
    demo = db.session.execute(sa.select(Application.id).where(
        Application.external_id.like("DEMO-%"))).scalars().all()
    assert sorted(run.application_id for run in seen.runs()) == sorted(demo)
    again = app.test_cli_runner().invoke(args=["demo", "--count", "2"])
    assert again.exit_code == 0 and len(seen.started) == 2  # already there: nothing started


def _version(client, application_id: str) -> str:
    body = client.get(f"/applications/{application_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', body).group(1)


def test_a_reviewers_rerun_starts_through_the_service(client, login, users, monkeypatch):
    application = make_application(runtime.storage())
    login("reviewer")
    seen = watch(monkeypatch)
    post(client, f"/applications/{application.id}/rerun",
         {"version": _version(client, application.id)})
    assert seen.triggers() == ["rerun"] and seen.enqueued_as_started()
    run = seen.runs()[0]
    assert run.application_id == application.id and fresh(application.id).status == "inspecting"
    assert _retry_intervals([run]) == {(7, 11)}


def test_mailed_originals_received_start_through_the_service(client, login, users, monkeypatch):
    application = make_application(runtime.storage())
    login("reviewer")
    post(client, f"/applications/{application.id}/decision",
         {"kind": "request_mail", "mail_items": ["id_card_front"],
          "version": _version(client, application.id), "then": "stay"})
    mail = db.session.execute(sa.select(MailRequest)).scalar_one()
    post(client, f"/mail/{mail.id}/ship", {"tracking_number": "SF1234567890"})
    seen = watch(monkeypatch)
    post(client, f"/mail/{mail.id}/receive")
    assert seen.triggers() == ["rerun"] and seen.enqueued_as_started()
    assert seen.runs()[0].application_id == application.id
    assert fresh(application.id).status == "inspecting"


def test_cli_reprocess_starts_through_the_service_with_the_configured_retries(app,
                                                                              monkeypatch):
    for _ in range(2):
        make_application(runtime.storage(), province="广东省")
    make_application(runtime.storage(), province="北京市")
    seen = watch(monkeypatch)
    result = app.test_cli_runner().invoke(args=["reprocess", "--province", "广东省",
                                                "--no-wait"])
    assert result.exit_code == 0, result.output
    assert seen.triggers() == ["reprocess", "reprocess"] and seen.enqueued_as_started()
    batch = db.session.execute(sa.select(ReprocessBatch)).scalar_one()
    assert {run.batch_id for run in seen.runs()} == {batch.id}
    assert _retry_intervals(seen.runs()) == {(7, 11)}


def _python_files():
    for folder in ("reviewer", "workers", "bench", "pipeline", "samples"):
        yield from (REPO / folder).rglob("*.py")
    yield from REPO.glob("*.py")


def _constructs(path: Path, name: str) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called == name:
                return True
    return False


def test_only_the_service_makes_an_inspection_run():
    makers = {str(p.relative_to(REPO)) for p in _python_files() if _constructs(p, "InspectionRun")}
    assert makers == {"reviewer/services/inspections.py"}
