"""网站名称: the naming rules every site follows (seeds/001 3.1 附录一、附录二)."""
from __future__ import annotations

import re
from abc import abstractmethod

from pipeline.findings import Finding, Severity
from pipeline.form import FormWebsite
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.tables import table, words
from pipeline.rules.text import find_words, halfwidth, han_count, is_han, shares_run

_LATIN_OR_DIGITS = re.compile(r"^[A-Za-z0-9 ]+$")


class SiteNameRule(Rule):
    """A rule applied to the name of every website of the order."""

    code = "SITE_NAME_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        if not self.applies(ctx):
            return []
        out: list[Finding] = []
        for index, site in enumerate(ctx.app.websites):
            out.extend(self.check_name(ctx, f"websites[{index}].name", site))
        return out

    def applies(self, ctx: RuleContext) -> bool:
        return True

    @abstractmethod
    def check_name(self, ctx: RuleContext, field: str, site: FormWebsite) -> list[Finding]:
        """The findings on one website's name, `field` naming it in the form."""


@register
class PureLatinOrDigitsRule(SiteNameRule):
    id = "site_name.pure_latin_or_digits"
    description = "网站名称不能使用纯数字、纯英文命名（附录一/附录二）。"

    def check_name(self, ctx, field, site):
        name = halfwidth(site.name)
        if not _LATIN_OR_DIGITS.match(name):
            return []
        kind = "纯数字" if name.replace(" ", "").isdigit() else "纯英文或字母数字"
        return [self.finding(
            f"网站名称「{site.name}」为{kind}。网站名称不能使用纯数字、纯英文命名，"
            "请改为由 3 个及以上汉字组成的名称。", field=field, observed=site.name)]


@register
class MinimumHanRule(SiteNameRule):
    id = "site_name.min_han"
    description = "网站名称须使用 3 个或 3 个以上汉字（附录一/附录二）。"

    def check_name(self, ctx, field, site):
        minimum = table("site_names")["min_han_characters"]
        count = han_count(site.name)
        if count >= minimum or _LATIN_OR_DIGITS.match(halfwidth(site.name)):
            return []
        return [self.finding(
            f"网站名称「{site.name}」只有 {count} 个汉字。网站名称须由 {minimum} 个及以上汉字组成，"
            "请补充汉字。", field=field, observed=site.name, expected=f">= {minimum} 个汉字",
            han_count=count)]


@register
class SpecialSymbolRule(SiteNameRule):
    id = "site_name.special_symbol"
    description = "网站名称不能包含特殊符号（附录一/附录二）。"

    def check_name(self, ctx, field, site):
        symbols = sorted({c for c in halfwidth(site.name) if not (is_han(c) or c.isascii() and c.isalnum())})
        if not symbols:
            return []
        shown = "".join("空格" if c.isspace() else c for c in symbols)
        return [self.finding(
            f"网站名称「{site.name}」含有特殊符号“{shown}”。网站名称不能包含特殊符号（含空格、标点），"
            "请删去这些符号。", field=field, observed="".join(symbols))]


@register
class ReservedPrefixRule(SiteNameRule):
    id = "site_name.reserved_prefix"
    description = "非国家单位不得以中国、中华、中央、人民、人大、国家等字头命名（附录一/附录二）。"

    def check_name(self, ctx, field, site):
        subject = ctx.app.subject
        for prefix in table("site_names")["reserved_prefixes"]["words"]:
            # A subject whose registered name already carries the prefix was allowed it.
            if site.name.startswith(prefix) and subject.nature != "government" \
                    and not subject.name.startswith(prefix):
                return [self.finding(
                    f"网站名称「{site.name}」以“{prefix}”开头。非国家单位不得以中国、中华、中央、"
                    "人民、人大、国家等字头命名，请去掉该字头后重新命名。",
                    field=field, observed=prefix)]
        return []


@register
class DomainAsNameRule(SiteNameRule):
    id = "site_name.domain_as_name"
    description = "不能直接以网站域名命名（附录一）。"

    def check_name(self, ctx, field, site):
        name = halfwidth(site.name).lower().replace(" ", "").removeprefix("www.")
        domain = site.domain.strip().lower().removeprefix("www.")
        label = domain.split(".")[0]
        # A Chinese label (云帆科技.cn named 云帆科技) is a name, not the domain.
        if domain not in name and not (label.isascii() and name == label):
            return []
        return [self.finding(
            f"网站名称「{site.name}」直接使用了网站域名 {site.domain}。不能直接以网站域名命名，"
            "请改为体现网站内容、与主办单位相关的中文名称。", field=field, observed=site.domain)]


@register
class SensitiveWordRule(SiteNameRule):
    id = "site_name.sensitive_word"
    description = "不能使用敏感词语（如反腐、赌博、廉政、色情等）命名（附录一/附录二）。"

    def check_name(self, ctx, field, site):
        found = find_words(site.name, words(table("site_names")["sensitive_words"]))
        return [self.finding(
            f"网站名称「{site.name}」含有敏感词“{word}”。网站名称不能使用反腐、赌博、廉政、色情等"
            "敏感词语，请删去该词。", field=field, observed=word) for word in found]


@register
class UnitRelevanceRule(SiteNameRule):
    id = "site_name.unit_relevance"
    description = "网站名称需与主办单位名称有关联性（3.1 网站信息填写规范），由审核人员判断。"
    severity = Severity.WARN

    def applies(self, ctx):
        return not ctx.is_individual

    def check_name(self, ctx, field, site):
        names = table("site_names")
        run = names["unit"]["relevance"]["min_shared_run"]
        # A name that is already too short is refused by site_name.min_han.
        if han_count(site.name) < names["min_han_characters"] or shares_run(site.name, ctx.app.subject.name, run):
            return []
        return [self.finding(
            f"网站名称「{site.name}」与主办单位名称「{ctx.app.subject.name}」看不出关联。网站名称需与"
            "主办单位名称有关联性，请审核人员核实，必要时建议改用与主体相关的名称。",
            field=field, observed=site.name, expected=ctx.app.subject.name)]
