"""域名: syntax, IDN, registrable domain, MIIT-approved TLD, duplicates."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity

RULES = ["domains.syntax", "domains.registrable", "domains.approved_tld", "domains.restricted_suffix"]

# (domain, rule expected to fire or None, severity)
DOMAINS = [
    ("yunfan-tech.cn", None, None),
    ("Yunfan-Tech.CN", None, None),
    ("yunfan.com", None, None),
    ("yunfan.com.cn", None, None),
    ("yunfan.zj.cn", None, None),
    ("yunfan.net", None, None),
    ("yunfan.top", None, None),
    ("云帆科技.cn", None, None),
    ("云帆科技.中国", None, None),
    ("xn--fiq228c.xn--fiqs8s", None, None),
    ("云帆.公司", None, None),
    ("www.yunfan.cn", "domains.registrable", Severity.BLOCK),
    ("shop.yunfan.com.cn", "domains.registrable", Severity.BLOCK),
    ("com.cn", "domains.registrable", Severity.BLOCK),
    ("http://yunfan.cn", "domains.syntax", Severity.BLOCK),
    ("yunfan.cn/index.html", "domains.syntax", Severity.BLOCK),
    ("yunfan", "domains.syntax", Severity.BLOCK),
    ("yun_fan.cn", "domains.syntax", Severity.BLOCK),
    ("-yunfan.cn", "domains.syntax", Severity.BLOCK),
    ("yunfan-.cn", "domains.syntax", Severity.BLOCK),
    ("yun..fan.cn", "domains.syntax", Severity.BLOCK),
    ("ab--cd.cn", "domains.syntax", Severity.BLOCK),
    ("xn--zz.cn", "domains.syntax", Severity.BLOCK),
    ("a" * 64 + ".cn", "domains.syntax", Severity.BLOCK),
    ("云帆☃.cn", "domains.syntax", Severity.BLOCK),
    ("yunfan.io", "domains.approved_tld", Severity.WARN),
    ("yunfan.ai", "domains.approved_tld", Severity.WARN),
    ("yunfan.dev", "domains.approved_tld", Severity.WARN),
    ("yunfan.gov.cn", "domains.restricted_suffix", Severity.WARN),
    ("yunfan.edu.cn", "domains.restricted_suffix", Severity.WARN),
]


@pytest.mark.parametrize(("domain", "rule", "severity"), DOMAINS)
def test_domains(forms, domain, rule, severity):
    data = forms.unit()
    data["websites"][0]["domain"] = domain
    found = {r: forms.rule(r, data) for r in RULES}
    fired = {r for r, fs in found.items() if fs}
    assert fired == ({rule} if rule else set())
    if rule:
        finding = found[rule][0]
        assert (finding.code, finding.severity, finding.field) == (
            "DOMAIN_INVALID", severity, "websites[0].domain")
        assert "请" in finding.message


def test_registrable_finding_names_the_main_domain(forms):
    data = forms.unit()
    data["websites"][0]["domain"] = "www.yunfan.com.cn"
    [finding] = forms.rule("domains.registrable", data)
    assert finding.expected == "yunfan.com.cn"


def test_government_may_use_gov_cn(forms):
    data = forms.unit()
    data["subject"].update(nature="government", cert_type="institution_cert")
    data["websites"][0]["domain"] = "xihu.gov.cn"
    assert forms.rule("domains.restricted_suffix", data) == []


@pytest.mark.parametrize(("second", "duplicate"), [
    ("yunfan-tech.cn", True), ("YUNFAN-TECH.CN", True), ("yunfan-tech.com", False),
])
def test_each_domain_once_per_order(forms, second, duplicate):
    data = forms.unit()
    data["websites"].append(forms.site(1, domain=second))
    found = forms.rule("domains.unique", data)
    assert [f.field for f in found] == (["websites[1].domain"] if duplicate else [])


def test_idn_and_punycode_are_the_same_domain(forms):
    data = forms.unit()
    import idna

    punycode = idna.encode("云帆.中国").decode()
    data["websites"] = [forms.site(0, domain="云帆.中国"), forms.site(1, domain=punycode)]
    assert len(forms.rule("domains.unique", data)) == 1
