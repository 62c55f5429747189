"""Both sides of the second-generation resident ID card (第二代居民身份证).

Portrait side (人像面, our `id_card_front`): 姓名, 性别, 民族, 出生, 住址 over one
to three lines, 公民身份号码. Emblem side (国徽面, `id_card_back`): 签发机关 and
有效期限 (two dates, or a start date and 长期).
"""
from __future__ import annotations

import datetime as dt

from pipeline.analysis import ExtractedDocument, TextLine
from pipeline.documents import values
from pipeline.documents.fields import INVALID_CONFIDENCE, REPAIRED_CONFIDENCE, Fields
from pipeline.documents.layout import LabelSet, Layout, Segment, Value, merge
from pipeline.documents.numbers import (find_resident_id, id_birth_date, id_sex,
                                        repair_resident_id)
from pipeline.documents.text import han_count

FRONT_LABELS = LabelSet(
    spellings={
        "姓名": ("姓名", "娃名", "姓各"),
        "性别": ("性别", "姓别", "性剐"),
        "民族": ("民族", "民旅", "民簇"),
        "出生": ("出生",),
        "住址": ("住址", "住扯", "往址", "佳址"),
        "公民身份号码": ("公民身份号码", "公民身份证号码", "公民身份号", "公民身份", "身份号码"),
    },
    partners={"性别": ("民族",)},
    alone={"址": "住址", "别": "性别", "族": "民族"},
)
BACK_LABELS = LabelSet(spellings={
    "签发机关": ("签发机关", "签发机美", "签发机", "发机关"),
    "有效期限": ("有效期限", "有效日期", "有效期"),
    "中华人民共和国": ("中华人民共和国",),
    "居民身份证": ("居民身份证",),
})
class IdCardFrontParser:
    kind = "id_card_front"

    def parse(self, lines: list[TextLine]) -> ExtractedDocument:
        layout = Layout(lines, FRONT_LABELS)
        out = Fields(self.kind)
        name = layout.value("姓名", wraps=True)
        if name:
            out.put("name", values.person_name(values.simplified(name.text)), name)
        elif (unlabelled := _name_line(layout)) is not None:
            out.put("name", values.person_name(values.simplified(unlabelled.text)), unlabelled,
                    REPAIRED_CONFIDENCE)
        born = layout.value("出生") or _date_line(layout)
        birth = values.first_date(born.text) if born else None
        number = self._number(layout, out, birth)
        self._sex_and_ethnicity(layout, out, number)
        self._birth(out, born, birth, number)
        address = layout.value("住址", wraps=True)
        if address:
            out.put("address", values.place(address.text), address)
        elif (unlabelled := _address_lines(layout, born, number)) is not None:
            out.put("address", values.place(unlabelled.text), unlabelled, REPAIRED_CONFIDENCE)
        return out.doc

    def _number(self, layout: Layout, out: Fields, birth: dt.date | None) -> Value | None:
        found = _number_value(layout)
        if found is None:
            return None
        hint = birth.strftime("%Y%m%d") if birth else None
        repair = repair_resident_id(found.text, birth_hint=hint)
        confidence = (INVALID_CONFIDENCE if not repair.valid
                      else REPAIRED_CONFIDENCE if repair.repaired else None)
        out.put("id_number", repair.value, found, confidence)
        return found if repair.valid else None

    def _sex_and_ethnicity(self, layout: Layout, out: Fields, number: Value | None) -> None:
        """性别 as printed; when it was not read, the sex the number encodes."""
        sex = layout.value("性别")
        if sex and values.sex(sex.text):
            out.put("sex", values.sex(sex.text), sex)
        elif number is not None:
            out.put("sex", id_sex(out.doc.fields["id_number"]) or "", number, REPAIRED_CONFIDENCE)
        folk = layout.value("民族")
        if folk:
            name, snapped = values.ethnicity(folk.text)
            out.put("ethnicity", name, folk, REPAIRED_CONFIDENCE if snapped else None)

    def _birth(self, out: Fields, born: Value | None, birth: dt.date | None,
               number: Value | None) -> None:
        """出生 as printed; when it was not read, the date the number encodes."""
        if born is not None and birth is not None:
            out.put("birth_date", birth.isoformat(), born)
        elif number is not None:
            from_number = id_birth_date(out.doc.fields["id_number"])
            out.put("birth_date", values.iso(from_number), number, REPAIRED_CONFIDENCE)


def _name_line(layout: Layout) -> Value | None:
    """The name when 姓名 was not read: the value on the row just above 性别 (民族)."""
    below = next(iter(layout.find("性别") or layout.find("民族") or layout.find("出生")), None)
    if below is None:
        return None
    above = [s for s in layout.segments if s.label is None and s.y1 <= below.cy
             and below.y0 - s.y1 < 2.5 * below.height
             and 2 <= len(values.person_name(s.text)) <= 12]
    return merge([max(above, key=lambda s: s.y1)]) if above else None


def _address_lines(layout: Layout, born: Value | None, number: Value | None) -> Value | None:
    """The address when 住址 was not read: the lines between the birth and number rows."""
    if born is None or number is None:
        return None
    x0, y0, _, top = layout.frame_box(born.quad)
    _, bottom, _, _ = layout.frame_box(number.quad)
    left = x0 - 0.5 * (top - y0)  # half a line of slack
    between = [s for s in layout.segments if s.label is None and top < s.cy < bottom
               and s.x0 >= left and han_count(s.text) >= 2]
    return merge(sorted(between, key=lambda s: (s.y0, s.x0))) if between else None


def _date_line(layout: Layout) -> Value | None:
    """The 出生 line when its label was not read: the one date written 年月日."""
    for seg in layout.segments:
        if seg.label is None and "年" in seg.text and "月" in seg.text \
                and values.first_date(seg.text):
            return merge([seg])
    return None


def _number_value(layout: Layout) -> Value | None:
    labelled = layout.value("公民身份号码")
    if labelled and find_resident_id(labelled.text):
        return labelled
    candidates = [s for s in layout.segments if s.label is None and find_resident_id(s.text)]
    if not candidates:
        return labelled
    best: Segment = max(candidates, key=lambda s: (s.y1, s.confidence))
    value = merge([best])
    value.text = find_resident_id(best.text) or best.text
    return value


class IdCardBackParser:
    kind = "id_card_back"

    def parse(self, lines: list[TextLine]) -> ExtractedDocument:
        layout = Layout(lines, BACK_LABELS)
        out = Fields(self.kind)
        validity = layout.value("有效期限") or _dates_anywhere(layout)
        issuer = layout.value("签发机关", wraps=True)
        if issuer:
            out.put("issuer", values.place(issuer.text), issuer)
        elif validity and (unlabelled := _issuer_line(layout, validity)) is not None:
            out.put("issuer", values.place(unlabelled.text), unlabelled, REPAIRED_CONFIDENCE)
        if validity:
            start, end = values.period(validity.text)
            doubt = None if _usual_term(start, end) else REPAIRED_CONFIDENCE
            out.put("valid_from", values.iso(start), validity, doubt)
            out.put("valid_until", values.iso(end), validity, doubt)
        return out.doc


def _issuer_line(layout: Layout, validity: Value) -> Value | None:
    """The issuer when 签发机关 was not read: the line just above the validity dates,
    which names a police authority (公安局, 公安分局)."""
    top = layout.frame_box(validity.quad)[1]
    above = [s for s in layout.segments if s.label is None and s.cy < top and "公安" in s.text]
    return merge([max(above, key=lambda s: s.y1)]) if above else None


def _dates_anywhere(layout: Layout) -> Value | None:
    """The validity line when its label was not read: the line holding two dates."""
    for seg in sorted(layout.segments, key=lambda s: -s.y1):
        start, end = values.period(seg.text)
        if start and end:
            return merge([seg])
    return None


def _usual_term(start: dt.date | None, end: dt.date | str | None) -> bool:
    """Cards run 5, 10 or 20 years to the same day, or 长期 (long term)."""
    if start is None or end is None:
        return False
    if end == values.LONG_TERM:
        return True
    assert isinstance(end, dt.date)
    years = end.year - start.year
    same_day = (end.month, end.day) == (start.month, start.day) or \
        (start.month, start.day) == (2, 29) and (end.month, end.day) in ((2, 28), (3, 1))
    return same_day and years in (5, 10, 20)
