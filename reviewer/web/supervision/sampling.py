"""Second review (抽检): a random sample of decisions, agree or overturn, agreement rate.

Decisions whose findings changed after a reprocess (`stale`) are listed here too.
A supervisor never reviews a decision on an application they decided themselves.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select, true

from models import Decision, User, db, utcnow
from models.audit import record
from reviewer.services.decisions import (KIND_LABELS, DecisionConflict, DecisionError, agree, may_overturn,
                                overturn, reason_catalogue)
from reviewer.web.supervision import risk
from reviewer.web.supervision.blueprint import bp

MAX_SAMPLE = 200


def _drawable(since: dt.datetime, supervisor: User):
    return select(Decision.id).where(
        Decision.kind.in_(("approve", "reject")), Decision.overturns_id.is_(None),
        Decision.sampled.is_(False), Decision.undone_at.is_(None), Decision.decided_at >= since,
        Decision.decided_by_id != supervisor.id)


def _take(query, limit: int) -> list[int]:
    return db.session.execute(query.limit(limit)).scalars().all() if limit > 0 else []


def draw_sample(size: int, days: int, supervisor: User) -> list[int]:
    """Mark for review every decision of the last `days` made against the recommendation,
    then those made unusually fast and reviewers' first decisions, then random others,
    up to `size` (see risk.py)."""
    since = utcnow() - dt.timedelta(days=days)
    risky = risk.conditions()
    ids = _take(_drawable(since, supervisor).where(risky.pop("against")), MAX_SAMPLE)
    for condition in (*risky.values(), true()):
        query = _drawable(since, supervisor).where(condition, Decision.id.not_in(ids or [0]))
        ids += _take(query.order_by(func.random()), size - len(ids))
    if ids:
        db.session.execute(db.update(Decision).where(Decision.id.in_(ids)).values(sampled=True))
    record("review.sample", actor=supervisor.username, actor_id=supervisor.id,
           detail={"size": size, "days": days, "drawn": len(ids), "decisions": ids[:200]})
    db.session.commit()
    return ids


def agreement() -> dict:
    """Second-review outcomes of all sampled decisions: agreed, overturned, pending, rate."""
    rows = dict(db.session.execute(
        select(Decision.second_review, func.count()).where(Decision.sampled.is_(True))
        .group_by(Decision.second_review)).all())
    agreed, overturned = rows.get("agree", 0), rows.get("overturned", 0)
    reviewed = agreed + overturned
    return {"agreed": agreed, "overturned": overturned, "pending": rows.get(None, 0),
            "rate": agreed / reviewed if reviewed else None}


def pending_reviews() -> list[Decision]:
    return db.session.execute(
        select(Decision).where(or_(Decision.sampled.is_(True), Decision.stale.is_(True)),
                               Decision.second_review.is_(None),
                               Decision.overturns_id.is_(None))
        .order_by(Decision.decided_at.desc()).limit(MAX_SAMPLE)).scalars().all()


@bp.get("/sampling")
def sampling():
    pending = pending_reviews()
    risks = risk.risks_of([d.id for d in pending if d.sampled])
    return render_template("supervision/sampling.html", pending=pending, stats=agreement(),
                           risks=risks, risk_labels=risk.LABELS, shares=risk.shares(risks),
                           kind_labels=KIND_LABELS, reasons=reason_catalogue(),
                           may_review={d.id: may_overturn(d, current_user) for d in pending})


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = request.form.get(name, "")
    return min(max(int(value), low), high) if value.isdigit() else default


@bp.post("/sampling/draw")
def draw():
    ids = draw_sample(_int_arg("size", 20, 1, MAX_SAMPLE), _int_arg("days", 7, 1, 365),
                      current_user)
    flash(f"已抽取 {len(ids)} 件决定待复核。" if ids else "没有可抽取的决定。", "ok")
    return redirect(url_for("supervision.sampling"))


def _decision_or_404(decision_id: int) -> Decision:
    return db.get_or_404(Decision, decision_id)


def _back(decision: Decision):
    target = request.form.get("back", "")
    if target == "application":
        return redirect(url_for("desk.application", application_id=decision.application_id))
    return redirect(url_for("supervision.sampling"))


@bp.post("/decisions/<int:decision_id>/agree")
def agree_with(decision_id: int):
    decision = _decision_or_404(decision_id)
    try:
        agree(decision, current_user)
        flash("已记录：同意原决定。", "ok")
    except DecisionError as exc:
        flash(exc.message, "error")
    return _back(decision)


@bp.post("/decisions/<int:decision_id>/overturn", endpoint="overturn")
def overturn_decision(decision_id: int):
    decision = _decision_or_404(decision_id)
    try:
        overturn(decision, current_user, reason=request.form.get("reason", ""),
                 reasons=tuple(dict.fromkeys(request.form.getlist("reasons"))),
                 applicant_message=request.form.get("applicant_message", ""))
        flash("已改判，并记入审计日志。", "ok")
    except DecisionConflict as exc:
        flash(exc.message, "conflict")
    except DecisionError as exc:
        flash(exc.message, "error")
    return redirect(url_for("desk.application", application_id=decision.application_id))
