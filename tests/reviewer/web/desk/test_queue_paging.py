"""Queue paging at depth: every page by number (OFFSET) and by "next" (keyset) gives the
filtered rows once each, in a stable order even where sort keys tie; the header counts
match the rows; the page's ids are read from columns the queue indexes carry."""
from __future__ import annotations

import datetime as dt
import random
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import Column
from sqlalchemy.sql import visitors

from models import Application, Decision, FindingRow, InspectionRun, db, utcnow
from models.application import QUEUE_COVERED
from models.base import new_id
from reviewer.web.desk import queue as queue_module
from reviewer.web.desk.queue import AMBER, COUNTED, QueueFilters, header_counts, page_ids

PER_PAGE = 4
HOUR = dt.timedelta(hours=1)
# Few distinct due times and risk scores, so that most sort keys tie and only `id` orders.
DUE_OFFSETS = (-3 * HOUR, 2 * HOUR, 2 * HOUR, 30 * HOUR)
RISKS = (0, 50, 50, 120)
STATUSES = ("awaiting_review", "awaiting_review", "approved", "mail_received", "rejected")


def _application(rng: random.Random, now: dt.datetime, users: dict, index: int) -> Application:
    owner = rng.choice((None, None, users["reviewer"], users["reviewer2"]))
    return Application(
        id=new_id(), external_id=f"PAGING-{index:03d}", filing_type=rng.choice(
            ("first_filing", "access")), province=rng.choice(("浙江省", "广东省")),
        nature="enterprise", subject_name=f"分页测试{index}", submitted_at=now,
        received_at=now - HOUR * rng.randint(0, 3), last_activity_at=now,
        due_at=now + rng.choice(DUE_OFFSETS), status=rng.choice(STATUSES),
        assignee_id=owner.id if owner else None, form={}, content_hash=new_id(),
        highest_severity=rng.choice((None, "warn", "block")), risk_score=rng.choice(RISKS))


def _finding(rng: random.Random, application: Application) -> None:
    run = InspectionRun(application_id=application.id, pipeline_version="test", state="done")
    if rng.random() < 0.5:
        run.findings = [FindingRow(code="ID_NAME_MISMATCH", severity="block", message="m")]
    db.session.add(run)
    db.session.flush()
    application.latest_run_id = run.id


@pytest.fixture
def crowd(users):
    """45 applications; reviewer decided two that reviewer2 now holds (still theirs to see)."""
    rng, now = random.Random(11), utcnow()
    rows = [_application(rng, now, users, i) for i in range(45)]
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        _finding(rng, row)
    others = [r for r in rows if r.assignee_id == users["reviewer2"].id][:2]
    db.session.add_all(Decision(application_id=r.id, kind="approve",
                                decided_by_id=users["reviewer"].id) for r in others)
    db.session.commit()
    return rows


def _visible(row: Application, user, decided: set[str]) -> bool:
    return user.role == "supervisor" or row.assignee_id in (None, user.id) or row.id in decided


def _has_code(row: Application) -> bool:
    return bool(db.session.get(InspectionRun, row.latest_run_id).findings)


MATCHES = {
    "status": lambda row, v, now: v == "all" or row.status == v,
    "province": lambda row, v, now: row.province == v,
    "severity": lambda row, v, now: row.highest_severity == v,
    "code": lambda row, v, now: _has_code(row),
    "assignee": lambda row, v, now: row.assignee_id is None,
    "due": lambda row, v, now: row.due_at < now,
}
KEYS = {"due": lambda r: (r.due_at, r.id), "risk": lambda r: (-r.risk_score, r.due_at, r.id)}


def expected(rows, args: dict, user) -> list[str]:
    """The queue's rows for these query arguments, filtered and sorted here in Python."""
    now, decided = utcnow(), {d.application_id for d in db.session.execute(
        db.select(Decision).filter_by(decided_by_id=user.id)).scalars()}
    wanted = {"status": "awaiting_review", **args}
    kept = [r for r in rows if _visible(r, user, decided) and all(
        MATCHES[name](r, value, now) for name, value in wanted.items() if name in MATCHES)]
    return [r.id for r in sorted(kept, key=KEYS[args.get("sort", "due")])]


def _ids(body: str) -> list[str]:
    return re.findall(r'href="/applications/([0-9a-f]{32})"', body)


def _next(body: str) -> str:
    found = re.search(r'href="(/queue\?[^"]*)" rel="next"', body)
    return found.group(1).replace("&amp;", "&") if found else ""


def pages_by_number(client, query: str) -> list[list[str]]:
    pages, number = [], 1
    while True:
        body = client.get(f"/queue?{query}&page={number}").get_data(as_text=True)
        pages.append(_ids(body))
        if not _next(body):
            return pages
        number += 1


def pages_by_next_link(client, query: str) -> list[list[str]]:
    pages, url = [], f"/queue?{query}"
    while url:
        body = client.get(url).get_data(as_text=True)
        pages.append(_ids(body))
        url = _next(body)
        kept = dict(parse_qsl(urlsplit(url).query))
        assert not url or all(kept.get(k, "awaiting_review") == v
                              for k, v in parse_qsl(query)), url  # the filters survive
    return pages


QUERIES = [
    {"status": "all"}, {"status": "all", "sort": "risk"}, {},
    {"sort": "risk", "province": "广东省"}, {"status": "all", "severity": "block"},
    {"status": "all", "code": "ID_NAME_MISMATCH", "sort": "risk"},
    {"status": "all", "assignee": "none", "due": "overdue"},
]


@pytest.mark.parametrize("username", ["reviewer", "supervisor"])
def test_every_page_by_number_and_by_next_link_lists_each_row_once_in_order(
        client, login, users, crowd, monkeypatch, username):
    monkeypatch.setattr(queue_module, "PER_PAGE", PER_PAGE)
    login(username)
    for args in QUERIES:
        query = "&".join(f"{k}={v}" for k, v in args.items()) or "status=awaiting_review"
        want = expected(crowd, args, users[username])
        by_number, by_link = pages_by_number(client, query), pages_by_next_link(client, query)
        assert [i for page in by_number for i in page] == want, args
        assert by_link == by_number, args
        assert all(len(page) == PER_PAGE for page in by_number[:-1]), args
        assert len(want) > PER_PAGE or args.get("due"), f"too few rows to page: {args}"


def test_ties_are_ordered_by_id_whatever_the_sort(client, login, users, crowd):
    login("supervisor")
    for sort in ("due", "risk"):
        listed = _ids(client.get(f"/queue?status=all&sort={sort}").get_data(as_text=True))
        rows = {r.id: r for r in crowd}
        keys = [KEYS[sort](rows[i]) for i in listed]
        assert keys == sorted(keys) and len(set(k[:-1] for k in keys)) < len(keys), sort


def test_a_page_past_the_end_is_empty_and_offers_no_next(client, login, users, crowd):
    login("supervisor")
    body = client.get("/queue?status=all&page=40").get_data(as_text=True)
    assert _ids(body) == [] and not _next(body) and "没有符合条件的申请" in body


@pytest.mark.parametrize("username", ["reviewer", "supervisor"])
def test_header_counts_match_the_rows(users, crowd, username):
    user, now = users[username], utcnow()
    for args in ({}, {"province": "广东省"}, {"severity": "warn", "assignee": "none"}):
        counts = header_counts(QueueFilters.from_args(args), user, now)
        for status in COUNTED:
            ids = set(expected(crowd, {**args, "status": status}, user))
            rows = [r for r in crowd if r.id in ids]
            got = counts.get(status)
            shown = (got.total, got.overdue, got.soon) if got else (0, 0, 0)
            assert shown == (len(rows), sum(r.due_at < now for r in rows),
                             sum(now <= r.due_at < now + AMBER for r in rows)), (args, status)
        assert sum(c.total for c in counts.values()) > 0, args


def test_the_page_ids_come_from_columns_the_queue_indexes_carry(users):
    """Every applications column the page-id query reads is a key or an included column
    of the queue indexes: PostgreSQL can answer it by an index-only scan."""
    filters = QueueFilters.from_args({
        "status": "all", "province": "广东省", "filing_type": "access", "severity": "block",
        "code": "ID_NAME_MISMATCH", "assignee": "none", "due": "soon", "sort": "risk"})
    for user in (users["reviewer"], users["supervisor"]):
        statement = page_ids(filters, user, utcnow()).element
        read = {node.key for node in visitors.iterate(statement)
                if isinstance(node, Column) and node.table is Application.__table__}
        assert "filing_type" in read and "assignee_id" in read
        assert read <= {"status", "risk_score", "due_at", "id", *QUEUE_COVERED}, read
