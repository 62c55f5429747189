"""联系方式: mobile, 联系方式2, emergency phone and e-mail of every responsible person.

Source: seeds/001 2. 填写主办者信息 (单位负责人信息) and 3.1 网站负责人信息填写规则;
seeds/001 9. 短信核验 (the code goes to 联系方式1, and one mobile is one person).
"""
from __future__ import annotations

import re
from abc import abstractmethod

from pipeline.findings import Finding, Severity
from pipeline.rules.base import Leader, Rule, RuleContext, register

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 086-区号-号码[-分机号]: 区号 010/02x or 0xxx, local number of 7-8 digits.
LANDLINE = re.compile(r"^086-0\d{2,3}-[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?$")
EMAIL = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def is_mobile(value: str) -> bool:
    return bool(MOBILE.match(value))


def is_landline(value: str) -> bool:
    return bool(LANDLINE.match(value))


def is_email(value: str) -> bool:
    return bool(EMAIL.match(value)) and ".." not in value


class ContactRule(Rule):
    code = "CONTACT_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        return [f for leader in ctx.leaders() for f in self.check_leader(ctx, leader)]

    @abstractmethod
    def check_leader(self, ctx: RuleContext, leader: Leader) -> list[Finding]:
        """The findings on one responsible person's contact details."""


@register
class MobileRule(ContactRule):
    id = "contacts.mobile"
    description = "负责人手机号码（联系方式1）须为 11 位、以 13-19 开头的手机号码，且真实有效。"

    def check_leader(self, ctx, leader):
        mobile = leader.person.mobile
        if is_mobile(mobile):
            return []
        return [self.finding(
            f"{leader.role}{leader.person.name}的手机号码“{mobile}”格式不正确。手机号码须为 11 位数字、"
            "以 13-19 开头，不加区号、空格或横线；工信部短信核验码发往该号码，请填写本人可接收短信的手机号码。",
            field=f"{leader.path}.mobile", observed=mobile, expected="1[3-9] 开头的 11 位数字")]


@register
class EmergencyPhoneRule(ContactRule):
    id = "contacts.emergency_phone"
    description = "应急联系电话须填写（最常用的手机号码），且不能与手机号码（联系方式1）相同。"

    def check_leader(self, ctx, leader):
        phone, mobile = leader.person.emergency_phone, leader.person.mobile
        field, who = f"{leader.path}.emergency_phone", f"{leader.role}{leader.person.name}"
        if not phone:
            return [self.finding(f"{who}未填写应急联系电话。请填写一个常用的手机号码（不同于手机号码）。",
                                 field=field, observed="")]
        if not is_mobile(phone):
            return [self.finding(
                f"{who}的应急联系电话“{phone}”不是有效的手机号码。请填写 11 位、以 13-19 开头的手机号码。",
                field=field, observed=phone, expected="1[3-9] 开头的 11 位数字")]
        if phone == mobile:
            return [self.finding(
                f"{who}的应急联系电话与手机号码相同（{phone}）。应急联系电话须为另一个号码，请更换。",
                field=field, observed=phone, expected=f"!= {mobile}")]
        return []


@register
class SecondPhoneRule(ContactRule):
    id = "contacts.phone2"
    description = "单位备案须填写联系方式2（手机号码，或座机 086-区号-号码，有分机号也需填写）；个人备案无需填写。"

    def check_leader(self, ctx, leader):
        phone = leader.person.phone2
        field, who = f"{leader.path}.phone2", f"{leader.role}{leader.person.name}"
        if not phone:
            if ctx.is_individual:
                return []
            return [self.finding(
                f"{who}未填写联系方式2。单位备案需填写可联系到负责人的手机号码或座机号码"
                "（座机格式 086-区号-号码，如 086-022-78954321，有分机号也需填写）。", field=field, observed="")]
        if is_mobile(phone) or is_landline(phone):
            return []
        return [self.finding(
            f"{who}的联系方式2“{phone}”格式不正确。请填写 11 位手机号码，或按 086-区号-号码 格式填写座机"
            "（如 086-022-78954321，分机号写在最后，如 086-022-78954321-801）。",
            field=field, observed=phone, expected="手机号码或 086-0xx-xxxxxxx[-分机号]",
            severity=Severity.WARN if ctx.is_individual else None)]


@register
class EmailRule(ContactRule):
    id = "contacts.email"
    description = "电子邮箱须为可正常接收邮件的有效邮箱地址（用于接收备案消息通知）。"

    def check_leader(self, ctx, leader):
        email = leader.person.email
        if is_email(email):
            return []
        return [self.finding(
            f"{leader.role}{leader.person.name}的电子邮箱“{email}”格式不正确。备案消息通知发往该邮箱，"
            "请填写可正常接收邮件的有效邮箱（如 name@example.cn）。",
            field=f"{leader.path}.email", observed=email, expected="name@example.cn")]


@register
class SharedMobileRule(Rule):
    id = "contacts.shared_mobile"
    description = "不同负责人不能使用同一手机号码（短信核验以手机号码判断是否同一人）（9. 短信核验）。"
    code = "CONTACT_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        first: dict[str, Leader] = {}
        out = []
        for leader in ctx.leaders():
            owner = first.setdefault(leader.person.mobile, leader)
            if owner.identity != leader.identity:
                out.append(self.finding(
                    f"{leader.role}{leader.person.name}与{owner.role}{owner.person.name}是不同的人，却填写了"
                    f"同一手机号码 {leader.person.mobile}。短信核验以手机号码区分负责人，请各自填写本人的手机号码。",
                    field=f"{leader.path}.mobile", observed=leader.person.mobile,
                    shared_with=owner.path))
        return out
