"""联系方式: mobile, 联系方式2, emergency phone, e-mail, shared mobiles."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.rules.contacts import is_email, is_landline, is_mobile


@pytest.mark.parametrize(("value", "ok"), [
    ("13800000000", True), ("19912345678", True), ("15012345678", True), ("17712345678", True),
    ("12800000000", False), ("1380000000", False), ("138000000000", False),
    ("+8613800000000", False), ("138 0000 0000", False), ("138-0000-0000", False),
    ("23800000000", False), ("1380000000a", False),
])
def test_mobile_numbers(forms, value, ok):
    assert is_mobile(value) is ok
    data = forms.unit()
    data["subject"]["leader"]["mobile"] = value
    found = forms.rule("contacts.mobile", data)
    assert (found == []) is ok
    if not ok:
        assert (found[0].code, found[0].field, found[0].observed) == (
            "CONTACT_INVALID", "subject.leader.mobile", value)


@pytest.mark.parametrize(("value", "ok"), [
    ("086-022-78954321", True), ("086-010-6666888", True), ("086-0571-88888888", True),
    ("086-0571-88888888-801", True), ("086-0571-88888888转801", True),
    ("0571-88888888", False), ("86-0571-88888888", False), ("086-571-88888888", False),
    ("086-0571-888888", False), ("086-0571-08888888", False), ("086 0571 88888888", False),
])
def test_landlines(value, ok):
    assert is_landline(value) is ok


@pytest.mark.parametrize(("phone2", "individual", "severity"), [
    ("086-0571-88888888", False, None), ("13912345678", False, None),
    ("", False, Severity.BLOCK), ("0571-88888888", False, Severity.BLOCK),
    ("", True, None), ("0571-88888888", True, Severity.WARN),
])
def test_second_phone(forms, phone2, individual, severity):
    data = forms.individual() if individual else forms.unit()
    data["subject"]["leader"]["phone2"] = phone2
    found = forms.rule("contacts.phone2", data)
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(("value", "ok"), [
    ("wang@example.cn", True), ("wang.jianguo+icp@mail.example.com.cn", True), ("a_b@163.com", True),
    ("wang@", False), ("@example.cn", False), ("wang@example", False), ("wang example@x.cn", False),
    ("wang..j@example.cn", False), ("wang@exa_mple.cn", False), ("王建国@example.cn", False),
    (".wang@example.cn", False),
])
def test_emails(forms, value, ok):
    assert is_email(value) is ok
    data = forms.unit()
    data["subject"]["leader"]["email"] = value
    assert (forms.rule("contacts.email", data) == []) is ok


@pytest.mark.parametrize(("emergency", "problem"), [
    ("13900000000", None), ("", "未填写"), ("13800000000", "相同"), ("086-0571-88888888", "不是有效"),
])
def test_emergency_phone(forms, emergency, problem):
    data = forms.unit()
    data["subject"]["leader"]["emergency_phone"] = emergency
    found = forms.rule("contacts.emergency_phone", data)
    assert (found == []) is (problem is None)
    if problem:
        assert problem in found[0].message and found[0].field == "subject.leader.emergency_phone"


def test_different_leaders_may_not_share_a_mobile(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person(mobile="13800000000")
    found = forms.rule("contacts.shared_mobile", data)
    assert [(f.field, f.observed) for f in found] == [("websites[0].leader.mobile", "13800000000")]
    assert found[0].evidence["shared_with"] == "subject.leader"


def test_same_leader_twice_shares_its_mobile(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = dict(data["subject"]["leader"])
    assert forms.rule("contacts.shared_mobile", data) == []


def test_website_leader_contacts_are_checked(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person(email="zhaomin", mobile="1350000")
    fields = {f.field for rule in ("contacts.email", "contacts.mobile") for f in forms.rule(rule, data)}
    assert fields == {"websites[0].leader.email", "websites[0].leader.mobile"}
