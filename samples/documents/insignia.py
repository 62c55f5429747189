"""The national emblem (国徽) and round official seals (公章), drawn from shapes.

The emblem is a simplified drawing: red disc in a golden wheat ring, the five
stars, the gate of Tiananmen, the cogwheel and the red ribbon. It only has to
look like the emblem at 15 mm; it is not a reproduction of the official artwork.
"""
from __future__ import annotations

import math
import random
from functools import cache

import numpy as np
from PIL import Image, ImageDraw

from samples.documents.artwork import ink_texture
from samples.fonts import cjk_font

_GOLD, _DARK_GOLD, _RED = (236, 184, 48), (176, 120, 24), (214, 26, 32)
_MASTER = 800  # supersampled drawing size


def emblem(size: int) -> Image.Image:
    """The emblem as RGBA, `size` pixels wide."""
    return _emblem_at(max(8, int(size)))


@cache
def _emblem_at(size: int) -> Image.Image:
    return _emblem_master().resize((size, int(size * 1.06)), Image.Resampling.LANCZOS)


@cache
def _emblem_master() -> Image.Image:
    s = _MASTER
    image = Image.new("RGBA", (s, int(s * 1.06)), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    _ribbon(pen, s)
    _wheat_ring(pen, s)
    _stars(pen, s)
    _gate(pen, s)
    _cogwheel(pen, s)
    return image


def _wheat_ring(pen: ImageDraw.ImageDraw, s: int) -> None:
    c, outer, inner = (0.5 * s, 0.47 * s), 0.45 * s, 0.35 * s
    pen.ellipse(_box(c, outer), fill=_GOLD)
    for degrees in list(range(95, 265, 9)) + list(range(-85, 86, 9)):
        a = math.radians(degrees)
        for r in (0.375 * s, 0.415 * s):
            centre = (c[0] + r * math.cos(a), c[1] - r * math.sin(a))
            pen.polygon(_ellipse_points(centre, 0.028 * s, 0.012 * s, a + 0.5), fill=_DARK_GOLD)
    pen.ellipse(_box(c, inner), fill=_RED)


def _stars(pen: ImageDraw.ImageDraw, s: int) -> None:
    big = (0.5 * s, 0.27 * s)
    pen.polygon(_star_points(big, 0.075 * s, -math.pi / 2), fill=_GOLD)
    for degrees in (160, 128, 52, 20):
        a = math.radians(degrees)
        centre = (big[0] + 0.16 * s * math.cos(a), big[1] - 0.14 * s * math.sin(a))
        towards = math.atan2(big[1] - centre[1], big[0] - centre[0])
        pen.polygon(_star_points(centre, 0.027 * s, towards), fill=_GOLD)


def _gate(pen: ImageDraw.ImageDraw, s: int) -> None:
    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * s, y0 * s, x1 * s, y1 * s]

    pen.polygon([(p * s, q * s) for p, q in ((0.40, 0.415), (0.60, 0.415), (0.66, 0.445),
                                             (0.34, 0.445))], fill=_GOLD)
    pen.rectangle(box(0.36, 0.445, 0.64, 0.47), fill=_GOLD)
    pen.polygon([(p * s, q * s) for p, q in ((0.33, 0.47), (0.67, 0.47), (0.73, 0.505),
                                             (0.27, 0.505))], fill=_GOLD)
    pen.rectangle(box(0.31, 0.505, 0.69, 0.56), fill=_GOLD)
    for i in range(8):
        x = 0.33 + i * 0.048
        pen.rectangle(box(x, 0.515, x + 0.012, 0.555), fill=_RED)
    pen.rectangle(box(0.25, 0.56, 0.75, 0.655), fill=_GOLD)
    for x in (0.33, 0.415, 0.5, 0.585, 0.67):
        pen.rounded_rectangle(box(x - 0.02, 0.59, x + 0.02, 0.655), radius=0.02 * s, fill=_RED)
    pen.rectangle(box(0.2, 0.655, 0.8, 0.675), fill=_GOLD)


def _cogwheel(pen: ImageDraw.ImageDraw, s: int) -> None:
    c = (0.5 * s, 0.85 * s)
    for i in range(12):
        a = i * math.pi / 6
        tooth = (c[0] + 0.085 * s * math.cos(a), c[1] + 0.085 * s * math.sin(a))
        pen.polygon(_ellipse_points(tooth, 0.02 * s, 0.02 * s, a, corners=4), fill=_GOLD)
    pen.ellipse(_box(c, 0.075 * s), fill=_GOLD)
    pen.ellipse(_box(c, 0.03 * s), fill=_RED)


def _ribbon(pen: ImageDraw.ImageDraw, s: int) -> None:
    left = [(0.06, 0.74), (0.22, 0.84), (0.40, 0.88), (0.42, 0.95), (0.24, 0.93), (0.10, 0.86)]
    for side in (left, [(1 - x, y) for x, y in left]):
        points = [(x * s, y * s) for x, y in side]
        pen.polygon(points, fill=_RED, outline=_GOLD, width=max(2, s // 160))


def seal(text: str, diameter: int, rng: random.Random,
         colour: tuple[int, int, int] = (208, 34, 40), inner_text: str = "") -> Image.Image:
    """A round seal: ring, star, `text` along the upper arc, RGBA with uneven ink."""
    scale = 2
    d = int(diameter) * scale
    image = Image.new("L", (d, d), 0)
    pen = ImageDraw.Draw(image)
    ring = max(2, int(d * 0.035))
    pen.ellipse([ring // 2, ring // 2, d - ring // 2, d - ring // 2], outline=255, width=ring)
    pen.polygon(_star_points((d / 2, d / 2), d * 0.16, -math.pi / 2), fill=255)
    _arc_text(image, text, d, ring)
    if inner_text:
        font = cjk_font(int(d * 0.085), "song", bold=True)
        pen.text((d / 2, d * 0.78), inner_text, font=font, fill=255, anchor="mm")
    alpha = np.asarray(image.resize((diameter, diameter), Image.Resampling.LANCZOS),
                       np.float32) / 255.0
    alpha = ink_texture(alpha, rng) * rng.uniform(0.75, 0.95)
    rgba = np.zeros((diameter, diameter, 4), np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = (alpha * 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def _arc_text(image: Image.Image, text: str, d: int, ring: int) -> None:
    size = int(d * (0.15 if len(text) <= 12 else 0.125))
    font = cjk_font(size, "song", bold=True)
    radius = d / 2 - ring * 1.6 - size * 0.55
    span = math.radians(min(250, max(180, len(text) * 21)))  # names spread over the arc
    step = span / max(len(text) - 1, 1)
    for i, char in enumerate(text):
        theta = -span / 2 + i * step
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), char, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(theta), resample=Image.Resampling.BICUBIC)
        x = d / 2 + radius * math.sin(theta) - size
        y = d / 2 - radius * math.cos(theta) - size
        image.paste(255, (int(x), int(y)), glyph)


def _star_points(centre: tuple[float, float], radius: float,
                 pointing: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        a = pointing + i * math.pi / 5
        points.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    return points


def _ellipse_points(centre: tuple[float, float], rx: float, ry: float, angle: float,
                    corners: int = 16) -> list[tuple[float, float]]:
    ts = np.linspace(0, 2 * np.pi, corners, endpoint=False) + (np.pi / 4 if corners == 4 else 0)
    xs, ys = rx * np.cos(ts), ry * np.sin(ts)
    ca, sa = math.cos(angle), math.sin(angle)
    return [(centre[0] + x * ca - y * sa, centre[1] - (x * sa + y * ca)) for x, y in zip(xs, ys)]


def _box(centre: tuple[float, float], radius: float) -> list[float]:
    return [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius]
