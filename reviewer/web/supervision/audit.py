"""The audit log: filtered by person, date and action, newest first, keyset-paged."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import distinct, select

from models import AuditEvent, User, db
from models.audit import record, verify_chain
from pipeline.china_time import day_start
from reviewer.web.desk.filters import cn_time
from reviewer.services.masking import mask_text
from reviewer.web.supervision.blueprint import bp
from reviewer.web.supervision.audit_labels import QUIET, action_label, names_for, verify_message

PER_PAGE = 100
CSV_ROWS = 50_000
ACTION = re.compile(r"^[a-z_]{1,24}(\.[a-z_]{1,24})?\.?$")
TARGET = re.compile(r"^[\w.:-]{1,64}$")
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)  # no overflow in a day's bounds


class BadAuditFilter(ValueError):
    pass


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    action: str = ""  # an exact action, or a prefix ending in "." (e.g. "decision.")
    since: dt.date | None = None
    until: dt.date | None = None
    target: str = ""
    before: int | None = None  # keyset: events with a smaller id
    hide_views: bool = False  # fold away material and application views

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        actor, action = args.get("actor", ""), args.get("action", "")
        target = args.get("target", "")
        before = args.get("before", "")
        if not (_row_id(actor) and _row_id(before)) or (action and not ACTION.match(action)) \
                or (target and not TARGET.match(target)):
            raise BadAuditFilter("筛选条件无效")
        return cls(actor_id=int(actor) if actor else None, action=action,
                   since=_date(args.get("since", "")), until=_date(args.get("until", "")),
                   target=target, before=int(before) if before else None,
                   hide_views=args.get("hide_views") == "1")

    def to_args(self, **changes) -> dict:
        values = {"actor": self.actor_id, "action": self.action, "since": self.since,
                  "until": self.until, "target": self.target, "before": self.before,
                  "hide_views": "1" if self.hide_views else None, **changes}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _row_id(value: str) -> bool:
    """Empty, or a number a database id column can hold."""
    return not value or (value.isascii() and value.isdigit() and int(value) < 2**63)


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadAuditFilter("日期格式应为 YYYY-MM-DD") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadAuditFilter(f"日期应在 {FIRST_DAY} 与 {LAST_DAY} 之间")
    return day


def events_query(filters: AuditFilters):
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action.endswith("."):
        query = query.where(AuditEvent.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since:
        query = query.where(AuditEvent.at >= day_start(filters.since))
    if filters.until:
        query = query.where(AuditEvent.at < day_start(filters.until + dt.timedelta(days=1)))
    if filters.target:
        query = query.where(AuditEvent.target_id == filters.target)
    if filters.before:
        query = query.where(AuditEvent.id < filters.before)
    if filters.hide_views:
        query = query.where(AuditEvent.action.not_in(QUIET))
    return query


def detail_text(event: AuditEvent) -> str:
    return mask_text(json.dumps(event.detail or {}, ensure_ascii=False, sort_keys=True))[:600]


@bp.get("/audit")
def audit_log():
    try:
        filters = AuditFilters.from_args(request.args)
    except BadAuditFilter as exc:
        return render_template("supervision/audit.html", error=str(exc), events=[],
                               filters=AuditFilters(), people=_people(), actions=_actions(),
                               next_before=None, detail_text=detail_text,
                               action_label=action_label, people_names={}, externals={}), 400
    events = db.session.execute(events_query(filters).limit(PER_PAGE + 1)).scalars().all()
    next_before = events[PER_PAGE - 1].id if len(events) > PER_PAGE else None
    return render_template("supervision/audit.html", events=events[:PER_PAGE], filters=filters,
                           people=_people(), actions=_actions(), next_before=next_before,
                           detail_text=detail_text, error=None, action_label=action_label,
                           **names_for(events[:PER_PAGE]))


@bp.get("/audit.csv")
def audit_csv():
    """The filtered log as CSV (newest first, at most CSV_ROWS), itself audited."""
    try:
        filters = AuditFilters.from_args(request.args)
    except BadAuditFilter as exc:
        return render_template("error.html", status=400, title="bad filter", message=str(exc)), 400
    events = db.session.execute(events_query(filters).limit(CSV_ROWS)).scalars().all()
    record("export.audit_csv", actor=current_user.username, actor_id=current_user.id,
           detail={"filters": filters.to_args(), "rows": len(events)})
    db.session.commit()
    response = Response(csv_text(events), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def csv_text(events) -> str:
    names = names_for(events)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["编号", "时间", "人员", "操作", "操作代码", "对象", "详情"])
    for e in events:
        target = names["externals"].get(e.target_id, e.target_id or "")
        writer.writerow([e.id, cn_time(e.at, "%Y-%m-%d %H:%M:%S"),
                         names["people_names"].get(e.actor_id) or e.actor,
                         action_label(e.action), e.action, target, detail_text(e)])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 as such


@bp.get("/audit/verify")
def audit_verify():
    ok, message, checked = verify_chain()
    return render_template("supervision/audit_verify.html", ok=ok,
                           message=verify_message(message), checked=checked)


def _people() -> list[User]:
    return db.session.execute(select(User).order_by(User.username)).scalars().all()


def _actions() -> list[str]:
    return sorted(db.session.execute(select(distinct(AuditEvent.action))).scalars())
