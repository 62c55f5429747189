"""What the app answers when a request is refused (403, 404, 405, a missing CSRF token):
a JSON error to the API and to JSON callers, the error page to a browser. `create_app`
registers the handlers, so they answer for every URL, whichever blueprint serves it (or
none)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_answer(status: int, code: str, message: str):
    if wants_json():
        return jsonify(error={"code": code, "message": message, "field": None}), status
    return render_template("error.html", status=status, title=code, message=message), status


def forbidden(_exc=None):
    return error_answer(403, "forbidden", "你没有权限查看此页面或此申请。")


def not_found(_exc=None):
    return error_answer(404, "not_found", "没有找到这个页面或这条记录。")


def csrf_refused(_exc=None):
    return error_answer(400, "csrf", "表单已过期或缺少校验码（CSRF），请刷新页面后重试。")


def not_allowed(_exc=None):
    return error_answer(405, "method_not_allowed", "此操作不支持这种请求方式。")


HANDLERS = {403: forbidden, 404: not_found, CSRFError: csrf_refused, 405: not_allowed}


def register(app: Flask) -> None:
    for error, handler in HANDLERS.items():
        app.register_error_handler(error, handler)
