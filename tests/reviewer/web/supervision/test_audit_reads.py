"""The audit log reads: Chinese action names, display names, external ids, views folded
away on request, and a CSV export that is itself audited."""
from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from models import AuditEvent, db
from models.audit import record
from reviewer.services import runtime
from tests.reviewer.factories import make_application


def test_the_log_names_actions_people_and_applications(client, login, users):
    application = make_application(runtime.storage())
    record("decision.reject", actor="reviewer", actor_id=users["reviewer"].id,
           target_type="application", target_id=application.id, detail={"reasons": ["OTHER"]})
    record("material.view", actor="reviewer", actor_id=users["reviewer"].id,
           target_type="application", target_id=application.id, detail={})
    db.session.commit()
    db.session.execute(sa.update(sa.table("users", sa.column("id"), sa.column("display_name")))
                       .where(sa.column("id") == users["reviewer"].id)
                       .values(display_name="初审员小李"))
    db.session.commit()
    login("supervisor")
    body = client.get("/supervision/audit").get_data(as_text=True)
    row = re.search(r'<tr class="a-decision">(.*?)</tr>', body, re.S).group(1)
    assert "驳回" in row and "初审员小李" in row and application.external_id in row
    assert application.id[:12] not in re.sub(r'href="[^"]*"', "", row)
    folded = client.get("/supervision/audit?hide_views=1").get_data(as_text=True)
    assert "查看资料" in body and 'class="a-material"' not in folded
    assert 'class="a-decision"' in folded


def test_the_csv_export_is_audited(client, login, users):
    application = make_application(runtime.storage())
    record("decision.approve", actor="reviewer", actor_id=users["reviewer"].id,
           target_type="application", target_id=application.id, detail={})
    db.session.commit()
    login("supervisor")
    response = client.get("/supervision/audit.csv?action=decision.")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["编号", "时间", "人员", "操作"]
    assert rows[1][3:6] == ["初审通过", "decision.approve", application.external_id]
    exported = db.session.execute(sa.select(AuditEvent).filter_by(
        action="export.audit_csv")).scalar_one()
    assert exported.detail == {"filters": {"action": "decision."}, "rows": 1}


def test_the_verify_page_is_in_chinese(client, login, users):
    from reviewer.web.supervision.audit_labels import verify_message

    login("supervisor")
    body = client.get("/supervision/audit/verify").get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    assert "哈希链完整" in main and "chain intact" not in main and "events" not in main
    assert verify_message("event 7: its content was changed") == "第 7 条事件的内容被改动。"
