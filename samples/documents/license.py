"""The 2019-edition 营业执照 (business license), landscape, A4/A3 proportions.

Layout in millimetres on a 297 x 210 page, scaled to the requested pixel size:
a red-orange patterned border; the national emblem, 营业执照 and (副本) centred
at the top; 统一社会信用代码 top left and the QR code top right; the fields in
two columns (名称/类型/法定代表人/经营范围 | 注册资本/成立日期/营业期限/住所);
登记机关 with the red seal over the registration date bottom right.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from samples.documents import artwork, typeset
from samples.documents.company import CompanyRecord
from samples.documents.insignia import emblem, seal
from samples.fonts import cjk_font

PAGE_MM = (297.0, 210.0)
_BORDER_INK = (206, 96, 62)
_SCAN_HINT = "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息。"
_FOOTER = ("国家企业信用信息公示系统网址：http://www.gsxt.gov.cn",
           "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。")


@dataclass(frozen=True)
class _Page:
    """Millimetre coordinates to pixels, with this page's jitter."""

    sx: float
    sy: float
    dx: float
    dy: float

    def at(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        return (x_mm + self.dx) * self.sx, (y_mm + self.dy) * self.sy

    def px(self, mm: float) -> int:
        return max(6, round(mm * min(self.sx, self.sy)))


def render_license(rec: CompanyRecord, size: tuple[int, int] = (2000, 1414), *,
                   rng: random.Random | None = None) -> np.ndarray:
    """The license page as BGR uint8 of `size` (width, height)."""
    rng = rng or random.Random(f"{rec.credit_code}|{rec.name}|license")
    w, h = size
    page = _Page(w / PAGE_MM[0], h / PAGE_MM[1], rng.uniform(-2, 2), rng.uniform(-2, 2))
    image = Image.fromarray(artwork.finish(paper(size, rng)))
    pen = ImageDraw.Draw(image)
    ink = typeset.ink(rng, (24, 22, 24), 14)
    _heading(image, pen, page, rng, ink)
    _code_block(image, pen, page, rec, rng, ink)
    _fields(pen, page, rec, rng, ink)
    _registration(image, pen, page, rec, rng, ink)
    _footer(pen, page, ink)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def license_date(day: object) -> str:
    """Dates as the license prints them: 2016年05月12日."""
    return f"{day:%Y}年{day:%m}月{day:%d}日"


def term_text(rec: CompanyRecord) -> str:
    until = "长期" if rec.term_until == "long_term" else license_date(rec.term_until)
    return f"{license_date(rec.established)}至{until}"


def paper(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    base = typeset.ink(rng, (249, 246, 238), 4)
    inks = [typeset.ink(rng, c, 8) for c in ((240, 222, 200), (232, 226, 206), (238, 214, 210))]
    image = artwork.guilloche(size, rng, base, inks, strength=rng.uniform(0.3, 0.45), step=4,
                              grain=2.5)
    _border(image, rng)
    return image


def _border(image: np.ndarray, rng: random.Random) -> None:
    """A patterned band 6-11 mm from the edge, framed by two thin lines (in place)."""
    h, w = image.shape[:2]
    unit = w / PAGE_MM[0]
    outer, inner = round(6 * unit), round(11 * unit)
    turn = 2 * np.pi / (rng.uniform(1.4, 2.2) * unit)  # a wave every 1.4-2.2 mm
    colour = np.asarray(typeset.ink(rng, _BORDER_INK, 12), np.float32)
    strips = ((outer, inner, outer, w - outer), (h - inner, h - outer, outer, w - outer),
              (inner, h - inner, outer, inner), (inner, h - inner, w - inner, w - outer))
    for top, bottom, left, right in strips:
        y, x = np.ogrid[top:bottom, left:right]
        x, y = x.astype(np.float32), y.astype(np.float32)
        wave = np.cos((x + y) * turn + 2.0 * np.sin((x - y) * turn / 6))
        crossing = np.cos((x - y) * turn + 2.0 * np.sin((x + y) * turn / 6))
        part = image[top:bottom, left:right]
        part += (0.5 + 0.2 * (wave + crossing))[..., None] * (colour - part)
    for edge in (outer, inner):
        cv2.rectangle(image, (edge, edge), (w - edge, h - edge), colour.tolist(), 2)


def _heading(image: Image.Image, pen: ImageDraw.ImageDraw, page: _Page, rng: random.Random,
             ink: typeset.Colour) -> None:
    mark = emblem(page.px(rng.uniform(20, 23)))
    x, y = page.at(148.5, 15)
    image.paste(mark, (round(x - mark.width / 2), round(y)), mark)
    title = cjk_font(page.px(rng.uniform(15, 17)), "song", bold=True)
    cx, baseline = page.at(148.5, 60)
    typeset.draw_centered(pen, cx, baseline, "营业执照", title, ink, spacing=page.px(7))
    if rng.random() < 0.6:
        copy = "（副　本）" + (f"（{rng.randint(1, 3)}-1）" if rng.random() < 0.4 else "")
        cx, baseline = page.at(148.5, 69)
        typeset.draw_centered(pen, cx, baseline, copy, cjk_font(page.px(4.6), "song"), ink)


def _code_block(image: Image.Image, pen: ImageDraw.ImageDraw, page: _Page, rec: CompanyRecord,
                rng: random.Random, ink: typeset.Colour) -> None:
    label = cjk_font(page.px(4.2), "hei", bold=True)
    typeset.draw(pen, *page.at(24, 38), "统一社会信用代码", label, ink)
    code_font = cjk_font(page.px(rng.uniform(4.8, 5.4)), "hei", bold=True)
    typeset.draw(pen, *page.at(24, 46.5), rec.credit_code, code_font, ink, spacing=page.px(0.4))
    if rng.random() < 0.5:
        serial = f"{rec.credit_code[2:8]}{rng.randrange(10 ** 14):014d}"
        typeset.draw(pen, *page.at(24, 53.5), f"证照编号：{serial}", cjk_font(page.px(3.2)), ink)
    module = max(2, page.px(28) // 33)
    qr = artwork.qr_code(f"http://www.gsxt.gov.cn/index?uniscid={rec.credit_code}", module)
    qx, qy = page.at(247, 18)
    image.paste(Image.merge("RGB", (qr, qr, qr)), (round(qx), round(qy)))
    small = cjk_font(page.px(2.5))
    cx = qx + qr.width / 2
    line_y = qy + qr.height + page.px(4)
    for line in typeset.wrap(_SCAN_HINT, small, page.px(42)):
        typeset.draw_centered(pen, cx, line_y, line, small, ink)
        line_y += page.px(3.4)


def _fields(pen: ImageDraw.ImageDraw, page: _Page, rec: CompanyRecord, rng: random.Random,
            ink: typeset.Colour) -> None:
    label = cjk_font(page.px(4.6), "hei", bold=True)
    style = "song" if rng.random() < 0.7 else "hei"
    value_mm = rng.uniform(4.0, 4.5)
    left = (("名称", rec.name), ("类型", rec.entity_type),
            ("法定代表人", rec.legal_representative))
    right = (("注册资本", rec.registered_capital), ("成立日期", license_date(rec.established)),
             ("营业期限", term_text(rec)))
    for column, (lx, vx, width) in ((left, (24, 58, 92)), (right, (160, 194, 86))):
        y = 92.0
        for name, text in column:
            y = _field(pen, page, (lx, vx, width, y), name, text, label,
                       (style, value_mm), ink) + 12
    _field(pen, page, (24, 58, 92, 128), "经营范围", rec.business_scope, label, (style, value_mm),
           ink, fit_to=172)
    _field(pen, page, (160, 194, 86, 128), "住所", rec.address, label, (style, value_mm), ink)


def _field(pen: ImageDraw.ImageDraw, page: _Page, where: tuple[float, float, float, float],
           name: str, text: str, label: typeset.Font, value: tuple[str, float],
           ink: typeset.Colour, fit_to: float | None = None) -> float:
    """Label + wrapped value; returns the baseline (mm) of the value's last line."""
    lx, vx, width, y = where
    typeset.draw_justified(pen, *page.at(lx, y), name, label, ink, page.px(4.6) * 5)
    style, size_mm = value
    while True:
        font = cjk_font(page.px(size_mm), style)
        lines = typeset.wrap(text, font, page.px(width))
        step = size_mm * 1.5
        if fit_to is None or y + step * (len(lines) - 1) <= fit_to or size_mm < 2.6:
            break
        size_mm *= 0.92
    for i, line in enumerate(lines):
        typeset.draw(pen, *page.at(vx, y + i * step), line, font, ink)
    return y + step * (len(lines) - 1)


def _registration(image: Image.Image, pen: ImageDraw.ImageDraw, page: _Page, rec: CompanyRecord,
                  rng: random.Random, ink: typeset.Colour) -> None:
    label = cjk_font(page.px(4.6), "hei", bold=True)
    typeset.draw_justified(pen, *page.at(176, 176), "登记机关", label, ink, page.px(4.6) * 5)
    date_font = cjk_font(page.px(4.6), "song")
    typeset.draw(pen, *page.at(210, 187), license_date(rec.issued or rec.established),
                 date_font, ink)
    stamp = seal(rec.authority, page.px(rng.uniform(38, 42)), rng)
    cx, cy = page.at(233 + rng.uniform(-4, 4), 174 + rng.uniform(-3, 3))
    stamp = stamp.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
    artwork.multiply(image, stamp, (round(cx - stamp.width / 2), round(cy - stamp.height / 2)))


def _footer(pen: ImageDraw.ImageDraw, page: _Page, ink: typeset.Colour) -> None:
    small = cjk_font(page.px(2.7))
    for i, line in enumerate(_FOOTER):
        typeset.draw(pen, *page.at(24, 187 + i * 4.2), line, small, ink)
    typeset.draw(pen, *page.at(242, 195.5), "国家市场监督管理总局监制", small, ink)
