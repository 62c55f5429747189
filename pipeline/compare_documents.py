"""What the ID cards and the business license say against what the form says.

The fields come from each material's `ExtractedDocument`; the person a card
belongs to is the material's `person` reference, the license belongs to the
subject. A field read with low confidence gives a warning for a reviewer rather
than a block: OCR may be wrong where the applicant is not. Every finding carries
the form's value, the read value, and where on the image it was read.
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Callable

from pipeline.analysis import ExtractedDocument, MaterialAnalysis
from pipeline.documents.numbers import (id_as_read, id_birth_date, id_sex,
                                        valid_registration_number, valid_resident_id,
                                        valid_uscc)
from pipeline.documents.text import normalize_name
from pipeline.findings import Finding, Severity
from pipeline.form import FilingForm, FormMaterial, FormPerson

LOW_CONFIDENCE_NOTE = "（识别置信度较低，请审核人员对照原图核实）"


class _Context:
    def __init__(self, analysis: MaterialAnalysis, doc: ExtractedDocument,
                 low_confidence: float) -> None:
        self.analysis, self.doc, self.low = analysis, doc, low_confidence

    def sure(self, name: str) -> bool:
        return self.doc.confidence.get(name, 0.0) >= self.low

    def finding(self, code: str, name: str, expected: str, message: str, *,
                sure: bool | None = None) -> Finding:
        sure = self.sure(name) if sure is None else sure
        return Finding(
            code=code, material=self.analysis.file, field=name, expected=expected,
            observed=self.doc.fields.get(name, ""),
            severity=None if sure else Severity.WARN,
            message=message if sure else message + LOW_CONFIDENCE_NOTE,
            evidence={"box": self.doc.boxes.get(name), "raw": self.doc.raw.get(name, ""),
                      "confidence": self.doc.confidence.get(name)})


def compare_documents(app: FilingForm, analyses: list[MaterialAnalysis], *, today: dt.date,
                      low_confidence: float = 0.80) -> list[Finding]:
    materials = {m.file: m for m in app.materials}
    findings: list[Finding] = []
    for analysis in analyses:
        material = materials.get(analysis.file)
        doc = analysis.extracted
        if material is None or doc is None or _wrong_kind(analysis):
            continue
        check = CHECKS.get(doc.kind)
        if check is not None:
            findings.extend(check(app, material, _Context(analysis, doc, low_confidence), today))
    return findings


def _wrong_kind(analysis: MaterialAnalysis) -> bool:
    return any(f.code == "MATERIAL_WRONG_KIND" for f in analysis.findings)


# --- 身份证人像面 -------------------------------------------------------------

def _id_front(app: FilingForm, material: FormMaterial, ctx: _Context, today: dt.date
              ) -> list[Finding]:
    person = app.leader_for(material.person)
    if person is None:
        return []
    out = _name(ctx, "name", person.name, "ID_NAME_MISMATCH",
                f"身份证上的姓名与填写的负责人姓名「{person.name}」不一致，请核对填写信息或上传本人身份证。")
    if person.cert_type == "resident_id":
        out += _id_number(ctx, person, today)
    return out


def _id_number(ctx: _Context, person: FormPerson, today: dt.date) -> list[Finding]:
    read = ctx.doc.fields.get("id_number", "")
    if not read:
        return []
    form = person.cert_number.strip().upper()
    as_read = id_as_read(ctx.doc.raw.get("id_number", ""))
    if as_read == form and read != form and not valid_resident_id(form, today=today):
        read = form  # the card reads as the form, digit for digit: a repair made it valid
    if valid_resident_id(read, today=today):
        if read != form:
            return [ctx.finding("ID_NUMBER_MISMATCH", "id_number", form,
                                f"身份证号码与填写的证件号码「{form}」不一致，请核对。")]
        return _printed_vs_number(ctx, read)
    if read == form:
        return [ctx.finding("ID_NUMBER_INVALID", "id_number", form,
                            "身份证号码的校验位或出生日期无效，请核对证件号码。")]
    return [ctx.finding("ID_NUMBER_MISMATCH", "id_number", form,
                        f"识别到的身份证号码未通过校验，且与填写的「{form}」不一致，"
                        "可能是识别错误，请人工核对。", sure=False)]


def _printed_vs_number(ctx: _Context, number: str) -> list[Finding]:
    """出生 and 性别 as printed must agree with the number (GB 11643)."""
    out = []
    born = id_birth_date(number)
    birth = ctx.doc.fields.get("birth_date")
    if birth and born and ctx.sure("birth_date") and birth != born.isoformat():
        out.append(ctx.finding("ID_NUMBER_INVALID", "birth_date", born.isoformat(),
                               "证件上印的出生日期与身份证号码中的出生日期不一致，请核实证件真伪。",
                               sure=False))
    sex = ctx.doc.fields.get("sex")
    if sex and ctx.sure("sex") and sex != id_sex(number):
        out.append(ctx.finding("ID_NUMBER_INVALID", "sex", id_sex(number) or "",
                               "证件上印的性别与身份证号码不一致，请核实证件真伪。", sure=False))
    return out


# --- 身份证国徽面 -------------------------------------------------------------

def _id_back(app: FilingForm, material: FormMaterial, ctx: _Context, today: dt.date
             ) -> list[Finding]:
    until = ctx.doc.fields.get("valid_until", "")
    if not until or until == "long_term":
        return []
    try:
        end = dt.date.fromisoformat(until)
    except ValueError:
        return []
    if end < today:
        return [ctx.finding("ID_EXPIRED", "valid_until", f"晚于 {today.isoformat()}",
                            f"身份证已于 {end.isoformat()} 过期，请换领新证后上传。")]
    if end < add_months(today, 3):
        return [ctx.finding("ID_EXPIRES_SOON", "valid_until", f"晚于 {add_months(today, 3)}",
                            f"身份证将于 {end.isoformat()} 到期，有效期不足 3 个月，"
                            "请换领新证后再提交备案。")]
    return []


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


# --- 营业执照 -------------------------------------------------------------------

def _license(app: FilingForm, material: FormMaterial, ctx: _Context, today: dt.date
             ) -> list[Finding]:
    subject = app.subject
    out = _name(ctx, "name", subject.name, "LICENSE_NAME_MISMATCH",
                f"营业执照上的名称与填写的主办单位名称「{subject.name}」不一致，"
                "请按营业执照填写单位全称。")
    out += _credit_code(ctx, subject.cert_number.strip().upper())
    out += _name(ctx, "legal_representative", subject.leader.name, "LICENSE_LEGAL_REP_MISMATCH",
                 f"主体负责人「{subject.leader.name}」不是营业执照上的法定代表人（负责人），"
                 "请核实；非法定代表人担任负责人时需提供授权委托书。")
    return out


def _credit_code(ctx: _Context, form: str) -> list[Finding]:
    read = ctx.doc.fields.get("credit_code", "")
    if not read:
        return _registration_number(ctx, form)
    if valid_uscc(read):
        return [] if read == form else [ctx.finding(
            "LICENSE_CODE_MISMATCH", "credit_code", form,
            f"营业执照上的统一社会信用代码与填写的「{form}」不一致，请核对。")]
    if read == form:
        return [ctx.finding("LICENSE_CODE_INVALID", "credit_code", form,
                            "统一社会信用代码未通过校验，请核对证件号码。")]
    return [ctx.finding("LICENSE_CODE_MISMATCH", "credit_code", form,
                        f"识别到的统一社会信用代码未通过校验，且与填写的「{form}」不一致，"
                        "可能是识别错误，请人工核对。", sure=False)]


def _registration_number(ctx: _Context, form: str) -> list[Finding]:
    """A license printing only a 注册号, against a form that gives a 15-digit number (a
    form giving a credit code is left to LICENSE_NO_CREDIT_CODE)."""
    read = ctx.doc.fields.get("registration_number", "")
    if not read or not form.isdigit() or len(form) != 15:
        return []
    valid = valid_registration_number(read)
    if read == form:
        return [] if valid else [ctx.finding(
            "LICENSE_CODE_INVALID", "registration_number", form,
            "营业执照注册号未通过校验，请核对证件号码。")]
    return [ctx.finding("LICENSE_CODE_MISMATCH", "registration_number", form,
                        f"营业执照上的注册号与填写的「{form}」不一致，请核对。", sure=None if valid
                        else False)]


def _name(ctx: _Context, name: str, expected: str, code: str, message: str) -> list[Finding]:
    read = ctx.doc.fields.get(name, "")
    if not read or normalize_name(read) == normalize_name(expected):
        return []
    return [ctx.finding(code, name, expected, message)]


CHECKS: dict[str, Callable[[FilingForm, FormMaterial, _Context, dt.date], list[Finding]]] = {
    "id_card_front": _id_front,
    "id_card_back": _id_back,
    "business_license": _license,
}
