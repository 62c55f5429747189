"""Who may be a user: the rules the admin form and `reviewer create-user` share."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import Role, User, db

USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
ROLES = {r.value: r.label for r in Role}


class UserRefused(ValueError):
    """A user the rules refuse; the message is for the person who asked."""


def new_user(username: str, role: str, display_name: str, password: str) -> User:
    """A user by the rules of this form and of `reviewer create-user`; not yet added."""
    username = username.strip().lower()
    name = display_name.strip() or username
    if not USERNAME.match(username) or role not in ROLES or len(name) > 64:
        raise UserRefused("用户名须为 2–32 位小写字母、数字或 _.-（显示名最多 64 字），并选择角色。")
    if db.session.execute(select(User.id).filter_by(username=username)).first():
        raise UserRefused(f"用户 {username} 已存在。")
    user = User(username=username, display_name=name, role=role)
    set_password(user, password)
    return user


def set_password(user: User, password: str) -> None:
    try:
        user.set_password(password)
    except ValueError as exc:
        raise UserRefused("密码至少 8 位。") from exc
