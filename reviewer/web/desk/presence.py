"""Who else has a case open: the people whose views of it (its page's images, its API
record) are in the audit log of the last few minutes. Read from the log the desk already
writes; nothing more is stored."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from models import AuditEvent, User, db, utcnow

RECENT = dt.timedelta(minutes=10)
VIEWS = ("material.view", "application.view")


@dataclass(frozen=True)
class Viewer:
    name: str
    since: dt.datetime  # their latest view


def others_viewing(application_id: str, user: User, now: dt.datetime | None = None
                   ) -> list[Viewer]:
    """Other people who opened this case within RECENT, latest first."""
    since = (now or utcnow()) - RECENT
    rows = db.session.execute(
        select(User.display_name, func.max(AuditEvent.at))
        .join(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.target_id == application_id, AuditEvent.action.in_(VIEWS),
               AuditEvent.at >= since, AuditEvent.actor_id != user.id)
        .group_by(User.display_name).order_by(func.max(AuditEvent.at).desc())).all()
    return [Viewer(name, at) for name, at in rows]
