"""Valid base applications for the form-rule tests, built from the contract example.

Tests get a `forms` fixture: `forms.unit()` / `forms.individual(province)` return fresh
dicts to edit, `forms.app(data)` validates one, `forms.run(data)` runs every rule at
the fixed clock `forms.now`, and `forms.rule(rule_id, data)` runs one rule.
"""
from __future__ import annotations

import copy
import datetime as dt

import pytest

from pipeline.china_time import CHINA
from pipeline.findings import Finding, Severity
from samples import contract
from pipeline.form import FilingForm
from pipeline.rules import RULES, RuleContext, run_form_rules

NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=CHINA)

UNIT = contract.example()  # the example application of shared/CONTRACT.md

PERSON_ID = "33010219900101008X"  # 浙江杭州, born 1990-01-01, check digit X


def individual_form(province: str = "浙江省") -> dict:
    """A valid personal filing living in `province`."""
    address = f"{province}中心区人民路 18 号 2 单元 301 室"
    leader = {"name": "李明", "cert_type": "resident_id", "cert_number": PERSON_ID,
              "cert_valid_until": "long_term", "mobile": "13700000001", "phone2": "",
              "emergency_phone": "13600000002", "email": "liming@example.cn"}
    data = copy.deepcopy(UNIT)
    data["province"] = province
    data["subject"] = {"nature": "individual", "cert_type": "resident_id", "name": "李明",
                       "cert_number": PERSON_ID, "cert_address": address, "mail_address": address,
                       "investor": "李明", "remarks": "记录个人摄影作品和旅行见闻", "leader": leader}
    site = data["websites"][0]
    site.update(name="山水摄影随笔", domain="shanshui-photo.cn", content_type="other")
    if province == "江苏省":
        site["name"] = "李明的个人博客"
    data["materials"] = [m for m in data["materials"] if m["kind"] != "business_license"]
    return data


class Forms:
    now = NOW

    def unit(self) -> dict:
        return copy.deepcopy(UNIT)

    def individual(self, province: str = "浙江省") -> dict:
        return individual_form(province)

    def app(self, data: dict) -> FilingForm:
        return FilingForm.model_validate(data)

    def run(self, data: dict, **kwargs) -> list[Finding]:
        return run_form_rules(self.app(data), now=kwargs.pop("now", NOW), **kwargs)

    def rule(self, rule_id: str, data: dict, **kwargs) -> list[Finding]:
        ctx = RuleContext(self.app(data), kwargs.pop("now", NOW), **kwargs)
        return RULES[rule_id]().check(ctx)

    def blocks(self, data: dict) -> list[Finding]:
        return [f for f in self.run(data) if f.severity == Severity.BLOCK]

    def person(self, **fields) -> dict:
        """A website leader other than the subject leader."""
        person = {"name": "赵敏", "cert_type": "resident_id", "cert_number": "110105199203040023",
                  "cert_valid_until": "2035-01-01", "mobile": "13500000003",
                  "phone2": "086-010-66668888", "emergency_phone": "13500000004",
                  "email": "zhaomin@example.cn"}
        person.update(fields)
        return person

    def site(self, index: int, **fields) -> dict:
        site = copy.deepcopy(UNIT["websites"][0])
        site.update(name=f"云帆信息技术站点{index}", domain=f"yunfan-site{index}.cn")
        site.update(fields)
        return site


@pytest.fixture
def forms() -> Forms:
    return Forms()
