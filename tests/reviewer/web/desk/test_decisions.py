"""Decisions: approve, reject with reasons, conflicts between two reviewers, next case."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Application, AuditEvent, Decision, db
from reviewer.services import runtime
from reviewer.services.decisions import DecisionConflict, Verdict, decide, reason_catalogue
from tests.reviewer.factories import csrf_token, make_application, post


BLOCKS = ("ID_NAME_MISMATCH", "CONTACT_INVALID")  # the block findings of default_findings()
APPROVE_OVER_BLOCKS = Verdict(kind="approve", acknowledged=BLOCKS, note="已电话核实")


def version_of(client, application_id: str) -> str:
    body = client.get(f"/applications/{application_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', body).group(1)


def fresh(application_id: str) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def events(action: str) -> list[AuditEvent]:
    return db.session.execute(sa.select(AuditEvent).filter_by(action=action)).scalars().all()


@pytest.fixture
def two(users):
    store = runtime.storage()
    first = make_application(store, subject_name="第一件", due_in=dt.timedelta(hours=2))
    second = make_application(store, subject_name="第二件", due_in=dt.timedelta(hours=5))
    return first, second


def test_approve_moves_on_records_and_opens_the_next_case(client, login, two, users):
    first, second = two
    login("reviewer")
    response = post(client, f"/applications/{first.id}/decision",
                    {"kind": "approve", "version": version_of(client, first.id),
                     "note": "核对无误", "acknowledged": list(BLOCKS)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{second.id}")
    assert fresh(first.id).status == "approved"
    assert fresh(second.id).assignee_id == users["reviewer"].id  # next case taken for them
    decision = db.session.execute(sa.select(Decision)).scalar_one()
    assert decision.kind == "approve" and decision.decided_by_id == users["reviewer"].id
    assert decision.run_id == first.latest_run_id and decision.note == "核对无误"
    assert decision.handling_seconds is not None and 0 <= decision.handling_seconds < 60
    [event] = events("decision.approve")
    assert event.target_id == first.id
    assert event.detail["status"] == {"from": "awaiting_review", "to": "approved"}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "初审通过" in page and "第一件" in page  # the flash links back to it


def test_reject_requires_a_reason(client, login, two):
    first, _ = two
    login("reviewer")
    response = post(client, f"/applications/{first.id}/decision",
                    {"kind": "reject", "version": version_of(client, first.id),
                     "applicant_message": "请修改"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "驳回至少需要选择一条原因" in body and "请修改" in body  # the draft is kept
    assert fresh(first.id).status == "awaiting_review"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_reject_with_reasons_writes_the_applicant_message(client, login, two):
    first, _ = two
    login("reviewer")
    post(client, f"/applications/{first.id}/decision",
         {"kind": "reject", "version": version_of(client, first.id),
          "reasons": ["ID_NAME_MISMATCH", "MATERIAL_UNCLEAR"], "then": "stay"})
    assert fresh(first.id).status == "rejected"
    decision = db.session.execute(sa.select(Decision)).scalar_one()
    assert decision.reasons == ["ID_NAME_MISMATCH", "MATERIAL_UNCLEAR"]
    assert "身份证姓名与填写信息不一致" in decision.applicant_message
    assert "王健国" in decision.applicant_message  # the finding's own explanation


def test_unknown_reasons_and_kinds_are_refused(client, login, two):
    first, _ = two
    login("reviewer")
    for data in ({"kind": "reject", "reasons": "DROP TABLE"}, {"kind": "delete"},
                 {"kind": "request_mail", "mail_items": []}):
        response = post(client, f"/applications/{first.id}/decision", data)
        assert response.status_code == 400, data
    assert fresh(first.id).status == "awaiting_review"


def test_two_reviewers_deciding_at_once_one_wins_the_other_is_told(app, users, two):
    first, _ = two
    reviewer_a, reviewer_b = app.test_client(), app.test_client()
    for client, name in ((reviewer_a, "reviewer"), (reviewer_b, "reviewer2")):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": name, "password": "correct horse battery",
                                    "csrf_token": token})
    version_a, version_b = version_of(reviewer_a, first.id), version_of(reviewer_b, first.id)
    assert version_a == version_b
    won = post(reviewer_a, f"/applications/{first.id}/decision",
               {"kind": "reject", "reasons": "ID_NAME_MISMATCH", "version": version_a})
    assert won.status_code == 302
    lost = post(reviewer_b, f"/applications/{first.id}/decision",
                {"kind": "approve", "version": version_b})
    assert lost.status_code == 409
    message = lost.get_data(as_text=True)
    assert "reviewer" in message and "驳回" in message and "没有保存" in message
    assert fresh(first.id).status == "rejected"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1


def test_a_concurrent_write_is_caught_by_the_optimistic_lock(app, users, two):
    first, _ = two
    application = fresh(first.id)
    with db.engine.begin() as other:  # another process commits between our read and write
        other.execute(sa.text("UPDATE applications SET version = version + 1, "
                              "status = 'rejected' WHERE id = :id"), {"id": first.id})
    with pytest.raises(DecisionConflict):
        decide(application, users["reviewer"], APPROVE_OVER_BLOCKS, expected_version=None)
    assert fresh(first.id).status == "rejected"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_deciding_during_a_rerun_says_so_and_not_who_decided_before(users):
    """A case sent back for mailed materials is decided, then re-inspected: the refusal
    names the re-inspection, not the earlier decision as if it were a rival one."""
    application = make_application(runtime.storage(), status="awaiting_review")
    decide(application, users["reviewer"], Verdict(kind="request_mail",
                                                    mail_items=("verification_form",)),
           expected_version=None)
    db.session.execute(sa.update(Application).where(Application.id == application.id)
                       .values(status="inspecting"))
    db.session.commit()
    with pytest.raises(DecisionConflict, match="正在重新自动检查") as refused:
        decide(fresh(application.id), users["reviewer"], Verdict(kind="approve"),
               expected_version=None)
    assert "reviewer" not in refused.value.message


def test_next_case_prefers_own_then_most_urgent_unassigned(client, login, users, two):
    first, second = two
    mine = make_application(runtime.storage(), assignee=users["reviewer"],
                            due_in=dt.timedelta(hours=9))
    login("reviewer")
    location = post(client, "/queue/next").headers["Location"]
    assert location.endswith(mine.id)
    mine_row = fresh(mine.id)
    mine_row.status = "approved"
    db.session.commit()
    assert post(client, "/queue/next").headers["Location"].endswith(first.id)
    assert fresh(first.id).assignee_id == users["reviewer"].id
    [event] = [e for e in events("application.assign") if e.target_id == first.id]
    assert event.detail["how"] == "next"


def test_next_case_on_an_empty_queue_returns_to_the_queue(client, login, users):
    login("reviewer")
    response = post(client, "/queue/next")
    assert response.headers["Location"].endswith("/queue")
    assert "没有待初审" in client.get("/queue").get_data(as_text=True)


def test_assign_to_me_and_nobody_else_after(app, client, login, users, two):
    first, _ = two
    login("reviewer")
    post(client, f"/applications/{first.id}/assign")
    assert fresh(first.id).assignee_id == users["reviewer"].id
    login("reviewer2")
    assert client.get(f"/applications/{first.id}").status_code == 403
    assert post(client, f"/applications/{first.id}/assign").status_code == 403


def test_supervisors_assign_in_bulk(client, login, users, two):
    first, second = two
    login("reviewer")
    token = csrf_token(client)
    assert client.post("/queue/assign", data={"csrf_token": token, "ids": [first.id],
                                               "assignee": str(users["reviewer"].id)}
                       ).status_code == 403
    login("supervisor")
    response = post(client, "/queue/assign", {"ids": [first.id, second.id],
                                              "assignee": str(users["reviewer2"].id),
                                              "back": "/queue?sort=risk"})
    assert response.headers["Location"].endswith("/queue?sort=risk")
    assert {fresh(first.id).assignee_id, fresh(second.id).assignee_id} == {users["reviewer2"].id}
    assert len(events("application.assign")) == 2


def test_a_closed_case_keeps_the_reviewer_who_handled_it(client, login, users):
    """No release, no claim, no bulk reassignment once a case is approved or rejected."""
    store = runtime.storage()
    approved = make_application(store, status="approved", assignee=users["reviewer"])
    rejected = make_application(store, status="rejected", assignee=users["reviewer"])
    login("reviewer")
    page = client.get(f"/applications/{approved.id}").get_data(as_text=True)
    assert "放回队列" not in page
    post(client, f"/applications/{approved.id}/release")
    assert fresh(approved.id).assignee_id == users["reviewer"].id
    login("supervisor")
    post(client, f"/applications/{approved.id}/release")
    assert fresh(approved.id).assignee_id == users["reviewer"].id
    post(client, "/queue/assign", {"ids": [approved.id, rejected.id],
                                   "assignee": str(users["reviewer2"].id)})
    assert {fresh(approved.id).assignee_id, fresh(rejected.id).assignee_id} == \
        {users["reviewer"].id}
    assert events("application.assign") == []


def test_an_unassigned_closed_case_cannot_be_claimed(client, login, users):
    closed = make_application(runtime.storage(), status="rejected")
    login("reviewer")
    response = post(client, f"/applications/{closed.id}/assign", follow_redirects=True)
    assert "不能再领取" in response.get_data(as_text=True)
    assert fresh(closed.id).assignee_id is None


def test_bulk_assignment_goes_only_to_active_reviewers_and_supervisors(client, login, users,
                                                                       two):
    first, _ = two
    login("supervisor")
    for target in (users["admin"].id, 99):
        post(client, "/queue/assign", {"ids": [first.id], "assignee": str(target)})
        assert fresh(first.id).assignee_id is None, target


def test_the_reason_catalogue_holds_every_finding_code_and_free_reasons():
    from pipeline.findings import CATALOGUE

    catalogue = reason_catalogue()
    assert set(CATALOGUE) < set(catalogue) and "OTHER" in catalogue
    assert catalogue["ID_NAME_MISMATCH"] == CATALOGUE["ID_NAME_MISMATCH"].title


def test_next_from_a_case_page_moves_on_from_that_case(client, login, users, two):
    first, second = two
    login("reviewer")
    post(client, f"/applications/{first.id}/assign")
    location = post(client, "/queue/next", {"skip": first.id}).headers["Location"]
    assert location.endswith(second.id)
    page = client.get(location).get_data(as_text=True)
    assert f'name="skip" value="{second.id}"' in page


@pytest.mark.parametrize("verdict", [
    Verdict(kind="reject", reasons=("ID_NAME_MISMATCH",)),
    Verdict(kind="request_mail", mail_items=("verification_form",)),
], ids=["reject", "request_mail"])
def test_a_rival_decision_committed_mid_decide_is_a_conflict_naming_it(app, users, two,
                                                                       verdict):
    """The rival commits after our page loaded the case: writing the applicant message
    (which loads the run's findings) used to flush first and raise a bare StaleDataError."""
    from sqlalchemy.orm import Session

    first, _ = two
    application = fresh(first.id)
    with Session(db.engine) as other:  # reviewer2 approves in another process meanwhile
        other.add(Decision(application_id=first.id, kind="approve",
                           decided_by_id=users["reviewer2"].id, run_id=first.latest_run_id))
        other.execute(sa.update(Application).where(Application.id == first.id).values(
            status="approved", version=Application.version + 1))
        other.commit()
    with pytest.raises(DecisionConflict) as refused:
        decide(application, users["reviewer"], verdict, expected_version=None)
    assert users["reviewer2"].display_name in refused.value.message
    assert "初审通过" in refused.value.message and "没有保存" in refused.value.message
    assert fresh(first.id).status == "approved"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1
