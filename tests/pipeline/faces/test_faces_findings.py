"""FACE_NOT_FOUND / FACE_MULTIPLE per material, and FACE_MISMATCH between materials."""
from __future__ import annotations

import copy
import random

import numpy as np
import pytest

from pipeline.analysis import FaceObservation, MaterialAnalysis
from pipeline.faces import FaceSettings, compare_faces, face_findings
from pipeline.findings import Severity
from pipeline.form import FilingForm
from samples import photos

LEADER = {
    "name": "王建国", "cert_type": "resident_id", "cert_number": "330106198503150016",
    "cert_valid_until": "2032-05-01", "mobile": "13800000000", "email": "wang@example.cn",
}
SITE_LEADER = {**LEADER, "name": "李娜", "cert_number": "330106199001010023"}
FORM = {
    "external_id": "ICP-2026-000123", "filing_type": "first_filing", "province": "浙江省",
    "submitted_at": "2026-11-20T10:00:00+08:00",
    "subject": {"nature": "enterprise", "cert_type": "business_license",
                "name": "杭州云帆信息技术有限公司", "cert_number": "91330106MA2H3K7Q5U",
                "cert_address": "浙江省杭州市西湖区文三路90号", "mail_address": "浙江省杭州市西湖区文三路90号",
                "leader": LEADER},
    "websites": [{"name": "云帆信息技术官网", "domain": "yunfan-tech.cn",
                  "content_type": "enterprise_portal", "service_type": "website", "leader": None}],
    "materials": [
        {"kind": "id_card_front", "person": "subject_leader", "file": "front.jpg"},
        {"kind": "face_photo", "person": "website_leader:0", "file": "face.jpg"},
    ],
}
SETTINGS = FaceSettings(match_threshold=0.6, grey_threshold=0.5)


def face(offset: float = 0.0, side: int = 120) -> FaceObservation:
    """A face whose encoding lies `offset` away from the reference encoding."""
    encoding = np.zeros(128)
    encoding[0] = offset
    return FaceObservation(box=[10, 10 + side, 10 + side, 10], encoding=encoding.tolist())


def analysis(file: str, kind: str, faces: list[FaceObservation]) -> MaterialAnalysis:
    return MaterialAnalysis(file=file, kind=kind, faces=faces)


def application(**changes) -> FilingForm:
    data = copy.deepcopy(FORM)
    data.update(changes)
    return FilingForm.model_validate(data)


def test_no_face_in_a_photo_or_on_the_card_is_reported():
    for kind in ("face_photo", "curtain_photo", "id_card_front", "handheld_id_photo"):
        findings = face_findings(kind, [], material="x.jpg")
        assert [f.code for f in findings] == ["FACE_NOT_FOUND"]
        assert findings[0].material == "x.jpg"


def test_two_people_in_a_verification_photo_are_reported():
    findings = face_findings("face_photo", [face(), face()], material="face.jpg")
    assert [f.code for f in findings] == ["FACE_MULTIPLE"]
    assert findings[0].evidence["faces_found"] == 2


def test_a_handheld_photo_may_show_the_card_portrait_too():
    assert face_findings("handheld_id_photo", [face(), face(side=40)], material="h.jpg") == []
    three = face_findings("handheld_id_photo", [face(), face(), face()], material="h.jpg")
    assert [f.code for f in three] == ["FACE_MULTIPLE"]


def test_materials_without_faces_are_not_checked():
    assert face_findings("business_license", [], material="l.jpg") == []
    assert face_findings("id_card_back", [], material="b.jpg") == []


def test_group_photo_gives_face_multiple(matcher):
    image = photos.group_photo(random.Random(3))
    found = matcher.observe(np.ascontiguousarray(image[..., ::-1]))
    assert [f.code for f in face_findings("face_photo", found, material="g.jpg")] == ["FACE_MULTIPLE"]


@pytest.mark.parametrize("offset, severity, match", [
    (0.3, None, True), (0.55, Severity.WARN, False), (0.8, Severity.BLOCK, False)])
def test_distance_bands(offset, severity, match):
    analyses = [analysis("front.jpg", "id_card_front", [face()]),
                analysis("face.jpg", "face_photo", [face(offset)])]
    rows, findings = compare_faces(application(), analyses, SETTINGS)
    assert len(rows) == 1
    assert rows[0].reference == "front.jpg"
    assert rows[0].distance == pytest.approx(offset)
    assert rows[0].match is match
    assert [f.severity for f in findings] == ([severity] if severity else [])
    if findings:
        assert findings[0].code == "FACE_MISMATCH" and findings[0].material == "face.jpg"


def test_website_leader_with_own_details_needs_own_card():
    websites = copy.deepcopy(FORM["websites"])
    websites[0]["leader"] = SITE_LEADER
    materials = FORM["materials"] + [
        {"kind": "id_card_front", "person": "website_leader:0", "file": "site_front.jpg"}]
    analyses = [analysis("front.jpg", "id_card_front", [face(0.9)]),
                analysis("site_front.jpg", "id_card_front", [face(0.1)]),
                analysis("face.jpg", "face_photo", [face()])]
    rows, findings = compare_faces(application(websites=websites, materials=materials),
                                   analyses, SETTINGS)
    assert rows[0].reference == "site_front.jpg"
    assert findings == []


def test_missing_reference_or_face_gives_a_row_without_distance():
    only_photo = [analysis("face.jpg", "face_photo", [face()])]
    rows, findings = compare_faces(application(), only_photo, SETTINGS)
    assert (rows[0].reference, rows[0].distance, rows[0].match) == (None, None, None)
    no_portrait = [analysis("front.jpg", "id_card_front", []),
                   analysis("face.jpg", "face_photo", [face()])]
    rows, findings = compare_faces(application(), no_portrait, SETTINGS)
    assert rows[0].reference == "front.jpg" and rows[0].distance is None and findings == []


def test_largest_face_of_a_handheld_photo_is_the_person():
    materials = FORM["materials"] + [
        {"kind": "handheld_id_photo", "person": "subject_leader", "file": "hand.jpg"}]
    analyses = [analysis("front.jpg", "id_card_front", [face()]),
                analysis("face.jpg", "face_photo", [face(0.1)]),
                analysis("hand.jpg", "handheld_id_photo", [face(0.2, side=200), face(0.9, side=50)])]
    rows, findings = compare_faces(application(materials=materials), analyses, SETTINGS)
    hand = next(r for r in rows if r.material == "hand.jpg")
    assert hand.distance == pytest.approx(0.2) and hand.faces_found == 2 and findings == []
