"""Approving over block findings needs each acknowledged and a note; the author may undo a
decision within the undo window, audited both ways; sampling always draws such decisions."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from config import attach
from models import Application, AuditEvent, Decision, MailRequest, db
from reviewer.services import runtime
from reviewer.services.decisions import DecisionError, Verdict, decide
from reviewer.web.supervision.sampling import draw_sample
from reviewer.services.undo import undo
from tests.reviewer.factories import make_application, post

BLOCKS = ("ID_NAME_MISMATCH", "CONTACT_INVALID")  # the block findings of default_findings()
CLEAN = [{"code": "LICENSE_LEGAL_REP_MISMATCH", "severity": "warn", "material": "license.jpg",
          "field": "legal_representative", "expected": "王建国", "observed": "李明",
          "message": "营业执照法定代表人为“李明”。", "evidence": {}}]


def fresh(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def actions() -> list[str]:
    return db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()


@pytest.fixture
def blocked(users):
    return make_application(runtime.storage(), subject_name="须整改公司")


def test_approving_over_blocks_without_acknowledging_each_is_refused(users, blocked):
    for verdict in (Verdict(kind="approve"), Verdict(kind="approve", note="核实过"),
                    Verdict(kind="approve", acknowledged=BLOCKS[:1], note="核实过"),
                    Verdict(kind="approve", acknowledged=BLOCKS)):
        with pytest.raises(DecisionError):
            decide(blocked, users["reviewer"], verdict, expected_version=None)
    assert fresh(Application, blocked.id).status == "awaiting_review"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_an_acknowledged_approval_records_what_was_acknowledged(users, blocked):
    made = decide(blocked, users["reviewer"], Verdict(kind="approve", acknowledged=BLOCKS,
                                                      note="已电话核实姓名"), expected_version=None)
    decision = fresh(Decision, made.id)
    assert decision.acknowledged == list(BLOCKS) and decision.against_recommendation
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="decision.approve")).scalar_one()
    assert event.detail["acknowledged"] == list(BLOCKS)


def test_approving_a_clean_case_needs_no_acknowledgement(users):
    clean = make_application(runtime.storage(), findings=CLEAN)
    made = decide(clean, users["reviewer"], Verdict(kind="approve"), expected_version=None)
    assert made.acknowledged == [] and not made.against_recommendation


def test_the_page_asks_for_each_block_finding(client, login, blocked):
    login("reviewer")
    page = client.get(f"/applications/{blocked.id}").get_data(as_text=True)
    for code in BLOCKS:
        assert f'name="acknowledged" value="{code}" required' in page


def test_the_author_undoes_within_the_window_audited_both_ways(client, login, users, blocked):
    login("reviewer")
    made = decide(blocked, users["reviewer"], Verdict(
        kind="request_mail", mail_items=("id_card_front",)), expected_version=None)
    assert "撤销决定" in client.get(f"/applications/{blocked.id}").get_data(as_text=True)
    response = post(client, f"/decisions/{made.id}/undo")
    assert response.status_code == 302
    application = fresh(Application, blocked.id)
    assert application.status == "awaiting_review"
    assert application.assignee_id == users["reviewer"].id
    assert fresh(Decision, made.id).undone_at is not None
    mail = db.session.execute(sa.select(MailRequest)).scalar_one()
    assert mail.status == "withdrawn"
    assert actions()[-2:] == ["decision.request_mail", "decision.undo"]


def test_no_undo_after_the_window_nor_by_another(client, login, users, blocked):
    made = decide(blocked, users["reviewer"], Verdict(kind="reject", reasons=BLOCKS),
                  expected_version=None)
    with pytest.raises(DecisionError, match="只能撤销自己"):
        undo(fresh(Decision, made.id), users["supervisor"])
    decision = fresh(Decision, made.id)
    decision.decided_at = decision.decided_at - dt.timedelta(seconds=121)
    db.session.commit()
    with pytest.raises(DecisionError, match="时限已过"):
        undo(fresh(Decision, made.id), users["reviewer"])
    login("reviewer")
    assert "撤销决定" not in client.get(f"/applications/{blocked.id}").get_data(as_text=True)
    assert fresh(Application, blocked.id).status == "rejected"
    assert "decision.undo" not in actions()


def test_the_undo_window_is_configurable(app, config, users, blocked):
    attach(app, config.replace(undo_seconds=600))
    made = decide(blocked, users["reviewer"], Verdict(kind="reject", reasons=BLOCKS),
                  expected_version=None)
    decision = fresh(Decision, made.id)
    decision.decided_at = decision.decided_at - dt.timedelta(seconds=300)
    db.session.commit()
    undo(fresh(Decision, made.id), users["reviewer"])
    assert fresh(Application, blocked.id).status == "awaiting_review"


def test_sampling_always_draws_decisions_over_the_inspection(users):
    store = runtime.storage()
    plain = [decide(make_application(store, findings=CLEAN), users["reviewer"],
                    Verdict(kind="approve"), expected_version=None).id for _ in range(4)]
    over = decide(make_application(store), users["reviewer"], Verdict(
        kind="approve", acknowledged=BLOCKS, note="核实"), expected_version=None).id
    drawn = draw_sample(1, 7, users["supervisor"])
    assert drawn == [over]  # even beyond the size asked for
    assert len(draw_sample(3, 7, users["supervisor"])) == 3 and set(plain)
