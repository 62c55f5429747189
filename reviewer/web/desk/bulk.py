"""A supervisor's bulk actions on the queue's selection: assign to a reviewer, release
(back to the queue), request mailed materials. No action is the default: assigning needs
a reviewer chosen, and unassigning is its own button."""
from __future__ import annotations

from flask import flash, request
from flask_login import current_user

from models import Application, User, db
from pipeline.labels import MATERIAL_KIND_LABELS
from reviewer.services.decisions import DecisionError, Verdict, decide
from reviewer.services import assign


def selected_ids() -> list[str]:
    return [i for i in request.form.getlist("ids") if i.isalnum() and len(i) <= 32][:500]


def _unchanged(total: int, changed: int, why: str) -> str:
    return f"，{total - changed} 件未变（{why}）" if changed < total else ""


def assign_selection(ids: list[str], reviewers: list[User]) -> None:
    target = request.form.get("assignee", "")
    assignee = next((user for user in reviewers if str(user.id) == target), None)
    if assignee is None:
        flash("请选择分配给哪位初审员（放回队列请用“放回队列”）。", "error")
        return
    changed = assign.assign_many(ids, assignee, current_user)
    flash(f"已分配 {changed} 件给 {assignee.display_name}"
          f"{_unchanged(len(ids), changed, '已结案，或已是此处理人')}。", "ok")


def release_selection(ids: list[str], reviewers: list[User]) -> None:
    changed = assign.assign_many(ids, None, current_user)
    flash(f"已放回队列 {changed} 件{_unchanged(len(ids), changed, '已结案，或本未分配')}。", "ok")


def request_mail_selection(ids: list[str], reviewers: list[User]) -> None:
    items = tuple(i for i in dict.fromkeys(request.form.getlist("mail_items"))
                  if i in MATERIAL_KIND_LABELS)
    if not items:
        flash("要求邮寄资料时，请至少选择一项资料。", "error")
        return
    done = 0
    for application_id in ids:
        application = db.session.get(Application, application_id)
        try:
            decide(application, current_user, Verdict(kind="request_mail", mail_items=items),
                   expected_version=None)
            done += 1
        except DecisionError:
            db.session.rollback()
    flash(f"已要求邮寄资料 {done} 件{_unchanged(len(ids), done, '不在待初审状态')}。", "ok")


ACTIONS = {"assign": assign_selection, "release": release_selection,
           "request_mail": request_mail_selection}
