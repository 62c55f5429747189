"""证件: certificate numbers, certificate type against nature, region against province.

Source: seeds/001 1.1 基础信息校验 (证件类型、证件号码：身份证号码中含有字母X，需输入大写X);
seeds/003 验证备案类型 (单位请根据主体证件签发地选择备案地域; 个人按身份证所在地或实际居住地).
"""
from __future__ import annotations

from pipeline.findings import Finding, Severity
from pipeline.form import NATURE_CERTS, PERSONAL_CERTS
from pipeline.labels import CERT_TYPE_LABELS, NATURE_LABELS
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.cert_numbers import cert_problems, is_format_only
from pipeline.rules.regions import province_of_code

# 统一社会信用代码 first characters (登记管理部门 + 机构类别) each unit certificate carries.
USCC_CATEGORY = {
    "business_license": ("9",),  # 工商: 企业 91, 个体工商户 92, 农民专业合作社 93
    "institution_cert": ("12",),  # 机构编制: 事业单位
    "social_group_cert": ("51",),  # 民政: 社会团体
    "private_non_enterprise_cert": ("52",),  # 民政: 民办非企业单位
}


@register
class SubjectCertNumberRule(Rule):
    id = "certificates.subject_number"
    description = "主办单位证件号码须有效：居民身份证校验位、出生日期和大写 X；统一社会信用代码校验位（GB 32100）。"
    code = "CERT_NUMBER_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject = ctx.app.subject
        problems = cert_problems(subject.cert_type, subject.cert_number, ctx.today)
        if not problems:
            return []
        label = CERT_TYPE_LABELS[subject.cert_type]
        return [self.finding(
            f"主办单位证件（{label}）号码“{subject.cert_number}”无效：{'；'.join(problems)}。"
            "请按证件原件核对后重新填写。", field="subject.cert_number", observed=subject.cert_number,
            severity=Severity.WARN if is_format_only(subject.cert_type) else None, problems=problems)]


@register
class LeaderCertNumberRule(Rule):
    id = "certificates.leader_number"
    description = "负责人证件号码须有效：居民身份证校验位、出生日期和大写 X；其他证件的号码格式。"
    code = "CERT_NUMBER_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject_number = ctx.app.subject.cert_number.strip().upper()
        out = []
        for leader in ctx.distinct_leaders():
            person = leader.person
            if ctx.is_individual and person.cert_number.strip().upper() == subject_number:
                continue  # the subject's own certificate: reported at subject.cert_number
            problems = cert_problems(person.cert_type, person.cert_number, ctx.today)
            if problems:
                out.append(self.finding(
                    f"{leader.role}{person.name}的{CERT_TYPE_LABELS[person.cert_type]}号码"
                    f"“{person.cert_number}”无效：{'；'.join(problems)}。请按证件原件核对后重新填写。",
                    field=f"{leader.path}.cert_number", observed=person.cert_number,
                    severity=Severity.WARN if is_format_only(person.cert_type) else None,
                    problems=problems))
        return out


@register
class CertTypeFitsNatureRule(Rule):
    id = "certificates.type_fits_nature"
    description = "证件类型须与主办单位性质相符（企业选营业执照、事业单位选事业单位法人证书等），统一社会信用代码的登记管理部门和机构类别应与证件类型一致。"
    code = "CERT_NUMBER_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject = ctx.app.subject
        nature, cert = NATURE_LABELS[subject.nature], CERT_TYPE_LABELS[subject.cert_type]
        if subject.cert_type not in NATURE_CERTS[subject.nature]:
            allowed = "、".join(CERT_TYPE_LABELS[c] for c in NATURE_CERTS[subject.nature])
            return [self.finding(
                f"主办单位性质为{nature}，证件类型却为{cert}。请根据单位性质选择正确的证件类型（{allowed}）。",
                field="subject.cert_type", observed=subject.cert_type, expected=allowed)]
        # 政府机关 and 其他 may hold any unit certificate (机关 codes start 11, 13...).
        prefixes = None if subject.nature in ("government", "other") else USCC_CATEGORY.get(subject.cert_type)
        number = subject.cert_number.strip().upper()
        if not prefixes or number.startswith(prefixes):
            return []
        return [self.finding(
            f"主办单位证件为{cert}，但统一社会信用代码“{subject.cert_number}”的前几位（登记管理部门和机构类别）"
            f"应为 {'/'.join(prefixes)}。请核对单位性质、证件类型与证件号码是否对应。",
            field="subject.cert_number", observed=number[:2], expected="/".join(prefixes),
            severity=Severity.WARN)]


@register
class CertRegionRule(Rule):
    id = "certificates.region_matches_province"
    description = "主办单位证件的地区码（身份证前 6 位、统一社会信用代码第 3-8 位）宜与备案省份一致；个人可在实际居住地备案，故仅为提示。"
    code = "CERT_NUMBER_INVALID"
    severity = Severity.WARN

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject = ctx.app.subject
        number = subject.cert_number.strip().upper()
        region = _region_code(subject.cert_type, number)
        if region is None or region.startswith("10"):  # 100000: 国家级登记机关
            return []
        province = province_of_code(region)
        if province is None or province == ctx.app.province:
            return []
        if subject.cert_type in PERSONAL_CERTS:
            advice = "个人备案应选择身份证所在地或实际居住地；如在居住地备案，部分管局要求提供居住证，请核实。"
        else:
            advice = "单位备案须选择主体证件签发地（如营业执照工商注册地）所在省份，请核实备案省份。"
        return [self.finding(
            f"主办单位证件号码的地区码 {region} 属于{province}，与备案省份{ctx.app.province}不一致。{advice}",
            field="subject.cert_number", observed=province, expected=ctx.app.province,
            region_code=region)]


def _region_code(cert_type: str, number: str) -> str | None:
    if cert_type == "resident_id" and len(number) == 18:
        return number[:6]
    if cert_type not in PERSONAL_CERTS and len(number) == 18 and number[2:8].isdigit():
        return number[2:8]
    return None
