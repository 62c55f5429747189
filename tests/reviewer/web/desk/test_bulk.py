"""Bulk actions on a selection: assign (a reviewer must be chosen: no default unassign),
release, request mailed materials."""
from __future__ import annotations

import sqlalchemy as sa

from models import Application, MailRequest, db
from reviewer.services import runtime
from tests.reviewer.factories import make_application, post


def assignees(cases) -> list:
    db.session.expire_all()
    return [db.session.get(Application, c.id).assignee_id for c in cases]


def test_assigning_without_a_reviewer_unassigns_nothing(client, login, users):
    store = runtime.storage()
    cases = [make_application(store, assignee=users["reviewer"]) for _ in range(2)]
    login("supervisor")
    page = client.get("/queue").get_data(as_text=True)
    assert '<option value="" selected>选择初审员…</option>' in page and "取消分配" not in page
    post(client, "/queue/assign", {"ids": [c.id for c in cases], "assignee": "",
                                   "action": "assign"})
    assert assignees(cases) == [users["reviewer"].id] * 2


def test_release_and_assign_a_selection(client, login, users):
    store = runtime.storage()
    cases = [make_application(store, assignee=users["reviewer"]) for _ in range(2)]
    login("supervisor")
    post(client, "/queue/assign", {"ids": [c.id for c in cases], "action": "release"})
    assert assignees(cases) == [None, None]
    post(client, "/queue/assign", {"ids": [cases[0].id], "action": "assign",
                                   "assignee": str(users["reviewer2"].id)})
    assert assignees(cases) == [users["reviewer2"].id, None]


def test_request_mail_for_a_selection(client, login, users):
    store = runtime.storage()
    cases = [make_application(store) for _ in range(2)]
    done = make_application(store, status="approved")
    login("supervisor")
    post(client, "/queue/assign", {"ids": [c.id for c in (*cases, done)],
                                   "action": "request_mail", "mail_items": ["id_card_front"]})
    db.session.expire_all()
    assert [db.session.get(Application, c.id).status for c in cases] == ["awaiting_mail"] * 2
    mails = db.session.execute(sa.select(MailRequest)).scalars().all()
    assert sorted(m.application_id for m in mails) == sorted(c.id for c in cases)
    assert db.session.get(Application, done.id).status == "approved"
