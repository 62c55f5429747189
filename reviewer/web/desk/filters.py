"""Jinja filters and globals of the back-office: Beijing time, labels, masking."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from models.run_state import BatchState, RunState
from models.status import Status
from pipeline.china_time import CHINA
from pipeline.findings import CATALOGUE
from pipeline.form import PROVINCES
from pipeline.labels import (CERT_TYPE_LABELS, FILING_TYPE_LABELS, MATERIAL_KIND_LABELS,
                             NATURE_LABELS, SEVERITY_LABELS)
from reviewer.web.desk.blueprint import bp
from reviewer.services.masking import mask_id_number, mask_phone, mask_text
from models import utcnow

WEEKDAYS = "一二三四五六日"


@bp.app_template_filter("cn_time")
def cn_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(CHINA).strftime(fmt) if value else ""


@bp.app_template_filter("due_text")
def due_text(value: dt.datetime | None) -> str:
    """Relative 初审 due time: '剩 3 小时 20 分' or '超时 1 小时 5 分'."""
    if value is None:
        return ""
    seconds = (value - utcnow()).total_seconds()
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    text = (f"{days} 天 " if days else "") + f"{rest // 60} 小时 {rest % 60} 分"
    return ("剩 " if seconds >= 0 else "超时 ") + text


@bp.app_template_filter("status_label")
def status_label(value: str) -> str:
    return Status(value).label if value in Status._value2member_map_ else value


@bp.app_template_filter("run_state_label")
def run_state_label(value: str) -> str:
    return RunState(value).label if value in RunState._value2member_map_ else value


@bp.app_template_filter("batch_state_label")
def batch_state_label(value: str) -> str:
    return BatchState(value).label if value in BatchState._value2member_map_ else value


@bp.app_template_filter("masked")
def masked(value) -> str:
    return mask_text(value)


@bp.app_template_filter("seconds")
def seconds_text(value: float | None) -> str:
    if value is None:
        return "—"
    value = int(value)
    return f"{value // 60} 分 {value % 60:02d} 秒" if value >= 60 else f"{value} 秒"


@bp.app_context_processor
def labels():
    return {
        "FILING_TYPE_LABELS": FILING_TYPE_LABELS, "NATURE_LABELS": NATURE_LABELS,
        "CERT_TYPE_LABELS": CERT_TYPE_LABELS, "MATERIAL_KIND_LABELS": MATERIAL_KIND_LABELS,
        "SEVERITY_LABELS": SEVERITY_LABELS, "CATALOGUE": CATALOGUE, "Status": Status,
        "RunState": RunState, "BatchState": BatchState,
        "PROVINCES": PROVINCES,
        "mask_id_number": mask_id_number, "mask_phone": mask_phone,
        "has_endpoint": lambda name: name in current_app.view_functions,
    }


@bp.app_template_filter("person_label")
def person_label(value: str | None) -> str:
    """subject_leader -> 主体负责人; website_leader:0 -> 网站 1 负责人."""
    if not value:
        return ""
    if value.startswith("website_leader:") and value.split(":", 1)[1].isdigit():
        return f"网站 {int(value.split(':', 1)[1]) + 1} 负责人"
    return {"subject_leader": "主体负责人"}.get(value, value)
