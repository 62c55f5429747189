"""域名: syntax, IDN, the registrable domain itself, and a top-level domain approved by the MIIT.

Source: seeds/000 备案准备 and seeds/002 网站域名准备与检查 (域名的顶级域名已获工信部批复);
seeds/001 1.1 基础信息校验 (填写备案的网站域名，格式如Aliyun.com) and 3.2 (每个网站仅支持备案
一个域名).
"""
from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass, field

import idna

from pipeline.findings import Finding, Severity
from pipeline.labels import NATURE_LABELS
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.tables import table

_ASCII_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass
class ParsedDomain:
    labels: list[str] = field(default_factory=list)  # Unicode form, lower case
    problems: list[str] = field(default_factory=list)  # 中文: what makes it unusable

    @property
    def tld(self) -> str:
        return self.labels[-1] if self.labels else ""

    @property
    def suffix_length(self) -> int:
        """1, or 2 for the registrable second levels under .cn (com.cn, bj.cn ...)."""
        second = set(table("tlds")["cn_second_level"]["labels"])
        return 2 if len(self.labels) >= 2 and self.tld == "cn" and self.labels[-2] in second else 1

    @property
    def suffix(self) -> str:
        return ".".join(self.labels[-self.suffix_length:])


def parse_domain(raw: str) -> ParsedDomain:
    text = raw.strip()
    if re.search(r"[/:\\?#@\s]", text):
        return ParsedDomain(problems=["只填写域名本身，不带 http://、端口、路径或空格"])
    text = text.lower().rstrip(".")
    labels = text.split(".")
    if len(labels) < 2 or "" in labels:
        return ParsedDomain(problems=["域名须由以点分隔的名称和顶级域组成，如 example.cn"])
    parsed = ParsedDomain()
    for label in labels:
        unicode_label, problem = _check_label(label)
        parsed.labels.append(unicode_label)
        if problem:
            parsed.problems.append(problem)
    if not parsed.problems and len(_ascii(text)) > 253:
        parsed.problems.append("域名总长度超过 253 个字符")
    return parsed


def _check_label(label: str) -> tuple[str, str | None]:
    """(Unicode form, problem) of one label; IDN labels go through IDNA 2008."""
    try:
        if not label.isascii():
            idna.encode(label, uts46=True)
            return label, None
        if label.startswith("xn--"):
            return idna.decode(label), None
    except (idna.IDNAError, UnicodeError):
        return label, f"“{label}”不是有效的中文（国际化）域名"
    if not _ASCII_LABEL.match(label) or label[2:4] == "--":
        return label, f"“{label}”含非法字符或格式错误（只能用字母、数字和中划线，首尾不能为中划线，每段最长 63 个字符）"
    return label, None


def _ascii(text: str) -> str:
    try:
        return idna.encode(text, uts46=True).decode()
    except (idna.IDNAError, UnicodeError):
        return text


class DomainRule(Rule):
    code = "DOMAIN_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        return [f for index, site in enumerate(ctx.app.websites)
                for f in self.check_domain(ctx, f"websites[{index}].domain", site.domain)]

    @abstractmethod
    def check_domain(self, ctx: RuleContext, field: str, domain: str) -> list[Finding]:
        """The findings on one website's domain, `field` naming it in the form."""


@register
class DomainSyntaxRule(DomainRule):
    id = "domains.syntax"
    description = "域名须符合域名语法（含中文域名的 IDNA 规则），格式如 Aliyun.com。"

    def check_domain(self, ctx, field, domain):
        problems = parse_domain(domain).problems
        if not problems:
            return []
        return [self.finding(
            f"域名“{domain}”不符合要求：{'；'.join(problems)}。请填写已注册的网站域名，格式如 example.cn。",
            field=field, observed=domain, problems=problems)]


@register
class RegistrableDomainRule(DomainRule):
    id = "domains.registrable"
    description = "备案填写注册的主域名本身（如 example.com.cn），不带 www 或其他子域名。"

    def check_domain(self, ctx, field, domain):
        parsed = parse_domain(domain)
        if parsed.problems or len(parsed.labels) == parsed.suffix_length + 1:
            return []
        if len(parsed.labels) <= parsed.suffix_length:
            problem = f"“{domain}”只是域名后缀，缺少注册的域名部分"
            expected = f"example.{parsed.suffix}"
        else:
            expected = ".".join(parsed.labels[-parsed.suffix_length - 1:])
            problem = f"“{domain}”带有子域名，备案须填写注册的主域名 {expected}"
        return [self.finding(f"{problem}。请改为填写主域名（不带 www 等前缀）。",
                             field=field, observed=domain, expected=expected)]


@register
class ApprovedTldRule(DomainRule):
    id = "domains.approved_tld"
    description = "域名的顶级域名须已获工信部批复（未在批复列表中的顶级域提示审核人员核实）。"
    severity = Severity.WARN

    def check_domain(self, ctx, field, domain):
        parsed = parse_domain(domain)
        if parsed.problems or parsed.tld in table("tlds")["approved"]:
            return []
        return [self.finding(
            f"域名“{domain}”的顶级域 .{parsed.tld} 不在工信部已批复的顶级域名列表中。未获批复的顶级域名"
            "不能备案，请核实或更换为已批复顶级域（如 .cn、.com、.中国）的域名。",
            field=field, observed=f".{parsed.tld}")]


@register
class RestrictedSuffixRule(DomainRule):
    id = "domains.restricted_suffix"
    description = ".gov.cn、.edu.cn、.mil.cn 等域名只能由相应性质的单位注册（提示）。"
    severity = Severity.WARN

    def check_domain(self, ctx, field, domain):
        parsed = parse_domain(domain)
        allowed = table("tlds")["restricted_suffixes"].get(parsed.suffix)
        nature = ctx.app.subject.nature
        if parsed.problems or allowed is None or nature in allowed:
            return []
        return [self.finding(
            f"域名“{domain}”属于 .{parsed.suffix}，该类域名只能由特定性质的单位注册，与主办单位性质"
            f"{NATURE_LABELS[nature]}不符。请核实域名持有者与主办单位是否一致。",
            field=field, observed=f".{parsed.suffix}", expected="、".join(NATURE_LABELS[n] for n in allowed))]


@register
class UniqueDomainRule(Rule):
    id = "domains.unique"
    description = "每个网站对应一个域名，同一订单中的网站不能填写相同的域名（3.2）。"
    code = "DOMAIN_INVALID"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        seen: dict[str, int] = {}
        out = []
        for index, site in enumerate(ctx.app.websites):
            key = _ascii(site.domain.strip().lower().rstrip("."))
            first = seen.setdefault(key, index)
            if first != index:
                out.append(self.finding(
                    f"网站「{site.name}」的域名 {site.domain} 与第 {first + 1} 个网站的域名相同。每个网站对应"
                    "一个域名，同一域名只能备案在一个网站下，请删除重复的网站或更换域名。",
                    field=f"websites[{index}].domain", observed=site.domain))
        return out
