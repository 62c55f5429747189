"""Who may be a user: the rules the admin form and `reviewer create-user` share."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import Role, User, db

USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
ROLES = {r.value: r.label for r in Role}
MIN_SCORE = 3  # zxcvbn: "safely unguessable", about 10^8 guesses or more


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
    """At least 8 characters and not guessable: zxcvbn (its dictionaries of common
    passwords, names and patterns, and this user's own name) must rate it MIN_SCORE."""
    if len(password) < 8:
        raise UserRefused("密码至少 8 位。")
    if guess_score(password, user) < MIN_SCORE:
        raise UserRefused("密码太容易被猜到（常用密码、重复或连续字符、用户名等），"
                          "请换一个更长、更不规则的密码，例如几个不相关的词。")
    user.set_password(password)


def guess_score(password: str, user: User) -> int:
    """zxcvbn's 0-4 (it reads at most the first 72 characters, so long input stays cheap)."""
    from zxcvbn import zxcvbn

    hints = [value for value in (user.username, user.display_name) if value]
    return zxcvbn(password, user_inputs=hints)["score"]
