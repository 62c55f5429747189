"""Pages that update themselves: a case being inspected reports its state as JSON, which
the page polls (static/desk.js) and reloads on a change; a reviewer's own figures today."""
from __future__ import annotations

import datetime as dt
import statistics

from flask import jsonify
from flask_login import current_user
from sqlalchemy import func, select

from models import Decision, User, db, utcnow
from models.run_state import RUN_IN_PROGRESS
from pipeline.china_time import china_today, day_start
from reviewer.web.desk.blueprint import bp
from reviewer.web.desk.access import application_or_abort

MEDIAN_OF = 500  # a day's decisions at most, for the median


@bp.get("/applications/<application_id>/state.json")
def application_state(application_id: str):
    item = application_or_abort(application_id)
    run = item.latest_run
    return jsonify(status=item.status, version=item.version, run_id=run.id if run else None,
                   run_state=run.state if run else None)


def my_day(user: User, now: dt.datetime | None = None) -> dict:
    """The reviewer's decisions since Beijing midnight: how many by kind (one grouped count)
    and the median handling minutes of the latest MEDIAN_OF of them."""
    since = day_start(china_today(now or utcnow()))
    mine = (Decision.decided_by_id == user.id, Decision.decided_at >= since,
            Decision.undone_at.is_(None), Decision.overturns_id.is_(None))
    kinds = dict(db.session.execute(select(Decision.kind, func.count()).where(*mine)
                                    .group_by(Decision.kind)).all())
    seconds = db.session.execute(select(Decision.handling_seconds).where(
        *mine, Decision.handling_seconds.is_not(None)).order_by(Decision.id.desc())
        .limit(MEDIAN_OF)).scalars().all()
    return {"total": sum(kinds.values()), "approve": kinds.get("approve", 0),
            "reject": kinds.get("reject", 0), "request_mail": kinds.get("request_mail", 0),
            "median_minutes": round(statistics.median(seconds) / 60, 1) if seconds else None}


def watch_url(application) -> str | None:
    """The state URL a page polls while the case's inspection runs, else None."""
    from flask import url_for

    run = application.latest_run
    if application.status in ("submitted", "inspecting") or (run and run.state in RUN_IN_PROGRESS):
        return url_for("desk.application_state", application_id=application.id)
    return None
