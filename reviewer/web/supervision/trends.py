"""Per Beijing day over a window: intake, decisions, backlog at day's end, SLA compliance
(the share of the day's decisions made before the application's 初审 due time)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from models import Application, Decision, db
from pipeline.china_time import CHINA


@dataclass
class Trends:
    intake: list[int]
    decided: list[int]
    backlog: list[int]
    sla: list[float | None]  # percent; None on a day without decisions


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(CHINA).date().isoformat()


def _first_decisions():
    """Each application's first decision (not an overturn, not undone): when, and its due."""
    first = select(Decision.application_id, func.min(Decision.decided_at).label("at")).where(
        Decision.overturns_id.is_(None), Decision.undone_at.is_(None)).group_by(
        Decision.application_id).subquery()
    return select(first.c.at, Application.due_at).join(
        Application, Application.id == first.c.application_id)


def _before(since: dt.datetime) -> int:
    received = db.session.scalar(select(func.count()).where(Application.received_at < since))
    decided = db.session.scalar(select(func.count()).select_from(
        _first_decisions().where(_first_decisions().selected_columns.at < since).subquery()))
    return (received or 0) - (decided or 0)


def trends(days: list[str], since: dt.datetime) -> Trends:
    intake = Counter(_day(at) for (at,) in db.session.execute(
        select(Application.received_at).where(Application.received_at >= since)))
    decided, on_time = Counter(), Counter()
    query = _first_decisions()
    for at, due in db.session.execute(query.where(query.selected_columns.at >= since)):
        decided[_day(at)] += 1
        on_time[_day(at)] += at <= due
    backlog, open_now = [], _before(since)
    for day in days:
        open_now += intake[day] - decided[day]
        backlog.append(open_now)
    sla = [round(100 * on_time[d] / decided[d], 1) if decided[d] else None for d in days]
    return Trends([intake[d] for d in days], [decided[d] for d in days], backlog, sla)
