"""The second-generation 居民身份证, front (人像面) and back (国徽面), 856 x 540 px.

At 10 px/mm on the 85.6 x 54 mm card. Layout after GA 490: labels in blue 6号
黑体, the name in 5号 and the other values in 小5号 黑体 (black), the number in
OCR-B; the back has the emblem top left, 中华人民共和国 / 居民身份证 in 宋体 and
the 签发机关 / 有效期限 lines. Every card varies a little (position, type size,
spacing, ink, background) so that nothing fits only one template.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from samples.documents import artwork, typeset
from samples.documents.identity import IdentityRecord
from samples.documents.insignia import emblem
from samples.documents.portraits import on_background
from samples.fonts import cjk_font, digit_font, faces

CARD_SIZE = (856, 540)  # width, height
CORNER_RADIUS = 32  # px: the card's rounded corners (3.18 mm)
_LABEL_BLUE = (24, 124, 188)
_BLACK = (22, 22, 26)
_ADDRESS_WIDTH = 355  # about 11 characters a line


@dataclass(frozen=True)
class _Look:
    """One card's small departures from the template."""

    dx: int
    dy: int
    variant: int  # which installed 黑体 face
    label_size: int
    value_size: int
    name_size: int
    number_size: int
    number_spacing: float
    value_spacing: float
    label_ink: tuple[int, int, int]
    value_ink: tuple[int, int, int]

    @classmethod
    def random(cls, rng: random.Random) -> "_Look":
        scale = rng.uniform(0.95, 1.05)
        return cls(dx=rng.randint(-10, 10), dy=rng.randint(-8, 8),
                   variant=rng.randrange(len(faces("hei", False))),
                   label_size=round(27 * scale), value_size=round(33 * scale),
                   name_size=round(rng.choice((33, 36, 38)) * scale),
                   number_size=round(36 * scale), number_spacing=rng.uniform(2.0, 6.0),
                   value_spacing=rng.choice((0.0, 0.0, rng.uniform(0.5, 2.5))),
                   label_ink=typeset.ink(rng, _LABEL_BLUE, 16),
                   value_ink=typeset.ink(rng, _BLACK, 14))


def render_id_front(rec: IdentityRecord, *, rng: random.Random | None = None) -> np.ndarray:
    """The 人像面 as BGR uint8, card only (CARD_SIZE, square corners)."""
    rng = rng or random.Random(f"{rec.id_number}|{rec.name}|front")
    look = _Look.random(rng)
    background = _front_background(rng)
    page = Image.fromarray(artwork.finish(background))
    _place_portrait(page, background, rec.person, rng)
    pen = ImageDraw.Draw(page)
    _front_fields(pen, rec, look)
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)


def render_id_back(rec: IdentityRecord, *, rng: random.Random | None = None) -> np.ndarray:
    """The 国徽面 as BGR uint8, card only."""
    rng = rng or random.Random(f"{rec.id_number}|{rec.name}|back")
    look = _Look.random(rng)
    page = Image.fromarray(artwork.finish(_back_background(rng)))
    mark = emblem(rng.randint(134, 146))
    page.paste(mark, (58 + look.dx, 38 + look.dy), mark)
    pen = ImageDraw.Draw(page)
    _back_titles(pen, look, rng)
    _back_fields(pen, rec, look)
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)


def validity_text(rec: IdentityRecord) -> str:
    """有效期限 as printed: 2016.05.01-2036.05.01, or 2016.05.01-长期."""
    until = "长期" if rec.valid_until == "long_term" else f"{rec.valid_until:%Y.%m.%d}"
    return f"{rec.valid_from:%Y.%m.%d}-{until}"


def _front_fields(pen: ImageDraw.ImageDraw, rec: IdentityRecord, look: _Look) -> None:
    label = cjk_font(look.label_size, "hei", variant=look.variant)
    value = cjk_font(look.value_size, "hei", variant=look.variant)
    x0, x1, y = 72 + look.dx, 172 + look.dx, 98 + look.dy
    blue, black = look.label_ink, look.value_ink
    typeset.draw(pen, x0, y, "姓名", label, blue, spacing=look.label_size * 0.4)
    typeset.draw(pen, x1, y, rec.name, cjk_font(look.name_size, "hei", variant=look.variant),
                 black, spacing=look.value_spacing)
    y += 64
    typeset.draw(pen, x0, y, "性别", label, blue, spacing=look.label_size * 0.4)
    typeset.draw(pen, x1, y, rec.sex, value, black)
    typeset.draw(pen, x0 + 252, y, "民族", label, blue, spacing=look.label_size * 0.4)
    typeset.draw(pen, x1 + 258, y, rec.ethnicity, value, black)
    y += 64
    _birth_line(pen, rec, x0, x1, y, label, value, look)
    y += 64
    typeset.draw(pen, x0, y, "住址", label, blue, spacing=look.label_size * 0.4)
    font, lines = _fit_address(rec.address, look)
    for line in lines:
        typeset.draw(pen, x1, y, line, font, black, spacing=look.value_spacing)
        y += round(look.value_size * 1.3)
    number_y = 468 + look.dy
    typeset.draw(pen, x0, number_y, "公民身份号码", label, blue, spacing=look.label_size * 0.12)
    typeset.draw(pen, x1 + 112, number_y + 2, rec.id_number, digit_font(look.number_size),
                 black, spacing=look.number_spacing)


def _fit_address(address: str, look: _Look) -> tuple[typeset.Font, list[str]]:
    """The 住址 in at most three lines, in smaller type when it is long."""
    size = look.value_size
    while True:
        font = cjk_font(size, "hei", variant=look.variant)
        lines = typeset.wrap(address, font, _ADDRESS_WIDTH, look.value_spacing)
        if len(lines) <= 3 or size <= look.value_size * 0.7:
            return font, lines
        size -= 1


def _birth_line(pen: ImageDraw.ImageDraw, rec: IdentityRecord, x0: int, x1: int, y: int,
                label: typeset.Font, value: typeset.Font, look: _Look) -> None:
    blue, black = look.label_ink, look.value_ink
    typeset.draw(pen, x0, y, "出生", label, blue, spacing=look.label_size * 0.4)
    end = typeset.draw(pen, x1, y, str(rec.birth_date.year), value, black)
    typeset.draw(pen, end + 12, y, "年", label, blue)
    month_end = x1 + 176
    typeset.draw(pen, month_end - value.getlength(str(rec.birth_date.month)), y,
                 str(rec.birth_date.month), value, black)
    typeset.draw(pen, month_end + 12, y, "月", label, blue)
    day_end = x1 + 262
    typeset.draw(pen, day_end - value.getlength(str(rec.birth_date.day)), y,
                 str(rec.birth_date.day), value, black)
    typeset.draw(pen, day_end + 12, y, "日", label, blue)


def _place_portrait(page: Image.Image, background: np.ndarray, person: str,
                    rng: random.Random) -> None:
    """The portrait prints over the card's own background, slightly washed out."""
    w, h = round(262 * rng.uniform(0.97, 1.03)), round(324 * rng.uniform(0.97, 1.03))
    left, top = 535 + rng.randint(-6, 6), 64 + rng.randint(-6, 6)
    under = background[top:top + h, left:left + w]
    portrait = on_background(person, (255, 255, 255))
    portrait = cv2.resize(portrait, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    washed = portrait * rng.uniform(0.9, 0.97) + 255 * 0.04
    printed = under * (washed / 255.0)  # a print darkens what is under it
    page.paste(Image.fromarray(artwork.finish(printed)), (left, top))


def _back_titles(pen: ImageDraw.ImageDraw, look: _Look, rng: random.Random) -> None:
    ink = typeset.ink(rng, (28, 28, 30), 12)
    left, right = 262 + look.dx, 786 + look.dx
    country = cjk_font(round(look.value_size * 1.45), "song", bold=rng.random() < 0.5)
    typeset.draw_justified(pen, left, 112 + look.dy, "中华人民共和国", country, ink, right - left)
    title = cjk_font(round(look.value_size * 2.25), "song", bold=True)
    typeset.draw_justified(pen, left + 6, 212 + look.dy, "居民身份证", title, ink,
                           right - left - 12)


def _back_fields(pen: ImageDraw.ImageDraw, rec: IdentityRecord, look: _Look) -> None:
    label = cjk_font(look.label_size, "hei", bold=True)
    value = cjk_font(look.value_size, "hei", variant=look.variant)
    x0, x1 = 168 + look.dx, 318 + look.dx
    for y, name, text in ((412 + look.dy, "签发机关", rec.issuer),
                          (474 + look.dy, "有效期限", validity_text(rec))):
        typeset.draw(pen, x0, y, name, label, look.value_ink, spacing=look.label_size * 0.18)
        typeset.draw(pen, x1, y, text, value, look.value_ink, spacing=look.value_spacing)


def _front_background(rng: random.Random) -> np.ndarray:
    base = typeset.ink(rng, (233, 240, 238), 5)
    inks = [typeset.ink(rng, c, 10) for c in ((176, 214, 214), (196, 222, 206), (205, 212, 230))]
    image = artwork.guilloche(CARD_SIZE, rng, base, inks, strength=rng.uniform(0.35, 0.55),
                              grain=2.5)
    glow = artwork.tint(CARD_SIZE, rng, (243, 222, 214), (rng.uniform(0.25, 0.45), 0.55), 0.35,
                        0.55)
    return artwork.apply_tint(image, glow, (243, 222, 214))


def _back_background(rng: random.Random) -> np.ndarray:
    base = typeset.ink(rng, (236, 241, 240), 5)
    inks = [typeset.ink(rng, c, 10) for c in ((172, 206, 222), (200, 224, 212), (226, 206, 190))]
    image = artwork.guilloche(CARD_SIZE, rng, base, inks, strength=rng.uniform(0.35, 0.55),
                              grain=2.5)
    glow = artwork.tint(CARD_SIZE, rng, (240, 214, 190), (0.85, 0.9), 0.3, 0.5)
    image = artwork.apply_tint(image, glow, (240, 214, 190))
    return _great_wall(image, rng)


def _great_wall(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """A pale silhouette of the Great Wall over hills, across the middle of the back."""
    w, h = CARD_SIZE
    xs = np.arange(w, dtype=np.float32)
    ridge = 300 + 28 * np.sin(xs / 140 + rng.uniform(0, 6.3)) + 14 * np.sin(xs / 47)
    crenel = ((xs // 14) % 2 == 0) * 7.0
    towers = (np.abs(((xs + rng.uniform(0, 200)) % 210) - 105) < 16) * 22.0
    top = ridge - 10 - np.maximum(crenel, towers)
    rows = np.arange(h, dtype=np.float32)[:, None]
    wall = ((rows > top[None, :]) & (rows < ridge[None, :] + 8)).astype(np.float32)
    wall = cv2.GaussianBlur(wall, (0, 0), 1.0)[..., None] * 0.22
    return image + wall * (np.asarray((150, 186, 200), np.float32) - image)
