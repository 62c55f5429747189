"""A case being inspected is watched by its page (state JSON); a reviewer sees their day."""
from __future__ import annotations

from reviewer.services import runtime
from reviewer.services.decisions import Verdict, decide
from tests.reviewer.factories import make_application

CLEAN = []


def test_a_case_being_inspected_is_watched_and_reports_its_state(client, login, users):
    application = make_application(runtime.storage(), status="inspecting")
    application.latest_run.state = "running"
    from models import db
    db.session.commit()
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert f'data-watch="/applications/{application.id}/state.json"' in body
    state = client.get(f"/applications/{application.id}/state.json").get_json()
    assert state == {"status": "inspecting", "version": application.version,
                     "run_id": application.latest_run_id, "run_state": "running"}
    done = make_application(runtime.storage())
    assert "data-watch" not in client.get(f"/applications/{done.id}").get_data(as_text=True)


def test_the_queue_shows_the_reviewers_own_day(client, login, users):
    store = runtime.storage()
    for _ in range(2):
        decide(make_application(store, findings=CLEAN), users["reviewer"],
               Verdict(kind="approve"), expected_version=None, opened_at=None)
    decide(make_application(store), users["reviewer2"], Verdict(kind="reject",
                                                                 reasons=("OTHER",),
                                                                 applicant_message="x"),
           expected_version=None)
    login("reviewer")
    body = client.get("/queue").get_data(as_text=True)
    assert "我今天：<b>2</b> 件（通过 2，驳回 0，邮寄 0）" in body
