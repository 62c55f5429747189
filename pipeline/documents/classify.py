"""Which document an image shows, from the printed words it carries.

Each kind has anchors: its title and its labels. Long anchors count wherever a
line holds them; two-character labels only at the start of a line, since 名称 or
住所 can sit inside other text. Anchors listed in `ORDERED` also give the order
they are printed in from top to bottom, which tells which way up a page is.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.analysis import TextLine
from pipeline.documents.text import han_count, squash

ORDERED: dict[str, tuple[tuple[str, ...], ...]] = {
    "id_card_front": (("姓名",), ("性别",), ("出生",), ("住址",),
                      ("公民身份号码", "公民身份号", "身份号码")),
    "id_card_back": (("中华人民共和国",), ("居民身份证",), ("签发机关", "签发机"),
                     ("有效期限", "有效期")),
    "business_license": (("营业执照",), ("统一社会信用代码", "社会信用代码"), ("名称",),
                         ("类型",), ("法定代表人", "负责人", "经营者", "执行事务合伙人", "投资人"),
                         ("经营范围",)),
}
UNORDERED: dict[str, tuple[tuple[str, ...], ...]] = {
    "id_card_front": (("民族",),),
    "id_card_back": (),
    "business_license": (("注册资本", "出资额", "出资总额"), ("成立日期", "注册日期"),
                         ("营业期限", "合伙期限"), ("住所", "经营场所"), ("登记机关",)),
}
DOCUMENT_KINDS = tuple(ORDERED)


@dataclass(frozen=True)
class Classification:
    kind: str | None  # a document kind, "other", or None when too little was read
    scores: dict[str, int]
    confident: bool


def anchor_at(text: str, spellings: tuple[str, ...]) -> bool:
    for spelling in spellings:
        if text.startswith(spelling) or (len(spelling) >= 4 and spelling in text):
            return True
    return False


def find_anchors(lines: list[TextLine], kind: str, *, ordered_only: bool = False
                 ) -> list[tuple[int, TextLine]]:
    """(order, line) for each anchor of `kind` found; order -1 for unordered ones."""
    groups = [(i, g) for i, g in enumerate(ORDERED[kind])]
    if not ordered_only:
        groups += [(-1, g) for g in UNORDERED[kind]]
    found = []
    texts = [(squash(line.text), line) for line in lines]
    for order, spellings in groups:
        hit = next((line for text, line in texts if anchor_at(text, spellings)), None)
        if hit is not None:
            found.append((order, hit))
    return found


def classify(lines: list[TextLine], *, min_anchors: int = 2, margin: int = 2) -> Classification:
    scores = {kind: len(find_anchors(lines, kind)) for kind in DOCUMENT_KINDS}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= min_anchors and top - second >= margin:
        return Classification(best, scores, confident=True)
    if top >= min_anchors and top > second:
        return Classification(best, scores, confident=False)
    if top == 0 and _substantial(lines):
        return Classification("other", scores, confident=True)
    return Classification(None, scores, confident=False)


def _substantial(lines: list[TextLine], min_lines: int = 6, min_han: int = 30) -> bool:
    """Enough clearly read text to say that no anchor means another document."""
    clear = [line for line in lines if line.confidence >= 0.85]
    return len(clear) >= min_lines and sum(han_count(line.text) for line in clear) >= min_han
