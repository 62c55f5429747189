"""Sessions end after 30 idle minutes and after 12 hours in all; cookies carry the
secure flags in production; passwords are stored as argon2id hashes."""
from __future__ import annotations

import datetime as dt
import re
import types
from http.cookies import SimpleCookie

import pytest
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from flask import g

import reviewer.web.auth
from config import ProductionConfig
from models import AuditEvent, User, db
from tests.conftest import PASSWORD

START = 1_900_000_000.0  # the frozen clock's first reading (2030-03-17)


class Clock:
    """Stands in for the `time` module inside reviewer.web.auth."""

    def __init__(self) -> None:
        self.now = START

    def time(self) -> float:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta).total_seconds()


@pytest.fixture
def clock(monkeypatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(reviewer.web.auth, "time", types.SimpleNamespace(time=frozen.time))
    return frozen


@pytest.fixture(autouse=True)
def per_request_g(app):
    """The `app` fixture keeps one app context open, so Flask's `g` would outlive each
    request; the logged-in user and the CSRF token cached there are dropped after each."""
    def forget(_exc):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
    app.teardown_request(forget)


def _expired_events() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "auth.session_expired"))


def _queue_status(client) -> tuple[int, str]:
    response = client.get("/queue")
    return response.status_code, response.headers.get("Location", "")


def test_a_session_ends_after_30_idle_minutes(client, users, login, clock):
    assert login("reviewer").status_code == 302
    for _ in range(3):  # 87 minutes in all, never 30 idle: still logged in
        clock.advance(minutes=29)
        assert _queue_status(client) == (200, "")
    clock.advance(minutes=31)
    status, location = _queue_status(client)
    assert (status, location) == (302, "/login?next=/queue")  # back to the page, no bare "?"
    assert _expired_events() == 1
    status, location = _queue_status(client)  # the session is gone, not just refused once
    assert status == 302 and location.startswith("/login")
    assert _expired_events() == 1


def test_an_expired_session_gets_a_json_401(client, users, login, clock):
    assert login("reviewer").status_code == 302
    clock.advance(minutes=31)
    response = client.get("/queue", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_session_ends_after_12_hours_however_busy(client, users, login, clock):
    assert login("supervisor").status_code == 302
    for _ in range(11 * 2 + 1):  # a request every 30 min (never idle) up to 11h30
        clock.advance(minutes=30)
        assert _queue_status(client)[0] == 200
    clock.advance(minutes=29)  # 11h59
    assert _queue_status(client)[0] == 200
    clock.advance(minutes=2)  # 12h01, idle only 2 minutes
    status, location = _queue_status(client)
    assert status == 302 and location.startswith("/login")
    assert _expired_events() == 1


def test_logging_in_again_starts_a_new_12_hours(client, users, login, clock):
    assert login("reviewer").status_code == 302
    for _ in range(28):  # busy for 11h40
        clock.advance(minutes=25)
        assert _queue_status(client)[0] == 200
    assert client.post("/logout", data={"csrf_token": _csrf(client)}).status_code == 302
    assert login("reviewer").status_code == 302
    clock.advance(minutes=25)  # 12h05 after the first log-in, 25 min after the second
    assert _queue_status(client)[0] == 200


def _csrf(client) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                      client.get("/queue").get_data(as_text=True))
    assert found, "no CSRF token on /queue"
    return found.group(1)


def test_a_cookie_copied_before_log_out_is_refused_after_it(app, client, users, login):
    other = app.test_client()  # the same user in a second browser
    assert login("reviewer").status_code == 302
    copied = client.get_cookie("session").value
    csrf_page = other.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', csrf_page).group(1)
    assert other.post("/login", data={"username": "reviewer", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 302
    assert client.post("/logout", data={"csrf_token": _csrf(client)}).status_code == 302
    client.set_cookie("session", copied)  # replayed, still validly signed
    status, location = _queue_status(client)
    assert status == 302 and location.startswith("/login")
    assert _queue_status(client)[0] == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "auth.session_replayed")) == 1
    assert _queue_status(other)[0] == 200  # logging out one session leaves the other


def test_a_password_reset_ends_the_sessions_made_before_it(app, client, users, login):
    assert login("reviewer").status_code == 302
    assert _queue_status(client)[0] == 200
    users["reviewer"].set_password("a-new-password-1")
    db.session.commit()
    status, location = _queue_status(client)
    assert status == 302 and location.startswith("/login")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "auth.session_revoked")) == 1
    assert login("reviewer", "a-new-password-1").status_code == 302
    assert _queue_status(client)[0] == 200


def test_a_failed_log_in_is_audited_with_the_typed_name_masked(client, users):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "13812345678", "password": "x" * 8,
                                "csrf_token": token})
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="auth.login_failed")).scalar_one()
    assert event.actor == "138****5678"


def test_too_many_attempts_get_the_log_in_page_in_chinese(app):
    with app.test_request_context("/login", method="POST"):
        body, status = reviewer.web.auth.too_many_attempts(None)
    assert status == 429 and "登录失败次数过多" in body
    with app.test_request_context("/api/v1/applications", method="POST"):
        response, status = reviewer.web.auth.too_many_attempts(None)
    assert status == 429 and response.json["error"]["code"] == "rate_limited"
    assert app.error_handler_spec[None][429]


@pytest.fixture
def production_app(app, config):
    """The same database and Redis under the production settings."""
    from reviewer.web import create_app

    production = ProductionConfig(
        instance_dir=config.instance_dir, storage_dir=config.storage_dir,
        database_url=config.effective_database_url(), redis_url=config.redis_url,
        secret_key="a-production-secret-" + "x" * 24, storage_key=Fernet.generate_key().decode(),
        audit_keys=(("p1", "a production audit key of 32+ chars"),), testing=True, login_rate_limit="1000 per minute")
    production_app = create_app(production)
    production_app.teardown_request(lambda _exc: g.pop("csrf_token", None))
    return production_app


def _set_cookies(response) -> dict[str, SimpleCookie]:
    out = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            out[name] = (cookie, header)
    return out


def test_production_session_cookie_is_secure_httponly_samesite(production_app, users):
    client = production_app.test_client()
    https = "https://desk.example.cn"
    page = client.get("/login", base_url=https)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    response = client.post("/login", base_url=https, headers={"Referer": f"{https}/login"}, data={
        "username": "reviewer", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    cookies = _set_cookies(response)
    assert "session" in cookies
    cookie, header = cookies["session"]
    morsel = cookie["session"]
    assert morsel["secure"] and morsel["httponly"]
    assert morsel["samesite"].lower() in ("lax", "strict")
    expires = dt.datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(
        tzinfo=dt.timezone.utc)
    lifetime = expires - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=11) < lifetime <= dt.timedelta(hours=12), header
    assert client.get("/queue", base_url=https).status_code == 200  # the cookie works on https


def test_development_cookies_are_httponly_but_not_secure(client, users, login):
    cookies = _set_cookies(login("reviewer"))
    morsel = cookies["session"][0]["session"]
    assert morsel["httponly"] and not morsel["secure"]  # plain http on a laptop


def test_passwords_are_stored_as_salted_argon2id_hashes(app, users):
    for username in ("alice", "bob"):
        result = app.test_cli_runner().invoke(args=[
            "create-user", username, "--role", "reviewer", "--password", PASSWORD])
        assert result.exit_code == 0, result.output
    stored = dict(db.session.execute(db.select(User.username, User.password_hash).where(
        User.username.in_(["alice", "bob", "reviewer"]))).all())
    hasher = PasswordHasher()
    for username, digest in stored.items():
        assert digest.startswith("$argon2id$v=19$"), digest
        assert PASSWORD not in digest
        assert hasher.verify(digest, PASSWORD)
        params = dict(p.split("=") for p in digest.split("$")[3].split(","))
        assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2  # OWASP minimum
    assert stored["alice"] != stored["bob"]  # salted: one password, two hashes
    alice = db.session.execute(db.select(User).filter_by(username="alice")).scalar_one()
    assert alice.check_password(PASSWORD) and not alice.check_password(PASSWORD + "!")


@pytest.mark.parametrize("target, lands", [
    ("/applications?status=awaiting_review", "/applications?status=awaiting_review"),
    ("//evil.com", "/queue"),
    ("/\t/evil.com", "/queue"),
    ("/\n/evil.com", "/queue"),
    ("/\\evil.com", "/queue"),
    (" //evil.com", "/queue"),
    ("https://evil.com/queue", "/queue"),
    ("javascript:alert(1)", "/queue"),
])
def test_log_in_returns_only_to_a_page_of_this_site(client, users, target, lands):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", query_string={"next": target}, data={
        "username": "reviewer", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == lands
