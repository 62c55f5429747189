"""Keyset paging of the queue: "next page" continues after the last row shown.

Page N by OFFSET reads and throws away (N-1) pages of rows; continuing from the
last row's sort key reads one page whatever N is. The cursor is the last row's
key in the page's order, as base64url JSON, checked strictly when it comes back.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re

from sqlalchemy import and_, or_

from models import Application

# Each sort: its key columns with their direction; the last column makes the key unique.
KEYS = {
    "due": ((Application.due_at, "asc"), (Application.id, "asc")),
    "risk": ((Application.risk_score, "desc"), (Application.due_at, "asc"),
             (Application.id, "asc")),
    "received": ((Application.received_at, "desc"), (Application.id, "asc")),
}
ID = re.compile(r"^[0-9a-f]{1,32}$")
MAX_CURSOR = 300


class BadCursor(ValueError):
    pass


def order_by(sort: str) -> list:
    return [column.asc() if way == "asc" else column.desc() for column, way in KEYS[sort]]


def cursor_of(application: Application, sort: str) -> str:
    values = []
    for column, _ in KEYS[sort]:
        value = getattr(application, column.key)
        values.append(value.astimezone(dt.timezone.utc).isoformat()
                      if isinstance(value, dt.datetime) else value)
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _value(column, value):
    if column.key == "id":
        if not isinstance(value, str) or not ID.match(value):
            raise BadCursor("id")
        return value
    if column.key == "risk_score":
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**31:
            raise BadCursor("risk")
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise BadCursor("time")
        return moment.astimezone(dt.timezone.utc)  # the database compares in UTC
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: year 1 at +05:00
        raise BadCursor("time") from exc


def decode(token: str, sort: str) -> list:
    """The key values in a cursor made for `sort`; BadCursor for anything else."""
    if len(token) > MAX_CURSOR or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise BadCursor("format")
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("format") from exc
    columns = KEYS[sort]
    if not isinstance(values, list) or len(values) != len(columns):
        raise BadCursor("shape")
    return [_value(column, value) for (column, _), value in zip(columns, values)]


def after(sort: str, values: list):
    """Rows strictly after `values` in the order of `sort`. The first column's bound is
    also given on its own, so that an index on it starts the scan there."""
    columns = KEYS[sort]
    first, way = columns[0]
    bound = first >= values[0] if way == "asc" else first <= values[0]

    def beyond(index: int):
        column, way = columns[index]
        past = column > values[index] if way == "asc" else column < values[index]
        if index == len(columns) - 1:
            return past
        return or_(past, and_(column == values[index], beyond(index + 1)))

    return and_(bound, beyond(0))
