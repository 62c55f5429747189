"""The review desk (初审工作台): the queue, the application page, decisions, mail."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from reviewer.web.auth import unauthorized, wants_json

bp = Blueprint("desk", __name__)

# Scripts only from our own static folder; inline styles are allowed for the charts.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
OWN_BLUEPRINTS = ("desk", "supervision", "admin", "auth")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return unauthorized()
    return None


@bp.after_app_request
def security_headers(response):
    if request.blueprint in OWN_BLUEPRINTS or request.endpoint == "index":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")  # pages hold personal data
    return response


def _error_page(status: int, title: str, message: str):
    if wants_json():
        from flask import jsonify

        return jsonify(error={"code": title, "message": message, "field": None}), status
    return render_template("error.html", status=status, title=title, message=message), status


@bp.app_errorhandler(403)
def forbidden(exc):
    return _error_page(403, "forbidden", "你没有权限查看此页面或此申请。")


@bp.app_errorhandler(404)
def not_found(exc):
    return _error_page(404, "not_found", "没有找到这个页面或这条记录。")


@bp.app_errorhandler(CSRFError)
def csrf_refused(exc):
    return _error_page(400, "csrf", "表单已过期或缺少校验码（CSRF），请刷新页面后重试。")


@bp.app_errorhandler(405)
def not_allowed(exc):
    return _error_page(405, "method_not_allowed", "此操作不支持这种请求方式。")


from reviewer.web.desk import filters, views, actions, files, live  # noqa: E402,F401  (routes register on bp)
