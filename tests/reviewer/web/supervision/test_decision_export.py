"""The queue export carries each application's standing decision: kind, decider, reasons,
and whether it is an overturn."""
from __future__ import annotations

import csv
import io

from reviewer.services import runtime
from reviewer.services.decisions import Verdict, decide, overturn
from tests.reviewer.factories import make_application


def exported(client) -> dict[str, list[str]]:
    text = client.get("/supervision/export.csv?status=all").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-4:] == ["决定", "决定人", "原因", "改判"]
    return {row[0]: row[-4:] for row in rows[1:]}


def test_the_export_names_decision_decider_reasons_and_overturn(client, login, users):
    store = runtime.storage()
    rejected, overturned, waiting = (make_application(store) for _ in range(3))
    decide(rejected, users["reviewer"], Verdict(kind="reject", reasons=("ID_NAME_MISMATCH",)),
           expected_version=None)
    first = decide(overturned, users["reviewer"], Verdict(kind="reject", reasons=("OTHER",),
                                                          applicant_message="见说明"),
                   expected_version=None)
    overturn(first, users["supervisor"], reason="复核无误")
    login("admin")
    rows = exported(client)
    assert rows[rejected.external_id] == ["驳回", "reviewer", "身份证姓名与填写信息不一致", "否"]
    assert rows[overturned.external_id] == ["初审通过", "supervisor", "", "是"]
    assert rows[waiting.external_id] == ["", "", "", ""]
