"""Second review: sampling, agreement rate, overturn (reason required, never by the decider)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from models import Application, AuditEvent, Decision, db
from reviewer.services import runtime
from reviewer.services.decisions import DecisionError, overturn
from tests.reviewer.factories import make_application, post


def decided(users, kind: str = "approve", by: str = "reviewer") -> Decision:
    status = {"approve": "approved", "reject": "rejected"}[kind]
    application = make_application(runtime.storage(), status=status, assignee=users[by])
    decision = Decision(application_id=application.id, kind=kind, decided_by_id=users[by].id,
                        reasons=["ID_NAME_MISMATCH"] if kind == "reject" else [])
    db.session.add(decision)
    db.session.commit()
    return decision


def status_of(application_id: str) -> str:
    db.session.expire_all()
    return db.session.get(Application, application_id).status


def test_overturn_needs_a_reason_and_reverses_the_decision(client, login, users):
    decision = decided(users, "approve")
    login("supervisor")
    url = f"/supervision/decisions/{decision.id}/overturn"
    post(client, url, {"reason": "  ", "reasons": "ID_NAME_MISMATCH"})
    assert status_of(decision.application_id) == "approved"
    post(client, url, {"reason": "姓名不一致未处理"})  # approve -> reject needs a reject reason
    assert status_of(decision.application_id) == "approved"
    post(client, url, {"reason": "姓名不一致未处理", "reasons": "ID_NAME_MISMATCH"})
    assert status_of(decision.application_id) == "rejected"
    new = db.session.execute(sa.select(Decision).where(Decision.overturns_id == decision.id)
                             ).scalar_one()
    assert new.kind == "reject" and new.original_decider_id == users["reviewer"].id
    assert new.decided_by_id == users["supervisor"].id and new.note == "姓名不一致未处理"
    db.session.refresh(decision)
    assert decision.second_review == "overturned"
    [event] = db.session.execute(sa.select(AuditEvent).filter_by(
        action="decision.overturn")).scalars().all()
    assert event.detail["overturns"] == decision.id
    assert event.detail["status"] == {"from": "approved", "to": "rejected"}


def test_the_decider_cannot_overturn_even_as_supervisor(client, login, users):
    decision = decided(users, "reject", by="supervisor")
    login("supervisor")
    post(client, f"/supervision/decisions/{decision.id}/overturn", {"reason": "改判自己"})
    assert status_of(decision.application_id) == "rejected"
    with pytest.raises(DecisionError):
        overturn(decision, users["supervisor"], reason="改判自己")
    login("admin")  # someone else may
    post(client, f"/supervision/decisions/{decision.id}/overturn", {"reason": "材料齐全"})
    assert status_of(decision.application_id) == "approved"


def test_the_database_refuses_an_overturn_by_the_original_decider(users):
    decision = decided(users, "approve")
    db.session.add(Decision(application_id=decision.application_id, kind="reject",
                            decided_by_id=users["reviewer"].id, overturns_id=decision.id,
                            original_decider_id=users["reviewer"].id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_reviewers_cannot_overturn(client, login, users):
    decision = decided(users, "approve", by="reviewer2")
    login("reviewer")
    assert post(client, f"/supervision/decisions/{decision.id}/overturn",
                {"reason": "x"}).status_code == 403
    assert status_of(decision.application_id) == "approved"


def test_sampling_skips_own_decisions_and_counts_agreement(client, login, users):
    others = [decided(users, "approve") for _ in range(3)]
    own = decided(users, "reject", by="supervisor")
    login("supervisor")
    post(client, "/supervision/sampling/draw", {"size": "10", "days": "7"})
    db.session.expire_all()
    assert all(db.session.get(Decision, d.id).sampled for d in others)
    assert not db.session.get(Decision, own.id).sampled
    page = client.get("/supervision/sampling").get_data(as_text=True)
    assert page.count("/agree") == 3
    post(client, f"/supervision/decisions/{others[0].id}/agree")
    post(client, f"/supervision/decisions/{others[1].id}/agree")
    post(client, f"/supervision/decisions/{others[2].id}/overturn",
         {"reason": "材料不全", "reasons": "MATERIAL_UNCLEAR"})
    page = client.get("/supervision/sampling").get_data(as_text=True)
    assert "<b>67%</b> 一致率" in page
    assert "没有待复核的决定" in page


def test_stale_decisions_wait_for_a_second_review(client, login, users):
    decision = decided(users, "approve")
    decision.stale = True
    db.session.commit()
    login("supervisor")
    page = client.get("/supervision/sampling").get_data(as_text=True)
    assert "检查结果已变化" in page and f"/decisions/{decision.id}/agree" in page


def test_the_application_page_offers_overturn_only_to_other_supervisors(client, login, users):
    decision = decided(users, "approve")
    login("supervisor")
    page = client.get(f"/applications/{decision.application_id}").get_data(as_text=True)
    assert "质检改判" in page
    login("reviewer")
    page = client.get(f"/applications/{decision.application_id}").get_data(as_text=True)
    assert "质检改判" not in page
