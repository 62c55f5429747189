"""Audit log, statistics, pipeline health with retry, reprocessing, user and token admin."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from models import (ApiToken, AuditEvent, Decision, InspectionRun, JobRecord, ReprocessBatch,
                    User, db, utcnow)
from models.audit import record
from reviewer.services import runtime
from tests.reviewer.factories import make_application, post


def test_the_audit_log_filters_by_person_action_and_date(client, login, users):
    for action, user in (("decision.approve", "reviewer"), ("decision.reject", "reviewer2"),
                         ("pii.reveal", "reviewer")):
        record(action, actor=user, actor_id=users[user].id, target_type="application",
               target_id="a" * 32, detail={"field": "subject.leader.mobile",
                                           "note": "13800000000"})
    db.session.commit()
    login("supervisor")
    rows = lambda q: re.findall(r'<span class="action" title="([^"]+)">',  # noqa: E731
                                client.get("/supervision/audit" + q).get_data(as_text=True))
    assert rows(f"?actor={users['reviewer'].id}") == ["pii.reveal", "decision.approve"]
    assert rows("?action=decision.") == ["decision.reject", "decision.approve"]
    assert rows("?action=pii.reveal") == ["pii.reveal"]
    today = utcnow().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert "decision.approve" in rows(f"?since={today}&until={today}")
    assert rows(f"?until={today - dt.timedelta(days=2)}") == []
    page = client.get("/supervision/audit").get_data(as_text=True)
    assert "13800000000" not in page and "138****0000" in page
    for bad in ("?actor=1 OR 1=1", "?action=x'; DROP", "?since=yesterday", "?before=-5",
                "?actor=" + "9" * 23, "?before=" + "9" * 23, "?actor=١٢", "?actor=²",
                "?since=0001-01-01", "?until=9999-12-31"):
        assert client.get("/supervision/audit" + bad).status_code == 400, bad


def test_an_id_no_database_column_holds_is_no_page(client, login, users):
    """`<int:...>` routes: a 23-digit id is a 404, never an overflow in the database driver."""
    login("supervisor")
    huge = "9" * 23
    for path in (f"/materials/{huge}", f"/supervision/reprocess/{huge}"):
        assert client.get(path).status_code == 404, path
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/queue").get_data(as_text=True)).group(1)
    for path in (f"/mail/{huge}/ship", f"/supervision/decisions/{huge}/agree",
                 f"/supervision/runs/{huge}/retry"):
        assert client.post(path, headers={"X-CSRFToken": token}).status_code == 404, path


def test_the_audit_log_pages_backwards(client, login, users, monkeypatch):
    from reviewer.web.supervision import audit

    monkeypatch.setattr(audit, "PER_PAGE", 3)
    for n in range(5):
        record("note.add", actor="reviewer", detail={"n": n})
    db.session.commit()
    login("supervisor")
    first = client.get("/supervision/audit?action=note.add").get_data(as_text=True)
    older = re.search(r'href="(/supervision/audit\?[^"]+)">更早', first).group(1)
    assert "action=note.add" in older.replace("&amp;", "&")
    second = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('class="action"') == 2


def test_chain_verification_page(client, login, users):
    login("supervisor")
    assert "哈希链完整" in client.get("/supervision/audit/verify").get_data(as_text=True)


def test_statistics_per_reviewer(client, login, users):
    store = runtime.storage()
    for kind, seconds, review in (("approve", 60, "overturned"), ("approve", 180, None),
                                  ("reject", 120, None)):
        application = make_application(store, status="approved")
        db.session.add(Decision(application_id=application.id, kind=kind,
                                decided_by_id=users["reviewer"].id, handling_seconds=seconds,
                                second_review=review))
    db.session.commit()
    login("supervisor")
    page = client.get("/supervision/statistics?days=7").get_data(as_text=True)
    row = page[page.index("<td>reviewer</td>"):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["3", "2", "1", "0", "67%", "2.0 分", "1", "33%"]
    assert page.count('class="echart"') == 6 and "vendor/echarts/echarts.min.js" in page
    assert client.get("/supervision/statistics?days=9999").status_code == 200  # falls back


def test_charts_escape_their_labels(client, login, users):
    from tests.reviewer.factories import make_application
    from models import Decision, db
    from reviewer.services import runtime

    users["reviewer"].display_name = "<b>x</b>"
    application = make_application(runtime.storage(), status="approved")
    db.session.add(Decision(application_id=application.id, kind="approve",
                            decided_by_id=users["reviewer"].id))
    db.session.commit()
    login("supervisor")
    page = client.get("/supervision/statistics").get_data(as_text=True)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page

def test_health_lists_failed_runs_and_retries_them(client, login, users):
    application = make_application(runtime.storage(), status="inspecting")
    run = InspectionRun(application_id=application.id, pipeline_version="t", state="failed",
                        trigger="intake", error="RuntimeError: 11010519491231002X boom")
    db.session.add(run)
    db.session.flush()
    db.session.add(JobRecord(id=f"run{run.id}-finalize", run_id=run.id, kind="finalize",
                             queue="intake", state="failed", error="boom"))
    db.session.commit()
    login("supervisor")
    page = client.get("/supervision/health").get_data(as_text=True)
    assert f"run{run.id}-finalize" in page and "110105********002X" in page
    assert "11010519491231002X" not in page
    assert re.search(r'<td class="mono">intake</td>', page)  # the queues, from Redis
    post(client, f"/supervision/runs/{run.id}/retry")
    db.session.expire_all()
    run = db.session.get(InspectionRun, run.id)
    assert run.state == "pending" and run.error is None
    assert db.session.get(JobRecord, f"run{run.id}-finalize").state == "queued"
    assert run.enqueued_at is not None  # on the queue again
    [event] = db.session.execute(sa.select(AuditEvent).filter_by(
        action="inspection.retry")).scalars().all()
    assert event.detail == {"run": run.id}


def test_a_failed_run_whose_uploads_were_purged_is_not_retried(client, login, users):
    application = make_application(runtime.storage(), status="inspecting")
    run = InspectionRun(application_id=application.id, pipeline_version="t", state="failed",
                        trigger="reprocess", error="StorageError: no stored file")
    db.session.add(run)
    application.materials[0].purged_at = utcnow()
    db.session.commit()
    login("supervisor")
    page = post(client, f"/supervision/runs/{run.id}/retry",
                follow_redirects=True).get_data(as_text=True)
    assert "已按保存期限清除" in page
    db.session.expire_all()
    assert db.session.get(InspectionRun, run.id).state == "failed"
    assert db.session.execute(sa.select(AuditEvent).filter_by(
        action="inspection.retry")).first() is None


def test_reprocessing_preview_start_and_follow(client, login, users):
    store = runtime.storage()
    make_application(store, province="广东省")
    make_application(store, province="浙江省")
    login("supervisor")
    page = client.get("/supervision/reprocess?province=广东省&preview=1").get_data(as_text=True)
    assert re.search(r"符合条件：<b>1</b> 件", page)
    assert client.get("/supervision/reprocess?province=火星&preview=1").status_code == 400
    response = post(client, "/supervision/reprocess", {"province": "广东省"})
    batch = db.session.execute(sa.select(ReprocessBatch)).scalar_one()
    assert response.headers["Location"].endswith(f"/supervision/reprocess/{batch.id}")
    assert batch.total == 1 and batch.criteria == {"province": "广东省"}
    runs = db.session.execute(sa.select(InspectionRun).filter_by(batch_id=batch.id)).scalars().all()
    assert [r.trigger for r in runs] == ["reprocess"]
    assert "0/1" in client.get(f"/supervision/reprocess/{batch.id}").get_data(as_text=True)


def test_admin_manages_users_and_tokens(client, login, users):
    login("admin")
    post(client, "/admin/users", {"username": "newbie", "display_name": "新人",
                                  "role": "reviewer", "password": "long enough pass"})
    user = db.session.execute(sa.select(User).filter_by(username="newbie")).scalar_one()
    assert user.role == "reviewer" and user.check_password("long enough pass")
    post(client, f"/admin/users/{user.id}", {"role": "supervisor"})  # active unticked
    db.session.refresh(user)
    assert user.role == "supervisor" and not user.active
    post(client, f"/admin/users/{users['admin'].id}", {"role": "reviewer", "active": "1"})
    db.session.refresh(users["admin"])
    assert users["admin"].role == "admin"  # not on oneself
    response = post(client, "/admin/tokens", {"name": "门户"})
    plain = re.search(r"(icp_[\w-]{20,})", response.get_data(as_text=True)).group(1)
    token = db.session.execute(sa.select(ApiToken).filter_by(name="门户")).scalar_one()
    assert token.token_hash == ApiToken.digest(plain)
    assert plain not in client.get("/admin/tokens").get_data(as_text=True)  # shown once
    post(client, f"/admin/tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is not None
    actions = db.session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.action.in_(("user.create", "user.update", "token.create",
                               "token.revoke")))).scalars().all()
    assert sorted(actions) == ["token.create", "token.revoke", "user.create", "user.update"]


def test_an_admin_issues_a_token_with_a_scope_and_an_owner(client, users, login):
    login("admin")
    post(client, "/admin/tokens", {"name": "上传", "scope": "submit", "owner": "门户客户"})
    post(client, "/admin/tokens", {"name": "门户"})
    post(client, "/admin/tokens", {"name": "坏", "scope": "everything"})
    rows = db.session.execute(sa.select(ApiToken.name, ApiToken.scope, ApiToken.owner)
                              .order_by(ApiToken.id)).all()
    assert [tuple(r) for r in rows] == [("上传", "submit", "门户客户"), ("门户", "read-own", "门户")]
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "门户客户" in page and "submit" in page
