"""Log-in is rate-limited on Redis, and still rate-limited when Redis is down.

Each scenario runs in a fresh interpreter, as a web process does: Flask-Limiter keeps
its state (the storage it has given up on, the fallback limits of the first app) on
one module-level object, so an in-process test would inherit it from earlier tests.
"""
from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 4
WRONG = "not the password"


def login_attempts(database_url: str, redis_url: str, instance: str, address: str,
                   attempts: int, stop_embedded_after: int | None = None,
                   page_views: int = 0, all_right: bool = False) -> list[int]:
    """POST `attempts` log-ins from `address` (all with a wrong password but the last, or
    all with the right one),
    then GET "/" `page_views` times; the status codes. With `stop_embedded_after`, Redis
    is an embedded server stopped after that many log-ins."""
    from config import Config
    from reviewer.web import create_app
    from tests.conftest import PASSWORD
    from workers.redis_server import EmbeddedRedis

    server = None
    if stop_embedded_after is not None:
        server = EmbeddedRedis(Path(instance) / "limiter-redis" / "redis.sock").start()
        redis_url = server.url
    config = Config(instance_dir=Path(instance), storage_dir=Path(instance) / "storage",
                    database_url=database_url, redis_url=redis_url, testing=True,
                    login_rate_limit=f"{LIMIT} per minute")
    app = create_app(config)
    environ = {"REMOTE_ADDR": address}
    client, token = _browser(app, environ)
    statuses = []
    for n in range(attempts):
        if server is not None and n == stop_embedded_after:
            server.stop()
        password = PASSWORD if all_right or n == attempts - 1 else WRONG
        response = client.post("/login", environ_base=environ, data={
            "username": "reviewer", "password": password, "csrf_token": token})
        statuses.append(response.status_code)
        if response.status_code == 302 and n < attempts - 1:
            client, token = _browser(app, environ)  # the next person at that address
    statuses += [client.get("/", environ_base=environ).status_code for _ in range(page_views)]
    if server is not None:
        server.stop()
    return statuses


def _browser(app, environ: dict):
    """A new browser on the log-in page: its client and CSRF token."""
    client = app.test_client()
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    return client, page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def _in_fresh_process(**kwargs) -> list[int]:
    code = ("import json, sys; from tests.reviewer.web.test_rate_limit import login_attempts; "
            "print(json.dumps(login_attempts(**json.loads(sys.argv[1]))))")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(kwargs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _address() -> str:
    return "10.%d.%d.%d" % tuple(random.randrange(1, 255) for _ in range(3))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def scenario(app, users, config, tmp_path):
    def run(**kwargs) -> list[int]:
        options = {"database_url": config.effective_database_url(),
                   "redis_url": config.redis_url, "instance": str(tmp_path / "web"),
                   "address": _address(), **kwargs}
        return _in_fresh_process(**options)
    return run


def test_the_attempt_after_the_limit_gets_429_even_with_the_right_password(scenario, config):
    address = _address()
    statuses = scenario(address=address, attempts=LIMIT + 2)
    assert statuses == [200] * LIMIT + [429, 429]
    keys = [k.decode() for k in redis.Redis.from_url(config.redis_url).scan_iter("*LIMITER*")]
    assert any(address in k and "auth.login" in k for k in keys), keys  # counted in Redis


def test_log_ins_that_succeed_do_not_count(scenario):
    """A team behind one office address logs in every morning; only failures count."""
    address = _address()
    assert scenario(address=address, attempts=3 * LIMIT, all_right=True) == [302] * 3 * LIMIT
    assert scenario(address=address, attempts=LIMIT + 1)[-1] == 429  # failures still do


def test_another_address_is_not_limited_by_the_first(scenario):
    first, second = _address(), _address()
    assert scenario(address=first, attempts=LIMIT + 1)[-1] == 429
    assert scenario(address=second, attempts=2) == [200, 302]  # wrong, then right: logged in


def test_log_in_is_still_limited_when_redis_is_unreachable(scenario):
    views = 3 * LIMIT
    statuses = scenario(redis_url=f"redis://127.0.0.1:{_closed_port()}/0",
                        attempts=LIMIT + 3, page_views=views)
    statuses, pages = statuses[:-views], statuses[-views:]
    assert pages == [302] * views  # other routes are not limited (nor broken) meanwhile
    assert statuses[0] == 200  # no outage locks everyone out
    assert 500 not in statuses
    first_refusal = statuses.index(429)
    assert first_refusal <= LIMIT
    assert set(statuses[first_refusal:]) == {429}  # the right password included


def test_log_in_stays_limited_when_redis_stops_mid_attack(scenario):
    statuses = scenario(redis_url="", attempts=2 * LIMIT + 2, stop_embedded_after=2)
    assert statuses[:2] == [200, 200]  # counted in Redis
    assert 500 not in statuses
    after_outage = statuses[2:]
    first_refusal = after_outage.index(429)
    assert first_refusal <= LIMIT  # the in-memory count starts afresh, same limit
    assert set(after_outage[first_refusal:]) == {429}
