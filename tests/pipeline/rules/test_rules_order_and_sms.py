"""订单有效期 (45 days) and 短信核验 targets."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.rules import sms_verification_targets

SUBMITTED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize(("idle", "expired"), [
    (dt.timedelta(days=1), False), (dt.timedelta(days=45), False),
    (dt.timedelta(days=45, seconds=1), True), (dt.timedelta(days=90), True),
])
def test_order_expires_after_45_idle_days(forms, idle, expired):
    found = forms.rule("order.expired", forms.unit(), now=SUBMITTED + idle)
    assert bool(found) is expired
    if expired:
        assert found[0].code == "ORDER_EXPIRED" and found[0].field == "submitted_at"


def test_last_activity_resets_the_clock(forms):
    now = SUBMITTED + dt.timedelta(days=60)
    assert forms.rule("order.expired", forms.unit(), now=now)
    assert forms.rule("order.expired", forms.unit(), now=now,
                      last_activity_at=now - dt.timedelta(days=3)) == []


def test_naive_clock_is_read_as_beijing_time(forms):
    assert forms.rule("order.expired", forms.unit(), now=dt.datetime(2026, 11, 21, 9, 0)) == []


def with_site_leader(forms, filing_type, mobile="13500000003"):
    data = forms.unit()
    data["filing_type"] = filing_type
    data["websites"][0]["leader"] = forms.person(mobile=mobile)
    return forms.app(data)


@pytest.mark.parametrize(("filing_type", "targets"), [
    ("first_filing", ["主体负责人 王建国", "网站负责人 赵敏"]),
    ("new_site_external", ["网站负责人 赵敏"]),
    ("new_site_internal", ["网站负责人 赵敏"]),
    ("access", ["网站负责人 赵敏"]),
    ("change", ["主体负责人 王建国", "网站负责人 赵敏"]),
])
def test_sms_targets_by_filing_type(forms, filing_type, targets):
    assert sms_verification_targets(with_site_leader(forms, filing_type)) == targets


def test_one_mobile_gets_one_code(forms):
    app = forms.app(forms.unit())
    assert sms_verification_targets(app) == ["主体负责人兼网站负责人 王建国"]


def test_new_site_with_reused_leader(forms):
    data = forms.unit()
    data["filing_type"] = "new_site_internal"
    assert sms_verification_targets(forms.app(data)) == ["网站负责人 王建国"]


def test_change_of_subject_only(forms):
    data = forms.unit()
    data.update(filing_type="change", websites=[])
    data["materials"][3]["person"] = "subject_leader"
    assert sms_verification_targets(forms.app(data)) == ["主体负责人 王建国"]
