"""Form data and extracted fields side by side, for the application page.

Every value that holds personal data is masked here (`shown`) and carries the key
under which a reviewer may reveal it; rows the inspection reported a finding on
carry that finding's severity, and an extracted value that differs from the form
is marked even when no finding was raised.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pipeline.labels import CERT_TYPE_LABELS, CONTENT_TYPE_LABELS, NATURE_LABELS
from reviewer.services.masking import disputed_masks, is_personal, mask_field, mask_text

SUBJECT_FIELDS = (("nature", "主办单位性质", NATURE_LABELS), ("cert_type", "证件类型", CERT_TYPE_LABELS),
                  ("name", "主办单位名称", None), ("cert_number", "证件号码", None),
                  ("cert_address", "证件住所", None), ("mail_address", "通信地址", None),
                  ("investor", "投资人或主管单位", None), ("remarks", "备注", None))
PERSON_FIELDS = (("name", "姓名", None), ("cert_type", "证件类型", CERT_TYPE_LABELS),
                 ("cert_number", "证件号码", None), ("cert_valid_until", "证件有效期至", None),
                 ("mobile", "手机号码", None), ("phone2", "办公电话", None),
                 ("emergency_phone", "应急联系电话", None), ("email", "电子邮箱", None))
WEBSITE_FIELDS = (("name", "网站名称", None), ("domain", "域名", None),
                  ("content_type", "内容类型", CONTENT_TYPE_LABELS), ("languages", "语言", None),
                  ("pre_approvals", "前置审批", CONTENT_TYPE_LABELS))
EXTRACTED_LABELS = {
    "name": "姓名/名称", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "address": "住址", "id_number": "公民身份号码", "issuer": "签发机关",
    "valid_from": "有效期起", "valid_until": "有效期至", "credit_code": "统一社会信用代码",
    "entity_type": "类型", "legal_representative": "法定代表人", "registered_capital": "注册资本",
    "established": "成立日期", "term_until": "营业期限至", "business_scope": "经营范围",
}
# Which form entry an extracted field is compared with ({leader}: the material's person).
COUNTERPARTS = {
    "id_card_front": {"name": "{leader}.name", "id_number": "{leader}.cert_number"},
    "id_card_back": {"valid_until": "{leader}.cert_valid_until"},
    "business_license": {"name": "subject.name", "credit_code": "subject.cert_number",
                         "legal_representative": "subject.leader.name",
                         "address": "subject.cert_address"},
}
LONG_TERM = "长期"


@dataclass
class FormRow:
    path: str
    label: str
    shown: str
    personal: bool = False
    severity: str | None = None  # of the worst finding on this path


@dataclass
class FormSection:
    title: str
    path: str
    rows: list[FormRow] = field(default_factory=list)


def lookup(form: dict, path: str) -> Any:
    """The value at a form path like `websites[0].leader.mobile`; None if absent."""
    node: Any = form
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _text(value: Any, labels: dict | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "、".join(_text(v, labels) for v in value)
    if value == "long_term":
        return LONG_TERM
    return labels.get(value, str(value)) if labels else str(value)


def worst(severities) -> str | None:
    rank = {"block": 3, "warn": 2, "info": 1}
    return max(severities, key=lambda s: rank.get(s, 0), default=None)


def _section(title: str, path: str, data: dict, spec, cert_type: str | None,
             by_path: dict[str, list[str]]) -> FormSection:
    section = FormSection(title, path)
    for name, label, labels in spec:
        row_path = f"{path}.{name}"
        value = data.get(name)
        personal = is_personal(row_path, cert_type=cert_type) and bool(value)
        shown = mask_field(row_path, value, cert_type=cert_type) if personal \
            else mask_text(_text(value, labels))
        section.rows.append(FormRow(row_path, label, shown, personal,
                                    worst(by_path.get(row_path, []))))
    return section


def form_sections(form: dict, findings) -> list[FormSection]:
    by_path: dict[str, list[str]] = {}
    for finding in findings:
        if finding.field and finding.material_id is None:
            by_path.setdefault(finding.field, []).append(finding.severity)
    subject = form.get("subject") or {}
    sections = [_section("主办单位", "subject", subject, SUBJECT_FIELDS,
                         subject.get("cert_type"), by_path)]
    leader = subject.get("leader") or {}
    sections.append(_section("主体负责人", "subject.leader", leader, PERSON_FIELDS,
                             leader.get("cert_type"), by_path))
    for index, site in enumerate(form.get("websites") or []):
        path = f"websites[{index}]"
        sections.append(_section(f"网站 {index + 1}", path, site, WEBSITE_FIELDS, None, by_path))
        if site.get("leader"):
            sections.append(_section(f"网站 {index + 1} 负责人", f"{path}.leader",
                                     site["leader"], PERSON_FIELDS,
                                     site["leader"].get("cert_type"), by_path))
    return sections


def leader_path(person_ref: str | None, form: dict) -> str:
    if person_ref and person_ref.startswith("website_leader:"):
        index = person_ref.split(":", 1)[1]
        if lookup(form, f"websites[{index}].leader"):
            return f"websites[{index}].leader"
    return "subject.leader"


@dataclass
class CompareRow:
    field: str
    label: str
    form_path: str | None
    form_shown: str
    extracted_shown: str
    raw_shown: str
    confidence: float | None
    extracted_id: int
    personal: bool
    severity: str | None  # a finding on this material and field
    differs: bool  # extracted and form values differ (finding or not)
    has_box: bool


@dataclass
class MaterialComparison:
    material: str
    kind: str
    rows: list[CompareRow] = field(default_factory=list)


def normalise(value: Any) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = "".join(text.split()).upper()
    return LONG_TERM.upper() if text in ("LONG_TERM", LONG_TERM) else text


def comparisons(form: dict, extracted_rows, findings, person_of: dict[int, str | None]):
    """`person_of`: each material's person reference, by material id."""
    by_key: dict[tuple[int, str], list[str]] = {}
    for finding in findings:
        if finding.material_id and finding.field:
            key = (finding.material_id, finding.field.rsplit(".", 1)[-1])
            by_key.setdefault(key, []).append(finding.severity)
    grouped: dict[int, MaterialComparison] = {}
    for row in extracted_rows:
        entry = grouped.setdefault(row.material_id,
                                   MaterialComparison(row.material_name, row.kind))
        entry.rows.append(_compare_row(form, row, by_key, person_of.get(row.material_id)))
    return list(grouped.values())


def _compare_row(form: dict, row, by_key, person_ref: str | None) -> CompareRow:
    template = COUNTERPARTS.get(row.kind, {}).get(row.field)
    path = template.format(leader=leader_path(person_ref, form)) if template else None
    form_value = lookup(form, path) if path else None
    personal = row.field == "id_number"
    differs = path is not None and form_value not in (None, "") and \
        normalise(form_value) != normalise(row.value)
    shown = disputed_masks(form_value, row.value) if differs else {}
    masker = (lambda v: mask_field(row.field, v, shown=shown)) if personal \
        else (lambda v: mask_text(v, shown))
    return CompareRow(
        field=row.field, label=EXTRACTED_LABELS.get(row.field, row.field), form_path=path,
        form_shown=masker(_text(form_value, None)) if path else "",
        extracted_shown=masker(_text(row.value, None)), raw_shown=masker(row.raw or ""),
        confidence=row.confidence, extracted_id=row.id, personal=personal,
        severity=worst(by_key.get((row.material_id, row.field), [])), differs=differs,
        has_box=bool(row.box))
