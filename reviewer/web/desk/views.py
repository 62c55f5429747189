"""Desk pages: the queue, the application page, assignment, notes, reveal, re-run."""
from __future__ import annotations

import time

from flask import (abort, flash, jsonify, redirect, render_template,
                   request, session, url_for)
from flask_login import current_user

from models import Note, Role, User, db, utcnow
from models.audit import record
from models.status import Status
from pipeline.labels import MATERIAL_KIND_LABELS
from reviewer.web.auth import roles_required, wants_json
from reviewer.services.decisions import DecisionError
from reviewer.services import assign
from reviewer.web.desk import bulk, live
from reviewer.web.desk.blueprint import bp
from reviewer.web.desk.access import application_or_abort
from reviewer.services.mail import rerun
from reviewer.web.desk.page import application_context
from reviewer.web.desk.queue import (COUNTED, DUE_WINDOWS, SORTS, BadFilter, QueueFilters, aging,
                                 header_counts, queue_page, top_findings)
from reviewer.web.desk.reveal import resolve

MAX_NOTE = 4000
OPENED_KEEP = 20  # page-open times kept in the session, for handling time
SKIPPED_KEEP = 50  # cases passed over with `n`, not shown again by `n` this session


def reviewers() -> list[User]:
    return db.session.execute(db.select(User).where(
        User.active.is_(True), User.role.in_((Role.REVIEWER, Role.SUPERVISOR)))
        .order_by(User.display_name)).scalars().all()


@bp.get("/queue")
def queue():
    try:
        filters = QueueFilters.from_args(request.args)
    except BadFilter as exc:
        return render_template("desk/bad_filter.html", error=exc), 400
    now, may_assign = utcnow(), current_user.has_role(Role.SUPERVISOR)
    page = queue_page(filters, current_user, now)
    return render_template(
        "desk/queue.html", page=page, filters=filters, top_findings=top_findings(page.rows),
        counts=header_counts(filters, current_user, now), aging=aging, now=now,
        reviewers=reviewers() if may_assign else [], due_windows=DUE_WINDOWS, sorts=SORTS,
        counted=COUNTED, may_assign=may_assign, mail_kinds=MATERIAL_KIND_LABELS,
        my_day=live.my_day(current_user))


def _back_to_queue():
    target = request.form.get("back", "")
    return redirect(target if target.startswith("/queue") else url_for("desk.queue"))


@bp.post("/queue/assign")
@roles_required(Role.SUPERVISOR)
def assign_many():
    """Bulk actions on the selection (see bulk.py): assign, release, request mail."""
    ids, action = bulk.selected_ids(), bulk.ACTIONS.get(request.form.get("action", "assign"))
    if not ids or action is None:
        flash("请先勾选申请，再选择操作。", "error")
        return _back_to_queue()
    action(ids, reviewers())
    return _back_to_queue()


@bp.post("/queue/next")
def next_case():
    """From the queue: the reviewer's next case, claimed. From a case (`skip`): that case
    released and the next unclaimed one shown, unclaimed (see assign.skip)."""
    skipped = request.form.get("skip", "")[:32]
    if skipped:
        passed = list(session.get("skipped", []))[-SKIPPED_KEEP:]
        application_id = assign.skip(skipped, current_user, passed)
        session["skipped"] = [*passed, skipped][-SKIPPED_KEEP:]
    else:
        application_id = assign.next_case(current_user)
    if application_id is None:
        flash("队列中没有待初审的申请。", "ok")
        return redirect(url_for("desk.queue"))
    return redirect(url_for("desk.application", application_id=application_id))


def _remember_open(application_id: str) -> None:
    """When the reviewer first opened this case (kept until they decide it)."""
    opened = dict(session.get("opened", {}))
    first = opened.pop(application_id, time.time())
    opened[application_id] = first
    session["opened"] = dict(list(opened.items())[-OPENED_KEEP:])


@bp.get("/applications/<application_id>")
def application(application_id: str):
    item = application_or_abort(application_id)
    _remember_open(item.id)
    return render_template("desk/application.html", **application_context(item))


@bp.post("/applications/<application_id>/assign")
def take(application_id: str):
    item = application_or_abort(application_id)
    if assign.claim(item.id, current_user):
        flash("已领取此申请。", "ok")
    elif not assign.assignable(item):
        flash(f"此申请已结案（{Status(item.status).label}），不能再领取。", "error")
    elif item.assignee_id == current_user.id:
        flash("此申请已由你领取。", "ok")
    else:
        flash("此申请已被他人领取。", "error")
    return redirect(url_for("desk.application", application_id=item.id))


@bp.post("/applications/<application_id>/release")
def release(application_id: str):
    item = application_or_abort(application_id)
    if item.assignee_id != current_user.id and not current_user.has_role(Role.SUPERVISOR):
        abort(403)
    if not assign.release(item, current_user):
        flash(f"此申请已结案（{Status(item.status).label}），处理人不再变更。", "error")
        return redirect(url_for("desk.application", application_id=item.id))
    flash("已放回队列。", "ok")
    return redirect(url_for("desk.queue"))


@bp.post("/applications/<application_id>/notes")
def add_note(application_id: str):
    item = application_or_abort(application_id)
    body = request.form.get("body", "").strip()
    if not body or len(body) > MAX_NOTE:
        flash(f"备注不能为空，且不超过 {MAX_NOTE} 字。", "error")
        return redirect(url_for("desk.application", application_id=item.id) + "#notes")
    note = Note(application_id=item.id, author_id=current_user.id, body=body)
    db.session.add(note)
    db.session.flush()
    record("note.add", actor=current_user.username, actor_id=current_user.id,
           target_type="application", target_id=item.id,
           detail={"note": note.id, "length": len(body)})
    db.session.commit()
    flash("备注已保存（仅内部可见）。", "ok")
    return redirect(url_for("desk.application", application_id=item.id) + "#notes")


@bp.post("/applications/<application_id>/reveal")
def reveal(application_id: str):
    item = application_or_abort(application_id)
    key = request.form.get("field", "")[:80]
    texts = resolve(item, key)
    if texts is None:
        if wants_json():
            return jsonify(error={"code": "not_found", "message": "没有这个字段",
                                  "field": "field"}), 404
        abort(404)
    record("pii.reveal", actor=current_user.username, actor_id=current_user.id,
           target_type="application", target_id=item.id, detail={"field": key})
    db.session.commit()
    if wants_json():
        return jsonify(field=key, texts=texts)
    return render_template("desk/application.html",
                           **application_context(item, revealed={key: texts}))


@bp.post("/applications/<application_id>/rerun")
def rerun_inspection(application_id: str):
    item = application_or_abort(application_id)
    try:
        rerun(item, current_user, expected_version=form_version())
        flash("已重新提交自动检查，完成后回到队列。", "ok")
    except DecisionError as exc:
        flash(exc.message, "error")
    return redirect(url_for("desk.application", application_id=item.id))


def form_version() -> int | None:
    """The application version the page was rendered with (its hidden `version` field)."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None
