"""Sampling by risk (风险抽检): the decisions a second review should see first.

Against the recommendation (or over a block finding), unusually fast, and each reviewer's
first decisions; the rest of a sample is random. Each kind is a SQL condition, so drawing
and describing a sample ask the same question.
"""
from __future__ import annotations

from sqlalchemy import and_, func, select

from models import Decision, db

FAST_SECONDS = 20.0  # a decision made in less time than this is unusually fast
FIRST_DECISIONS = 20  # a reviewer's first decisions are all worth a second look
LABELS = {
    "against": "不按系统建议（含越过须整改）",
    "fast": f"处理用时不足 {FAST_SECONDS:.0f} 秒",
    "first": f"初审员的前 {FIRST_DECISIONS} 件决定",
    "random": "随机",
}


def _first_decisions():
    numbered = select(Decision.id, func.row_number().over(
        partition_by=Decision.decided_by_id, order_by=Decision.id).label("n")).where(
        Decision.overturns_id.is_(None)).subquery()
    return select(numbered.c.id).where(numbered.c.n <= FIRST_DECISIONS)


def conditions() -> dict:
    """Risk kind -> the SQL condition on Decision, in drawing order."""
    return {"against": Decision.against_recommendation.is_(True),
            "fast": and_(Decision.handling_seconds.is_not(None),
                         Decision.handling_seconds < FAST_SECONDS),
            "first": Decision.id.in_(_first_decisions())}


def risks_of(ids: list[int]) -> dict[int, list[str]]:
    """Decision id -> its risk kinds (["random"] when it has none)."""
    found: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    for kind, condition in conditions().items():
        for (decision_id,) in db.session.execute(
                select(Decision.id).where(Decision.id.in_(ids), condition)):
            found[decision_id].append(kind)
    return {i: kinds or ["random"] for i, kinds in found.items()}


def shares(risks: dict[int, list[str]]) -> list[tuple[str, int, float]]:
    """(label, count, share of the sample) per kind; a decision may count under several."""
    total = len(risks) or 1
    return [(label, n, n / total) for kind, label in LABELS.items()
            if (n := sum(kind in kinds for kinds in risks.values()))]
