"""Demo data: users of each role and applications built by `samples.applications`."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

import click

from models import Application, User, db
from models.audit import record
from reviewer.services import inspections, runtime
from reviewer.services.intake import intake

DEMO_USERS = (("reviewer", "初审员小李", "reviewer"), ("reviewer2", "初审员小王", "reviewer"),
              ("supervisor", "质检主管老张", "supervisor"), ("admin", "管理员", "admin"))
DEMO_PASSWORD = "demo-password-123"


def ensure_demo_users() -> None:
    for username, name, role in DEMO_USERS:
        if db.session.execute(db.select(User).filter_by(username=username)).scalar():
            continue
        user = User(username=username, display_name=name, role=role)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
        record("user.create", actor="demo", target_type="user", target_id=str(user.id),
               detail={"username": username, "role": role})
    db.session.commit()


def load_demo(count: int = 12, *, inline: bool = False, print_logins: bool = False) -> int:
    """Create the demo users and `count` applications cycling through the scenarios."""
    from samples.applications import SCENARIOS, build_application

    ensure_demo_users()
    rng = random.Random(2026)
    created = 0
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(count):
            external_id = f"DEMO-{index + 1:04d}"
            scenario = SCENARIOS[index % len(SCENARIOS)]
            folder = Path(scratch) / external_id
            build_application(rng, scenario, folder, external_id=external_id)
            if _exists(external_id):
                continue
            created += _take_in(folder, inline)
    if print_logins:
        click.echo(f"demo: {created} new applications; log in as reviewer / supervisor / "
                   f"admin with password {DEMO_PASSWORD}")
    return created


def _exists(external_id: str) -> bool:
    return db.session.execute(db.select(Application.id).filter_by(
        external_id=external_id)).first() is not None


def _take_in(folder: Path, inline: bool) -> int:
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "application.json"}
    result = intake((folder / "application.json").read_bytes(), files,
                    storage=runtime.storage(), limits=runtime.intake_limits(), actor="demo")
    if not result.created:
        return 0
    if inline:
        from workers.inline import run_inline  # the pipeline's engines, only when asked

        run_inline(result.run.id)
    else:
        inspections.try_enqueue(result.run)
    return 1

