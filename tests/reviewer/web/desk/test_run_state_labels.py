"""Run states reach the screen as their Chinese labels (models/run_state.py), never raw."""
from __future__ import annotations

import re

from models import InspectionRun, db
from reviewer.services import runtime
from tests.reviewer.factories import make_application


def test_a_cancelled_latest_run_is_named_on_the_page_and_in_the_history(client, login, users):
    application = make_application(runtime.storage())
    cancelled = InspectionRun(application_id=application.id, pipeline_version="t",
                              state="cancelled", trigger="reprocess")
    db.session.add(cancelled)
    db.session.flush()
    application.latest_run_id = cancelled.id
    db.session.commit()
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert f"检查 #{cancelled.id} · 已取消 · vt" in body
    history = re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)</td>", body)
    assert sorted(history) == ["已取消", "已完成"]  # the factory's done run and this one

