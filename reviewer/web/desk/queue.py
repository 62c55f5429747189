"""The review queue: filters from the query string, the page query, the header counts.

Every filter is checked against a closed set of values before it reaches SQL, and
every one reads a column that the queue indexes carry (see `models.application`:
one per sort, with and without a status in front, the filtered columns included)
or an EXISTS on findings(run_id, code) through `applications.latest_run_id`.
A page is a deferred join: its ids first, from the index alone, then those rows.
"Next page" continues after the last row shown (keyset, `after`); a page number
alone (a bookmark, "previous") falls back to OFFSET, which then skips index
entries, not rows. One row more than a page is read to know whether a next page
exists. The header counts read the same indexes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Mapping

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.orm import defer, joinedload

from models import Application, FindingRow, MailRequest, User, Website, db
from models.status import OPEN_STATUSES, Status
from pipeline.findings import CATALOGUE
from pipeline.form import PROVINCES
from pipeline.labels import FILING_TYPE_LABELS
from reviewer.web.desk import keyset
from reviewer.web.desk.access import visible_clause

PER_PAGE = 50
MAX_PAGE = 5000
AMBER = dt.timedelta(hours=4)  # 初审 due within 4 h: amber; past due: red
DEFAULT_STATUS = Status.AWAITING_REVIEW.value
STATUSES = tuple(s.value for s in Status)
SEVERITIES = ("block", "warn", "info", "none")
DUE_WINDOWS = {"overdue": "已超时", "soon": "4 小时内到期", "later": "4 小时后到期"}
SORTS = {"due": "初审到期时间", "risk": "风险分", "received": "最新收到"}
COUNTED = tuple(s.value for s in OPEN_STATUSES)
MAX_SEARCH = 100
TOP_FINDINGS = 3  # finding names a queue row shows


class BadFilter(ValueError):
    """A query-string value outside its closed set; the message names the parameter."""

    def __init__(self, name: str, value: str):
        super().__init__(f"筛选条件 {name} 的取值无效")
        self.name, self.value = name, value


@dataclass(frozen=True)
class QueueFilters:
    status: str = DEFAULT_STATUS  # "all": every status
    province: str = ""
    filing_type: str = ""
    severity: str = ""
    code: str = ""
    assignee: str = ""  # "me" | "none" | a user id
    due: str = ""
    sort: str = "due"
    page: int = 1
    after: str = ""  # keyset cursor: continue after this row (see keyset.py)
    q: str = ""  # search: external id, subject name, domain, mail tracking number

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "QueueFilters":
        values = {name: str(args.get(name) or "").strip() for name in (
            "status", "province", "filing_type", "severity", "code", "assignee", "due", "sort",
            "q")}
        if len(values["q"]) > MAX_SEARCH:
            raise BadFilter("q", values["q"])
        _check(values, "status", (*STATUSES, "all"))
        _check(values, "province", PROVINCES)
        _check(values, "filing_type", tuple(FILING_TYPE_LABELS))
        _check(values, "severity", SEVERITIES)
        _check(values, "code", tuple(CATALOGUE))
        _check(values, "due", tuple(DUE_WINDOWS))
        _check(values, "sort", tuple(SORTS))
        assignee = values["assignee"]
        if assignee and assignee not in ("me", "none") and not (
                assignee.isdigit() and len(assignee) < 10):
            raise BadFilter("assignee", assignee)
        page = str(args.get("page") or "1")
        if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
            raise BadFilter("page", page)
        cursor = str(args.get("after") or "")
        if cursor:
            try:
                keyset.decode(cursor, values["sort"] or "due")
            except keyset.BadCursor as exc:
                raise BadFilter("after", cursor) from exc
        values = {k: v for k, v in values.items() if v}
        return cls(**values, page=int(page), after=cursor)

    def to_args(self, **changes) -> dict[str, str | int]:
        """The query string of these filters (defaults left out), for links and paging.
        A cursor is carried only where it is given: any other link starts afresh."""
        changes.setdefault("after", "")
        if not changes.keys() <= set(_FIELDS):
            raise TypeError(f"not a queue filter: {sorted(changes.keys() - set(_FIELDS))}")
        merged = {name: changes.get(name, getattr(self, name)) for name in _FIELDS}
        return {k: v for k, v in merged.items() if v != _DEFAULTS[k] and v != ""}

    @property
    def active(self) -> bool:
        return bool(self.to_args(page=1, sort="due"))


# Shallow on purpose: `dataclasses.asdict` deep-copies, and a page builds ~15 links.
_FIELDS = tuple(f.name for f in fields(QueueFilters))
_DEFAULTS = {name: getattr(QueueFilters(), name) for name in _FIELDS}


def _check(values: dict[str, str], name: str, allowed: tuple[str, ...]) -> None:
    if values[name] and values[name] not in allowed:
        raise BadFilter(name, values[name])


def conditions(filters: QueueFilters, user: User, now: dt.datetime, *, with_status: bool):
    out = []
    if with_status and filters.status != "all":
        out.append(Application.status == filters.status)
    if filters.province:
        out.append(Application.province == filters.province)
    if filters.filing_type:
        out.append(Application.filing_type == filters.filing_type)
    if filters.severity == "none":
        out.append(Application.highest_severity.is_(None))
    elif filters.severity:
        out.append(Application.highest_severity == filters.severity)
    if filters.code:
        out.append(exists().where(FindingRow.run_id == Application.latest_run_id,
                                  FindingRow.code == filters.code))
    if filters.q:
        out.append(search_condition(filters.q))
    out.extend(_assignee_conditions(filters.assignee, user))
    out.extend(_due_conditions(filters.due, now))
    visible = visible_clause(user)
    if visible is not None:
        out.append(visible)
    return out


def search_condition(words: str):
    """An external id or a mail tracking number exactly, a domain (or its start), or a
    part of the subject's name."""
    return or_(Application.external_id == words,
               Application.subject_name.contains(words, autoescape=True),
               exists().where(Website.application_id == Application.id,
                              Website.domain.startswith(words.lower(), autoescape=True)),
               exists().where(MailRequest.application_id == Application.id,
                              MailRequest.tracking_number == words))


def top_findings(rows: list[Application]) -> dict[str, list[str]]:
    """Application id -> the titles of its worst findings (block first), for queue rows."""
    runs = {a.latest_run_id: a.id for a in rows if a.latest_run_id}
    if not runs:
        return {}
    found = db.session.execute(select(FindingRow.run_id, FindingRow.code, FindingRow.severity)
                               .where(FindingRow.run_id.in_(runs))).all()
    rank = {"block": 0, "warn": 1, "info": 2}
    names: dict[str, list[str]] = {}
    for run_id, code, _ in sorted(found, key=lambda f: (rank.get(f.severity, 3), f.code)):
        titles = names.setdefault(runs[run_id], [])
        title = CATALOGUE[code].title if code in CATALOGUE else code
        if title not in titles and len(titles) < TOP_FINDINGS:
            titles.append(title)
    return names


def _assignee_conditions(assignee: str, user: User):
    if assignee == "me":
        return [Application.assignee_id == user.id]
    if assignee == "none":
        return [Application.assignee_id.is_(None)]
    return [Application.assignee_id == int(assignee)] if assignee else []


def _due_conditions(due: str, now: dt.datetime):
    if due == "overdue":
        return [Application.due_at < now]
    if due == "soon":
        return [Application.due_at >= now, Application.due_at < now + AMBER]
    if due == "later":
        return [Application.due_at >= now + AMBER]
    return []


def ordering(sort: str):
    return keyset.order_by(sort)


def without_jit() -> None:
    """PostgreSQL's JIT compiles these counts and scans for ~250 ms, more than they take
    to run; switched off for this transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def filtered(filters: QueueFilters, user: User, now: dt.datetime):
    """SELECT of the applications these filters show, in their order (no paging)."""
    return select(Application).where(
        *conditions(filters, user, now, with_status=True)).order_by(*ordering(filters.sort))


@dataclass
class QueuePage:
    rows: list[Application]
    has_next: bool
    filters: QueueFilters
    next_cursor: str = ""


def page_ids(filters: QueueFilters, user: User, now: dt.datetime):
    """The ids of the page's rows (and one more), as a subquery. It reads only columns
    that the queue indexes carry, so skipping 500 pages by OFFSET walks index entries
    (an index-only scan), never the rows themselves."""
    query = select(Application.id).where(
        *conditions(filters, user, now, with_status=True)).order_by(
        *ordering(filters.sort)).limit(PER_PAGE + 1)
    if filters.after:
        query = query.where(keyset.after(filters.sort, keyset.decode(filters.after,
                                                                     filters.sort)))
    else:
        query = query.offset((filters.page - 1) * PER_PAGE)
    return query.subquery("page_ids")


def queue_page(filters: QueueFilters, user: User, now: dt.datetime) -> QueuePage:
    """A deferred join: the page's ids first, then those rows (and their assignees)."""
    without_jit()
    ids = page_ids(filters, user, now)
    query = select(Application).join(ids, ids.c.id == Application.id).options(
        defer(Application.form), joinedload(Application.assignee)).order_by(
        *ordering(filters.sort))
    rows = list(db.session.execute(query).scalars().unique())
    has_next = len(rows) > PER_PAGE
    cursor = keyset.cursor_of(rows[PER_PAGE - 1], filters.sort) if has_next else ""
    return QueuePage(rows[:PER_PAGE], has_next, filters, cursor)


@dataclass
class StatusCount:
    status: str
    total: int
    overdue: int
    soon: int


def header_counts(filters: QueueFilters, user: User, now: dt.datetime) -> dict[str, StatusCount]:
    """Per open status under the other filters, with overdue and amber counts: one grouped
    COUNT. Closed statuses (the archive, which only grows) are not counted: the header
    is about work waiting, and its cost stays with the open cases."""
    overdue = func.count().filter(Application.due_at < now)
    soon = func.count().filter(and_(Application.due_at >= now, Application.due_at < now + AMBER))
    without_jit()
    query = select(Application.status, func.count(), overdue, soon).where(
        Application.status.in_(COUNTED),
        *conditions(filters, user, now, with_status=False)).group_by(Application.status)
    return {status: StatusCount(status, total, late, near)
            for status, total, late, near in db.session.execute(query)}


def aging(application: Application, now: dt.datetime) -> str:
    """normal | amber | overdue, for open applications; '' for closed ones."""
    if application.status not in (Status.SUBMITTED, Status.INSPECTING, Status.AWAITING_REVIEW,
                                  Status.MAIL_RECEIVED):
        return ""
    if application.due_at < now:
        return "overdue"
    return "amber" if application.due_at < now + AMBER else "normal"
