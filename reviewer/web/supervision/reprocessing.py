"""The reprocessing page: choose applications, preview how many, start a batch, follow it."""
from __future__ import annotations

import datetime as dt

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from config import current as settings
from models import ReprocessBatch, db
from models.run_state import BatchState
from pipeline import PIPELINE_VERSION
from pipeline.findings import CATALOGUE
from pipeline.form import PROVINCES
from pipeline.labels import FILING_TYPE_LABELS, MATERIAL_KIND_LABELS
from reviewer.services import inspections
from reviewer.services.reprocess import (KNOWN, MAX_LIMIT, BadSelection, Selection, cancel_batch,
                                         count, finish_if_done, progress, purged_count,
                                         start_batch)
from reviewer.web.supervision.blueprint import bp

FIELDS = ("since", "until", "province", "filing_type", "material_kind", "finding_code",
          "older_than_version", "limit")


def _date(name: str, value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise BadSelection(name, "日期格式应为 YYYY-MM-DD") from exc


def selection_from(form) -> Selection:
    """The form's text as a Selection, checked by the rules the CLI uses too."""
    values = {name: (form.get(name) or "").strip() for name in FIELDS}
    limit = values["limit"]
    if limit and not (limit.isdecimal() and len(limit) <= len(str(MAX_LIMIT))):
        raise BadSelection("limit", f"数量上限应为 1–{MAX_LIMIT}")
    text = {name: values[name] or None for name in (*KNOWN, "older_than_version")}
    return Selection(since=_date("since", values["since"]), until=_date("until", values["until"]),
                     limit=int(limit) if limit else None, **text).validate()


def _left_out(selection: Selection) -> None:
    purged = purged_count(selection)
    if purged:
        flash(f"另有 {purged} 件申请的上传资料已清除，无法重新检查，未纳入。", "ok")


def _page(selection_args, preview: int | None, error: str | None, status: int = 200):
    batches = db.session.execute(select(ReprocessBatch).order_by(ReprocessBatch.id.desc())
                                 .limit(20)).scalars().all()
    return render_template("supervision/reprocess.html", args=selection_args, preview=preview,
                           error=error, batches=batches, progress=progress,
                           version=PIPELINE_VERSION, provinces=PROVINCES,
                           filing_types=FILING_TYPE_LABELS, kinds=MATERIAL_KIND_LABELS,
                           codes=CATALOGUE), status


@bp.get("/reprocess")
def reprocess():
    if not request.args.get("preview"):
        return _page(request.args, None, None)
    try:
        selection = selection_from(request.args)
    except BadSelection as exc:
        return _page(request.args, None, str(exc), 400)
    _left_out(selection)
    return _page(request.args, count(selection.query()), None)


@bp.post("/reprocess")
def reprocess_start():
    try:
        selection = selection_from(request.form)
    except BadSelection as exc:
        return _page(request.form, None, str(exc), 400)
    batch, runs = start_batch(selection, actor=current_user.username, actor_id=current_user.id)
    enqueued = inspections.try_enqueue_all(runs)
    flash(f"批次 #{batch.id} 已开始：{batch.total} 件申请"
          + ("" if enqueued else "（Redis 暂不可用，稍后由巡检自动排队）"), "ok")
    _left_out(selection)
    return redirect(url_for("supervision.batch", batch_id=batch.id))


@bp.get("/reprocess/<int:batch_id>")
def batch(batch_id: int):
    item = db.get_or_404(ReprocessBatch, batch_id)
    finish_if_done(item)  # records the report once every run has finished
    return render_template("supervision/batch.html", batch=item, progress=progress(item),
                           remaining=_remaining)


def _remaining(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    minutes, rest = divmod(seconds, 60)
    return f"约 {minutes} 分 {rest} 秒" if minutes else f"约 {rest} 秒"


@bp.get("/reprocess/<int:batch_id>/progress.json")
def batch_progress(batch_id: int):
    """The batch page polls this (static/desk.js) and reloads once the batch is over."""
    item = db.get_or_404(ReprocessBatch, batch_id)
    over = finish_if_done(item)
    figures = progress(item)
    return jsonify(**figures, counts=f"{figures['finished']}/{figures['total']}",
                   state_label=BatchState(item.state).label,
                   remaining=_remaining(figures["remaining_seconds"]),
                   settled=over and item.report is not None)


@bp.post("/reprocess/<int:batch_id>/cancel")
def batch_cancel(batch_id: int):
    item = db.get_or_404(ReprocessBatch, batch_id)
    if item.state != BatchState.RUNNING:
        flash(f"批次 #{batch_id} {BatchState(item.state).label}，无法取消。", "error")
    else:
        cancelled = cancel_batch(item, actor=current_user.username, actor_id=current_user.id)
        flash(f"批次 #{batch_id} 已取消：{cancelled} 件尚未开始的重新检查不再进行，"
              "这些申请保留原有检查结果。", "ok")
    return redirect(url_for("supervision.batch", batch_id=batch_id))
