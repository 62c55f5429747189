"""The queue: filters, paging that keeps them, sorting, counts, refusal of bad values."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

from reviewer.services import runtime
from reviewer.web.desk import queue as queue_module
from reviewer.web.desk.queue import BadFilter, QueueFilters
from tests.reviewer.factories import make_application

HOUR = dt.timedelta(hours=1)


def listed(client, query: str = "") -> list[str]:
    body = client.get("/queue" + query).get_data(as_text=True)
    return re.findall(r'href="/applications/([0-9a-f]{32})"', body)


@pytest.fixture
def spread(users):
    store = runtime.storage()
    return {
        "zj_block": make_application(store, subject_name="浙江甲", due_in=30 * HOUR, risk_score=90),
        "zj_overdue": make_application(store, subject_name="浙江乙", due_in=-2 * HOUR,
                                       risk_score=10),
        "gd_warn": make_application(store, subject_name="广东丙", province="广东省",
                                    due_in=2 * HOUR, risk_score=40, findings=[
                                        {"code": "ID_UNREADABLE", "severity": "warn",
                                         "message": "身份证信息无法识别"}]),
        "gd_clean": make_application(store, subject_name="广东丁", province="广东省",
                                     filing_type="access", due_in=10 * HOUR, findings=[],
                                     risk_score=0),
        "approved": make_application(store, subject_name="已通过", status="approved"),
        "mine": make_application(store, subject_name="我的", assignee=users["reviewer"],
                                 due_in=20 * HOUR),
    }


def test_default_queue_shows_awaiting_review_by_due_time(client, login, spread):
    login("reviewer")
    ids = listed(client)
    assert spread["approved"].id not in ids
    expected = ["zj_overdue", "gd_warn", "gd_clean", "mine", "zj_block"]
    assert ids == [spread[name].id for name in expected]


def test_sort_by_risk(client, login, spread):
    login("reviewer")
    assert listed(client, "?sort=risk")[0] == spread["zj_block"].id


FILTER_CASES = [
    ("?province=广东省", {"gd_warn", "gd_clean"}),
    ("?filing_type=access", {"gd_clean"}),
    ("?severity=warn", {"gd_warn"}),
    ("?severity=none", {"gd_clean"}),
    ("?code=ID_NAME_MISMATCH", {"zj_block", "zj_overdue", "mine"}),
    ("?code=ID_UNREADABLE&province=广东省", {"gd_warn"}),
    ("?assignee=me", {"mine"}),
    ("?due=overdue", {"zj_overdue"}),
    ("?due=soon", {"gd_warn"}),
    ("?status=approved", {"approved"}),
]


def test_filters(client, login, spread):
    login("reviewer")
    for query, names in FILTER_CASES:
        assert set(listed(client, query)) == {spread[n].id for n in names}, query


def test_header_counts_come_from_one_grouped_query(client, login, spread):
    login("reviewer")
    body = client.get("/queue?province=浙江省").get_data(as_text=True)
    head = body[body.index("queue-head"):body.index('class="tabs"')]
    assert re.search(r"<b>3</b> 待初审", head)  # zj_block, zj_overdue and mine
    assert re.search(r"<b>1</b> 已超时", head)


def _link(body: str, rel: str) -> str:
    found = re.search(r'href="(/queue\?[^"]*)" rel="' + rel + '"', body)
    return found.group(1).replace("&amp;", "&")


def test_paging_keeps_the_filters(client, login, spread, monkeypatch):
    monkeypatch.setattr(queue_module, "PER_PAGE", 2)
    login("reviewer")
    first_url = "/queue?code=ID_NAME_MISMATCH&sort=risk"
    next_url = _link(client.get(first_url).get_data(as_text=True), "next")
    assert "code=ID_NAME_MISMATCH" in next_url and "sort=risk" in next_url
    assert "page=2" in next_url
    second = client.get(next_url).get_data(as_text=True)
    assert "code=ID_NAME_MISMATCH" in _link(second, "prev")
    page_one, page_two = listed(client, first_url[6:]), listed(client, next_url[6:])
    assert len(page_one) == 2 and len(page_two) == 1
    assert set(page_one) | set(page_two) == {spread[n].id for n in ("zj_block", "zj_overdue",
                                                                    "mine")}
    assert 'rel="next"' not in second
    assert "after=" in next_url  # continues after the last row instead of OFFSET
    assert listed(client, "?code=ID_NAME_MISMATCH&sort=risk&page=2") == page_two


def test_every_sort_pages_the_same_by_cursor_and_by_offset(client, login, spread, monkeypatch):
    monkeypatch.setattr(queue_module, "PER_PAGE", 2)
    login("supervisor")
    for sort in ("due", "risk", "received"):
        by_offset, by_cursor, url = [], [], f"/queue?status=all&sort={sort}"
        for page in (1, 2, 3):
            by_offset += listed(client, f"?status=all&sort={sort}&page={page}")
        while url:
            body = client.get(url).get_data(as_text=True)
            by_cursor += re.findall(r'href="/applications/([0-9a-f]{32})"', body)
            url = _link(body, "next") if 'rel="next"' in body else ""
        assert by_cursor == by_offset and len(by_cursor) == 6, sort


def _cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


INJECTIONS = [
    "?status=approved' OR '1'='1", "?sort=due_at;DROP TABLE applications", "?province=火星",
    "?code=ID_NAME_MISMATCH'--", "?assignee=1 OR 1=1", "?page=-1", "?page=abc",
    "?severity=block)", "?due=yesterday", "?after=not-a-cursor!",
    "?after=WyIyMDI2LTExLTIwIiwiJyBPUiAxPTEtLSJd", "?sort=risk&after=WzEsMl0",
    # values that parse but no database column holds
    "?page=99999999999999999999999",
    "?sort=risk&after=" + _cursor([10**30, "2026-11-30T10:00:00+00:00", "aa"]),
    "?sort=due&after=" + _cursor(["0001-01-01T00:00:00+05:00", "aa"]),
    "?sort=due&after=" + _cursor(["9999-12-31T23:59:59-05:00", "aa"])]


def test_injection_attempts_in_filters_are_refused(client, login, spread):
    login("reviewer")
    for query in INJECTIONS:
        response = client.get("/queue" + query)
        assert response.status_code == 400, query
        assert "筛选条件" in response.get_data(as_text=True)
    assert len(listed(client, "?status=all")) == 6  # the table is still there


def test_filters_round_trip_through_the_query_string():
    filters = QueueFilters.from_args({"province": "广东省", "sort": "risk", "page": "3"})
    assert filters.to_args(page=4) == {"province": "广东省", "sort": "risk", "page": 4}
    assert QueueFilters.from_args(filters.to_args()) == filters
    with pytest.raises(BadFilter):
        QueueFilters.from_args({"status": "nonsense"})


def test_overdue_rows_are_marked(client, login, spread):
    login("reviewer")
    body = client.get("/queue").get_data(as_text=True)
    row = body[body.index(spread["zj_overdue"].id) - 900:body.index(spread["zj_overdue"].id)]
    assert 'class="row-overdue"' in row and "超时" in row
    amber = body[body.index(spread["gd_warn"].id) - 900:body.index(spread["gd_warn"].id)]
    assert 'class="row-amber"' in amber
