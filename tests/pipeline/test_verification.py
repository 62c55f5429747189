"""A photo problem blocks only when it stops verification (pipeline.verification)."""
from __future__ import annotations

from pipeline.analysis import ExtractedDocument, FaceObservation, MaterialAnalysis
from pipeline.compare import recommend
from pipeline.findings import Finding, Severity
from pipeline.verification import gate_quality

NUMBER_BOX = [[300, 400], [700, 400], [700, 430], [300, 430]]
NAME_BOX = [[120, 60], [260, 60], [260, 90], [120, 90]]


def _front(fields: dict[str, str], confidence: float = 0.97, faces: int = 1) -> MaterialAnalysis:
    doc = ExtractedDocument("id_card_front", fields=dict(fields),
                            confidence={k: confidence for k in fields},
                            boxes={"name": NAME_BOX, "id_number": NUMBER_BOX})
    return MaterialAnalysis(file="front.jpg", kind="id_card_front", extracted=doc,
                            faces=[FaceObservation([0, 1, 1, 0], [])] * faces)


READ = {"name": "王芳", "id_number": "11010519491231002X"}


def _glare(regions=None) -> Finding:
    evidence = {"check": "exposure", "rule": "glare"}
    if regions is not None:
        evidence["regions"] = regions
    return Finding("IMAGE_EXPOSURE", "证件上有反光，遮住了部分文字。", material="front.jpg",
                   evidence=evidence)


def test_glare_on_a_card_whose_fields_were_all_read_is_a_warning():
    findings = gate_quality([_glare([[500, 100, 800, 300]])], [_front(READ)])
    assert findings[0].severity == Severity.WARN
    assert findings[0].evidence["blocks_verification"] == []
    assert findings[0].evidence["regions"] == [[500, 100, 800, 300]]  # kept for the reviewer
    assert "已识别" in findings[0].message
    assert recommend(findings) == "review"


def test_glare_that_wiped_out_the_number_blocks_and_says_why():
    findings = gate_quality([_glare([[300, 380, 700, 450]])], [_front({"name": "王芳"})])
    assert findings[0].severity == Severity.BLOCK
    assert findings[0].evidence["blocks_verification"] == ["unread:id_number"]


def test_a_low_confidence_read_blocks_only_under_the_glare():
    unsure = _front(READ, confidence=0.6)
    over_number = gate_quality([_glare([[400, 390, 600, 440]])], [unsure])[0]
    elsewhere = gate_quality([_glare([[800, 100, 850, 150]])], [unsure])[0]
    assert over_number.severity == Severity.BLOCK
    assert over_number.evidence["blocks_verification"] == ["low_confidence:id_number"]
    assert elsewhere.severity == Severity.WARN


def test_a_misread_field_keeps_the_block():
    mismatch = Finding("ID_NUMBER_MISMATCH", "不一致", material="front.jpg", field="id_number")
    findings = gate_quality([_glare(), mismatch], [_front(READ)])
    assert findings[0].severity == Severity.BLOCK
    assert findings[0].evidence["blocks_verification"] == ["disagrees:id_number"]


def test_a_cut_off_card_without_its_portrait_blocks():
    incomplete = Finding("DOCUMENT_INCOMPLETE", "没有拍全", material="front.jpg")
    no_face = Finding("FACE_NOT_FOUND", "未检测到人脸", material="front.jpg")
    findings = gate_quality([incomplete, no_face], [_front(READ, faces=0)])
    assert findings[0].severity == Severity.BLOCK
    assert findings[0].evidence["blocks_verification"] == ["portrait"]


def test_not_the_original_is_never_gated():
    copy = Finding("IMAGE_GRAYSCALE", "复印件", material="front.jpg")
    recaptured = Finding("IMAGE_RECAPTURED", "翻拍", material="front.jpg")
    findings = gate_quality([copy, recaptured], [_front(READ)])
    assert {f.severity for f in findings} == {Severity.BLOCK}


def test_an_unread_license_and_a_form_page_keep_their_blocks():
    blurry_license = Finding("IMAGE_BLURRY", "模糊", material="license.jpg")
    blurry_form = Finding("IMAGE_BLURRY", "模糊", material="form.jpg")
    analyses = [MaterialAnalysis(file="license.jpg", kind="business_license"),
                MaterialAnalysis(file="form.jpg", kind="verification_form")]
    findings = gate_quality([blurry_license, blurry_form], analyses)
    assert [f.severity for f in findings] == [Severity.BLOCK, Severity.BLOCK]
    assert findings[0].evidence["blocks_verification"] == ["not_read"]


def test_a_dim_face_photo_whose_face_was_compared_is_a_warning():
    dark = Finding("IMAGE_EXPOSURE", "过暗", material="face.jpg")
    photo = MaterialAnalysis(file="face.jpg", kind="face_photo",
                             faces=[FaceObservation([0, 1, 1, 0], [])])
    assert gate_quality([dark], [photo])[0].severity == Severity.WARN


def test_an_old_license_with_a_registration_number_was_read():
    doc = ExtractedDocument("business_license",
                            fields={"name": "佛山市顺德区伦教瑞科特玻璃机械厂",
                                    "registration_number": "440681600123456"},
                            confidence={"name": 0.95, "registration_number": 0.93})
    license_ = MaterialAnalysis(file="license.jpg", kind="business_license", extracted=doc)
    dim = Finding("IMAGE_EXPOSURE", "过暗", material="license.jpg")
    assert gate_quality([dim], [license_])[0].severity == Severity.WARN
    doc.fields.pop("registration_number")
    dim = Finding("IMAGE_EXPOSURE", "过暗", material="license.jpg")
    assert gate_quality([dim], [license_])[0].evidence["blocks_verification"] == \
        ["unread:credit_code"]


def test_an_unsure_field_far_from_the_side_past_the_frame_does_not_block():
    from pipeline.quality.completeness import frame_bands

    left_band = frame_bands((1600, 1200), ["left"])
    assert left_band == [[0.0, 0.0, 180.0, 1600.0]]
    unsure = _front(READ, confidence=0.7)  # the name at x 120-260 lies in the band
    cut = Finding("DOCUMENT_INCOMPLETE", "没有拍全", material="front.jpg",
                  evidence={"rule": "outside_frame", "regions": left_band})
    assert gate_quality([cut], [unsure])[0].evidence["blocks_verification"] == \
        ["low_confidence:name"]
    right_band = frame_bands((1600, 1200), ["right"])
    cut = Finding("DOCUMENT_INCOMPLETE", "没有拍全", material="front.jpg",
                  evidence={"rule": "outside_frame", "regions": right_band})
    assert gate_quality([cut], [unsure])[0].severity == Severity.WARN


def test_a_misread_far_from_the_glare_is_not_the_glare():
    mismatch = Finding("ID_NUMBER_MISMATCH", "不一致", material="front.jpg", field="id_number")
    far = gate_quality([_glare([[800, 100, 850, 150]]), mismatch], [_front(READ)])[0]
    over = gate_quality([_glare([[400, 390, 600, 440]]), mismatch], [_front(READ)])[0]
    assert far.severity == Severity.WARN
    assert over.evidence["blocks_verification"] == ["disagrees:id_number"]
