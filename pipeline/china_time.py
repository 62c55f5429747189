"""Beijing time (UTC+8 all year): the dates on forms, documents, pages and filters."""
from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8))


def day_start(day: dt.date) -> dt.datetime:
    """Midnight that begins `day` in Beijing."""
    return dt.datetime.combine(day, dt.time(), tzinfo=CHINA)


def china_today(now: dt.datetime) -> dt.date:
    """The Beijing date at the aware moment `now`."""
    return now.astimezone(CHINA).date()
