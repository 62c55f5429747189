"""营业执照 layouts the 2019 landscape render does not draw, as real licenses print them.

- portrait (竖版): one column of fields; a label stands level with the middle of
  its value, so a value wrapped on two lines has the label between them;
- letter-spaced labels (名　　　　称, 经　营　场　所) spread over the longest label's width;
- editions: the 2019 one (统一社会信用代码), a pre-2015 company license (注册号,
  法定代表人姓名, 公司类型, 实收资本) and a 个体工商户营业执照 (注册号, 经营者, 组成形式,
  经营场所, 注册日期; no credit code, capital, type or term);
- label variants (商事主体类型 for 类型, as Shenzhen prints it);
- a watermark overprinted across the fields (仅限办理ICP备案使用).

The page is drawn in millimetres (210 x 297 portrait, 297 x 210 landscape) and scaled.
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
from samples.documents.license import license_date, paper, term_text
from samples.fonts import cjk_font

TITLES = {"2019": "营业执照", "pre2015": "企业法人营业执照", "individual": "个体工商户营业执照"}
WATERMARKS = ("仅限办理ICP备案使用", "仅供网站备案使用", "复印无效")
VARIANTS = {"类型": ("商事主体类型", "公司类型"), "名称": ("企业名称",)}


@dataclass(frozen=True)
class LicenseStyle:
    portrait: bool = False
    spaced: bool = False
    labels: tuple[tuple[str, str], ...] = ()  # (label as printed by default, variant)
    watermark: str = ""


def random_style(rng: random.Random) -> LicenseStyle:
    variant = rng.choice(sorted(VARIANTS))
    return LicenseStyle(
        portrait=rng.random() < 0.5, spaced=rng.random() < 0.5,
        labels=((variant, rng.choice(VARIANTS[variant])),) if rng.random() < 0.4 else (),
        watermark=rng.choice(WATERMARKS) if rng.random() < 0.4 else "")


def field_rows(rec: CompanyRecord) -> list[tuple[str, str]]:
    """(label, value) in printed order for the record's edition."""
    if rec.edition == "individual":
        return [("名称", rec.name), ("经营者", rec.legal_representative),
                ("组成形式", rec.composition), ("经营场所", rec.address),
                ("经营范围", rec.business_scope), ("注册日期", license_date(rec.established))]
    if rec.edition == "pre2015":
        return [("名称", rec.name), ("住所", rec.address),
                ("法定代表人姓名", rec.legal_representative), ("注册资本", rec.registered_capital),
                ("实收资本", rec.registered_capital), ("公司类型", rec.entity_type),
                ("成立日期", license_date(rec.established)), ("营业期限", term_text(rec)),
                ("经营范围", rec.business_scope)]
    return [("名称", rec.name), ("类型", rec.entity_type), ("住所", rec.address),
            ("法定代表人", rec.legal_representative), ("注册资本", rec.registered_capital),
            ("成立日期", license_date(rec.established)), ("营业期限", term_text(rec)),
            ("经营范围", rec.business_scope)]


def render_license_layout(rec: CompanyRecord, style: LicenseStyle, *,
                          rng: random.Random | None = None, long_side: int = 2000
                          ) -> np.ndarray:
    """The license in `style` as BGR uint8, `long_side` pixels long."""
    rng = rng or random.Random(f"{rec.name}|{style}")
    page_mm = (210.0, 297.0) if style.portrait else (297.0, 210.0)
    unit = long_side / 297.0
    size = (round(page_mm[0] * unit), round(page_mm[1] * unit))
    image = Image.fromarray(artwork.finish(paper(size, rng)))
    pen = ImageDraw.Draw(image)
    ink = typeset.ink(rng, (24, 22, 24), 14)
    _head(image, pen, rec, unit, page_mm, ink)
    bottom = _rows(pen, rec, style, unit, page_mm, ink)
    _stamp(image, pen, rec, unit, (page_mm[0] * 0.62, max(bottom + 22, page_mm[1] - 50)), rng)
    if style.watermark:
        _overprint(image, style.watermark, unit, rng)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def _head(image: Image.Image, pen: ImageDraw.ImageDraw, rec: CompanyRecord, unit: float,
          page_mm: tuple[float, float], ink: typeset.Colour) -> None:
    mark = emblem(round(20 * unit))
    image.paste(mark, (round(page_mm[0] / 2 * unit - mark.width / 2), round(16 * unit)), mark)
    title = TITLES[rec.edition]
    font = cjk_font(round((12 if len(title) > 4 else 15) * unit), "song", bold=True)
    typeset.draw_centered(pen, page_mm[0] / 2 * unit, 58 * unit, title, font, ink,
                          spacing=round(3 * unit))
    small = cjk_font(round(4.2 * unit), "hei", bold=True)
    if rec.credit_code:
        typeset.draw(pen, 22 * unit, 70 * unit, f"统一社会信用代码 {rec.credit_code}", small, ink)
    else:
        text = f"注册号 {rec.registration_number}"
        typeset.draw(pen, (page_mm[0] - 22) * unit - typeset.width(text, small), 70 * unit,
                     text, small, ink)


def _rows(pen: ImageDraw.ImageDraw, rec: CompanyRecord, style: LicenseStyle, unit: float,
          page_mm: tuple[float, float], ink: typeset.Colour) -> float:
    """The fields in one column; returns the last baseline (mm)."""
    rename = dict(style.labels)
    rows = [(rename.get(label, label), value) for label, value in field_rows(rec)]
    label_font = cjk_font(round(4.4 * unit), "hei", bold=True)
    span = max(len(label) for label, _ in rows) * 4.6 * unit
    value_x = 22 + span / unit + 8
    font = cjk_font(round(4.0 * unit), "song")
    y, step = 86.0, 6.4
    for label, value in rows:
        lines = typeset.wrap(value, font, (page_mm[0] - value_x - 20) * unit)
        middle = y + step * (len(lines) - 1) / 2 if style.portrait else y
        _label(pen, (22 * unit, middle * unit), label, label_font, ink, span if style.spaced
               else 0.0)
        for i, line in enumerate(lines):
            typeset.draw(pen, value_x * unit, (y + i * step) * unit, line, font, ink)
        y += step * (len(lines) - 1) + (11 if style.portrait else 10)
    return y


def _label(pen: ImageDraw.ImageDraw, at: tuple[float, float], label: str, font: typeset.Font,
           ink: typeset.Colour, span: float) -> None:
    if span:
        typeset.draw_justified(pen, *at, label, font, ink, span)
    else:
        typeset.draw(pen, *at, label, font, ink)


def _stamp(image: Image.Image, pen: ImageDraw.ImageDraw, rec: CompanyRecord, unit: float,
           at_mm: tuple[float, float], rng: random.Random) -> None:
    font = cjk_font(round(4.4 * unit), "hei", bold=True)
    x, y = at_mm[0] * unit, at_mm[1] * unit
    typeset.draw(pen, x, y, "登记机关", font, typeset.ink(rng, (24, 22, 24), 10))
    typeset.draw(pen, x, y + 10 * unit, license_date(rec.issued or rec.established),
                 cjk_font(round(4.2 * unit), "song"), typeset.ink(rng, (24, 22, 24), 10))
    stamp = seal(rec.authority, round(38 * unit), rng)
    artwork.multiply(image, stamp, (round(x + 8 * unit - stamp.width / 2),
                                    round(y - stamp.height / 2)))


def _overprint(image: Image.Image, text: str, unit: float, rng: random.Random) -> None:
    """`text` tiled at a slant over the page in a pale translucent ink, as an applicant
    stamps a copy (the real ones seen: thin type about the size of the values)."""
    layer = Image.new("RGBA", image.size, (255, 255, 255, 0))
    pen = ImageDraw.Draw(layer)
    font = cjk_font(round(rng.uniform(4.5, 7) * unit), rng.choice(("song", "hei")))
    colour = rng.choice(((140, 140, 140), (200, 90, 90), (90, 110, 190)))
    alpha = round(rng.uniform(0.25, 0.45) * 255)
    gap = typeset.width(text, font) + 30 * unit
    for row, y in enumerate(np.arange(60 * unit, image.height, 45 * unit)):
        for x in np.arange(-gap + (row % 2) * gap / 2, image.width, gap):
            pen.text((float(x), float(y)), text, font=font, fill=(*colour, alpha))
    layer = layer.rotate(rng.uniform(0, 30), resample=Image.Resampling.BICUBIC)
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))
