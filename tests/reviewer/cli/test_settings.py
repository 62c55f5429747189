"""Bad settings fail at start with one line naming the setting and what would work."""
from __future__ import annotations

import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from config import ROOT, ConfigError, load_config

STRONG_SECRET = "q3Vx9-Lr2TzB7mWc_A5kEpY8nHf4Gd1S"
PRODUCTION = {"REVIEWER_ENV": "production", "SECRET_KEY": STRONG_SECRET,
              "REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "postgresql://x/y",
              "STORAGE_KEY": Fernet.generate_key().decode(), "AUDIT_KEYS": "a1:" + "a" * 32}


@pytest.mark.parametrize("given, expected", [
    ("postgresql://u:pw@db:5432/review", "postgresql+psycopg://u:pw@db:5432/review"),
    ("postgres://u@db/review", "postgresql+psycopg://u@db/review"),
    ("postgresql+psycopg://u@db/review", "postgresql+psycopg://u@db/review"),
])
def test_postgres_urls_mean_the_installed_psycopg_3(given, expected):
    assert load_config({"DATABASE_URL": given}).database_url == expected


@pytest.mark.parametrize("given, named", [
    ("garbage", "not a database URL"),
    ("mysql://u@db/review", "mysql is not supported"),
    ("postgresql+psycopg2://u@db/review", "psycopg2 driver is not installed"),
    ("sqlite:////no/such/folder/reviewer.db", "/no/such/folder"),
])
def test_unusable_database_urls_are_named_with_what_would_work(given, named):
    with pytest.raises(ConfigError, match="DATABASE_URL") as refused:
        load_config({"DATABASE_URL": given})
    assert named in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("key, value, named", [
    ("SECRET_KEY", "x", "at least 32 random characters"),
    ("SECRET_KEY", "s" * 40, "at least 32 random characters"),
    ("STORAGE_KEY", "abc", "must be a Fernet key"),
    ("STORAGE_KEY", "k" * 44, "must be a Fernet key"),
])
def test_production_refuses_weak_keys_at_start(key, value, named):
    with pytest.raises(ConfigError, match=key) as refused:
        load_config({**PRODUCTION, key: value})
    assert named in str(refused.value)


def test_a_broken_storage_key_is_refused_in_development_too():
    with pytest.raises(ConfigError, match="STORAGE_KEY"):
        load_config({"STORAGE_KEY": "abc"})


def test_the_cli_says_one_line_and_exits_2(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": "mysql://u@db/review"}
    done = subprocess.run([sys.executable, "-m", "reviewer.cli", "init-db"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "postgresql://" in lines[0]
