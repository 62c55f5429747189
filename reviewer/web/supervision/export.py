"""CSV export of a filtered queue, with personal data masked.

The queue's own filters (same parameters, same checks) select the rows. ID numbers
and phone numbers are masked as on the pages; a cell that a spreadsheet would read
as a formula is prefixed with a quote. The export is an audit event.
"""
from __future__ import annotations

import csv
import io

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from models import Application, Decision, Person, Subject, User, db, utcnow
from models.audit import record
from models.status import Status
from pipeline.china_time import CHINA
from pipeline.labels import FILING_TYPE_LABELS, NATURE_LABELS, SEVERITY_LABELS
from reviewer.web.desk.queue import BadFilter, QueueFilters, conditions, ordering, without_jit
from reviewer.services.decisions import KIND_LABELS, reason_catalogue
from reviewer.services.masking import mask_field, mask_phone, mask_text
from reviewer.web.supervision.blueprint import bp

MAX_ROWS = 100_000
HEADER = ("订单号", "主办单位", "主办单位证件号码", "主办单位性质", "省份", "备案类型", "状态",
          "收到时间", "初审到期", "最高级别", "风险分", "处理人", "主体负责人", "负责人手机",
          "决定", "决定人", "原因", "改判")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def export_query(filters: QueueFilters, user: User, now):
    leader = and_(Person.application_id == Application.id, Person.role == "subject_leader")
    standing = select(func.max(Decision.id)).where(
        Decision.application_id == Application.id, Decision.undone_at.is_(None)
    ).correlate(Application).scalar_subquery()
    decider = aliased(User)
    return (select(Application.external_id, Application.subject_name, Subject.cert_number,
                   Subject.cert_type, Application.nature, Application.province,
                   Application.filing_type, Application.status, Application.received_at,
                   Application.due_at, Application.highest_severity, Application.risk_score,
                   User.display_name, Person.name, Person.mobile, Decision.kind,
                   decider.display_name, Decision.reasons, Decision.overturns_id)
            .select_from(Application)
            .outerjoin(Subject, Subject.application_id == Application.id)
            .outerjoin(User, User.id == Application.assignee_id)
            .outerjoin(Person, leader)
            .outerjoin(Decision, Decision.id == standing)
            .outerjoin(decider, decider.id == Decision.decided_by_id)
            .where(*conditions(filters, user, now, with_status=True))
            .order_by(*ordering(filters.sort)).limit(MAX_ROWS))


def decision_cells(kind, decider, reasons, overturns) -> list[str]:
    """The standing decision: its kind, who made it, its reasons, whether it is an overturn."""
    if kind is None:
        return ["", "", "", ""]
    catalogue = reason_catalogue()
    return [KIND_LABELS.get(kind, kind), decider or "",
            "、".join(catalogue.get(r, r) for r in reasons or []), "是" if overturns else "否"]


def csv_row(row) -> list[str]:
    (external_id, name, cert_number, cert_type, nature, province, filing_type, status,
     received, due, severity, risk, assignee, leader, mobile, *decision) = row
    cells = [external_id, mask_text(name),
             mask_field("subject.cert_number", cert_number, cert_type=cert_type),
             NATURE_LABELS.get(nature, nature), province,
             FILING_TYPE_LABELS.get(filing_type, filing_type), Status(status).label,
             _beijing(received), _beijing(due),
             SEVERITY_LABELS.get(severity, "") if severity else "", risk, assignee or "",
             mask_text(leader), mask_phone(mobile) if mobile else "",
             *decision_cells(*decision)]
    return [safe_cell(c) for c in cells]


def _beijing(moment) -> str:
    """As the pages show times: Beijing time, with its offset for a machine to read."""
    return moment.astimezone(CHINA).isoformat(timespec="minutes")


def _lines(query):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer.writerow(HEADER)
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        writer.writerow(csv_row(row))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@bp.get("/export.csv")
def export_csv():
    try:
        filters = QueueFilters.from_args(request.args)
    except BadFilter as exc:
        return render_template("desk/bad_filter.html", error=exc), 400
    applied = {name: value for name, value in vars(filters).items()
               if value and name not in ("page", "after")}  # defaults too: what was exported
    record("export.csv", actor=current_user.username, actor_id=current_user.id,
           detail={"filters": applied, "limit": MAX_ROWS})
    db.session.commit()
    without_jit()
    name = f"queue-{utcnow().astimezone(CHINA):%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(_lines(export_query(filters, current_user, utcnow()))),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
