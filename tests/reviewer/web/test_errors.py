"""App-wide error answers and security headers (reviewer/web/errors.py, headers.py):
JSON for API and JSON callers, the error page for browsers, whichever blueprint (or none)
the URL belongs to; the security headers on the desk's own pages."""
from __future__ import annotations

import pytest

from tests.reviewer.factories import csrf_token

JSON = {"Accept": "application/json"}
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                    "Cache-Control")
MESSAGES = {
    403: ("forbidden", "你没有权限查看此页面或此申请。"),
    404: ("not_found", "没有找到这个页面或这条记录。"),
    405: ("method_not_allowed", "此操作不支持这种请求方式。"),
    400: ("csrf", "表单已过期或缺少校验码（CSRF），请刷新页面后重试。"),
}


def json_error(status: int) -> dict:
    code, message = MESSAGES[status]
    return {"error": {"code": code, "message": message, "field": None}}


def assert_error_page(response, status: int) -> None:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert f'<div class="error-code">{status}</div>' in body
    assert MESSAGES[status][1] in body


def assert_own_page_headers(response) -> None:
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/nowhere", "/static/no-such.css", "/supervision/nowhere"])
def test_an_unknown_url_gets_the_error_page_or_json(client, path):
    assert_error_page(client.get(path), 404)
    answer = client.get(path, headers=JSON)
    assert (answer.status_code, answer.get_json()) == (404, json_error(404))


def test_an_unknown_api_url_answers_json_whatever_the_caller_accepts(client):
    answer = client.get("/api/nowhere", headers={"Accept": "text/html"})
    assert (answer.status_code, answer.get_json()) == (404, json_error(404))


def test_a_url_no_blueprint_serves_gets_no_security_headers(client):
    """As before the move: the headers follow the blueprint, and an unknown URL has none
    (nor does a 405 answered before routing picks a view)."""
    for response in (client.get("/nowhere"), client.get("/logout")):
        assert not set(SECURITY_HEADERS) & set(response.headers), response.status_code


def test_a_wrong_method_is_a_405_page_or_json(client):
    assert_error_page(client.get("/logout"), 405)
    answer = client.get("/logout", headers=JSON)
    assert (answer.status_code, answer.get_json()) == (405, json_error(405))


def test_a_missing_csrf_token_is_a_400_page_or_json(client, users, login):
    login("reviewer")
    page = client.post("/queue/next")
    assert_error_page(page, 400)
    assert_own_page_headers(page)
    answer = client.post("/queue/next", headers=JSON)
    assert (answer.status_code, answer.get_json()) == (400, json_error(400))


@pytest.mark.parametrize("path", ["/supervision/audit", "/admin/users"])
def test_a_role_too_low_is_a_403_page_or_json_with_the_headers(client, users, login, path):
    login("reviewer")
    page = client.get(path)
    assert_error_page(page, 403)
    assert_own_page_headers(page)
    answer = client.get(path, headers=JSON)
    assert (answer.status_code, answer.get_json()) == (403, json_error(403))
    assert_own_page_headers(answer)


def test_a_missing_record_on_a_desk_page_is_a_404_with_the_headers(client, users, login):
    login("reviewer")
    page = client.get("/applications/no-such-application")
    assert_error_page(page, 404)
    assert_own_page_headers(page)


@pytest.mark.parametrize("path", ["/", "/login", "/queue"])
def test_the_desks_own_pages_carry_the_security_headers(client, path):
    assert_own_page_headers(client.get(path))


def test_the_api_and_static_files_carry_none_of_the_page_headers(client, users, login):
    api = client.get("/api/v1/applications/x")
    assert api.status_code == 401 and "Content-Security-Policy" not in api.headers
    login("reviewer")
    static = client.get("/static/desk.css")
    assert static.status_code == 200 and "Content-Security-Policy" not in static.headers


def test_the_job_dashboard_keeps_its_own_policy(client, users, login):
    """rq-dashboard's pages get their nonce policy (rq_pages.py), not the desk's."""
    login("reviewer")
    refused = client.get("/admin/rq/")
    assert_error_page(refused, 403)
    assert "'nonce-" in refused.headers["Content-Security-Policy"]
    assert "Referrer-Policy" not in refused.headers


def test_a_job_the_dashboard_cannot_find_is_the_404_page(client, users, login):
    login("admin")
    token = csrf_token(client, "/queue")
    answer = client.post("/admin/rq/job/no-such-job/requeue", data={"csrf_token": token})
    assert_error_page(answer, 404)
