"""Who may reach what: the role x route matrix, CSRF on every POST, a reviewer's reach,
and hostile text in form fields shown as text on every page."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import (ApiToken, AuditEvent, Decision, MailRequest, Note, ReprocessBatch, Role,
                    User, db)
from reviewer.services import runtime
from reviewer.web.auth import refusal
from reviewer.web.supervision.audit import AuditFilters
from tests.reviewer.factories import csrf_token, desk_env, make_application, post  # noqa: F401

ROLES = ("anonymous", "reviewer", "supervisor", "admin")
L = "login"  # a redirect to the login page
# (method, rule) -> status for anonymous, reviewer, supervisor, admin. The POSTs carry a
# valid CSRF token and no other data: an allowed role gets the route's answer to an
# empty form (a redirect with a message, 400, 404), a refused one 403. 308: werkzeug
# sends /admin/rq/0/... to its canonical /admin/rq/... before any check runs.
EXPECTED: dict[tuple[str, str], tuple] = {
    ("GET", "/"): (302, 302, 302, 302),
    ("GET", "/login"): (200, 200, 200, 200),
    ("GET", "/static/<path:filename>"): (200, 200, 200, 200),
    ("GET", "/queue"): (L, 200, 200, 200),
    ("GET", "/applications/<application_id>"): (L, 200, 200, 200),
    ("GET", "/applications/<application_id>/state.json"): (L, 200, 200, 200),
    ("GET", "/materials/<int:material_id>"): (L, 200, 200, 200),
    ("GET", "/materials/<int:material_id>/original"): (L, 200, 200, 200),
    ("GET", "/supervision/audit"): (L, 403, 200, 200),
    ("GET", "/supervision/audit/verify"): (L, 403, 200, 200),
    ("GET", "/supervision/audit.csv"): (L, 403, 200, 200),
    ("GET", "/supervision/export.csv"): (L, 403, 200, 200),
    ("GET", "/supervision/health"): (L, 403, 200, 200),
    ("GET", "/supervision/health.json"): (L, 403, 200, 200),
    ("GET", "/supervision/reprocess"): (L, 403, 200, 200),
    ("GET", "/supervision/reprocess/<int:batch_id>"): (L, 403, 200, 200),
    ("GET", "/supervision/reprocess/<int:batch_id>/progress.json"): (L, 403, 200, 200),
    ("GET", "/supervision/sampling"): (L, 403, 200, 200),
    ("GET", "/supervision/statistics"): (L, 403, 200, 200),
    ("GET", "/admin/users"): (L, 403, 403, 200),
    ("GET", "/admin/tokens"): (L, 403, 403, 200),
    ("GET", "/admin/rq/"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/"): (308, 308, 308, 308),
    ("GET", "/admin/rq/<int:instance_number>/view"): (308, 308, 308, 308),
    ("GET", "/admin/rq/<int:instance_number>/view/queues"): (308, 308, 308, 308),
    ("GET", "/admin/rq/<int:instance_number>/view/workers"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/view/jobs"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/view/jobs/<queue_name>/<registry_name>/"
            "<int:per_page>/<order>/<int:page>"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/view/job/<job_id>"): (L, 403, 403, 404),
    ("GET", "/admin/rq/<int:instance_number>/data/queues.json"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/data/workers.json"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/data/jobs/<queue_name>/<registry_name>/"
            "<per_page>/<order>/<page>.json"): (L, 403, 403, 200),
    ("GET", "/admin/rq/<int:instance_number>/data/job/<job_id>.json"): (L, 403, 403, 404),
    ("GET", "/admin/rq/favicon.ico"): (L, 403, 403, 200),
    ("GET", "/admin/rq/static/<path:filename>"): (L, 403, 403, 200),
    ("GET", "/admin/rq/requeue/<queue_name>"): (L, 403, 403, 405),  # changes state: POST only
    ("GET", "/api/v1/applications/<application_id>"): (401, 401, 401, 401),
    ("POST", "/login"): (200, 200, 200, 200),
    ("POST", "/api/v1/applications"): (401, 401, 401, 401),
    ("POST", "/queue/assign"): (L, 403, 302, 302),
    ("POST", "/queue/next"): (L, 302, 302, 302),
    ("POST", "/applications/<application_id>/assign"): (L, 302, 302, 302),
    ("POST", "/applications/<application_id>/decision"): (L, 400, 400, 400),
    ("POST", "/applications/<application_id>/notes"): (L, 302, 302, 302),
    ("POST", "/applications/<application_id>/release"): (L, 302, 302, 302),
    ("POST", "/applications/<application_id>/rerun"): (L, 302, 302, 302),
    ("POST", "/applications/<application_id>/reveal"): (L, 404, 404, 404),
    ("POST", "/decisions/<int:decision_id>/undo"): (L, 403, 302, 302),
    ("POST", "/mail/<int:mail_id>/ship"): (L, 302, 302, 302),
    ("POST", "/mail/<int:mail_id>/receive"): (L, 302, 302, 302),
    ("POST", "/supervision/decisions/<int:decision_id>/agree"): (L, 403, 302, 302),
    ("POST", "/supervision/decisions/<int:decision_id>/overturn"): (L, 403, 302, 302),
    ("POST", "/supervision/reprocess"): (L, 403, 302, 302),
    ("POST", "/supervision/reprocess/<int:batch_id>/cancel"): (L, 403, 302, 302),
    ("POST", "/supervision/runs/<int:run_id>/retry"): (L, 403, 302, 302),
    ("POST", "/supervision/sampling/draw"): (L, 403, 302, 302),
    ("POST", "/admin/users"): (L, 403, 403, 302),
    ("POST", "/admin/users/<int:user_id>"): (L, 403, 403, 302),
    ("POST", "/admin/tokens"): (L, 403, 403, 302),
    ("POST", "/admin/tokens/<int:token_id>/revoke"): (L, 403, 403, 302),
    ("POST", "/admin/rq/job/<job_id>/delete"): (L, 403, 403, 200),
    ("POST", "/admin/rq/job/<job_id>/requeue"): (L, 403, 403, 404),
    ("POST", "/admin/rq/queue/<queue_name>/<registry_name>/empty"): (L, 403, 403, 200),
    ("POST", "/admin/rq/queue/<queue_name>/compact"): (L, 403, 403, 409),  # empty queue
    ("POST", "/admin/rq/requeue/<queue_name>"): (L, 403, 403, 200),
    ("POST", "/logout"): (L, L, L, L),  # walked last
}


def routes(app) -> list[tuple[str, object]]:
    """Every (method, rule) the app serves, logout last."""
    out = [(method, rule) for rule in app.url_map.iter_rules()
           for method in ("GET", "POST") if method in rule.methods]
    return sorted(out, key=lambda mr: (mr[1].rule == "/logout", mr[0], mr[1].rule))


def world(users) -> dict:
    """One of each object a route can name."""
    store = runtime.storage()
    open_app = make_application(store, subject_name="待审公司")
    mailed = make_application(store, status="awaiting_mail")
    mail = MailRequest(application_id=mailed.id, items=["id_card_front"], address="杭州")
    decided = make_application(store, status="approved", assignee=users["reviewer2"])
    decision = Decision(application_id=decided.id, kind="approve",
                        decided_by_id=users["reviewer2"].id)
    token, _ = ApiToken.issue("matrix")
    batch = ReprocessBatch(criteria={}, pipeline_version="x", total=0)
    db.session.add_all([mail, decision, token, batch])
    db.session.commit()
    return {"application_id": open_app.id, "material_id": open_app.materials[0].id,
            "mail_id": mail.id, "decision_id": decision.id, "run_id": open_app.latest_run_id,
            "batch_id": batch.id, "user_id": users["reviewer2"].id, "token_id": token.id,
            "instance_number": 0, "job_id": "no-such-job", "queue_name": "matrix-empty",
            "registry_name": "failed", "per_page": 8, "order": "asc", "page": 1}


def build(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        value = values.get(name, "desk.css" if rule.endpoint == "static" else "css/main.css")
        url = re.sub(r"<(?:[^:>]+:)?" + name + ">", str(value), url)
    return url


def observed(response) -> int | str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return L
    return response.status_code


def test_every_route_has_an_entry_in_the_table(app):
    served = {(method, rule.rule) for method, rule in routes(app)}
    assert served - set(EXPECTED) == set(), "new routes need a line in EXPECTED"
    assert set(EXPECTED) - served == set(), "EXPECTED names routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(role, app, client, users, login):
    values = world(users)
    if role != "anonymous":
        assert login(role).status_code == 302
    token = csrf_token(client, "/login")
    column = ROLES.index(role)
    wrong = []
    for method, rule in routes(app):
        url = build(rule, values)
        response = client.get(url) if method == "GET" else client.post(
            url, data={"csrf_token": token})
        want = EXPECTED[(method, rule.rule)][column]
        if observed(response) != want:
            wrong.append(f"{method} {rule.rule}: {observed(response)}, expected {want}")
    assert wrong == []


def test_every_post_route_refuses_a_request_without_the_csrf_token(app, client, users, login):
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False
    values = world(users)
    login("admin")
    refused = []
    for method, rule in routes(app):
        if method != "POST" or rule.endpoint.startswith("api."):
            continue  # the API authenticates with bearer tokens, not cookies
        response = client.post(build(rule, values), data={"anything": "1"})
        if response.status_code == 400 and "CSRF" in response.get_data(as_text=True):
            refused.append(rule.rule)
        else:
            pytest.fail(f"POST {rule.rule} answered {response.status_code} without a token")
    assert len(refused) >= 25
    assert client.get("/queue").status_code == 200  # still logged in: nothing was done


# Each blueprint's one before_request is the one check (auth.refusal) with these roles;
# auth and the API (bearer tokens) guard their own views, rq-dashboard is checked by the
# app (admin.mount_rq_dashboard) with the same function.
GUARDED = {"desk": (), "supervision": (Role.SUPERVISOR,), "admin": (Role.ADMIN,)}


def test_every_blueprint_is_guarded_by_the_one_check(app):
    assert set(app.blueprints) - {"auth", "api", "rq_dashboard"} == set(GUARDED)
    for name, roles in GUARDED.items():
        (check,) = app.before_request_funcs[name]
        assert (check.func, check.args) == (refusal, roles), name


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_a_json_caller_is_refused_with_json_on_every_guarded_route(role, app, client, users,
                                                                    login):
    """What the role x route matrix shows for browsers (the log-in page, the 403 page),
    a JSON caller gets as a JSON 401 or 403."""
    values = world(users)
    if role != "anonymous":
        login(role)
    token, column = csrf_token(client, "/login"), ROLES.index(role)
    wanted = {L: (401, "unauthorized"), 403: (403, "forbidden")}
    checked, wrong = 0, []
    for method, rule in routes(app):
        if EXPECTED[(method, rule.rule)][column] not in wanted or rule.endpoint == "auth.logout":
            continue
        response = client.open(build(rule, values), method=method, data={"csrf_token": token},
                               headers={"Accept": "application/json"})
        got = (response.status_code, (response.get_json() or {}).get("error", {}).get("code"))
        checked += 1
        if got != wanted[EXPECTED[(method, rule.rule)][column]]:
            wrong.append(f"{method} {rule.rule}: {got}")
    assert wrong == [] and checked >= 30


@pytest.fixture
def spread(users):
    store = runtime.storage()
    return {
        "unassigned": make_application(store),
        "mine": make_application(store, assignee=users["reviewer"]),
        "theirs": make_application(store, assignee=users["reviewer2"]),
        "decided": _decided_by(store, users["reviewer"], reassigned_to=users["reviewer2"]),
    }


def _decided_by(store, decider: User, reassigned_to: User):
    application = make_application(store, status="approved", assignee=reassigned_to)
    db.session.add(Decision(application_id=application.id, kind="approve",
                            decided_by_id=decider.id))
    db.session.commit()
    return application


def test_a_reviewer_opens_only_what_the_queue_gives_them(client, login, spread):
    login("reviewer")
    for name in ("unassigned", "mine", "decided"):
        assert client.get(f"/applications/{spread[name].id}").status_code == 200, name
    theirs = spread["theirs"]
    assert client.get(f"/applications/{theirs.id}").status_code == 403
    assert client.get(f"/materials/{theirs.materials[0].id}").status_code == 403
    assert client.get(f"/materials/{theirs.materials[0].id}/original").status_code == 403
    assert post(client, f"/applications/{theirs.id}/reveal",
                {"field": "subject.leader.mobile"}).status_code == 403
    assert post(client, f"/applications/{theirs.id}/decision",
                {"kind": "approve"}).status_code == 403
    assert client.get("/applications/does-not-exist").status_code == 404
    listed = client.get("/queue?status=all").get_data(as_text=True)
    assert spread["unassigned"].id in listed and spread["mine"].id in listed
    assert theirs.id not in listed


def test_supervisors_open_everything(client, login, spread):
    login("supervisor")
    for application in spread.values():
        assert client.get(f"/applications/{application.id}").status_code == 200
    assert spread["theirs"].id in client.get("/queue?status=all").get_data(as_text=True)


HOSTILE = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(2)>'


def test_markup_in_form_fields_is_shown_as_text_on_every_page(app, client, users, login):
    store = runtime.storage()
    users["reviewer2"].display_name = HOSTILE_ATTR
    application = make_application(store, subject_name=HOSTILE, assignee=users["reviewer2"],
                                   form_changes={"websites.0.name": HOSTILE_ATTR,
                                                 "subject.leader.name": HOSTILE,
                                                 "subject.remarks": HOSTILE})
    decision = Decision(application_id=application.id, kind="reject", reasons=["OTHER"],
                        decided_by_id=users["reviewer2"].id, note=HOSTILE,
                        applicant_message=HOSTILE_ATTR, sampled=True)
    db.session.add_all([decision, Note(application_id=application.id,
                                       author_id=users["reviewer2"].id, body=HOSTILE)])
    application.status = "rejected"
    db.session.commit()
    login("admin")
    post(client, f"/applications/{application.id}/notes", {"body": HOSTILE_ATTR})
    pages = ["/queue?status=all", f"/applications/{application.id}", "/supervision/audit",
             "/supervision/sampling", "/supervision/statistics", "/supervision/health",
             "/admin/users", f"/queue?status=all&assignee={users['reviewer2'].id}"]
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        assert HOSTILE not in body and HOSTILE_ATTR not in body, page
        assert "onerror=alert" not in body.replace("onerror=alert(2)&gt;", ""), page
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_every_job_dashboard_action_is_audited(app, client, users, login):
    values = world(users)
    login("admin")
    token = csrf_token(client, "/login")
    posted = [rule for method, rule in routes(app)
              if method == "POST" and rule.endpoint.startswith("rq_dashboard.")]
    for rule in posted:
        client.post(build(rule, values), data={"csrf_token": token})
    events = db.session.execute(sa.select(AuditEvent).where(
        AuditEvent.action.startswith("admin.rq_"))).scalars().all()
    assert len(posted) == 5
    assert sorted(event.action for event in events) == \
        sorted(f"admin.rq_{rule.endpoint.split('.')[-1]}" for rule in posted)
    assert {event.actor for event in events} == {"admin"}
    assert all(AuditFilters.from_args({"action": event.action}) for event in events)
