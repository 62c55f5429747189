"""Reviewer statistics: decisions per day, median handling time, approval and overturn rates."""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import render_template, request
from sqlalchemy import select

from models import Decision, User, db, utcnow
from pipeline.china_time import CHINA, china_today, day_start
from reviewer.supervision import bp
from reviewer.supervision.charts import Series, hbars, stacked_bars

WINDOWS = (7, 30, 90)
KIND_COLOURS = {"approve": ("通过", "#2e8b57"), "reject": ("驳回", "#c0392b"),
                "request_mail": ("邮寄", "#d68910")}


@dataclass
class ReviewerStats:
    user: User
    kinds: Counter = field(default_factory=Counter)
    handling: list[float] = field(default_factory=list)
    overturned: int = 0

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    @property
    def approval_rate(self) -> float | None:
        return self.kinds["approve"] / self.total if self.total else None

    @property
    def overturn_rate(self) -> float | None:
        final = self.kinds["approve"] + self.kinds["reject"]
        return self.overturned / final if final else None

    @property
    def median_handling(self) -> float | None:
        return statistics.median(self.handling) if self.handling else None


def reviewer_stats(since: dt.datetime) -> tuple[list[ReviewerStats], dict[str, Counter]]:
    """Per reviewer, and per Beijing day per kind, for decisions since `since`
    (a supervisor's overturns are not counted as decisions)."""
    rows = db.session.execute(
        select(Decision.decided_by_id, Decision.kind, Decision.decided_at,
               Decision.handling_seconds, Decision.second_review)
        .where(Decision.decided_at >= since, Decision.overturns_id.is_(None))).all()
    users = {u.id: u for u in db.session.execute(select(User)).scalars()}
    per_user: dict[int, ReviewerStats] = {}
    per_day: dict[str, Counter] = defaultdict(Counter)
    for user_id, kind, at, seconds, review in rows:
        entry = per_user.setdefault(user_id, ReviewerStats(users[user_id]))
        entry.kinds[kind] += 1
        if seconds is not None:
            entry.handling.append(seconds)
        entry.overturned += review == "overturned"
        per_day[at.astimezone(CHINA).date().isoformat()][kind] += 1
    return sorted(per_user.values(), key=lambda s: -s.total), per_day


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value / 60:.1f} 分"


def charts(people: list[ReviewerStats], per_day: dict[str, Counter], days: int) -> dict:
    today = china_today(utcnow())
    labels = [(today - dt.timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
    series = [Series(label, colour, [per_day.get(d, Counter())[kind] for d in labels])
              for kind, (label, colour) in KIND_COLOURS.items()]
    name = lambda s: s.user.display_name  # noqa: E731
    return {
        "daily": stacked_bars(labels, series, title="每日决定数"),
        "handling": hbars([(name(s), s.median_handling, _minutes(s.median_handling))
                           for s in people], colour="#2f6fb2", title="处理用时中位数"),
        "approval": hbars([(name(s), s.approval_rate, _pct(s.approval_rate)) for s in people],
                          maximum=1.0, colour="#2e8b57", title="通过率"),
        "overturn": hbars([(name(s), s.overturn_rate, _pct(s.overturn_rate)) for s in people],
                          maximum=max([0.1] + [s.overturn_rate or 0 for s in people]),
                          colour="#c0392b", title="被改判率"),
    }


@bp.get("/statistics", endpoint="statistics")
def statistics_page():
    days = request.args.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in WINDOWS else 30
    since = day_start(china_today(utcnow()) - dt.timedelta(days=days - 1))
    people, per_day = reviewer_stats(since)
    return render_template("supervision/statistics.html", people=people, days=days,
                           windows=WINDOWS, charts=charts(people, per_day, days), pct=_pct,
                           minutes=_minutes)

