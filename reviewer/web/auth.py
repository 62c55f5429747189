"""Log-in, sessions and the one permission check.

`refusal` is the check: a browser not logged in is sent to the login page, a user
without the right role gets the 403 page; a JSON caller gets a JSON 401/403. Blueprints
apply it to every request (`guard`), single views with `roles_required`.

Sessions end after 30 idle minutes and after 12 hours in all. Every log-in, failed
log-in and log-out is an audit event.

The session cookie is signed, not stored, so a copy taken before log-out would still
verify. The audit trail is the register of sessions instead: a session is named by
its `auth.login` event, and once a log-out or expiry event targets that name, every
copy of the cookie is refused.
"""
from __future__ import annotations

import datetime as dt
import time
from functools import partial, wraps
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, session, url_for)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from config import current as settings
from models import AuditEvent, User, db
from models.audit import record
from reviewer.services.masking import mask_text
from reviewer.web.errors import wants_json
from reviewer.web.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(), Length(max=256)])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(error={"code": "unauthorized", "message": "log in first",
                              "field": None}), 401
    here = request.full_path if request.query_string else request.path  # no bare "?"
    return redirect(url_for("auth.login", next=here))


def refusal(*roles: str):
    """None if the current user may go on, else the answer: the log-in page (a JSON 401)
    for someone not logged in, a 403 for a user with none of `roles` (admins have them
    all). Without roles, being logged in is enough."""
    if not current_user.is_authenticated:
        return unauthorized()
    if roles and not current_user.has_role(*roles):
        abort(403)
    return None


def guard(bp: Blueprint, *roles: str) -> None:
    """Every request to `bp` passes `refusal(*roles)` before its view."""
    bp.before_request(partial(refusal, *roles))


def roles_required(*roles: str):
    """Only users with one of `roles` (admins always) may call the view."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            refused = refusal(*roles)
            return view(*args, **kwargs) if refused is None else refused
        return wrapped
    return decorator


@bp.before_app_request
def enforce_session_limits():
    if not current_user.is_authenticated:
        return None
    config = settings()
    now = time.time()
    started, seen = session.get("started_at", now), session.get("seen_at", now)
    idle = dt.timedelta(minutes=config.session_idle_minutes).total_seconds()
    absolute = dt.timedelta(hours=config.session_absolute_hours).total_seconds()
    if now - seen > idle or now - started > absolute:
        return _end_session("auth.session_expired")
    if "_user_id" in session:  # the user is this cookie's own
        if _session_ended():
            return _end_session("auth.session_replayed" if "login_event" in session else None)
        if session.get("credential") != current_user.credential_stamp:
            return _end_session("auth.session_revoked")  # the password was reset since
    session["seen_at"] = now
    return None


def _session_target() -> dict:
    """The audit target naming this session: the id of its `auth.login` event."""
    login_event = session.get("login_event")
    return {"target_type": "session",
            "target_id": str(login_event) if login_event is not None else None}


def _session_ended() -> bool:
    """True once a log-out or expiry was recorded for this session (or it has no name)."""
    target = _session_target()
    if target["target_id"] is None:
        return True
    return db.session.execute(db.select(AuditEvent.id).where(
        AuditEvent.target_type == target["target_type"],
        AuditEvent.target_id == target["target_id"]).limit(1)).first() is not None


def _end_session(action: str | None):
    if action is not None:
        record(action, actor=current_user.username, actor_id=current_user.id,
               **_session_target())
        db.session.commit()
    logout_user()
    session.clear()
    return unauthorized()


def _login_limit() -> str:
    return settings().login_rate_limit


def _logged_in(response) -> bool:
    return response.status_code == 302


def _password_ok(user: User | None, password: str) -> bool:
    """One argon2 verification whoever is named: unknown users are checked against a dummy
    hash and inactive ones against their own, so the time tells no usernames."""
    if user is None:
        return User.check_no_password(password)
    return user.check_password(password) and user.active


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda answer: not _logged_in(answer))
def login():
    """Failed attempts count towards the limit (per address); a log-in that succeeds does
    not, so a team behind one office address is not locked out by its own mornings."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(User).filter_by(username=form.username.data)).scalar_one_or_none()
        if _password_ok(user, form.password.data):
            session.clear()
            login_user(user)
            session.permanent = True
            session["started_at"] = session["seen_at"] = time.time()
            session["credential"] = user.credential_stamp
            event = record("auth.login", actor=user.username, actor_id=user.id,
                           detail={"ip": request.remote_addr})
            session["login_event"] = event.id
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        record("auth.login_failed", actor=mask_text(form.username.data)[:64],
               detail={"ip": request.remote_addr})
        db.session.commit()
        flash("用户名或密码错误。", "error")
    return render_template("auth/login.html", form=form), 200


@bp.app_errorhandler(429)
def too_many_attempts(_exc):
    message = "登录失败次数过多，请稍后再试。"
    if wants_json():
        return jsonify(error={"code": "rate_limited", "message": message, "field": None}), 429
    flash(message, "error")
    return render_template("auth/login.html", form=LoginForm()), 429


def _safe_next(target: str | None) -> str:
    """A path on this site, read as a browser reads it, or the queue.

    Browsers drop tabs and line breaks inside a URL and take a backslash for a slash:
    "/", a tab, "/evil.com" and "/", a backslash, "evil.com" both lead to another site.
    """
    path = "".join(ch for ch in target or "" if ch > " " and ch != "\x7f").replace("\\", "/")
    parts = urlsplit(path)
    if path.startswith("/") and not path.startswith("//") and not parts.scheme \
            and not parts.netloc:
        return path
    return url_for("desk.queue") if "desk.queue" in current_app.view_functions else "/"


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    record("auth.logout", actor=current_user.username, actor_id=current_user.id,
           **_session_target())
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
