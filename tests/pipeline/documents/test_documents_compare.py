"""compare_documents: what the cards and the license say against the form."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.analysis import ExtractedDocument, MaterialAnalysis
from pipeline.compare_documents import add_months, compare_documents
from pipeline.documents.numbers import id_check_char, uscc_check_char
from pipeline.findings import Finding
from pipeline.form import FilingForm
from samples.contract import example

TODAY = dt.date(2026, 11, 21)
APP = FilingForm.model_validate(example())  # 王建国 330106198503150016, 91330106MA2H3K7Q5U
BOX = [[10.0, 10.0], [200.0, 10.0], [200.0, 40.0], [10.0, 40.0]]


def analysis(file: str, kind: str, confidence: float = 0.99, **fields: str) -> MaterialAnalysis:
    doc = ExtractedDocument(kind=kind, fields=dict(fields),
                            confidence={name: confidence for name in fields},
                            boxes={name: BOX for name in fields},
                            raw={name: f"raw {value}" for name, value in fields.items()})
    return MaterialAnalysis(file=file, kind=kind, detected_kind=kind, extracted=doc)


def front(confidence: float = 0.99, **fields: str) -> MaterialAnalysis:
    base = {"name": "王建国", "id_number": "330106198503150016", "sex": "男",
            "birth_date": "1985-03-15"}
    return analysis("leader_front.jpg", "id_card_front", confidence, **(base | fields))


def back(valid_until: str, confidence: float = 0.99) -> MaterialAnalysis:
    return analysis("leader_back.jpg", "id_card_back", confidence, issuer="杭州市公安局西湖分局",
                    valid_from="2015-03-01", valid_until=valid_until)


def license_(confidence: float = 0.99, **fields: str) -> MaterialAnalysis:
    base = {"name": "杭州云帆信息技术有限公司", "credit_code": "91330106MA2H3K7Q5U",
            "legal_representative": "王建国"}
    return analysis("license.jpg", "business_license", confidence, **(base | fields))


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, str(f.severity)) for f in findings)


def test_everything_matching_finds_nothing():
    found = compare_documents(APP, [front(), back("2035-03-01"), license_()], today=TODAY)
    assert found == []


@pytest.mark.parametrize("read", ["王建国", "王 建 国", "王建國", "王建国 "])
def test_names_compare_after_normalising(read):
    assert compare_documents(APP, [front(name=read)], today=TODAY) == []


def test_other_name_blocks_with_evidence():
    [finding] = compare_documents(APP, [front(name="王健国")], today=TODAY)
    assert (finding.code, str(finding.severity)) == ("ID_NAME_MISMATCH", "block")
    assert (finding.material, finding.field) == ("leader_front.jpg", "name")
    assert (finding.expected, finding.observed) == ("王建国", "王健国")
    assert finding.evidence == {"box": BOX, "raw": "raw 王健国", "confidence": 0.99}
    assert "王建国" in finding.message


def test_low_confidence_read_warns_instead():
    found = compare_documents(APP, [front(confidence=0.6, name="王健国")], today=TODAY)
    assert codes(found) == [("ID_NAME_MISMATCH", "warn")]
    assert "置信度" in found[0].message


def test_other_valid_number_is_a_mismatch():
    body = "33010619850315002"
    other = body + id_check_char(body)
    found = compare_documents(APP, [front(id_number=other)], today=TODAY)
    assert codes(found) == [("ID_NUMBER_MISMATCH", "block")]
    assert found[0].expected == "330106198503150016"


def test_read_number_failing_its_check_is_a_warning_not_a_block():
    found = compare_documents(APP, [front(id_number="330106198503150017", confidence=0.5)],
                              today=TODAY)
    assert codes(found) == [("ID_NUMBER_MISMATCH", "warn")]


def test_invalid_number_on_card_and_form_alike():
    data = example()
    data["subject"]["leader"]["cert_number"] = "330106198503150017"
    app = FilingForm.model_validate(data)
    found = compare_documents(app, [front(id_number="330106198503150017")], today=TODAY)
    assert codes(found) == [("ID_NUMBER_INVALID", "block")]


def test_a_card_read_as_the_forms_invalid_number_is_not_repaired_into_a_mismatch():
    """OCR read the card digit for digit as the form says; the repair then found one valid
    number a digit away. The card prints the invalid number: ID_NUMBER_INVALID."""
    data = example()
    data["subject"]["leader"]["cert_number"] = "330106198503150017"
    app = FilingForm.model_validate(data)
    repaired = front(id_number="330106198503150016")
    repaired.extracted.raw["id_number"] = "330106198503150017"
    found = compare_documents(app, [repaired], today=TODAY)
    assert [code for code, _ in codes(found)] == ["ID_NUMBER_INVALID"]


def test_printed_birth_date_and_sex_must_agree_with_the_number():
    found = compare_documents(APP, [front(birth_date="1985-03-16", sex="女")], today=TODAY)
    assert codes(found) == [("ID_NUMBER_INVALID", "warn"), ("ID_NUMBER_INVALID", "warn")]
    assert {f.field for f in found} == {"birth_date", "sex"}


def test_number_not_compared_for_a_passport_holder():
    data = example()
    data["subject"]["leader"]["cert_type"] = "passport"
    data["subject"]["leader"]["cert_number"] = "E12345678"
    app = FilingForm.model_validate(data)
    assert compare_documents(app, [front()], today=TODAY) == []


@pytest.mark.parametrize("until,expected", [
    ("2026-11-20", [("ID_EXPIRED", "block")]),
    ("2026-11-21", [("ID_EXPIRES_SOON", "block")]),
    ("2027-02-20", [("ID_EXPIRES_SOON", "block")]),
    ("2027-02-21", []),
    ("long_term", []),
])
def test_expiry(until, expected):
    assert codes(compare_documents(APP, [back(until)], today=TODAY)) == expected


def test_expiry_read_with_low_confidence_warns():
    found = compare_documents(APP, [back("2020-01-01", confidence=0.7)], today=TODAY)
    assert codes(found) == [("ID_EXPIRED", "warn")]


def test_add_months_clamps_the_day():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)


def test_license_name_code_and_representative():
    body = "91330106MA2H3K7Q6"
    other = body + uscc_check_char(body)
    found = compare_documents(APP, [license_(name="杭州云帆科技有限公司", credit_code=other,
                                             legal_representative="李四")], today=TODAY)
    assert codes(found) == [("LICENSE_CODE_MISMATCH", "block"),
                            ("LICENSE_LEGAL_REP_MISMATCH", "warn"),
                            ("LICENSE_NAME_MISMATCH", "block")]


def test_license_name_with_brackets_of_either_width():
    data = example()
    data["subject"]["name"] = "杭州云帆（西湖）信息技术有限公司"
    app = FilingForm.model_validate(data)
    assert compare_documents(app, [license_(name="杭州云帆(西湖)信息技术有限公司")],
                             today=TODAY) == []


def test_license_code_failing_its_check():
    found = compare_documents(APP, [license_(credit_code="91330106MA2H3K7Q5V", confidence=0.5)],
                              today=TODAY)
    assert codes(found) == [("LICENSE_CODE_MISMATCH", "warn")]
    data = example()
    data["subject"]["cert_number"] = "91330106MA2H3K7Q5V"
    app = FilingForm.model_validate(data)
    found = compare_documents(app, [license_(credit_code="91330106MA2H3K7Q5V")], today=TODAY)
    assert codes(found) == [("LICENSE_CODE_INVALID", "block")]


def test_card_of_a_website_leader_who_is_the_subject_leader():
    data = example()
    data["materials"][1]["person"] = "website_leader:0"  # leader null: the subject leader
    app = FilingForm.model_validate(data)
    assert codes(compare_documents(app, [front(name="李四")], today=TODAY)) == [
        ("ID_NAME_MISMATCH", "block")]


def test_wrong_kind_unknown_files_and_unread_documents_are_skipped():
    wrong = front(name="李四")
    wrong.findings.append(Finding(code="MATERIAL_WRONG_KIND", message="x"))
    unknown = front(name="李四")
    unknown.file = "not_in_the_form.jpg"
    unread = MaterialAnalysis(file="leader_front.jpg", kind="id_card_front")
    assert compare_documents(APP, [wrong, unknown, unread], today=TODAY) == []


def test_a_card_read_as_a_back_is_checked_as_a_back():
    read_back = back("2020-01-01")
    read_back.file, read_back.kind = "leader_front.jpg", "id_card_front"
    assert codes(compare_documents(APP, [read_back], today=TODAY)) == [("ID_EXPIRED", "block")]
