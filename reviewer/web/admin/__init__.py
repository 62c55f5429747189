"""Administration: users and API tokens, and rq-dashboard at /admin/rq (admins only)."""
from __future__ import annotations

from flask import Flask, abort, current_app, jsonify, request
from flask_login import current_user

from models import Role, db
from models.audit import record
from reviewer.web import errors
from reviewer.web.admin import rq_pages, views  # noqa: F401  (views register on bp)
from reviewer.web.admin.blueprint import bp
from reviewer.web.auth import refusal

RQ_PREFIX = "/admin/rq"


def mount_rq_dashboard(app: Flask, redis_url: str) -> None:
    """rq-dashboard's blueprint (on the Redis at `redis_url`) behind the admin check. Its
    pages post with the CSRF token it reads from the `_csrf_token` cookie; its one
    state-changing GET is refused."""
    import redis
    import rq_dashboard
    from flask_wtf.csrf import generate_csrf
    from rq.exceptions import NoSuchJobError
    from rq.serializers import JSONSerializer

    app.config["RQ_DASHBOARD_REDIS_URL"] = redis_url
    app.config.setdefault("RQ_DASHBOARD_POLL_INTERVAL", 5000)
    rq_dashboard.web.config.serializer = JSONSerializer  # our jobs are JSON-serialised
    rq_dashboard.web.setup_rq_connection(app)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix=RQ_PREFIX)

    @app.before_request
    def guard_rq_dashboard():
        if request.blueprint != "rq_dashboard":
            return None
        refused = refusal(Role.ADMIN)
        if refused is not None:
            return refused
        if request.method == "GET" and request.endpoint == "rq_dashboard.requeue_all":
            abort(405)
        if request.endpoint == rq_pages.DELETE_ENDPOINT:
            return rq_pages.delete_job(current_app.redis_conn)
        return None

    app.after_request(rq_pages.add_policy)
    app.context_processor(lambda: {"csp_nonce": rq_pages.csp_nonce})
    for error in rq_pages.REDIS_DOWN:
        app.register_error_handler(error, rq_pages.redis_unavailable)

    @app.after_request
    def rq_dashboard_csrf_cookie(response):
        if request.blueprint == "rq_dashboard" and response.mimetype == "text/html" \
                and current_user.is_authenticated:
            response.set_cookie("_csrf_token", generate_csrf(), path=RQ_PREFIX, samesite="Strict",
                                secure=app.config["SESSION_COOKIE_SECURE"], httponly=False)
        return response

    @app.after_request
    def audit_rq_dashboard_action(response):
        """Every job or queue action taken in the dashboard (empty, requeue, delete)."""
        if request.blueprint == "rq_dashboard" and request.method != "GET" \
                and current_user.is_authenticated:
            record(f"admin.rq_{(request.endpoint or '').rsplit('.', 1)[-1]}"[:48],
                   actor=current_user.username, actor_id=current_user.id,
                   target_type="rq", target_id=request.path[len(RQ_PREFIX):][:64],
                   detail={"status": response.status_code, **(request.view_args or {})})
            db.session.commit()
        return response

    @app.errorhandler(redis.exceptions.ResponseError)
    def redis_refused(exc):
        if request.blueprint != "rq_dashboard":
            raise exc
        return jsonify(status="ERROR", message=str(exc)), 409  # e.g. compacting an empty queue

    app.register_error_handler(NoSuchJobError, errors.not_found)

