"""Log-in spends the same work whoever is named: the time tells no usernames.

Timing itself is measured by bench/login_timing.py; here, every attempt is checked to run
exactly one argon2 verification (a wrong password ran one, an unknown user none)."""
from __future__ import annotations

import pytest

import models.user
from models import db
from tests.conftest import PASSWORD


@pytest.fixture
def verifications(monkeypatch):
    from argon2 import PasswordHasher

    calls = []
    real = PasswordHasher.verify

    def counted(hasher, stored_hash, password):
        calls.append(stored_hash)
        return real(hasher, stored_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return calls


@pytest.mark.parametrize("username, password", [
    ("reviewer", "not the password"),
    ("nobody-here", "not the password"),
    ("retired", PASSWORD),
], ids=["wrong password", "unknown user", "inactive user"])
def test_every_failed_log_in_runs_one_argon2_verification(client, users, login,
                                                          verifications, username, password):
    users["reviewer2"].username, users["reviewer2"].active = "retired", False
    db.session.commit()
    response = login(username, password)
    assert response.status_code == 200 and "用户名或密码错误" in response.get_data(as_text=True)
    assert len(verifications) == 1
    assert verifications[0].startswith("$argon2id$")


def test_the_dummy_hash_costs_what_a_real_one_does(users):
    parameters = users["reviewer"].password_hash.split("$")[2:4]  # version, m/t/p
    assert models.user._dummy_hash().split("$")[2:4] == parameters
    assert models.user.User.check_no_password(PASSWORD) is False
