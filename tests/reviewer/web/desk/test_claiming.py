"""Claiming: a case shows who else has it open; `n` passes over a case, releasing it, and
shows the next unclaimed one without claiming it."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Application, AuditEvent, db
from reviewer.services import runtime
from tests.reviewer.factories import make_application, post

HOUR = dt.timedelta(hours=1)


def assignee_of(application_id: str):
    db.session.expire_all()
    return db.session.get(Application, application_id).assignee_id


def test_n_releases_the_case_and_shows_the_next_without_claiming(client, login, users):
    store = runtime.storage()
    cases = [make_application(store, due_in=(i + 1) * HOUR) for i in range(3)]
    login("reviewer")
    post(client, f"/applications/{cases[0].id}/assign")
    assert assignee_of(cases[0].id) == users["reviewer"].id
    location = post(client, "/queue/next", {"skip": cases[0].id}).headers["Location"]
    assert location.endswith(cases[1].id)
    assert assignee_of(cases[0].id) is None and assignee_of(cases[1].id) is None
    location = post(client, "/queue/next", {"skip": cases[1].id}).headers["Location"]
    assert location.endswith(cases[2].id)  # not back to the first one passed over
    claims = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.assign", AuditEvent.detail["how"].as_string() == "next"))
    assert claims == 0


def test_the_case_page_names_who_else_has_it_open(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer2")
    client.get(f"/materials/{application.materials[0].id}")  # the page's images load
    client.get("/logout")
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert 'id="viewers"' in body and "<b>reviewer2</b>" in body
    client.get(f"/materials/{application.materials[0].id}")
    client.get("/logout")
    login("reviewer2")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "<b>reviewer</b>" in body and "<b>reviewer2</b>" not in body
