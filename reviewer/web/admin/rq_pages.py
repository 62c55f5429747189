"""What the review desk adds to rq-dashboard's pages: a Content-Security-Policy, a clear
503 while Redis is down, and a job delete that works on what a Redis crash left behind.

rq-dashboard renders its tables in the browser with underscore's `_.template`, which
compiles with `new Function` ('unsafe-eval'), from one inline script: that script gets
a per-response nonce (templates/rq_dashboard/base.html), every other script must come
from our own origin.
"""
from __future__ import annotations

import secrets

import redis
from flask import jsonify, make_response, render_template, request

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
DELETE_ENDPOINT = "rq_dashboard.delete_job_view"


def csp_nonce() -> str:
    """One per request (kept on the request: `g` lives as long as the app context)."""
    return request.environ.setdefault("reviewer.csp_nonce", secrets.token_urlsafe(16))


def policy(nonce: str) -> str:
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def add_policy(response):
    if request.blueprint == "rq_dashboard":
        response.headers["Content-Security-Policy"] = policy(csp_nonce())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def redis_unavailable(exc):
    """Redis down: a 503 saying so (JSON to the dashboard's scripts), not a 500."""
    if request.blueprint != "rq_dashboard":
        raise exc
    message = "Redis 暂时无法连接（队列服务已停止或正在重启），请稍后刷新。"
    if "/data/" in request.path or request.method != "GET":
        response = jsonify(status="ERROR", error={"code": "redis_unavailable",
                                                  "message": message})
    else:
        response = render_template("error.html", status=503, title="redis_unavailable",
                                   message=message)
    return add_policy(_with_status(response, 503))


def _with_status(response, status: int):
    response = make_response(response)
    response.status_code = status
    response.headers["Retry-After"] = "10"
    return response


def delete_job(connection: redis.Redis):
    """rq-dashboard's delete, on a job however little of it Redis kept (RQ's own
    `Job.delete` raised for a job whose execution Redis lost)."""
    from workers.dispatch import remove_job

    remove_job(request.view_args["job_id"], connection)
    return jsonify(status="OK")
