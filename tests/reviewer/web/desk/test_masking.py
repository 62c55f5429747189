"""Personal data: masked on pages and in exports, revealed one value at a time (audited),
files served only through the audited route as metadata-free JPEGs."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from models import AuditEvent, Material, db
from reviewer.services import runtime
from reviewer.services.masking import mask_field, mask_id_number, mask_phone, mask_text
from tests.pipeline.test_pdf import FAKE_PDF, scanned_pdf
from tests.reviewer.factories import LEADER_ID, LEADER_MOBILE, make_application, post

EMERGENCY = "13900000000"


def audit(action: str) -> list[AuditEvent]:
    return db.session.execute(sa.select(AuditEvent).filter_by(action=action)
                              .order_by(AuditEvent.id)).scalars().all()


def test_the_masks():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13800000000") == "138****0000"
    assert mask_phone("086-0571-88888888") == "086-0571-****8888"
    assert mask_text("座机 0571-88888888-123，") == "座机 0571-****8888-123，"
    assert mask_text("号码 11010519491231002X 与 13800000000 不符") == \
        "号码 110105********002X 与 138****0000 不符"
    assert mask_text("信用代码 91330106MA2H3K7Q5U，订单 ICP-2026-000123") == \
        "信用代码 91330106MA2H3K7Q5U，订单 ICP-2026-000123"
    assert mask_field("subject.cert_number", "91330106MA2H3K7Q5U",
                      cert_type="business_license") == "91330106MA2H3K7Q5U"
    assert mask_field("subject.cert_number", LEADER_ID, cert_type="resident_id") == \
        "330106********0016"
    # an all-digit credit code is no ID number; an ID number with a misread check digit is
    assert mask_field("subject.cert_number", "911409818151884467",
                      cert_type="business_license") == "911409818151884467"
    assert mask_text("代码 911409818151884467") == "代码 911409818151884467"
    assert mask_text("号码 110105194912310021") == "号码 110105********0021"


@pytest.fixture
def page(app, client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    return application, client.get(f"/applications/{application.id}").get_data(as_text=True)


def test_the_application_page_shows_no_full_id_number_or_phone(page):
    _, body = page
    for secret in (LEADER_ID, LEADER_MOBILE, EMERGENCY, "086-0571-88888888"):
        assert secret not in body, secret
    assert "330106********0016" in body and "138****0000" in body


def test_reveal_shows_one_value_and_is_audited(client, page, users):
    application, _ = page
    response = post(client, f"/applications/{application.id}/reveal",
                    {"field": "subject.leader.mobile"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.get_json() == {"field": "subject.leader.mobile",
                                   "texts": {"value": LEADER_MOBILE}}
    [event] = audit("pii.reveal")
    assert event.actor_id == users["reviewer"].id and event.target_id == application.id
    assert event.detail == {"field": "subject.leader.mobile"}


def test_reveal_without_script_renders_the_page_with_that_value_only(client, page):
    application, _ = page
    body = post(client, f"/applications/{application.id}/reveal",
                {"field": "subject.leader.cert_number"}).get_data(as_text=True)
    assert LEADER_ID in body and LEADER_MOBILE not in body
    again = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert LEADER_ID not in again  # for that page view only


def test_reveal_of_extracted_and_finding_texts(client, page):
    application, _ = page
    run = application.latest_run
    id_row = next(r for r in run.extracted if r.field == "id_number")
    url = f"/applications/{application.id}/reveal"
    texts = post(client, url, {"field": f"extracted:{id_row.id}"},
                 headers={"Accept": "application/json"}).get_json()["texts"]
    assert texts["value"] == LEADER_ID
    contact = next(f for f in run.findings if f.code == "CONTACT_INVALID")
    texts = post(client, url, {"field": f"finding:{contact.id}"},
                 headers={"Accept": "application/json"}).get_json()["texts"]
    assert texts["observed"] == EMERGENCY
    assert len(audit("pii.reveal")) == 2


def test_reveal_refuses_keys_that_are_not_personal_or_not_this_application(client, page, users):
    application, _ = page
    other = make_application(runtime.storage())
    foreign = next(r for r in other.latest_run.extracted if r.field == "id_number")
    for key in ("subject.name", "subject.leader.email", f"extracted:{foreign.id}",
                "../../etc/passwd", "subject.leader.mobile' OR 1=1"):
        response = post(client, f"/applications/{application.id}/reveal", {"field": key},
                        headers={"Accept": "application/json"})
        assert response.status_code == 404, key
    assert audit("pii.reveal") == []


def test_material_view_is_audited_and_carries_no_metadata(app, client, page, users):
    application, _ = page
    material = application.materials[1]
    response = client.get(f"/materials/{material.id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "JPEG" and not image.getexif()
    [event] = audit("material.view")
    assert event.target_id == application.id and event.detail["material"] == material.id
    assert not [p for p in Path(app.static_folder).rglob("*") if p.suffix in (".jpg", ".png")]


def _stored_pdf(application, data: bytes) -> Material:
    material = Material(application_id=application.id, kind="verification_form",
                        original_name="form.pdf", sha256=runtime.storage().put(data),
                        mime="application/pdf", size_bytes=len(data), pages=2)
    db.session.add(material)
    db.session.commit()
    return material


def test_a_pdf_is_shown_as_its_rendered_page_and_downloads_only_as_an_attachment(client, page):
    application, _ = page
    pdf = scanned_pdf(2)
    material = _stored_pdf(application, pdf)
    shown = client.get(f"/materials/{material.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(shown.data)).format == "JPEG" and b"%PDF" not in shown.data
    original = client.get(f"/materials/{material.id}/original")
    assert original.data == pdf
    assert original.mimetype == "application/octet-stream"
    assert original.headers["Content-Disposition"] == \
        f'attachment; filename="material-{material.id}.pdf"'
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert [e.detail["material"] for e in audit("material.download")] == [material.id]
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert f"/materials/{material.id}/original" in body and "PDF 共 2 页" in body


def test_a_pdf_that_cannot_be_rendered_is_a_clear_refusal_not_a_500(client, page):
    application, _ = page
    material = _stored_pdf(application, FAKE_PDF)
    response = client.get(f"/materials/{material.id}")
    assert response.status_code == 422 and "无法显示" in response.get_data(as_text=True)


def test_csv_export_masks_and_is_audited(client, login, users):
    make_application(runtime.storage(), subject_name="=HYPERLINK(\"http://x\")",
                     form_changes={"subject.nature": "individual",
                                   "subject.cert_type": "resident_id",
                                   "subject.cert_number": LEADER_ID})
    login("supervisor")
    response = client.get("/supervision/export.csv?status=all&sort=risk")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert LEADER_ID not in text and LEADER_MOBILE not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "订单号" and len(rows) == 2
    assert rows[1][1].startswith("'=")  # a formula is defused
    assert rows[1][2] == "330106********0016" and rows[1][13] == "138****0000"
    assert rows[1][7].endswith("+08:00") and rows[1][8].endswith("+08:00")  # as pages show
    [event] = audit("export.csv")
    assert event.detail["filters"] == {"status": "all", "sort": "risk"}
    client.get("/supervision/export.csv")  # the default filter is recorded as applied
    assert audit("export.csv")[-1].detail["filters"] == {"status": "awaiting_review",
                                                         "sort": "due"}


def test_disputed_numbers_keep_their_differing_characters_visible():
    from pipeline.documents.numbers import id_check_char
    from reviewer.services.masking import disputed_masks

    one, two = (body + id_check_char(body) for body in ("43312719900101178",
                                                           "43312719910101178"))
    shown = disputed_masks(one, two)
    assert shown == {one: "433127***0****" + one[-4:], two: "433127***1****" + two[-4:]}
    assert mask_text(f"应为 {one}，实际 {two}", shown) == \
        f"应为 {shown[one]}，实际 {shown[two]}"
    assert disputed_masks("13800001234", "13800004321") == {
        "13800001234": "138****1234", "13800004321": "138****4321"}
    assert disputed_masks("13800001234", "13800001234") == {}


def test_a_finding_on_two_id_numbers_shows_where_they_differ(client, login, users):
    from pipeline.documents.numbers import id_check_char

    observed = LEADER_ID[:9] + "9" + LEADER_ID[10:17]
    observed += id_check_char(observed)
    finding = {"code": "ID_NUMBER_MISMATCH", "severity": "block", "material": "leader_front.jpg",
               "field": "id_number", "expected": LEADER_ID, "observed": observed,
               "message": f"身份证号码 {observed} 与填写的 {LEADER_ID} 不一致。", "evidence": {}}
    application = make_application(runtime.storage(), findings=[finding])
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert LEADER_ID not in body and observed not in body
    assert f"330106***{LEADER_ID[9]}****{LEADER_ID[-4:]}" in body
    assert f"330106***9****{observed[-4:]}" in body


def test_an_id_card_image_hides_its_number_until_revealed(client, page, users):
    application, body = page
    card = next(m for m in application.materials if m.original_name == "leader_front.jpg")
    assert "查看原图" in body
    masked = Image.open(io.BytesIO(client.get(f"/materials/{card.id}").data)).convert("RGB")
    assert not audit("pii.reveal")
    full = Image.open(io.BytesIO(client.get(f"/materials/{card.id}?full=1").data)).convert("RGB")
    assert max(abs(a - b) for a, b in zip(masked.getpixel((260, 255)),
                                          full.getpixel((260, 255)))) > 40
    [event] = audit("pii.reveal")
    assert event.detail == {"field": f"material:{card.id}", "kind": "id_card_front"}
