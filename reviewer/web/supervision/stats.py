"""Reviewer statistics: decisions per day, median handling time, approval and overturn rates."""
from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import render_template, request
from sqlalchemy import select

from models import Decision, User, db, utcnow
from pipeline.china_time import CHINA, china_today, day_start
from reviewer.web.supervision.blueprint import bp
from reviewer.web.supervision.charts import Series, lines, people_bars, stacked_days
from reviewer.web.supervision.trends import trends

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


def _rounded(value: float | None, scale: float = 1.0) -> float | None:
    return None if value is None else round(value * scale, 1)


def charts(people: list[ReviewerStats], per_day: dict[str, Counter], days: int,
           since: dt.datetime) -> dict:
    today = china_today(utcnow())
    labels = [(today - dt.timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
    series = [Series(label, colour, [per_day.get(d, Counter())[kind] for d in labels])
              for kind, (label, colour) in KIND_COLOURS.items()]
    names = [s.user.display_name for s in people]
    flow = trends(labels, since)
    return {
        "daily": stacked_days("每日决定数", "件", labels, series),
        "flow": lines("每日收件与决定", "件", labels, [
            Series("收件", "#2f6fb2", flow.intake), Series("决定", "#2e8b57", flow.decided)]),
        "backlog": lines("日末未决积压", "件", labels, [Series("积压", "#d68910", flow.backlog)]),
        "sla": lines("初审时限达成率", "%", labels, [Series("按时决定", "#2e8b57", flow.sla)],
                     maximum=100),
        "handling": people_bars("处理用时中位数", "分钟", names, [Series(
            "用时中位数", "#2f6fb2", [_rounded(s.median_handling, 1 / 60) for s in people])]),
        "rates": people_bars("通过率与被改判率", "%", names, [
            Series("通过率", "#2e8b57", [_rounded(s.approval_rate, 100) for s in people]),
            Series("被改判率", "#c0392b", [_rounded(s.overturn_rate, 100) for s in people])],
            maximum=100),
    }


@bp.app_template_filter("echart_json")
def echart_json(option: dict) -> str:
    """An ECharts option as plain JSON text; the template's autoescape makes it a safe
    attribute value (markup in a name stays text: &lt;b&gt;), which the browser decodes."""
    return json.dumps(option, ensure_ascii=False)


@bp.get("/statistics", endpoint="statistics")
def statistics_page():
    days = request.args.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in WINDOWS else 30
    since = day_start(china_today(utcnow()) - dt.timedelta(days=days - 1))
    people, per_day = reviewer_stats(since)
    return render_template("supervision/statistics.html", people=people, days=days,
                           windows=WINDOWS, charts=charts(people, per_day, days, since), pct=_pct,
                           minutes=_minutes)

