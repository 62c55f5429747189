"""Decision and mail routes. After a decision the next case opens."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from models import Application, Decision, MailRequest, db
from reviewer.services.decisions import (KIND_LABELS, DecisionConflict, DecisionError, Verdict,
                                conflict_message, decide, sms_targets)
from reviewer.services import assign
from reviewer.web.desk.blueprint import bp
from reviewer.web.desk.access import application_or_abort, can_open
from reviewer.services.mail import receive, ship
from reviewer.web.desk.page import application_context, describe_target
from reviewer.web.desk.views import form_version
from reviewer.services.undo import undo

UNDO_FORM = Markup('<form method="post" action="{}" class="undo-form">'
                   '<input type="hidden" name="csrf_token" value="{}">'
                   '<button type="submit" class="btn small">撤销</button></form>')


def _verdict() -> Verdict:
    form = request.form
    return Verdict(kind=form.get("kind", ""), reasons=tuple(dict.fromkeys(form.getlist("reasons"))),
                   note=form.get("note", ""), applicant_message=form.get("applicant_message", ""),
                   mail_items=tuple(dict.fromkeys(form.getlist("mail_items"))),
                   acknowledged=tuple(dict.fromkeys(form.getlist("acknowledged"))))


def _refused(application: Application, verdict: Verdict, message: str, status: int):
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    context = application_context(application)
    return render_template("desk/application.html", **context, draft=verdict,
                           decision_error=message, conflict=status == 409), status


def _done_message(application: Application, decision: Decision) -> Markup:
    kind = decision.kind
    link = url_for("desk.application", application_id=application.id)
    text = Markup('<a href="{}">{}</a> {}').format(link, application.subject_name,
                                                    KIND_LABELS[kind])
    text += UNDO_FORM.format(url_for("desk.undo_decision", decision_id=decision.id),
                             generate_csrf())
    if kind == "approve":
        targets = [describe_target(t) for t in sms_targets(application)]
        if targets:
            text += Markup("。需短信核验：") + escape("；".join(targets))
    return text


def _decidable_or_abort(application_id: str) -> Application:
    """The lookup helper, except that a reviewer who had the page open when someone
    else took and decided the case is told so (409), not merely refused (403)."""
    application = db.session.get(Application, application_id) if len(application_id) <= 32 \
        else None
    if application is not None and not can_open(current_user, application) \
            and application.id in session.get("opened", {}):
        abort(Response(render_template("error.html", status=409, title="conflict",
                                       message=conflict_message(application)), 409))
    return application_or_abort(application_id)


@bp.post("/applications/<application_id>/decision")
def decision(application_id: str):
    application = _decidable_or_abort(application_id)
    verdict = _verdict()
    opened = session.get("opened", {}).get(application.id)
    try:
        made = decide(application, current_user, verdict, expected_version=form_version(),
                      opened_at=opened)
    except DecisionConflict as exc:
        return _refused(application, verdict, exc.message, 409)
    except DecisionError as exc:
        return _refused(application, verdict, exc.message, 400)
    session["opened"] = {k: v for k, v in session.get("opened", {}).items()
                         if k != application.id}
    flash(_done_message(application, made), "ok")
    if request.form.get("then") == "stay":
        return redirect(url_for("desk.application", application_id=application.id))
    following = assign.next_case(current_user, skip=application.id)
    if following is None:
        flash("队列中没有更多待初审的申请。", "ok")
        return redirect(url_for("desk.queue"))
    return redirect(url_for("desk.application", application_id=following))


@bp.post("/decisions/<int:decision_id>/undo")
def undo_decision(decision_id: int):
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        abort(404)
    application = application_or_abort(decision.application_id)
    try:
        undo(decision, current_user)
        flash(f"已撤销对 {application.subject_name} 的决定，申请回到你的待初审队列。", "ok")
    except DecisionError as exc:
        flash(exc.message, "error")
    return redirect(url_for("desk.application", application_id=application.id))


def _mail_or_abort(mail_id: int) -> MailRequest:
    mail = db.session.get(MailRequest, mail_id)
    if mail is None:
        abort(404)
    application_or_abort(mail.application_id)
    return mail


@bp.post("/mail/<int:mail_id>/ship")
def mail_shipped(mail_id: int):
    mail = _mail_or_abort(mail_id)
    try:
        ship(mail, request.form.get("tracking_number", ""), current_user)
        flash("已登记寄出。", "ok")
    except DecisionError as exc:
        flash(exc.message, "error")
    return redirect(url_for("desk.application", application_id=mail.application_id) + "#mail")


@bp.post("/mail/<int:mail_id>/receive")
def mail_received(mail_id: int):
    mail = _mail_or_abort(mail_id)
    try:
        receive(mail, current_user)
        flash("已确认收到邮寄资料，申请已重新提交自动检查，完成后回到初审队列。", "ok")
    except DecisionError as exc:
        flash(exc.message, "error")
    return redirect(url_for("desk.application", application_id=mail.application_id) + "#mail")
