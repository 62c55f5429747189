"""证件号码: 居民身份证 (GB 11643), 统一社会信用代码 (GB 32100), other certificates."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.findings import Severity
from pipeline.rules.cert_numbers import cert_problems

TODAY = dt.date(2026, 11, 21)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ric(body17: str) -> str:
    """Complete 17 digits with their ISO 7064 MOD 11-2 check digit (written independently)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body17))
    check = (12 - total % 11) % 11
    return body17 + ("X" if check == 10 else str(check))


def uscc(body17: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, weights))
    return body17 + USCC_CHARS[(31 - total % 31) % 31]


RESIDENT_IDS = [
    (ric("33010619850315001"), []),
    (ric("33010219900101008"), []),  # ends in X
    (ric("11010519920304002"), []),
    (ric("33011019850315001"), []),  # 余杭区 330110 exists since 2001 only: still valid
    (ric("65010220000229001"), []),  # leap day
    (ric("33010219900101008").lower(), ["大写"]),
    ("330106198503150017", ["校验位"]),
    (ric("33010619850230001"), ["出生日期"]),
    (ric("33010620300101001"), ["出生日期"]),
    (ric("33010618500101001"), ["出生日期"]),
    (ric("99010619850315001"), ["行政区划"]),
    ("33010619850315001", ["18 位"]),
    ("3301061985031500161", ["18 位"]),
    ("33010619850315001A", ["前 17 位"]),
    ("3301061985O315001X", ["前 17 位"]),
]


@pytest.mark.parametrize(("number", "problems"), RESIDENT_IDS)
def test_resident_id_numbers(number, problems):
    found = cert_problems("resident_id", number, TODAY)
    assert len(found) >= len(problems)
    for expected, problem in zip(problems, found):
        assert expected in problem


def test_stdnum_alone_would_refuse_a_newer_region():
    from stdnum.cn import ric as stdnum_ric

    number = ric("33011019850315001")
    assert not stdnum_ric.is_valid(number)
    assert cert_problems("resident_id", number, TODAY) == []


USCCS = [
    ("91330106MA2H3K7Q5U", []),
    (uscc("91110000600037341"), []),
    (uscc("12330000470003456"), []),
    (uscc("51330000MJ8731652"), []),
    (uscc("52330106MJ9012345"), []),
    (uscc("Y1330106MC1234567"), []),
    ("91330106ma2h3k7q5u", ["大写"]),
    ("91330106MA2H3K7Q5A", ["校验位"]),
    ("91330106MA2H3K7Q5", ["18 位"]),
    ("91330106MA2H3K7O5U", ["I、O"]),
    ("Z1330106MA2H3K7Q5U", ["I、O"]),
    (uscc("B1330106MA2H3K7Q5"), ["登记管理部门"]),
    (uscc("9133A106MA2H3K7Q5"), ["行政区划"]),
    ("330106000012345", ["18 位"]),
]


@pytest.mark.parametrize(("number", "problems"), USCCS)
def test_unified_social_credit_codes(number, problems):
    found = cert_problems("business_license", number, TODAY)
    assert len(found) >= len(problems)
    for expected, problem in zip(problems, found):
        assert expected in problem


@pytest.mark.parametrize(("cert_type", "number", "ok"), [
    ("passport", "E12345678", True), ("passport", "EA1234567", True), ("passport", "e12345678", False),
    ("passport", "E1234", False), ("hk_macao_permit", "H12345678", True),
    ("hk_macao_permit", "M1234567890", True), ("hk_macao_permit", "h12345678", False),
    ("hk_macao_permit", "K12345678", False), ("tw_permit", "12345678", True),
    ("tw_permit", "1234567", False),
    ("hk_macao_residence", ric("81000019900101001"), True),
    ("hk_macao_residence", ric("82000019900101001"), True),
    ("hk_macao_residence", ric("33010619900101001"), False),
    ("tw_residence", ric("83000019900101001"), True),
    ("tw_residence", ric("81000019900101001"), False),
])
def test_other_personal_certificates(cert_type, number, ok):
    assert (cert_problems(cert_type, number, TODAY) == []) is ok


def test_subject_number_finding(forms):
    data = forms.unit()
    data["subject"]["cert_number"] = "91330106MA2H3K7Q5A"
    [finding] = forms.rule("certificates.subject_number", data)
    assert (finding.code, finding.severity, finding.field) == (
        "CERT_NUMBER_INVALID", Severity.BLOCK, "subject.cert_number")
    assert finding.observed == "91330106MA2H3K7Q5A" and "校验位" in finding.message


def test_lower_case_x_is_a_finding(forms):
    data = forms.individual()
    number = data["subject"]["cert_number"].lower()
    data["subject"]["cert_number"] = number
    data["subject"]["leader"]["cert_number"] = number
    found = forms.rule("certificates.subject_number", data)
    assert [f.observed for f in found] == [number] and "大写" in found[0].message
    assert forms.rule("certificates.leader_number", data) == []  # reported once, at the subject


def test_leader_number_finding(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person(cert_number="110105199203040022")
    [finding] = forms.rule("certificates.leader_number", data)
    assert finding.field == "websites[0].leader.cert_number"


def test_passport_format_is_only_a_warning(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person(cert_type="passport", cert_number="e123")
    [finding] = forms.rule("certificates.leader_number", data)
    assert finding.severity == Severity.WARN


@pytest.mark.parametrize(("nature", "cert_type", "number", "severity"), [
    ("enterprise", "business_license", "91330106MA2H3K7Q5U", None),
    ("institution", "institution_cert", uscc("12330000470003456"), None),
    ("social_group", "social_group_cert", uscc("51330000MJ8731652"), None),
    ("private_non_enterprise", "private_non_enterprise_cert", uscc("52330106MJ9012345"), None),
    ("government", "institution_cert", uscc("11330000002482061"), None),
    ("enterprise", "business_license", uscc("52330106MJ9012345"), Severity.WARN),
    ("institution", "institution_cert", "91330106MA2H3K7Q5U", Severity.WARN),
    ("social_group", "social_group_cert", uscc("52330106MJ9012345"), Severity.WARN),
])
def test_certificate_fits_nature(forms, nature, cert_type, number, severity):
    data = forms.unit()
    data["subject"].update(nature=nature, cert_type=cert_type, cert_number=number)
    found = forms.rule("certificates.type_fits_nature", data)
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_certificate_type_against_nature_even_past_intake(forms):
    from pipeline.rules import RULES, RuleContext

    app = forms.app(forms.unit())
    subject = app.subject.model_copy(update={"cert_type": "institution_cert"})
    app = app.model_copy(update={"subject": subject})
    [finding] = RULES["certificates.type_fits_nature"]().check(RuleContext(app, forms.now))
    assert finding.severity == Severity.BLOCK and finding.field == "subject.cert_type"


@pytest.mark.parametrize(("province", "number", "warned"), [
    ("浙江省", "91330106MA2H3K7Q5U", False),
    ("江苏省", "91330106MA2H3K7Q5U", True),
    ("北京市", uscc("91110000600037341"), False),
    ("浙江省", uscc("91100000100001234"), False),  # registered at national level
])
def test_credit_code_region_against_province(forms, province, number, warned):
    data = forms.unit()
    data.update(province=province)
    data["subject"]["cert_number"] = number
    found = forms.rule("certificates.region_matches_province", data)
    assert bool(found) is warned
    assert all(f.severity == Severity.WARN for f in found)


@pytest.mark.parametrize(("province", "warned"), [("浙江省", False), ("上海市", True)])
def test_id_region_against_province(forms, province, warned):
    found = forms.rule("certificates.region_matches_province", forms.individual(province))
    assert bool(found) is warned
    if warned:
        assert found[0].observed == "浙江省" and found[0].expected == province
