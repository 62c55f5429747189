"""The business license (营业执照), new two-column layout and older one-column ones.

The person who represents the entity is printed under a label that depends on
its type: 法定代表人 (companies), 负责人 (branches), 经营者 (个体工商户),
执行事务合伙人 (partnerships), 投资人 (sole proprietorships). The address is
住所 or (主要)经营场所; the capital 注册资本 or 出资额.

Licenses from before the 2015 credit codes, and many 个体工商户 licenses, print a
15-digit 注册号 instead: it is read as `registration_number` (ISO 7064 MOD 11,10
check), and such a license has no `credit_code`. Watermark words stamped over a
copy (仅限办理ICP备案使用) are dropped before the fields are read.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.analysis import ExtractedDocument, TextLine
from pipeline.documents import values
from pipeline.documents.fields import INVALID_CONFIDENCE, REPAIRED_CONFIDENCE, Fields
from pipeline.documents.layout import LabelSet, Layout, Value, merge
from pipeline.documents.numbers import (find_registration_number, find_uscc,
                                        repair_registration_number, repair_uscc)
from pipeline.documents.text import han_count, squash

REPRESENTATIVE = ("法定代表人", "负责人", "经营者", "执行事务合伙人", "投资人")
ADDRESS = ("住所", "经营场所")
CAPITAL = ("注册资本", "出资额")
ESTABLISHED = ("成立日期", "注册日期")
TERM = ("营业期限", "合伙期限")
# How the names of companies, branches, partnerships and 个体工商户 end.
ENTITY_ENDINGS = ("公司", "厂", "店", "中心", "合作社", "事务所", "工作室", "经营部", "商行",
                  "门市部", "合伙", "企业", "馆", "部", "行", "场", "所", "院", "站")
# How the 类型 of an entity opens (市场主体类型).
ENTITY_TYPES = ("有限责任公司", "股份有限公司", "其他有限责任公司", "其他股份有限公司", "个人独资企业",
                "普通合伙企业", "有限合伙企业", "合伙企业", "个体工商户", "全民所有制", "集体所有制",
                "股份合作制", "农民专业合作社", "外商投资企业", "分公司", "非公司")
# A watermark stamped over a copy: 仅限办理ICP备案使用, 仅供网站认证专用, 再次复印无效.
# Only with a word of filing, copying or showing in it: 该场所仅限办公用途 is an address.
OVERPRINT = re.compile(r"(仅限|仅供|只限|仅用于)[^，。,；;：:（()]{0,8}?(备案|认证|展示|网站|ICP|审核|办理)"
                       r"[^，。,；;：:（()]{0,6}?(使用|专用|之用|有效)|(再次)?复印(件)?无效")
OVERPRINT_KEYS = ("备案", "认证", "复印", "网站", "ICP", "案使", "印无", "无效")
OVERPRINT_PHRASES = ("仅限办理ICP备案使用", "仅供网站备案使用", "仅限网站认证专用", "仅限备案使用",
                     "仅供备案使用", "仅供ICP备案使用", "再次复印无效", "复印无效")
RIGHT_COLUMN = CAPITAL + ESTABLISHED + TERM + ADDRESS + ("登记机关",)
LICENSE_LABELS = LabelSet(
    spellings={
        "统一社会信用代码": ("统一社会信用代码", "统一社会信用代", "社会信用代码", "统一社会信用码"),
        "注册号": ("注册号", "注册號"),
        "名称": ("名称", "企业名称"),
        "类型": ("类型", "商事主体类型", "市场主体类型", "主体类型", "公司类型", "企业类型"),
        "法定代表人": ("法定代表人姓名", "法定代表人", "法定代表", "法人代表"),
        "负责人": ("负责人",),
        "经营者": ("经营者姓名", "经营者"),
        "执行事务合伙人": ("执行事务合伙人", "执行事务合伙"),
        "投资人": ("投资人",),
        "组成形式": ("组成形式",),
        "注册资本": ("注册资本", "注册资金"),
        "实收资本": ("实收资本",),
        "出资额": ("出资总额", "出资额", "出资数额"),
        "成立日期": ("成立日期",),
        "注册日期": ("注册日期",),
        "营业期限": ("营业期限", "经营期限"),
        "合伙期限": ("合伙期限",),
        "住所": ("住所",),
        "经营场所": ("主要经营场所", "经营场所", "营业场所"),
        "经营范围": ("经营范围", "业务范围"),
        "登记机关": ("登记机关",),
        "营业执照": ("营业执照",),
        "公示": ("国家企业信用信息公示系统", "国家市场监督管理总局监制"),
    },
    partners={left: RIGHT_COLUMN for left in
              ("名称", "类型", "法定代表人", "负责人", "经营者", "执行事务合伙人", "投资人",
               "组成形式", "经营范围")},
    alone={"名": "名称", "称": "名称", "类": "类型", "型": "类型", "住": "住所", "所": "住所"},
)


class BusinessLicenseParser:
    kind = "business_license"

    def parse(self, lines: list[TextLine]) -> ExtractedDocument:
        layout = _without_overprint_values(Layout(without_overprint(lines), LICENSE_LABELS))
        out = Fields(self.kind)
        self._code(layout, out)
        self._registration(layout, out)
        name = layout.value("名称", wraps=True)
        if name:
            out.put("name", _company(name.text), name)
        elif (unlabelled := _unlabelled_name(layout)) is not None:
            out.put("name", _company(unlabelled.text), unlabelled, REPAIRED_CONFIDENCE)
        kind = layout.value("类型", wraps=True)
        if kind:
            out.put("entity_type", values.plain(kind.text), kind)
        elif (unlabelled := _unlabelled_type(layout)) is not None:
            out.put("entity_type", values.plain(unlabelled.text), unlabelled, REPAIRED_CONFIDENCE)
        person = _first(layout, REPRESENTATIVE, wraps=False)
        if person:
            out.put("legal_representative", values.person_name(values.simplified(person.text)),
                    person)
        self._dates(layout, out)
        self._free_text(layout, out)
        return out.doc

    def _code(self, layout: Layout, out: Fields) -> None:
        found = _code_value(layout)
        if found is None:
            return
        _put_number(out, "credit_code", repair_uscc(found.text), found)

    def _registration(self, layout: Layout, out: Fields) -> None:
        """注册号: the number of a license from before the 2015 credit codes (or of a
        个体工商户), checked by its ISO 7064 MOD 11,10 digit."""
        found = _registration_value(layout, "credit_code" not in out.doc.fields)
        if found is None:
            return
        _put_number(out, "registration_number", repair_registration_number(found.text), found)

    def _dates(self, layout: Layout, out: Fields) -> None:
        established = _first(layout, ESTABLISHED, wraps=False)
        if established and values.first_date(established.text):
            out.put("established", values.iso(values.first_date(established.text)), established)
        term = _first(layout, TERM, wraps=True)
        if term:
            _, until = values.period(term.text)
            out.put("term_until", values.iso(until), term)

    def _free_text(self, layout: Layout, out: Fields) -> None:
        address = _first(layout, ADDRESS, wraps=True)
        if address:
            out.put("address", values.place(address.text), address)
        capital = _first(layout, CAPITAL, wraps=False)
        if capital:
            out.put("registered_capital", values.capital(values.plain(capital.text)), capital)
        scope = layout.value("经营范围", wraps=True)
        if scope:
            out.put("business_scope", values.plain(scope.text), scope)


def without_overprint(lines: list[TextLine]) -> list[TextLine]:
    """The lines without a watermark's words (仅限办理ICP备案使用, 复印无效) read into
    them, whole or a piece of them at a line's start or end, or on their own."""
    out = []
    for line in lines:
        text = _strip_overprint(line.text)
        if text.strip():
            out.append(TextLine(text, line.confidence, line.box) if text != line.text else line)
    return out


def _without_overprint_values(layout: Layout) -> Layout:
    """Watermark pieces at the edges of a value too, once its label is cut off
    (企业名称案使用杭州...)."""
    for seg in layout.segments:
        if seg.label is None:
            seg.text = _strip_overprint(seg.text)
    layout.segments = [seg for seg in layout.segments if seg.text]
    return layout


def _strip_overprint(text: str) -> str:
    text = OVERPRINT.sub("", text)
    squashed = squash(text)
    for piece in _overprint_pieces():
        if len(squashed) > len(piece) and squashed.startswith(piece):
            return _strip_overprint(squashed[len(piece):])
        if len(squashed) > len(piece) and squashed.endswith(piece):
            return _strip_overprint(squashed[:-len(piece)])
    return text


@lru_cache(maxsize=1)
def _overprint_pieces() -> tuple[str, ...]:
    """Pieces of the usual watermarks that no value has: three or more characters with a
    word of filing or copying in them (案使用, 仅供网站; not 仅限办, which opens 仅限办公用途),
    longest first."""
    pieces = {phrase[i:j] for phrase in OVERPRINT_PHRASES
              for i in range(len(phrase)) for j in range(i + 3, len(phrase) + 1)}
    return tuple(sorted((p for p in pieces if any(key in p for key in OVERPRINT_KEYS)),
                        key=len, reverse=True))


def _first(layout: Layout, labels: tuple[str, ...], *, wraps: bool) -> Value | None:
    for label in labels:
        found = layout.value(label, wraps=wraps)
        if found:
            return found
    return None


def _unlabelled_name(layout: Layout) -> Value | None:
    """The name when its label was not read: the first line ending like an entity's name."""
    for seg in sorted(layout.segments, key=lambda s: (s.y0, s.x0)):
        text = re.sub(r"[()（）]", "", seg.text)
        if seg.label is None and han_count(text) >= 4 and text.endswith(ENTITY_ENDINGS):
            return merge([seg])
    return None


def _unlabelled_type(layout: Layout) -> Value | None:
    """The type when its label was not read: a line that opens like an entity type."""
    for seg in sorted(layout.segments, key=lambda s: (s.y0, s.x0)):
        if seg.label is None and seg.text.startswith(ENTITY_TYPES) and "执照" not in seg.text:
            return merge([seg])
    return None


def _company(text: str) -> str:
    return values.place(re.sub(r"\s+", "", text))


def _code_value(layout: Layout) -> Value | None:
    labelled = layout.value("统一社会信用代码", below=True)
    if labelled and find_uscc(labelled.text):
        labelled.text = find_uscc(labelled.text) or labelled.text
        return labelled
    for seg in sorted(layout.segments, key=lambda s: (s.y0, s.x0)):
        run = find_uscc(seg.text) if seg.label is None else None
        if run and sum(ch.isalpha() for ch in run) <= 10:
            value = merge([seg])
            value.text = run
            return value
    return labelled


def _registration_value(layout: Layout, unlabelled: bool) -> Value | None:
    """The 15-digit run after (or under) 注册号; without the label, when no credit code
    was read, a lone 15-digit run anywhere on the license."""
    labelled = layout.value("注册号", below=True)
    if labelled and (run := find_registration_number(labelled.text)):
        labelled.text = run
        return labelled
    for seg in sorted(layout.segments, key=lambda s: (s.y0, s.x0)) if unlabelled else ():
        if seg.label is None and (run := find_registration_number(seg.text)):
            value = merge([seg])
            value.text = run
            return value
    return None


def _put_number(out: Fields, name: str, repair, found) -> None:
    """A checked number: unsure when its check fails, a little less sure when repaired."""
    confidence = (INVALID_CONFIDENCE if not repair.valid
                  else REPAIRED_CONFIDENCE if repair.repaired else None)
    out.put(name, repair.value, found, confidence)
