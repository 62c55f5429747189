"""How long a failed log-in takes, by kind of failure (the time must tell no usernames).

Run from the repository root: `.venv/bin/python -m bench.login_timing [--tries N]`.
Builds a throw-away app on SQLite in a temporary folder with one user, posts the real
log-in form N times for an unknown user, a wrong password and an inactive user, and
prints the median and the 10th-90th percentile of each in milliseconds.
"""
from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from config import Config

PASSWORD = "correct horse battery"


def _app(folder: Path, redis_url: str):
    from models import User, db
    from reviewer.web import create_app

    app = create_app(Config(instance_dir=folder, storage_dir=folder / "storage",
                            database_url=f"sqlite:///{folder / 'bench.db'}", testing=True,
                            login_rate_limit="100000 per minute", redis_url=redis_url))
    with app.app_context():
        db.create_all()
        for name, active in (("alice", True), ("retired", False)):
            user = User(username=name, display_name=name, role="reviewer", active=active)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
    return app


def _attempt(client, username: str, password: str) -> float:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    started = time.perf_counter()
    client.post("/login", data={"username": username, "password": password,
                                "csrf_token": token})
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=30)
    tries = parser.parse_args().tries
    from workers.redis_server import EmbeddedRedis

    with tempfile.TemporaryDirectory() as folder, \
            EmbeddedRedis(Config(instance_dir=Path(folder)).redis_socket) as server:
        client = _app(Path(folder), server.url).test_client()
        cases = {"unknown user": ("nobody", "x" * 12), "wrong password": ("alice", "x" * 12),
                 "inactive user": ("retired", PASSWORD)}
        for label, (username, password) in cases.items():
            times = sorted(_attempt(client, username, password) for _ in range(tries))
            deciles = statistics.quantiles(times, n=10)
            print(f"{label:15s} median {statistics.median(times):6.1f} ms  "
                  f"p10-p90 {deciles[0]:6.1f}-{deciles[-1]:6.1f} ms")


if __name__ == "__main__":
    main()
