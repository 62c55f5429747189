"""Operator commands: demo data, batch reprocessing, retention, order expiry."""
from __future__ import annotations

import datetime as dt
import time

import click
from flask.cli import with_appcontext

from config import current as settings
from models import Application, Material, MaterialResult, db, utcnow
from models.audit import record
from models.status import OPEN_STATUSES, Status, transition
from reviewer.services import runtime

CLOSED = (Status.APPROVED.value, Status.REJECTED.value, Status.EXPIRED.value)
ORDER_LIFETIME = dt.timedelta(days=45)
MAX_RETENTION_DAYS = 36_500  # a century; more overflows the date arithmetic


@click.command("demo")
@click.option("--count", default=12, show_default=True)
@click.option("--inline", is_flag=True, help="inspect in this process (no workers needed)")
@with_appcontext
def demo_command(count: int, inline: bool) -> None:
    """Load demo users and applications (generated documents, real sample faces)."""
    from reviewer.cli.schema import ensure_schema

    ensure_schema()
    from reviewer.cli.demo import load_demo

    load_demo(count=count, inline=inline, print_logins=True)


@click.command("reprocess")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--province", default=None)
@click.option("--filing-type", default=None)
@click.option("--material-kind", default=None)
@click.option("--finding-code", default=None)
@click.option("--older-than-version", default=None)
@click.option("--limit", type=int, default=None, help="at most this many applications")
@click.option("--wait/--no-wait", default=True, help="show progress until the batch is done")
@with_appcontext
def reprocess_command(since, until, wait: bool, **criteria) -> None:
    """Re-inspect stored applications on the low-priority queue; print the diff report.

    Applications with a purged upload are left out (and counted).
    """
    from reviewer.cli.connection import redis_connection
    from reviewer.services import inspections
    from reviewer.services.reprocess import finish_if_done, progress, purged_count, start_batch

    selection = _selection(since, until, criteria)
    batch, runs = start_batch(selection, actor="cli", actor_id=None)
    purged = purged_count(selection)
    click.echo(f"batch {batch.id}: {batch.total} applications"
               + (f"; {purged} left out: their uploads were purged" if purged else ""))
    with redis_connection(start_embedded=False) as connection:
        for run in runs:
            inspections.enqueue(run, connection)
    if not wait:
        return
    with click.progressbar(length=batch.total, label="reprocessing") as bar:
        seen = 0
        while not finish_if_done(batch):
            time.sleep(1)
            db.session.expire_all()
            finished = progress(batch)["finished"]
            bar.update(finished - seen)
            seen = finished
        bar.update(batch.total - seen)
    click.echo(_report_text(batch.report))


def _selection(since, until, criteria: dict):
    """The options as a Selection, checked as the web form checks it: a usage error if not."""
    from reviewer.services.reprocess import BadSelection, Selection

    try:
        return Selection(since=since.date() if since else None,
                         until=until.date() if until else None, **criteria).validate()
    except BadSelection as exc:
        raise click.BadParameter(str(exc), param_hint="--" + exc.field.replace("_", "-")) from None


def _report_text(report: dict) -> str:
    lines = [f"changed applications: {report['changed_applications']}"]
    for code, n in sorted(report["added_by_code"].items()):
        lines.append(f"  + {code}: {n}")
    for code, n in sorted(report["removed_by_code"].items()):
        lines.append(f"  - {code}: {n}")
    return "\n".join(lines)


@click.command("purge")
@click.option("--days", type=click.IntRange(1, MAX_RETENTION_DAYS), default=None,
              help="default: RETENTION_DAYS")
@with_appcontext
def purge_command(days: int | None) -> None:
    """Delete stored uploads of applications closed more than N days ago."""
    days = days if days is not None else settings().retention_days
    cutoff = utcnow() - dt.timedelta(days=days)
    store = runtime.storage()
    materials = db.session.execute(
        db.select(Material).join(Application).where(
            Application.status.in_(CLOSED), Application.last_activity_at < cutoff,
            Material.purged_at.is_(None))).scalars().all()
    for material in materials:
        material.purged_at = utcnow()
    db.session.flush()
    for sha256 in {m.sha256 for m in materials}:
        if not db.session.execute(db.select(Material.id).where(
                Material.sha256 == sha256, Material.purged_at.is_(None)).limit(1)).first():
            store.delete(sha256)
            db.session.execute(db.delete(MaterialResult).where(MaterialResult.sha256 == sha256))
    record("retention.purge", actor="cli", detail={"days": days, "materials": len(materials)})
    db.session.commit()
    click.echo(f"purged {len(materials)} materials closed before {cutoff:%Y-%m-%d}")


@click.command("expire")
@with_appcontext
def expire_command() -> None:
    """Close open orders with no update for 45 days (ORDER_EXPIRED)."""
    cutoff = utcnow() - ORDER_LIFETIME
    stale = db.session.execute(db.select(Application).where(
        Application.status.in_([s.value for s in OPEN_STATUSES]),
        Application.last_activity_at < cutoff)).scalars().all()
    for application in stale:
        transition(application, Status.EXPIRED)
        record("application.expired", target_type="application", target_id=application.id)
    db.session.commit()
    click.echo(f"expired {len(stale)} applications")


maintenance_commands = (demo_command, reprocess_command, purge_command, expire_command)
