"""备案资料: required materials by nature, filing type and province, and MATERIAL_MISSING."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.rules import RequiredMaterial, required_materials


def kinds(forms, data) -> list[tuple[str, str | None]]:
    return [(r.kind, r.person) for r in required_materials(forms.app(data)) if r.code == "MATERIAL_MISSING"]


def missing(forms, data) -> list[tuple[str, str]]:
    return [(f.expected, f.severity) for f in forms.rule("materials.missing", data)]


def test_unit_needs_the_five_pictures(forms):
    assert kinds(forms, forms.unit()) == [
        ("business_license", None), ("id_card_front", "subject_leader"),
        ("id_card_back", "subject_leader"), ("verification_form", None),
        ("face_photo", "website_leader:0")]
    assert missing(forms, forms.unit()) == []


def test_individual_uploads_its_id_once(forms):
    assert kinds(forms, forms.individual()) == [
        ("id_card_front", "subject_leader"), ("id_card_back", "subject_leader"),
        ("verification_form", None), ("face_photo", "website_leader:0")]


@pytest.mark.parametrize("kind", ["business_license", "id_card_front", "id_card_back",
                                  "face_photo", "verification_form"])
def test_each_missing_picture_is_reported(forms, kind):
    data = forms.unit()
    data["materials"] = [m for m in data["materials"] if m["kind"] != kind]
    [finding] = forms.rule("materials.missing", data)
    assert (finding.code, finding.expected, finding.severity) == ("MATERIAL_MISSING", kind, Severity.BLOCK)
    assert finding.field.startswith(f"materials.{kind}") and "请补充上传" in finding.message


def test_curtain_photo_serves_for_the_face(forms):
    data = forms.unit()
    data["materials"][3] = {"kind": "curtain_photo", "person": "website_leader:0", "file": "curtain.jpg"}
    assert missing(forms, data) == []


def test_other_website_leader_needs_own_documents(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person()
    assert {f.field for f in forms.rule("materials.missing", data)} == {
        "materials.id_card_front[website_leader:0]", "materials.id_card_back[website_leader:0]"}
    data["materials"] += [
        {"kind": "id_card_front", "person": "website_leader:0", "file": "zm_front.jpg"},
        {"kind": "id_card_back", "person": "website_leader:0", "file": "zm_back.jpg"}]
    assert missing(forms, data) == []


def test_face_of_the_wrong_person_does_not_count(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person()
    data["materials"][3]["person"] = "subject_leader"
    assert ("face_photo", Severity.BLOCK) in missing(forms, data)


def test_one_person_leading_two_sites_is_asked_once(forms):
    data = forms.unit()
    data["websites"].append(forms.site(1))
    assert kinds(forms, data).count(("face_photo", "website_leader:0")) == 1
    assert missing(forms, data) == []


def test_passport_has_one_side(forms):
    data = forms.unit()
    data["subject"]["leader"].update(cert_type="passport", cert_number="E12345678")
    assert ("id_card_back", "subject_leader") not in kinds(forms, data)


def test_shanghai_verifies_faces_in_its_app(forms):
    data = forms.individual("上海市")
    assert "face_photo" not in [k for k, _ in kinds(forms, data)]


def test_change_without_websites_verifies_the_subject_leader(forms):
    data = forms.unit()
    data.update(filing_type="change", websites=[])
    data["materials"][3]["person"] = "subject_leader"
    assert ("face_photo", "subject_leader") in kinds(forms, data)
    assert missing(forms, data) == []


@pytest.mark.parametrize(("province", "investor", "leader_is_site_leader", "expected"), [
    ("安徽省", "张三", False, ["subject_leader", "website_leader:0"]),
    ("安徽省", "王建国", False, ["website_leader:0"]),
    ("安徽省", "王建国", True, []),
    ("甘肃省", "张三", False, ["subject_leader"]),
    ("湖南省", "张三", False, ["website_leader:0"]),
    ("湖南省", "杭州云帆信息技术有限公司", False, []),
    ("浙江省", "张三", False, []),
])
def test_authorization_letter(forms, province, investor, leader_is_site_leader, expected):
    data = forms.unit()
    data.update(province=province)
    data["subject"]["investor"] = investor
    if not leader_is_site_leader:
        data["websites"][0]["leader"] = forms.person()
    letters = [r for r in required_materials(forms.app(data)) if r.kind == "authorization_letter"]
    assert [r.person for r in letters] == expected
    assert all(r.severity == Severity.WARN and province in r.reason for r in letters)


def test_individual_needs_no_authorization_letter(forms):
    data = forms.individual("安徽省")
    data["subject"]["investor"] = "张三"
    assert not [r for r in required_materials(forms.app(data)) if r.kind == "authorization_letter"]


def test_beijing_confirmation_when_domains_are_many(forms):
    data = forms.unit()
    data["province"] = "北京市"
    data["websites"] = [forms.site(i) for i in range(5)]
    labels = [r.label for r in required_materials(forms.app(data))]
    assert "北京备案确认书" in labels
    data["websites"] = data["websites"][:4]
    assert "北京备案确认书" not in [r.label for r in required_materials(forms.app(data))]


@pytest.mark.parametrize(("name", "needed"), [("云帆理财服务", True), ("云帆信息技术官网", False)])
def test_guangdong_finance_commitment(forms, name, needed):
    data = forms.unit()
    data["province"] = "广东省"
    data["websites"][0]["name"] = name
    letters = [r for r in required_materials(forms.app(data)) if r.label == "广东备案承诺书（金融）"]
    assert bool(letters) is needed


@pytest.mark.parametrize(("filing_type", "listed"), [("new_site_internal", True), ("first_filing", False)])
def test_hunan_new_site_plan_is_a_note(forms, filing_type, listed):
    data = forms.unit()
    data.update(province="湖南省", filing_type=filing_type)
    found = [f for f in forms.rule("materials.missing", data) if f.expected == "site_construction_plan"]
    assert [f.severity for f in found] == ([Severity.INFO] if listed else [])


def test_pre_approvals_are_listed_but_reported_by_their_own_rule(forms):
    data = forms.unit()
    data["websites"][0]["content_type"] = "news"
    [listed] = [r for r in required_materials(forms.app(data)) if r.kind == "pre_approval"]
    assert isinstance(listed, RequiredMaterial) and listed.code == "PRE_APPROVAL_REQUIRED"
    assert [f for f in forms.rule("materials.missing", data) if f.expected == "pre_approval"] == []
