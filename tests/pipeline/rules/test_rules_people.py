"""负责人: an individual's leaders, and certificate validity."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.rules.people import add_months


def test_individual_with_reused_leader_passes(forms):
    assert forms.rule("people.individual_leader", forms.individual()) == []


def test_individual_with_same_person_written_out_passes(forms):
    data = forms.individual()
    data["websites"][0]["leader"] = dict(data["subject"]["leader"])
    assert forms.rule("people.individual_leader", data) == []


def test_individual_with_other_website_leader_is_refused(forms):
    data = forms.individual()
    data["websites"][0]["leader"] = forms.person()
    found = forms.rule("people.individual_leader", data)
    assert [(f.code, f.field, f.observed) for f in found] == [
        ("INDIVIDUAL_LEADER_DIFFERS", "websites[0].leader", "赵敏")]


@pytest.mark.parametrize("change", [{"name": "李敏"}, {"cert_number": "110105199203040023"}])
def test_individual_subject_leader_must_be_the_subject(forms, change):
    data = forms.individual()
    data["subject"]["leader"].update(change)
    found = forms.rule("people.individual_leader", data)
    assert [f.field for f in found] == ["subject.leader"]


def test_unit_may_have_other_website_leaders(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person()
    assert forms.rule("people.individual_leader", data) == []


# forms.now is 2026-11-21: three months later is 2027-02-21.
@pytest.mark.parametrize(("valid_until", "code"), [
    ("long_term", None),
    ("2032-05-01", None),
    ("2027-02-22", None),
    ("2027-02-21", "ID_EXPIRES_SOON"),
    ("2026-12-31", "ID_EXPIRES_SOON"),
    ("2026-11-21", "ID_EXPIRES_SOON"),
    ("2026-11-20", "ID_EXPIRED"),
    ("2019-01-01", "ID_EXPIRED"),
])
def test_leader_certificate_validity(forms, valid_until, code):
    data = forms.unit()
    data["subject"]["leader"]["cert_valid_until"] = valid_until
    found = forms.rule("people.cert_expires_soon", data) + forms.rule("people.cert_expired", data)
    assert [f.code for f in found] == ([code] if code else [])
    for finding in found:
        assert finding.field == "subject.leader.cert_valid_until"
        assert finding.observed == valid_until and finding.severity == Severity.BLOCK


def test_website_leader_certificate_is_checked(forms):
    data = forms.unit()
    data["websites"][0]["leader"] = forms.person(cert_valid_until="2027-01-01")
    found = forms.rule("people.cert_expires_soon", data)
    assert [f.field for f in found] == ["websites[0].leader.cert_valid_until"]


def test_validity_window_follows_settings(forms):
    from pipeline.rules import RuleSettings

    data = forms.unit()
    data["subject"]["leader"]["cert_valid_until"] = "2027-04-01"
    assert forms.rule("people.cert_expires_soon", data) == []
    assert forms.rule("people.cert_expires_soon", data, settings=RuleSettings(min_validity_months=6))


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-11-21", 3, "2027-02-21"), ("2026-11-30", 3, "2027-02-28"),
    ("2027-11-30", 3, "2028-02-29"), ("2026-01-31", 1, "2026-02-28"),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    import datetime as dt

    assert add_months(dt.date.fromisoformat(day), months).isoformat() == expected
