"""Odd values never crash a rule: a domain verdict is a finding, not an exception."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.rules.cert_numbers import cert_problems
from pipeline.rules.domains import parse_domain
from pipeline.rules.regions import province_of_address

CERT_TYPES = ["resident_id", "passport", "hk_macao_permit", "tw_permit", "hk_macao_residence",
              "tw_residence", "business_license", "institution_cert"]
text = st.text(min_size=1, max_size=40).map(str.strip).filter(bool)
han_text = st.text(alphabet=st.sampled_from("中国杭州云帆的个人博客网论坛号路区市省X0123456789 -·.!"),
                   min_size=1, max_size=20).map(str.strip).filter(bool)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(cert_type=st.sampled_from(CERT_TYPES), number=text)
def test_certificate_numbers_never_raise(cert_type, number):
    assert isinstance(cert_problems(cert_type, number, dt.date(2026, 11, 21)), list)


@FAST
@given(domain=text)
def test_domains_never_raise(domain):
    parsed = parse_domain(domain)
    assert parsed.problems or parsed.labels


@FAST
@given(address=text)
def test_addresses_never_raise(address):
    assert province_of_address(address) in (None, *__import__("pipeline.form").form.PROVINCES)


@FAST
@given(name=st.one_of(text, han_text), domain=st.one_of(text, han_text), cert=text, mobile=text,
       individual=st.booleans())
def test_run_form_rules_never_fails_on_odd_values(forms, name, domain, cert, mobile, individual):
    data = forms.individual("江苏省") if individual else forms.unit()
    data["websites"][0].update(name=name, domain=domain.replace(" ", "") or "x")
    data["subject"]["leader"].update(cert_number=cert[:40], mobile=mobile[:40])
    data["subject"]["mail_address"] = name
    try:
        app = forms.app(data)
    except ValueError:
        return  # refused at intake: nothing for the rules to see
    findings = forms.run(app.model_dump(mode="json"))
    assert all(f.evidence["rule"] for f in findings)
