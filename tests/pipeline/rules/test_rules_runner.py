"""The registry, `run_form_rules` and the shape of every finding."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from pipeline.findings import CATALOGUE, Finding, Severity
from pipeline.rules import RULES, Rule, RuleError, run_form_rules
from pipeline.rules.base import register
from pipeline.rules.domains import DomainRule
from pipeline.rules.text import han_count

FORM_CODES = {"SITE_NAME_INVALID", "SITE_NAME_FORBIDDEN_WORD", "SITE_COUNT_EXCEEDED",
              "INDIVIDUAL_LEADER_DIFFERS", "ADDRESS_PROVINCE_MISMATCH", "ADDRESS_NOT_DETAILED",
              "CONTACT_INVALID", "CERT_NUMBER_INVALID", "PRE_APPROVAL_REQUIRED", "DOMAIN_INVALID",
              "ORDER_EXPIRED", "MATERIAL_MISSING", "ID_EXPIRES_SOON", "ID_EXPIRED"}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_described(rule_id):
    rule = RULES[rule_id]
    assert rule.id == rule_id and issubclass(rule, Rule)
    assert rule.code in CATALOGUE and rule.code in FORM_CODES
    assert isinstance(rule.severity, Severity)
    assert han_count(rule.description) >= 8


def test_every_form_code_has_a_rule():
    assert {rule.code for rule in RULES.values()} == FORM_CODES


def test_contract_example_is_clean(forms):
    assert forms.run(forms.unit()) == []


def broken_form(forms) -> dict:
    data = forms.unit()
    data["province"] = "湖北省"
    data["subject"].update(mail_address="上海市浦东新区世纪大道", cert_number="91330106MA2H3K7Q5A")
    data["subject"]["leader"].update(mobile="1380000", emergency_phone="1380000",
                                     email="wang@", cert_number="330106198503150017")
    data["websites"] = [forms.site(0, name="中国yunfan", domain="www.yunfan.io", content_type="news"),
                        forms.site(1, name="云帆赌博", domain="yunfan.io")]
    data["materials"] = data["materials"][:1]
    return data


def test_broken_form_findings_are_complete(forms):
    findings = forms.run(broken_form(forms), now=forms.now.replace(year=2027))
    codes = {f.code for f in findings}
    assert codes >= {"SITE_NAME_INVALID", "SITE_COUNT_EXCEEDED", "ADDRESS_PROVINCE_MISMATCH",
                     "ADDRESS_NOT_DETAILED", "CONTACT_INVALID", "CERT_NUMBER_INVALID",
                     "PRE_APPROVAL_REQUIRED", "DOMAIN_INVALID", "ORDER_EXPIRED", "MATERIAL_MISSING"}
    for finding in findings:
        assert finding.field and finding.evidence["rule"] in RULES
        assert finding.material is None
        assert han_count(finding.message) >= 10 and "请" in finding.message
        assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_findings_come_strictest_first(forms):
    ranks = [f.severity.rank for f in forms.run(broken_form(forms))]
    assert ranks == sorted(ranks, reverse=True)


def test_findings_stay_distinct_for_the_review_desk(forms):
    keys = [(f.code, f.material, f.field, f.observed) for f in forms.run(broken_form(forms))]
    assert len(keys) == len(set(keys))


class _Exploding(Rule):
    id = "test.exploding"
    description = "测试用：总是抛出异常的规则。"
    code = "CONTACT_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx):
        raise RuntimeError("boom")


def test_a_failing_rule_does_not_hide_the_others(forms, monkeypatch):
    monkeypatch.setitem(RULES, _Exploding.id, _Exploding)
    with pytest.raises(RuleError) as caught:
        run_form_rules(forms.app(broken_form(forms)), now=forms.now)
    error = caught.value
    assert error.failed == {"test.exploding": "RuntimeError: boom"}
    assert "test.exploding" in str(error)
    assert {f.code for f in error.findings} >= {"SITE_NAME_INVALID", "DOMAIN_INVALID"}


def test_a_rule_that_leaves_its_hook_undefined_is_refused_at_registration():
    class Unfinished(DomainRule):  # no check_domain
        id = "test.unfinished"
        description = "测试用：没有实现 check_domain 的规则。"

    with pytest.raises(TypeError, match="check_domain"):
        register(Unfinished)
    assert "test.unfinished" not in RULES


@pytest.mark.parametrize("name", ["site_names", "site_limits", "tlds", "regions", "materials",
                                  "pre_approvals", "sms", "idioms"])
def test_data_tables_cite_their_source(name):
    text = resources.files("pipeline").joinpath("data", f"{name}.json").read_text("utf-8")
    assert "source" in json.loads(text)


def test_import_loads_no_web_stack_and_no_table():
    code = ("import sys, pipeline.rules, pipeline.rules.tables as t; "
            "bad = {'flask', 'sqlalchemy', 'rq', 'redis'} & set(sys.modules); "
            "assert not bad, bad; assert t.table.cache_info().currsize == 0")
    subprocess.run([sys.executable, "-c", code], check=True)
