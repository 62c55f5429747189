"""个人网站命名要求: words a personal site's name may not use (seeds/001 3.1 附录二).

Where a province prescribes the name outright (江苏: 某某的个人博客 / 某某的个人主页),
the template replaces the word lists that the template itself would break
(主页, 博客, a personal name).
"""
from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable

from pipeline.findings import Severity
from pipeline.form import FormWebsite
from pipeline.rules.base import RuleContext, register
from pipeline.rules.regions import place_names
from pipeline.rules.site_names import SiteNameRule
from pipeline.rules.tables import province_banned_words, table, words
from pipeline.rules.text import find_words

_OWNER = r"[\u4e00-\u9fff·]{1,20}"  # 某某: the owner's name


def name_templates(province: str) -> list[str]:
    return list(table("site_names")["personal"]["name_templates"].get(province, []))


def _personal() -> dict:
    return table("site_names")["personal"]


class PersonalWordRule(SiteNameRule):
    """A personal site's name must not contain any word of `vocabulary`."""

    code = "SITE_NAME_FORBIDDEN_WORD"
    exempt_under_template = False
    basis = ""  # 中文：依据

    def applies(self, ctx: RuleContext) -> bool:
        if not ctx.is_individual:
            return False
        return not (self.exempt_under_template and name_templates(ctx.app.province))

    @abstractmethod
    def vocabulary(self, ctx: RuleContext, site: FormWebsite) -> Iterable[str]:
        """The words this site's name must not contain."""

    def advice(self, word: str) -> str:
        return f"请删去“{word}”，改用体现个人网站主要内容的名称。"

    def check_name(self, ctx, field, site):
        return [self.finding(
            f"个人网站名称「{site.name}」含有“{word}”。{self.basis}{self.advice(word)}",
            field=field, observed=word, province=ctx.app.province)
            for word in find_words(site.name, self.vocabulary(ctx, site))]


@register
class PersonalGenericWordRule(PersonalWordRule):
    id = "site_name.personal_generic_word"
    description = "个人网站不能使用个人空间、资讯、网站、网络、网址、爱好者、作品展示、工作室、平台、主页、热线、社团、导航等词汇命名（附录二）。"
    severity = Severity.BLOCK
    exempt_under_template = True
    basis = "个人网站不能使用个人空间、资讯、网站、网络、网址、爱好者、作品展示、工作室、平台、主页、热线、社团、导航等词汇命名。"

    def vocabulary(self, ctx, site):
        return words(_personal()["generic_words"])


@register
class PersonalPreApprovalWordRule(PersonalWordRule):
    id = "site_name.personal_pre_approval_word"
    description = "个人网站名称不能带有博客、论坛、在线、社区、交流等字样，除非已办理电子公告前置审批（附录二）。"
    severity = Severity.BLOCK
    exempt_under_template = True
    basis = "个人网站名称不能带有博客、论坛、在线、社区、交流等字样。"

    def vocabulary(self, ctx, site):
        section = _personal()["pre_approval_words"]
        approved = section["pre_approval"] in site.pre_approvals and any(
            m.kind == "pre_approval" for m in ctx.app.materials)
        return () if approved else words(section)

    def advice(self, word):
        return f"请删去“{word}”；如确需使用，须先到相关主管部门办理电子公告前置审批文件并随备案提交。"


@register
class PersonalCompanyWordRule(PersonalWordRule):
    id = "site_name.personal_company_word"
    description = "个人网站名称不能涉及企业信息（公司、集团、官网、商城等）（附录二）。"
    severity = Severity.BLOCK
    basis = "个人网站名称不能涉及行业、企业、产品等信息。"

    def vocabulary(self, ctx, site):
        return words(_personal()["company_words"])

    def advice(self, word):
        return f"请删去“{word}”；如网站属于单位，请以单位主体办理备案。"


@register
class PersonalIndustryWordRule(PersonalWordRule):
    id = "site_name.personal_industry_word"
    description = "个人网站名称不能涉及行业、产品信息（启发式词表，提示审核人员核实）（附录二）。"
    severity = Severity.WARN
    basis = "个人网站名称不能涉及行业、企业、产品等信息，该词可能表示行业或经营内容。"

    def vocabulary(self, ctx, site):
        return words(_personal()["industry_words"])

    def advice(self, word):
        return f"请审核人员核实；如属行业或经营信息，请删去“{word}”。"


@register
class ProvinceBannedWordRule(PersonalWordRule):
    id = "site_name.province_banned_word"
    description = "部分省份个人备案网站名称不能使用的行业类及经营性词汇（附录二 省份禁用词表）。"
    severity = Severity.BLOCK

    def vocabulary(self, ctx, site):
        return province_banned_words(ctx.app.province)

    def check_name(self, ctx, field, site):
        return [self.finding(
            f"个人网站名称「{site.name}」含有“{word}”。{ctx.app.province}管局规定个人备案网站名称"
            f"不能使用“{word}”等行业类及经营性词汇，请删去该词。",
            field=field, observed=word, province=ctx.app.province)
            for word in find_words(site.name, self.vocabulary(ctx, site))]


@register
class ProvinceNameTemplateRule(SiteNameRule):
    id = "site_name.province_template"
    description = "江苏管局要求个人网站名称只能为“某某的个人博客”或“某某的个人主页”，并在备注中说明网站开通后的主要内容（附录二）。"
    code = "SITE_NAME_INVALID"
    severity = Severity.BLOCK

    def applies(self, ctx):
        return ctx.is_individual and bool(name_templates(ctx.app.province))

    def check(self, ctx):
        out = super().check(ctx)
        if self.applies(ctx) and not ctx.app.subject.remarks.strip():
            out.append(self.finding(
                f"{ctx.app.province}管局要求个人备案在备注中说明网站开通后的主要内容，备注为空，"
                "请在备注中补充网站的主要内容。", field="subject.remarks", observed="",
                severity=Severity.WARN))
        return out

    def check_name(self, ctx, field, site):
        templates = name_templates(ctx.app.province)
        patterns = [re.escape(t).replace("某某", _OWNER) for t in templates]
        if any(re.fullmatch(p, site.name) for p in patterns):
            return []
        shown = "”或“".join(templates)
        return [self.finding(
            f"个人网站名称「{site.name}」不符合{ctx.app.province}管局要求。个人备案网站名称只能填写"
            f"“{shown}”（某某为姓名），请按此格式修改。", field=field, observed=site.name,
            expected=" / ".join(templates), province=ctx.app.province)]


@register
class PersonalNameRule(PersonalWordRule):
    id = "site_name.personal_name"
    description = "个人网站不能使用个人姓名命名（附录二；可识别的是主办人和负责人本人的姓名）。"
    severity = Severity.WARN
    exempt_under_template = True
    basis = "个人网站不能使用个人姓名命名，该词疑似姓名。"

    def vocabulary(self, ctx, site):
        names = {leader.person.name for leader in ctx.leaders()} | {ctx.app.subject.name}
        return {n for n in names if len(n) >= 2}

    def advice(self, word):
        return f"请审核人员核实；如为姓名，请删去“{word}”，改用体现网站主要内容的名称。"


@register
class PlaceNameRule(PersonalWordRule):
    id = "site_name.place_name"
    description = "个人网站不能使用地名命名（附录二；识别省级和地级行政区名称）。"
    severity = Severity.WARN
    exempt_under_template = True
    basis = "个人网站不能使用地名命名，该词为地名。"

    def vocabulary(self, ctx, site):
        return place_names().keys()

    def advice(self, word):
        return f"请删去地名“{word}”，改用体现网站主要内容的名称。"


@register
class IdiomRule(PersonalWordRule):
    id = "site_name.idiom"
    description = "个人网站不能使用成语命名（附录二；识别常见成语）。"
    severity = Severity.WARN
    exempt_under_template = True
    basis = "个人网站不能使用成语命名，该词为成语。"

    def vocabulary(self, ctx, site):
        return table("idioms")["idioms"]

    def advice(self, word):
        return f"请删去成语“{word}”，改用体现网站主要内容的名称。"
