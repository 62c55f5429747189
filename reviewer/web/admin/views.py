"""Users (初审员, 质检主管, 管理员) and API tokens; every change is an audit event."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import ApiToken, User, db, utcnow
from models.user import TokenScope
from models.audit import record
from reviewer.web.admin.blueprint import bp
from reviewer.services.users import ROLES, UserRefused, new_user, set_password


def _users() -> list[User]:
    return db.session.execute(select(User).order_by(User.username)).scalars().all()


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=_users(), roles=ROLES)


def _audit_user(action: str, user: User, **detail) -> None:
    record(action, actor=current_user.username, actor_id=current_user.id, target_type="user",
           target_id=str(user.id), detail={"username": user.username, **detail})


def _refuse(message: str):
    flash(message, "error")
    return redirect(url_for("admin.users"))


@bp.post("/users")
def create_user():
    form = request.form
    try:
        user = new_user(form.get("username", ""), form.get("role", ""),
                        form.get("display_name", ""), form.get("password", ""))
    except UserRefused as exc:
        return _refuse(str(exc))
    db.session.add(user)
    db.session.flush()
    _audit_user("user.create", user, role=user.role)
    db.session.commit()
    flash(f"已创建用户 {user.username}。", "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
def update_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form, changes = request.form, {}
    role = form.get("role", user.role)
    active = form.get("active") == "1"
    if user.id == current_user.id and (role != user.role or not active):
        return _refuse("不能修改自己的角色或停用自己。")
    if role not in ROLES:
        return _refuse("角色无效。")
    if role != user.role:
        changes["role"] = {"from": user.role, "to": role}
        user.role = role
    if active != user.active:
        changes["active"] = active
        user.active = active
    if form.get("password"):
        try:
            set_password(user, form["password"])
        except UserRefused as exc:
            return _refuse(str(exc))
        changes["password"] = "reset"
    if changes:
        _audit_user("user.update", user, changes=changes)
        db.session.commit()
        flash(f"已更新用户 {user.username}。", "ok")
    return redirect(url_for("admin.users"))


def _tokens() -> list[ApiToken]:
    return db.session.execute(select(ApiToken).order_by(ApiToken.id.desc())).scalars().all()


@bp.get("/tokens")
def tokens():
    return render_template("admin/tokens.html", tokens=_tokens(), plain=None)


@bp.post("/tokens")
def create_token():
    name = request.form.get("name", "").strip()
    if not 1 <= len(name) <= 64:
        flash("请填写令牌名称（最多 64 字）。", "error")
        return redirect(url_for("admin.tokens"))
    scope = request.form.get("scope", TokenScope.READ_OWN.value)
    owner = request.form.get("owner", "").strip()[:64] or None
    if scope not in {s.value for s in TokenScope}:
        flash("令牌权限无效。", "error")
        return redirect(url_for("admin.tokens"))
    row, plain = ApiToken.issue(name, created_by_id=current_user.id, scope=scope, owner=owner)
    db.session.add(row)
    db.session.flush()
    record("token.create", actor=current_user.username, actor_id=current_user.id,
           target_type="token", target_id=str(row.id),
           detail={"name": name, "scope": row.scope, "owner": row.owner})
    db.session.commit()
    # Shown once, in this response only: never in a flash message (the session cookie).
    return render_template("admin/tokens.html", tokens=_tokens(), plain=plain, new=row)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    row = db.get_or_404(ApiToken, token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record("token.revoke", actor=current_user.username, actor_id=current_user.id,
               target_type="token", target_id=str(row.id), detail={"name": row.name})
        db.session.commit()
        flash(f"已吊销令牌 {row.name}。", "ok")
    return redirect(url_for("admin.tokens"))
