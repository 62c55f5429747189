"""邮寄资料: request -> shipped (tracking number) -> received -> re-inspected; re-run."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from config import current as settings
from models import Application, AuditEvent, InspectionRun, MailRequest, db
from reviewer.services import runtime
from tests.reviewer.factories import make_application, post


def fresh(application_id: str) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def version_of(client, application_id: str) -> str:
    body = client.get(f"/applications/{application_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', body).group(1)


@pytest.fixture
def requested(app, client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    response = post(client, f"/applications/{application.id}/decision",
                    {"kind": "request_mail", "mail_items": ["id_card_front", "id_card_back"],
                     "version": version_of(client, application.id), "then": "stay"})
    assert response.status_code == 302
    return application


def test_request_mail_lists_items_and_the_configured_address(app, requested):
    assert fresh(requested.id).status == "awaiting_mail"
    mail = db.session.execute(sa.select(MailRequest)).scalar_one()
    assert mail.items == ["id_card_front", "id_card_back"] and mail.status == "requested"
    assert mail.address == settings().mail_address
    assert mail.decision_id is not None


def test_the_mail_lifecycle_brings_the_application_back(app, client, requested):
    mail = db.session.execute(sa.select(MailRequest)).scalar_one()
    page = client.get(f"/applications/{requested.id}").get_data(as_text=True)
    assert "身份证件正面" in page and "登记寄出" in page
    post(client, f"/mail/{mail.id}/receive")  # not shipped yet: refused
    assert fresh(requested.id).status == "awaiting_mail"
    post(client, f"/mail/{mail.id}/ship", {"tracking_number": "x y; DROP"})
    db.session.refresh(mail)
    assert mail.status == "requested"
    post(client, f"/mail/{mail.id}/ship", {"tracking_number": "SF1234567890"})
    db.session.refresh(mail)
    assert (mail.status, mail.tracking_number) == ("shipped", "SF1234567890")
    runs_before = db.session.scalar(sa.select(sa.func.count()).select_from(InspectionRun))
    post(client, f"/mail/{mail.id}/receive")
    db.session.refresh(mail)
    assert mail.status == "received" and mail.received_at is not None
    assert fresh(requested.id).status == "inspecting"  # back to the queue once inspected
    newest = db.session.execute(sa.select(InspectionRun).order_by(
        InspectionRun.id.desc()).limit(1)).scalar_one()
    assert newest.trigger == "rerun" and newest.application_id == requested.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InspectionRun)) == \
        runs_before + 1
    actions = db.session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.target_id == requested.id).order_by(AuditEvent.id)).scalars().all()
    story = [a for a in actions if a.split(".")[0] in ("decision", "mail", "inspection")]
    assert story == ["decision.request_mail", "mail.shipped", "mail.received",
                     "inspection.rerun"]
    post(client, f"/mail/{mail.id}/receive")  # twice: refused, nothing more happens
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InspectionRun)) == \
        runs_before + 1


def test_rerun_from_the_page(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    post(client, f"/applications/{application.id}/rerun",
         {"version": version_of(client, application.id)})
    assert fresh(application.id).status == "inspecting"
    newest = db.session.execute(sa.select(InspectionRun).where(
        InspectionRun.application_id == application.id).order_by(
        InspectionRun.id.desc()).limit(1)).scalar_one()
    assert newest.trigger == "rerun" and newest.state == "pending"
    post(client, f"/applications/{application.id}/rerun")  # inspecting: not again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InspectionRun).where(
        InspectionRun.application_id == application.id)) == 2
