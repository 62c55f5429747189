"""`reviewer create-user` follows the admin form's rules for names and passwords."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import User, db
from tests.conftest import PASSWORD
from tests.reviewer.factories import desk_env, post  # noqa: F401  (autouse)


def _create(app, username: str, password: str = PASSWORD):
    return app.test_cli_runner().invoke(args=["create-user", username, "--password", password])


def _usernames() -> set[str]:
    return set(db.session.execute(sa.select(User.username)).scalars())


@pytest.mark.parametrize(("username", "password", "message"), [
    ("bob", "abc", "密码至少 8 位"),
    ("bob", "password", "密码太容易被猜到"),
    ("bob", "aaaaaaaaaaaa", "密码太容易被猜到"),
    ("bob", "qwertyuiop", "密码太容易被猜到"),
    ("Bad Name", PASSWORD, "用户名须为"),
    ("x", PASSWORD, "用户名须为"),
    ("a" * 40, PASSWORD, "用户名须为"),
])
def test_the_cli_refuses_what_the_admin_form_refuses(app, client, login, users, username,
                                                     password, message):
    before = _usernames()
    result = _create(app, username, password)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert message in result.output
    login("admin")
    page = post(client, "/admin/users", {"username": username, "role": "reviewer",
                                         "password": password}, follow_redirects=True)
    assert message in page.get_data(as_text=True)
    assert _usernames() == before


def test_the_cli_and_the_form_accept_the_same_good_names(app, client, login, users):
    assert _create(app, "carol.li").exit_code == 0
    result = _create(app, "carol.li")
    assert result.exit_code == 1 and "已存在" in result.output
    login("admin")
    post(client, "/admin/users", {"username": "dave_w", "role": "reviewer",
                                  "password": PASSWORD})
    assert {"carol.li", "dave_w"} <= _usernames()
