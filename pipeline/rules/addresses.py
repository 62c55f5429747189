"""地址: province of the addresses and their detail.

Source: seeds/000 首次备案流程 第3步 and seeds/004 操作步骤 3 (主办单位通讯地址与主办单位证件
住所需在同一省份；如果地址无详细门牌号，需在备注中说明); seeds/001 2. 填写主办者信息
(通讯地址需要详细到门牌号，如无具体门牌号，请在备注中说明："此地址已是最详细地址"；
通信地址填写完整的市、区、路段、具体房间地址); seeds/003 主体单位区域 (单位按主体证件签发地
选择地域；个人按身份证所在地或实际居住地).
"""
from __future__ import annotations

import re

from pipeline.findings import Finding, Severity
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.regions import province_of_address

_NUMBER = r"[0-9０-９一二三四五六七八九十百千零〇甲乙丙丁]+"
HOUSE_NUMBER = re.compile(
    rf"{_NUMBER}\s*(号|號|弄|栋|幢|座|室|户|单元)|[A-Za-z]\s*(座|栋|幢)|\d+(-\d+)+\s*$")
DISTRICT = re.compile(r"(市|区|县|旗|州|盟|镇|乡)")
MOST_DETAILED = re.compile(r"已[是为]最详细的?地址")


def is_detailed(address: str) -> bool:
    """The address reaches a district and a house number (门牌号)."""
    return bool(DISTRICT.search(address)) and bool(HOUSE_NUMBER.search(address))


@register
class AddressesSameProvinceRule(Rule):
    id = "addresses.same_province"
    description = "主办单位通讯地址与主办单位证件住所需在同一省份。"
    code = "ADDRESS_PROVINCE_MISMATCH"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject = ctx.app.subject
        mail, cert = province_of_address(subject.mail_address), province_of_address(subject.cert_address)
        if mail is None or cert is None or mail == cert:
            return []
        return [self.finding(
            f"通讯地址在{mail}，证件住所在{cert}，两者须在同一省份。通讯地址可填写证件上的地址，"
            "也可填写同省的实际办公或住所地址，请修改通讯地址。",
            field="subject.mail_address", observed=mail, expected=cert)]


@register
class UnitCertAddressProvinceRule(Rule):
    id = "addresses.unit_in_province"
    description = "单位备案须选择主体证件签发地所在省份：证件住所应在所选省份。"
    code = "ADDRESS_PROVINCE_MISMATCH"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        if ctx.is_individual:
            return []
        cert = province_of_address(ctx.app.subject.cert_address)
        if cert is None or cert == ctx.app.province:
            return []
        return [self.finding(
            f"主办单位证件住所在{cert}，备案省份却选择了{ctx.app.province}。单位备案须选择主体证件签发地"
            f"（如营业执照工商注册地）所在省份，请改选{cert}或核对证件住所。",
            field="subject.cert_address", observed=cert, expected=ctx.app.province)]


@register
class IndividualAddressProvinceRule(Rule):
    id = "addresses.individual_in_province"
    description = "个人备案按身份证所在地或实际居住地选择省份；是否允许跨省备案以各地管局要求为准（提示）。"
    code = "ADDRESS_PROVINCE_MISMATCH"
    severity = Severity.WARN

    def check(self, ctx: RuleContext) -> list[Finding]:
        if not ctx.is_individual:
            return []
        subject = ctx.app.subject
        found = {province_of_address(a) for a in (subject.cert_address, subject.mail_address)} - {None}
        if not found or ctx.app.province in found:
            return []
        where = "、".join(sorted(found))
        return [self.finding(
            f"证件住所和通讯地址均不在备案省份{ctx.app.province}（在{where}）。个人备案应选择身份证所在地"
            "或实际居住地；跨省备案须符合当地管局要求（如提供居住证），请核实。",
            field="subject.mail_address", observed=where, expected=ctx.app.province)]


@register
class AddressDetailRule(Rule):
    id = "addresses.detailed"
    description = "通讯地址需要详细到门牌号；如无具体门牌号，须在备注中说明“此地址已是最详细地址”。"
    code = "ADDRESS_NOT_DETAILED"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        subject = ctx.app.subject
        if is_detailed(subject.mail_address) or MOST_DETAILED.search(subject.remarks):
            return []
        return [self.finding(
            f"通讯地址“{subject.mail_address}”未详细到门牌号。请填写完整的市、区、路段和门牌号（具体到房间）；"
            "如确无门牌号，请在备注中注明“此地址已是最详细地址”。",
            field="subject.mail_address", observed=subject.mail_address)]
