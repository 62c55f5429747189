"""Sampling by risk: against the recommendation, unusually fast, a reviewer's first
decisions are drawn before random ones, and the page shows the share of each."""
from __future__ import annotations

import re

from models import Decision, db
from reviewer.services import runtime
from reviewer.web.supervision.risk import FIRST_DECISIONS
from reviewer.web.supervision.sampling import draw_sample
from tests.reviewer.factories import make_application, post


def decision(users, by: str, seconds: float | None = 120.0, against: bool = False) -> int:
    application = make_application(runtime.storage(), status="approved", assignee=users[by])
    made = Decision(application_id=application.id, kind="approve", decided_by_id=users[by].id,
                    handling_seconds=seconds, against_recommendation=against)
    db.session.add(made)
    db.session.commit()
    return made.id


def test_risky_decisions_are_drawn_first(users):
    seasoned = [decision(users, "reviewer") for _ in range(FIRST_DECISIONS + 6)]
    fast = decision(users, "reviewer", seconds=4.0)
    against = decision(users, "reviewer", against=True)
    newcomer = decision(users, "reviewer2")
    drawn = draw_sample(3, 7, users["supervisor"])
    assert drawn[:2] == [against, fast]
    assert drawn[2] in [*seasoned[:FIRST_DECISIONS], newcomer]  # a first decision
    assert not set(drawn) & set(seasoned[FIRST_DECISIONS:])


def test_the_page_shows_the_share_of_each_kind(client, login, users):
    for _ in range(FIRST_DECISIONS):
        decision(users, "reviewer")
    decision(users, "reviewer", seconds=3.0)
    decision(users, "reviewer", against=True)
    login("supervisor")
    post(client, "/supervision/sampling/draw", {"size": "4", "days": "7"})
    page = client.get("/supervision/sampling").get_data(as_text=True)
    mix = re.search(r'<div class="sample-mix" id="sample-mix">(.*?)</div>', page, re.S).group(1)
    assert "不按系统建议（含越过须整改） 1 件（25%）" in mix
    assert "处理用时不足 20 秒 1 件（25%）" in mix
    assert "初审员的前 20 件决定 2 件（50%）" in mix and "随机" not in mix
