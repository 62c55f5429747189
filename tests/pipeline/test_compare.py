"""Putting an application's findings together: what a poor photo discounts, what is
recommended."""
from __future__ import annotations

from pipeline.compare import discount_poor_images, recommend
from pipeline.findings import Finding, Severity


def _finding(code: str, material: str | None = "leader_front.jpg") -> Finding:
    return Finding(code, "说明", material=material)


def test_what_a_poor_photo_shows_becomes_a_question_for_the_reviewer():
    findings = discount_poor_images([
        _finding("IMAGE_RECAPTURED"), _finding("FACE_NOT_FOUND"), _finding("ID_NAME_MISMATCH"),
        _finding("FACE_NOT_FOUND", "face.jpg"),  # another photo: stays as it is
        _finding("ID_EXPIRED", None)])  # the form's own date: stays as it is
    severity = {(f.code, f.material): f.severity for f in findings}
    assert severity[("IMAGE_RECAPTURED", "leader_front.jpg")] == Severity.BLOCK
    assert severity[("FACE_NOT_FOUND", "leader_front.jpg")] == Severity.WARN
    assert severity[("ID_NAME_MISMATCH", "leader_front.jpg")] == Severity.WARN
    assert severity[("FACE_NOT_FOUND", "face.jpg")] == Severity.BLOCK
    assert severity[("ID_EXPIRED", None)] == Severity.BLOCK
    discounted = next(f for f in findings if f.code == "ID_NAME_MISMATCH")
    assert discounted.evidence["poor_image"] == ["IMAGE_RECAPTURED"]
    assert "人工核对" in discounted.message


def test_a_clear_photo_keeps_its_blocks():
    findings = discount_poor_images([_finding("ID_NAME_MISMATCH"), _finding("IMAGE_GRAYSCALE")])
    assert {f.severity for f in findings} == {Severity.BLOCK}  # a grey copy reads fine


def test_recommendations():
    assert recommend([]) == "approve"
    assert recommend([_finding("LICENSE_LEGAL_REP_MISMATCH")]) == "review"
    assert recommend([], {"faces": "boom"}) == "review"
    assert recommend([_finding("IMAGE_RECAPTURED"), _finding("IMAGE_GRAYSCALE")]) == \
        "request_mail"
    assert recommend([_finding("IMAGE_RECAPTURED"), _finding("ID_NAME_MISMATCH")]) == "reject"
    recaptured_card = discount_poor_images([_finding("IMAGE_RECAPTURED"),
                                            _finding("FACE_NOT_FOUND")])
    assert recommend(recaptured_card) == "request_mail"  # mail the original card


def test_an_expired_card_is_one_finding_not_one_per_check():
    from pipeline.compare import dedupe
    from pipeline.findings import Finding

    form = Finding("ID_EXPIRED", "证件有效期至 2025-06-12，已过期。", field="subject.leader.cert_valid_until",
                   observed="2025-06-12", evidence={"rule": "people.cert_expired"})
    card = Finding("ID_EXPIRED", "身份证已于 2025-06-12 过期。", material="leader_back.jpg",
                   field="valid_until", observed="2025-06-12")
    assert dedupe([form, card]) == [card]
    other_date = Finding("ID_EXPIRED", "证件有效期至 2024-01-01，已过期。",
                         field="websites[0].leader.cert_valid_until", observed="2024-01-01")
    assert dedupe([form, card, other_date]) == [other_date, card]
