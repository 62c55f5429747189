"""网站名称 rules for every site (附录一:单位网站命名要求), table-driven."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity

GENERAL = [
    "site_name.pure_latin_or_digits", "site_name.min_han", "site_name.special_symbol",
    "site_name.reserved_prefix", "site_name.domain_as_name", "site_name.sensitive_word",
]

# (site name, rule expected to refuse it or None, observed word)
UNIT_NAMES = [
    ("云帆信息技术官网", None, None),
    ("云帆科技", None, None),
    ("云帆ABC技术", None, None),
    ("云帆１２３官网", None, None),
    ("yunfan", "site_name.pure_latin_or_digits", "yunfan"),
    ("12345678", "site_name.pure_latin_or_digits", "12345678"),
    ("Yunfan Tech", "site_name.pure_latin_or_digits", "Yunfan Tech"),
    ("ＹＵＮＦＡＮ", "site_name.pure_latin_or_digits", "ＹＵＮＦＡＮ"),
    ("云帆", "site_name.min_han", "云帆"),
    ("云帆ABC", "site_name.min_han", "云帆ABC"),
    ("帆88", "site_name.min_han", "帆88"),
    ("云帆·信息技术", "site_name.special_symbol", "·"),
    ("云帆 信息技术", "site_name.special_symbol", " "),
    ("云帆信息技术！", "site_name.special_symbol", "!"),
    ("云帆（杭州）官网", "site_name.special_symbol", "()"),
    ("云帆_信息技术", "site_name.special_symbol", "_"),
    ("云帆@信息技术", "site_name.special_symbol", "@"),
    ("中国云帆信息技术", "site_name.reserved_prefix", "中国"),
    ("中华云帆信息技术", "site_name.reserved_prefix", "中华"),
    ("中央云帆信息技术", "site_name.reserved_prefix", "中央"),
    ("人民云帆信息技术", "site_name.reserved_prefix", "人民"),
    ("人大云帆信息技术", "site_name.reserved_prefix", "人大"),
    ("国家云帆信息技术", "site_name.reserved_prefix", "国家"),
    ("云帆中国信息技术", None, None),
    ("yunfan-tech.cn", "site_name.domain_as_name", "yunfan-tech.cn"),
    ("YUNFAN-TECH.CN", "site_name.domain_as_name", "yunfan-tech.cn"),
    ("www.yunfan-tech.cn", "site_name.domain_as_name", "yunfan-tech.cn"),
    ("云帆yunfan-tech.cn官网", "site_name.domain_as_name", "yunfan-tech.cn"),
    ("yunfan-tech", "site_name.domain_as_name", "yunfan-tech.cn"),
    ("云帆反腐信息技术", "site_name.sensitive_word", "反腐"),
    ("云帆赌博信息技术", "site_name.sensitive_word", "赌博"),
    ("云帆廉政信息技术", "site_name.sensitive_word", "廉政"),
    ("云帆色情信息技术", "site_name.sensitive_word", "色情"),
    ("云帆博彩信息技术", "site_name.sensitive_word", "博彩"),
]


@pytest.mark.parametrize(("name", "rule", "observed"), UNIT_NAMES)
def test_unit_site_name(forms, name, rule, observed):
    data = forms.unit()
    data["websites"][0]["name"] = name
    found = {rule_id: forms.rule(rule_id, data) for rule_id in GENERAL}
    fired = {rule_id for rule_id, fs in found.items() if fs}
    if rule is None:
        assert fired == set()
        return
    assert rule in fired
    finding = found[rule][0]
    assert (finding.code, finding.severity) == ("SITE_NAME_INVALID", Severity.BLOCK)
    assert finding.field == "websites[0].name"
    assert finding.observed == observed
    assert finding.evidence["rule"] == rule
    assert "请" in finding.message and name in finding.message


@pytest.mark.parametrize(("nature", "cert_type", "subject", "allowed"), [
    ("government", "institution_cert", "杭州市西湖区人民政府", True),
    ("enterprise", "business_license", "中国云帆信息技术有限公司", True),
    ("enterprise", "business_license", "杭州云帆信息技术有限公司", False),
    ("institution", "institution_cert", "杭州市西湖区图书馆", False),
])
def test_reserved_prefix_is_for_state_units(forms, nature, cert_type, subject, allowed):
    data = forms.unit()
    data["subject"].update(nature=nature, cert_type=cert_type, name=subject)
    data["websites"][0]["name"] = "中国云帆信息服务"
    assert (forms.rule("site_name.reserved_prefix", data) == []) is allowed


def test_chinese_label_of_the_domain_is_a_name(forms):
    data = forms.unit()
    data["websites"][0].update(name="云帆信息技术", domain="云帆信息技术.cn")
    assert forms.rule("site_name.domain_as_name", data) == []


@pytest.mark.parametrize(("site_name", "related"), [
    ("云帆信息技术官网", True),
    ("杭州云帆官方网站", True),
    ("星辰大海资讯站", False),
])
def test_unit_site_name_relevance_is_a_warning(forms, site_name, related):
    data = forms.unit()
    data["websites"][0]["name"] = site_name
    found = forms.rule("site_name.unit_relevance", data)
    assert (found == []) is related
    assert all(f.severity == Severity.WARN and f.expected == data["subject"]["name"] for f in found)


def test_every_word_gets_its_own_finding(forms):
    data = forms.unit()
    data["websites"][0]["name"] = "云帆赌博色情信息技术"
    found = forms.rule("site_name.sensitive_word", data)
    assert [f.observed for f in found] == ["赌博", "色情"]


def test_each_website_is_checked_under_its_own_field(forms):
    data = forms.unit()
    data["websites"].append(forms.site(1, name="yunfan"))
    found = forms.rule("site_name.pure_latin_or_digits", data)
    assert [f.field for f in found] == ["websites[1].name"]
