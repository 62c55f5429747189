"""What every form rule shares: the context it reads, its base class and the registry.

A rule is a small class with an id, a Chinese description, the contract finding code
it reports, a default severity and one `check(ctx)` method. Rules register themselves
in `RULES` with `@register`; `run_form_rules` runs them all.
"""
from __future__ import annotations

import datetime as dt
import inspect
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pipeline.china_time import CHINA, china_today
from pipeline.findings import CATALOGUE, Finding, Severity
from pipeline.form import FilingForm, FormPerson



@dataclass(frozen=True)
class RuleSettings:
    """Thresholds of the form rules; the defaults are those of the seed documents."""

    order_expiry_days: int = 45  # 备案订单有效期 45 天
    min_validity_months: int = 3  # 证件有效期需大于 3 个月
    many_domains: int = 5  # 域名"过多"（核验单填写不下）from this many domains on


@dataclass(frozen=True)
class Leader:
    """A responsible person (负责人) of the form, where the form holds them."""

    path: str  # form path of the person: subject.leader or websites[N].leader
    ref: str  # material person reference: subject_leader or website_leader:N
    role: str  # 主体负责人 / 网站负责人
    person: FormPerson

    @property
    def identity(self) -> tuple[str, str]:
        return person_identity(self.person)


def in_china(moment: dt.datetime) -> dt.datetime:
    """An aware time; a naive one is taken as Beijing time."""
    return moment.replace(tzinfo=CHINA) if moment.tzinfo is None else moment


def person_identity(person: FormPerson) -> tuple[str, str]:
    """Two form entries with the same certificate are the same person."""
    return person.cert_type, person.cert_number.strip().upper()


@dataclass(frozen=True)
class RuleContext:
    app: FilingForm
    now: dt.datetime
    last_activity_at: dt.datetime | None = None
    settings: RuleSettings = field(default_factory=RuleSettings)

    @property
    def is_individual(self) -> bool:
        return self.app.subject.nature == "individual"

    @property
    def today(self) -> dt.date:
        """The date in China (管局 dates are Beijing time)."""
        return china_today(in_china(self.now))

    def leaders(self) -> list[Leader]:
        """The subject leader, then every website leader the form fills in itself."""
        out = [Leader("subject.leader", "subject_leader", "主体负责人", self.app.subject.leader)]
        for index, site in enumerate(self.app.websites):
            if site.leader is not None:
                out.append(Leader(f"websites[{index}].leader", f"website_leader:{index}",
                                  "网站负责人", site.leader))
        return out

    def distinct_leaders(self) -> list[Leader]:
        """`leaders()` with each person (by certificate) once."""
        seen: set[tuple[str, str]] = set()
        out = []
        for leader in self.leaders():
            if leader.identity not in seen:
                seen.add(leader.identity)
                out.append(leader)
        return out


class Rule(ABC):
    """One check of the form. Subclasses set the class attributes and `check`."""

    id: ClassVar[str]
    description: ClassVar[str]  # 中文：这条规则查什么、依据哪份文件
    code: ClassVar[str]
    severity: ClassVar[Severity]

    @abstractmethod
    def check(self, ctx: RuleContext) -> list[Finding]:
        """Every finding of this rule on the form in `ctx`."""

    def finding(self, message: str, *, field: str, observed: Any = None,
                expected: Any = None, severity: Severity | None = None,
                **evidence: Any) -> Finding:
        return Finding(
            code=self.code, message=message, severity=severity or self.severity,
            field=field, observed=_text(observed), expected=_text(expected),
            evidence={"rule": self.id, **evidence})


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


RULES: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to `RULES` under its id."""
    if inspect.isabstract(cls):  # a hook left out: refused at import, not at inspection
        raise TypeError(f"rule {cls.__name__} leaves {sorted(cls.__abstractmethods__)} undefined")
    if cls.code not in CATALOGUE:
        raise ValueError(f"rule {cls.id} reports unknown code {cls.code}")
    if cls.id in RULES:
        raise ValueError(f"rule id {cls.id} registered twice")
    RULES[cls.id] = cls
    return cls


class RuleError(Exception):
    """Some rules raised. The findings of the rules that ran are attached."""

    def __init__(self, failed: dict[str, str], findings: list[Finding]) -> None:
        super().__init__("form rules failed: " + ", ".join(sorted(failed)))
        self.failed = failed  # rule id -> "ExceptionType: message"
        self.findings = findings
