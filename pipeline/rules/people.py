"""负责人: who may lead an individual's sites, and how long their certificates last."""
from __future__ import annotations

import calendar
import datetime as dt

from pipeline.findings import Finding, Severity
from pipeline.form import FormPerson
from pipeline.rules.base import Leader, Rule, RuleContext, person_identity, register


@register
class IndividualLeaderRule(Rule):
    id = "people.individual_leader"
    description = "个人备案要求网站负责人与主体负责人必须为同一人，主体负责人即主办人本人（3.1 网站负责人信息填写规则）。"
    code = "INDIVIDUAL_LEADER_DIFFERS"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        if not ctx.is_individual:
            return []
        subject = ctx.app.subject
        out = self._subject_is_leader(subject.name, subject.cert_number, subject.leader)
        for index, site in enumerate(ctx.app.websites):
            if site.leader and person_identity(site.leader) != person_identity(subject.leader):
                out.append(self.finding(
                    f"个人备案的网站负责人必须为主体负责人本人，网站「{site.name}」的负责人填写为"
                    f"{site.leader.name}（{site.leader.cert_number}），与主体负责人{subject.leader.name}"
                    "不是同一人。请将网站负责人改为复用主体负责人信息。",
                    field=f"websites[{index}].leader", observed=site.leader.name,
                    expected=subject.leader.name))
        return out

    def _subject_is_leader(self, name: str, cert_number: str, leader: FormPerson) -> list[Finding]:
        if name == leader.name and cert_number.strip().upper() == leader.cert_number.strip().upper():
            return []
        return [self.finding(
            f"个人备案的主体负责人须为主办人本人：主办人为{name}（{cert_number}），主体负责人填写为"
            f"{leader.name}（{leader.cert_number}）。请将主体负责人的姓名和证件号码改为与主办人一致。",
            field="subject.leader", observed=leader.name, expected=name)]


@register
class CertificateExpiredRule(Rule):
    id = "people.cert_expired"
    description = "负责人证件须在有效期内（上传所需证件的原件，证件需有效）。"
    code = "ID_EXPIRED"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        return [self.finding(
            f"{leader.role}{leader.person.name}的证件有效期至 {leader.person.cert_valid_until}，已过期。"
            "请更换为有效证件后重新填写并上传，或更换负责人。",
            field=f"{leader.path}.cert_valid_until", observed=leader.person.cert_valid_until,
            expected=f">= {ctx.today}")
            for leader in ctx.distinct_leaders() if _valid_until(leader) < ctx.today]


@register
class CertificateExpiresSoonRule(Rule):
    id = "people.cert_expires_soon"
    description = "负责人证件有效期需大于 3 个月（2. 填写主办者信息 — 单位负责人信息：请确保身份证有效期大于3个月）。"
    code = "ID_EXPIRES_SOON"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        months = ctx.settings.min_validity_months
        limit = add_months(ctx.today, months)
        return [self.finding(
            f"{leader.role}{leader.person.name}的证件有效期至 {leader.person.cert_valid_until}，"
            f"剩余不足 {months} 个月（需晚于 {limit}）。请更换新证件后重新填写并上传，或更换负责人。",
            field=f"{leader.path}.cert_valid_until", observed=leader.person.cert_valid_until,
            expected=f"> {limit}")
            for leader in ctx.distinct_leaders() if ctx.today <= _valid_until(leader) <= limit]


def _valid_until(leader: Leader) -> dt.date:
    until = leader.person.cert_valid_until
    return dt.date.max if until == "long_term" else until


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
