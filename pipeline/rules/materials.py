"""备案资料: what an application should carry, and the rule that reports what is missing.

Source: `data/materials.json` — the 5图资料 and 辅助资料 of seeds/002 备案材料, the 上海
app verification of seeds/000 and seeds/004, the 湖南 rule of seeds/001 3.2, and the
provinces asking for an authorization letter (see the table's own note on its source).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.findings import Finding, Severity
from pipeline.form import FilingForm, FormPerson
from pipeline.labels import CERT_TYPE_LABELS
from pipeline.rules.base import Rule, RuleContext, RuleSettings, person_identity, register
from pipeline.rules.pre_approval import needs_pre_approval
from pipeline.rules.tables import table
from pipeline.rules.text import find_words

# An 投资人或主管单位 naming a body rather than a person (法定代表人姓名).
_BODY = re.compile(r"(公司|单位|集团|政府|委员会|局|厅|部|院|校|会|中心|办公室|所|社|队|站)")


@dataclass(frozen=True)
class RequiredMaterial:
    kind: str
    label: str  # 中文名称，如“主体负责人王建国的居民身份证正面”
    reason: str  # 中文：为什么需要、依据
    person: str | None = None  # subject_leader | website_leader:N
    alternatives: tuple[str, ...] = ()  # other kinds that serve as well (幕布照片 for 人脸核验)
    severity: Severity = Severity.BLOCK  # of MATERIAL_MISSING when it is not attached
    code: str = "MATERIAL_MISSING"  # the finding code that reports its absence

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *self.alternatives)


def required_materials(app: FilingForm,
                       settings: RuleSettings | None = None) -> list[RequiredMaterial]:
    """Everything the application should carry, by nature, filing type and province."""
    settings = settings or RuleSettings()
    return [*_certificates(app), *_verification(app), *_pre_approvals(app),
            *_authorization_letters(app), *_province_extras(app, settings)]


def _five_pictures() -> dict:
    return table("materials")["five_pictures"]


def _id_documents(person: FormPerson, ref: str, role: str, reason: str) -> list[RequiredMaterial]:
    cert = CERT_TYPE_LABELS[person.cert_type]
    out = [RequiredMaterial("id_card_front", f"{role}{person.name}的{cert}正面", reason, ref)]
    if person.cert_type not in _five_pictures()["single_sided_certs"]:
        out.append(RequiredMaterial("id_card_back", f"{role}{person.name}的{cert}反面", reason, ref))
    return out


def _website_leaders(app: FilingForm) -> list[tuple[str, FormPerson]]:
    """(website_leader:N, person) for each distinct person leading a website."""
    seen, out = set(), []
    for index in range(len(app.websites)):
        person = app.leader_for(f"website_leader:{index}")
        if person is not None and person_identity(person) not in seen:
            seen.add(person_identity(person))
            out.append((f"website_leader:{index}", person))
    return out


def _certificates(app: FilingForm) -> list[RequiredMaterial]:
    subject, leader = app.subject, app.subject.leader
    out = []
    if subject.nature != "individual":
        out.append(RequiredMaterial(
            "business_license", f"主办单位证件（{CERT_TYPE_LABELS[subject.cert_type]}）",
            "单位备案须提供主办单位证件原件的彩色扫描件或照片（5图资料：主办单位证件）。"))
    reason = ("个人备案的主办单位证件、主体负责人证件和网站负责人证件均为本人身份证件，上传一次即可。"
              if subject.nature == "individual" else "5图资料：主体负责人证件，核验主体负责人身份信息。")
    out += _id_documents(leader, "subject_leader", "主体负责人", reason)
    for ref, person in _website_leaders(app):
        if person_identity(person) != person_identity(leader):
            out += _id_documents(person, ref, "网站负责人", "5图资料：网站负责人证件，核验网站负责人身份信息。")
    return out


def _verification(app: FilingForm) -> list[RequiredMaterial]:
    out = [RequiredMaterial("verification_form", "网站备案信息真实性核验单",
                            "5图资料：真实性核验单，须下载当地管局模板、打印后用黑色签字笔填写，再扫描或拍照上传。")]
    if app.province in table("materials")["face_verified_in_app"]:
        return out  # 上海: verified in the 管局 app, nothing to upload
    people = _website_leaders(app) or [("subject_leader", app.subject.leader)]
    face, *others = _five_pictures()["face_kinds"]
    for ref, person in people:
        out.append(RequiredMaterial(
            face, f"网站负责人{person.name}的人脸核验或幕布拍照核验照片",
            "5图资料：人脸核验或幕布拍照核验，核验网站负责人的真实性。", ref, tuple(others)))
    return out


def _pre_approvals(app: FilingForm) -> list[RequiredMaterial]:
    labels = table("pre_approvals")["content_types"]
    return [RequiredMaterial(
        "pre_approval", f"网站「{site.name}」的{labels[t]['label']}类前置审批文件",
        f"网站内容涉及{labels[t]['label']}，须提供{labels[t]['authority']}的前置审批文件。",
        code="PRE_APPROVAL_REQUIRED")
        for site in app.websites for t in needs_pre_approval(site)]


def legal_representative(app: FilingForm) -> str | None:
    """The 法定代表人 named by 投资人或主管单位, where it names a person."""
    investor = app.subject.investor.strip()
    if not investor or investor == app.subject.name or _BODY.search(investor):
        return None
    return investor


def _authorization_letters(app: FilingForm) -> list[RequiredMaterial]:
    section = table("materials")["authorization_letter"]
    roles = section["provinces"].get(app.province, [])
    legal = legal_representative(app)
    if app.subject.nature == "individual" or legal is None:
        return []
    people = [("subject_leader", "主体负责人", app.subject.leader)] if "subject_leader" in roles else []
    if "website_leader" in roles:
        people += [(ref, "网站负责人", p) for ref, p in _website_leaders(app)]
    seen, out = set(), []
    for ref, role, person in people:
        if person.name != legal and person_identity(person) not in seen:
            seen.add(person_identity(person))
            out.append(RequiredMaterial(
                "authorization_letter", f"{role}{person.name}的授权书",
                f"{role}{person.name}不是法定代表人{legal}，{app.province}管局要求提供负责人授权书。",
                ref, severity=Severity(section["severity"])))
    return out


def _province_extras(app: FilingForm, settings: RuleSettings) -> list[RequiredMaterial]:
    return [RequiredMaterial(e["kind"], e["label"], e["quote"], severity=Severity(e["severity"]))
            for e in table("materials")["province_extras"]
            if e["province"] == app.province and _nature_fits(e["natures"], app)
            and _condition_holds(e["when"], app, settings)]


def _nature_fits(natures: str, app: FilingForm) -> bool:
    individual = app.subject.nature == "individual"
    return natures == "any" or (natures == "unit") != individual


def _condition_holds(when: str, app: FilingForm, settings: RuleSettings) -> bool:
    if when == "many_domains":
        return len(app.websites) >= settings.many_domains
    if when == "finance_content":
        finance = table("materials")["finance_words"]["words"]
        return any(find_words(site.name, finance) for site in app.websites)
    if when == "new_site":
        return app.filing_type in ("new_site_external", "new_site_internal")
    return when == "always"


def is_attached(app: FilingForm, required: RequiredMaterial) -> bool:
    """A material of a fitting kind, for the same person where a person is named."""
    wanted = app.leader_for(required.person) if required.person else None
    for material in app.materials:
        if material.kind not in required.kinds:
            continue
        if wanted is None:
            return True
        holder = app.leader_for(material.person or "subject_leader")
        if holder is not None and person_identity(holder) == person_identity(wanted):
            return True
    return False


@register
class MaterialMissingRule(Rule):
    id = "materials.missing"
    description = "按主办单位性质、备案类型和省份应提供的备案资料须齐全（5图资料及当地管局要求的辅助资料）。"
    code = "MATERIAL_MISSING"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        return [self.finding(
            f"缺少{req.label}。{req.reason}请补充上传。",
            field=_material_field(req), observed=None, expected=req.kind, severity=req.severity,
            kind=req.kind, person=req.person, alternatives=list(req.alternatives))
            for req in required_materials(ctx.app, ctx.settings)
            if req.code == self.code and not is_attached(ctx.app, req)]


def _material_field(required: RequiredMaterial) -> str:
    """materials.<kind>[<person>]: one field per missing material, so each stays distinct."""
    return f"materials.{required.kind}" + (f"[{required.person}]" if required.person else "")
