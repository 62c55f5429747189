"""The application page: comparison, boxes over the images, faces, findings, timeline, notes."""
from __future__ import annotations

import re

import sqlalchemy as sa

from models import Application, AuditEvent, Material, Note, db, utcnow
from reviewer.services import runtime
from tests.reviewer.factories import NAME_BOX, image_bytes, make_application, post


def page_of(client, application: Application) -> str:
    response = client.get(f"/applications/{application.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_of(body: str, label: str) -> str:
    start = body.rindex("<tr", 0, body.index(f"<th>{label}"))
    return body[start:body.index("</tr>", start)]


def test_mismatches_are_highlighted_with_the_ocr_reading_and_confidence(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    body = page_of(client, application)
    name_row = row_of(body, "姓名/名称")
    assert 'class="mismatch block"' in name_row
    assert "王建国" in name_row and "王健国" in name_row  # form and card side by side
    assert "姓名王健国" in name_row and "0.91" in name_row  # OCR text and its confidence
    legal_rep = row_of(body, "法定代表人")
    assert 'class="mismatch warn"' in legal_rep and "李明" in legal_rep
    emergency = row_of(body, "应急联系电话")
    assert 'class="mismatch block"' in emergency  # a form-level finding on that field


def test_boxes_are_drawn_over_the_images(client, login, users):
    application = make_application(runtime.storage())
    finding = next(f for f in application.latest_run.findings if f.code == "ID_NAME_MISMATCH")
    login("reviewer")
    body = page_of(client, application)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in NAME_BOX)
    assert re.search(rf'<polygon points="{points}" class="finding block" '
                     rf'data-finding="{finding.id}">', body)
    assert body.count('class="ocr"') == 3 * len(application.materials)  # stored OCR lines
    assert 'class="field"' in body and 'class="face"' in body
    assert 'viewBox="0 0 480 300"' in body  # the overlay scales with the served image
    assert finding.material.original_name == "leader_front.jpg"
    assert f'data-finding="{finding.id}" data-material="{finding.material_id}"' in body
    assert f'id="mat-{finding.material_id}" data-name="leader_front.jpg"' in body


def test_boxes_stay_with_the_file_they_were_found_on_not_a_newer_one_of_its_name(
        client, login, users):
    """Rows refer to a material by id: a second version of leader_front.jpg (shown in the
    viewer as the current one) gets none of the boxes the run found on the first."""
    application = make_application(runtime.storage())
    first = next(m for m in application.materials if m.original_name == "leader_front.jpg")
    data = image_bytes((10, 20, 30), label="v2")
    second = Material(kind=first.kind, person=first.person, original_name=first.original_name,
                      version=2, sha256=runtime.storage().put(data), mime="image/jpeg",
                      size_bytes=len(data), width=480, height=300)
    application.materials.append(second)
    db.session.commit()
    finding = next(f for f in application.latest_run.findings if f.code == "ID_NAME_MISMATCH")
    login("reviewer")
    body = page_of(client, application)
    assert f'id="mat-{first.id}"' not in body  # the viewer shows the newest version
    shown = body[body.index(f'id="mat-{second.id}"'):]
    shown = shown[:shown.index("</figure>")]
    assert "第 2 版" in shown and 'class="field"' not in shown
    assert f'data-finding="{finding.id}"' not in shown and "项问题" not in shown
    assert f'data-finding="{finding.id}" data-material="{first.id}"' in body


def test_faces_are_compared_with_crops_distance_and_threshold(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    body = page_of(client, application)
    faces = body[body.index('id="faces"'):]
    assert faces.count('<svg viewBox="') == 2  # the photo's face and the ID card's
    assert "0.410" in faces and "0.600" in faces and "同一人" in faces
    face = next(m for m in application.materials if m.original_name == "face.jpg")
    assert f'href="/materials/{face.id}"' in faces


def test_findings_are_grouped_by_severity_with_their_explanation(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    body = page_of(client, application)
    block, warn = body.index('class="fgroup block"'), body.index('class="fgroup warn"')
    assert block < warn
    assert "身份证姓名与填写信息不一致" in body[block:warn]  # the catalogue title
    assert "请核对后重新填写或上传" in body[block:warn]  # the finding's own message
    assert "营业执照法定代表人为" in body[warn:]


def test_notes_stay_internal_and_the_timeline_tells_the_story(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    post(client, f"/applications/{application.id}/notes", {"body": "已电话联系申请人"})
    note = db.session.execute(sa.select(Note)).scalar_one()
    assert note.author_id == users["reviewer"].id
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="note.add")).scalar_one()
    assert event.detail == {"note": note.id, "length": len(note.body)}  # no text in the log
    post(client, f"/applications/{application.id}/decision",
         {"kind": "reject", "reasons": "ID_NAME_MISMATCH", "then": "stay",
          "note": "内部：疑似冒用"})
    body = page_of(client, application)
    timeline = body[body.index('class="timeline"'):]
    assert timeline.index("内部备注") < timeline.index("驳回")
    assert "已电话联系申请人" in timeline
    decision = body[body.index('id="decisions"'):]
    assert "内部：疑似冒用" in decision and "给申请人" in decision
    assert post(client, f"/applications/{application.id}/notes", {"body": " "}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Note)) == 1


def test_a_page_without_a_finished_inspection_and_a_purged_file(client, login, users):
    application = make_application(runtime.storage(), status="inspecting")
    application.latest_run_id = None
    application.materials[0].purged_at = utcnow()
    db.session.commit()
    login("supervisor")
    body = page_of(client, application)
    assert "尚未检查" in body and "已按保存期限删除" in body
    assert client.get(f"/materials/{application.materials[0].id}").status_code == 410


def test_the_mail_panel_suggests_the_kind_of_the_material_a_photocopy_was_found_on(
        client, login, users):
    recaptured = {"code": "IMAGE_RECAPTURED", "severity": "block", "material": "license.jpg",
                  "field": None, "expected": None, "observed": None, "message": "翻拍。",
                  "evidence": {}}
    application = make_application(runtime.storage(), findings=[recaptured])
    login("reviewer")
    body = page_of(client, application)
    panel = body[body.index('id="panel-mail"'):]
    suggested = re.findall(r'name="mail_items" value="([a-z_]+)" checked', panel)
    assert suggested == ["business_license"]
    assert panel.count('class="amber">建议') == 1
