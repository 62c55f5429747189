"""The pipeline health page counts runs under their labels (models/run_state.py)."""
from __future__ import annotations

import re

from reviewer.services import runtime
from tests.reviewer.factories import make_application


def test_the_health_page_counts_runs_under_their_labels(client, login, users):
    make_application(runtime.storage())
    login("supervisor")
    body = client.get("/supervision/health").get_data(as_text=True)
    assert re.search(r'<td>已完成</td><td class="num\s*" data-field="runs.done">1</td>', body)
    for label in ("排队中", "检查中", "汇总中", "失败", "已取消"):
        assert f"<td>{label}</td>" in body
